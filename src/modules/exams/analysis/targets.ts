/**
 * Bottom-20% targets per grade and school year (后20%目标), set by the bureau.
 *
 * The default rules follow 000 范文1 (2014―2015学年调整的后20%指标):
 * - 初一: "以第一学期的后20%作为以后的参照基数" — the first semester's exam is
 *   the baseline, later exams must not exceed it (a decrease of 0 points);
 * - 初二: "每学期下降3%" — −3 percentage points per semester from the baseline;
 * - 初三: "四门主要学科,后20%的名次稳定在前八名,比例控制在20%以内" — rank ≤ 8
 *   and ratio ≤ 20 % in 语文, 数学, 英语, 科学 (Zhejiang's four main subjects;
 *   the subject list is configurable).
 *
 * Every unit gets 'met' | 'not_met' | 'not_measurable' with a Chinese
 * explanation; a subject no rule names gets no target at all (null), which is
 * different from "not measurable".
 *
 * Decisions are exact: the required ratio baseline − N·k/100 and the limit R
 * are compared by integer cross-multiplication (rational.ts), never with
 * rounded floats.
 */
import type { RatioChange, UnitLevel } from './change.js';
import { PPM, fellByAtLeast, pct, toPpm } from './rational.js';

/** A semester: school year '2014-2015' and term 1 (autumn) or 2 (spring). */
export interface ExamTerm {
  schoolYear: string;
  term: 1 | 2;
}

/** A monotone index of semesters: consecutive terms differ by 1. */
export function semesterIndex(t: ExamTerm): number {
  const match = /^(\d{4})-(\d{4})$/.exec(t.schoolYear);
  if (!match || Number(match[2]) !== Number(match[1]) + 1) throw new RangeError(`学年格式应为 2014-2015: ${t.schoolYear}`);
  return Number(match[1]) * 2 + (t.term - 1);
}

/** Semesters from `from` to `to` (0 = the same semester, negative = earlier). */
export function semestersBetween(from: ExamTerm, to: ExamTerm): number {
  return semesterIndex(to) - semesterIndex(from);
}

export type TargetRule =
  | {
      /** ratio ≤ baseline ratio − pointsPerSemester × semesters since the baseline (floored at 0) */
      kind: 'relative_to_baseline';
      subjects: string[];
      /** percentage points of decrease required per semester; 0 = "not above the baseline" */
      pointsPerSemester: number;
    }
  | {
      /** rank ≤ maxRank (at rankLevels) and ratio ≤ maxRatio */
      kind: 'rank_and_ratio';
      subjects: string[];
      maxRank: number;
      /** a fraction: 0.2 = 20 % */
      maxRatio: number;
      /** levels where the county rank is checked; default ['school'] — the
       * bureau's "前八名" is a rank among schools, a class's or teacher's county
       * rank is on another scale, so only the ratio applies to them */
      rankLevels?: UnitLevel[];
    };

/** The bureau's target configuration of one grade in one school year. */
export interface TargetConfig {
  grade: number;
  schoolYear: string;
  /** the grade's baseline exam; null = none chosen yet (relative targets not measurable) */
  baseline: ExamTerm | null;
  rules: TargetRule[];
}

/**
 * 语文, 数学, 英语, 科学: the four main subjects of 初三 in 范文1 (Zhejiang, where 科学 is one exam).
 * Most provinces examine 物理 and 化学 instead of 科学, so they are named too: a rule applies to the
 * subjects the exam has, and one subject missing from it is simply not judged.
 */
export const MAIN_SUBJECTS_GRADE_9 = ['语文', '数学', '英语', '科学', '物理', '化学'];

/**
 * The 范文1 rules for a junior-secondary grade (7, 8, 9), as a starting point
 * the bureau edits. Grades outside 7–9 get no rule.
 * @param baseline the grade's baseline exam (初一: the first semester's final)
 */
export function defaultTargetConfig(grade: number, schoolYear: string, baseline: ExamTerm | null): TargetConfig {
  const rules: TargetRule[] =
    grade === 7
      ? [{ kind: 'relative_to_baseline', subjects: ['总分'], pointsPerSemester: 0 }]
      : grade === 8
        ? [{ kind: 'relative_to_baseline', subjects: ['总分'], pointsPerSemester: 3 }]
        : grade === 9
          ? [{ kind: 'rank_and_ratio', subjects: MAIN_SUBJECTS_GRADE_9, maxRank: 8, maxRatio: 0.2 }]
          : [];
  return { grade, schoolYear, baseline, rules };
}

export type TargetStatus = 'met' | 'not_met' | 'not_measurable';

export interface TargetResult {
  status: TargetStatus;
  /** 中文说明, e.g. "基准 25.00%,已过 2 个学期,每学期降 3 个百分点,要求 ≤ 19.00%,本次 18.00%,达标" */
  explanation: string;
}

/** One unit's standing in the exam being judged. */
export interface TargetUnit {
  level: UnitLevel;
  subject: string;
  bottom: number;
  enrolled: number;
  /** county rank among units of the level; 0 = unranked */
  rank: number;
  /** the comparison with the baseline exam (change.ts); null = unit missing there */
  baseline: RatioChange | null;
}

const LEVEL_ZH: Record<UnitLevel, string> = { school: '学校', class: '班级', teacher: '教师' };

/**
 * Judge one unit against every rule that names its subject. Several rules:
 * not met if any is not met, else not measurable if any is, else met.
 * @param exam the semester of the exam being judged
 * @returns null when no rule names the subject (no target set)
 */
export function evaluateTargets(config: TargetConfig, unit: TargetUnit, exam: ExamTerm): TargetResult | null {
  const results: TargetResult[] = [];
  for (const rule of config.rules) {
    if (!rule.subjects.includes(unit.subject)) continue;
    results.push(
      rule.kind === 'relative_to_baseline'
        ? judgeRelative(rule.pointsPerSemester, unit, config.baseline, exam)
        : judgeRankAndRatio(rule, unit),
    );
  }
  if (results.length === 0) return null;
  const status: TargetStatus = results.some((r) => r.status === 'not_met')
    ? 'not_met'
    : results.some((r) => r.status === 'not_measurable')
      ? 'not_measurable'
      : 'met';
  return { status, explanation: results.map((r) => r.explanation).join('；') };
}

function judgeRelative(points: number, unit: TargetUnit, baselineTerm: ExamTerm | null, exam: ExamTerm): TargetResult {
  if (!baselineTerm) return { status: 'not_measurable', explanation: '未设定基准考试，暂无法评价' };
  const k = semestersBetween(baselineTerm, exam);
  if (k === 0) return { status: 'not_measurable', explanation: '本次考试即为基准考试，作为以后的参照基数' };
  if (k < 0) return { status: 'not_measurable', explanation: '本次考试早于基准考试，无法评价' };
  if (unit.enrolled <= 0) return { status: 'not_measurable', explanation: '本次无应考学生' };
  const base = unit.baseline;
  if (!base) return { status: 'not_measurable', explanation: `基准考试中没有该${LEVEL_ZH[unit.level]}的数据，无法比较` };

  // ratio ≤ max(0, b0/e0 − N·k/100): when the requirement reaches 0 only an empty
  // bottom group meets it; otherwise it is "fell by at least N·k points", exactly.
  const drop = points * k;
  // (baseline ratio ≤ drop ⇔ 0 − b0/e0 fell by at least −drop)
  const floorReached = fellByAtLeast(base.bottom, base.enrolled, 0, 1, -drop);
  const met = (floorReached && unit.bottom === 0) || fellByAtLeast(unit.bottom, unit.enrolled, base.bottom, base.enrolled, drop);
  const required = Math.max(0, base.ratio - drop / 100);
  const ratio = unit.bottom / unit.enrolled;
  const head =
    points === 0
      ? `基准 ${pct(base.ratio)}，要求不高于基准`
      : `基准 ${pct(base.ratio)}，距基准 ${k} 个学期，每学期降 ${points} 个百分点，要求 ≤ ${pct(required)}`;
  return { status: met ? 'met' : 'not_met', explanation: `${head}，本次 ${pct(ratio)}，${met ? '达标' : '未达标'}` };
}

function judgeRankAndRatio(rule: Extract<TargetRule, { kind: 'rank_and_ratio' }>, unit: TargetUnit): TargetResult {
  if (unit.enrolled <= 0) return { status: 'not_measurable', explanation: '本次无应考学生' };
  const ratio = unit.bottom / unit.enrolled;
  const ratioMet = unit.bottom * PPM <= toPpm(rule.maxRatio) * unit.enrolled;
  const ratioText = `比例 ${pct(ratio)}（要求 ≤ ${pct(rule.maxRatio)}）`;
  const checksRank = (rule.rankLevels ?? ['school']).includes(unit.level);
  if (!checksRank) {
    return {
      status: ratioMet ? 'met' : 'not_met',
      explanation: `${ratioText}，${LEVEL_ZH[unit.level]}只考核比例，${ratioMet ? '达标' : '未达标'}`,
    };
  }
  if (unit.rank <= 0) return { status: 'not_measurable', explanation: `无名次，${ratioText}` };
  const rankMet = unit.rank <= rule.maxRank;
  const met = rankMet && ratioMet;
  return {
    status: met ? 'met' : 'not_met',
    explanation: `名次 ${unit.rank}（要求前 ${rule.maxRank} 名），${ratioText}，${met ? '达标' : '未达标'}`,
  };
}
