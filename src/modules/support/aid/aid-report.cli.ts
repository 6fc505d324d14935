// `bangfu report aid [--school-year 2026-2027] --format json|csv|xlsx [--out <file>]`: the county's aid
// summary per school and item, as the bureau (region scope), through the service behind
// GET /api/support/aid/summary. CSV and JSON to stdout unless --out; xlsx to --out or aid-<year>.xlsx.
import { createContext } from '../../../server/bootstrap.js';
import { AppError } from '../../../server/errors.js';
import { failReport, REPORT_FORMATS, writeReport, type ReportFormat } from '../../../lib/report-output.js';
import { schoolYearString } from '../../pairings/pairings.schemas.js';
import { CLI_CALLER } from '../support-report.cli.js';
import { currentSchoolYear } from '../support.service.js';
import { aidReportBytes } from './aid-report.js';
import { aidSummary } from './aid.service.js';

export async function reportAidCommand(opts: { format?: string; schoolYear?: string; out?: string }): Promise<void> {
  const format = opts.format ?? 'csv';
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) return failReport(`--format 只能是 csv、json 或 xlsx：${format}`, 2);
  if (opts.schoolYear && !schoolYearString.safeParse(opts.schoolYear).success) return failReport(`--school-year 格式应为 2026-2027：${opts.schoolYear}`, 2);
  const year = opts.schoolYear ?? currentSchoolYear();
  const ctx = await createContext();
  try {
    const bytes = await aidReportBytes(await aidSummary(ctx, CLI_CALLER, { schoolYear: year }), format as ReportFormat);
    await writeReport(bytes, format as ReportFormat, opts.out, `aid-${year}.xlsx`);
  } catch (err) {
    failReport(err instanceof AppError ? err.message : `生成报表失败：${(err as Error).message}`, 1);
  } finally {
    await ctx.database.close();
  }
}
