// Roster files as schools send them (the columns of a 学籍系统 export), built from the demo
// county: for importer tests and the roster benchmark. Streaming, so 200,000 rows never
// sit in memory as one string or one workbook.
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { csvValue } from '../../lib/csv.js';
import { ETHNICITIES, GRADE_NAMES, SEX_LABELS, className } from '../../shared/registry.js';
import { generateStudents, planCounty, type DemoOptions } from './generator.js';
import { addTitleRows, writeCsvSheet, type SheetFileFormat } from './sheet-file.js';

export const ROSTER_COLUMNS = ['学校标识码', '学校名称', '年级', '班级', '姓名', '性别', '身份证号', '全国学籍号', '出生日期', '民族', '家庭住址', '监护人', '联系电话'] as const;
export type RosterColumn = (typeof ROSTER_COLUMNS)[number];
export type RosterRow = Record<RosterColumn, string>;

export type RosterFormat = SheetFileFormat;

/** The demo county's students as roster rows, class by class (lazy). */
export function* demoRosterRows(opts: DemoOptions): Generator<RosterRow> {
  const plan = planCounty(opts);
  for (const s of generateStudents(plan)) {
    const school = plan.schools[s.schoolIndex]!;
    const cls = plan.classes[s.classIndex]!;
    const guardian = s.guardians[0];
    yield {
      学校标识码: school.code,
      学校名称: school.name,
      年级: GRADE_NAMES[cls.grade] ?? `${cls.grade}年级`,
      班级: className(cls.grade, cls.classNo),
      姓名: s.name,
      性别: SEX_LABELS[s.sex] ?? '',
      身份证号: s.idNumber,
      全国学籍号: s.studentNo,
      出生日期: s.birthDate,
      民族: ETHNICITIES[s.ethnicity] ?? '',
      家庭住址: s.address,
      监护人: guardian?.name ?? '',
      联系电话: guardian?.phone ?? '',
    };
  }
}

/**
 * Writes `rows` to `filePath` in `format`. `titleRows` go above the header, as schools put
 * a title such as "示范县第一中学2026年秋季学生花名册" there (merged across the columns in .xlsx).
 */
export async function writeRosterFile(
  filePath: string,
  rows: Iterable<RosterRow> | AsyncIterable<RosterRow>,
  format: RosterFormat,
  opts: { titleRows?: string[] } = {},
): Promise<{ rows: number; bytes: number }> {
  const titles = opts.titleRows ?? [];
  let count = 0;
  if (format === 'xlsx') {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: filePath, useStyles: true, useSharedStrings: false });
    const ws = wb.addWorksheet('花名册');
    // ID-like columns are text, as a careful school sets them (otherwise Excel turns them into floats)
    ws.columns = ROSTER_COLUMNS.map((c) => ({ key: c, width: c === '家庭住址' ? 36 : c === '身份证号' || c === '全国学籍号' ? 22 : 12, style: { numFmt: '@' } }));
    addTitleRows(ws, titles, ROSTER_COLUMNS.length, () => ({ bold: true, size: 14 }));
    ws.addRow([...ROSTER_COLUMNS]).commit();
    for await (const r of rows) {
      ws.addRow(ROSTER_COLUMNS.map((c) => r[c])).commit();
      count++;
    }
    ws.commit();
    await wb.commit();
    return { rows: count, bytes: fs.statSync(filePath).size };
  }

  return writeCsvSheet(filePath, format, titles, ROSTER_COLUMNS, rows, (r) => ROSTER_COLUMNS.map((c) => csvValue(r[c])).join(','));
}
