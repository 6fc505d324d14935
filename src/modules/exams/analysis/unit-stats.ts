/**
 * Per-unit statistics (school / class / subject teacher) of one subject.
 *
 * Layout: struct-of-arrays. A unit is an integer index; each student carries
 * the index of its unit in an Int32Array (−1 = no unit, e.g. no teacher
 * recorded for that subject). One pass over the students fills counting arrays;
 * no object is allocated per student. Rows for display are built afterwards,
 * once per unit (analyse.ts).
 *
 * Indicators (DOMAIN, "Indicator rules"):
 * - enrolled 应考: every student of the unit, absent included;
 * - ratio = bottom ÷ enrolled, ranked ascending with competition ranking
 *   (1, 2, 2, 4), ties decided exactly by cross-multiplication;
 * - 人平分 / 合格率 / 优生率 over a denominator that defaults to the enrolled
 *   count but can be set per unit to 起始年级人数 + 正常转入 − 正常转出, so that
 *   moving weak students out of the exam does not raise a school's rates.
 */
import { PPM, compareRatios, toPpm } from './rational.js';

export interface UnitCountOptions {
  /** full marks of the subject, in the same units as the scores */
  fullMarks: number;
  /** pass line as a fraction of full marks; a score at or above it passes. Default 0.6 */
  passFraction?: number;
  /** excellence line as a fraction of full marks; at or above it is excellent. Default 0.8 */
  excellenceFraction?: number;
}

export interface UnitCounts {
  unitCount: number;
  /** 应考: students of the unit, absent included */
  enrolled: Int32Array;
  /** 缺考 */
  absent: Int32Array;
  /** students in the county bottom group */
  bottom: Int32Array;
  /** students at or above the pass line (absentees never pass) */
  pass: Int32Array;
  /** students at or above the excellence line */
  excellent: Int32Array;
  /** sum of the present students' scores */
  sum: Float64Array;
}

/**
 * Count one subject into units in a single pass.
 * @param scores NaN = absent
 * @param bottom 1 = in the county bottom group (from cut-score.ts)
 * @param unit unit index per student, −1 = not counted at this level
 */
export function countUnits(
  scores: Float64Array,
  bottom: Uint8Array,
  unit: Int32Array,
  unitCount: number,
  options: UnitCountOptions,
): UnitCounts {
  const enrolled = new Int32Array(unitCount);
  const absent = new Int32Array(unitCount);
  const bottomCount = new Int32Array(unitCount);
  const pass = new Int32Array(unitCount);
  const excellent = new Int32Array(unitCount);
  const sum = new Float64Array(unitCount);
  // Lines compared as score·10^6 ≥ fullMarks·ppm: exact for half points and
  // for quantised hundredths, no 0.6·150 = 90.00000000000001 surprises.
  const passLine = options.fullMarks * toPpm(options.passFraction ?? 0.6);
  const excellentLine = options.fullMarks * toPpm(options.excellenceFraction ?? 0.8);
  const n = scores.length;
  for (let i = 0; i < n; i++) {
    const u = unit[i]!;
    if (u < 0) continue;
    enrolled[u]!++;
    bottomCount[u]! += bottom[i]!;
    const s = scores[i]!;
    if (s !== s) {
      absent[u]!++;
      continue;
    }
    sum[u]! += s;
    const scaled = s * PPM;
    // branch-free: pass/fail is unpredictable per student
    pass[u]! += scaled >= passLine ? 1 : 0;
    excellent[u]! += scaled >= excellentLine ? 1 : 0;
  }
  return { unitCount, enrolled, absent, bottom: bottomCount, pass, excellent, sum };
}

/**
 * Counts of parent units (schools from classes, teachers from classes) by
 * summing child units: O(units) instead of another O(students) pass, exact
 * because sums of quantised scores are integers.
 * @param parentOf parent index per child unit, −1 = the child has no parent
 */
export function aggregateUnits(child: UnitCounts, parentOf: Int32Array, parentCount: number): UnitCounts {
  const enrolled = new Int32Array(parentCount);
  const absent = new Int32Array(parentCount);
  const bottom = new Int32Array(parentCount);
  const pass = new Int32Array(parentCount);
  const excellent = new Int32Array(parentCount);
  const sum = new Float64Array(parentCount);
  for (let k = 0; k < child.unitCount; k++) {
    const p = parentOf[k]!;
    if (p < 0) continue;
    enrolled[p]! += child.enrolled[k]!;
    absent[p]! += child.absent[k]!;
    bottom[p]! += child.bottom[k]!;
    pass[p]! += child.pass[k]!;
    excellent[p]! += child.excellent[k]!;
    sum[p]! += child.sum[k]!;
  }
  return { unitCount: parentCount, enrolled, absent, bottom, pass, excellent, sum };
}

/**
 * How absentees enter 人平分:
 * - `'zero'` (default): an absentee scores 0, the mean is sum ÷ denominator —
 *   absence cannot lift a unit's mean, matching "absent counts as the lowest";
 * - `'exclude'`: absentees leave the mean, sum ÷ (denominator − absent).
 * Pass and excellence rates always keep absentees in the denominator (an
 * absentee neither passes nor excels).
 */
export type MeanAbsentRule = 'zero' | 'exclude';

export interface UnitRates {
  /** the denominator used for the rates (enrolled unless given) */
  denominator: Float64Array;
  /** bottom ÷ enrolled; NaN for a unit without students */
  ratio: Float64Array;
  /** 人平分; NaN when the denominator is not positive */
  mean: Float64Array;
  /** 合格率; NaN when the denominator is not positive */
  passRate: Float64Array;
  /** 优生率; NaN when the denominator is not positive */
  excellenceRate: Float64Array;
}

/**
 * Rates from the counts.
 * @param denominators per unit 起始年级人数 + 正常转入 − 正常转出; NaN (or a
 *   missing array) means "use the enrolled count"
 */
export function unitRates(
  counts: UnitCounts,
  denominators?: Float64Array,
  meanAbsent: MeanAbsentRule = 'zero',
): UnitRates {
  const u = counts.unitCount;
  const denominator = new Float64Array(u);
  const ratio = new Float64Array(u);
  const mean = new Float64Array(u);
  const passRate = new Float64Array(u);
  const excellenceRate = new Float64Array(u);
  for (let k = 0; k < u; k++) {
    const enrolled = counts.enrolled[k]!;
    const given = denominators?.[k];
    const d = given !== undefined && given === given ? given : enrolled;
    denominator[k] = d;
    ratio[k] = enrolled > 0 ? counts.bottom[k]! / enrolled : NaN;
    const meanDenominator = meanAbsent === 'zero' ? d : d - counts.absent[k]!;
    mean[k] = meanDenominator > 0 ? counts.sum[k]! / meanDenominator : NaN;
    passRate[k] = d > 0 ? counts.pass[k]! / d : NaN;
    excellenceRate[k] = d > 0 ? counts.excellent[k]! / d : NaN;
  }
  return { denominator, ratio, mean, passRate, excellenceRate };
}

/**
 * Competition ranking (1, 2, 2, 4) of units by bottom ÷ enrolled ascending,
 * ties compared exactly (1/5 ties 2/10). Units without students get rank 0.
 * @param group optional group per unit (e.g. the school of a class): ranks are
 *   then computed within each group; group −1 = unranked
 */
export function competitionRank(bottom: Int32Array, enrolled: Int32Array, group?: Int32Array): Int32Array {
  const u = enrolled.length;
  const rank = new Int32Array(u);
  const order: number[] = [];
  for (let k = 0; k < u; k++) if (enrolled[k]! > 0 && (!group || group[k]! >= 0)) order.push(k);
  order.sort((x, y) => {
    if (group) {
      const g = group[x]! - group[y]!;
      if (g !== 0) return g;
    }
    return compareRatios(bottom[x]!, enrolled[x]!, bottom[y]!, enrolled[y]!) || x - y;
  });
  let position = 0;
  for (let i = 0; i < order.length; i++) {
    const k = order[i]!;
    const previous = i > 0 ? order[i - 1]! : -1;
    const sameGroup = previous >= 0 && (!group || group[previous] === group[k]);
    position = sameGroup ? position + 1 : 1;
    if (sameGroup && compareRatios(bottom[k]!, enrolled[k]!, bottom[previous]!, enrolled[previous]!) === 0) {
      rank[k] = rank[previous]!;
    } else {
      rank[k] = position;
    }
  }
  return rank;
}

/** Weights of the county composite score (综合分). */
export interface CompositeWeights {
  /** weight of 人平分 ÷ best 人平分; default 40 */
  mean: number;
  /** weight of 合格率 ÷ best 合格率; default 30 */
  pass: number;
  /** weight of 优生率 ÷ best 优生率; default 30 */
  excellence: number;
}

export const DEFAULT_COMPOSITE_WEIGHTS: CompositeWeights = { mean: 40, pass: 30, excellence: 30 };

/**
 * County composite: mean ÷ best mean × 40 + pass rate ÷ best × 30 +
 * excellence rate ÷ best × 30, "best" taken over the units of the same level
 * that have students. A term whose best is 0 (nobody excellent anywhere)
 * contributes 0 rather than NaN. Units without students get NaN.
 */
export function compositeScores(
  rates: UnitRates,
  enrolled: Int32Array,
  weights: CompositeWeights = DEFAULT_COMPOSITE_WEIGHTS,
): Float64Array {
  const u = enrolled.length;
  const best = (values: Float64Array): number => {
    let max = 0;
    for (let k = 0; k < u; k++) {
      const v = values[k]!;
      if (enrolled[k]! > 0 && v === v && v > max) max = v;
    }
    return max;
  };
  const bestMean = best(rates.mean);
  const bestPass = best(rates.passRate);
  const bestExcellence = best(rates.excellenceRate);
  const term = (v: number, top: number, w: number): number => (top > 0 && v === v ? (v / top) * w : 0);
  const out = new Float64Array(u);
  for (let k = 0; k < u; k++) {
    out[k] =
      enrolled[k]! > 0
        ? term(rates.mean[k]!, bestMean, weights.mean) +
          term(rates.passRate[k]!, bestPass, weights.pass) +
          term(rates.excellenceRate[k]!, bestExcellence, weights.excellence)
        : NaN;
  }
  return out;
}

/** 起始年级人数 + 正常转入 − 正常转出: the denominator that ignores abnormal departures. */
export function transferDenominator(startCount: number, transferredIn: number, transferredOut: number): number {
  return startCount + transferredIn - transferredOut;
}
