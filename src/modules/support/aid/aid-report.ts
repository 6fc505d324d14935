// The aid summary (资助汇总) as a report: per school and item, the students aided, the grants and the
// amount (yuan with fen, and fen) of a school year. CSV / JSON / xlsx through src/lib/report-output.ts;
// the same numbers as GET /api/support/aid/summary.
import { toCsv, toJson, toXlsx, type ReportFormat } from '../../../lib/report-output.js';
import type { AidSummaryView } from './aid.schemas.js';
import { fenToYuanText } from './money.js';

const COLUMNS = [
  { key: 'schoolYear', header: '学年', width: 11 },
  { key: 'schoolName', header: '学校', width: 22 },
  { key: 'itemKey', header: '项目代码', width: 16 },
  { key: 'itemLabel', header: '资助项目', width: 40 },
  { key: 'students', header: '受助学生', width: 10 },
  { key: 'grants', header: '笔数', width: 8 },
  { key: 'amountYuan', header: '金额（元）', width: 14, numFmt: '#,##0.00' },
  { key: 'totalFen', header: '金额（分）', width: 14 },
] as const;

export function aidReportRows(s: AidSummaryView) {
  return s.rows.map((r) => ({
    schoolYear: s.schoolYear, schoolName: r.schoolName, itemKey: r.itemKey, itemLabel: r.itemLabel,
    students: r.students, grants: r.grants, amountYuan: Number(fenToYuanText(r.totalFen).replace(/,/g, '')), totalFen: r.totalFen,
  }));
}

export async function aidReportBytes(s: AidSummaryView, format: ReportFormat): Promise<Buffer> {
  const rows = aidReportRows(s);
  if (format === 'json') return Buffer.from(toJson(rows));
  if (format === 'csv') return Buffer.from(toCsv(COLUMNS.map((c) => c.key), rows));
  return toXlsx([{ name: `资助汇总 ${s.schoolYear}`, title: `资助汇总 ${s.schoolYear}：${s.students} 名学生，${fenToYuanText(s.totalFen)} 元`, columns: COLUMNS, rows }]);
}
