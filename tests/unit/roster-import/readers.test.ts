// The file readers against real files written by exceljs (as Excel does: shared strings,
// styles) and SheetJS (.xls, and .xlsx with inline strings), generated here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import * as XLSX from '@e965/xlsx';
import { afterAll, describe, expect, it } from 'vitest';
import { detectFormat, openRows } from '../../../src/modules/roster-import/readers.js';
import { dateStyles, decodeXmlText, SharedStrings, stringItemText } from '../../../src/modules/roster-import/xlsx-reader.js';
import type { SheetRow } from '../../../src/modules/roster-import/header-detection.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-readers-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function readAll(file: string): Promise<SheetRow[]> {
  const { rows } = await openRows(file, file);
  const out: SheetRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

describe('xlsx pieces', () => {
  it('decodes XML entities and OOXML _xHHHH_ escapes', () => {
    expect(decodeXmlText('a &amp; b &lt;c&gt; &#x4E2D;&#25991; _x000D_')).toBe('a & b <c> 中文 \r');
  });

  it('joins rich-text runs and drops phonetic guides', () => {
    expect(stringItemText('<r><rPr><b/></rPr><t>张</t></r><r><t xml:space="preserve">三 </t></r><rPh sb="0" eb="1"><t>zhang</t></rPh>')).toBe('张三 ');
    expect(stringItemText('<t/>')).toBe('');
  });

  it('knows which styles format dates (built-in, CJK and custom formats)', () => {
    const xml = `<styleSheet><numFmts count="2"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="177" formatCode="0_ "/></numFmts>
      <cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
      <cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="176"/><xf numFmtId="177"/><xf numFmtId="31"/></cellXfs></styleSheet>`;
    expect([...dateStyles(xml)]).toEqual([1, 2, 4]);
  });

  it('packs shared strings and gives them back', () => {
    const s = new SharedStrings();
    const words = ['', '张三', 'abc', '𠀀 rare', '城关第一小学'.repeat(50000)];
    for (const w of words) s.push(w);
    expect(words.map((_, i) => s.get(i))).toEqual(words);
    expect(s.get(99)).toBe('');
  });
});

describe('openRows', () => {
  it('reads an .xlsx written like Excel: title row merged, shared strings, dates, numbers, rich text, gaps', async () => {
    const file = path.join(dir, 'excel-like.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('花名册');
    ws.addRow(['城关第一小学学生花名册']);
    ws.mergeCells('A1:F1');
    ws.addRow(['姓名', '身份证号', '出生日期', '班级', '联系电话', '备注']);
    ws.addRow(['张三', '360102201203051234', new Date(Date.UTC(2012, 2, 5)), '3班', 13800138000, { richText: [{ text: '转' }, { text: '学' }] }]);
    ws.getCell('C3').numFmt = 'yyyy/m/d';
    // a styled empty cell far to the right adds no columns
    ws.getCell('AZ3').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFF00' } };
    // an ID typed as a number: Excel keeps 15 significant digits
    ws.addRow(['李四', 360102201203051000, 40973, '(3)班', null, 'a & b <c>']);
    ws.getCell('C4').numFmt = 'yyyy-mm-dd';
    ws.getRow(6).getCell(2).value = '隔一行';
    await wb.xlsx.writeFile(file);

    expect(await detectFormat(file, '花名册.xlsx')).toBe('xlsx');
    const rows = await readAll(file);
    expect(rows.map((r) => r.rowNo)).toEqual([1, 2, 3, 4, 6]);
    expect(rows[0]!.cells[0]).toBe('城关第一小学学生花名册');
    expect(rows[2]!.cells).toEqual(['张三', '360102201203051234', '2012-03-05', '3班', '13800138000', '转学']);
    expect(rows[3]!.cells).toEqual(['李四', '3.60102201203051E+17', '2012-03-05', '(3)班', '', 'a & b <c>']);
    expect(rows[4]!.cells).toEqual(['', '隔一行']);
  });

  it('reads the first sheet of a SheetJS .xlsx (inline strings) and a legacy .xls', async () => {
    const aoa = [['姓名', '学籍号', '出生日期'], ['王五', 'G360102201203051234', '2012/3/5'], [], ['赵六', 'G360102201203052345', 40973]];
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), '第一页');
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['别的表']]), '第二页');
    const xlsx = path.join(dir, 'sheetjs.xlsx');
    fs.writeFileSync(xlsx, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', bookSST: false }) as Buffer);
    const xls = path.join(dir, 'legacy.xls');
    fs.writeFileSync(xls, XLSX.write(wb, { type: 'buffer', bookType: 'xls' }) as Buffer);
    expect(await detectFormat(xls, 'legacy.xls')).toBe('xls');
    for (const file of [xlsx, xls]) {
      const rows = await readAll(file);
      expect(rows.map((r) => [r.rowNo, r.cells.join('|')]), file).toEqual([
        [1, '姓名|学籍号|出生日期'],
        [2, '王五|G360102201203051234|2012/3/5'],
        [4, '赵六|G360102201203052345|40973'],
      ]);
    }
  });

  it('reads CSV in UTF-8 with and without BOM, in GBK, and tab-separated', async () => {
    const text = '花名册\r\n姓名,班级,备注\r\n张三,3班,"含,逗号"\r\n\r\n李四,4班,\r\n';
    const variants: [string, Buffer][] = [
      ['bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
      ['plain.csv', Buffer.from(text)],
      ['gbk.csv', iconv.encode(text, 'gbk')],
      ['tabs.txt', iconv.encode(text.replace(/,/g, '\t').replace('"含\t逗号"', '含,逗号'), 'gb18030')],
    ];
    for (const [name, buf] of variants) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, buf);
      const rows = await readAll(file);
      expect(rows.map((r) => [r.rowNo, r.cells]), name).toEqual([
        [1, ['花名册']],
        [2, ['姓名', '班级', '备注']],
        [3, ['张三', '3班', '含,逗号']],
        [4, ['']],
        [5, ['李四', '4班', '']],
      ]);
    }
  });

  it('refuses other formats and broken files with a Chinese message', async () => {
    const pdf = path.join(dir, 'a.pdf');
    fs.writeFileSync(pdf, '%PDF-1.4');
    await expect(openRows(pdf, '名单.pdf')).rejects.toThrow('不支持的文件格式“.pdf”');
    const broken = path.join(dir, 'broken.xlsx');
    fs.writeFileSync(broken, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100)]));
    await expect(readAll(broken)).rejects.toThrow(/不是有效的 \.xlsx 文件|无法读取/);
    const empty = path.join(dir, 'empty.csv');
    fs.writeFileSync(empty, '');
    await expect(openRows(empty, 'empty.csv')).rejects.toThrow('文件是空的');
  });
});
