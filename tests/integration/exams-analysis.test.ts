// The 后20% analysis wired to the database: the engine's hand-computed fixture
// (tests/unit/exams/fixture.ts) is inserted into exam_scores for the seeded county,
// analysed and stored; the stored cuts, ratios, ranks, changes, targets, candidates and
// awards must equal the hand-computed values on both backends. Scope, decisions with their
// audit rows, settings, exports and the CLI's CSV bytes are checked on the same data.
import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { one, rows, type Queryable } from '../../src/db/client.js';
import type { ExamSubjectSpec } from '../../src/db/schema.js';
import { analyseExam, bottom20SchoolCsv } from '../../src/modules/exams/analysis/analyse.js';
import { analyseAndStore } from '../../src/modules/exams/exam-analysis.service.js';
import { bottom20Report } from '../../src/modules/exams/exam-report.cli.js';
import { describeOnBackends, type TestContext } from '../helpers/db.js';
import { loginAgent, testApp, type Agent, type TestApp } from '../helpers/http.js';
import { countOf, seedCounty, type Seed, type SeedClass } from '../helpers/seed.js';
import { CHINESE, MATHS, fixtureInput } from '../unit/exams/fixture.js';

const execFileAsync = promisify(execFile);
const ACTOR = { userId: null, name: '测试' };
const TWO_SUBJECTS: ExamSubjectSpec[] = [
  { name: '语文', fullMarks: 100, countsToTotal: true },
  { name: '数学', fullMarks: 100, countsToTotal: true },
];

interface County extends Seed {
  /** the 20 fixture students s0…s19 (A1: s0–s5, A2: s6–s11, B1: s12–s19) */
  fixture: { id: number; classId: number; schoolId: number; schoolCode: string; name: string }[];
  cohort: number;
}

async function addStudent(q: Queryable, seed: Seed, c: SeedClass, name: string, status = '在读'): Promise<number> {
  const r = await one<{ id: number }>(q, sql`INSERT INTO students (school_id, name, sex, status) VALUES (${c.schoolId}, ${name}, '1', ${status}) RETURNING id`);
  await q.execute(sql`INSERT INTO enrollments (student_id, school_year, class_id, school_id) VALUES (${r!.id}, ${seed.schoolYear}, ${c.id}, ${c.schoolId})`);
  return r!.id;
}

/** Seeded county + students so that A1 and A2 have 6 and B1 has 8, as in the fixture; 语文 taught by 王芳 (A1, A2) and 赵刚 (B1). */
async function setupCounty(ctx: TestContext): Promise<County> {
  const seed = await seedCounty(ctx);
  const { a1, a2, b1 } = seed.classes;
  const fixture: County['fixture'] = [];
  const codeOf = (c: SeedClass) => (c.schoolId === seed.schools.a.id ? seed.schools.a.code : seed.schools.b.code);
  let k = 0;
  for (const [c, extra] of [[a1, 3], [a2, 3], [b1, 5]] as const) {
    const ids = seed.studentsOf(c).map((s) => ({ id: s.id, name: s.name }));
    for (let i = 0; i < extra; i++) {
      const name = `补充学生${++k}`;
      ids.push({ id: await addStudent(ctx.db, seed, c, name), name });
    }
    for (const s of ids) fixture.push({ id: s.id, classId: c.id, schoolId: c.schoolId, schoolCode: codeOf(c), name: s.name });
  }
  await ctx.db.execute(sql`INSERT INTO teaching_assignments (teacher_id, class_id, subject) VALUES
    (${seed.teachers.wangFang.id}, ${a2.id}, '语文'), (${seed.teachers.zhaoGang.id}, ${b1.id}, '语文')`);
  return { ...seed, fixture, cohort: Number(seed.schoolYear.slice(0, 4)) - 7 };
}

interface ScoreRow {
  studentId: number | null;
  schoolId: number | null;
  schoolCode: string;
  classId: number | null;
  classLabel?: string | null;
  name: string;
  scores: (number | null)[];
}

/** An exam with its rows inserted directly (what the importer writes), status 'imported'. */
async function insertExam(q: Queryable, seed: Seed, o: { name: string; term: 1 | 2; subjects: ExamSubjectSpec[]; rows: ScoreRow[]; scope?: string; schoolId?: number | null; examDate?: string; grade?: number }): Promise<string> {
  const id = crypto.randomUUID();
  await q.execute(sql`INSERT INTO exams (id, name, school_year, term, kind, scope, school_id, grade, exam_date, subjects, status, row_count)
    VALUES (${id}, ${o.name}, ${seed.schoolYear}, ${o.term}, '期末', ${o.scope ?? 'county'}, ${o.schoolId ?? null}, ${o.grade ?? 7}, ${o.examDate ?? null},
      ${JSON.stringify(o.subjects)}::jsonb, 'imported', ${o.rows.length})`);
  let rowNo = 3; // title rows above the header, as in a real sheet
  for (const r of o.rows) {
    const arr = `{${r.scores.map((s) => (s === null ? 'NULL' : String(s))).join(',')}}`;
    await q.execute(sql`INSERT INTO exam_scores (exam_id, row_no, student_id, school_id, school_code, class_id, class_label, name, scores)
      VALUES (${id}, ${rowNo++}, ${r.studentId}, ${r.schoolId}, ${r.schoolCode}, ${r.classId}, ${r.classLabel ?? null}, ${r.name}, ${arr}::float8[])`);
  }
  return id;
}

const nullable = (v: number) => (Number.isNaN(v) ? null : v);

function fixtureRows(county: County, chinese = CHINESE, maths = MATHS): ScoreRow[] {
  return county.fixture.map((s, i) => ({
    studentId: s.id, schoolId: s.schoolId, schoolCode: s.schoolCode, classId: s.classId, name: s.name,
    scores: [nullable(chinese[i]!), nullable(maths[i]!)],
  }));
}

type Unit = { subject: string; level: string; unitKey: string; unitName: string; enrolled: number; absent: number; bottom: number; ratio: number; rank: number;
  rankInSchool: number; classId: number | null; teacherId: number | null; headTeacher: string | null; pointsVsPrevious: number | null;
  bottomChangeVsPrevious: number | null; rankRiseVsPrevious: number | null; pointsVsBaseline: number | null; targetStatus: string | null; targetNote: string | null };

const storedUnits = (q: Queryable, examId: string) => rows<Unit>(q, sql`
  SELECT subject, level, unit_key AS "unitKey", unit_name AS "unitName", enrolled, absent, bottom, ratio, rank, rank_in_school AS "rankInSchool",
    class_id AS "classId", teacher_id AS "teacherId", head_teacher AS "headTeacher", points_vs_previous AS "pointsVsPrevious",
    bottom_change_vs_previous AS "bottomChangeVsPrevious", rank_rise_vs_previous AS "rankRiseVsPrevious", points_vs_baseline AS "pointsVsBaseline",
    target_status AS "targetStatus", target_note AS "targetNote"
  FROM exam_unit_results WHERE exam_id = ${examId}`);

const pick = (units: Unit[], subject: string, level: string, key: string) => {
  const u = units.find((x) => x.subject === subject && x.level === level && x.unitKey === key);
  if (!u) throw new Error(`no ${subject}/${level}/${key}`);
  return u;
};

describeOnBackends('exams analysis: the fixture stored and served', (getCtx, kind, getSeed) => {
  let county: County;
  let e1: string;
  let e2: string;
  let app: TestApp;
  const agents: Partial<Record<string, Agent>> = {};
  const as = async (key: keyof Seed['users']) => (agents[key] ??= await loginAgent(app, county.users[key]));
  const classKey = (c: SeedClass, code: string) => `${code}/${county.cohort}/${c.classNo}`;

  beforeAll(async () => {
    county = getSeed();
    app = await testApp(getCtx());
  });

  it('analyses the fixture: cuts, ratios and ranks equal the hand-computed values', async () => {
    const ctx = getCtx();
    e1 = await insertExam(ctx.db, county, { name: '七年级第一学期期末', term: 1, subjects: TWO_SUBJECTS, rows: fixtureRows(county), examDate: '2027-01-15' });
    const r = await analyseAndStore(ctx, e1, ACTOR);
    expect(r.ms).toBeGreaterThanOrEqual(0);
    expect(r.students).toBe(20);
    expect(r.missing).toBe(0);

    const stats = await rows<{ subject: string; ord: number; n: number; absent: number; position: number; cut: number | null; cutIsAbsent: boolean; bottom: number; distribution: number[] }>(ctx.db, sql`
      SELECT subject, ord, n, absent, position, cut, cut_is_absent AS "cutIsAbsent", bottom, distribution FROM exam_subject_stats WHERE exam_id = ${e1} ORDER BY ord`);
    expect(stats.map((s) => [s.subject, s.n, s.absent, s.position, s.cut, s.cutIsAbsent, s.bottom])).toEqual([
      ['语文', 20, 1, 4, 55.5, false, 5], // a tie at the cut pulls in the 5th student
      ['数学', 20, 2, 4, 40, false, 4],
      ['总分', 20, 2, 4, 110, false, 4], // s5 absent in 数学 only → absent in 总分
    ]);
    // 语文: 45 | 50 | 55.5 55.5 | 60 60 60 60 65 68 | 70 72 75 | 80 82 88 | 90 91 95 (buckets 4,5,5,6,7,8,9)
    expect(stats[0]!.distribution.map(Number)).toEqual([0, 0, 0, 0, 1, 3, 6, 3, 3, 3, 0]);
    for (const s of stats) expect(s.distribution.map(Number).reduce((a, b) => a + b, 0)).toBe(s.n - s.absent);

    const units = await storedUnits(ctx.db, e1);
    const { a, b } = county.schools;
    const { a1, a2, b1 } = county.classes;
    const { liMing, wangFang, zhaoGang } = county.teachers;
    const brief = (u: Unit) => [u.enrolled, u.bottom, u.ratio, u.rank, u.rankInSchool];
    // schools
    expect(brief(pick(units, '语文', 'school', a.code))).toEqual([12, 3, 0.25, 1, 0]);
    expect(brief(pick(units, '语文', 'school', b.code))).toEqual([8, 2, 0.25, 1, 0]); // exact tie: both 1
    expect(brief(pick(units, '数学', 'school', a.code))).toEqual([12, 3, 0.25, 2, 0]);
    expect(brief(pick(units, '数学', 'school', b.code))).toEqual([8, 1, 0.125, 1, 0]);
    expect(brief(pick(units, '总分', 'school', a.code))).toEqual([12, 2, 2 / 12, 1, 0]);
    expect(brief(pick(units, '总分', 'school', b.code))).toEqual([8, 2, 0.25, 2, 0]);
    // classes: county rank and rank in school; B1 is the only class of school B
    expect(brief(pick(units, '语文', 'class', classKey(a1, a.code)))).toEqual([6, 1, 1 / 6, 1, 1]);
    expect(brief(pick(units, '语文', 'class', classKey(b1, b.code)))).toEqual([8, 2, 0.25, 2, 1]);
    expect(brief(pick(units, '语文', 'class', classKey(a2, a.code)))).toEqual([6, 2, 2 / 6, 3, 2]);
    expect(brief(pick(units, '数学', 'class', classKey(b1, b.code)))).toEqual([8, 1, 0.125, 1, 1]);
    expect(brief(pick(units, '数学', 'class', classKey(a2, a.code)))).toEqual([6, 1, 1 / 6, 2, 1]);
    expect(brief(pick(units, '数学', 'class', classKey(a1, a.code)))).toEqual([6, 2, 2 / 6, 3, 2]);
    expect(brief(pick(units, '总分', 'class', classKey(a2, a.code)))).toEqual([6, 0, 0, 1, 1]);
    expect(brief(pick(units, '总分', 'class', classKey(b1, b.code)))).toEqual([8, 2, 0.25, 2, 1]);
    expect(brief(pick(units, '总分', 'class', classKey(a1, a.code)))).toEqual([6, 2, 2 / 6, 3, 2]);
    const a1Row = pick(units, '总分', 'class', classKey(a1, a.code));
    expect([a1Row.classId, a1Row.unitName, a1Row.headTeacher, a1Row.absent]).toEqual([a1.id, '七年级(1)班', '李明', 1]);
    // subject teachers (语文: 王芳 A1+A2, 赵刚 B1; 数学: 李明 A1, 王芳 A2, 赵刚 B1); 总分 has none
    expect(brief(pick(units, '语文', 'teacher', String(wangFang.id)))).toEqual([12, 3, 0.25, 1, 1]);
    expect(brief(pick(units, '语文', 'teacher', String(zhaoGang.id)))).toEqual([8, 2, 0.25, 1, 1]);
    expect(brief(pick(units, '数学', 'teacher', String(zhaoGang.id)))).toEqual([8, 1, 0.125, 1, 1]);
    expect(brief(pick(units, '数学', 'teacher', String(wangFang.id)))).toEqual([6, 1, 1 / 6, 2, 1]);
    expect(brief(pick(units, '数学', 'teacher', String(liMing.id)))).toEqual([6, 2, 2 / 6, 3, 2]);
    expect(units.filter((u) => u.subject === '总分' && u.level === 'teacher')).toEqual([]);
    expect(pick(units, '数学', 'teacher', String(liMing.id)).teacherId).toBe(liMing.id);
    // the first exam of the cohort: nothing to compare with; grade 7's default baseline is this semester
    expect(units.every((u) => u.pointsVsPrevious === null && u.pointsVsBaseline === null)).toBe(true);
    const target = pick(units, '总分', 'school', a.code);
    expect([target.targetStatus, target.targetNote]).toEqual(['not_measurable', '本次考试即为基准考试，作为以后的参照基数']);
    expect(pick(units, '语文', 'school', a.code).targetStatus).toBeNull(); // no target set for 语文

    const exam = await one<{ status: string; analysedAt: unknown; analysisMs: number; missingCount: number }>(ctx.db, sql`
      SELECT status, analysed_at AS "analysedAt", analysis_ms AS "analysisMs", missing_count AS "missingCount" FROM exams WHERE id = ${e1}`);
    expect(exam!.status).toBe('analysed');
    expect(exam!.analysedAt).not.toBeNull();
    expect(exam!.missingCount).toBe(0);
    expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'exam.analysed' AND entity_id = ${e1}`)).toBe(1);
  });

  it('lists the per-class candidates of the fixture', async () => {
    const ctx = getCtx();
    const list = await rows<{ studentId: number; reason: string; subjects: string[]; status: string }>(ctx.db, sql`
      SELECT student_id AS "studentId", reason, subjects, status FROM exam_candidates WHERE exam_id = ${e1}`);
    const s = county.fixture;
    const byStudent = new Map(list.map((c) => [c.studentId, [c.reason, [...c.subjects]]]));
    expect(byStudent).toEqual(new Map<number, unknown>([
      [s[0]!.id, ['total', ['语文', '数学']]], [s[5]!.id, ['total', ['数学']]],
      [s[6]!.id, ['single_subject', ['语文']]], [s[9]!.id, ['single_subject', ['数学']]], [s[11]!.id, ['single_subject', ['语文']]],
      [s[12]!.id, ['total', ['语文', '数学']]], [s[13]!.id, ['total', []]], [s[18]!.id, ['single_subject', ['语文']]],
    ]));
    expect(list.every((c) => c.status === 'proposed')).toBe(true);
  });

  it('the stored school CSV is byte for byte the engine\'s bottom20SchoolCsv', async () => {
    const ctx = getCtx();
    const { a, b } = county.schools;
    const engine = bottom20SchoolCsv(analyseExam(fixtureInput({ schools: [{ key: a.code, name: a.name }, { key: b.code, name: b.name }] })));
    const stored = (await bottom20Report(ctx, e1, 'school', 'csv')).toString('utf8');
    expect(stored).toBe(engine);
    expect(stored).toBe([
      'subject,school,enrolled,bottom,ratio,rank,cut',
      `语文,${a.code},12,3,0.25,1,55.5`,
      `语文,${b.code},8,2,0.25,1,55.5`,
      `数学,${a.code},12,3,0.25,2,40`,
      `数学,${b.code},8,1,0.125,1,40`,
      `总分,${a.code},12,2,0.16666666666666666,1,110`,
      `总分,${b.code},8,2,0.25,2,110`,
      '',
    ].join('\n'));
    const classCsv = (await bottom20Report(ctx, e1, 'class', 'csv')).toString('utf8').split('\n');
    expect(classCsv[0]).toBe('subject,school,class,class_name,head_teacher,enrolled,bottom,ratio,rank,rank_in_school,cut');
    expect(classCsv[1]).toBe(`语文,${a.code},${classKey(county.classes.a1, a.code)},七年级(1)班,李明,6,1,0.16666666666666666,1,1,55.5`);
    expect(classCsv).toHaveLength(1 + 9 + 1);
    const teacherJson = JSON.parse((await bottom20Report(ctx, e1, 'teacher', 'json')).toString('utf8'));
    expect(teacherJson).toHaveLength(5);
    expect(teacherJson[0]).toEqual({ subject: '语文', school: a.code, teacher: String(county.teachers.wangFang.id), teacher_name: '王芳', enrolled: 12, bottom: 3, ratio: 0.25, rank: 1, rank_in_school: 1, cut: 55.5 });
    const xlsx = await bottom20Report(ctx, e1, 'school', 'xlsx');
    expect(xlsx.subarray(0, 2).toString()).toBe('PK');
  });

  it.runIf(kind === 'postgres')('the CLI prints the same CSV bytes', async () => {
    const ctx = getCtx();
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    const { stdout } = await execFileAsync(process.execPath, ['bin/bangfu.mjs', 'report', 'bottom20', '--exam', e1, '--by', 'school'], {
      cwd: root, env: { ...process.env, DATABASE_URL: ctx.config.databaseUrl, BANGFU_DATA_DIR: ctx.config.dataDir }, maxBuffer: 1 << 20,
    });
    expect(stdout).toBe((await bottom20Report(ctx, e1, 'school', 'csv')).toString('utf8'));
  }, 60_000);

  it('a second exam: change against the previous one, baseline, target status and awards', async () => {
    const ctx = getCtx();
    // s0 and s13 improve in 数学 (40 → 75, 50 → 80): 总分 cut 118, class A1 2/6 → 1/6, rank 3 → 1
    const maths = [...MATHS];
    maths[0] = 75;
    maths[13] = 80;
    e2 = await insertExam(ctx.db, county, { name: '七年级第二学期期中', term: 2, subjects: TWO_SUBJECTS, rows: fixtureRows(county, CHINESE, maths) });
    await analyseAndStore(ctx, e2, ACTOR);
    const units = await storedUnits(ctx.db, e2);
    const { a, b } = county.schools;
    const { a1, a2, b1 } = county.classes;
    const stat = await one<{ cut: number; bottom: number }>(ctx.db, sql`SELECT cut, bottom FROM exam_subject_stats WHERE exam_id = ${e2} AND subject = '总分'`);
    expect(stat).toEqual({ cut: 118, bottom: 4 });
    const A1 = pick(units, '总分', 'class', classKey(a1, a.code));
    expect([A1.bottom, A1.rank, A1.bottomChangeVsPrevious, A1.rankRiseVsPrevious]).toEqual([1, 1, -1, 2]);
    expect(A1.pointsVsPrevious).toBeCloseTo(-16.6667, 3);
    expect(A1.pointsVsBaseline).toBe(A1.pointsVsPrevious); // the baseline is the first semester's exam: e1
    // grade 7, 总分 not above the baseline: A1 1/6 ≤ 2/6 met; A2 1/6 > 0/6 not met; B1 2/8 = 2/8 met
    expect(A1.targetStatus).toBe('met');
    expect(pick(units, '总分', 'class', classKey(a2, a.code)).targetStatus).toBe('not_met');
    expect(pick(units, '总分', 'class', classKey(b1, b.code)).targetStatus).toBe('met');
    expect(pick(units, '总分', 'school', b.code).targetNote).toBe('基准 25.00%，要求不高于基准，本次 25.00%，达标');

    const awards = await rows<{ rule: string; amount: number; status: string }>(ctx.db, sql`
      SELECT rule, amount, status FROM exam_awards WHERE exam_id = ${e2} AND level = 'class' AND unit_key = ${A1.unitKey} ORDER BY rule`);
    expect(awards.map((w) => [w.rule, w.amount])).toEqual([['人数减少奖', 20], ['名次上升奖', 20], ['班级综合奖', 300]].sort((x, y) => String(x[0]).localeCompare(String(y[0]))));
    expect(awards.every((w) => w.status === 'computed')).toBe(true);

    // e1's own analysis again: still no previous (e2 is later), nothing changes
    await analyseAndStore(ctx, e1, ACTOR);
    expect((await storedUnits(ctx.db, e1)).every((u) => u.pointsVsPrevious === null)).toBe(true);
  });

  it('serves the analysis over the API, scoped', async () => {
    const admin = await as('bureau_admin');
    const subjects = await admin.get(`/api/exams/${e1}/analysis/subjects`);
    expect(subjects.status).toBe(200);
    expect(subjects.body.subjects.map((s: { subject: string; cut: unknown; ratio: number }) => [s.subject, s.cut, s.ratio])).toEqual([
      ['语文', 55.5, 0.25], ['数学', 40, 0.2], ['总分', 110, 0.2],
    ]);
    const schoolRows = await admin.get(`/api/exams/${e1}/analysis/units?level=school&subject=总分`);
    expect(schoolRows.body.items.map((r: { schoolCode: string; rank: number }) => [r.schoolCode, r.rank])).toEqual([[county.schools.a.code, 1], [county.schools.b.code, 2]]);
    expect(schoolRows.body.cuts).toEqual([{ subject: '总分', cut: 110 }]);

    const keysOf = async (agent: Agent, level: string) =>
      ((await agent.get(`/api/exams/${e1}/analysis/units?level=${level}&subject=数学`)).body.items as { unitKey: string }[]).map((r) => r.unitKey).sort();
    const { a, b } = county.schools;
    const { a1, a2, b1 } = county.classes;
    const { liMing, wangFang, zhaoGang } = county.teachers;
    // the county publishes the school ranking: everyone sees both schools
    for (const who of ['teacher', 'head_teacher', 'principal', 'principal_b', 'inspector'] as const) {
      expect(await keysOf(await as(who), 'school')).toEqual([a.code, b.code].sort());
    }
    // class rows: only one's own school, and for teachers only their classes
    expect(await keysOf(await as('principal'), 'class')).toEqual([classKey(a1, a.code), classKey(a2, a.code)].sort());
    expect(await keysOf(await as('principal_b'), 'class')).toEqual([classKey(b1, b.code)]);
    expect(await keysOf(await as('head_teacher'), 'class')).toEqual([classKey(a1, a.code)]);
    expect(await keysOf(await as('teacher'), 'class')).toEqual([classKey(a1, a.code), classKey(a2, a.code)].sort());
    expect(await keysOf(await as('inspector'), 'class')).toHaveLength(3);
    // teacher rows: a teacher sees only their own
    expect(await keysOf(await as('teacher'), 'teacher')).toEqual([String(wangFang.id)]);
    expect(await keysOf(await as('head_teacher'), 'teacher')).toEqual([String(liMing.id)]);
    expect(await keysOf(await as('principal'), 'teacher')).toEqual([String(liMing.id), String(wangFang.id)].sort());
    expect(await keysOf(await as('principal_b'), 'teacher')).toEqual([String(zhaoGang.id)]);

    const summary = await (await as('principal')).get(`/api/exams/${e2}/analysis/targets-summary`);
    expect(summary.status).toBe(200);
    expect(summary.body.subjects).toHaveLength(1);
    expect(summary.body.subjects[0].schools).toEqual({ met: 2, notMet: 0, notMeasurable: 0 });
    expect(summary.body.subjects[0].classes).toEqual({ met: 1, notMet: 1, notMeasurable: 0 }); // the principal sees A1 and A2 only

    const trend = await (await as('principal')).get(`/api/schools/${a.code}/exam-trend?grade=7&subject=总分`);
    expect(trend.status).toBe(200);
    expect(trend.body.school.map((p: { examId: string; ratio: number }) => [p.examId, p.ratio])).toEqual([[e1, 2 / 12], [e2, 2 / 12]]);
    expect(trend.body.classes.map((c: { unitKey: string; points: unknown[] }) => [c.unitKey, c.points.length])).toEqual([
      [classKey(a1, a.code), 2], [classKey(a2, a.code), 2],
    ]);
    const trendB = await (await as('principal')).get(`/api/schools/${b.code}/exam-trend?subject=总分`);
    expect(trendB.body.school).toHaveLength(2);
    expect(trendB.body.classes).toEqual([]); // another school's classes stay hidden

    const xlsx = await admin.get(`/api/exams/${e1}/export.xlsx?by=class`);
    expect(xlsx.status).toBe(200);
    expect(String(xlsx.headers['content-type'])).toContain('spreadsheetml');
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.raw as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['语文', '数学', '总分']);
    expect(String(wb.worksheets[0]!.getRow(1).getCell(1).value)).toContain('分数线：55.5');
    expect(wb.worksheets[0]!.getRow(2).getCell(4).value).toBe('班级');
    expect(wb.worksheets[0]!.rowCount).toBe(2 + 3);
  });

  it('candidates: teachers confirm and remove within their classes and subjects, audited; a re-analysis keeps the decisions', async () => {
    const ctx = getCtx();
    const s = county.fixture;
    const url = (i: number) => `/api/exams/${e1}/candidates/${s[i]!.id}`;
    const head = await as('head_teacher'); // 李明: head of A1, teaches 数学 in A1
    const teacher = await as('teacher'); // 王芳: 语文 A1 + A2, 数学 A2

    const listed = await teacher.get(`/api/exams/${e1}/candidates`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((c: { studentId: number }) => c.studentId).sort()).toEqual([s[0]!.id, s[5]!.id, s[6]!.id, s[9]!.id, s[11]!.id].sort());
    const s5 = listed.body.items.find((c: { studentId: number }) => c.studentId === s[5]!.id);
    expect(s5.canDecide).toBe(false); // s5 is bottom in 数学 only; 王芳 teaches A1 语文
    expect((await head.get(`/api/exams/${e1}/candidates`)).body.total).toBe(2); // A1: s0, s5
    expect((await (await as('principal_b')).get(`/api/exams/${e1}/candidates`)).body.total).toBe(3);
    expect((await (await as('inspector')).get(`/api/exams/${e1}/candidates`)).body.total).toBe(8);

    const ok = await head.patch(url(0), { status: 'confirmed', note: '数学、语文都需要帮扶' });
    expect(ok.status).toBe(200);
    expect([ok.body.status, ok.body.decidedBy.name, ok.body.decisionNote]).toEqual(['confirmed', '李明', '数学、语文都需要帮扶']);
    expect((await head.patch(url(6), { status: 'confirmed' })).status).toBe(404); // A2 is not his class
    expect((await teacher.patch(url(12), { status: 'confirmed' })).status).toBe(404); // school B
    expect((await teacher.patch(url(5), { status: 'confirmed' })).status).toBe(403); // not her subject
    const noNote = await teacher.patch(url(9), { status: 'removed' });
    expect(noNote.status).toBe(400);
    expect(noNote.body.message).toContain('原因');
    expect((await teacher.patch(url(9), { status: 'removed', note: '上次生病缺课，成绩已恢复' })).status).toBe(200);
    expect((await (await as('inspector')).patch(url(11), { status: 'confirmed' })).status).toBe(403);
    expect((await (await as('principal')).patch(url(11), { status: 'confirmed' })).status).toBe(200);
    expect((await (await as('principal')).patch(url(13), { status: 'confirmed' })).status).toBe(404);

    const ctxDb = getCtx().db;
    const audit = await rows<{ action: string; actorName: string; entityId: string; before: { status: string }; after: { status: string; note: string | null } }>(ctxDb, sql`
      SELECT action, actor_name AS "actorName", entity_id AS "entityId", before, after FROM audit_log WHERE entity_type = 'exam_candidate' ORDER BY id`);
    expect(audit.map((x) => [x.action, x.actorName, x.entityId, x.before.status, x.after.status])).toEqual([
      ['exam.candidate.confirmed', '李明', `${e1}/${s[0]!.id}`, 'proposed', 'confirmed'],
      ['exam.candidate.removed', '王芳', `${e1}/${s[9]!.id}`, 'proposed', 'removed'],
      ['exam.candidate.confirmed', '城关一小校长', `${e1}/${s[11]!.id}`, 'proposed', 'confirmed'],
    ]);

    // a corrected re-import: s0 and s9 are no longer bottom anywhere, s11 still is
    const chinese = [...CHINESE];
    const maths = [...MATHS];
    chinese[0] = 85; maths[0] = 85; maths[9] = 85;
    await ctx.db.execute(sql`DELETE FROM exam_scores WHERE exam_id = ${e1}`);
    let rowNo = 3;
    for (const r of fixtureRows(county, chinese, maths)) {
      await ctx.db.execute(sql`INSERT INTO exam_scores (exam_id, row_no, student_id, school_id, school_code, class_id, name, scores)
        VALUES (${e1}, ${rowNo++}, ${r.studentId}, ${r.schoolId}, ${r.schoolCode}, ${r.classId}, ${r.name}, ${`{${r.scores.map((x) => x ?? 'NULL').join(',')}}`}::float8[])`);
    }
    await analyseAndStore(ctx, e1, ACTOR);
    const after = new Map((await rows<{ studentId: number; reason: string; status: string; note: string | null }>(ctx.db, sql`
      SELECT student_id AS "studentId", reason, status, decision_note AS note FROM exam_candidates WHERE exam_id = ${e1}`)).map((c) => [c.studentId, c]));
    expect(after.get(s[0]!.id)).toMatchObject({ reason: 'kept', status: 'confirmed' }); // confirmed, no longer listed: kept
    expect(after.has(s[9]!.id)).toBe(false); // removed, no longer listed: gone
    expect(after.get(s[11]!.id)).toMatchObject({ reason: 'single_subject', status: 'confirmed' });
    expect(after.get(s[6]!.id)).toMatchObject({ status: 'proposed' });
  });

  it('awards: the bureau reviews, a re-analysis keeps the review; others may not', async () => {
    const ctx = getCtx();
    const staff = await as('bureau_staff');
    const list = await staff.get(`/api/exams/${e2}/awards?level=class`);
    expect(list.status).toBe(200);
    const a1Key = classKey(county.classes.a1, county.schools.a.code);
    const line = list.body.items.find((w: { unitKey: string; rule: string }) => w.unitKey === a1Key && w.rule === '班级综合奖');
    expect(line.amount).toBe(300);
    const key = { level: 'class', unitKey: a1Key, subject: '总分', rule: '班级综合奖' };
    expect((await staff.patch(`/api/exams/${e2}/awards/review`, { awards: [key], status: 'rejected' })).status).toBe(400);
    expect((await (await as('principal')).patch(`/api/exams/${e2}/awards/review`, { awards: [key], status: 'approved' })).status).toBe(403);
    const ok = await staff.patch(`/api/exams/${e2}/awards/review`, { awards: [key], status: 'approved', note: '核实无误' });
    expect(ok.body).toEqual({ updated: 1 });
    expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'exam.award.approved' AND entity_id = ${`${e2}/class/${a1Key}/总分/班级综合奖`}`)).toBe(1);

    const re = await staff.post(`/api/exams/${e2}/analyse`);
    expect(re.status).toBe(200);
    const again = await one<{ status: string; note: string }>(ctx.db, sql`SELECT status, review_note AS note FROM exam_awards
      WHERE exam_id = ${e2} AND level = 'class' AND unit_key = ${a1Key} AND rule = '班级综合奖'`);
    expect(again).toEqual({ status: 'approved', note: '核实无误' });
    expect((await (await as('principal')).post(`/api/exams/${e2}/analyse`)).status).toBe(403);

    // scope: the head teacher of A1 sees A1's lines and his own; 王芳 sees hers and her classes'
    const headLines = (await (await as('head_teacher')).get(`/api/exams/${e2}/awards`)).body.items as { level: string; unitKey: string }[];
    expect(headLines.every((w) => (w.level === 'class' && w.unitKey === a1Key) || (w.level === 'teacher' && w.unitKey === String(county.teachers.liMing.id)))).toBe(true);
    expect((await (await as('principal_b')).get(`/api/exams/${e2}/awards`)).body.items.every((w: { schoolId: number }) => w.schoolId === county.schools.b.id)).toBe(true);
    const exported = await staff.get(`/api/exams/${e2}/awards/export.xlsx`);
    expect(exported.status).toBe(200);
    expect(exported.raw.subarray(0, 2).toString()).toBe('PK');
  });

  it('settings and targets: bureau writes, validated and audited; a re-analysis applies them', async () => {
    const ctx = getCtx();
    const admin = await as('bureau_admin');
    const principal = await as('principal');
    const got = await principal.get(`/api/exam-targets/${county.schoolYear}/7`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ isDefault: true, baseline: { schoolYear: county.schoolYear, term: 1 }, rules: [{ kind: 'relative_to_baseline', subjects: ['总分'], pointsPerSemester: 0 }] });
    const body = { baseline: { schoolYear: county.schoolYear, term: 1 }, rules: [{ kind: 'rank_and_ratio', subjects: ['数学'], maxRank: 1, maxRatio: 0.2 }] };
    expect((await principal.put(`/api/exam-targets/${county.schoolYear}/7`, body)).status).toBe(403);
    expect((await admin.put(`/api/exam-targets/${county.schoolYear}/7`, { ...body, rules: [{ kind: 'rank_and_ratio', subjects: [], maxRank: 0, maxRatio: 2 }] })).status).toBe(400);
    const put = await admin.put(`/api/exam-targets/${county.schoolYear}/7`, body);
    expect(put.status).toBe(200);
    expect(put.body.isDefault).toBe(false);
    expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'exam.targets.updated'`)).toBe(1);

    const settings = await admin.put('/api/exam-settings', { analysisOptions: { includeMultiSubjectCandidates: false } });
    expect(settings.status).toBe(200);
    expect(settings.body.analysisOptions.includeMultiSubjectCandidates).toBe(false);
    expect(settings.body.analysisOptions.bottomFraction).toBe(0.2);
    expect((await principal.put('/api/exam-settings', { analysisOptions: { bottomFraction: 0.3 } })).status).toBe(403);
    expect((await admin.put('/api/exam-settings', { analysisOptions: { bottomFraction: 0 } })).status).toBe(400);

    await admin.post(`/api/exams/${e2}/analyse`);
    const units = await storedUnits(ctx.db, e2);
    // 数学 in e2: school B 1/8 rank 1 → met; school A 2/12 rank 2 → not met (rank ≤ 1 required); 总分 has no target now
    expect(pick(units, '数学', 'school', county.schools.b.code).targetStatus).toBe('met');
    expect(pick(units, '数学', 'school', county.schools.a.code).targetStatus).toBe('not_met');
    expect(pick(units, '总分', 'school', county.schools.a.code).targetStatus).toBeNull();
  });
}, setupCounty);

describeOnBackends('exams analysis: registered students missing from the sheet, transfers, absentees filling the bottom group', (getCtx, _kind, getSeed) => {
  it('counts registered students without a row as absent (option), not those who left; a transfer counts where the sheet puts them', async () => {
    const ctx = getCtx();
    const county = getSeed();
    const { a, b } = county.schools;
    const { a1, a2, b1 } = county.classes;
    const a1Students = county.fixture.filter((s) => s.classId === a1.id);
    const a2Students = county.fixture.filter((s) => s.classId === a2.id);
    const transfer = county.fixture.find((s) => s.classId === b1.id)!; // registered in B1, sits the exam in A2
    await addStudent(ctx.db, county, a1, '已转出学生', '转出');
    const rowsOf: ScoreRow[] = [
      ...a1Students.slice(1).map((s, i) => ({ studentId: s.id, schoolId: a.id, schoolCode: a.code, classId: a1.id, name: s.name, scores: [[50, 60, 70, 80, 90][i]!] })),
      ...a2Students.map((s, i) => ({ studentId: s.id, schoolId: a.id, schoolCode: a.code, classId: a2.id, name: s.name, scores: [[45, 55, 65, 75, 85, 95][i]!] })),
      { studentId: transfer.id, schoolId: a.id, schoolCode: a.code, classId: a2.id, name: transfer.name, scores: [40] },
    ];
    const id = await insertExam(ctx.db, county, { name: '数学单科', term: 1, subjects: [{ name: '数学', fullMarks: 100, countsToTotal: true }], rows: rowsOf });
    const r = await analyseAndStore(ctx, id, ACTOR);
    expect([r.students, r.missing]).toEqual([13, 1]);
    // 缺考(missing) 40 45 | … : N = 13, position 3 → cut 45, bottom 3
    const stat = await one<{ n: number; absent: number; cut: number; bottom: number }>(ctx.db, sql`SELECT n, absent, cut, bottom FROM exam_subject_stats WHERE exam_id = ${id} AND subject = '数学'`);
    expect(stat).toEqual({ n: 13, absent: 1, cut: 45, bottom: 3 });
    const units = await storedUnits(ctx.db, id);
    const key = (c: SeedClass) => `${a.code}/${county.cohort}/${c.classNo}`;
    expect([pick(units, '数学', 'class', key(a1)).enrolled, pick(units, '数学', 'class', key(a1)).bottom]).toEqual([6, 1]);
    expect([pick(units, '数学', 'class', key(a2)).enrolled, pick(units, '数学', 'class', key(a2)).bottom]).toEqual([7, 2]);
    expect(units.some((u) => u.unitKey === b.code)).toBe(false); // school B is not in the sheet
    expect((await one<{ m: number }>(ctx.db, sql`SELECT missing_count AS m FROM exams WHERE id = ${id}`))!.m).toBe(1);
    // the missing student is a candidate (absent = lowest); so is the transfer, in A2
    const cands = await rows<{ studentId: number; classId: number }>(ctx.db, sql`SELECT student_id AS "studentId", class_id AS "classId" FROM exam_candidates WHERE exam_id = ${id}`);
    expect(cands.find((c) => c.studentId === a1Students[0]!.id)?.classId).toBe(a1.id);
    expect(cands.find((c) => c.studentId === transfer.id)?.classId).toBe(a2.id);

    // the option off: only the sheet's rows; N = 12, position 3 → 40 45 50 → cut 50
    await ctx.db.execute(sql`INSERT INTO settings (key, value) VALUES ('exams.analysisOptions', '{"registeredMissingAsAbsent": false}'::jsonb)`);
    const off = await analyseAndStore(ctx, id, ACTOR);
    expect(off.missing).toBe(0);
    expect(await one(ctx.db, sql`SELECT n, absent, cut, bottom FROM exam_subject_stats WHERE exam_id = ${id} AND subject = '数学'`)).toEqual({ n: 12, absent: 0, cut: 50, bottom: 3 });
    expect((await one<{ m: number }>(ctx.db, sql`SELECT missing_count AS m FROM exams WHERE id = ${id}`))!.m).toBe(0);
    await ctx.db.execute(sql`DELETE FROM settings WHERE key = 'exams.analysisOptions'`);
  });

  it('absentees alone fill the bottom group: cut "absent", in the school CSV too; a row the registry does not know still counts', async () => {
    const ctx = getCtx();
    const county = getSeed();
    const { b } = county.schools;
    const b1Students = county.fixture.filter((s) => s.classId === county.classes.b1.id).slice(0, 7);
    const scores = [null, null, null, 0, 50, 60, 70];
    const rowsOf: ScoreRow[] = b1Students.map((s, i) => ({ studentId: s.id, schoolId: b.id, schoolCode: b.code, classId: county.classes.b1.id, name: s.name, scores: [scores[i]!] }));
    // one more row: a student the registry does not know, in a class the sheet names "3班" (counted, no candidate; the label names class 3, which school B does not register)
    rowsOf.push({ studentId: null, schoolId: b.id, schoolCode: b.code, classId: null, classLabel: '3班', name: '未注册学生', scores: [80] });
    const id = await insertExam(ctx.db, county, { name: '语文单科', term: 2, subjects: [{ name: '语文', fullMarks: 100, countsToTotal: true }], rows: rowsOf });
    const r = await analyseAndStore(ctx, id, ACTOR);
    // the 8th registered student of B1 has no row: counted absent → N = 9, position 2, 4 absentees
    expect([r.students, r.missing]).toEqual([9, 1]);
    const stats = await rows(ctx.db, sql`SELECT subject, n, absent, cut, cut_is_absent AS "cutIsAbsent", bottom FROM exam_subject_stats WHERE exam_id = ${id} ORDER BY ord`);
    expect(stats).toEqual([
      { subject: '语文', n: 9, absent: 4, cut: null, cutIsAbsent: true, bottom: 4 },
      { subject: '总分', n: 9, absent: 4, cut: null, cutIsAbsent: true, bottom: 4 },
    ]);
    expect((await bottom20Report(ctx, id, 'school', 'csv')).toString('utf8')).toBe(
      `subject,school,enrolled,bottom,ratio,rank,cut\n语文,${b.code},9,4,0.4444444444444444,1,absent\n总分,${b.code},9,4,0.4444444444444444,1,absent\n`,
    );
    const units = await storedUnits(ctx.db, id);
    const labelled = pick(units, '语文', 'class', `${b.code}/${county.cohort}/3`);
    expect([labelled.enrolled, labelled.bottom, labelled.classId, labelled.unitName]).toEqual([1, 0, null, '3班']);
    expect(pick(units, '语文', 'class', `${b.code}/${county.cohort}/1`).enrolled).toBe(8);
    const api = await (await loginAgent(await testApp(ctx), county.users.bureau_admin)).get(`/api/exams/${id}/analysis/subjects`);
    expect(api.body.subjects[0].cut).toBe('absent');

    // deleting the exam deletes its results (a trigger on exams, in place of foreign keys)
    expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM exam_candidates WHERE exam_id = ${id}`)).toBeGreaterThan(0);
    await ctx.db.execute(sql`DELETE FROM exams WHERE id = ${id}`);
    for (const table of ['exam_unit_results', 'exam_candidates', 'exam_awards', 'exam_subject_stats', 'exam_scores']) {
      expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM ${sql.raw(table)} WHERE exam_id = ${id}`), table).toBe(0);
    }
  });
}, setupCounty);
