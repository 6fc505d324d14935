import { describe, expect, it } from 'vitest';
import { ceilFraction, changeInPoints, compareRatios, fellByAtLeast, signedPoints, toPpm } from '../../../src/modules/exams/analysis/rational.js';

describe('exact ratio arithmetic', () => {
  it('compares ratios by cross-multiplication', () => {
    expect(compareRatios(1, 5, 2, 10)).toBe(0);
    expect(compareRatios(1, 3, 1, 2)).toBe(-1);
    expect(compareRatios(299_999, 300_000, 299_998, 299_999)).toBe(1); // differ by ~1e-11
  });

  it('gives exactly 0 points for equal ratios and the right sign otherwise', () => {
    expect(changeInPoints(2, 10, 1, 5)).toBe(0);
    expect(changeInPoints(17, 100, 5, 25)).toBeCloseTo(-3, 12);
    expect(signedPoints(-3.0000001)).toBe('-3.00');
    expect(signedPoints(1.5)).toBe('+1.50');
  });

  it('decides "fell by at least" exactly, on the fast path and the BigInt path', () => {
    // 20 % → 17 %: exactly 3 points
    expect(fellByAtLeast(17, 100, 5, 25, 3)).toBe(true);
    expect(fellByAtLeast(17, 100, 5, 25, 3.001)).toBe(false);
    // a county-sized pair beyond 2^53 / 100 000: 200 000/1 000 000 → 170 000/1 000 000, exactly 3 points
    expect(fellByAtLeast(170_000, 1_000_000, 200_000, 1_000_000, 3)).toBe(true);
    expect(fellByAtLeast(170_001, 1_000_000, 200_000, 1_000_000, 3)).toBe(false);
    expect(fellByAtLeast(1, 2, 1, 2, 101)).toBe(false);
    expect(fellByAtLeast(1, 2, 1, 2, -101)).toBe(true);
  });

  it('turns fractions into exact parts per million', () => {
    expect(toPpm(0.2)).toBe(200_000);
    expect(toPpm(0.07)).toBe(70_000);
    expect(ceilFraction(0, 0.2)).toBe(0);
    expect(ceilFraction(1, 0.2)).toBe(1);
    expect(ceilFraction(300_000, 0.2)).toBe(60_000);
    expect(() => toPpm(Number.NaN)).toThrow(RangeError);
  });
});
