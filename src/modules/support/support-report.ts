// The coverage and compliance reports as CSV, JSON and .xlsx (the shared writers in
// src/lib/report-output.ts). JSON is an array of row objects; CSV has the same field names as
// header, in this order:
//   coverage    school,schoolName,category,confirmed,withTeacher,withoutTeacher
//   compliance  school,schoolName,teacher,teacherName,rule,ruleLabel,required,done,status,teachers,onTrack,behind,short
// school = 学校标识码; category = a SUPPORT_CATEGORIES key or 'all'; teacher = teachers.id ('' on a
// school's row); rule = the quota id; status = on_track / behind / short.
import { toCsv, toJson, toXlsx, type ReportFormat } from '../../lib/report-output.js';
import { SUPPORT_CATEGORY_LABELS, type ComplianceRow, type CoverageRow, type SupportCategory } from './support.schemas.js';

export const COVERAGE_HEADER = ['school', 'schoolName', 'category', 'confirmed', 'withTeacher', 'withoutTeacher'] as const;
export const COMPLIANCE_HEADER = ['school', 'schoolName', 'teacher', 'teacherName', 'rule', 'ruleLabel', 'required', 'done', 'status', 'teachers', 'onTrack', 'behind', 'short'] as const;

const STATUS_ZH: Record<string, string> = { on_track: '进度正常', behind: '进度落后', short: '已无法完成' };
const categoryZh = (v: unknown) => (v === 'all' ? '合计（去重）' : (SUPPORT_CATEGORY_LABELS[v as SupportCategory] ?? String(v)));

export async function coverageBytes(rows: readonly CoverageRow[], format: ReportFormat, schoolYear: string): Promise<Buffer> {
  if (format === 'json') return Buffer.from(toJson(rows), 'utf8');
  if (format === 'csv') return Buffer.from(toCsv(COVERAGE_HEADER, rows), 'utf8');
  return toXlsx([{
    name: '帮扶覆盖',
    title: `${schoolYear} 学年帮扶对象覆盖情况（已确认的帮扶对象中有、无帮扶教师的人数）`,
    columns: [
      { key: 'school', header: '学校标识码', width: 14 },
      { key: 'schoolName', header: '学校', width: 24 },
      { key: 'category', header: '类别', width: 16, format: categoryZh },
      { key: 'confirmed', header: '已确认人数' },
      { key: 'withTeacher', header: '有帮扶教师' },
      { key: 'withoutTeacher', header: '无帮扶教师' },
    ],
    rows,
  }]);
}

export async function complianceBytes(rows: readonly ComplianceRow[], format: ReportFormat, period: string, asOf: string): Promise<Buffer> {
  if (format === 'json') return Buffer.from(toJson(rows), 'utf8');
  if (format === 'csv') return Buffer.from(toCsv(COMPLIANCE_HEADER, rows), 'utf8');
  const columns = [
    { key: 'school', header: '学校标识码', width: 14 },
    { key: 'schoolName', header: '学校', width: 24 },
    { key: 'teacherName', header: '教师', width: 12, format: (v: unknown) => (v === '' ? '全校' : String(v)) },
    { key: 'ruleLabel', header: '配额规则', width: 30 },
    { key: 'required', header: '应完成' },
    { key: 'done', header: '已完成' },
    { key: 'status', header: '状态', format: (v: unknown) => STATUS_ZH[String(v)] ?? String(v) },
    { key: 'teachers', header: '教师数' },
    { key: 'onTrack', header: '进度正常' },
    { key: 'behind', header: '进度落后' },
    { key: 'short', header: '已无法完成' },
  ];
  const title = `${period} 学期师生结对配额完成情况（截至 ${asOf}）`;
  return toXlsx([
    { name: '按教师', title, columns, rows: rows.filter((r) => r.teacher !== '') },
    { name: '按学校', title, columns: columns.filter((c) => c.key !== 'teacherName'), rows: rows.filter((r) => r.teacher === '') },
  ]);
}
