import { describe, expect, it } from 'vitest';
import { analyseExam, bottom20SchoolCsv, snapshotOf, type ExamAnalysis, type SubjectResult } from '../../../src/modules/exams/analysis/analyse.js';
import { fixtureInput, SCHOOL_A, SCHOOL_B } from './fixture.js';

const bySubject = (r: ExamAnalysis, name: string): SubjectResult => r.subjects.find((s) => s.subject === name)!;
const pick = <T extends { key: string }>(rows: T[], key: string): T => rows.find((r) => r.key === key)!;

describe('analyseExam on the hand-computed county (see fixture.ts for the arithmetic)', () => {
  const result = analyseExam(fixtureInput());

  it('analyses 语文, 数学 and then 总分', () => {
    expect(result.subjects.map((s) => s.subject)).toEqual(['语文', '数学', '总分']);
    expect(result.studentCount).toBe(20);
    expect(bySubject(result, '总分').fullMarks).toBe(200);
  });

  it('finds the cuts: 语文 55.5 (tie: 5 in the group), 数学 40, 总分 110', () => {
    expect(bySubject(result, '语文')).toMatchObject({ n: 20, position: 4, cut: 55.5, bottomCount: 5, absent: 1 });
    expect(bySubject(result, '数学')).toMatchObject({ position: 4, cut: 40, bottomCount: 4, absent: 2 });
    expect(bySubject(result, '总分')).toMatchObject({ position: 4, cut: 110, bottomCount: 4, absent: 2 });
  });

  it('makes s5 absent for the total but keeps the 语文 score', () => {
    const total = bySubject(result, '总分');
    expect(Number.isNaN(total.scores[5]!)).toBe(true);
    expect(bySubject(result, '语文').scores[5]).toBe(65);
    expect(bySubject(result, '语文').bottom[5]).toBe(0);
    expect(total.bottom[5]).toBe(1);
    expect(total.scores[18]).toBe(117.5);
  });

  it('ranks schools with an exact tie in 语文 (3/12 = 2/8 → both 1)', () => {
    const chinese = bySubject(result, '语文');
    expect(pick(chinese.schools, SCHOOL_A)).toMatchObject({ enrolled: 12, bottom: 3, ratio: 0.25, rank: 1 });
    expect(pick(chinese.schools, SCHOOL_B)).toMatchObject({ enrolled: 8, bottom: 2, ratio: 0.25, rank: 1, absent: 1 });
  });

  it('ranks classes in the county and within the school (a school with one class)', () => {
    const chinese = bySubject(result, '语文');
    expect(pick(chinese.classes, 'A1')).toMatchObject({ bottom: 1, rank: 1, rankInSchool: 1, schoolKey: SCHOOL_A, headTeacher: 'T1' });
    expect(pick(chinese.classes, 'B1')).toMatchObject({ bottom: 2, rank: 2, rankInSchool: 1, schoolKey: SCHOOL_B });
    expect(pick(chinese.classes, 'A2')).toMatchObject({ bottom: 2, rank: 3, rankInSchool: 2 });
    const total = bySubject(result, '总分');
    expect(total.classes.map((c) => [c.key, c.bottom, c.rank])).toEqual([['A1', 2, 3], ['A2', 0, 1], ['B1', 2, 2]]);
    // the one-class school's class row equals the school row
    const b = pick(total.schools, SCHOOL_B);
    const b1 = pick(total.classes, 'B1');
    expect([b1.enrolled, b1.bottom, b1.mean]).toEqual([b.enrolled, b.bottom, b.mean]);
  });

  it('builds subject-teacher rows; 总分 has none', () => {
    const maths = bySubject(result, '数学');
    expect(maths.teachers.map((t) => [t.key, t.enrolled, t.bottom, t.rank])).toEqual([['T3', 6, 2, 3], ['T4', 6, 1, 2], ['T5', 8, 1, 1]]);
    expect(pick(bySubject(result, '语文').teachers, 'T1')).toMatchObject({ enrolled: 12, bottom: 3, rank: 1, schoolKey: SCHOOL_A, rankInSchool: 1 });
    expect(bySubject(result, '总分').teachers).toEqual([]);
  });

  it('computes 人平分 / 合格率 / 优生率 / composite (语文)', () => {
    const chinese = bySubject(result, '语文');
    const a = pick(chinese.schools, SCHOOL_A);
    const b = pick(chinese.schools, SCHOOL_B);
    // A: sum 50+60+70+80+90+65+45+60+72+88+95+55.5 = 830.5 over 12; pass (≥60) 9; excellent (≥80) 80 90 88 95 = 4
    expect(a.mean).toBeCloseTo(830.5 / 12, 12);
    expect(a.passRate).toBe(9 / 12);
    expect(a.excellenceRate).toBe(4 / 12);
    // B: sum 60+75+82+68+91+55.5+60 = 491.5, absentee s12 counted as 0 over 8; pass 6/8; excellent 82, 91 = 2/8
    expect(b.mean).toBe(491.5 / 8);
    expect(b.passRate).toBe(6 / 8);
    expect(b.excellenceRate).toBe(2 / 8);
    // composite: A is best in all three → 100; B = 40·(491.5/8)/(830.5/12) + 30·(.75/.75) + 30·(.25/(1/3))
    expect(a.composite).toBeCloseTo(100, 10);
    expect(b.composite).toBeCloseTo(40 * (491.5 / 8) / (830.5 / 12) + 30 + 22.5, 10);
    // county: 20 enrolled, 1 absent, 5 bottom; sum 1322 over 20
    expect(chinese.county).toMatchObject({ enrolled: 20, absent: 1, bottom: 5, ratio: 0.25, denominator: 20, passRate: 15 / 20 });
    expect(chinese.county.mean).toBeCloseTo(1322 / 20, 12);
  });

  it("uses the transfer denominator and the 'exclude' rule when asked", () => {
    // school B: 起始年级人数 9 + 正常转入 2 − 正常转出 1 = 10 (two students left abnormally: still counted, as 0)
    const r = analyseExam(fixtureInput({ denominators: { schools: { [SCHOOL_B]: 10 } }, options: { meanAbsent: 'exclude' } }));
    const b = pick(bySubject(r, '语文').schools, SCHOOL_B);
    expect(b.denominator).toBe(10);
    expect(b.mean).toBe(491.5 / (10 - 1)); // exclude: the absentee leaves the mean's denominator
    expect(b.passRate).toBe(6 / 10);
    expect(b.excellenceRate).toBe(2 / 10);
    expect(b.ratio).toBe(2 / 8); // the bottom ratio is always over the enrolled count
    expect(bySubject(r, '语文').county.denominator).toBe(12 + 10);
  });

  it('lists candidates per class: total first, then single-subject with the subject', () => {
    const byClass = Object.fromEntries(result.candidates.map((c) => [c.classKey, c.candidates.map((x) => [x.student, x.reason, x.subjects.join('+')])]));
    expect(byClass.A1).toEqual([[0, 'total', '语文+数学'], [5, 'total', '数学']]);
    expect(byClass.A2).toEqual([[6, 'single_subject', '语文'], [9, 'single_subject', '数学'], [11, 'single_subject', '语文']]);
    expect(byClass.B1).toEqual([[12, 'total', '语文+数学'], [13, 'total', ''], [18, 'single_subject', '语文']]);
  });

  it('writes the school CSV: subject,school,enrolled,bottom,ratio,rank,cut', () => {
    expect(bottom20SchoolCsv(result)).toBe(
      [
        'subject,school,enrolled,bottom,ratio,rank,cut',
        `语文,${SCHOOL_A},12,3,0.25,1,55.5`,
        `语文,${SCHOOL_B},8,2,0.25,1,55.5`,
        `数学,${SCHOOL_A},12,3,0.25,2,40`,
        `数学,${SCHOOL_B},8,1,0.125,1,40`,
        `总分,${SCHOOL_A},12,2,0.16666666666666666,1,110`,
        `总分,${SCHOOL_B},8,2,0.25,2,110`,
        '',
      ].join('\n'),
    );
  });

  it("writes cut = absent in the CSV when absentees fill the bottom group", () => {
    // 5 students, 2 absent in 语文: position ⌈1⌉ = 1 → an absentee → 'absent'
    const r = analyseExam({
      schools: [{ key: '3601020009', name: '教学点' }],
      classes: [{ key: 'X', name: '七年级(1)班', school: 0 }],
      studentClass: new Int32Array(5),
      subjects: [{ name: '语文', fullMarks: 100, countsToTotal: true, scores: Float64Array.from([NaN, 0, NaN, 70, 80]) }],
    });
    expect(bySubject(r, '语文')).toMatchObject({ cut: 'absent', bottomCount: 2 });
    expect(bottom20SchoolCsv(r).split('\n')[1]).toBe('语文,3601020009,5,2,0.4,1,absent');
  });

  it('treats two students equal on paper as tied even with decimal scores (quantised to hundredths)', () => {
    // 0.1 + 0.2 ≠ 0.3 in floating point; after quantisation 10 + 20 = 30 hundredths for both students
    const r = analyseExam({
      schools: [{ key: 'S', name: 'S' }],
      classes: [{ key: 'C', name: 'C', school: 0 }],
      studentClass: new Int32Array(5),
      subjects: [
        { name: '甲', fullMarks: 10, countsToTotal: true, scores: Float64Array.from([0.1, 0.3, 5, 6, 7]) },
        { name: '乙', fullMarks: 10, countsToTotal: true, scores: Float64Array.from([0.2, 0, 5, 6, 7]) },
      ],
    });
    // totals 0.3, 0.3, 10, 12, 14: position ⌈1⌉ = 1 → cut 0.3 and BOTH students are in the group
    expect(bySubject(r, '总分')).toMatchObject({ cut: 0.3, bottomCount: 2 });
  });

  it('rejects malformed input in Chinese', () => {
    expect(() => analyseExam(fixtureInput({ subjects: [{ name: '语文', fullMarks: 100, countsToTotal: true, scores: Float64Array.from(Array(20).fill(101)) }] }))).toThrow(/不在 0–100 之间/);
    expect(() => analyseExam(fixtureInput({ studentClass: Int32Array.from(Array(20).fill(7)) }))).toThrow(/班级序号无效/);
    expect(() => analyseExam(fixtureInput({ subjects: [{ name: '总分', fullMarks: 100, countsToTotal: false, scores: new Float64Array(20) }] }))).toThrow(/冲突/);
  });
});

describe('two exams: changes against the previous exam and the baseline', () => {
  const first = analyseExam(fixtureInput());

  it('gives 0 points and 0 places against itself, and null for units missing there', () => {
    const snap = snapshotOf(first).filter((s) => s.key !== 'A2');
    const again = analyseExam(fixtureInput({ previous: snap, baseline: null }));
    const total = bySubject(again, '总分');
    expect(pick(total.schools, SCHOOL_A).previous).toMatchObject({ points: 0, bottomChange: 0, rankRise: 0 });
    expect(pick(total.classes, 'A2').previous).toBeNull(); // not measurable
    expect(pick(total.classes, 'A2').baseline).toBeNull();
  });

  it('computes the change in percentage points after students improve', () => {
    // second exam: s0 and s13 improve in 数学 (40 → 75, 50 → 80), everything else equal.
    // 数学 ascending: A A 30 55.5 | 60 62 … position 4 → cut 55.5, bottom {s5, s12, s9, s2} = 4
    //   school A: s5 s9 s2 = 3/12 (unchanged 0.25); school B: s12 = 1/8
    // 总分: s0 = 50 + 75 = 125, s13 = 60 + 80 = 140; ascending: A(s5) A(s12) 117.5(s18) 118(s9) | 120 …
    //   cut 118, bottom {s5, s12, s18, s9}: school A s5 s9 = 2/12, school B s12 s18 = 2/8 (unchanged)
    //   classes: A1 s5 = 1/6 (was 2/6: −16.67 points), A2 s9 = 1/6 (was 0: +16.67), B1 2/8 (0)
    const maths = Float64Array.from(fixtureInput().subjects[1]!.scores);
    maths[0] = 75;
    maths[13] = 80;
    const input = fixtureInput();
    input.subjects[1]!.scores = maths;
    const second = analyseExam({ ...input, previous: snapshotOf(first), baseline: snapshotOf(first) });
    const total = bySubject(second, '总分');
    expect(total.cut).toBe(118);
    const a1 = pick(total.classes, 'A1');
    expect(a1.previous!.points).toBeCloseTo(-100 / 6, 12);
    expect(a1.previous).toMatchObject({ bottom: 2, enrolled: 6, bottomChange: -1, rank: 3 });
    expect(a1.rank).toBe(1); // A1 1/6 and A2 1/6 tie at 1, B1 0.25 is 3
    expect(a1.previous!.rankRise).toBe(2);
    const a2 = pick(total.classes, 'A2');
    expect(a2.previous!.points).toBeCloseTo(100 / 6, 12);
    expect(a2.previous!.rankRise).toBe(0); // 1 → 1
    expect(pick(total.classes, 'B1').previous).toMatchObject({ points: 0, rankRise: -1 }); // 2 → 3
    expect(bySubject(second, '数学').cut).toBe(55.5);
    expect(pick(bySubject(second, '数学').teachers, 'T5').baseline).toMatchObject({ points: 0 });
  });
});
