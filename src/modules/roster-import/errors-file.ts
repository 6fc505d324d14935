// The spreadsheet of rejected rows: row number, reason, then the row as it was in the file,
// so the user can fix it there and import again. Written with exceljs's streaming writer.
import fs from 'node:fs';
import path from 'node:path';

export interface RejectedRow {
  rowNo: number;
  reason: string;
  cells: string[];
}

/** Writes the rejected rows (already in row order) to `file`; returns how many were written. */
export async function writeErrorsFile(file: string, headerCells: string[], rows: AsyncIterable<RejectedRow>): Promise<number> {
  // loaded only when there is something to report (~19 MB)
  const { default: ExcelJS } = await import('exceljs');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.part`;
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: tmp, useSharedStrings: false, useStyles: true });
  const ws = wb.addWorksheet('未导入的行', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [{ width: 8 }, { width: 60 }, ...headerCells.map((h) => ({ width: Math.min(40, Math.max(10, h.length * 2 + 4)) }))];
  const head = ws.addRow(['行号', '错误原因', ...headerCells]);
  head.font = { bold: true };
  head.commit();
  let n = 0;
  for await (const r of rows) {
    // every original cell stays text, so long numbers (ID numbers) are not mangled again
    const row = ws.addRow([r.rowNo, r.reason, ...r.cells.map((c) => String(c ?? ''))]);
    row.getCell(2).font = { color: { argb: 'FFC00000' } };
    row.commit();
    n++;
  }
  ws.commit();
  await wb.commit();
  fs.renameSync(tmp, file);
  return n;
}
