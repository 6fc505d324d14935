// Roster files as schools send them (the columns of a 学籍系统 export), built from the demo
// county: for importer tests and the roster benchmark. Streaming, so 200,000 rows never
// sit in memory as one string or one workbook.
import fs from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { ETHNICITIES, GRADE_NAMES, SEX_LABELS, className } from '../../shared/registry.js';
import { generateStudents, planCounty, type DemoOptions } from './generator.js';

export const ROSTER_COLUMNS = ['学校标识码', '学校名称', '年级', '班级', '姓名', '性别', '身份证号', '全国学籍号', '出生日期', '民族', '家庭住址', '监护人', '联系电话'] as const;
export type RosterColumn = (typeof ROSTER_COLUMNS)[number];
export type RosterRow = Record<RosterColumn, string>;

/** UTF-8 without BOM, UTF-8 with BOM (Excel's "CSV UTF-8"), GBK (Excel's and WPS's default CSV), or .xlsx */
export type RosterFormat = 'csv-utf8' | 'csv-utf8-bom' | 'csv-gbk' | 'xlsx';

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

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
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
    titles.forEach((title, i) => {
      const row = ws.getRow(i + 1);
      row.getCell(1).value = title;
      row.font = { bold: true, size: 14 };
      ws.mergeCells(i + 1, 1, i + 1, ROSTER_COLUMNS.length);
      row.commit();
    });
    ws.addRow([...ROSTER_COLUMNS]).commit();
    for await (const r of rows) {
      ws.addRow(ROSTER_COLUMNS.map((c) => r[c])).commit();
      count++;
    }
    ws.commit();
    await wb.commit();
    return { rows: count, bytes: fs.statSync(filePath).size };
  }

  const out = fs.createWriteStream(filePath);
  const closed = once(out, 'close');
  let bytes = 0;
  const write = async (text: string) => {
    const buf = format === 'csv-gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');
    bytes += buf.length;
    if (!out.write(buf)) await once(out, 'drain');
  };
  let chunk = format === 'csv-utf8-bom' ? '\uFEFF' : '';
  for (const title of titles) chunk += csvField(title) + ','.repeat(ROSTER_COLUMNS.length - 1) + '\r\n';
  chunk += ROSTER_COLUMNS.join(',') + '\r\n';
  for await (const r of rows) {
    chunk += ROSTER_COLUMNS.map((c) => csvField(r[c])).join(',') + '\r\n';
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
