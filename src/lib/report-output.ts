// Report output shared by the CLI reports and the export endpoints: CSV text, a simple .xlsx of
// row objects, and "stdout or file" for the `bangfu report …` commands. Used by
// `report bottom20` (src/modules/exams/exam-report*.ts) and `report coverage|compliance`
// (src/modules/support/support-report*.ts).
import fs from 'node:fs';
import path from 'node:path';
import { csvValue } from './csv.js';

export type ReportFormat = 'csv' | 'json' | 'xlsx';
export const REPORT_FORMATS: readonly ReportFormat[] = ['csv', 'json', 'xlsx'];

/** One report row: the CSV fields by name (JSON uses the same names and typed values). */
export type ReportRow = Record<string, string | number | boolean | null>;

export { csvValue };

/** The CSV text: header, one line per row in header order, \n line ends, no BOM. */
export function toCsv(header: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const lines = [header.join(',')];
  for (const r of rows) lines.push(header.map((h) => csvValue((r[h] ?? null) as string | number | null)).join(','));
  return lines.join('\n') + '\n';
}

/** JSON text of the rows: an array of row objects, two-space indented, with a final newline. */
export const toJson = (rows: readonly unknown[]): string => JSON.stringify(rows, null, 2) + '\n';

export interface SheetColumn {
  key: string;
  /** the Chinese column header */
  header: string;
  width?: number;
  /** Excel number format, e.g. '0.00%' */
  numFmt?: string;
  /** a cell's display value (e.g. a status label); default the row's value */
  format?: (value: unknown, row: Record<string, unknown>) => string | number | null;
}

export interface Sheet {
  name: string;
  /** a bold first line above the header */
  title?: string;
  columns: readonly SheetColumn[];
  rows: readonly Record<string, unknown>[];
}

/** A workbook of simple sheets: an optional title line, a bold header row, one row per object; header frozen. */
export async function toXlsx(sheets: readonly Sheet[]): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  for (const sheet of sheets) {
    const frozen = sheet.title ? 2 : 1;
    const ws = wb.addWorksheet(sheet.name.replace(/[*?:\\/[\]]/g, '_').slice(0, 31) || 'Sheet', { views: [{ state: 'frozen', ySplit: frozen }] });
    if (sheet.title) ws.addRow([sheet.title]).font = { bold: true };
    ws.addRow(sheet.columns.map((c) => c.header)).font = { bold: true };
    for (const r of sheet.rows) {
      const row = ws.addRow(sheet.columns.map((c) => {
        const v = c.format ? c.format(r[c.key], r) : r[c.key];
        return v === undefined || v === null ? '' : (v as string | number);
      }));
      sheet.columns.forEach((c, i) => {
        if (c.numFmt) row.getCell(i + 1).numFmt = c.numFmt;
      });
    }
    sheet.columns.forEach((c, i) => {
      ws.getColumn(i + 1).width = c.width ?? 12;
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * Writes a CLI report: to `out` if given (the path goes to stderr); an xlsx without `out` to
 * `defaultXlsxName` in the current folder (its path printed on stdout); CSV and JSON otherwise to stdout.
 */
export async function writeReport(bytes: Buffer, format: ReportFormat, out: string | undefined, defaultXlsxName: string): Promise<void> {
  const target = out ?? (format === 'xlsx' ? defaultXlsxName : null);
  if (target) {
    const file = path.resolve(target);
    fs.writeFileSync(file, bytes);
    process.stderr.write(`已写入：${file}\n`);
    if (format === 'xlsx' && !out) process.stdout.write(file + '\n');
    return;
  }
  await new Promise<void>((resolve, reject) => process.stdout.write(bytes, (err) => (err ? reject(err) : resolve())));
}

/** A CLI failure: the message on stderr, the exit code set (the process ends normally, closing the database). */
export function failReport(message: string, code: number): void {
  process.stderr.write(message + '\n');
  process.exitCode = code;
}
