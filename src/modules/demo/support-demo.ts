// The demo county's student support (帮扶对象): cases in every category, teachers assigned by the
// real suggestion, peer pairs, and a semester of records up to "today" in a realistic rhythm.
//
// Loaded set-based in ONE transaction (multi-row INSERT … SELECT FROM jsonb_to_recordset, ids taken
// from the sequences first so rows can be linked before they are inserted), not one service call per
// case / pairing / record — that took minutes. The rules are not restated here: the categories come
// from categoriesFromFlags / mergeInto / sortCategories, the teachers from suggestAssignments (checked
// by acceptProblems), the confidential records' audit image from the engine's auditImage, the
// calendar from loadCalendar; the registry facts are read through the support and pairings repos.
// What the services write for each change is written the same way, row for row: the case and its
// history ('created', 'categories', 'status'), the candidates' decisions, each pairing with its
// participants, status history and 'pairing.created', each record with 'activity.recorded', each
// check with 'activity.reviewed', and the services' own audit rows (support.cases_from_exam, …).
// Deterministic for a seed: one Rng stream per part, keyed by rank, not by database id.
import { sql } from 'drizzle-orm';
import { one, rows, type Tx } from '../../db/client.js';
import type { AppContext } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import type { Caller } from '../../server/http.js';
import { auditImage } from '../pairings/activities.service.js';
import * as pairingsRepo from '../pairings/pairings.repo.js';
import { loadCalendar } from '../pairings/programmes.service.js';
import { acceptProblems, suggestAssignments } from '../support/assignment.js';
import { categoriesFromFlags, mergeInto, sortCategories } from '../support/categories.js';
import { loadRules } from '../support/support-assign.service.js';
import * as supportRepo from '../support/support.repo.js';
import type { CaseSource, CaseStatus, SupportCategory } from '../support/support.schemas.js';
import { writeTransaction } from '../exams/exam-import.repo.js';
import type { AuditEntry } from '../audit/audit.repo.js';
import { allocateIds, writeRecords, type Col } from './demo.service.js';
import type { DemoCountyPlan } from './generator.js';
import { Rng } from './prng.js';

export interface DemoSupportResult {
  cases: number;
  byCategory: Record<string, number>;
  pairings: number;
  withoutTeacher: number;
  peers: number;
  records: number;
  returned: number;
  teachers: { onTrack: number; behind: number; short: number };
  seconds: number;
}

export interface DemoSupportOptions {
  /** share of the semester's records written (1 = the full rhythm; default 1) */
  recordShare?: number;
  /** told after each step (the names of BANGFU_DEMO_TIMING's lines): the first-run page's progress */
  onMark?: (what: string) => void;
}

const ACTOR = { userId: null, name: '系统（演示数据）' };
const REVIEWER = '教导处（演示）';
const OFFICE = { userId: null, name: REVIEWER };
/** rows per INSERT statement (one jsonb parameter each) */
const BATCH = 5000;

/**
 * Of each grade's latest exam, the share of the proposed 后20% candidates 教导处 confirms, by the
 * candidate's reason: the total's bottom group nearly always, a student weak in several subjects
 * often, one weak subject seldom (DOMAIN.md: "a student can be bottom-20% in one subject but not in
 * the total"); the rest stay undecided.
 */
const CONFIRM_SHARE: Record<string, number> = { total: 0.7, multi_subject: 0.3, single_subject: 0.04 };
/** 心困 and 行为偏差: named by head teachers and counsellors, a share of the enrolled students */
const PSYCH_SHARE = 0.012;
const BEHAVIOUR_SHARE = 0.01;

const CASE_COLS: Col[] = [
  { name: 'id', type: 'int' }, { name: 'student_id', type: 'int' }, { name: 'school_id', type: 'int' }, { name: 'school_year', type: 'text' },
  { name: 'class_id', type: 'int' }, { name: 'categories', type: 'text[]' }, { name: 'status', type: 'text' }, { name: 'weak_subjects', type: 'text[]' },
  { name: 'sources', type: 'jsonb' }, { name: 'created_by', type: 'int' },
];
const CASE_HISTORY_COLS: Col[] = [
  { name: 'case_id', type: 'int' }, { name: 'event', type: 'text' }, { name: 'from_status', type: 'text' }, { name: 'to_status', type: 'text' },
  { name: 'categories', type: 'text[]' }, { name: 'reason', type: 'text' }, { name: 'note', type: 'text' }, { name: 'semester', type: 'text' },
  { name: 'actor_user_id', type: 'int' }, { name: 'actor_name', type: 'text' },
];
const PAIRING_COLS: Col[] = [
  { name: 'id', type: 'int' }, { name: 'programme_id', type: 'int' }, { name: 'status', type: 'text' }, { name: 'start_date', type: 'date' },
  { name: 'plan', type: 'text' }, { name: 'school_id', type: 'int' }, { name: 'subject_ref', type: 'jsonb' }, { name: 'created_by', type: 'int' },
];
const PARTICIPANT_COLS: Col[] = [
  { name: 'pairing_id', type: 'int' }, { name: 'role', type: 'text' }, { name: 'side', type: 'text' }, { name: 'person_kind', type: 'text' },
  { name: 'person_id', type: 'int' }, { name: 'school_id', type: 'int' }, { name: 'from_date', type: 'date' }, { name: 'created_by', type: 'int' },
];
const PAIRING_HISTORY_COLS: Col[] = [
  { name: 'pairing_id', type: 'int' }, { name: 'from_status', type: 'text' }, { name: 'to_status', type: 'text' }, { name: 'effective_date', type: 'date' },
  { name: 'reason', type: 'text' }, { name: 'actor_user_id', type: 'int' }, { name: 'actor_name', type: 'text' },
];
const ACTIVITY_COLS: Col[] = [
  { name: 'id', type: 'int' }, { name: 'pairing_id', type: 'int' }, { name: 'type', type: 'text' }, { name: 'date', type: 'date' }, { name: 'role', type: 'text' },
  { name: 'person_ids', type: 'text[]' }, { name: 'content', type: 'text' }, { name: 'fields', type: 'jsonb' }, { name: 'confidential', type: 'boolean' },
  { name: 'status', type: 'text' }, { name: 'recorded_by', type: 'int' }, { name: 'recorded_by_name', type: 'text' },
  { name: 'created_at', type: 'timestamptz' }, { name: 'updated_at', type: 'timestamptz' },
];
const CHECK_COLS: Col[] = [
  { name: 'id', type: 'int' }, { name: 'activity_id', type: 'int' }, { name: 'revision', type: 'int' }, { name: 'reviewer_id', type: 'int' },
  { name: 'reviewer_name', type: 'text' }, { name: 'verdict', type: 'text' }, { name: 'comment', type: 'text' }, { name: 'spot_check', type: 'boolean' },
  { name: 'at', type: 'timestamptz' },
];
/** audit_log as writeAudit fills it; `at` = when it happened (a record of September), else the load's time */
const AUDIT_COLS: Col[] = [
  { name: 'actor_user_id', type: 'int' }, { name: 'actor_name', type: 'text' }, { name: 'action', type: 'text' }, { name: 'entity_type', type: 'text' },
  { name: 'entity_id', type: 'text' }, { name: 'school_id', type: 'int' }, { name: 'before', type: 'jsonb' }, { name: 'after', type: 'jsonb' },
  { name: 'reason', type: 'text' }, { name: 'at', type: 'timestamptz' },
];

const TALK_TOPICS = ['学习态度', '作业完成情况', '与同学相处', '近期考试情况', '家庭情况', '学习计划', '课堂纪律', '心理疏导', '理想与目标', '生活习惯'];
const TALK_RESULTS = ['学生表示愿意努力，下周检查作业完成情况。', '情绪较前稳定，能主动交流。', '认识到问题所在，制定了改进计划。', '效果一般，需继续跟进。', '比上次谈话时有明显进步。'];
const METHODS = ['预习—听课—复习三步法', '错题本的整理与使用', '课堂笔记方法', '单词记忆方法', '计算检查的习惯', '阅读圈点批注', '制定每日学习计划', '公式推导与归纳'];
const RETURN_COMMENTS = ['记录过于简单，请补充谈话内容和效果。', '日期与学生记录不符，请核实后重新提交。', '家访记录缺少商定事项，请补充。', '辅导内容与学生的薄弱学科不符，请说明。'];
const MET = ['母亲', '父亲', '祖母', '祖父', '外祖母', '监护人'];
const SUBJECTS = ['语文', '数学', '英语'];

type Actor = { userId: number | null; name: string };
interface AuditRow { actor_user_id: number | null; actor_name: string; action: string; entity_type: string; entity_id: string | null; school_id: number | null; before: unknown; after: unknown; reason: string | null; at: string }

/** One audit row as writeAudit (src/modules/audit/audit.repo.ts) stores it. */
function auditRow(actor: Actor, e: AuditEntry, at?: string): AuditRow {
  return {
    actor_user_id: actor.userId, actor_name: actor.name, action: e.action, entity_type: e.entityType, entity_id: e.entityId == null ? null : String(e.entityId),
    school_id: e.schoolId ?? null, before: e.before === undefined ? null : e.before, after: e.after === undefined ? null : e.after, reason: e.reason ?? null,
    at: at ?? new Date().toISOString(),
  };
}

/** The demo's bureau admin as an in-process caller (the services read the user's id and role, the scope and the actor). */
export async function adminCaller(q: Tx | AppContext['db']): Promise<Caller> {
  const { compileScope } = await import('../scope/scope.js');
  const admin = await one<{ id: number; username: string; display_name: string }>(q, sql`SELECT id, username, display_name FROM users WHERE role = 'bureau_admin' ORDER BY id LIMIT 1`);
  if (!admin) throw new AppError(409, 'NO_ADMIN', '演示县没有教育局管理员账号，无法生成帮扶数据');
  const user = { id: admin.id, username: admin.username, displayName: admin.display_name, role: 'bureau_admin' as const, schoolId: null, teacherId: null };
  return { user: { ...user, mustChangePassword: false, csrfToken: '', sessionId: '', locale: 'zh-CN' }, scope: compileScope(user), actor: ACTOR } as unknown as Caller;
}

interface CaseRec {
  id: number;
  studentId: number;
  schoolId: number;
  classId: number | null;
  categories: SupportCategory[];
  status: CaseStatus;
  weakSubjects: string[];
  sources: CaseSource[];
}

interface Entry { studentId: number; schoolId: number; classId: number | null; categories: string[]; sources: CaseSource[]; weakSubjects: string[]; status: CaseStatus }

/** Everything the load writes, in the order the services would have written it. */
class Changes {
  readonly cases = new Map<number, CaseRec>(); // by student
  readonly caseHistory: Record<string, unknown>[] = [];
  readonly audit: AuditRow[] = [];

  /** case ids taken from the sequence ahead, for many one-entry upserts */
  private readonly reserved: number[] = [];

  constructor(private readonly tx: Tx, private readonly c: Caller) {}

  async reserve(n: number) {
    this.reserved.push(...(await allocateIds(this.tx, 'support_cases', n)));
  }

  /**
   * support.service's upsertCases on the stored state: a student without a case gets one (history
   * 'created'), one with a case gets the new categories and sources merged in (mergeInto; history
   * 'categories' when a category is added). Ids come from the sequence, in creation order.
   */
  async upsert(entries: readonly Entry[], note: string): Promise<{ created: number[]; updated: number[]; unchanged: number[] }> {
    const fresh = new Set(entries.filter((e) => !this.cases.has(e.studentId)).map((e) => e.studentId));
    const reserved = this.reserved.splice(0, fresh.size);
    const ids = [...reserved, ...(await allocateIds(this.tx, 'support_cases', fresh.size - reserved.length))];
    let next = 0;
    const created: number[] = [];
    const updated: number[] = [];
    const unchanged: number[] = [];
    for (const e of entries) {
      const cur = this.cases.get(e.studentId);
      if (!cur) {
        const categories = sortCategories(e.categories);
        const id = ids[next++]!;
        this.cases.set(e.studentId, { id, studentId: e.studentId, schoolId: e.schoolId, classId: e.classId, categories, status: e.status, weakSubjects: [...e.weakSubjects], sources: [...e.sources] });
        this.history(id, 'created', null, e.status, categories, { note });
        created.push(id);
        continue;
      }
      const m = mergeInto(cur, e);
      if (!m.changed) {
        unchanged.push(cur.id);
        continue;
      }
      Object.assign(cur, { categories: m.categories, sources: m.sources, weakSubjects: m.weakSubjects });
      if (m.categoriesChanged) this.history(cur.id, 'categories', cur.status, cur.status, m.categories, { note });
      updated.push(cur.id);
    }
    return { created, updated, unchanged };
  }

  history(caseId: number, event: string, from: CaseStatus | null, to: CaseStatus, categories: readonly string[], o: { note?: string | null; reason?: string | null; actor?: Actor } = {}) {
    const actor = o.actor ?? this.c.actor;
    this.caseHistory.push({
      case_id: caseId, event, from_status: from, to_status: to, categories: [...categories], reason: o.reason ?? null, note: o.note ?? null, semester: null,
      actor_user_id: actor.userId, actor_name: actor.name,
    });
  }

  log(actor: Actor, e: Parameters<typeof auditRow>[1], at?: string) {
    this.audit.push(auditRow(actor, e, at));
  }
}

/**
 * Loads the support part of the demo county (after the exams: the 后20% cases come from their
 * confirmed candidate lists). Dates up to plan.today (China date); the services' own "today" is the
 * clock's, so the demo is meant to be loaded with today = now (as `bangfu demo` does).
 */
export async function loadDemoSupport(ctx: AppContext, plan: DemoCountyPlan, opts: DemoSupportOptions = {}): Promise<DemoSupportResult> {
  const started = Date.now();
  const share = Math.min(1, Math.max(0, opts.recordShare ?? 1));
  const timing = process.env.BANGFU_DEMO_TIMING === '1';
  let last = Date.now();
  const mark = (what: string) => {
    opts.onMark?.(what);
    if (!timing) return;
    const now = Date.now();
    console.error(`  [demo support] ${what}: ${now - last} ms`);
    last = now;
  };
  // one transaction; on PostgreSQL with COPY on its connection
  const out = await writeTransaction(ctx, async (q, copyIn) => {
    const tx = q as Tx;
    const c = await adminCaller(tx);
    const root = new Rng(`bangfu-support:${plan.seed}`);
    const schoolYear = plan.schoolYear;
    const w = new Changes(tx, c);
    const at = new Date().toISOString();

    // 1. 教导处 confirms the 后20% candidates of each cohort's exam before this term's mid-term (范文1: the list
    //    comes from 上学期期末统考; 七年级: the entrance test) — most of the total's bottom group, fewer of
    //    the one-subject ones, the rest stay undecided — then casesFromExam makes the cases
    const startYear = Number(schoolYear.slice(0, 4));
    const exams = await rows<{ id: string; name: string }>(tx, sql`SELECT id, name FROM (
        SELECT e.id, e.name, ${startYear} - (left(e.school_year, 4)::int - e.grade) AS grade_now,
          row_number() OVER (PARTITION BY left(e.school_year, 4)::int - e.grade ORDER BY e.exam_date DESC, e.created_at DESC) AS back
        FROM exams e WHERE e.status = 'analysed' AND e.scope = 'county') x
      WHERE back = 2 AND grade_now BETWEEN 7 AND 9 ORDER BY grade_now`);
    const confirmRng = root.fork('confirm');
    for (const e of exams) {
      const cands = await rows<{ studentId: number; schoolId: number; reason: string }>(tx, sql`SELECT student_id AS "studentId", school_id AS "schoolId", reason
        FROM exam_candidates WHERE exam_id = ${e.id} AND status = 'proposed' ORDER BY student_id`);
      const chosen = cands.filter((x) => confirmRng.chance(CONFIRM_SHARE[x.reason] ?? 0.5));
      const note = '教导处核实确认（演示）';
      if (chosen.length > 0) {
        await tx.execute(sql`UPDATE exam_candidates SET status = 'confirmed', decided_by = ${c.user.id}, decided_at = now(), decision_note = ${note}
          WHERE exam_id = ${e.id} AND student_id = ANY(${`{${chosen.map((x) => x.studentId).join(',')}}`}::int[])`);
      }
      // exam-analysis.service decideCandidate's audit, one per decision
      for (const x of chosen) {
        w.log(OFFICE, {
          action: 'exam.candidate.confirmed', entityType: 'exam_candidate', entityId: `${e.id}/${x.studentId}`, schoolId: x.schoolId,
          before: { status: 'proposed', note: null }, after: { status: 'confirmed', note }, reason: note,
        });
      }
      // support.service casesFromExam
      const confirmed = await supportRepo.confirmedCandidates(tx, e.id, sql`TRUE`);
      const facts = new Map((await supportRepo.studentsWithEnrollment(tx, confirmed.map((x) => x.studentId), schoolYear, sql`TRUE`)).map((s) => [s.id, s]));
      const entries: Entry[] = [];
      for (const cand of confirmed) {
        const st = facts.get(cand.studentId);
        if (!st) continue;
        entries.push({
          studentId: st.id, schoolId: st.enrolledSchoolId ?? st.schoolId, classId: st.classId, categories: ['learning'],
          sources: [{ kind: 'exam', category: 'learning', examId: e.id, examName: e.name, subjects: cand.subjects, at }], weakSubjects: cand.subjects, status: 'confirmed',
        });
      }
      const r = await w.upsert(entries, `考试“${e.name}”后20%名单（已确认）`);
      w.log(c.actor, {
        action: 'support.cases_from_exam', entityType: 'exam', entityId: e.id, schoolId: null,
        after: { schoolYear, confirmedCandidates: confirmed.length, created: r.created, updated: r.updated, unchanged: r.unchanged.length },
      });
    }

    mark('exam cases');
    // 2. casesFromFlags (贫困, 留守, 特殊家庭) over the county; the schools confirm most of them (transitionCase)
    const flags = await supportRepo.familyFlagsOf(tx, schoolYear, sql`TRUE`);
    const enrolled = await supportRepo.enrolledStudents(tx, schoolYear, sql`TRUE`);
    {
      const entries: Entry[] = [];
      for (const st of enrolled) {
        const f = flags.get(st.studentId);
        if (!f) continue;
        const got = categoriesFromFlags(f, at);
        if (got.categories.length === 0) continue;
        entries.push({ studentId: st.studentId, schoolId: st.schoolId, classId: st.classId, categories: got.categories, sources: got.sources, weakSubjects: [], status: 'identified' });
      }
      const r = await w.upsert(entries, '家庭情况（建档立卡、低保、特困、孤儿、留守等）');
      w.log(c.actor, { action: 'support.cases_from_flags', entityType: 'support_case', entityId: null, schoolId: null, after: { schoolYear, created: r.created, updated: r.updated, unchanged: r.unchanged.length } });
    }
    const confirmFlags = root.fork('confirm-flags');
    const transition = (k: CaseRec, to: CaseStatus, note: string) => {
      w.history(k.id, 'status', k.status, to, k.categories, { note });
      w.log(c.actor, {
        action: 'support.case_transitioned', entityType: 'support_case', entityId: k.id, schoolId: k.schoolId,
        before: { status: k.status }, after: { status: to, closeReason: null, closedOn: null, semester: null }, reason: note,
      });
      k.status = to;
    };
    for (const k of [...w.cases.values()].filter((x) => x.status === 'identified').sort((a, b) => a.id - b.id)) {
      if (confirmFlags.chance(0.9)) transition(k, 'confirmed', '学校核实确认');
    }

    mark('flag cases');
    // 3. 心困 and 行为偏差, named by head teachers and counsellors: createCase (then confirmed by the school),
    //    or updateCase adding the category to the student's case
    const manualRng = root.fork('manual');
    const named: { studentId: number; cats: SupportCategory[] }[] = [];
    for (const s of enrolled) {
      const cats: SupportCategory[] = [];
      if (manualRng.chance(PSYCH_SHARE)) cats.push('psychological');
      if (manualRng.chance(BEHAVIOUR_SHARE)) cats.push('behaviour');
      if (cats.length > 0) named.push({ studentId: s.studentId, cats });
    }
    const facts = new Map((await supportRepo.studentsWithEnrollment(tx, named.map((s) => s.studentId), schoolYear, sql`TRUE`)).map((s) => [s.id, s]));
    await w.reserve(named.filter((x) => !w.cases.has(x.studentId)).length);
    for (const { studentId, cats } of named) {
      const note = cats.includes('psychological') ? '班主任、心理辅导教师认定' : '班主任认定';
      const cur = w.cases.get(studentId);
      if (cur) {
        // updateCase: the categories with a reason (history 'categories', audit support.case_updated)
        const categories = sortCategories([...cur.categories, ...cats]);
        if (categories.join() === cur.categories.join()) continue;
        const added = categories.filter((k) => !cur.categories.includes(k));
        const before = { categories: cur.categories, weakSubjects: cur.weakSubjects };
        cur.sources = [...cur.sources, ...added.map((category): CaseSource => ({ kind: 'manual', category, note, at }))];
        cur.categories = categories;
        w.history(cur.id, 'categories', cur.status, cur.status, categories, { reason: note });
        w.log(c.actor, { action: 'support.case_updated', entityType: 'support_case', entityId: cur.id, schoolId: cur.schoolId, before, after: { categories, weakSubjects: cur.weakSubjects }, reason: note });
        continue;
      }
      const st = facts.get(studentId)!;
      const schoolId = st.enrolledSchoolId ?? st.schoolId;
      const sources: CaseSource[] = sortCategories(cats).map((category) => ({ kind: 'manual', category, note, at }));
      const r = await w.upsert([{ studentId: st.id, schoolId, classId: st.classId, categories: cats, sources, weakSubjects: [], status: 'identified' }], note);
      const caseId = r.created[0]!;
      w.log(c.actor, {
        action: 'support.case_created', entityType: 'support_case', entityId: caseId, schoolId,
        after: { studentId: st.id, schoolYear, categories: sortCategories(cats), weakSubjects: [], status: 'identified' }, reason: note,
      });
      transition(w.cases.get(st.id)!, 'confirmed', '学校核实确认');
    }

    mark('manual cases');
    const caseList = [...w.cases.values()].sort((a, b) => a.id - b.id);
    await writeRecords(tx, copyIn, 'support_cases', CASE_COLS, caseList.map((k) => ({
      id: k.id, student_id: k.studentId, school_id: k.schoolId, school_year: schoolYear, class_id: k.classId, categories: k.categories,
      status: k.status, weak_subjects: k.weakSubjects, sources: k.sources, created_by: c.user.id || null,
    })), true, BATCH);

    mark('insert cases');
    // 4. teachers: per school, the real suggestion (suggestAssignments on what the assignment views read),
    //    accepted as made (acceptAssignments), except a few non-poor cases left waiting for a teacher
    const calendar = await loadCalendar(tx);
    const semester = calendar.semesterOn(plan.today) ?? calendar.semester(schoolYear, 1);
    const start = semester.start;
    const rules = await loadRules(tx);
    const programmes = {
      teacherStudent: (await pairingsRepo.getProgramme(tx, { key: 'teacher_student' }))!,
      peer: (await pairingsRepo.getProgramme(tx, { key: 'peer' }))!,
    };
    const sideOf = (p: typeof programmes.teacherStudent, role: string) => p.roles.find((r) => r.key === role)!.side;
    const schools = await rows<{ id: number }>(tx, sql`SELECT id FROM schools ORDER BY id`);
    const holdRng = root.fork('hold');
    const byId = new Map(caseList.map((k) => [k.id, k]));
    interface PairingRec { id: number; programme: 'teacher_student' | 'peer'; schoolId: number | null; caseId: number; helper: { kind: 'teacher' | 'student'; id: number; schoolId: number }; studentId: number; studentSchoolId: number; plan: string }
    const pairings: PairingRec[] = [];
    const pending: { schoolId: number; items: { caseId: number; teacherId: number }[]; teachers: Map<number, { name: string; schoolId: number }> }[] = [];
    let wanted = 0;
    for (const s of schools) {
      // one query at a time: a transaction is one connection
      const teachers = await supportRepo.schoolTeachers(tx, s.id, schoolYear);
      const cases = await supportRepo.casesForAssignment(tx, s.id, schoolYear);
      const links = await supportRepo.schoolLinks(tx, s.id, schoolYear, plan.today);
      const sug = suggestAssignments(rules, teachers, cases, links);
      const items = sug.items.filter((i) => !holdRng.chance(0.06) || byId.get(i.caseId)!.categories.includes('poverty')).map((i) => ({ caseId: i.caseId, teacherId: i.teacherId }));
      const problems = acceptProblems(rules, teachers, cases, links, items);
      if (problems.length > 0) throw new AppError(500, 'DEMO_ASSIGNMENT', `演示数据的结对分配不符合规则：${problems.join('；')}`);
      pending.push({ schoolId: s.id, items, teachers: new Map(teachers.map((t) => [t.id, { name: t.name, schoolId: s.id }])) });
      wanted += items.length;
    }
    mark('suggestions');
    const students = new Map((await pairingsRepo.peopleInScope(tx, 'student', caseList.map((k) => k.studentId), sql`TRUE`)).map((p) => [p.id, p]));
    const teacherIds = await allocateIds(tx, 'pairings', wanted);
    let nextPairing = 0;
    const accepted: { schoolId: number; made: { caseId: number; teacherId: number; pairingId: number }[] }[] = [];
    const teacherNames = new Map<number, string>();
    for (const p of pending) {
      const made: { caseId: number; teacherId: number; pairingId: number }[] = [];
      for (const it of p.items) {
        const k = byId.get(it.caseId)!;
        const t = p.teachers.get(it.teacherId)!;
        teacherNames.set(it.teacherId, t.name);
        const id = teacherIds[nextPairing++]!;
        const studentSchool = students.get(k.studentId)!.schoolId;
        pairings.push({
          id, programme: 'teacher_student', schoolId: p.schoolId, caseId: k.id, helper: { kind: 'teacher', id: it.teacherId, schoolId: t.schoolId },
          studentId: k.studentId, studentSchoolId: studentSchool, plan: '按学校帮扶分配建议结对（演示）',
        });
        made.push({ caseId: k.id, teacherId: it.teacherId, pairingId: id });
        if (k.status === 'confirmed') {
          w.history(k.id, 'status', 'confirmed', 'active', k.categories, { note: `分配帮扶教师：${t.name}` });
          k.status = 'active';
        }
      }
      if (made.length > 0) accepted.push({ schoolId: p.schoolId, made });
    }

    // the cases moved to active (acceptAssignments' updateCase)
    const activated = caseList.filter((k) => k.status === 'active').map((k) => k.id);
    if (activated.length > 0) await tx.execute(sql`UPDATE support_cases SET status = 'active', updated_at = now() WHERE id = ANY(${`{${activated.join(',')}}`}::int[])`);
    mark('assignments');
    // 5. peer pairs (一帮一, pairPeer) for some 学困 cases: a classmate who is not on the list
    const onList = new Set(caseList.map((k) => k.studentId));
    const byClass = new Map<number, number[]>();
    for (const e of enrolled) if (!onList.has(e.studentId) && e.classId != null) (byClass.get(e.classId) ?? byClass.set(e.classId, []).get(e.classId)!).push(e.studentId);
    const peerRng = root.fork('peers');
    const peerPicks: { k: CaseRec; helper: number }[] = [];
    for (const k of caseList) {
      if (!k.categories.includes('learning') || (k.status !== 'confirmed' && k.status !== 'active')) continue;
      if (!peerRng.chance(0.08) || k.classId == null) continue;
      const pool = byClass.get(k.classId);
      if (!pool || pool.length === 0) continue;
      peerPicks.push({ k, helper: pool.splice(peerRng.int(0, pool.length - 1), 1)[0]! });
    }
    const helpers = new Map((await pairingsRepo.peopleInScope(tx, 'student', peerPicks.map((x) => x.helper), sql`TRUE`)).map((p) => [p.id, p]));
    const peerIds = await allocateIds(tx, 'pairings', peerPicks.length);
    peerPicks.forEach(({ k, helper }, i) => {
      const h = helpers.get(helper)!;
      const s = students.get(k.studentId)!;
      pairings.push({
        id: peerIds[i]!, programme: 'peer', schoolId: h.schoolId === s.schoolId ? s.schoolId : null, caseId: k.id,
        helper: { kind: 'student', id: helper, schoolId: h.schoolId }, studentId: k.studentId, studentSchoolId: s.schoolId, plan: '班干部一帮一（演示）',
      });
    });

    mark('peers');
    // the pairings as createPairingIn writes them: the pairing, its two participants, its status history, 'pairing.created'
    const progId = { teacher_student: programmes.teacherStudent.id, peer: programmes.peer.id };
    const prog = { teacher_student: programmes.teacherStudent, peer: programmes.peer };
    await writeRecords(tx, copyIn, 'pairings', PAIRING_COLS, pairings.map((p) => ({
      id: p.id, programme_id: progId[p.programme], status: 'active', start_date: start, plan: p.plan, school_id: p.schoolId,
      subject_ref: { kind: 'support_case', id: p.caseId }, created_by: c.user.id,
    })), true, BATCH);
    await writeRecords(tx, copyIn, 'pairing_participants', PARTICIPANT_COLS, pairings.flatMap((p) => [
      { pairing_id: p.id, role: 'helper', side: sideOf(prog[p.programme], 'helper'), person_kind: p.helper.kind, person_id: p.helper.id, school_id: p.helper.schoolId, from_date: start, created_by: c.user.id },
      { pairing_id: p.id, role: 'helped', side: sideOf(prog[p.programme], 'helped'), person_kind: 'student', person_id: p.studentId, school_id: p.studentSchoolId, from_date: start, created_by: c.user.id },
    ]), false, BATCH);
    await writeRecords(tx, copyIn, 'pairing_status_history', PAIRING_HISTORY_COLS, pairings.map((p) => ({
      pairing_id: p.id, from_status: null, to_status: 'active', effective_date: start, reason: null, actor_user_id: c.actor.userId, actor_name: c.actor.name,
    })), false, BATCH);
    // the audit in the services' order: a school's pairings, then its acceptance; a peer pairing, then support.peer_paired
    const pairingAudit = (p: PairingRec) => auditRow(c.actor, {
      action: 'pairing.created', entityType: 'pairing', entityId: p.id, schoolId: p.schoolId,
      after: {
        programme: p.programme, status: 'active', start, end: null, plan: p.plan,
        participants: [{ role: 'helper', kind: p.helper.kind, personId: p.helper.id }, { role: 'helped', kind: 'student', personId: p.studentId }],
        subjectRef: { kind: 'support_case', id: p.caseId },
      },
    });
    const madeBy = new Map(pairings.map((p) => [p.id, p]));
    for (const a of accepted) {
      for (const m of a.made) w.audit.push(pairingAudit(madeBy.get(m.pairingId)!));
      w.log(c.actor, { action: 'support.assignments_accepted', entityType: 'support_case', entityId: null, schoolId: a.schoolId, after: { start, pairings: a.made } });
    }
    for (const p of pairings.filter((x) => x.programme === 'peer')) {
      w.audit.push(pairingAudit(p));
      w.log(c.actor, { action: 'support.peer_paired', entityType: 'support_case', entityId: p.caseId, schoolId: byId.get(p.caseId)!.schoolId, after: { pairingId: p.id, helperStudentId: p.helper.id } });
    }

    mark('insert pairings');
    await writeRecords(tx, copyIn, 'support_case_history', CASE_HISTORY_COLS, w.caseHistory, false, BATCH);

    mark('insert case history');
    // 6. a semester of records on the 师生结对 pairings, with 教导处's checks
    const users = new Map((await rows<{ teacherId: number; id: number }>(tx, sql`SELECT DISTINCT ON (teacher_id) teacher_id AS "teacherId", id FROM users
      WHERE teacher_id IS NOT NULL ORDER BY teacher_id, id`)).map((u) => [u.teacherId, u.id]));
    const teacherSubjects = new Map((await rows<{ id: number; subjects: string[] }>(tx, sql`SELECT id, subjects FROM teachers ORDER BY id`)).map((t) => [t.id, t.subjects]));
    const rec = records(root.fork('records'), calendar, start, plan.today, share, pairings.filter((p) => p.programme === 'teacher_student').map((p) => {
      const k = byId.get(p.caseId)!;
      return {
        id: p.id, schoolId: p.schoolId, teacherId: p.helper.id, studentId: p.studentId, teacherName: teacherNames.get(p.helper.id)!, userId: users.get(p.helper.id) ?? null,
        subjects: teacherSubjects.get(p.helper.id) ?? [], categories: k.categories, weak: k.weakSubjects,
      };
    }));
    mark('plan records');
    const actIds = await allocateIds(tx, 'activities', rec.acts.length);
    const checkIds = await allocateIds(tx, 'activity_checks', rec.checks.length);
    rec.acts.forEach((a, i) => (a.id = actIds[i]!));
    await writeRecords(tx, copyIn, 'activities', ACTIVITY_COLS, rec.acts.map((a) => ({
      id: a.id, pairing_id: a.pairingId, type: a.type, date: a.date, role: a.role, person_ids: a.personIds, content: a.content, fields: a.fields,
      confidential: a.confidential, status: a.status, recorded_by: a.actor.userId, recorded_by_name: a.actor.name, created_at: a.created, updated_at: a.updated,
    })), true, BATCH);
    mark('insert activities');
    const checks = rec.checks.map((x, i) => ({ ...x, id: checkIds[i]!, activity: rec.acts[x.index]! }));
    await writeRecords(tx, copyIn, 'activity_checks', CHECK_COLS, checks.map((x) => ({
      id: x.id, activity_id: x.activity.id, revision: 1, reviewer_id: null, reviewer_name: REVIEWER, verdict: x.verdict, comment: x.comment, spot_check: false, at: x.at,
    })), true, BATCH);

    mark('insert checks');
    // the records' and checks' audit (recordActivity, reviewActivity), in time order
    const timedRows: AuditRow[] = [
      ...rec.acts.map((a) => auditRow(a.actor, {
        action: 'activity.recorded', entityType: 'activity', entityId: a.id, schoolId: a.schoolId,
        after: { pairingId: a.pairingId, ...auditImage({ type: a.type, date: a.date, role: a.role, personIds: a.personIds, content: a.content, fields: a.fields, confidential: a.confidential }) },
      }, a.created)),
      ...checks.map((x) => auditRow(OFFICE, {
        action: 'activity.reviewed', entityType: 'activity', entityId: x.activity.id, schoolId: x.activity.schoolId,
        before: { status: 'submitted', revision: 1 }, after: { status: x.verdict, checkId: x.id, spotCheck: false, comment: x.comment },
      }, x.at)),
    ];
    const ms = timedRows.map((a) => Date.parse(a.at));
    const timed = ms.map((_, i) => i).sort((a, b) => ms[a]! - ms[b]! || a - b).map((i) => timedRows[i]!);
    mark('plan audit');
    await writeRecords(tx, copyIn, 'audit_log', AUDIT_COLS, [...w.audit, ...timed] as unknown as Record<string, unknown>[], false, BATCH);

    mark('insert audit');
    // derived state other modules keep for pairings and records (none today; see refreshDerived)
    await refreshDerived(tx, pairings.map((p) => p.id));

    const counts = await rows<{ category: string; n: number }>(tx, sql`SELECT k AS category, count(*)::int AS n FROM support_cases, unnest(categories) k
      WHERE school_year = ${schoolYear} GROUP BY k ORDER BY k`);
    const covered = new Set(pairings.filter((p) => p.programme === 'teacher_student').map((p) => p.studentId));
    const listed = caseList.filter((k) => k.status === 'confirmed' || k.status === 'active' || k.status === 'reviewed');
    mark('counts');
    return {
      cases: caseList.length,
      byCategory: Object.fromEntries(counts.map((x) => [x.category, x.n])),
      pairings: rec.pairings,
      withoutTeacher: listed.filter((k) => !covered.has(k.studentId)).length,
      peers: peerPicks.length,
      records: rec.acts.length,
      returned: rec.returned,
      teachers: rec.teachers,
    };
  });
  return { ...out, seconds: (Date.now() - started) / 1000 };
}

/**
 * Caches or counters other modules keep for pairings and their records (a compliance cache …) are
 * filled here in the load's transaction, from the rows just written, by the owning module's own
 * function. Nothing to fill today: compliance and the check queue read the activities directly.
 */
async function refreshDerived(_tx: Tx, _pairingIds: readonly number[]): Promise<void> {}

type Calendar = Awaited<ReturnType<typeof loadCalendar>>;

interface PlannedActivity {
  id?: number;
  pairingId: number;
  schoolId: number | null;
  type: string;
  date: string;
  role: string;
  personIds: string[];
  content: string;
  fields: Record<string, unknown>;
  confidential: boolean;
  status: string;
  actor: Actor;
  created: string;
  updated: string;
}

/**
 * Records of every 师生结对 pairing from its start to `day`. Each teacher has a habit (Rng per
 * teacher): most keep the rhythm (on track), some have not yet phoned or visited the family
 * (behind), some let a fortnight pass without a talk (short). Per pairing: a talk every fortnight
 * (sometimes two), study-method guidance every month, 1–2 phone or home visits, 辅导 about 1.5 a
 * week (three in four 课外), 心理辅导 for 心困 cases (confidential), and the student's weekly record
 * book entered by 教导处 every school week (cross-check). Records of past months were checked by 教导处: accepted, a
 * few returned with a comment; this month's are submitted. Pure: the caller writes them.
 */
function records(
  rng: Rng, calendar: Calendar, semesterStart: string, day: string, share: number,
  pairings: readonly { id: number; schoolId: number | null; teacherId: number; studentId: number; teacherName: string; userId: number | null; subjects: string[]; categories: string[]; weak: string[] }[],
) {
  const from = semesterStart;
  const thisMonth = day.slice(0, 7);
  const schoolDays: string[] = [];
  const allDays: string[] = [];
  for (let d = from; d <= day; d = nextDay(d)) {
    allDays.push(d);
    if (calendar.isSchoolDay(d)) schoolDays.push(d);
  }
  const fortnights = calendar.periodsBetween('two_weeks', from, day);
  const months = calendar.periodsBetween('month', from, day);
  const weeks = calendar.periodsBetween('week', from, day);
  // Rng streams keyed by rank (ids differ between loads: a --force reload takes new ones from the sequences)
  const teacherRank = new Map([...new Set(pairings.map((p) => p.teacherId))].sort((a, b) => a - b).map((id, i) => [id, i]));
  const habits = new Map<number, 'on_track' | 'behind' | 'short'>();
  const habitOf = (teacherId: number) => {
    let h = habits.get(teacherId);
    if (!h) {
      const x = new Rng(`${rng.label}/teacher:${teacherRank.get(teacherId)}`).next();
      h = x < 0.72 ? 'on_track' : x < 0.88 ? 'behind' : 'short';
      habits.set(teacherId, h);
    }
    return h;
  };
  const inRange = (list: string[], a: string, b: string) => list.filter((d) => d >= a && d <= b);

  const acts: PlannedActivity[] = [];
  const checks: { index: number; verdict: string; comment: string | null; at: string }[] = [];
  let returned = 0;
  const sorted = [...pairings].sort((a, b) => a.id - b.id);
  for (const [rank, p] of sorted.entries()) {
    const r = new Rng(`${rng.label}/pairing:${rank}`);
    const habit = habitOf(p.teacherId);
    const people = [`teacher:${p.teacherId}`, `student:${p.studentId}`];
    const subject = p.weak.find((w) => p.subjects.includes(w)) ?? p.weak[0] ?? p.subjects.find((x) => SUBJECTS.includes(x)) ?? r.pick(SUBJECTS);
    const days = schoolDays;
    if (days.length === 0) continue;
    const out: { type: string; date: string; role: string; content: string; fields: Record<string, unknown>; confidential?: boolean; byOffice?: boolean }[] = [];
    // talks: one a fortnight, sometimes two; a 'short' teacher skips one past fortnight
    const skip = habit === 'short' ? r.int(0, Math.max(0, fortnights.length - 2)) : -1;
    fortnights.forEach((f, i) => {
      if (i === skip) return;
      const ds = inRange(days, f.start, f.end);
      if (ds.length === 0) return;
      const n = r.chance(0.35) ? 2 : 1;
      for (let k = 0; k < n; k++) {
        const topic = r.pick(TALK_TOPICS);
        out.push({ type: 'talk', date: r.pick(ds), role: 'helper', content: `与学生谈话：${topic}。`, fields: { topic, result: r.pick(TALK_RESULTS) } });
      }
    });
    // study-method guidance: monthly
    for (const m of months) {
      const ds = inRange(days, m.start, m.end);
      if (ds.length === 0) continue;
      const method = r.pick(METHODS);
      out.push({ type: 'study_guidance', date: r.pick(ds), role: 'helper', content: `指导学习方法：${method}。`, fields: { subject, method } });
    }
    // phone or home visits: 1–2 by now (a 'behind' teacher: none yet)
    if (habit !== 'behind') {
      const n = r.chance(0.4) ? 2 : 1;
      for (let k = 0; k < n; k++) {
        const home = r.chance(0.45);
        const met = r.pick(MET);
        out.push({
          type: home ? 'home_visit' : 'phone_visit', date: r.pick(allDays), role: 'helper', content: home ? `到学生家中家访，见到${met}。` : `与学生${met}电话沟通。`,
          fields: { met, home_situation: p.categories.includes('left_behind') ? '父母在外务工，由祖辈照看。' : '家庭经济一般，家长关心孩子学习。', agreed: '家长督促按时完成作业，每周与班主任联系一次。' },
        });
      }
    }
    // 辅导: about 1.5 a week, mostly 课外
    const weekCount = Math.max(1, Math.round(days.length / 5));
    const sessions = Math.round(weekCount * (habit === 'on_track' ? 1.75 : 1.2));
    for (let k = 0; k < sessions; k++) {
      const setting = r.chance(0.75) ? '课外' : '课内';
      out.push({
        type: 'tutoring', date: r.pick(days), role: 'helper', content: `${subject}个别辅导。`,
        fields: { subject, setting, place: setting === '课外' && r.chance(0.1) ? '校外' : '校内', area: r.chance(0.85) ? '学习' : '生活', aspect: r.chance(0.7) ? '习惯' : '心理', focus: r.chance(0.6) ? '作业' : '能力', result: r.pick(TALK_RESULTS) },
      });
    }
    // 心理辅导 for 心困 cases: about every three weeks, always confidential
    if (p.categories.includes('psychological')) {
      for (let k = 0; k < Math.max(1, Math.round(weekCount / 3)); k++) out.push({ type: 'psych_support', date: r.pick(days), role: 'helper', content: '心理辅导（保密）。', fields: { topic: '情绪调节' }, confidential: true });
    }
    // the student's weekly record book, entered by 教导处 (cross-check): every school week
    for (const wk of weeks) {
      const ds = inRange(days, wk.start, wk.end);
      if (ds.length === 0) continue;
      out.push({ type: 'student_record', date: r.pick(ds), role: 'helped', content: '学生帮扶记录本登记。', fields: { kind: r.pick(['辅导', '谈心', '学习方法指导']), subject }, byOffice: true });
    }
    out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    for (const a of out) {
      // a lighter demo keeps the rule-bearing records (talks, guidance, visits) and a share of the rest
      if (share < 1 && (a.type === 'tutoring' || a.type === 'student_record') && !r.chance(share)) continue;
      const past = a.date.slice(0, 7) < thisMonth;
      let status = 'submitted';
      let check: { verdict: string; comment: string | null } | null = null;
      if (past) {
        if (r.chance(0.004)) {
          status = 'returned';
          check = { verdict: 'returned', comment: r.pick(RETURN_COMMENTS) };
          returned++;
        } else if (r.chance(0.92)) {
          status = 'accepted';
          check = { verdict: 'accepted', comment: null };
        }
      }
      const created = `${a.date}T${a.byOffice ? '16' : '18'}:${String(r.int(0, 59)).padStart(2, '0')}:00+08:00`;
      const checkedAt = check ? `${monthEnd(a.date)}T16:00:00+08:00` : null;
      acts.push({
        pairingId: p.id, schoolId: p.schoolId, type: a.type, date: a.date, role: a.role, personIds: people, content: a.content, fields: a.fields, confidential: !!a.confidential,
        status, actor: a.byOffice ? OFFICE : { userId: p.userId, name: p.teacherName }, created, updated: checkedAt ?? created,
      });
      if (check) checks.push({ index: acts.length - 1, ...check, at: checkedAt! });
    }
  }
  // ids in the order the records were written: by time (ties keep the order above)
  const createdMs = acts.map((a) => Date.parse(a.created));
  const order = acts.map((_, i) => i).sort((a, b) => createdMs[a]! - createdMs[b]! || a - b);
  const position = new Map(order.map((i, pos) => [i, pos]));
  const timedActs = order.map((i) => acts[i]!);
  // checked at a month's end: the string order is the time order
  const timedChecks = checks.map((x) => ({ ...x, index: position.get(x.index)! }))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.index - b.index));
  const teachers = { onTrack: 0, behind: 0, short: 0 };
  for (const h of habits.values()) teachers[h === 'on_track' ? 'onTrack' : h]++;
  return { pairings: sorted.length, acts: timedActs, checks: timedChecks, returned, teachers };
}

function nextDay(d: string): string {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

const monthEnds = new Map<string, string>();
function monthEnd(d: string): string {
  const month = d.slice(0, 7);
  let end = monthEnds.get(month);
  if (!end) {
    const [y, m] = month.split('-').map(Number) as [number, number];
    end = `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
    monthEnds.set(month, end);
  }
  return end;
}
