/**
 * Performance sanity, NOT a timed assertion: 300 000 students × 9 subjects
 * (the target is under 1 s). It checks that the run completes with
 * consistent totals and prints the time; the time itself depends on the machine.
 */
import { expect, it } from 'vitest';
import { analyseExam, bottom20SchoolCsv, snapshotOf, type ExamInput } from '../../../src/modules/exams/analysis/analyse.js';
import { DEFAULT_REWARD_TABLE } from '../../../src/modules/exams/analysis/rewards.js';

const N = 300_000;
const SUBJECTS = ['语文', '数学', '英语', '科学', '道德与法治', '历史', '地理', '生物', '体育'];
const FULL = [120, 120, 120, 160, 100, 100, 100, 100, 40];
const SCHOOLS = 250;
const CLASS_SIZE = 50;

function randomCounty(seed: number): ExamInput {
  let state = seed;
  const rand = () => {
    // xorshift32: deterministic and fast
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  const classCount = N / CLASS_SIZE;
  const schools = Array.from({ length: SCHOOLS }, (_, k) => ({ key: String(3601020000 + k), name: `学校${k}` }));
  const classes = Array.from({ length: classCount }, (_, k) => ({ key: `C${k}`, name: `七年级(${k})班`, school: k % SCHOOLS }));
  // each subject teacher teaches two classes: 3 000 per subject
  const teachers = Array.from({ length: (classCount / 2) * SUBJECTS.length }, (_, k) => ({ key: `T${k}`, name: `教师${k}` }));
  const studentClass = new Int32Array(N);
  for (let i = 0; i < N; i++) studentClass[i] = Math.floor(i / CLASS_SIZE);
  const subjects = SUBJECTS.map((name, s) => {
    const scores = new Float64Array(N);
    const full = FULL[s]!;
    for (let i = 0; i < N; i++) scores[i] = rand() < 0.005 ? NaN : Math.round((rand() * 0.7 + 0.3) * full * 2) / 2;
    const classTeacher = Int32Array.from({ length: classCount }, (_, c) => s * (classCount / 2) + (c >> 1));
    return { name, fullMarks: full, countsToTotal: name !== '体育', scores, classTeacher };
  });
  return { schools, classes, teachers, studentClass, subjects };
}

it('analyses 300 000 students × 9 subjects with consistent totals', { timeout: 180_000 }, () => {
  const input = randomCounty(20240701);
  // wall time and this process's CPU time: the machine may be shared, CPU time is the steadier figure
  const measure = <T>(f: () => T): [T, string] => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const value = f();
    const c = process.cpuUsage(c0);
    return [value, `${(performance.now() - t0).toFixed(0)} ms wall / ${((c.user + c.system) / 1000).toFixed(0)} ms cpu`];
  };
  const [, cold] = measure(() => analyseExam(input)); // first run: includes JIT warm-up
  const [result, warm] = measure(() => analyseExam(input));
  // as the service will run it: with the previous exam, the baseline and the reward table
  const [withHistory, history] = measure(() =>
    analyseExam({ ...input, previous: snapshotOf(result), baseline: snapshotOf(result), rewards: DEFAULT_REWARD_TABLE }),
  );
  const [csv, csvTime] = measure(() => bottom20SchoolCsv(result));
  console.log(
    `[exams perf] ${N} students × ${SUBJECTS.length} subjects + 总分 (candidates included): ` +
      `cold ${cold}; warm ${warm}; with previous + baseline + rewards ${history}; school CSV ${csvTime}`,
  );

  expect(result.subjects).toHaveLength(SUBJECTS.length + 1);
  // students absent in any counted subject are absent for the total
  let absentInAny = 0;
  for (let i = 0; i < N; i++) {
    if (input.subjects.some((s) => s.countsToTotal && Number.isNaN(s.scores[i]!))) absentInAny++;
  }
  expect(result.subjects.at(-1)!.absent).toBe(absentInAny);
  for (const s of result.subjects) {
    const sum = (rows: { enrolled: number; bottom: number }[], f: 'enrolled' | 'bottom') => rows.reduce((a, r) => a + r[f], 0);
    expect(s.n).toBe(N);
    expect(sum(s.schools, 'enrolled')).toBe(N);
    expect(sum(s.classes, 'enrolled')).toBe(N);
    expect(sum(s.schools, 'bottom')).toBe(s.bottomCount);
    expect(sum(s.classes, 'bottom')).toBe(s.bottomCount);
    if (!s.isTotal) expect(sum(s.teachers, 'bottom')).toBe(s.bottomCount);
    expect(s.bottomCount).toBeGreaterThanOrEqual(s.position);
    expect(s.position).toBe(60_000);
    let mask = 0;
    for (const b of s.bottom) mask += b;
    expect(mask).toBe(s.bottomCount);
    // competition ranking: rank r means exactly r − 1 schools have a strictly smaller ratio
    const ratios = s.schools.map((r) => r.bottom / r.enrolled);
    for (const row of s.schools.slice(0, 20)) expect(row.rank).toBe(ratios.filter((x) => x < row.ratio).length + 1);
  }
  // every candidate is in the total's group or some subject's group
  const listed = result.candidates.reduce((a, c) => a + c.candidates.length, 0);
  expect(listed).toBeGreaterThanOrEqual(result.subjects.at(-1)!.bottomCount);
  // against itself every change is 0: only rank-based single-subject and class awards remain
  expect(withHistory.awards.length).toBeGreaterThan(0);
  expect(withHistory.awards.every((a) => (a.kind === 'single_subject' || a.kind === 'class') && !a.reason.includes('比例变化'))).toBe(true);
  expect(csv.split('\n')).toHaveLength(1 + SCHOOLS * (SUBJECTS.length + 1) + 1);
});
