// `bangfu report bottom20 --exam <examId> --by school|class|teacher [--format csv|json|xlsx] [--out <file>]`
// The county report from the stored analysis, run as the bureau (region scope). CSV and JSON
// go to stdout unless --out is given; xlsx is written to --out, or to
// bottom20-<examId>-<by>.xlsx in the current folder, and the path is printed.
// Headers and row order: see exam-report.ts.
import { createContext } from '../../server/bootstrap.js';
import type { AppContext } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import { compileScope } from '../scope/scope.js';
import type { UnitLevelName } from './exam-analysis.schemas.js';
import { loadReport } from './exam-analysis.service.js';
import { reportCsv, reportRows, reportXlsx } from './exam-report.js';
import { failReport as fail, toJson, writeReport, type ReportFormat } from '../../lib/report-output.js';

export type { ReportFormat };

const BUREAU = compileScope({ id: 0, username: 'cli', displayName: '命令行报表', role: 'bureau_admin', schoolId: null, teacherId: null });

/** The report's bytes (CSV/JSON as UTF-8 text, xlsx as a workbook), county-wide. */
export async function bottom20Report(ctx: AppContext, examId: string, by: UnitLevelName, format: ReportFormat): Promise<Buffer> {
  const report = await loadReport(ctx, BUREAU, examId, by);
  if (format === 'xlsx') return reportXlsx(by, report.exam.name, report.subjects, report.rows);
  const rows = reportRows(by, report.rows, report.cuts);
  return Buffer.from(format === 'csv' ? reportCsv(by, rows) : toJson(rows), 'utf8');
}

export async function reportBottom20Command(opts: { exam?: string; by?: string; format?: string; out?: string }): Promise<void> {
  const by = (opts.by ?? 'school') as UnitLevelName;
  const format = (opts.format ?? 'csv') as ReportFormat;
  if (!opts.exam) return fail('请用 --exam 指定考试编号', 2);
  if (!['school', 'class', 'teacher'].includes(by)) return fail(`--by 只能是 school、class 或 teacher：${by}`, 2);
  if (!['csv', 'json', 'xlsx'].includes(format)) return fail(`--format 只能是 csv、json 或 xlsx：${format}`, 2);
  const ctx = await createContext();
  try {
    const bytes = await bottom20Report(ctx, opts.exam, by, format);
    await writeReport(bytes, format, opts.out, `bottom20-${opts.exam}-${by}.xlsx`);
  } catch (err) {
    fail(err instanceof AppError ? err.message : `生成报表失败：${(err as Error).message}`, 1);
  } finally {
    await ctx.database.close();
  }
}
