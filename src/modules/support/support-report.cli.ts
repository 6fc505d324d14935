// `bangfu report coverage [--school-year 2026-2027] --format json|csv|xlsx [--out <file>]`
// `bangfu report compliance --period 2026-2027-1 --format json|csv|xlsx [--out <file>]`
// County-wide, as the bureau (region scope), through the same services as GET /api/support/coverage
// and /api/support/compliance: the same numbers. CSV and JSON go to stdout unless --out is given;
// xlsx goes to --out, or to coverage-<school year>.xlsx / compliance-<period>.xlsx.
import { createContext } from '../../server/bootstrap.js';
import type { AppContext } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import type { Caller } from '../../server/http.js';
import { failReport, REPORT_FORMATS, writeReport, type ReportFormat } from '../../lib/report-output.js';
import { compileScope } from '../scope/scope.js';
import type { SessionUser } from '../auth/auth.service.js';
import { complianceBytes, coverageBytes } from './support-report.js';
import { compliance, coverageRows } from './support-report.service.js';
import { semesterString } from './support.schemas.js';
import { schoolYearString } from '../pairings/pairings.schemas.js';
import { currentSchoolYear } from './support.service.js';

const CLI_USER = { id: 0, username: 'cli', displayName: '命令行报表', role: 'bureau_admin', schoolId: null, teacherId: null } as const;
/** The bureau, read-only use: the reports change nothing. */
export const CLI_CALLER: Caller = {
  user: { ...CLI_USER, mustChangePassword: false, csrfToken: '', sessionId: '', locale: 'zh-CN' } as SessionUser,
  scope: compileScope({ ...CLI_USER }),
  actor: { userId: null, name: CLI_USER.displayName },
};

export async function coverageReport(ctx: AppContext, format: ReportFormat, schoolYear?: string): Promise<Buffer> {
  const year = schoolYear ?? currentSchoolYear();
  return coverageBytes(await coverageRows(ctx, CLI_CALLER, { schoolYear: year }), format, year);
}

export async function complianceReport(ctx: AppContext, format: ReportFormat, period?: string): Promise<Buffer> {
  const r = await compliance(ctx, CLI_CALLER, period ? { period } : {});
  return complianceBytes(r.rows, format, r.period, r.asOf);
}

function checkFormat(format: string): format is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(format);
}

async function run(make: (ctx: AppContext) => Promise<Buffer>, format: ReportFormat, out: string | undefined, defaultName: string) {
  const ctx = await createContext();
  try {
    await writeReport(await make(ctx), format, out, defaultName);
  } catch (err) {
    failReport(err instanceof AppError ? err.message : `生成报表失败：${(err as Error).message}`, 1);
  } finally {
    await ctx.database.close();
  }
}

export async function reportCoverageCommand(opts: { format?: string; schoolYear?: string; out?: string }): Promise<void> {
  const format = opts.format ?? 'csv';
  if (!checkFormat(format)) return failReport(`--format 只能是 csv、json 或 xlsx：${format}`, 2);
  if (opts.schoolYear && !schoolYearString.safeParse(opts.schoolYear).success) return failReport(`--school-year 格式应为 2026-2027：${opts.schoolYear}`, 2);
  const year = opts.schoolYear ?? currentSchoolYear();
  await run((ctx) => coverageReport(ctx, format, year), format, opts.out, `coverage-${year}.xlsx`);
}

export async function reportComplianceCommand(opts: { format?: string; period?: string; out?: string }): Promise<void> {
  const format = opts.format ?? 'csv';
  if (!checkFormat(format)) return failReport(`--format 只能是 csv、json 或 xlsx：${format}`, 2);
  if (opts.period && !semesterString.safeParse(opts.period).success) return failReport(`--period 格式应为 2026-2027-1（学年-学期）：${opts.period}`, 2);
  await run((ctx) => complianceReport(ctx, format, opts.period), format, opts.out, `compliance-${opts.period ?? 'current'}.xlsx`);
}
