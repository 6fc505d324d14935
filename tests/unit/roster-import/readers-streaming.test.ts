// The roster import's requirement "Large files stream: 200,000 rows import without holding the
// file in memory", shown by behaviour rather than by timing or memory figures: while openRows()
// (the importer's one way into a file) yields rows, the test changes the file on disk a fixed
// distance ahead of the row just yielded, and what comes out next must be the changed file. A
// reader that read the file, or the whole sheet, before yielding its rows, or that read far ahead
// of them, would still yield the old bytes and fail here.
//
// The distance is 1 MiB. Measured read-ahead (the smallest distance at which these tests pass):
// CSV ~512 KiB (the 256 KiB chunk being parsed and the next one, read while its rows are yielded:
// 520,000 bytes fails, 540,000 passes); .xlsx at the first data row ~512 KiB of the deflated sheet
// (450,000 fails, 524,288 passes), further on 350–450 KiB. So 1 MiB is twice what the readers do,
// and a reader that reads a few chunks more, or the file whole, fails.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { FileReadError, openRows } from '../../../src/modules/roster-import/readers.js';
import { STANDARD_HEADER, standardRows, writeCsv, writeXlsx } from '../../fixtures/roster/roster-fixtures.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-streaming-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** how far ahead of the row just yielded the file is changed */
const AHEAD = 1024 * 1024;
const CSV_ROWS = 200_000;
/** exceljs writes 200,000 rows in ~15 s; 50,000 (a 4 MB sheet, four times AHEAD) in ~3 s */
const XLSX_ROWS = 50_000;

describe('roster files are streamed, not read whole', () => {
  it(`CSV (GBK, ${CSV_ROWS} rows): every row is read from disk only shortly before it is yielded`, async () => {
    const file = path.join(dir, 'roster-gbk.csv');
    await writeCsv(file, [STANDARD_HEADER, ...standardRows(CSV_ROWS)], 'gbk');
    // where each line starts (GBK never uses 0x0A inside a character; the fixtures quote nothing)
    const bytes = fs.readFileSync(file);
    const size = bytes.length;
    const starts: number[] = [0];
    for (let i = bytes.indexOf(0x0a); i >= 0 && i + 1 < size; i = bytes.indexOf(0x0a, i + 1)) starts.push(i + 1);
    expect(starts.length).toBe(CSV_ROWS + 1);
    // the 序号 cell of line k (1-based) is the digits at the start of the line
    const serialOf = (line: number) => {
      const a = starts[line - 1]!;
      let b = a;
      while (bytes[b]! >= 0x30 && bytes[b]! <= 0x39) b++;
      return { at: a, length: b - a };
    };

    // ~27 MB: the first data row is yielded before 1 MiB (< 5 %) of it has been read
    expect(AHEAD / size).toBeLessThan(0.05);

    const fd = fs.openSync(file, 'r+');
    const marked = new Map<number, string>();
    const wrong: string[] = [];
    let checks = 0;
    let nextCheck = 2;
    let yielded = 0;
    try {
      const { format, rows } = await openRows(file, '花名册.csv');
      expect(format).toBe('csv');
      for await (const row of rows) {
        yielded++;
        if (row.rowNo !== yielded) wrong.push(`row ${yielded} came as ${row.rowNo}`);
        const mark = marked.get(row.rowNo);
        // a marked row was changed on disk when the reader yielded a row AHEAD bytes before it
        const want = mark ?? (row.rowNo === 1 ? '序号' : String(row.rowNo - 1));
        if (row.cells[0] !== want) wrong.push(`row ${row.rowNo}: 序号 ${row.cells[0]}, expected ${want}`);
        marked.delete(row.rowNo);
        if (row.rowNo === nextCheck) {
          // change the 序号 of the first line starting AHEAD bytes or more after this row ends
          const end = row.rowNo < starts.length ? starts[row.rowNo]! : size;
          let line = row.rowNo + 1;
          while (line <= starts.length && starts[line - 1]! < end + AHEAD) line++;
          if (line <= starts.length) {
            const { at, length } = serialOf(line);
            const text = '#'.repeat(length);
            fs.writeSync(fd, Buffer.from(text, 'latin1'), 0, length, at);
            marked.set(line, text);
            checks++;
          }
          // the first data row, then every 2 % of the rows
          nextCheck = row.rowNo === 2 ? Math.ceil(CSV_ROWS / 50) : nextCheck + Math.ceil(CSV_ROWS / 50);
        }
      }
    } finally {
      fs.closeSync(fd);
    }
    expect(wrong.length, wrong.slice(0, 5).join('; ')).toBe(0);
    expect(yielded).toBe(CSV_ROWS + 1);
    // every change was seen, and the changes spanned the file
    expect(marked.size).toBe(0);
    expect(checks).toBeGreaterThanOrEqual(45);
  }, 60_000);

  it(`.xlsx (${XLSX_ROWS} rows): the sheet is read from disk as its rows are yielded`, async () => {
    const file = path.join(dir, 'roster.xlsx');
    await writeXlsx(file, { header: STANDARD_HEADER, rows: standardRows(XLSX_ROWS) });
    const original = fs.readFileSync(file);
    const sheet = zipEntry(original, 'xl/worksheets/sheet1.xml');
    const compressed = original.subarray(sheet.dataStart, sheet.dataStart + sheet.compressedSize);
    // the rows complete in the first n bytes of the sheet's deflated data
    const rowsWithin = (n: number) => {
      const xml = zlib.inflateRawSync(compressed.subarray(0, n), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
      let count = 0;
      for (let i = xml.indexOf('</row>'); i >= 0; i = xml.indexOf('</row>', i + 6)) count++;
      return count;
    };
    expect(rowsWithin(sheet.compressedSize)).toBe(XLSX_ROWS + 1);

    // The sheet is deflated, so it cannot be changed in place: the file is cut short instead, AHEAD
    // bytes of the sheet after the row just yielded (at the first data row, in the middle and near
    // the end of the sheet; the shared strings, read whole before the sheet by design, sit after it
    // in exceljs's zip and go too). A streaming reader then runs into the cut and fails, having
    // yielded no row beyond it; a reader that already held the sheet yields every row.
    for (const at of [0, 0.5, 0.9]) {
      const cut = Math.max(AHEAD + 1, Math.round(sheet.compressedSize * at));
      const checkRow = Math.max(2, rowsWithin(cut - AHEAD));
      const lastPossible = rowsWithin(cut);
      fs.writeFileSync(file, original);
      let lastRowNo = 0;
      let error: unknown;
      const wrong: string[] = [];
      try {
        const { rows } = await openRows(file, '花名册.xlsx');
        for await (const row of rows) {
          if (row.rowNo !== lastRowNo + 1 || row.cells[0] !== (row.rowNo === 1 ? '序号' : String(row.rowNo - 1))) wrong.push(`row ${row.rowNo}: ${row.cells[0]}`);
          lastRowNo = row.rowNo;
          if (row.rowNo === checkRow) fs.truncateSync(file, sheet.dataStart + cut);
        }
      } catch (err) {
        error = err;
      }
      expect(wrong.length, `cut at ${at}: ${wrong.slice(0, 5).join('; ')}`).toBe(0);
      expect(error, `cut at ${at}: the reader ran into the cut`).toBeInstanceOf(FileReadError);
      expect(lastRowNo, `cut at ${at}: rows yielded`).toBeGreaterThanOrEqual(checkRow);
      expect(lastRowNo, `cut at ${at}: no row beyond the cut (${lastPossible} rows complete before it)`).toBeLessThanOrEqual(lastPossible);
    }
  }, 120_000);
});

/** Where an entry's compressed bytes lie in a zip (central directory, no zip64: small files). */
function zipEntry(buf: Buffer, name: string): { dataStart: number; compressedSize: number } {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('no zip directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let k = 0; k < count; k++) {
    const nameLen = buf.readUInt16LE(p + 28);
    const entryName = buf.toString('utf8', p + 46, p + 46 + nameLen);
    if (entryName === name) {
      const local = buf.readUInt32LE(p + 42);
      return {
        dataStart: local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28),
        compressedSize: buf.readUInt32LE(p + 20),
      };
    }
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  throw new Error(`${name} not in the zip`);
}
