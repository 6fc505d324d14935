// The demo county's student support (帮扶对象): confirmed cases in every category, teachers
// assigned through the real suggestion and acceptance, peer pairs, and a semester of records up to
// "today" in a realistic rhythm. Cases, assignments and peer pairs go through the support services
// (their rules, history and audit); the records (≈40 a pairing) are bulk-inserted like the rest of
// the demo county (INSERT … SELECT FROM jsonb_to_recordset), with 教导处's monthly checks.
// Deterministic for a seed: one Rng stream per part, people in id order.
import { sql } from 'drizzle-orm';
import { one, rows } from '../../db/client.js';
import type { AppContext } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import type { Caller } from '../../server/http.js';
import { writeAudit } from '../audit/audit.repo.js';
import { sortCategories } from '../support/categories.js';
import { insertRecords, type Col } from './demo.service.js';
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
}

const ACTOR = { userId: null, name: '系统（演示数据）' };
const REVIEWER = '教导处（演示）';

const ACTIVITY_COLS: Col[] = [
  { name: 'pairing_id', type: 'int' }, { name: 'type', type: 'text' }, { name: 'date', type: 'date' }, { name: 'role', type: 'text' },
  { name: 'person_ids', type: 'text[]' }, { name: 'content', type: 'text' }, { name: 'fields', type: 'jsonb' }, { name: 'confidential', type: 'boolean' },
  { name: 'status', type: 'text' }, { name: 'recorded_by', type: 'int' }, { name: 'recorded_by_name', type: 'text' },
  { name: 'created_at', type: 'timestamptz' }, { name: 'updated_at', type: 'timestamptz' },
];
const CHECK_COLS: Col[] = [
  { name: 'activity_id', type: 'int' }, { name: 'revision', type: 'int' }, { name: 'reviewer_name', type: 'text' }, { name: 'verdict', type: 'text' },
  { name: 'comment', type: 'text' }, { name: 'at', type: 'timestamptz' },
];

const TALK_TOPICS = ['学习态度', '作业完成情况', '与同学相处', '近期考试情况', '家庭情况', '学习计划', '课堂纪律', '心理疏导', '理想与目标', '生活习惯'];
const TALK_RESULTS = ['学生表示愿意努力，下周检查作业完成情况。', '情绪较前稳定，能主动交流。', '认识到问题所在，制定了改进计划。', '效果一般，需继续跟进。', '比上次谈话时有明显进步。'];
const METHODS = ['预习—听课—复习三步法', '错题本的整理与使用', '课堂笔记方法', '单词记忆方法', '计算检查的习惯', '阅读圈点批注', '制定每日学习计划', '公式推导与归纳'];
const RETURN_COMMENTS = ['记录过于简单，请补充谈话内容和效果。', '日期与学生记录不符，请核实后重新提交。', '家访记录缺少商定事项，请补充。', '辅导内容与学生的薄弱学科不符，请说明。'];
const MET = ['母亲', '父亲', '祖母', '祖父', '外祖母', '监护人'];
const SUBJECTS = ['语文', '数学', '英语'];

/** The demo's bureau admin as an in-process caller (the services read the user's id and role, the scope and the actor). */
async function adminCaller(ctx: AppContext): Promise<Caller> {
  const { compileScope } = await import('../scope/scope.js');
  const admin = await one<{ id: number; username: string; display_name: string }>(ctx.db, sql`SELECT id, username, display_name FROM users WHERE role = 'bureau_admin' ORDER BY id LIMIT 1`);
  if (!admin) throw new AppError(409, 'NO_ADMIN', '演示县没有教育局管理员账号，无法生成帮扶数据');
  const user = { id: admin.id, username: admin.username, displayName: admin.display_name, role: 'bureau_admin' as const, schoolId: null, teacherId: null };
  return { user: { ...user, mustChangePassword: false, csrfToken: '', sessionId: '', locale: 'zh-CN' }, scope: compileScope(user), actor: ACTOR } as unknown as Caller;
}

/**
 * Loads the support part of the demo county (after the exams: the 后20% cases come from their
 * confirmed candidate lists). Dates up to plan.today (China date); the services' own "today" is the
 * clock's, so the demo is meant to be loaded with today = now (as `bangfu demo` does).
 */
export async function loadDemoSupport(ctx: AppContext, plan: DemoCountyPlan, opts: DemoSupportOptions = {}): Promise<DemoSupportResult> {
  const started = Date.now();
  const share = Math.min(1, Math.max(0, opts.recordShare ?? 1));
  const [support, assign, { loadCalendar }] = await Promise.all([
    import('../support/support.service.js'),
    import('../support/support-assign.service.js'),
    import('../pairings/programmes.service.js'),
  ]);
  const c = await adminCaller(ctx);
  const root = new Rng(`bangfu-support:${plan.seed}`);
  const day = plan.today;
  const schoolYear = plan.schoolYear;

  // 1. 教导处 confirms most of each latest exam's 后20% candidates (a few stay undecided)
  const exams = await rows<{ id: string; name: string }>(ctx.db, sql`SELECT DISTINCT ON (grade) id, name FROM exams
    WHERE status = 'analysed' AND school_year = ${schoolYear} ORDER BY grade, exam_date DESC, created_at DESC`);
  const confirmRng = root.fork('confirm');
  for (const e of exams) {
    const cands = await rows<{ studentId: number; schoolId: number }>(ctx.db, sql`SELECT student_id AS "studentId", school_id AS "schoolId"
      FROM exam_candidates WHERE exam_id = ${e.id} AND status = 'proposed' ORDER BY student_id`);
    const ids = cands.filter(() => confirmRng.chance(0.85)).map((x) => x.studentId);
    if (ids.length === 0) continue;
    await ctx.db.transaction(async (tx) => {
      await tx.execute(sql`UPDATE exam_candidates SET status = 'confirmed', decided_by = ${c.user.id}, decided_at = now(), decision_note = '教导处核实确认（演示）'
        WHERE exam_id = ${e.id} AND student_id = ANY(${`{${ids.join(',')}}`}::int[])`);
      await writeAudit(tx, ACTOR, { action: 'exam.candidates_confirmed', entityType: 'exam', entityId: e.id, after: { confirmed: ids.length }, reason: '演示数据：教导处确认后20%名单' });
    });
    await support.casesFromExam(ctx, c, e.id, schoolYear);
  }

  // 2. cases from the family flags (贫困, 留守, 特殊家庭), most of them confirmed by the school
  await support.casesFromFlags(ctx, c, { schoolYear });
  const identified = await rows<{ id: number }>(ctx.db, sql`SELECT id FROM support_cases WHERE school_year = ${schoolYear} AND status = 'identified' ORDER BY id`);
  const confirmFlags = root.fork('confirm-flags');
  const toConfirm = identified.filter(() => confirmFlags.chance(0.9)).map((x) => x.id);
  // 3. 心困 and 行为偏差: named by head teachers and counsellors (manual cases, confirmed)
  const enrolled = await rows<{ studentId: number; schoolId: number; classId: number }>(ctx.db, sql`SELECT e.student_id AS "studentId", e.school_id AS "schoolId", e.class_id AS "classId"
    FROM enrollments e WHERE e.school_year = ${schoolYear} ORDER BY e.student_id`);
  const manualRng = root.fork('manual');
  const at = `${plan.today}T09:00:00+08:00`;
  const manual: { student_id: number; school_id: number; school_year: string; class_id: number; categories: string[]; status: string; sources: unknown }[] = [];
  for (const s of enrolled) {
    const cats: string[] = [];
    if (manualRng.chance(0.012)) cats.push('psychological');
    if (manualRng.chance(0.01)) cats.push('behaviour');
    if (cats.length === 0) continue;
    manual.push({
      student_id: s.studentId, school_id: s.schoolId, school_year: schoolYear, class_id: s.classId, categories: cats, status: 'confirmed',
      sources: cats.map((category) => ({ kind: 'manual', category, note: category === 'psychological' ? '班主任、心理辅导教师认定' : '班主任认定', at })),
    });
  }
  await ctx.db.transaction(async (tx) => {
    if (toConfirm.length > 0) {
      const list = `{${toConfirm.join(',')}}`;
      await tx.execute(sql`UPDATE support_cases SET status = 'confirmed', updated_at = now() WHERE id = ANY(${list}::int[])`);
      await tx.execute(sql`INSERT INTO support_case_history (case_id, event, from_status, to_status, categories, note, actor_user_id, actor_name)
        SELECT id, 'status', 'identified', 'confirmed', categories, '学校核实确认', NULL, ${ACTOR.name} FROM support_cases WHERE id = ANY(${list}::int[])`);
    }
    // merge into an existing case of the student (categories added), else a new confirmed case
    const existing = new Map((await rows<{ id: number; studentId: number; categories: string[] }>(tx, sql`SELECT id, student_id AS "studentId", categories
      FROM support_cases WHERE school_year = ${schoolYear}`)).map((x) => [x.studentId, x]));
    const fresh = manual.filter((m) => !existing.has(m.student_id));
    await insertRecords(tx, 'support_cases', [
      { name: 'student_id', type: 'int' }, { name: 'school_id', type: 'int' }, { name: 'school_year', type: 'text' }, { name: 'class_id', type: 'int' },
      { name: 'categories', type: 'text[]' }, { name: 'status', type: 'text' }, { name: 'sources', type: 'jsonb' },
    ], fresh, false);
    const studentList = `{${fresh.map((m) => m.student_id).join(',')}}`;
    await tx.execute(sql`INSERT INTO support_case_history (case_id, event, from_status, to_status, categories, note, actor_user_id, actor_name)
      SELECT id, 'created', NULL, 'confirmed', categories, '学校认定（心理、行为）', NULL, ${ACTOR.name} FROM support_cases
      WHERE school_year = ${schoolYear} AND student_id = ANY(${studentList}::int[])`);
    for (const m of manual) {
      const cur = existing.get(m.student_id);
      if (!cur) continue;
      const added = m.categories.filter((k) => !cur.categories.includes(k));
      if (added.length === 0) continue;
      const cats = sortCategories([...cur.categories, ...added]);
      await tx.execute(sql`UPDATE support_cases SET categories = ${`{${cats.join(',')}}`}::text[], sources = sources || ${JSON.stringify((m.sources as { category: string }[]).filter((s) => added.includes(s.category)))}::jsonb,
        updated_at = now() WHERE id = ${cur.id}`);
      await tx.execute(sql`INSERT INTO support_case_history (case_id, event, from_status, to_status, categories, note, actor_user_id, actor_name)
        SELECT id, 'categories', status, status, categories, '学校认定（心理、行为）', NULL, ${ACTOR.name} FROM support_cases WHERE id = ${cur.id}`);
    }
    await writeAudit(tx, ACTOR, { action: 'support.demo_cases', entityType: 'support_case', entityId: null, after: { confirmedFromFlags: toConfirm.length, manual: manual.length }, reason: '演示数据：学校确认帮扶对象' });
  });

  // 4. teachers: each school's suggestion (the assignment rules), accepted as made, except a few cases left for later
  const calendar = await loadCalendar(ctx.db);
  const semester = calendar.semesterOn(day) ?? calendar.semester(schoolYear, 1);
  const start = semester.start;
  const schools = await rows<{ id: number }>(ctx.db, sql`SELECT id FROM schools ORDER BY id`);
  const holdRng = root.fork('hold');
  // poor students are assigned first (one teacher each, a hard rule); a few others wait for a teacher
  const poor = new Set((await rows<{ id: number }>(ctx.db, sql`SELECT id FROM support_cases WHERE school_year = ${schoolYear} AND 'poverty' = ANY(categories)`)).map((x) => x.id));
  for (const s of schools) {
    const sug = await assign.suggest(ctx, c, { schoolId: s.id, schoolYear });
    const items = sug.items.filter((i) => !holdRng.chance(0.06) || poor.has(i.caseId)).map((i) => ({ caseId: i.caseId, teacherId: i.teacherId }));
    for (let i = 0; i < items.length; i += 500) {
      await assign.acceptAssignments(ctx, c, { schoolId: s.id, start, items: items.slice(i, i + 500), plan: '按学校帮扶分配建议结对（演示）' });
    }
  }

  // 5. peer pairs (一帮一) for some 学困 cases: a classmate who is not on the list
  const learning = await rows<{ id: number; studentId: number; classId: number | null }>(ctx.db, sql`SELECT id, student_id AS "studentId", class_id AS "classId"
    FROM support_cases WHERE school_year = ${schoolYear} AND 'learning' = ANY(categories) AND status IN ('confirmed', 'active') ORDER BY id`);
  const onList = new Set((await rows<{ studentId: number }>(ctx.db, sql`SELECT student_id AS "studentId" FROM support_cases WHERE school_year = ${schoolYear}`)).map((x) => x.studentId));
  const byClass = new Map<number, number[]>();
  for (const e of enrolled) if (!onList.has(e.studentId)) (byClass.get(e.classId) ?? byClass.set(e.classId, []).get(e.classId)!).push(e.studentId);
  const peerRng = root.fork('peers');
  let peers = 0;
  for (const k of learning) {
    if (!peerRng.chance(0.08) || k.classId == null) continue;
    const pool = byClass.get(k.classId);
    if (!pool || pool.length === 0) continue;
    const helper = pool.splice(peerRng.int(0, pool.length - 1), 1)[0]!;
    await assign.pairPeer(ctx, c, k.id, { helperStudentId: helper, start, plan: '班干部一帮一（演示）' });
    peers++;
  }

  // 6. a semester of records
  const rec = await writeRecords(ctx, root.fork('records'), calendar, start, day, share);

  const counts = await rows<{ category: string; n: number }>(ctx.db, sql`SELECT k AS category, count(*)::int AS n FROM support_cases, unnest(categories) k
    WHERE school_year = ${schoolYear} GROUP BY k ORDER BY k`);
  const totals = await one<{ cases: number; without: number }>(ctx.db, sql`SELECT count(*)::int AS cases,
    count(*) FILTER (WHERE status IN ('confirmed', 'active', 'reviewed') AND NOT EXISTS (SELECT 1 FROM pairings p WHERE p.subject_ref->>'kind' = 'support_case'
      AND (p.subject_ref->>'id')::int = support_cases.id AND p.status IN ('proposed', 'active')
      AND p.programme_id = (SELECT id FROM programmes WHERE key = 'teacher_student')))::int AS without
    FROM support_cases WHERE school_year = ${schoolYear}`);
  return {
    cases: totals?.cases ?? 0,
    byCategory: Object.fromEntries(counts.map((x) => [x.category, x.n])),
    pairings: rec.pairings,
    withoutTeacher: totals?.without ?? 0,
    peers,
    records: rec.records,
    returned: rec.returned,
    teachers: rec.teachers,
    seconds: (Date.now() - started) / 1000,
  };
}

type Calendar = Awaited<ReturnType<typeof import('../pairings/programmes.service.js').loadCalendar>>;

/**
 * Records of every active 师生结对 pairing from its start to `day`. Each teacher has a habit
 * (Rng per teacher): most keep the rhythm (on track), some have not yet phoned or visited the
 * family (behind), some let a fortnight pass without a talk (short). Per pairing: a talk every
 * fortnight (sometimes two), study-method guidance every month, 1–2 phone or home visits, 辅导
 * about 1.5 times a week (three in four 课外), 心理辅导 for 心困 cases, and the student's own
 * record entered by 教导处 about every other week. Records of past months were checked by 教导处:
 * accepted, a few returned with a comment; this month's are submitted.
 */
async function writeRecords(ctx: AppContext, rng: Rng, calendar: Calendar, semesterStart: string, day: string, share: number) {
  const pairings = await rows<{ id: number; start: string; teacherId: number; studentId: number; teacherName: string; subjects: string[]; categories: string[]; weak: string[]; userId: number | null }>(
    ctx.db, sql`SELECT p.id, p.start_date::text AS start, t.person_id AS "teacherId", s.person_id AS "studentId", te.name AS "teacherName", te.subjects,
      sc.categories, sc.weak_subjects AS weak, (SELECT u.id FROM users u WHERE u.teacher_id = te.id ORDER BY u.id LIMIT 1) AS "userId"
    FROM pairings p JOIN programmes pr ON pr.id = p.programme_id AND pr.key = 'teacher_student'
    JOIN pairing_participants t ON t.pairing_id = p.id AND t.role = 'helper' AND t.to_date IS NULL
    JOIN pairing_participants s ON s.pairing_id = p.id AND s.role = 'helped' AND s.to_date IS NULL
    JOIN teachers te ON te.id = t.person_id
    LEFT JOIN support_cases sc ON p.subject_ref->>'kind' = 'support_case' AND sc.id = (p.subject_ref->>'id')::int
    WHERE p.status = 'active' ORDER BY p.id`);
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

  const acts: Record<string, unknown>[] = [];
  const checks: { index: number; verdict: string; comment: string | null; at: string }[] = [];
  let returned = 0;
  for (const [rank, p] of pairings.entries()) {
    const r = new Rng(`${rng.label}/pairing:${rank}`);
    const habit = habitOf(p.teacherId);
    const people = [`teacher:${p.teacherId}`, `student:${p.studentId}`];
    const subject = p.weak.find((w) => p.subjects.includes(w)) ?? p.weak[0] ?? p.subjects.find((x) => SUBJECTS.includes(x)) ?? r.pick(SUBJECTS);
    const startDay = p.start > from ? p.start : from;
    const days = inRange(schoolDays, startDay, day);
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
        const d = r.pick(ds);
        const topic = r.pick(TALK_TOPICS);
        out.push({ type: 'talk', date: d, role: 'helper', content: `与学生谈话：${topic}。`, fields: { topic, result: r.pick(TALK_RESULTS) } });
      }
    });
    // study-method guidance: monthly
    for (const m of months) {
      const ds = inRange(days, m.start, m.end);
      if (ds.length === 0) continue;
      const d = r.pick(ds);
      const method = r.pick(METHODS);
      out.push({ type: 'study_guidance', date: d, role: 'helper', content: `指导学习方法：${method}。`, fields: { subject, method } });
    }
    // phone or home visits: 1–2 by now (a 'behind' teacher: none yet)
    if (habit !== 'behind') {
      const any = inRange(allDays, startDay, day);
      const n = r.chance(0.4) ? 2 : 1;
      for (let k = 0; k < n; k++) {
        const home = r.chance(0.45);
        const met = r.pick(MET);
        out.push({
          type: home ? 'home_visit' : 'phone_visit', date: r.pick(any), role: 'helper', content: home ? `到学生家中家访，见到${met}。` : `与学生${met}电话沟通。`,
          fields: { met, home_situation: p.categories.includes('left_behind') ? '父母在外务工，由祖辈照看。' : '家庭经济一般，家长关心孩子学习。', agreed: '家长督促按时完成作业，每周与班主任联系一次。' },
        });
      }
    }
    // 辅导: about 1.5 a week, mostly 课外
    const weeks = Math.max(1, Math.round(days.length / 5));
    const sessions = Math.round(weeks * (habit === 'on_track' ? 1.6 : 1.1));
    for (let k = 0; k < sessions; k++) {
      const setting = r.chance(0.75) ? '课外' : '课内';
      out.push({
        type: 'tutoring', date: r.pick(days), role: 'helper', content: `${subject}个别辅导。`,
        fields: { subject, setting, place: setting === '课外' && r.chance(0.1) ? '校外' : '校内', area: r.chance(0.85) ? '学习' : '生活', aspect: r.chance(0.7) ? '习惯' : '心理', focus: r.chance(0.6) ? '作业' : '能力', result: r.pick(TALK_RESULTS) },
      });
    }
    // 心理辅导 for 心困 cases: about every three weeks, always confidential
    if (p.categories.includes('psychological')) {
      for (let k = 0; k < Math.max(1, Math.round(weeks / 3)); k++) out.push({ type: 'psych_support', date: r.pick(days), role: 'helper', content: '心理辅导（保密）。', fields: { topic: '情绪调节' }, confidential: true });
    }
    // the student's own record book, entered by 教导处 (cross-check): about every other week
    for (let k = 0; k < Math.round(weeks / 2); k++) {
      out.push({ type: 'student_record', date: r.pick(days), role: 'helped', content: '学生帮扶记录本登记。', fields: { kind: r.pick(['辅导', '谈心', '学习方法指导']), subject }, byOffice: true });
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
      const created = `${a.date}T18:${String(r.int(0, 59)).padStart(2, '0')}:00+08:00`;
      acts.push({
        pairing_id: p.id, type: a.type, date: a.date, role: a.role, person_ids: people, content: a.content, fields: a.fields, confidential: !!a.confidential,
        status, recorded_by: a.byOffice ? null : p.userId, recorded_by_name: a.byOffice ? REVIEWER : p.teacherName, created_at: created, updated_at: created,
      });
      if (check) checks.push({ index: acts.length - 1, ...check, at: `${monthEnd(a.date)}T16:00:00+08:00` });
    }
  }

  await ctx.db.transaction(async (tx) => {
    const all = acts.length === 0 ? [] : (await rows<{ id: number }>(tx, sql`SELECT nextval(pg_get_serial_sequence('activities', 'id'))::int AS id
      FROM generate_series(1, ${acts.length})`)).map((x) => Number(x.id)).sort((a, b) => a - b);
    acts.forEach((a, i) => (a.id = all[i]));
    await insertRecords(tx, 'activities', [{ name: 'id', type: 'int' }, ...ACTIVITY_COLS], acts, true);
    await insertRecords(tx, 'activity_checks', CHECK_COLS, checks.map((x) => ({
      activity_id: all[x.index], revision: 1, reviewer_name: REVIEWER, verdict: x.verdict, comment: x.comment, at: x.at,
    })), false);
    await writeAudit(tx, ACTOR, { action: 'support.demo_records', entityType: 'activity', entityId: null, after: { records: acts.length, checks: checks.length, returned }, reason: '演示数据：一学期的帮扶记录' });
  });
  const teachers = { onTrack: 0, behind: 0, short: 0 };
  for (const h of habits.values()) teachers[h === 'on_track' ? 'onTrack' : h]++;
  return { pairings: pairings.length, records: acts.length, returned, teachers };
}

function nextDay(d: string): string {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

function monthEnd(d: string): string {
  const [y, m] = d.split('-').map(Number) as [number, number];
  return `${d.slice(0, 7)}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}
