/**
 * Supported students against similar students who were not supported — an ESTIMATE, not a causal
 * conclusion (pure; docs/support.md "Outcomes" gives the method in words).
 *
 * Each student brings the change of their county percentile between a baseline exam and a later
 * exam (`after − before`, points). Students are put in strata: cohort × school × starting band
 * (the baseline percentile in bands of `bandWidth` points, [0, 5), [5, 10) …). In a stratum with
 * both supported and comparison students the difference of the two mean changes is taken; the
 * estimate is the average of those differences weighted by the number of supported students in
 * each stratum (the supported students' mix of schools and bands). Supported students in a stratum
 * without any comparison student are left out and counted (`unmatchedSupported`).
 *
 * Uncertainty: standard error √Σ w²(s²_sup/n + s²_cmp/m) with each group's sample variance in the
 * stratum (n − 1); a group of one in a stratum takes that group's pooled within-stratum variance
 * (0 when no stratum has two). 95 % interval = estimate ± 1.96 SE (normal approximation).
 */
import { round2 } from './standing.js';

export const DEFAULT_BAND_WIDTH = 5;

export interface ComparisonEntry {
  /** what else must match: the cohort (e.g. its entry year) */
  cohort: string | number;
  schoolId: number;
  supported: boolean;
  /** percentile at the baseline and at the later exam */
  before: number;
  after: number;
}

export interface BandRow {
  /** band start, e.g. 10 for [10, 15) */
  from: number;
  to: number;
  supportedN: number;
  supportedMean: number | null;
  comparisonN: number;
  comparisonMean: number | null;
}

export interface ComparisonEstimate {
  /** supported students in strata that have comparison students */
  supportedN: number;
  /** comparison students in those strata */
  comparisonN: number;
  /** supported students left out: nobody comparable in their stratum */
  unmatchedSupported: number;
  /** strata used */
  strata: number;
  /** mean change of the matched supported students, points */
  supportedMean: number | null;
  /** mean change of the comparison students, weighted to the supported students' strata */
  comparisonMean: number | null;
  /** supportedMean − comparisonMean */
  difference: number | null;
  standardError: number | null;
  ci95: [number, number] | null;
  /** per starting band, pooled over schools and cohorts (descriptive, unweighted) */
  bands: BandRow[];
}

export function bandOf(percentile: number, width = DEFAULT_BAND_WIDTH): number {
  const b = Math.floor(percentile / width);
  const last = Math.ceil(100 / width) - 1;
  return Math.min(Math.max(b, 0), last);
}

interface Acc {
  n: number;
  sum: number;
  sumSq: number;
}
const acc = (): Acc => ({ n: 0, sum: 0, sumSq: 0 });
const add = (a: Acc, x: number) => {
  a.n++;
  a.sum += x;
  a.sumSq += x * x;
};
const mean = (a: Acc) => a.sum / a.n;
/** sample variance (n − 1); NaN for n < 2 */
const variance = (a: Acc) => (a.n < 2 ? NaN : Math.max(0, (a.sumSq - (a.sum * a.sum) / a.n) / (a.n - 1)));

export function compareGroups(entries: readonly ComparisonEntry[], bandWidth = DEFAULT_BAND_WIDTH): ComparisonEstimate {
  const strata = new Map<string, { sup: Acc; cmp: Acc }>();
  const bands = new Map<number, { sup: Acc; cmp: Acc }>();
  for (const e of entries) {
    const band = bandOf(e.before, bandWidth);
    const key = `${e.cohort}|${e.schoolId}|${band}`;
    const change = e.after - e.before;
    let s = strata.get(key);
    if (!s) strata.set(key, (s = { sup: acc(), cmp: acc() }));
    add(e.supported ? s.sup : s.cmp, change);
    let b = bands.get(band);
    if (!b) bands.set(band, (b = { sup: acc(), cmp: acc() }));
    add(e.supported ? b.sup : b.cmp, change);
  }

  const matched = [...strata.values()].filter((s) => s.sup.n > 0 && s.cmp.n > 0);
  const unmatchedSupported = [...strata.values()].reduce((k, s) => k + (s.cmp.n === 0 ? s.sup.n : 0), 0);
  const bandRows: BandRow[] = [...bands.entries()].sort((a, b) => a[0] - b[0]).map(([band, g]) => ({
    from: band * bandWidth,
    to: Math.min(100, (band + 1) * bandWidth),
    supportedN: g.sup.n,
    supportedMean: g.sup.n ? round2(mean(g.sup)) : null,
    comparisonN: g.cmp.n,
    comparisonMean: g.cmp.n ? round2(mean(g.cmp)) : null,
  }));
  const supportedN = matched.reduce((k, s) => k + s.sup.n, 0);
  const comparisonN = matched.reduce((k, s) => k + s.cmp.n, 0);
  if (supportedN === 0) {
    return { supportedN: 0, comparisonN: 0, unmatchedSupported, strata: 0, supportedMean: null, comparisonMean: null, difference: null, standardError: null, ci95: null, bands: bandRows };
  }

  // pooled within-stratum variance per group, for strata where a group has a single student
  const pooled = (pick: (s: { sup: Acc; cmp: Acc }) => Acc) => {
    let num = 0;
    let df = 0;
    for (const s of matched) {
      const a = pick(s);
      if (a.n >= 2) {
        num += variance(a) * (a.n - 1);
        df += a.n - 1;
      }
    }
    return df > 0 ? num / df : 0;
  };
  const pooledSup = pooled((s) => s.sup);
  const pooledCmp = pooled((s) => s.cmp);

  let sup = 0;
  let cmp = 0;
  let varSum = 0;
  for (const s of matched) {
    const w = s.sup.n / supportedN;
    sup += w * mean(s.sup);
    cmp += w * mean(s.cmp);
    const vs = s.sup.n >= 2 ? variance(s.sup) : pooledSup;
    const vc = s.cmp.n >= 2 ? variance(s.cmp) : pooledCmp;
    varSum += w * w * (vs / s.sup.n + vc / s.cmp.n);
  }
  const diff = sup - cmp;
  const se = Math.sqrt(varSum);
  return {
    supportedN,
    comparisonN,
    unmatchedSupported,
    strata: matched.length,
    supportedMean: round2(sup),
    comparisonMean: round2(cmp),
    difference: round2(diff),
    standardError: round2(se),
    ci95: [round2(diff - 1.96 * se), round2(diff + 1.96 * se)],
    bands: bandRows,
  };
}
