// What the demo's roster and score files share: CSV written as a stream in the encoding a school's
// Excel or WPS saves (GBK, UTF-8 with or without BOM), and title rows above the header in .xlsx.
import fs from 'node:fs';
import { once } from 'node:events';
import type ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { csvValue } from '../../lib/csv.js';

/** UTF-8 without BOM, UTF-8 with BOM (Excel's "CSV UTF-8"), GBK (Excel's and WPS's default CSV), or .xlsx */
export type SheetFileFormat = 'csv-utf8' | 'csv-utf8-bom' | 'csv-gbk' | 'xlsx';

/**
 * Writes a CSV file: each title row in its first cell (padded with commas to the header's width),
 * the header, then `lineOf(row)` per row; \r\n line ends. Streams in 64 KB chunks.
 */
export async function writeCsvSheet<R>(
  filePath: string,
  format: Exclude<SheetFileFormat, 'xlsx'>,
  titles: readonly string[],
  header: readonly string[],
  rows: Iterable<R> | AsyncIterable<R>,
  lineOf: (row: R) => string,
): Promise<{ rows: number; bytes: number }> {
  const out = fs.createWriteStream(filePath);
  const closed = once(out, 'close');
  let bytes = 0;
  let count = 0;
  const write = async (text: string) => {
    const buf = format === 'csv-gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');
    bytes += buf.length;
    if (!out.write(buf)) await once(out, 'drain');
  };
  let chunk = format === 'csv-utf8-bom' ? '\uFEFF' : '';
  for (const title of titles) chunk += csvValue(title) + ','.repeat(header.length - 1) + '\r\n';
  chunk += header.map(csvValue).join(',') + '\r\n';
  for await (const r of rows) {
    chunk += lineOf(r) + '\r\n';
    count++;
    if (chunk.length >= 64 * 1024) {
      await write(chunk);
      chunk = '';
    }
  }
  if (chunk) await write(chunk);
  out.end();
  await closed;
  return { rows: count, bytes };
}

/** Title rows above the header of a streamed worksheet, each merged across the `width` columns. */
export function addTitleRows(ws: ExcelJS.Worksheet, titles: readonly string[], width: number, fontOf: (i: number) => Partial<ExcelJS.Font>): void {
  titles.forEach((title, i) => {
    const row = ws.getRow(i + 1);
    row.getCell(1).value = title;
    row.font = fontOf(i);
    ws.mergeCells(i + 1, 1, i + 1, width);
    row.commit();
  });
}
