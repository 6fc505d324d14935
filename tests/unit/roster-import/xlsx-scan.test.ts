// The byte-level sheet scanner (xlsx-scan.ts): every chunk split gives the same rows, and the
// cell rules are the reader's (shared strings, inline and rich text without phonetic runs,
// entities and _xHHHH_ escapes, namespace prefixes, numbers as Excel shows them, dates by style).
import { describe, expect, it } from 'vitest';
import type { SheetRow } from '../../../src/modules/roster-import/header-detection.js';
import { decodeXmlText, numberText } from '../../../src/modules/roster-import/xlsx-reader.js';
import { scanRows, scanSharedStrings, type CellDecoder } from '../../../src/modules/roster-import/xlsx-scan.js';

const shared = ['张三', 'a&b', '  空格 '];
const dec: CellDecoder = {
  shared: (i) => shared[i] ?? '',
  isDateStyle: (s) => s === 2,
  number: (v, s) => (s === 2 ? `date:${v}` : numberText(Number(v))),
  decodeText: decodeXmlText,
};

const SHEET = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:F9"/><sheetData>
<row r="1" spans="1:6"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t xml:space="preserve">七年级 (3)班</t></is></c></row>
<row r="2"><c r="A2"><v>87.5</v></c><c r="B2"><v>87.50</v></c><c r="C2" s="1"><v>120</v></c><c r="D2" s="2"><v>40973</v></c><c r="E2"><v>3.60102E+17</v></c><c r="F2"><v>360102200001011234</v></c></row>
<row r="4"><c r="A4" t="inlineStr"><is><r><rPr><b/></rPr><t>王</t></r><r><t>五</t></r><rPh sb="0" eb="1"><t>ワン</t></rPh></is></c><c r="B4" t="str"><v>x&amp;y_x000D_</v></c><c r="C4" t="b"><v>1</v></c><c r="D4" t="e"><v>#N/A</v></c><c r="E4" t="s"><v>1</v></c></row>
<row r="5"/>
<row><c t="s"><v>2</v></c><c/><c><v>0.5</v></c><c r="H6" s="7"/></row>
<x:row r="7" xmlns:x="urn:x"><x:c r="B7" t="inlineStr"><x:is><x:t>前缀 &lt;ok&gt;</x:t></x:is></x:c><x:c r="C7"><x:f>SUM(A1:A2)</x:f><x:v>175</x:v></x:c></x:row>
<row r="9"><c r="A9" t="d"><v>2012-03-05T00:00:00</v></c><c r="B9"><v>-0</v></c><c r="C9"><v>0.0000001</v></c><c r="D9"><v>007</v></c></row>
</sheetData><pageMargins left="0.7"/></worksheet>`;

const EXPECTED: SheetRow[] = [
  { rowNo: 1, cells: ['张三', '', '七年级 (3)班'] },
  { rowNo: 2, cells: ['87.5', '87.5', '120', 'date:40973', '3.60102E+17', numberText(360102200001011234)] },
  { rowNo: 4, cells: ['王五', 'x&y\r', '是', '', 'a&b'] },
  { rowNo: 5, cells: [] },
  { rowNo: 6, cells: ['  空格 ', '', '0.5'] },
  { rowNo: 7, cells: ['', '前缀 <ok>', '175'] },
  { rowNo: 9, cells: ['2012-03-05', '0', '1e-7', '7'] },
];

/** Feeds the bytes in pieces of `size`, keeping the incomplete rest, as the reader does. */
function scanInPieces(bytes: Buffer, size: number): SheetRow[] {
  const out: SheetRow[] = [];
  const state = { lastRow: 0 };
  let rest: Buffer | null = null;
  for (let p = 0; p < bytes.length; p += size) {
    const chunk = bytes.subarray(p, Math.min(bytes.length, p + size));
    const buf: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
    const used = scanRows(buf, 0, buf.length, dec, out, state);
    rest = used < buf.length ? Buffer.from(buf.subarray(used)) : null;
  }
  return out;
}

describe('xlsx sheet scanner', () => {
  const bytes = Buffer.from(SHEET, 'utf8');

  it('reads cells by the reader\'s rules', () => {
    expect(scanInPieces(bytes, bytes.length)).toEqual(EXPECTED);
  });

  it('gives the same rows whatever the chunk boundaries (every piece size from 1 byte)', () => {
    for (let size = 1; size <= 64; size++) expect(scanInPieces(bytes, size), `pieces of ${size}`).toEqual(EXPECTED);
    for (const size of [97, 128, 333, 500]) expect(scanInPieces(bytes, size), `pieces of ${size}`).toEqual(EXPECTED);
  });

  it('reads shared strings: plain items copied as bytes, others decoded, phonetic runs dropped', () => {
    const sst = Buffer.from(`<?xml version="1.0"?><sst xmlns="x" count="5" uniqueCount="5"><si><t>张三</t></si><si><t>a&amp;b</t></si>` +
      `<si><r><t>李</t></r><r><rPr/><t xml:space="preserve">四 </t></r><rPh><t>リ</t></rPh></si><si/><si><t xml:space="preserve"> x_x0009_y</t></si></sst>`, 'utf8');
    for (const size of [1, 2, 3, 7, 16, sst.length]) {
      const got: string[] = [];
      let rest: Buffer | null = null;
      for (let p = 0; p < sst.length; p += size) {
        const chunk = sst.subarray(p, Math.min(sst.length, p + size));
        const buf: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
        const used = scanSharedStrings(buf, 0, buf.length, dec, (s) => got.push(s), (b, x, y) => got.push(b.toString('utf8', x, y)));
        rest = used < buf.length ? Buffer.from(buf.subarray(used)) : null;
      }
      expect(got, `pieces of ${size}`).toEqual(['张三', 'a&b', '李四 ', '', ' x\ty']);
    }
  });
});
