/**
 * The county cut score of the bottom-20% programme (后20%划线).
 *
 * DOMAIN rule: the population (应考) is every enrolled student, absentees
 * included; an absentee (缺考, NaN here) counts as the lowest score. Sort
 * ascending; the cut is the score at 1-based position ⌈fraction·N⌉; the bottom
 * group is everyone at or below it, ties included (so a unit may exceed 20 %).
 * When that position falls on an absentee the cut is `'absent'` and the bottom
 * group is exactly the absentees: any real score ranks above "absent".
 *
 * Performance: one O(n) selection instead of an O(n log n) sort — we only need
 * one order statistic. Comparisons are exact (`<=` on doubles); callers feed
 * scores already quantised to hundredths (see analyse.ts), so half points such
 * as 59.5 and sums of them compare without rounding surprises.
 */
import { ceilFraction } from './rational.js';

/** The cut: a score, or `'absent'` when absentees alone fill the bottom group. */
export type Cut = number | 'absent';

export interface CutResult {
  /** population 应考: all students, absentees included */
  n: number;
  /** absentees 缺考 */
  absent: number;
  /** 1-based position ⌈fraction·n⌉ in ascending order; 0 when n = 0 */
  position: number;
  /** the cut score; null only when the population is empty */
  cut: Cut | null;
  /** size of the bottom group (≥ position because ties at the cut are included) */
  bottomCount: number;
  /** whether a score (NaN = absent) is in the bottom group */
  inBottom(score: number): boolean;
}

/** Whether a score (NaN = absent) is at or below the cut. */
export function isBottom(score: number, cut: Cut | null): boolean {
  if (cut === null) return false;
  if (score !== score) return true; // absent is always in the bottom group when there is one
  return cut !== 'absent' && score <= cut;
}

/**
 * Compute the cut of one subject (or of the total).
 * @param scores one score per student, NaN for absent
 * @param fraction the bottom fraction, default 0.2 (exact to six decimals)
 * @param scratch optional reusable buffer of length ≥ scores.length, to avoid
 *   allocating once per subject in a 300 000-student run
 */
export function computeCut(scores: Float64Array, fraction = 0.2, scratch?: Float64Array): CutResult {
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`后进比例必须在 (0, 1] 之间: ${fraction}`);
  const n = scores.length;
  const position = ceilFraction(n, fraction);
  const buffer = scratch && scratch.length >= n ? scratch : new Float64Array(n);
  let present = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    if (s === s) buffer[present++] = s;
  }
  const absent = n - present;

  let cut: Cut | null;
  if (n === 0) cut = null;
  else if (absent >= position) cut = 'absent';
  else {
    const k = position - absent - 1; // 0-based rank among the present scores
    quickselect(buffer, k, 0, present - 1);
    cut = buffer[k]!;
  }

  let bottomCount = 0;
  if (cut === 'absent') bottomCount = absent;
  else if (cut !== null) {
    bottomCount = absent;
    for (let i = 0; i < present; i++) if (buffer[i]! <= cut) bottomCount++;
  }
  const fixedCut = cut;
  return { n, absent, position, cut, bottomCount, inBottom: (score: number) => isBottom(score, fixedCut) };
}

/**
 * The bottom group as a 0/1 mask, one byte per student: the form the unit
 * statistics and the candidate lists read in their hot loops.
 */
export function bottomMask(scores: Float64Array, cut: Cut | null, out?: Uint8Array): Uint8Array {
  const n = scores.length;
  const mask = out && out.length >= n ? out : new Uint8Array(n);
  if (cut === null) {
    mask.fill(0, 0, n);
  } else if (cut === 'absent') {
    for (let i = 0; i < n; i++) {
      const s = scores[i]!;
      mask[i] = s !== s ? 1 : 0;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const s = scores[i]!;
      mask[i] = s !== s || s <= cut ? 1 : 0;
    }
  }
  return mask;
}

/**
 * Floyd–Rivest selection: after the call, a[k] is the k-th smallest of
 * a[left..right], everything left of k is ≤ a[k] and everything right is ≥.
 * Expected O(n) and robust to the heavy duplication of exam scores (only a few
 * hundred distinct half-point values), because the partition stops on equal
 * elements from both sides.
 */
export function quickselect(a: Float64Array, k: number, left: number, right: number): void {
  while (right > left) {
    if (right - left > 600) {
      // sample a small range around k first, so the pivot is close to the answer
      const n = right - left + 1;
      const m = k - left + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
      const newLeft = Math.max(left, Math.floor(k - (m * s) / n + sd));
      const newRight = Math.min(right, Math.floor(k + ((n - m) * s) / n + sd));
      quickselect(a, k, newLeft, newRight);
    }
    const t = a[k]!;
    let i = left;
    let j = right;
    swap(a, left, k);
    if (a[right]! > t) swap(a, left, right);
    while (i < j) {
      swap(a, i, j);
      i++;
      j--;
      while (a[i]! < t) i++;
      while (a[j]! > t) j--;
    }
    if (a[left] === t) swap(a, left, j);
    else {
      j++;
      swap(a, j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}
