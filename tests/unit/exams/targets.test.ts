import { describe, expect, it } from 'vitest';
import { compareUnit, indexSnapshot, type UnitSnapshot } from '../../../src/modules/exams/analysis/change.js';
import { defaultTargetConfig, evaluateTargets, semestersBetween, type TargetConfig, type TargetUnit } from '../../../src/modules/exams/analysis/targets.js';
import { analyseExam, snapshotOf } from '../../../src/modules/exams/analysis/analyse.js';
import { fixtureInput, SCHOOL_A, SCHOOL_B } from './fixture.js';

const T1415_1 = { schoolYear: '2014-2015', term: 1 as const };
const T1415_2 = { schoolYear: '2014-2015', term: 2 as const };
const T1516_1 = { schoolYear: '2015-2016', term: 1 as const };

/** A unit now, with its baseline (bottom b0 of e0). */
function unit(bottom: number, enrolled: number, base: [number, number] | null, extra: Partial<TargetUnit> = {}): TargetUnit {
  const now: UnitSnapshot = { subject: '总分', level: 'school', key: 'S', bottom, enrolled, rank: 1 };
  const baseline = base ? compareUnit(now, indexSnapshot([{ ...now, bottom: base[0], enrolled: base[1] }])) : null;
  return { level: 'school', subject: '总分', bottom, enrolled, rank: 1, baseline, ...extra };
}

describe('semesters', () => {
  it('counts semesters across school years', () => {
    expect(semestersBetween(T1415_1, T1415_2)).toBe(1);
    expect(semestersBetween(T1415_1, T1516_1)).toBe(2);
    expect(semestersBetween(T1516_1, T1415_1)).toBe(-2);
    expect(() => semestersBetween({ schoolYear: '2014', term: 1 }, T1415_1)).toThrow(/学年格式/);
  });
});

describe('grade 8: −3 points a semester from the baseline (范文1)', () => {
  const config = defaultTargetConfig(8, '2015-2016', T1415_1);

  it('requires baseline − 3·k points; the boundary itself is met (exact)', () => {
    // baseline 10/40 = 25 %; two semesters later → required ≤ 25 − 6 = 19 %
    const met = evaluateTargets(config, unit(19, 100, [10, 40]), T1516_1)!;
    expect(met.status).toBe('met');
    expect(met.explanation).toBe('基准 25.00%，距基准 2 个学期，每学期降 3 个百分点，要求 ≤ 19.00%，本次 19.00%，达标');
    expect(evaluateTargets(config, unit(20, 100, [10, 40]), T1516_1)!.status).toBe('not_met');
    // one semester later → ≤ 22 %: 22/100 met, 23/100 not
    expect(evaluateTargets(config, unit(22, 100, [10, 40]), T1415_2)!.status).toBe('met');
    expect(evaluateTargets(config, unit(23, 100, [10, 40]), T1415_2)!.status).toBe('not_met');
  });

  it('floors the requirement at 0 %', () => {
    // baseline 1/20 = 5 %, k = 2 → 5 − 6 = −1 % → required 0 %: only a unit with nobody in the group meets it
    expect(evaluateTargets(config, unit(0, 30, [1, 20]), T1516_1)!.status).toBe('met');
    expect(evaluateTargets(config, unit(1, 100, [1, 20]), T1516_1)!.status).toBe('not_met');
  });

  it('is not measurable at the baseline exam, before it, without a baseline row or a baseline exam', () => {
    expect(evaluateTargets(config, unit(1, 10, [1, 10]), T1415_1)).toEqual({ status: 'not_measurable', explanation: '本次考试即为基准考试，作为以后的参照基数' });
    expect(evaluateTargets(config, unit(1, 10, [1, 10]), { schoolYear: '2013-2014', term: 2 })!.status).toBe('not_measurable');
    expect(evaluateTargets(config, unit(1, 10, null), T1516_1)!.explanation).toBe('基准考试中没有该学校的数据，无法比较');
    expect(evaluateTargets({ ...config, baseline: null }, unit(1, 10, [1, 10]), T1516_1)!.status).toBe('not_measurable');
  });

  it('sets no target for subjects no rule names', () => {
    expect(evaluateTargets(config, unit(1, 10, [1, 10], { subject: '语文' }), T1516_1)).toBeNull();
  });

  it('accepts a configurable N (the school first tried 6)', () => {
    const six: TargetConfig = { ...config, rules: [{ kind: 'relative_to_baseline', subjects: ['总分'], pointsPerSemester: 6 }] };
    // baseline 25 %, k = 1 → ≤ 19 %: 19/100 met, 20/100 not
    expect(evaluateTargets(six, unit(19, 100, [10, 40]), T1415_2)!.status).toBe('met');
    expect(evaluateTargets(six, unit(20, 100, [10, 40]), T1415_2)!.status).toBe('not_met');
  });
});

describe('grade 7: the first semester is the baseline (范文1)', () => {
  const config = defaultTargetConfig(7, '2014-2015', T1415_1);
  it('requires not exceeding the baseline afterwards', () => {
    // baseline 1/5 = 20 %: 2/10 = 20 % is met (exact tie), 21/100 is not
    expect(evaluateTargets(config, unit(2, 10, [1, 5]), T1415_2)!.status).toBe('met');
    expect(evaluateTargets(config, unit(21, 100, [1, 5]), T1415_2)).toEqual({
      status: 'not_met',
      explanation: '基准 20.00%，要求不高于基准，本次 21.00%，未达标',
    });
  });
});

describe('grade 9: rank ≤ 8 and ratio ≤ 20 % in the four main subjects (范文1)', () => {
  const config = defaultTargetConfig(9, '2015-2016', null);
  const g9 = (bottom: number, enrolled: number, rank: number, extra: Partial<TargetUnit> = {}) =>
    evaluateTargets(config, { level: 'school', subject: '数学', bottom, enrolled, rank, baseline: null, ...extra }, T1516_1);

  it('needs both conditions, boundaries included', () => {
    expect(g9(20, 100, 8)).toEqual({ status: 'met', explanation: '名次 8（要求前 8 名），比例 20.00%（要求 ≤ 20.00%），达标' });
    expect(g9(20, 100, 9)!.status).toBe('not_met');
    expect(g9(21, 100, 1)!.status).toBe('not_met');
    expect(g9(20, 100, 0)!.status).toBe('not_measurable');
  });

  it('judges classes and teachers on the ratio only', () => {
    expect(g9(2, 10, 57, { level: 'class' })).toEqual({ status: 'met', explanation: '比例 20.00%（要求 ≤ 20.00%），班级只考核比例，达标' });
    expect(g9(3, 10, 1, { level: 'teacher' })!.status).toBe('not_met');
    expect(g9(3, 10, 1, { subject: '道德与法治' })).toBeNull();
  });

  it('combines several rules: not met wins over not measurable', () => {
    const both: TargetConfig = { ...config, baseline: T1415_1, rules: [...config.rules, { kind: 'relative_to_baseline', subjects: ['数学'], pointsPerSemester: 3 }] };
    const r = g9(30, 100, 2, { baseline: null });
    expect(r!.status).toBe('not_met');
    const r2 = evaluateTargets(both, { level: 'school', subject: '数学', bottom: 10, enrolled: 100, rank: 2, baseline: null }, T1516_1)!;
    expect(r2.status).toBe('not_measurable'); // rank/ratio met, relative not measurable
    expect(r2.explanation).toContain('；');
  });
});

describe('targets through analyseExam', () => {
  it('fills row.target from the configuration and the baseline snapshot', () => {
    const first = analyseExam(fixtureInput());
    const config = defaultTargetConfig(8, '2014-2015', T1415_1);
    const atBaseline = analyseExam(fixtureInput({ exam: T1415_1, targets: config, baseline: snapshotOf(first) }));
    const total = atBaseline.subjects.find((s) => s.isTotal)!;
    expect(total.schools[0]!.target!.status).toBe('not_measurable');
    expect(atBaseline.subjects[0]!.schools[0]!.target).toBeNull(); // 语文: no rule
    // a semester later with identical results: required baseline − 3 → not met for both schools
    const later = analyseExam(fixtureInput({ exam: T1415_2, targets: config, baseline: snapshotOf(first) }));
    const rows = later.subjects.find((s) => s.isTotal)!.schools;
    expect(rows.map((r) => [r.key, r.target!.status])).toEqual([[SCHOOL_A, 'not_met'], [SCHOOL_B, 'not_met']]);
    expect(() => analyseExam(fixtureInput({ targets: config }))).toThrow(/考试学期/);
  });
});
