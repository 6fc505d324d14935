// Coverage (who on the list has a teacher), compliance (the engine's quota standing per teacher
// and school for a semester), the monthly check queue of 教导处, and the teacher/student
// cross-check. The API and the CLI (`bangfu report coverage|compliance`) call the same functions,
// so they give the same numbers.
import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { AppContext } from '../../server/context.js';
import { AppError, badRequest, notFound } from '../../server/errors.js';
import type { Caller } from '../../server/http.js';
import { reviewActivity } from '../pairings/activities.service.js';
import * as pairingsRepo from '../pairings/pairings.repo.js';
import { today } from '../pairings/pairings.service.js';
import { loadCalendar } from '../pairings/programmes.service.js';
import { evaluateStandings } from '../pairings/standing.service.js';
import { complianceRows, worseStatus, type ReportStatus } from './compliance.js';
import { crossCheck } from './cross-check.js';
import { SUPPORT_CATEGORIES, type bulkReviewBody, type ComplianceRow, type CoverageRow } from './support.schemas.js';
import { assertCheckViewer, assertManager, currentSchoolYear, schoolFor, semesterKeyOn } from './support.service.js';
import * as repo from './support.repo.js';

/**
 * Per school (every school in scope) and category, then 'all' (distinct students): cases of the
 * school year on the list (confirmed / active / reviewed), how many have a responsible teacher now
 * (a proposed or active 师生结对 pairing), how many do not. Schools by code, categories in order.
 */
export async function coverageRows(ctx: AppContext, c: Pick<Caller, 'scope'>, f: { schoolYear?: string; schoolId?: number }): Promise<CoverageRow[]> {
  const schoolYear = f.schoolYear ?? currentSchoolYear();
  const schoolCond: SQL[] = [c.scope.schools('sc')];
  const caseCond: SQL[] = [c.scope.supportCases('x')];
  if (f.schoolId) {
    schoolCond.push(sql`sc.id = ${f.schoolId}`);
    caseCond.push(sql`x.school_id = ${f.schoolId}`);
  }
  const schools = await repo.schoolsWhere(ctx.db, sql.join(schoolCond, sql` AND `));
  const facts = await repo.coverageFacts(ctx.db, schoolYear, sql.join(caseCond, sql` AND `), today());
  const rows: CoverageRow[] = [];
  for (const s of schools) {
    const mine = facts.filter((x) => x.schoolId === s.id);
    for (const category of [...SUPPORT_CATEGORIES, 'all'] as const) {
      const list = category === 'all' ? mine : mine.filter((x) => x.categories.includes(category));
      const withTeacher = list.filter((x) => x.covered).length;
      rows.push({ school: s.code, schoolName: s.name, category, confirmed: list.length, withTeacher, withoutTeacher: list.length - withTeacher });
    }
  }
  return rows;
}

function parseSemester(key: string): { schoolYear: string; term: 1 | 2 } {
  return { schoolYear: key.slice(0, 9), term: key.endsWith('-2') ? 2 : 1 };
}

/**
 * Per teacher and rule, then per school and rule, for a semester (default: the current one): the
 * 师生结对 pairings' standing from the engine on asOf = today, kept inside the semester. Rows:
 * complianceRows (compliance.ts).
 */
export async function compliance(ctx: AppContext, c: Caller, f: { period?: string; schoolId?: number; fresh?: boolean }): Promise<{ period: string; asOf: string; rows: ComplianceRow[] }> {
  const day = today();
  const period = f.period ?? (await semesterKeyOn(ctx.db, day));
  const calendar = await loadCalendar(ctx.db);
  const { schoolYear, term } = parseSemester(period);
  const sem = calendar.semester(schoolYear, term);
  const asOf = day < sem.start ? sem.start : day > sem.end ? sem.end : day;
  const [{ evaluated }, schools, programme] = await Promise.all([
    evaluateStandings(ctx, c, { programme: 'teacher_student', ...(f.schoolId ? { schoolId: f.schoolId } : {}), asOf, fresh: f.fresh === true }),
    repo.schoolsWhere(ctx.db, sql`TRUE`),
    pairingsRepo.getProgramme(ctx.db, { key: 'teacher_student' }),
  ]);
  const refs = new Set<string>();
  for (const s of evaluated) for (const q of s.quotas) for (const r of q.responsibleIds) if (r.startsWith('teacher:')) refs.add(r);
  const teachers = await repo.teachersByIds(ctx.db, [...refs].map((r) => Number(r.slice(8))));
  let rows = complianceRows({
    standings: evaluated,
    semester: { start: sem.start, end: sem.end },
    teachers: new Map(teachers.map((t) => [`teacher:${t.id}`, t])),
    schools: new Map(schools.map((s) => [s.id, { code: s.code, name: s.name }])),
    rules: (programme?.quotas ?? []).map((q) => ({ id: q.id, label: q.label })),
  });
  if (f.schoolId) {
    const code = schools.find((s) => s.id === f.schoolId)?.code;
    rows = rows.filter((r) => r.school === code);
  }
  return { period, asOf, rows };
}

const monthRange = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
};

/**
 * 教导处's monthly check: for each teacher of the school with a 师生结对 pairing or a record that
 * month, the month's records by status and the semester's quota standing (as of the month's end,
 * or today). The records themselves: GET /api/activities?programme=teacher_student&teacherId=…;
 * accept / return: POST /api/activities/:id/review or /api/support/checks/review.
 */
export async function checkQueue(ctx: AppContext, c: Caller, f: { schoolId?: number; month?: string }) {
  const schoolId = schoolFor(c, f.schoolId);
  assertCheckViewer(c, schoolId);
  const day = today();
  const month = f.month ?? day.slice(0, 7);
  const { from, to } = monthRange(month);
  const asOf = to < day ? to : day;
  const records = await repo.monthRecords(ctx.db, schoolId, from, to, c.scope.activities('a'));
  const caseloads = await repo.teacherCaseloads(ctx.db, schoolId, day);
  const period = await semesterKeyOn(ctx.db, asOf < from ? from : asOf);
  const standing = (await compliance(ctx, c, { period, schoolId })).rows.filter((r) => r.teacher !== '');
  const ids = [...new Set([...caseloads.map((x) => x.teacherId), ...records.map((x) => x.teacherId), ...standing.map((r) => Number(r.teacher))])];
  const names = new Map((await repo.teachersByIds(ctx.db, ids)).map((t) => [t.id, t.name]));
  return {
    schoolId,
    month,
    from,
    to,
    asOf,
    teachers: ids.sort((a, b) => a - b).map((teacherId) => {
      const mine = records.filter((r) => r.teacherId === teacherId);
      const n = (status: string) => mine.filter((r) => r.status === status).reduce((a, r) => a + r.n, 0);
      const lines = standing.filter((r) => r.teacher === String(teacherId)).map((r) => ({ rule: r.rule, ruleLabel: r.ruleLabel, required: r.required, done: r.done, status: r.status }));
      return {
        teacherId,
        name: names.get(teacherId) ?? '',
        students: caseloads.find((x) => x.teacherId === teacherId)?.students ?? 0,
        records: { total: mine.reduce((a, r) => a + r.n, 0), submitted: n('submitted'), accepted: n('accepted'), returned: n('returned') },
        standing: lines,
        worst: lines.reduce<ReportStatus | null>((w, l) => worseStatus(w, l.status), null),
      };
    }),
  };
}

/** Accept or return several records at once: each is the engine's check (reviewActivity), in its own transaction. */
export async function bulkReview(ctx: AppContext, c: Caller, body: z.infer<typeof bulkReviewBody>) {
  // the monthly check's reviewers: refused at once for everyone else (the inspector sees the check, reviews nothing)
  assertManager(c);
  const reviewed: number[] = [];
  const failed: { id: number; message: string }[] = [];
  for (const id of [...new Set(body.activityIds)]) {
    try {
      await reviewActivity(ctx, c, id, { verdict: body.verdict, ...(body.comment ? { comment: body.comment } : {}), spotCheck: false });
      reviewed.push(id);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      failed.push({ id, message: err.message });
    }
  }
  return { reviewed, failed };
}

/** 核对: the teacher's records and the student's own records of a case's student between two dates (default: this semester so far). */
export async function crossCheckCase(ctx: AppContext, c: Caller, caseId: number, f: { from?: string; to?: string }) {
  const day = today();
  const row = await repo.getCase(ctx.db, caseId, c.scope.supportCases('x'), day);
  if (!row) throw notFound('帮扶对象');
  let from = f.from;
  if (!from) {
    const calendar = await loadCalendar(ctx.db);
    from = calendar.semesterOn(day)?.start ?? `${day.slice(0, 7)}-01`;
  }
  const to = f.to ?? day;
  if (to < from) throw badRequest('结束日期早于开始日期');
  const records = await repo.crossCheckRecords(ctx.db, row.studentId, from, to, c.scope.activities('a'), c.scope.activityContent('a'));
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  const r = crossCheck(
    records.filter((x) => x.role !== 'helped').map((x) => ({ id: x.id, type: x.type, date: x.date, subject: str(x.fields?.subject) })),
    records.filter((x) => x.type === 'student_record').map((x) => ({ id: x.id, date: x.date, kind: str(x.fields?.kind) ?? '其他', subject: str(x.fields?.subject) })),
  );
  return { caseId, from, to, ...r };
}
