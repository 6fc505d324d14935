import { describe, expect, it } from 'vitest';
import { competitionRank, compositeScores, countUnits, transferDenominator, unitRates } from '../../../src/modules/exams/analysis/unit-stats.js';
import { computeTotal } from '../../../src/modules/exams/analysis/total.js';

const A = NaN;

describe('competitionRank', () => {
  it('ranks ratios ascending with competition ranking, 1/5 tying 2/10 exactly', () => {
    // ratios: u0 1/5 = 0.2, u1 2/10 = 0.2, u2 0/4 = 0, u3 3/10 = 0.3, u4 no students
    const rank = competitionRank(Int32Array.from([1, 2, 0, 3, 0]), Int32Array.from([5, 10, 4, 10, 0]));
    expect(Array.from(rank)).toEqual([2, 2, 1, 4, 0]); // 1, 2, 2, 4; unranked = 0
  });

  it('gives 1, 1, 3 for a tie at the top (1/3 vs 2/6 vs 1/2)', () => {
    expect(Array.from(competitionRank(Int32Array.from([1, 2, 1]), Int32Array.from([3, 6, 2])))).toEqual([1, 1, 3]);
  });

  it('ranks within groups (classes within their school)', () => {
    // school 0: c0 1/10, c1 3/10, c2 1/10 → 1, 3, 1; school 1: c3 2/8 → 1; c4 ungrouped → 0
    const rank = competitionRank(Int32Array.from([1, 3, 1, 2, 0]), Int32Array.from([10, 10, 10, 8, 5]), Int32Array.from([0, 0, 0, 1, -1]));
    expect(Array.from(rank)).toEqual([1, 3, 1, 1, 0]);
  });
});

describe('countUnits and unitRates', () => {
  // unit 0: 59.5, 60, 48, A, 80 ; unit 1: 100, 79.5 ; student 7 has no unit (−1)
  const scores = Float64Array.from([59.5, 60, 48, A, 80, 100, 79.5, 30]);
  const bottom = Uint8Array.from([1, 0, 1, 1, 0, 0, 0, 1]); // from the county cut (here given)
  const unit = Int32Array.from([0, 0, 0, 0, 0, 1, 1, -1]);
  const counts = countUnits(scores, bottom, unit, 2, { fullMarks: 100 });

  it('counts enrolled (absent included), bottom, pass ≥ 60 %, excellence ≥ 80 %', () => {
    expect(Array.from(counts.enrolled)).toEqual([5, 2]);
    expect(Array.from(counts.absent)).toEqual([1, 0]);
    expect(Array.from(counts.bottom)).toEqual([3, 0]);
    // unit 0: 60 and 80 pass (59.5 does not: the line is 60, at or above); 80 is excellent
    expect(Array.from(counts.pass)).toEqual([2, 2]);
    // unit 1: 100 excellent, 79.5 not
    expect(Array.from(counts.excellent)).toEqual([1, 1]);
    expect(Array.from(counts.sum)).toEqual([59.5 + 60 + 48 + 80, 179.5]);
  });

  it('means count absentees as 0 over the denominator by default', () => {
    const r = unitRates(counts);
    expect(r.ratio[0]).toBe(3 / 5);
    expect(r.mean[0]).toBe(247.5 / 5); // 49.5: the absentee scores 0
    expect(r.passRate[0]).toBe(2 / 5);
    expect(r.excellenceRate[1]).toBe(1 / 2);
  });

  it("'exclude' drops absentees from the mean only", () => {
    const r = unitRates(counts, undefined, 'exclude');
    expect(r.mean[0]).toBe(247.5 / 4); // 61.875
    expect(r.passRate[0]).toBe(2 / 5); // absentees still in the pass-rate denominator
  });

  it('uses 起始年级人数 + 正常转入 − 正常转出 when given (transfers)', () => {
    // unit 0 started with 6, 1 transferred in normally, 0 out → 7; two students left abnormally
    // and are not in the exam: they still count in the denominator, as 0
    const d = transferDenominator(6, 1, 0);
    expect(d).toBe(7);
    const r = unitRates(counts, Float64Array.from([d, NaN]));
    expect(r.denominator[0]).toBe(7);
    expect(r.denominator[1]).toBe(2); // NaN = default: the enrolled count
    expect(r.mean[0]).toBe(247.5 / 7);
    expect(r.passRate[0]).toBe(2 / 7);
    expect(r.ratio[0]).toBe(3 / 5); // the bottom ratio stays over the enrolled count
  });

  it('compares the pass line exactly for full marks 150 (60 % = 90, 80 % = 120)', () => {
    const c = countUnits(Float64Array.from([89.5, 90, 119.5, 120]), new Uint8Array(4), new Int32Array(4), 1, { fullMarks: 150 });
    expect(c.pass[0]).toBe(3);
    expect(c.excellent[0]).toBe(1);
  });
});

describe('compositeScores', () => {
  it('is mean ÷ best × 40 + pass ÷ best × 30 + excellence ÷ best × 30 per level', () => {
    // unit 0: mean 80, pass .9, exc .3 (best everywhere) → 100
    // unit 1: mean 60, pass .6, exc 0 → 60/80·40 + .6/.9·30 + 0 = 30 + 20 = 50
    const rates = {
      denominator: Float64Array.from([10, 10, 0]),
      ratio: Float64Array.from([0.1, 0.2, NaN]),
      mean: Float64Array.from([80, 60, NaN]),
      passRate: Float64Array.from([0.9, 0.6, NaN]),
      excellenceRate: Float64Array.from([0.3, 0, NaN]),
    };
    const c = compositeScores(rates, Int32Array.from([10, 10, 0]));
    expect(c[0]).toBeCloseTo(100, 10);
    expect(c[1]).toBeCloseTo(50, 10);
    expect(Number.isNaN(c[2]!)).toBe(true);
    // weights configurable: 50/50/0
    const d = compositeScores(rates, Int32Array.from([10, 10, 0]), { mean: 50, pass: 50, excellence: 0 });
    expect(d[1]).toBeCloseTo(60 / 80 * 50 + 0.6 / 0.9 * 50, 10);
  });
});

describe('computeTotal', () => {
  it('sums the subjects; absent in any subject → absent for the total', () => {
    const t = computeTotal([Float64Array.from([50, A, 59.5]), Float64Array.from([40.5, 90, 60])]);
    expect(t[0]).toBe(90.5);
    expect(Number.isNaN(t[1]!)).toBe(true);
    expect(t[2]).toBe(119.5);
    expect(() => computeTotal([new Float64Array(2), new Float64Array(3)])).toThrow(RangeError);
  });
});
