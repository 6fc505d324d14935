import { describe, expect, it } from 'vitest';
import { bottomMask, computeCut, isBottom, quickselect } from '../../../src/modules/exams/analysis/cut-score.js';
import { ceilFraction } from '../../../src/modules/exams/analysis/rational.js';

const A = NaN; // absent 缺考
const f64 = (xs: number[]) => Float64Array.from(xs);

describe('computeCut', () => {
  it('takes the score at position ⌈0.2·N⌉ (N = 10 → position 2)', () => {
    // sorted: 10 20 | 30 … 100; position ⌈0.2·10⌉ = 2 → cut 20, bottom {10, 20}
    const r = computeCut(f64([100, 90, 80, 70, 60, 50, 40, 30, 20, 10]));
    expect(r).toMatchObject({ n: 10, absent: 0, position: 2, cut: 20, bottomCount: 2 });
    expect(r.inBottom(20)).toBe(true);
    expect(r.inBottom(20.5)).toBe(false);
  });

  it('computes ⌈fraction·N⌉ exactly (0.07·100 = 7.000000000000001 in floating point)', () => {
    expect(Math.ceil(0.07 * 100)).toBe(8); // the trap a naive ceil falls into
    expect(ceilFraction(100, 0.07)).toBe(7);
    expect(ceilFraction(15, 0.2)).toBe(3);
    expect(ceilFraction(16, 0.2)).toBe(4); // 3.2 → 4
    // scores 1..15: cut = 3, bottom {1, 2, 3}
    const r = computeCut(f64(Array.from({ length: 15 }, (_, i) => i + 1)));
    expect(r).toMatchObject({ position: 3, cut: 3, bottomCount: 3 });
  });

  it('includes every tie at the cut, so the group can exceed 20 %', () => {
    // sorted: 50 60 60 60 70 80 90 95 98 100; position 2 → 60; bottom = 50 + three 60s = 4 (40 %)
    const r = computeCut(f64([60, 100, 60, 98, 50, 95, 60, 90, 80, 70]));
    expect(r).toMatchObject({ position: 2, cut: 60, bottomCount: 4 });
  });

  it('counts absentees as the lowest scores inside the bottom group', () => {
    // sorted: A 30 | 40 …; N = 10, position 2 → 30; bottom {A, 30}
    const r = computeCut(f64([40, A, 30, 55, 60, 70, 80, 90, 95, 100]));
    expect(r).toMatchObject({ absent: 1, position: 2, cut: 30, bottomCount: 2 });
    expect(r.inBottom(NaN)).toBe(true);
  });

  it("gives cut = 'absent' when absentees alone fill the bottom group, and only absentees are in it", () => {
    // N = 10, 2 absent, position 2 falls on an absentee → 'absent'; the 0-point student is NOT bottom
    const two = computeCut(f64([A, A, 0, 30, 60, 70, 80, 90, 95, 100]));
    expect(two).toMatchObject({ absent: 2, position: 2, cut: 'absent', bottomCount: 2 });
    expect(two.inBottom(0)).toBe(false);
    // 3 absent with position 2: still 'absent', and all 3 are in the group (30 %)
    const three = computeCut(f64([A, A, A, 0, 60, 70, 80, 90, 95, 100]));
    expect(three).toMatchObject({ cut: 'absent', bottomCount: 3 });
    expect(Array.from(bottomMask(f64([A, A, A, 0, 60, 70, 80, 90, 95, 100]), three.cut))).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('handles half points exactly', () => {
    // sorted: 59 59.5 59.5 60 …; position 2 → 59.5; bottom {59, 59.5, 59.5} = 3
    const scores = f64([59.5, 60, 59.5, 70, 80, 90, 100, 59, 85, 95]);
    const r = computeCut(scores);
    expect(r).toMatchObject({ cut: 59.5, bottomCount: 3 });
    expect(Array.from(bottomMask(scores, r.cut))).toEqual([1, 0, 1, 0, 0, 0, 0, 1, 0, 0]);
  });

  it('honours another fraction: 0.25 of 8 → position 2', () => {
    const r = computeCut(f64([8, 7, 6, 5, 4, 3, 2, 1]), 0.25);
    expect(r).toMatchObject({ position: 2, cut: 2, bottomCount: 2 });
  });

  it('has no cut for an empty population and rejects a fraction outside (0, 1]', () => {
    const r = computeCut(new Float64Array(0));
    expect(r).toMatchObject({ n: 0, position: 0, cut: null, bottomCount: 0 });
    expect(isBottom(NaN, null)).toBe(false);
    expect(() => computeCut(f64([1]), 0)).toThrow(RangeError);
    expect(() => computeCut(f64([1]), 1.5)).toThrow(RangeError);
  });

  it('agrees with a full sort on large random data full of duplicates', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (const n of [1, 2, 7, 601, 5000, 40_000]) {
      const scores = new Float64Array(n);
      for (let i = 0; i < n; i++) scores[i] = rand() < 0.03 ? NaN : Math.floor(rand() * 201) / 2;
      const r = computeCut(scores);
      const sorted = Array.from(scores).sort((a, b) => (Number.isNaN(a) ? -1 : Number.isNaN(b) ? 1 : a - b));
      const atPosition = sorted[r.position - 1]!;
      expect(r.cut).toBe(Number.isNaN(atPosition) ? 'absent' : atPosition);
      const expectedBottom = sorted.filter((s) => (Number.isNaN(atPosition) ? Number.isNaN(s) : Number.isNaN(s) || s <= atPosition)).length;
      expect(r.bottomCount).toBe(expectedBottom);
      let maskCount = 0;
      for (const b of bottomMask(scores, r.cut)) maskCount += b;
      expect(maskCount).toBe(expectedBottom);
    }
  });

  it('quickselect leaves the k-th smallest at k', () => {
    const a = f64([5, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]);
    quickselect(a, 4, 0, a.length - 1);
    expect(a[4]).toBe(4); // sorted: 1 1 2 3 4 5 5 5 5 6 9
    for (let i = 0; i < 4; i++) expect(a[i]!).toBeLessThanOrEqual(4);
    for (let i = 5; i < a.length; i++) expect(a[i]!).toBeGreaterThanOrEqual(4);
  });
});
