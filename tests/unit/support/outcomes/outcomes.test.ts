// Support outcomes: percentile, bottom membership, progress awards, the comparison estimate and the
// mix — hand-computed fixtures (docs/support.md "Outcomes").
import { describe, expect, it } from 'vitest';
import { bandOf, compareGroups, type ComparisonEntry } from '../../../../src/modules/support/outcomes/comparison.js';
import { dimensionMix, dimensionsOf, helperOfRange, helperOn, typeMix } from '../../../../src/modules/support/outcomes/mix.js';
import { classMonthlyAwards, DEFAULT_PROGRESS_RULES, schoolTermAwards, type ProgressEntry } from '../../../../src/modules/support/outcomes/progress-awards.js';
import { inBottom, percentileRanks, quantisedTotal } from '../../../../src/modules/support/outcomes/standing.js';

describe('percentileRanks (mid-rank, absent lowest)', () => {
  it('counts those below plus half of those equal, over the population with the padded absentees', () => {
    // population N = 5 rows + 1 registered student without a row = 6; absentees: 1 row + 1 padded = 2
    const p = percentileRanks(new Float64Array([10000, NaN, 10000, 15000, 20000]), 1);
    expect(p[1]).toBeCloseTo((100 * 1) / 6, 12); // absent: (0 + 2/2) / 6
    expect(p[0]).toBe(50); // 100: 2 below, 2 equal → (2 + 1) / 6
    expect(p[2]).toBe(50); // the tie gets the same value
    expect(p[3]).toBe(75); // 150: (4 + 0.5) / 6
    expect(p[4]).toBeCloseTo((100 * 5.5) / 6, 12);
  });
  it('puts a county of one at 50, everyone tied at 50, and an empty exam nowhere', () => {
    expect([...percentileRanks(new Float64Array([42]))]).toEqual([50]);
    expect([...percentileRanks(new Float64Array([7, 7, 7]))]).toEqual([50, 50, 50]);
    expect([...percentileRanks(new Float64Array([]))]).toEqual([]);
  });
});

describe('totals and bottom membership', () => {
  it('sums counted subjects in hundredths; absent from a counted subject = absent', () => {
    expect(quantisedTotal([59.5, 40.25, 10], [true, true, false])).toBe(9975);
    expect(quantisedTotal([0.1, 0.2], [true, true])).toBe(30); // exact: 0.1 + 0.2 = 0.3
    expect(quantisedTotal([59.5, null, 10], [true, true, false])).toBeNaN();
    expect(quantisedTotal([59.5, null, 10], [true, false, false])).toBe(5950);
    expect(quantisedTotal([1, 2], [false, false])).toBeNaN();
  });
  it('is in the group at or below the cut, absent always, only absentees under a cut of 缺考', () => {
    expect(inBottom(5550, 55.5)).toBe(true);
    expect(inBottom(5551, 55.5)).toBe(false);
    expect(inBottom(NaN, 55.5)).toBe(true);
    expect(inBottom(NaN, 'absent')).toBe(true);
    expect(inBottom(0, 'absent')).toBe(false);
    expect(inBottom(0, null)).toBe(false);
  });
});

describe('progress awards', () => {
  const e = (studentId: number, before: number | null, after: number | null, extra: Partial<ProgressEntry> = {}): ProgressEntry => ({
    studentId, classId: 1, schoolId: 9, before, after, bottomBefore: false, bottomAfter: false, ...extra,
  });
  const entries = [
    e(1, 10, 20), // +10
    e(2, 40, 45), // +5: exactly the minimum
    e(3, 30, 34, { bottomBefore: true }), // +4 but left the bottom group
    e(4, 50, 60), // +10, tied with 1
    e(5, 70, 71), // +1: no
    e(6, null, 80), // absent before: no measured change
    e(7, 5, 17, { bottomBefore: true, bottomAfter: true }), // +12, still in the group
    e(8, 5, 14.99, { bottomBefore: true, bottomAfter: true }), // +9.99: below 10
    e(9, 10, 40, { classId: null }), // no registered class: no class award
  ];
  it('class monthly: rise ≥ 5 or left the bottom group, best first, top N with ties', () => {
    const top3 = classMonthlyAwards(entries, DEFAULT_PROGRESS_RULES.classMonthly);
    expect(top3.map((a) => [a.studentId, a.rank, a.rise])).toEqual([[7, 1, 12], [1, 2, 10], [4, 2, 10]]);
    const all = classMonthlyAwards(entries, { ...DEFAULT_PROGRESS_RULES.classMonthly, topN: 100 });
    expect(all.map((a) => a.studentId)).toEqual([7, 1, 4, 8, 2, 3]);
    expect(all.find((a) => a.studentId === 3)).toMatchObject({ leftBottom: true, reason: '总分百分位 30.00 → 34.00，上升 4.00 个百分点；走出总分后20%' });
    const noLeft = classMonthlyAwards(entries, { minRise: 5, topN: 100, leftBottomQualifies: false });
    expect(noLeft.map((a) => a.studentId)).not.toContain(3);
    // a tie at the last place is kept
    expect(classMonthlyAwards(entries, { ...DEFAULT_PROGRESS_RULES.classMonthly, topN: 2 }).map((a) => a.studentId)).toEqual([7, 1, 4]);
  });
  it('school term (期中/期末): last exam\'s bottom group, now out of it or up ≥ 10 points', () => {
    const a = schoolTermAwards('期中', entries, DEFAULT_PROGRESS_RULES.schoolTerm);
    expect(a.map((x) => [x.studentId, x.leftBottom, x.rank])).toEqual([[7, false, 1], [3, true, 2]]);
    expect(schoolTermAwards('月考', entries, DEFAULT_PROGRESS_RULES.schoolTerm)).toEqual([]);
    expect(schoolTermAwards('期末', [e(3, 30, 34, { bottomBefore: true, schoolId: null })], DEFAULT_PROGRESS_RULES.schoolTerm)).toEqual([]);
  });
});

describe('comparison with similar unsupported students (estimate)', () => {
  const x = (schoolId: number, supported: boolean, before: number, after: number): ComparisonEntry => ({ cohort: 2019, schoolId, supported, before, after });
  const entries = [
    // school 1, band [0, 5): supported +4, +6 (mean 5); comparison +1, +3 (mean 2)
    x(1, true, 2, 6), x(1, true, 3, 9), x(1, false, 1, 2), x(1, false, 4, 7),
    // band [5, 10): supported +2 (one student); comparison 0, +2, +4 (mean 2); 5 is the band's start
    x(1, true, 6, 8), x(1, false, 5, 5), x(1, false, 8, 10), x(1, false, 9, 13),
    // band [10, 15): a supported student with nobody comparable at school 1 (empty band)
    x(1, true, 12, 20),
    // school 2 has a comparison student in that band: another school does not count
    x(2, false, 11, 30),
    // band [15, 20): comparison only
    x(1, false, 16, 15),
  ];
  it('weights the strata by supported students and reports n, means, difference and SE', () => {
    const r = compareGroups(entries);
    // weights 2/3 and 1/3: supported 2/3·5 + 1/3·2 = 4; comparison 2/3·2 + 1/3·2 = 2
    // variance: (2/3)²(2/2 + 2/2) + (1/3)²(2/1 [pooled] + 4/3) = 8/9 + 10/27 = 34/27 → SE 1.1222
    expect(r).toMatchObject({
      supportedN: 3, comparisonN: 5, unmatchedSupported: 1, strata: 2,
      supportedMean: 4, comparisonMean: 2, difference: 2, standardError: 1.12, ci95: [-0.2, 4.2],
    });
    expect(r.bands).toEqual([
      { from: 0, to: 5, supportedN: 2, supportedMean: 5, comparisonN: 2, comparisonMean: 2 },
      { from: 5, to: 10, supportedN: 1, supportedMean: 2, comparisonN: 3, comparisonMean: 2 },
      { from: 10, to: 15, supportedN: 1, supportedMean: 8, comparisonN: 1, comparisonMean: 19 },
      { from: 15, to: 20, supportedN: 0, supportedMean: null, comparisonN: 1, comparisonMean: -1 },
    ]);
  });
  it('keeps cohorts apart, and says nothing without a comparable student', () => {
    const r = compareGroups([{ ...entries[0]!, cohort: 2018 }, entries[2]!]);
    expect(r).toMatchObject({ supportedN: 0, unmatchedSupported: 1, difference: null, standardError: null, ci95: null });
    expect(compareGroups([])).toMatchObject({ supportedN: 0, comparisonN: 0, difference: null, bands: [] });
  });
  it('bands: the start belongs to the band, 100 to the last', () => {
    expect([bandOf(0), bandOf(4.99), bandOf(5), bandOf(99.99), bandOf(100), bandOf(12, 10)]).toEqual([0, 0, 1, 19, 19, 1]);
  });
});

describe('mix', () => {
  const dims = dimensionsOf({
    fields: [
      { key: 'subject', label: '学科', type: 'text' },
      { key: 'setting', label: '课内/课外', type: 'select', options: ['课内', '课外'] },
      { key: 'place', label: '校内/校外', type: 'select', options: ['校内', '校外'] },
    ],
  });
  it('takes the select fields as dimensions, shares of the sessions with a value', () => {
    expect(dims.map((d) => d.key)).toEqual(['setting', 'place']);
    const m = dimensionMix(dims, 10, [
      { key: 'setting', value: '课内', n: 2 }, { key: 'setting', value: '课外', n: 6 }, { key: 'setting', value: null, n: 2 },
      { key: 'place', value: '校内', n: 9 }, { key: 'place', value: '操场', n: 1 },
    ]);
    expect(m[0]).toEqual({ key: 'setting', label: '课内/课外', sessions: 10, options: [{ value: '课内', n: 2, share: 0.25 }, { value: '课外', n: 6, share: 0.75 }], unknown: 2 });
    expect(m[1]!.unknown).toBe(1); // a value the form no longer offers
    expect(dimensionMix(dims, 0, [])[0]!.options[0]!.share).toBeNull();
  });
  it('orders record types by count with their labels', () => {
    expect(typeMix(new Map([['talk', '谈心谈话']]), [{ type: 'tutoring', n: 1 }, { type: 'talk', n: 3 }])).toEqual([
      { type: 'talk', label: '谈心谈话', n: 3, share: 0.75 }, { type: 'tutoring', label: 'tutoring', n: 1, share: 0.25 },
    ]);
  });
});

describe('the helper of a record', () => {
  const a = { id: 1, teacherId: 11, from: '2026-09-01', to: '2026-10-31' };
  const b = { id: 2, teacherId: 22, from: '2026-10-31', to: null };
  it('is the teacher taking part that day, the latest to join on a handover day', () => {
    expect([helperOn([a, b], '2026-10-30'), helperOn([a, b], '2026-10-31'), helperOn([a, b], '2026-11-01'), helperOn([a], '2026-11-01')]).toEqual([11, 22, 22, null]);
  });
  it('is decided for a whole range when one helper covers it (or none takes part), else day by day', () => {
    expect(helperOfRange([a], '2026-09-05', '2026-10-31')).toBe(11);
    expect(helperOfRange([a], '2026-11-01', '2026-11-30')).toBeNull();
    expect(helperOfRange([a], '2026-10-01', '2026-11-30')).toBeUndefined();
    expect(helperOfRange([a, b], '2026-09-05', '2026-09-06')).toBeUndefined();
    expect(helperOfRange([], '2026-09-05', '2026-09-06')).toBeNull();
  });
});
