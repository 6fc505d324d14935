/**
 * A student's standing in one exam: county percentile of the total and membership of the
 * 后20% groups (pure; docs/support.md "Outcomes").
 *
 * Percentile (percentile rank, mid-rank form): for a student whose total is t, in an exam whose
 * population (应考) has N students,
 *
 *     P = 100 × (L + E / 2) / N
 *
 * L = students of the population with a total below t, E = students with a total equal to t
 * (the student included). Absent for the total (缺考 in a counted subject, or a registered
 * student with no row: the analysis pads them as absent) counts as the lowest total, so all
 * absentees tie at the bottom. P lies strictly between 0 and 100; the median student is at 50;
 * a county of one is at 50. Totals are compared in integer hundredths (the engine's
 * quantisation), so ties on paper are ties here.
 *
 * Bottom group: the stored cut of the subject (or 总分) decides, with the engine's own rule
 * (isBottom: at or below the cut, absent always in when there is a cut, cut 'absent' = only
 * the absentees).
 */
import { isBottom, type Cut } from '../../exams/analysis/cut-score.js';

/**
 * Mid-rank percentiles of totals (NaN = absent), with `extraAbsent` more population members
 * absent (registered students without a row). Returns one P per input, in input order.
 */
export function percentileRanks(totals: Float64Array, extraAbsent = 0): Float64Array {
  const n = totals.length;
  const N = n + extraAbsent;
  const out = new Float64Array(n);
  if (N === 0) return out;
  let absent = extraAbsent;
  const present: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = totals[i]!;
    if (t !== t) absent++;
    else present.push(i);
  }
  const absentP = (100 * (absent / 2)) / N;
  for (let i = 0; i < n; i++) if (totals[i]! !== totals[i]!) out[i] = absentP;
  present.sort((a, b) => totals[a]! - totals[b]!);
  let below = absent;
  for (let k = 0; k < present.length; ) {
    const t = totals[present[k]!]!;
    let j = k;
    while (j < present.length && totals[present[j]!]! === t) j++;
    const equal = j - k;
    const p = (100 * (below + equal / 2)) / N;
    for (let m = k; m < j; m++) out[present[m]!] = p;
    below += equal;
    k = j;
  }
  return out;
}

/** A score in points → integer units of 10^-decimals (the engine's quantisation); NaN stays NaN. */
export function quantise(score: number, decimals = 2): number {
  return score !== score ? NaN : Math.round(score * 10 ** decimals);
}

/** The total in quantised units of the counted subjects; NaN when absent from any of them (or none counts). */
export function quantisedTotal(scores: readonly (number | null)[], counts: readonly boolean[], decimals = 2): number {
  let total = 0;
  let any = false;
  for (let k = 0; k < counts.length; k++) {
    if (!counts[k]) continue;
    any = true;
    const s = scores[k];
    if (s == null || s !== s) return NaN;
    total += quantise(s, decimals);
  }
  return any ? total : NaN;
}

/** Whether a quantised score (NaN = absent) is in the bottom group of a stored cut in points. */
export function inBottom(quantised: number, cut: Cut | null, decimals = 2): boolean {
  return isBottom(quantised, typeof cut === 'number' ? quantise(cut, decimals) : cut);
}

/** A percentile rounded for display and storage in views (two decimals). */
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
