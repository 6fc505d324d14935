// Score sheets as schools and bureaus pass them around: the wide layout (one row per student,
// a column per subject) under one or two title rows, as .xlsx (exceljs's streaming writer)
// or CSV in UTF-8 with BOM (Excel's "CSV UTF-8"), UTF-8 without BOM, or GBK (what Chinese
// Excel and WPS save by default). Streaming: 300,000 rows never sit in memory as one string.
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { csvValue } from '../../lib/csv.js';
import type { ExamCell, ExamRow } from './exam-scores.js';
import { addTitleRows, writeCsvSheet, type SheetFileFormat } from './sheet-file.js';

export const EXAM_IDENTITY_COLUMNS = ['学籍号', '姓名', '学校标识码', '学校名称', '班级'] as const;

export type ExamFileFormat = SheetFileFormat;

/** How an absence is written, in turn: mostly 缺考, sometimes 缺, a dash or an empty cell (all mean absent). */
export const ABSENT_MARKS = ['缺考', '缺考', '缺考', '缺', '-', ''] as const;

export interface ExamFileOptions {
  /** above the header, e.g. 2026-2027学年第一学期九年级期中全县统考成绩表 (merged across the columns in .xlsx) */
  titleRows?: string[];
  /** how absences are written, used in turn (default ABSENT_MARKS) */
  absentMarks?: readonly string[];
  sheetName?: string;
}

/**
 * Writes `rows` to `filePath`: the identity columns (学籍号, 姓名, 学校标识码, 学校名称, 班级),
 * then one column per subject in `subjects` order. Returns the rows written and the file's size.
 */
export async function writeExamFile(
  filePath: string,
  rows: Iterable<ExamRow> | AsyncIterable<ExamRow>,
  subjects: readonly (string | { name: string })[],
  format: ExamFileFormat,
  opts: ExamFileOptions = {},
): Promise<{ rows: number; bytes: number }> {
  const names = subjects.map((s) => (typeof s === 'string' ? s : s.name));
  const header = [...EXAM_IDENTITY_COLUMNS, ...names];
  const titles = opts.titleRows ?? [];
  const marks = opts.absentMarks?.length ? opts.absentMarks : ABSENT_MARKS;
  let absences = 0;
  const absentText = () => marks[absences++ % marks.length]!;
  let count = 0;

  if (format === 'xlsx') {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: filePath, useStyles: true, useSharedStrings: false });
    const ws = wb.addWorksheet(opts.sheetName ?? '成绩');
    // 学籍号 and 学校标识码 as text, as a careful office sets them; scores stay numbers
    ws.columns = header.map((c, i) => ({
      key: c,
      width: c === '学籍号' ? 22 : c === '学校名称' ? 24 : c === '学校标识码' ? 13 : i < EXAM_IDENTITY_COLUMNS.length ? 12 : 8,
      ...(c === '学籍号' || c === '学校标识码' ? { style: { numFmt: '@' } } : {}),
    }));
    addTitleRows(ws, titles, header.length, (i) => (i === 0 ? { bold: true, size: 14 } : { size: 10 }));
    ws.addRow(header).commit();
    for await (const r of rows) {
      const cells: (string | number)[] = [r.studentNo, r.name, r.schoolCode, r.schoolName, r.className];
      for (const v of r.scores) cells.push(v === null ? absentText() : v);
      ws.addRow(cells).commit();
      count++;
    }
    ws.commit();
    await wb.commit();
    return { rows: count, bytes: fs.statSync(filePath).size };
  }

  const cellText = (v: ExamCell) => (v === null ? absentText() : typeof v === 'number' ? String(v) : csvValue(v));
  return writeCsvSheet(filePath, format, titles, header, rows, (r) => {
    let line = `${r.studentNo},${csvValue(r.name)},${r.schoolCode},${csvValue(r.schoolName)},${csvValue(r.className)}`;
    for (const v of r.scores) line += ',' + cellText(v);
    return line;
  });
}
