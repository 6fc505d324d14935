// Support outcomes on the seeded county with two real stored exams (inserted as the importer writes
// them, analysed and stored by analyseAndStore): a case's trajectory (percentile, 后20% of the total
// and of subjects), progress awards, the comparison estimate (strata, an empty band, the flag for
// students selected after the baseline), the mix of 辅导 (课内/课外, a confidential record unreadable
// to the bureau), and scope (another school's case → 404, awards and comparison filtered).
//
// Seed: A1 s0 s1 s2, A2 s3 s4 s5 (school A), B1 s6 s7 s8 (school B). Scores (语文, 数学; 总分 = both):
//
//        exam 1 (期中)            exam 2 (期末)
//   s0   40  50   90  P 16.67     70  75  145  P 61.11
//   s1   60  60  120    50.00     60  60  120    38.89
//   s2   70  80  150    72.22     70  80  150    72.22
//   s3   45  50   95    27.78     45  40   85     5.56
//   s4   80  90  170    83.33     80  90  170    83.33
//   s5   50  50  100    38.89     50  45   95    16.67
//   s6   40   A    A      5.56     55  50  105    27.78
//   s7   90  95  185    94.44     90  95  185    94.44
//   s8   65  65  130    61.11     65  65  130    50.00
//
// N = 9, P = 100 × (below + equal/2) / 9. Cut position ⌈1.8⌉ = 2. Exam 1: 总分 cut 90 → {s6 (absent),
// s0}; 语文 cut 40 → {s0, s6} (tie); 数学 cut 50 → {s6, s0, s3, s5}. Exam 2: 总分 cut 95 → {s3, s5}.
// Cases (this school year): s0 学困 confirmed (listed from exam 1), s3 学困 confirmed (listed from
// exam 2: after the baseline), s1 贫困 only (in neither group). 王芳 helps s0.
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { one, type Queryable } from '../../src/db/client.js';
import type { ExamSubjectSpec } from '../../src/db/schema.js';
import { analyseAndStore } from '../../src/modules/exams/exam-analysis.service.js';
import { describeOnBackends, type TestContext } from '../helpers/db.js';
import { testApp, type Agent, loginSeedUsers } from '../helpers/http.js';
import { seedCounty, type Seed } from '../helpers/seed.js';

const SUBJECTS: ExamSubjectSpec[] = [
  { name: '语文', fullMarks: 100, countsToTotal: true },
  { name: '数学', fullMarks: 100, countsToTotal: true },
];
const EXAM1: (number | null)[][] = [[40, 50], [60, 60], [70, 80], [45, 50], [80, 90], [50, 50], [40, null], [90, 95], [65, 65]];
const EXAM2: (number | null)[][] = [[70, 75], [60, 60], [70, 80], [45, 40], [80, 90], [50, 45], [55, 50], [90, 95], [65, 65]];

async function insertExam(ctx: TestContext, seed: Seed, o: { name: string; kind: string; term: number; date: string; scores: (number | null)[][] }): Promise<string> {
  const id = crypto.randomUUID();
  const q = ctx.db;
  await q.execute(sql`INSERT INTO exams (id, name, school_year, term, kind, scope, grade, exam_date, subjects, status, row_count)
    VALUES (${id}, ${o.name}, ${seed.schoolYear}, ${o.term}, ${o.kind}, 'county', 7, ${o.date}, ${JSON.stringify(SUBJECTS)}::jsonb, 'imported', ${o.scores.length})`);
  let rowNo = 3;
  for (const [i, s] of seed.students.entries()) {
    const code = s.schoolId === seed.schools.a.id ? seed.schools.a.code : seed.schools.b.code;
    const arr = `{${o.scores[i]!.map((v) => (v === null ? 'NULL' : String(v))).join(',')}}`;
    await q.execute(sql`INSERT INTO exam_scores (exam_id, row_no, student_id, school_id, school_code, class_id, name, scores)
      VALUES (${id}, ${rowNo++}, ${s.id}, ${s.schoolId}, ${code}, ${s.classId}, ${s.name}, ${arr}::float8[])`);
  }
  await analyseAndStore(ctx, id, { userId: null, name: '测试' });
  return id;
}

async function insertCase(q: Queryable, seed: Seed, i: number, categories: string[], status: string, examId: string | null): Promise<number> {
  const s = seed.students[i]!;
  const sources = categories.map((category) => (category === 'learning' && examId ? { kind: 'exam', category, examId } : { kind: 'manual', category }));
  const r = await one<{ id: number }>(q, sql`INSERT INTO support_cases (student_id, school_id, school_year, class_id, categories, status, sources)
    VALUES (${s.id}, ${s.schoolId}, ${seed.schoolYear}, ${s.classId}, ${`{${categories.join(',')}}`}::text[], ${status}, ${JSON.stringify(sources)}::jsonb) RETURNING id`);
  return r!.id;
}

describeOnBackends('support outcomes', (getCtx, kind, getSeed) => {
  const as = {} as Record<'admin' | 'office' | 'head' | 'teacher' | 'principalB', Agent>;
  let exam1: string;
  let exam2: string;
  const caseOf: Record<number, number> = {};
  const ok = (res: { status: number; body: any }) => {
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    const ctx = getCtx();
    const seed = getSeed();
    const start = Number(seed.schoolYear.slice(0, 4));
    exam1 = await insertExam(ctx, seed, { name: '七年级期中', kind: '期中', term: 1, date: `${start}-11-12`, scores: EXAM1 });
    exam2 = await insertExam(ctx, seed, { name: '七年级期末', kind: '期末', term: 1, date: `${start + 1}-01-15`, scores: EXAM2 });
    caseOf[0] = await insertCase(ctx.db, seed, 0, ['learning'], 'confirmed', exam1);
    caseOf[3] = await insertCase(ctx.db, seed, 3, ['learning'], 'confirmed', exam2);
    caseOf[1] = await insertCase(ctx.db, seed, 1, ['poverty'], 'confirmed', null);
    caseOf[6] = await insertCase(ctx.db, seed, 6, ['learning'], 'confirmed', exam1);
    const app = await testApp(ctx);
    const u = seed.users;
    Object.assign(as, await loginSeedUsers(app, u, ['admin', 'office', 'head', 'teacher', 'principalB']));
  });

  it('trajectory: county percentile and 后20% membership at every exam of the cohort', async () => {
    const t = ok(await as.head.get(`/api/support/cases/${caseOf[0]}/trajectory`));
    expect(t).toMatchObject({ caseId: caseOf[0], studentName: getSeed().students[0]!.name, cohort: Number(getSeed().schoolYear.slice(0, 4)) - 7 });
    expect(t.points.map((p: any) => [p.name, p.total, p.percentile, p.population, p.bottomTotal, p.bottomSubjects, p.inCaseYear])).toEqual([
      ['七年级期中', 90, 16.67, 9, true, ['语文', '数学'], true],
      ['七年级期末', 145, 61.11, 9, false, [], true],
    ]);
    expect(t.definition).toContain('应考');
    // the absentee: in the bottom group, at the bottom percentile, total null
    const s6 = ok(await as.admin.get(`/api/support/cases/${caseOf[6]}/trajectory`));
    expect(s6.points[0]).toMatchObject({ sat: true, absent: true, total: null, percentile: 5.56, bottomTotal: true, bottomSubjects: ['语文', '数学'] });
    // scope: another school's case does not exist for school B's principal; an unknown id neither
    expect((await as.principalB.get(`/api/support/cases/${caseOf[0]}/trajectory`)).status).toBe(404);
    expect((await as.admin.get('/api/support/cases/999999/trajectory')).status).toBe(404);
  });

  it('progress awards of the final: s0 rose 44.44 points and left the bottom group; the absentee gets nothing', async () => {
    const a = ok(await as.admin.get(`/api/support/outcomes/awards?examId=${exam2}`));
    expect(a.previous.id).toBe(exam1);
    expect(a.month).toMatch(/^\d{4}-01$/);
    expect(a.counts).toEqual({ class_monthly: 1, school_term: 1 });
    expect(a.items.map((x: any) => [x.kind, x.studentName, x.className, x.before, x.after, x.rise, x.leftBottom, x.rank])).toEqual([
      ['class_monthly', getSeed().students[0]!.name, '七年级(1)班', 16.67, 61.11, 44.44, true, 1],
      ['school_term', getSeed().students[0]!.name, '七年级(1)班', 16.67, 61.11, 44.44, true, 1],
    ]);
    expect(a.items[0].reason).toBe('总分百分位 16.67 → 61.11，上升 44.44 个百分点；走出总分后20%');
    // the first exam has nothing to compare with
    expect(ok(await as.admin.get(`/api/support/outcomes/awards?examId=${exam1}`))).toMatchObject({ previous: null, items: [] });
    // scope: school B sees none of school A's students; filters
    expect(ok(await as.principalB.get(`/api/support/outcomes/awards?examId=${exam2}`)).items).toEqual([]);
    expect(ok(await as.teacher.get(`/api/support/outcomes/awards?examId=${exam2}&kind=school_term`)).items).toHaveLength(1);
    expect(ok(await as.admin.get(`/api/support/outcomes/awards?examId=${exam2}&classId=${getSeed().classes.a2.id}`)).items).toEqual([]);
    expect((await as.admin.get('/api/support/outcomes/awards?examId=nope')).status).toBe(404);
  });

  it('comparison: supported vs the same school and starting band, an estimate with its caveats', async () => {
    // bands of 50 points: school A band [0, 50): supported s0 +44.44, s3 −22.22; comparison s5 −22.22
    // (s1 has a poverty case: neither group; s6 was absent at the baseline: not measured)
    const c = ok(await as.admin.get(`/api/support/outcomes/comparison?schoolYear=${getSeed().schoolYear}&bandWidth=50`));
    expect(c).toMatchObject({ estimate: true, label: '估计值，不是因果结论', bandWidth: 50 });
    expect(c.method).toContain('不能据此断定');
    expect(c.county).toMatchObject({
      supportedN: 2, comparisonN: 1, unmatchedSupported: 0, strata: 1,
      supportedMean: 11.11, comparisonMean: -22.22, difference: 33.33, standardError: 33.33, ci95: [-32, 98.67],
    });
    expect(c.cohorts).toHaveLength(1);
    expect(c.cohorts[0]).toMatchObject({ grade: 7, baseline: { id: exam1 }, latest: { id: exam2 }, selectedAfterBaseline: 1 });
    expect(c.cohorts[0].note).toContain('按结果选人');
    expect(c.caveats.join('')).toContain('均值回归');
    expect(c.schools.map((s: any) => [s.schoolCode, s.supportedN, s.difference])).toEqual([[getSeed().schools.a.code, 2, 33.33]]);
    // 5-point bands (the default): s0, s3 and s5 each alone in their band — nobody comparable
    const narrow = ok(await as.admin.get('/api/support/outcomes/comparison?school=' + getSeed().schools.a.id));
    expect(narrow.county).toMatchObject({ supportedN: 0, unmatchedSupported: 2, difference: null, ci95: null });
    // scope: school B's principal gets the county row and no school A row; naming school A is 404
    const b = ok(await as.principalB.get('/api/support/outcomes/comparison?bandWidth=50'));
    expect(b.county.supportedN).toBe(2);
    expect(b.schools).toEqual([]);
    expect((await as.principalB.get(`/api/support/outcomes/comparison?schoolId=${getSeed().schools.a.id}`)).status).toBe(404);
  });

  it('mix: 课内/课外 shares of 辅导 records, a confidential one unknown to the bureau; percentile change beside it', async () => {
    const seed = getSeed();
    const start = Number(seed.schoolYear.slice(0, 4));
    ok(await as.office.post('/api/support/assignments/accept', { items: [{ caseId: caseOf[0], teacherId: seed.teachers.wangFang.id }], start: `${start}-11-02` }));
    const pairingId = (await one<{ id: number }>(getCtx().db, sql`SELECT id FROM pairings WHERE subject_ref->>'id' = ${String(caseOf[0])}`))!.id;
    const tutoring = (day: number, setting: string, confidential = false) => as.teacher.post('/api/activities', {
      pairingId, type: 'tutoring', date: `${start}-11-${String(day).padStart(2, '0')}`, content: '辅导', confidential,
      fields: { subject: '数学', setting, place: '校内' },
    });
    ok(await tutoring(10, '课内'));
    ok(await tutoring(11, '课外'));
    ok(await tutoring(12, '课外'));
    ok(await tutoring(13, '课外', true));
    ok(await as.teacher.post('/api/activities', { pairingId, type: 'talk', date: `${start}-11-14`, content: '谈心', fields: { topic: '计划' } }));

    const m = ok(await as.admin.get(`/api/support/outcomes/mix?schoolYear=${seed.schoolYear}`));
    const setting = (u: any) => u.dimensions.find((d: any) => d.key === 'setting');
    expect(m.focus).toBe('setting');
    expect(m.county).toMatchObject({ tutoring: 4, records: 5 });
    expect(setting(m.county)).toMatchObject({ label: '课内/课外', sessions: 4, unknown: 1 });
    expect(setting(m.county).options).toEqual([{ value: '课内', n: 1, share: 0.3333 }, { value: '课外', n: 2, share: 0.6667 }]);
    expect(m.county.types.map((t: any) => [t.label, t.n])).toEqual([['辅导', 4], ['谈心谈话', 1]]);
    // school A: its supported students' mean change (s0 +44.44, s3 −22.22); no teacher rows for the county view
    expect(m.schools.map((s: any) => [s.schoolCode, s.records, s.meanChange, s.changeN])).toEqual([[seed.schools.a.code, 5, 11.11, 2]]);
    expect(m.teachers).toEqual([]);
    // the teacher reads her own confidential record: all four known; her row carries s0's change
    const mine = ok(await as.teacher.get(`/api/support/outcomes/mix?schoolYear=${seed.schoolYear}`));
    expect(setting(mine.county).options.map((o: any) => o.n)).toEqual([1, 3]);
    expect(mine.teachers.map((t: any) => [t.teacherName, t.tutoring, t.meanChange, t.changeN])).toEqual([['王芳', 4, 44.44, 1]]);
    // scope: school B sees no records of school A, and may not name it
    expect(ok(await as.principalB.get('/api/support/outcomes/mix')).county.records).toBe(0);
    expect((await as.principalB.get(`/api/support/outcomes/mix?schoolId=${seed.schools.a.id}`)).status).toBe(404);
  });
}, seedCounty);
