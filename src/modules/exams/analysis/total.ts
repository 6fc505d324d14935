/**
 * The total (总分) of the configured subjects.
 *
 * DOMAIN rule: the total is the sum of the subjects configured to count;
 * a student absent from any counted subject is absent for the total (NaN),
 * while keeping their real scores in the other subjects. IEEE arithmetic gives
 * this for free (x + NaN = NaN), which keeps the loop branch-free.
 *
 * Exactness: scores quantised to integer hundredths (analyse.ts) sum exactly,
 * so two students whose totals are equal on paper tie at the cut. Summing raw
 * decimals (0.1 + 0.2 ≠ 0.3) would not guarantee that.
 */

/** The total of several subjects; every array has one score per student, NaN = absent. */
export function computeTotal(subjects: readonly Float64Array[], out?: Float64Array): Float64Array {
  const first = subjects[0];
  const n = first ? first.length : 0;
  for (const s of subjects) {
    if (s.length !== n) throw new RangeError(`各科成绩人数不一致: ${s.length} ≠ ${n}`);
  }
  const total = out && out.length === n ? out : new Float64Array(n);
  total.fill(0);
  for (const s of subjects) addToTotal(total, s);
  return total;
}

/**
 * Add one subject into a running total (start from zeros): lets analyse.ts
 * fold each subject in as it goes and reuse one buffer for the quantised
 * scores instead of keeping every subject's copy alive.
 */
export function addToTotal(total: Float64Array, scores: Float64Array): void {
  if (scores.length !== total.length) throw new RangeError(`各科成绩人数不一致: ${scores.length} ≠ ${total.length}`);
  const n = total.length;
  for (let i = 0; i < n; i++) total[i]! += scores[i]!; // NaN (absent) propagates
}
