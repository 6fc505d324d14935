import { describe, expect, it } from 'vitest';
import { CsvParser, parseCsvText } from '../../../src/modules/roster-import/csv-parser.js';
import { numberText, sniffEncoding } from '../../../src/modules/roster-import/readers.js';
import iconv from 'iconv-lite';

describe('CsvParser', () => {
  it('parses plain, quoted, escaped and multi-line fields', () => {
    expect(parseCsvText('a,b,c\r\n1,"x, y","say ""hi"""\n"line1\nline2",,\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, y', 'say "hi"'],
      ['line1\nline2', '', ''],
    ]);
  });

  it('keeps empty lines as records, so record numbers are row numbers', () => {
    expect(parseCsvText('a\n\nb\r\n\r\nc')).toEqual([['a'], [''], ['b'], [''], ['c']]);
  });

  it('handles a lone CR, a missing final line end, ragged rows and stray quotes', () => {
    expect(parseCsvText('a,b\rc')).toEqual([['a', 'b'], ['c']]);
    expect(parseCsvText('a,b,\n1')).toEqual([['a', 'b', ''], ['1']]);
    expect(parseCsvText('5"6,x\n"ab"c,y')).toEqual([['5"6', 'x'], ['abc', 'y']]);
    expect(parseCsvText('')).toEqual([]);
  });

  it('gives the same records however the input is cut into chunks', () => {
    const text = 'h1,h2\r\n"a ""q"" b",2\r\n"multi\r\nline",x\r\n,\r\nlast,"end"';
    const whole = parseCsvText(text);
    for (let size = 1; size <= 7; size++) {
      const p = new CsvParser(',');
      const out: string[][] = [];
      for (let i = 0; i < text.length; i += size) p.push(text.slice(i, i + size), out);
      p.end(out);
      expect(out, `chunk size ${size}`).toEqual(whole);
    }
  });

  it('supports a tab delimiter', () => {
    expect(parseCsvText('a\tb\n1\t2', '\t')).toEqual([['a', 'b'], ['1', '2']]);
  });
});

describe('encoding and number helpers', () => {
  it('sniffs the encoding: BOM, valid UTF-8, else GB18030', () => {
    expect(sniffEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x41]))).toBe('utf8');
    expect(sniffEncoding(Buffer.from('姓名,班级', 'utf8'))).toBe('utf8');
    expect(sniffEncoding(iconv.encode('姓名,班级', 'gbk'))).toBe('gb18030');
    expect(sniffEncoding(Buffer.from([0xff, 0xfe, 0x41, 0]))).toBe('utf16le');
    // a UTF-8 character cut at the end of the sniffed block is still UTF-8
    expect(sniffEncoding(Buffer.from('姓名', 'utf8').subarray(0, 4))).toBe('utf8');
  });

  it('shows long integers (an ID Excel stored as a number) in scientific form, so the loss is detected', () => {
    expect(numberText(360102201203051000)).toBe('3.60102201203051E+17');
    expect(numberText(13800138000)).toBe('13800138000');
    expect(numberText(3.5)).toBe('3.5');
  });
});
