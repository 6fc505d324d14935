// Exams: create, read, list, delete, and the score rows that matched no registered student.
// Who sees an exam: compileScope's exams() (county exams everyone signed in; a school's own
// exam the region and that school). Who may create one and import its scores: a county exam
// the bureau (bureau_admin, bureau_staff); a school exam also that school's principal and
// 教导处. Deleting is for the bureau only. Every change is audited in its transaction.
import crypto from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { ExamSubjectSpec } from '../../db/schema.js';
import type { AppContext } from '../../server/context.js';
import { badRequest, conflict, forbidden, notFound } from '../../server/errors.js';
import { EXAM_BUREAU_ROLES, EXAM_MANAGER_ROLES } from '../../shared/roles.js';
import { writeAudit, type Actor } from '../audit/audit.repo.js';
import type { Scope } from '../scope/scope.js';
import * as schoolsRepo from '../schools/schools.repo.js';
import * as repo from './exams.repo.js';
import { examCreate, type ExamCreate, type ExamListQuery, type ExamScoreVersion, type ExamView, type StudentScoreHistory, type UnmatchedRow } from './exams.schemas.js';
import { canonicalSubject } from './import/subjects.js';

/** What the exam services need of the caller (the HTTP Caller, or the CLI's bureau). */
export interface ExamCaller {
  scope: Scope;
  actor: Actor;
}

const iso = (v: Date | string | null): string | null => (v == null ? null : (v instanceof Date ? v : new Date(String(v))).toISOString());

export function toExamView(e: repo.ExamRow): ExamView {
  return {
    id: e.id, name: e.name, schoolYear: e.schoolYear, term: e.term, kind: e.kind, scope: e.scope, schoolId: e.schoolId, schoolName: e.schoolName,
    pairingId: e.pairingId, pairingName: e.pairingName, pairingSchoolIds: (e.pairingSchoolIds ?? []).map(Number),
    grade: e.grade, examDate: e.examDate, subjects: e.subjects, status: e.status, rowCount: e.rowCount, matchedCount: e.matchedCount,
    unmatchedCount: e.unmatchedCount, rejectedCount: e.rejectedCount, missingCount: e.missingCount, importJobId: e.importJobId,
    analysedAt: iso(e.analysedAt), createdAt: iso(e.createdAt)!, updatedAt: iso(e.updatedAt)!,
  };
}

/**
 * May the caller create this exam / import its scores? The bureau any; a school's principal or
 * 教导处 their own school's exams and the exams of a pairing their school takes part in.
 */
export function canManageExam(scope: Scope, exam: { scope: string; schoolId: number | null; pairingSchoolIds?: readonly number[] }): boolean {
  if (scope.readOnly || !EXAM_MANAGER_ROLES.includes(scope.user.role)) return false;
  if (scope.level === 'region') return true;
  const own = scope.user.schoolId;
  if (scope.level !== 'school' || own == null) return false;
  if (exam.scope === 'school') return exam.schoolId === own;
  if (exam.scope === 'pairing') return (exam.pairingSchoolIds ?? []).includes(own);
  return false;
}

/** Why canManageExam said no, in the caller's words. */
export function cannotManageMessage(exam: { scope: string }, doing: 'create' | 'import'): string {
  if (exam.scope === 'county') return doing === 'create' ? '只有教育局可以创建全县统考' : '只有教育局可以导入全县统考的成绩';
  if (exam.scope === 'pairing') return doing === 'create' ? '只能为本校参与的校际结对创建联考' : '只能导入本校参与的结对联考的成绩';
  return doing === 'create' ? '只能为本校创建考试' : '只能导入本校考试的成绩';
}

/** The exam if the caller may see it (404 otherwise: outside scope a record does not exist). */
export async function loadExam(ctx: AppContext, scope: Scope, id: string): Promise<repo.ExamRow> {
  const e = await repo.findExam(ctx.db, id, scope.exams('e'));
  if (!e) throw notFound('考试');
  return e;
}

/** Subject names in canonical form ('道法' → 道德与法治), each once. */
function normalizeSubjects(list: ExamSubjectSpec[]): ExamSubjectSpec[] {
  const seen = new Set<string>();
  return list.map((s) => {
    const name = canonicalSubject(s.name);
    if (!name) throw badRequest(`科目名称“${s.name}”无效`);
    if (seen.has(name)) throw badRequest(`科目“${name}”重复`);
    seen.add(name);
    return { name, fullMarks: s.fullMarks, countsToTotal: s.countsToTotal };
  });
}

export async function createExam(ctx: AppContext, c: ExamCaller, input: ExamCreate): Promise<ExamView> {
  const v = examCreate.parse(input);
  let schoolId: number | null = null;
  let pairing: repo.ExamPairing | null = null;
  if (v.scope !== 'pairing' && v.pairingId != null) throw badRequest('只有结对联考（scope 为 pairing）才指定 pairingId');
  if (v.scope === 'school') {
    schoolId = v.schoolId ?? c.scope.user.schoolId ?? null;
    if (schoolId == null) throw badRequest('学校考试须指定学校（schoolId）');
    if (!(await schoolsRepo.schoolById(ctx.db, schoolId))) throw badRequest('指定的学校不存在');
  } else if (v.schoolId != null) {
    throw badRequest(v.scope === 'county'
      ? '全县统考不属于某一所学校：请不要指定 schoolId，或把 scope 设为 school'
      : '结对联考属于结对的各校：请不要指定 schoolId，只指定 pairingId');
  }
  if (v.scope === 'pairing') {
    if (v.pairingId == null) throw badRequest('结对联考须指定校际结对（pairingId）');
    // a pairing the caller cannot see does not exist for them
    pairing = (await repo.pairingForExam(ctx.db, v.pairingId, c.scope.pairings('p'))) ?? null;
    if (!pairing) throw notFound('结对');
    if (pairing.schoolIds.length < 2) throw badRequest('结对联考只能用于学校之间的结对（校际结对、集团化办学等），该结对没有两所以上的学校');
    if (pairing.status === 'cancelled') throw badRequest('该结对已取消，不能再为它创建联考');
  }
  const pairingSchoolIds = pairing?.schoolIds.map(Number) ?? [];
  if (!canManageExam(c.scope, { scope: v.scope, schoolId, pairingSchoolIds })) throw forbidden(cannotManageMessage(v, 'create'));
  const subjects = normalizeSubjects(v.subjects);
  const same = await repo.findSameExam(ctx.db, { name: v.name, schoolYear: v.schoolYear, term: v.term, grade: v.grade, scope: v.scope, schoolId, pairingId: pairing?.id ?? null });
  if (same) throw conflict(`已有同名考试（${v.schoolYear} 学年第${v.term === 1 ? '一' : '二'}学期，${v.grade} 年级“${v.name}”），请直接向该考试导入成绩`);
  const id = crypto.randomUUID();
  await ctx.db.transaction(async (tx) => {
    await repo.insertExam(tx, {
      id, name: v.name, schoolYear: v.schoolYear, term: v.term, kind: v.kind, scope: v.scope, schoolId, pairingId: pairing?.id ?? null, grade: v.grade,
      examDate: v.examDate ?? null, subjects, createdBy: c.actor.userId,
    });
    await writeAudit(tx, c.actor, {
      action: 'exam.created', entityType: 'exam', entityId: id, schoolId,
      after: {
        name: v.name, schoolYear: v.schoolYear, term: v.term, kind: v.kind, scope: v.scope, grade: v.grade, examDate: v.examDate ?? null, subjects,
        ...(pairing ? { pairingId: pairing.id, pairingSchoolIds } : {}),
      },
    });
  });
  return toExamView((await repo.findExam(ctx.db, id, sql`TRUE`))!);
}

export async function getExam(ctx: AppContext, c: ExamCaller, id: string): Promise<ExamView> {
  return toExamView(await loadExam(ctx, c.scope, id));
}

export async function listExams(ctx: AppContext, c: ExamCaller, q: ExamListQuery) {
  const conds: SQL[] = [c.scope.exams('e')];
  if (q.grade != null) conds.push(sql`e.grade = ${q.grade}`);
  if (q.schoolYear) conds.push(sql`e.school_year = ${q.schoolYear}`);
  if (q.term != null) conds.push(sql`e.term = ${q.term}`);
  if (q.kind) conds.push(sql`e.kind = ${q.kind}`);
  if (q.scope) conds.push(sql`e.scope = ${q.scope}`);
  const res = await repo.listExams(ctx.db, sql.join(conds, sql` AND `), q.page, q.pageSize);
  return { total: res.total, page: q.page, pageSize: q.pageSize, items: res.items.map(toExamView) };
}

/** Deletes an exam with its scores and analysis (bureau only), audited. */
export async function deleteExam(ctx: AppContext, c: ExamCaller, id: string): Promise<void> {
  const e = await loadExam(ctx, c.scope, id);
  if (c.scope.readOnly || c.scope.level !== 'region' || !EXAM_BUREAU_ROLES.includes(c.scope.user.role)) throw forbidden('只有教育局可以删除考试');
  await ctx.db.transaction(async (tx) => {
    const locked = await repo.findExam(tx, id, sql`TRUE`, { lock: true });
    if (!locked) throw notFound('考试');
    await repo.deleteExam(tx, id);
    await writeAudit(tx, c.actor, {
      action: 'exam.deleted', entityType: 'exam', entityId: id, schoolId: e.schoolId,
      before: {
        name: locked.name, schoolYear: locked.schoolYear, term: locked.term, kind: locked.kind, scope: locked.scope, grade: locked.grade,
        subjects: locked.subjects, status: locked.status, rows: locked.rowCount, matched: locked.matchedCount, unmatched: locked.unmatchedCount,
      },
    });
  });
}

/** Rows that matched no registered student, for follow-up: paged, in row order, filtered by compileScope's examScores(). */
export async function listUnmatched(ctx: AppContext, c: ExamCaller, id: string, q: { school?: string; page: number; pageSize: number }) {
  await loadExam(ctx, c.scope, id);
  const conds: SQL[] = [c.scope.examScores('s')];
  if (q.school?.trim()) conds.push(sql`s.school_code = ${q.school.trim()}`);
  const res = await repo.unmatchedRows(ctx.db, id, sql.join(conds, sql` AND `), q.page, q.pageSize);
  const items: UnmatchedRow[] = res.items.map((r) => ({ ...r, scores: r.scores.map((x) => (x == null ? null : Number(x))) }));
  return { total: res.total, page: q.page, pageSize: q.pageSize, items };
}

function toVersion(v: repo.ScoreVersionRow): ExamScoreVersion {
  return {
    versionId: v.versionId, importJobId: v.importJobId, fileName: v.fileName, importedAt: iso(v.importedAt), importedBy: v.importedBy,
    rows: v.rows, subjects: v.subjects.map((x) => x.name), replacedAt: iso(v.replacedAt),
  };
}

/** The exam's sets of scores (scores keep history): the current one, then each one a corrected re-import replaced. */
export async function listScoreVersions(ctx: AppContext, c: ExamCaller, id: string): Promise<{ items: ExamScoreVersion[] }> {
  await loadExam(ctx, c.scope, id);
  return { items: (await repo.scoreVersions(ctx.db, id)).map(toVersion) };
}

/**
 * One registered student's scores in this exam, in the current set and in every replaced one
 * (what a corrected sheet changed for them). The rows pass the caller's scope on the row's own
 * school and class, as the exam's other rows do; none visible is a 404.
 */
export async function studentScoreHistory(ctx: AppContext, c: ExamCaller, id: string, studentId: number): Promise<StudentScoreHistory> {
  await loadExam(ctx, c.scope, id);
  const found = await repo.studentScoreRows(ctx.db, id, studentId, c.scope.examScores('s'));
  if (!found.length) throw notFound('该学生在本考试中的成绩');
  const rowOf = new Map(found.map((r) => [r.versionId, r]));
  // in the versions' order (newest first: the current set, then by when each was replaced)
  const items = (await repo.scoreVersions(ctx.db, id)).flatMap((row) => {
    const r = rowOf.get(row.versionId);
    if (!r) return [];
    const v = toVersion(row);
    return [{
      versionId: r.versionId, fileName: v.fileName, importedAt: v.importedAt, replacedAt: v.replacedAt, subjects: v.subjects,
      rowNo: r.rowNo, scores: r.scores.map((x) => (x == null ? null : Number(x))),
    }];
  });
  return { studentId, name: found.find((r) => r.versionId == null)?.name ?? found[0]!.name, items };
}
