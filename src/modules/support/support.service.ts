// Support cases (帮扶对象): made by hand, from an exam's confirmed 后20% candidates, from family
// flags, or by the yearly refresh; categories, status flow with an append-only history, the cause
// analysis with its strategies, and the psychological note (sealed, read only through an audited
// view). Scope comes from compileScope (supportCases, supportPsych); every change is audited in
// its transaction. Pairings, records and checks are the general engine's (src/modules/pairings).
import crypto from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import { nameMatches } from '../../lib/name-search.js';
import type { AppContext } from '../../server/context.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../server/errors.js';
import type { Caller } from '../../server/http.js';
import { SUPPORT_EDITOR_ROLES, SUPPORT_MANAGER_ROLES } from '../../shared/roles.js';
import { schoolYearOf, termOf } from '../../shared/school-year.js';
import { writeAudit } from '../audit/audit.repo.js';
import { activityView } from '../pairings/activities.service.js';
import * as pairingsRepo from '../pairings/pairings.repo.js';
import { today, transitionPairingIn } from '../pairings/pairings.service.js';
import { loadCalendar } from '../pairings/programmes.service.js';
import { categoriesFromFlags, isSanKun, mergeInto, sortCategories } from './categories.js';
import { proposeRefresh, type RefreshItem } from './refresh.js';
import { suggestedLists } from './strategies.js';
import {
  CASE_STATUS_LABELS,
  CASE_TRANSITIONS,
  CLOSE_REASON_LABELS,
  HISTORY_EVENT_LABELS,
  SUPPORT_CATEGORY_LABELS,
  type analysisBody,
  type CaseDetail,
  type CaseSource,
  type CaseStatus,
  type CaseView,
  type caseListQuery,
  type createCaseBody,
  type HistoryEntry,
  type transitionCaseBody,
  type updateCaseBody,
} from './support.schemas.js';
import * as repo from './support.repo.js';

export const currentSchoolYear = () => schoolYearOf(new Date());
export const previousSchoolYear = (y: string) => `${Number(y.slice(0, 4)) - 1}-${y.slice(0, 4)}`;

/** The semester key ('2026-2027-1') of a day: the calendar's semester, or in a break the one just ended (termOf). */
export async function semesterKeyOn(q: Queryable, day: string): Promise<string> {
  const calendar = await loadCalendar(q);
  const s = calendar.semesterOn(day);
  if (s) return `${s.schoolYear}-${s.term}`;
  const t = termOf(new Date(`${day}T12:00:00+08:00`));
  return `${t.schoolYear}-${t.term}`;
}

// ───────────────────────────── who may do what ─────────────────────────────

const isEditor = (c: Caller) => !c.scope.readOnly && SUPPORT_EDITOR_ROLES.includes(c.user.role);
const isManager = (c: Caller) => !c.scope.readOnly && SUPPORT_MANAGER_ROLES.includes(c.user.role);

export function assertEditor(c: Caller, schoolId?: number) {
  if (!isEditor(c) || (schoolId !== undefined && !c.scope.canWriteSchool(schoolId))) throw forbidden('您的角色不能修改帮扶对象');
}
export function assertManager(c: Caller, schoolId?: number) {
  if (!isManager(c) || (schoolId !== undefined && !c.scope.canWriteSchool(schoolId))) throw forbidden('只有学校管理人员或教育局可以执行此操作');
}

/**
 * Who may see a school's monthly check (教导处月查: counts and standings per teacher): those who run
 * it, and the bureau's read-only inspector (督导), who supervises it but reviews nothing.
 */
export function assertCheckViewer(c: Caller, schoolId: number) {
  const inspects = c.scope.readOnly && c.scope.level === 'region';
  if (!inspects) assertManager(c, schoolId);
}

/** The school a school-level request is about: the caller's own for school roles, a named one for the bureau. */
export function schoolFor(c: Caller, schoolId?: number): number {
  if (c.scope.level === 'region') {
    if (!schoolId) throw badRequest('请指定学校（schoolId）');
    return schoolId;
  }
  if (c.user.schoolId == null) throw forbidden();
  if (schoolId && schoolId !== c.user.schoolId) throw notFound('学校');
  return c.user.schoolId;
}

// ───────────────────────────── views ─────────────────────────────

export function caseView(r: repo.CaseRow): CaseView {
  return {
    id: r.id,
    studentId: r.studentId,
    studentName: r.studentName,
    sex: r.sex,
    schoolId: r.schoolId,
    schoolCode: r.schoolCode,
    schoolName: r.schoolName,
    schoolYear: r.schoolYear,
    classId: r.classId,
    className: r.className,
    grade: r.grade,
    categories: r.categories,
    categoryLabels: r.categories.map((k) => SUPPORT_CATEGORY_LABELS[k] ?? k),
    sanKun: isSanKun(r.categories),
    status: r.status,
    statusLabel: CASE_STATUS_LABELS[r.status],
    closeReason: r.closeReason,
    closedOn: r.closedOn,
    weakSubjects: r.weakSubjects,
    teachers: r.teachers,
    peers: r.peers,
    hasAnalysis: r.analysis != null,
    hasPsychNote: r.hasPsychNote,
    lastReviewedSemester: r.lastReviewedSemester,
    previousCaseId: r.previousCaseId,
    updatedAt: r.updatedAt,
  };
}

async function visibleCase(q: Queryable, c: Caller, id: number, forUpdate = false): Promise<repo.CaseRow> {
  const row = await repo.getCase(q, id, c.scope.supportCases('x'), today(), forUpdate);
  if (!row) throw notFound('帮扶对象');
  return row;
}

async function mayReadPsych(q: Queryable, c: Caller, id: number): Promise<boolean> {
  return pairingsRepo.isTrue(q, sql`EXISTS (SELECT 1 FROM support_cases x WHERE x.id = ${id} AND ${c.scope.supportPsych('x')})`);
}

async function detailOf(q: Queryable, c: Caller, id: number): Promise<CaseDetail> {
  const row = await visibleCase(q, c, id);
  const pairings = await repo.studentPairings(q, row.studentId);
  const participants = await pairingsRepo.participantsOf(q, pairings.map((p) => p.id));
  const history = (await repo.historyOf(q, id)).map((h): HistoryEntry => ({ ...h, event: h.event as HistoryEntry['event'], eventLabel: HISTORY_EVENT_LABELS[h.event as HistoryEntry['event']] ?? h.event }));
  return {
    ...caseView(row),
    sources: row.sources,
    analysis: row.analysis,
    history,
    pairings: pairings.map((p) => ({
      id: p.id,
      programme: p.programme,
      programmeName: p.programmeName,
      status: p.status,
      start: p.start,
      end: p.end,
      people: participants.filter((x) => x.pairingId === p.id).map((x) => ({ role: x.role, kind: x.kind, personId: x.personId, name: x.name, from: x.from, to: x.to })),
    })),
    nextCaseId: (await repo.nextCaseId(q, id))?.id ?? null,
    canEdit: isEditor(c) && c.scope.canWriteSchool(row.schoolId),
    canManage: isManager(c) && c.scope.canWriteSchool(row.schoolId),
    canReadPsych: await mayReadPsych(q, c, id),
  };
}

export function getCase(ctx: AppContext, c: Caller, id: number): Promise<CaseDetail> {
  return detailOf(ctx.db, c, id);
}

export async function listCases(ctx: AppContext, c: Caller, f: z.infer<typeof caseListQuery>) {
  const day = today();
  const conds: SQL[] = [c.scope.supportCases('x'), sql`x.school_year = ${f.schoolYear ?? currentSchoolYear()}`];
  if (f.schoolId) conds.push(sql`x.school_id = ${f.schoolId}`);
  if (f.classId) conds.push(sql`x.class_id = ${f.classId}`);
  if (f.category) conds.push(sql`${f.category} = ANY(x.categories)`);
  if (f.status) conds.push(sql`x.status = ${f.status}`);
  const helpedBy = (teacherId: number) => sql`EXISTS (SELECT 1 FROM (${repo.linksSql(day, sql`ps.person_id = x.student_id`)}) l WHERE l.teacher_id = ${teacherId})`;
  if (f.withoutTeacher) {
    conds.push(sql`x.status IN ('confirmed', 'active', 'reviewed') AND NOT EXISTS (SELECT 1 FROM (${repo.linksSql(day, sql`ps.person_id = x.student_id`)}) l)`);
  }
  if (f.teacherId) conds.push(helpedBy(f.teacherId));
  if (f.mine) conds.push(c.user.teacherId == null ? sql`FALSE` : helpedBy(c.user.teacherId));
  if (f.q) {
    const m = nameMatches(f.q, { name: sql`st.name`, pinyin: sql`st.name_pinyin`, initials: sql`st.name_initials` });
    if (m) conds.push(m);
  }
  const res = await repo.listCases(ctx.db, sql.join(conds, sql` AND `), day, f.page, f.pageSize);
  return { total: res.total, page: f.page, pageSize: f.pageSize, items: res.items.map(caseView) };
}

// ───────────────────────────── making cases ─────────────────────────────

interface Entry {
  studentId: number;
  schoolId: number;
  classId: number | null;
  categories: string[];
  sources: CaseSource[];
  weakSubjects: string[];
  /** the status of a case made now */
  status: CaseStatus;
  previousCaseId?: number | null;
}

/**
 * Adds entries for one school year: a student without a case gets one (history 'created', or
 * 'carried_over' when it continues last year's); a student with one gets the new categories and
 * sources merged in (never removed; history 'categories' when a category is added). Idempotent.
 */
async function upsertCases(tx: Queryable, c: Caller, schoolYear: string, entries: readonly Entry[], note: string) {
  const created: number[] = [];
  const updated: number[] = [];
  const unchanged: number[] = [];
  const existing = new Map((await repo.casesOfStudents(tx, entries.map((e) => e.studentId), schoolYear)).map((x) => [x.studentId, x]));
  for (const e of entries) {
    const cur = existing.get(e.studentId);
    if (!cur) {
      const categories = sortCategories(e.categories);
      const id = await repo.insertCase(tx, {
        studentId: e.studentId, schoolId: e.schoolId, schoolYear, classId: e.classId, categories, status: e.status,
        weakSubjects: e.weakSubjects, sources: e.sources, previousCaseId: e.previousCaseId ?? null, createdBy: c.user.id || null,
      });
      await repo.insertHistory(tx, {
        caseId: id, event: e.previousCaseId ? 'carried_over' : 'created', from: null, to: e.status, categories, note,
        reason: e.previousCaseId ? `上学年帮扶档案 ${e.previousCaseId}` : null, actorUserId: c.actor.userId, actorName: c.actor.name,
      });
      existing.set(e.studentId, { id, studentId: e.studentId, categories, sources: e.sources, weakSubjects: e.weakSubjects, status: e.status, schoolId: e.schoolId });
      created.push(id);
      continue;
    }
    const m = mergeInto(cur, e);
    if (!m.changed) {
      unchanged.push(cur.id);
      continue;
    }
    await repo.updateCase(tx, cur.id, { categories: m.categories, sources: m.sources, weakSubjects: m.weakSubjects });
    if (m.categoriesChanged) {
      await repo.insertHistory(tx, { caseId: cur.id, event: 'categories', from: cur.status, to: cur.status, categories: m.categories, note, actorUserId: c.actor.userId, actorName: c.actor.name });
    }
    existing.set(e.studentId, { ...cur, categories: m.categories, sources: m.sources, weakSubjects: m.weakSubjects });
    updated.push(cur.id);
  }
  return { created, updated, unchanged };
}

export async function createCase(ctx: AppContext, c: Caller, body: z.infer<typeof createCaseBody>): Promise<CaseDetail> {
  assertEditor(c);
  const schoolYear = body.schoolYear ?? currentSchoolYear();
  const id = await ctx.db.transaction(async (tx) => {
    const [st] = await repo.studentsWithEnrollment(tx, [body.studentId], schoolYear, c.scope.students('st'));
    if (!st) throw notFound('学生');
    const schoolId = st.enrolledSchoolId ?? st.schoolId;
    assertEditor(c, schoolId);
    const exists = await repo.caseOfStudent(tx, st.id, schoolYear);
    if (exists) throw new AppError(409, 'CONFLICT', `${st.name}在 ${schoolYear} 学年已有帮扶档案，请在原档案中调整类别`, { caseId: exists.id });
    const at = new Date().toISOString();
    const note = body.note?.trim() || undefined;
    const sources: CaseSource[] = sortCategories(body.categories).map((category) => ({ kind: 'manual', category, ...(note ? { note } : {}), at }));
    const r = await upsertCases(tx, c, schoolYear, [{
      studentId: st.id, schoolId, classId: st.classId, categories: body.categories, sources, weakSubjects: body.weakSubjects ?? [], status: 'identified',
    }], note ?? '学校认定');
    const caseId = r.created[0]!;
    await writeAudit(tx, c.actor, {
      action: 'support.case_created', entityType: 'support_case', entityId: caseId, schoolId,
      after: { studentId: st.id, schoolYear, categories: sortCategories(body.categories), weakSubjects: body.weakSubjects ?? [], status: 'identified' }, reason: note ?? null,
    });
    return caseId;
  });
  return detailOf(ctx.db, c, id);
}

/** Cases from an exam's confirmed 后20% candidates (status 'confirmed': the candidate list was confirmed in the exam module). Idempotent. */
export async function casesFromExam(ctx: AppContext, c: Caller, examId: string, schoolYearParam?: string) {
  assertEditor(c);
  const schoolYear = schoolYearParam ?? currentSchoolYear();
  return ctx.db.transaction(async (tx) => {
    const exam = await repo.examOf(tx, examId, c.scope.exams('e'));
    if (!exam) throw notFound('考试');
    const candidates = await repo.confirmedCandidates(tx, examId, c.scope.examCandidates('c'));
    const facts = new Map((await repo.studentsWithEnrollment(tx, candidates.map((x) => x.studentId), schoolYear, sql`TRUE`)).map((s) => [s.id, s]));
    const at = new Date().toISOString();
    const entries: Entry[] = [];
    for (const cand of candidates) {
      const st = facts.get(cand.studentId);
      if (!st) continue;
      const schoolId = st.enrolledSchoolId ?? st.schoolId;
      if (!c.scope.canWriteSchool(schoolId)) continue;
      entries.push({
        studentId: st.id, schoolId, classId: st.classId, categories: ['learning'],
        sources: [{ kind: 'exam', category: 'learning', examId: exam.id, examName: exam.name, subjects: cand.subjects, at }],
        weakSubjects: cand.subjects, status: 'confirmed',
      });
    }
    const r = await upsertCases(tx, c, schoolYear, entries, `考试“${exam.name}”后20%名单（已确认）`);
    await writeAudit(tx, c.actor, {
      action: 'support.cases_from_exam', entityType: 'exam', entityId: exam.id, schoolId: c.scope.level === 'region' ? null : c.user.schoolId,
      after: { schoolYear, confirmedCandidates: candidates.length, created: r.created, updated: r.updated, unchanged: r.unchanged.length },
    });
    return { created: r.created.length, updated: r.updated.length, unchanged: r.unchanged.length, caseIds: [...r.created, ...r.updated, ...r.unchanged].sort((a, b) => a - b) };
  });
}

/** Cases (identified) from the family flags of students enrolled in the school year, inside the caller's scope. Idempotent. */
export async function casesFromFlags(ctx: AppContext, c: Caller, f: { schoolId?: number; schoolYear?: string }) {
  assertEditor(c);
  const schoolYear = f.schoolYear ?? currentSchoolYear();
  return ctx.db.transaction(async (tx) => {
    const scope = c.scope.students('st');
    const flags = await repo.familyFlagsOf(tx, schoolYear, scope, f.schoolId);
    const enrolled = (await repo.enrolledStudents(tx, schoolYear, scope, f.schoolId)).filter((s) => flags.has(s.studentId));
    const at = new Date().toISOString();
    const entries: Entry[] = [];
    for (const st of enrolled) {
      if (!c.scope.canWriteSchool(st.schoolId)) continue;
      const got = categoriesFromFlags(flags.get(st.studentId)!, at);
      if (got.categories.length === 0) continue;
      entries.push({ studentId: st.studentId, schoolId: st.schoolId, classId: st.classId, categories: got.categories, sources: got.sources, weakSubjects: [], status: 'identified' });
    }
    const r = await upsertCases(tx, c, schoolYear, entries, '家庭情况（建档立卡、低保、特困、孤儿、留守等）');
    await writeAudit(tx, c.actor, {
      action: 'support.cases_from_flags', entityType: 'support_case', entityId: null, schoolId: f.schoolId ?? (c.scope.level === 'region' ? null : c.user.schoolId),
      after: { schoolYear, created: r.created, updated: r.updated, unchanged: r.unchanged.length },
    });
    return { created: r.created.length, updated: r.updated.length, unchanged: r.unchanged.length, caseIds: [...r.created, ...r.updated, ...r.unchanged].sort((a, b) => a - b) };
  });
}

// ───────────────────────────── editing ─────────────────────────────

/** Categories and weak subjects changed by a person, with a reason (history 'categories' when the categories change). */
export async function updateCase(ctx: AppContext, c: Caller, id: number, body: z.infer<typeof updateCaseBody>): Promise<CaseDetail> {
  await ctx.db.transaction(async (tx) => {
    const row = await visibleCase(tx, c, id, true);
    assertEditor(c, row.schoolId);
    if (row.status === 'closed') throw conflict('帮扶对象已结案，不能再调整');
    const categories = body.categories ? sortCategories(body.categories) : row.categories;
    const weakSubjects = body.weakSubjects ? [...new Set(body.weakSubjects)] : row.weakSubjects;
    const catChanged = categories.join() !== row.categories.join();
    if (!catChanged && weakSubjects.join() === row.weakSubjects.join()) return;
    const at = new Date().toISOString();
    const added = categories.filter((k) => !row.categories.includes(k));
    const sources = [...row.sources, ...added.map((category): CaseSource => ({ kind: 'manual', category, note: body.reason, at }))];
    await repo.updateCase(tx, id, { categories, weakSubjects, sources });
    if (catChanged) {
      await repo.insertHistory(tx, { caseId: id, event: 'categories', from: row.status, to: row.status, categories, reason: body.reason, actorUserId: c.actor.userId, actorName: c.actor.name });
    }
    await writeAudit(tx, c.actor, {
      action: 'support.case_updated', entityType: 'support_case', entityId: id, schoolId: row.schoolId,
      before: { categories: row.categories, weakSubjects: row.weakSubjects }, after: { categories, weakSubjects }, reason: body.reason,
    });
  });
  return detailOf(ctx.db, c, id);
}

/**
 * identified → confirmed → active (needs a responsible teacher) → reviewed (once a semester, with the
 * findings) → active … → closed (a reason; 'other' needs a note). Closing completes the active
 * pairings made for the student's cases on `date` (default today) and cancels proposed ones, in the
 * same transaction. 'continued' is the yearly refresh's own reason.
 */
export async function transitionCase(ctx: AppContext, c: Caller, id: number, body: z.infer<typeof transitionCaseBody>): Promise<CaseDetail> {
  await ctx.db.transaction(async (tx) => {
    const row = await visibleCase(tx, c, id, true);
    assertManager(c, row.schoolId);
    if (!CASE_TRANSITIONS[row.status].includes(body.to)) {
      throw new AppError(409, 'INVALID_TRANSITION', `帮扶对象${CASE_STATUS_LABELS[row.status]}，不能改为${CASE_STATUS_LABELS[body.to]}`);
    }
    const note = body.note?.trim() || null;
    const day = today();
    const patch: Parameters<typeof repo.updateCase>[2] = { status: body.to };
    let semester: string | null = null;
    let reason: string | null = null;
    if (body.to === 'active' && row.teachers.length === 0) throw badRequest('请先为该学生分配帮扶教师，再开始帮扶');
    if (body.to === 'reviewed') {
      semester = body.semester ?? (await semesterKeyOn(tx, day));
      if (!note || note.length < 2) throw badRequest('请填写本学期复查情况');
      if (row.lastReviewedSemester === semester) throw conflict(`${semester} 学期已复查过`);
      patch.lastReviewedSemester = semester;
    }
    if (body.to === 'closed') {
      if (!body.closeReason) throw badRequest('请选择结案原因');
      if (body.closeReason === 'continued') throw badRequest('“转入新学年继续帮扶”由新学年名单更新自动使用');
      if (body.closeReason === 'other' && (!note || note.length < 2)) throw badRequest('结案原因为“其他”时请填写说明');
      const date = body.date ?? day;
      if (date > day) throw badRequest('结案日期不能晚于今天');
      reason = body.closeReason;
      patch.closeReason = body.closeReason;
      patch.closedOn = date;
      const label = `帮扶对象结案：${CLOSE_REASON_LABELS[body.closeReason]}`;
      for (const p of await repo.openCasePairings(tx, row.studentId)) {
        await transitionPairingIn(tx, c, p.id, p.status === 'active' ? { to: 'completed', date, reason: label } : { to: 'cancelled', reason: label });
      }
    }
    await repo.updateCase(tx, id, patch);
    await repo.insertHistory(tx, { caseId: id, event: 'status', from: row.status, to: body.to, categories: row.categories, reason, note, semester, actorUserId: c.actor.userId, actorName: c.actor.name });
    await writeAudit(tx, c.actor, {
      action: 'support.case_transitioned', entityType: 'support_case', entityId: id, schoolId: row.schoolId,
      before: { status: row.status }, after: { status: body.to, closeReason: reason, closedOn: patch.closedOn ?? null, semester }, reason: note,
    });
  });
  return detailOf(ctx.db, c, id);
}

/** 分析量表: the causes found and the strategies kept (the suggested ones when none are given). */
export async function putAnalysis(ctx: AppContext, c: Caller, id: number, body: z.infer<typeof analysisBody>): Promise<CaseDetail> {
  await ctx.db.transaction(async (tx) => {
    const row = await visibleCase(tx, c, id, true);
    assertEditor(c, row.schoolId);
    const causes = body.causes.map((x) => ({ cause: x.cause, ...(x.note?.trim() ? { note: x.note.trim() } : {}) }));
    const analysis = { causes, strategies: body.strategies ?? suggestedLists(causes.map((x) => x.cause)), analysedBy: c.actor.name, analysedAt: new Date().toISOString() };
    await repo.updateCase(tx, id, { analysis });
    await writeAudit(tx, c.actor, { action: 'support.analysis_updated', entityType: 'support_case', entityId: id, schoolId: row.schoolId, before: row.analysis, after: analysis });
  });
  return detailOf(ctx.db, c, id);
}

// ───────────────────────────── psychological notes ─────────────────────────────

const PSYCH_FORBIDDEN = '心理记录仅限本校心理辅导教师和该生的帮扶教师查看';

/**
 * The psychological note and the confidential records on the student's 师生结对 pairings that the
 * caller may read. Only the school's counsellors and the responsible teacher; the read and its audit
 * row ('support.psych_view') are one transaction.
 */
export async function getPsych(ctx: AppContext, c: Caller, id: number) {
  return ctx.db.transaction(async (tx) => {
    const row = await visibleCase(tx, c, id);
    if (!(await mayReadPsych(tx, c, id))) throw forbidden(PSYCH_FORBIDDEN);
    const stored = await repo.psychOf(tx, id);
    const readable = c.scope.activityContent('a');
    const where = sql.join([
      c.scope.activities('a'), sql`pr.key = 'teacher_student'`, sql`a.confidential`, readable,
      sql`EXISTS (SELECT 1 FROM pairing_participants pt WHERE pt.pairing_id = a.pairing_id AND pt.side = 'helped' AND pt.person_kind = 'student' AND pt.person_id = ${row.studentId})`,
    ], sql` AND `);
    const records = (await pairingsRepo.listActivities(tx, where, readable, 1, 200)).items;
    const programme = await pairingsRepo.getProgramme(tx, { key: 'teacher_student' });
    await writeAudit(tx, c.actor, {
      action: 'support.psych_view', entityType: 'support_case', entityId: id, schoolId: row.schoolId,
      after: { note: stored?.enc != null, records: records.map((r) => r.id) },
    });
    return {
      caseId: id,
      note: stored?.enc ? ctx.sealer.open(stored.enc) : null,
      updatedAt: stored?.updatedAt ? new Date(stored.updatedAt as string).toISOString() : null,
      updatedBy: stored?.updatedBy ?? null,
      records: records.map((r) => activityView(r, programme)),
    };
  });
}

/** Replaces the psychological note (sealed); the audit keeps a digest and the length, never the text. */
export async function putPsych(ctx: AppContext, c: Caller, id: number, note: string) {
  await ctx.db.transaction(async (tx) => {
    const row = await visibleCase(tx, c, id, true);
    if (c.scope.readOnly || !(await mayReadPsych(tx, c, id))) throw forbidden(PSYCH_FORBIDDEN);
    const text = note.trim();
    await repo.updateCase(tx, id, { psychNoteEnc: text ? ctx.sealer.seal(text) : null, psychUpdatedBy: c.user.id });
    await writeAudit(tx, c.actor, {
      action: 'support.psych_updated', entityType: 'support_case', entityId: id, schoolId: row.schoolId,
      after: { length: text.length, digest: text ? crypto.createHash('sha256').update(text).digest('hex') : null },
    });
  });
  return getPsych(ctx, c, id);
}

// ───────────────────────────── yearly refresh ─────────────────────────────

async function loadRefresh(tx: Queryable, c: Caller, schoolYear: string, schoolId?: number) {
  const previousYear = previousSchoolYear(schoolYear);
  const studentScope = c.scope.students('st');
  const enrolled = await repo.enrolledStudents(tx, schoolYear, studentScope, schoolId);
  const flags = await repo.familyFlagsOf(tx, schoolYear, studentScope, schoolId);
  const enrolledIds = new Set(enrolled.map((e) => e.studentId));
  const candidates = (await repo.latestConfirmedCandidates(tx, [previousYear, schoolYear])).filter((x) => enrolledIds.has(x.studentId));
  const caseScope = sql.join([c.scope.supportCases('x'), ...(schoolId ? [sql`x.school_id = ${schoolId}`] : [])], sql` AND `);
  const cases = await repo.casesOfYears(tx, [previousYear, schoolYear], caseScope);
  // this year's cases of the enrolled students, wherever they are (a student may have moved school)
  const existingCases = await repo.casesOfStudents(tx, [...enrolledIds], schoolYear);
  const previous = cases.filter((x) => x.schoolYear === previousYear).map((x) => ({ ...x, name: x.studentName }));
  const withTeacher = await repo.studentsWithTeacher(tx, [...enrolledIds], today());
  const proposal = proposeRefresh({
    schoolYear, at: new Date().toISOString(), enrolled, flags, candidates, previous,
    existing: new Map(existingCases.map((x) => [x.studentId, x.id])), withTeacher,
  });
  const schools = await repo.schoolsWhere(tx, sql.join([c.scope.schools('sc'), ...(schoolId ? [sql`sc.id = ${schoolId}`] : [])], sql` AND `));
  return { previousYear, proposal, schools, previous };
}

function countsBySchool(schools: readonly { id: number; code: string; name: string }[], items: readonly { schoolId: number; change: 'new' | 'continuing' }[], left: readonly { schoolId: number }[]) {
  return schools.map((s) => ({
    schoolId: s.id, school: s.code, schoolName: s.name,
    new: items.filter((i) => i.schoolId === s.id && i.change === 'new').length,
    continuing: items.filter((i) => i.schoolId === s.id && i.change === 'continuing').length,
    left: left.filter((l) => l.schoolId === s.id).length,
  })).filter((s) => s.new + s.continuing + s.left > 0);
}

/** The proposed list for a new school year (nothing is stored). */
export async function refreshPreview(ctx: AppContext, c: Caller, f: { schoolYear: string; schoolId?: number }) {
  assertManager(c);
  const schoolId = c.scope.level === 'region' ? f.schoolId : schoolFor(c, f.schoolId);
  const { previousYear, proposal, schools } = await loadRefresh(ctx.db, c, f.schoolYear, schoolId);
  return {
    schoolYear: f.schoolYear,
    previousYear,
    schools: countsBySchool(schools, proposal.items, proposal.left),
    items: proposal.items.map((i) => ({
      studentId: i.studentId, studentName: i.name, schoolId: i.schoolId, classId: i.classId, className: i.className, categories: i.categories,
      sources: i.sources, previousCaseId: i.previousCaseId, change: i.change, existingCaseId: i.existingCaseId,
    })),
    left: proposal.left,
  };
}

/**
 * Stores the proposal: new cases (identified; continuing ones keep confirmed / active), categories
 * merged into cases already made for that year, and last year's open cases of continuing students
 * closed as 'continued' (their pairings go on: a teacher keeps helping the same student). Idempotent.
 */
export async function refreshApply(ctx: AppContext, c: Caller, f: { schoolYear: string; schoolId?: number }) {
  assertManager(c);
  const schoolId = c.scope.level === 'region' ? f.schoolId : schoolFor(c, f.schoolId);
  return ctx.db.transaction(async (tx) => {
    const { proposal, previous, previousYear } = await loadRefresh(tx, c, f.schoolYear, schoolId);
    const writable = proposal.items.filter((i) => c.scope.canWriteSchool(i.schoolId));
    const entries = writable.map((i: RefreshItem): Entry => ({
      studentId: i.studentId, schoolId: i.schoolId, classId: i.classId, categories: i.categories, sources: i.sources,
      weakSubjects: i.weakSubjects, status: i.status, previousCaseId: i.previousCaseId,
    }));
    const r = await upsertCases(tx, c, f.schoolYear, entries, `${f.schoolYear} 学年帮扶名单更新`);
    const prevById = new Map(previous.map((p) => [p.id, p]));
    let closedPrevious = 0;
    for (const i of writable) {
      const prev = i.previousCaseId ? prevById.get(i.previousCaseId) : undefined;
      if (!prev || prev.status === 'closed' || !c.scope.canWriteSchool(prev.schoolId)) continue;
      await repo.updateCase(tx, prev.id, { status: 'closed', closeReason: 'continued', closedOn: today() });
      await repo.insertHistory(tx, {
        caseId: prev.id, event: 'status', from: prev.status, to: 'closed', categories: prev.categories, reason: 'continued',
        note: `转入 ${f.schoolYear} 学年继续帮扶`, actorUserId: c.actor.userId, actorName: c.actor.name,
      });
      closedPrevious++;
    }
    const continued = writable.filter((i) => i.change === 'continuing').length;
    await writeAudit(tx, c.actor, {
      action: 'support.refresh_applied', entityType: 'support_case', entityId: null, schoolId: schoolId ?? null,
      after: { schoolYear: f.schoolYear, previousYear, created: r.created.length, updated: r.updated.length, continued, closedPrevious, left: proposal.left.map((l) => l.caseId) },
    });
    return { created: r.created.length, continued, updated: r.updated.length, closedPrevious };
  });
}

/** Who is new, still on the list and gone, per school, from the stored cases of the school year and the one before. */
export async function yearChanges(ctx: AppContext, c: Caller, f: { schoolYear?: string; schoolId?: number }) {
  const schoolYear = f.schoolYear ?? currentSchoolYear();
  const previousYear = previousSchoolYear(schoolYear);
  const cases = await repo.casesOfYears(ctx.db, [previousYear, schoolYear], c.scope.supportCases('x'));
  const now = cases.filter((x) => x.schoolYear === schoolYear);
  const before = cases.filter((x) => x.schoolYear === previousYear);
  const nowIds = new Set(now.map((x) => x.studentId));
  const beforeIds = new Set(before.map((x) => x.studentId));
  const items = now.map((x) => ({ ...x, change: beforeIds.has(x.studentId) ? ('continuing' as const) : ('new' as const) }));
  const left = before.filter((x) => !nowIds.has(x.studentId)).map((x) => ({
    caseId: x.id, studentId: x.studentId, studentName: x.studentName, schoolId: x.schoolId, categories: x.categories,
    reason: x.status === 'closed' ? `已结案：${x.closeReason ? CLOSE_REASON_LABELS[x.closeReason] : '—'}` : '新学年名单中没有该生',
  }));
  const schools = await repo.schoolsWhere(ctx.db, sql.join([c.scope.schools('sc'), ...(f.schoolId ? [sql`sc.id = ${f.schoolId}`] : [])], sql` AND `));
  const brief = (x: (typeof items)[number]) => ({ caseId: x.id, studentId: x.studentId, studentName: x.studentName, categories: x.categories });
  return {
    schoolYear,
    previousYear,
    schools: countsBySchool(schools, items, left),
    students: f.schoolId
      ? {
          new: items.filter((x) => x.schoolId === f.schoolId && x.change === 'new').map(brief),
          continuing: items.filter((x) => x.schoolId === f.schoolId && x.change === 'continuing').map(brief),
          left: left.filter((x) => x.schoolId === f.schoolId),
        }
      : null,
  };
}
