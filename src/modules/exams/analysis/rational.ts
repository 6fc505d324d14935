/**
 * Exact arithmetic helpers for the bottom-20% indicators.
 *
 * Why: ratios such as 1/5 and 2/10 must tie exactly in a competition ranking,
 * and a configured fraction times N is not always exact in floating point
 * (0.07·100 is 7.000000000000001, so a naive Math.ceil gives 8, not 7).
 * Every comparison that decides a rank,
 * a cut position or a target is therefore done on integers: ratios as
 * (numerator, denominator) pairs compared by cross-multiplication, and
 * configured fractions (0.2, 60 %, 3 points…) converted once to integer parts
 * per million.
 */

/** Scale of {@link toPpm}: configured fractions are exact to six decimals. */
export const PPM = 1_000_000;

/**
 * A configured fraction (0.2, 0.6, 0.8, 0.25 …) as an integer number of parts
 * per million. Six decimals cover every fraction a bureau will configure;
 * anything finer is rounded (documented in docs/exams-analysis.md).
 */
export function toPpm(fraction: number): number {
  if (!Number.isFinite(fraction)) throw new RangeError(`比例必须是有限数值: ${fraction}`);
  return Math.round(fraction * PPM);
}

/**
 * ⌈fraction · n⌉ computed exactly: n·ppm is an integer below 2^53 for any
 * realistic n, and integer ceiling division has no rounding error.
 */
export function ceilFraction(n: number, fraction: number): number {
  const ppm = toPpm(fraction);
  return Math.floor((n * ppm + PPM - 1) / PPM);
}

/**
 * Sign of a/b − c/d for non-negative integers with b, d > 0.
 * Products stay below 2^53 for counts up to ~9·10^7, far beyond a county.
 */
export function compareRatios(a: number, b: number, c: number, d: number): number {
  const left = a * d;
  const right = c * b;
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * Change of a ratio in percentage points, (a/b − c/d) · 100, with a single
 * correctly rounded division so that equal ratios give exactly 0 and 1/5 vs
 * 2/10 never shows as 2.7e-15.
 */
export function changeInPoints(a: number, b: number, c: number, d: number): number {
  return ((a * d - c * b) * 100) / (b * d);
}

/** Ratio as a percentage string with two decimals, for Chinese explanations. */
export function pct(ratio: number): string {
  return `${(ratio * 100).toFixed(2)}%`;
}

/** Percentage points with an explicit sign, for explanations: "+1.50" / "-3.00". */
export function signedPoints(points: number): string {
  const rounded = Math.round(points * 100) / 100;
  const text = Math.abs(rounded).toFixed(2);
  return rounded > 0 ? `+${text}` : rounded < 0 ? `-${text}` : '0.00';
}

/** e·e0 bound under which 100 000·b0·e and 100 000·e·e0 are exact doubles (< 2^53). */
const FAST_PRODUCT_LIMIT = Math.floor(Number.MAX_SAFE_INTEGER / 100_000);

/**
 * Whether a ratio fell by at least `points` percentage points, decided exactly:
 * (b0/e0 − b/e)·100 ≥ points  ⇔  100 000·(b0·e − b·e0) ≥ pm·e·e0, with points
 * in thousandths (pm). Doubles are exact while e·e0 ≤ 9·10^10 (any school or
 * class); beyond that BigInt takes over. |points| > 100 is decided directly: a
 * ratio cannot move by more than 100 points.
 */
export function fellByAtLeast(b: number, e: number, b0: number, e0: number, points: number): boolean {
  if (points > 100) return false;
  if (points < -100) return true;
  const pm = Math.round(points * 1000);
  if (e * e0 <= FAST_PRODUCT_LIMIT) return 100_000 * (b0 * e - b * e0) >= pm * e * e0;
  const [B, E, B0, E0] = [BigInt(b), BigInt(e), BigInt(b0), BigInt(e0)];
  return 100_000n * (B0 * E - B * E0) >= BigInt(pm) * E * E0;
}
