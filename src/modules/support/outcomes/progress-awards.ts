/**
 * Progress awards (进步奖) from two exams of a cohort (pure; docs/support.md "Outcomes").
 *
 * Source, 000 范文1 "适时表彰": "班级设每月进步奖，进行班级表彰。学校还专门设立后20%学生进步奖，
 * 每学期分期中、期末两次大型表彰奖励". Both are read from exam data: a student's county percentile
 * (standing.ts) at an exam against the cohort's previous comparable exam, and the 总分 后20% group.
 *
 * - 班级每月进步奖 (`class_monthly`): per class and exam (the month is the exam's month), the
 *   students whose percentile rose by at least `minRise` points, or who left the 总分 bottom group
 *   (`leftBottomQualifies`), best rise first; at most `topN` per class, students tied with the
 *   last one taken included.
 * - 学校后20%学生进步奖 (`school_term`): at an exam whose kind is in `kinds` (期中, 期末), per school,
 *   the students who were in the 总分 bottom group at the previous exam and now either left it or
 *   rose by at least `minRise` points.
 *
 * A student absent for the total at either exam has no measured change and gets no award; a row
 * without a registered class gets no class award (nor one without a school a school award).
 * "Rose by at least X" allows a 1e-9 tolerance (percentiles of two exams have different
 * denominators, so an exact X may come out as X − 1e-14).
 */
import { round2 } from './standing.js';

export interface ProgressRules {
  classMonthly: { minRise: number; topN: number; leftBottomQualifies: boolean };
  schoolTerm: { kinds: string[]; minRise: number };
}

export const DEFAULT_PROGRESS_RULES: ProgressRules = {
  classMonthly: { minRise: 5, topN: 3, leftBottomQualifies: true },
  schoolTerm: { kinds: ['期中', '期末'], minRise: 10 },
};

export interface ProgressEntry {
  studentId: number;
  classId: number | null;
  schoolId: number | null;
  /** percentile at the previous exam; null = absent for the total or no row */
  before: number | null;
  after: number | null;
  bottomBefore: boolean;
  bottomAfter: boolean;
}

export type AwardKind = 'class_monthly' | 'school_term';

export interface ProgressAward {
  kind: AwardKind;
  studentId: number;
  classId: number | null;
  schoolId: number | null;
  before: number;
  after: number;
  /** after − before, percentage points (two decimals) */
  rise: number;
  leftBottom: boolean;
  /** competition rank by rise within the class (class_monthly) or school (school_term) */
  rank: number;
  reason: string;
}

const EPS = 1e-9;

function measured(e: ProgressEntry): e is ProgressEntry & { before: number; after: number } {
  return e.before != null && e.after != null;
}

function reasonOf(e: { before: number; after: number; bottomBefore: boolean; bottomAfter: boolean }): string {
  const rise = e.after - e.before;
  const parts = [`总分百分位 ${e.before.toFixed(2)} → ${e.after.toFixed(2)}，${rise >= 0 ? '上升' : '下降'} ${Math.abs(rise).toFixed(2)} 个百分点`];
  if (e.bottomBefore && !e.bottomAfter) parts.push('走出总分后20%');
  return parts.join('；');
}

/** Groups by a key, ranks each group by rise (desc, then student id) and keeps what `keep` says. */
function rankWithin(
  kind: AwardKind,
  list: (ProgressEntry & { before: number; after: number })[],
  keyOf: (e: ProgressEntry) => number | null,
  topN: number | null,
): ProgressAward[] {
  const groups = new Map<number | null, typeof list>();
  for (const e of list) {
    const k = keyOf(e);
    const g = groups.get(k);
    if (g) g.push(e);
    else groups.set(k, [e]);
  }
  const out: ProgressAward[] = [];
  for (const g of groups.values()) {
    g.sort((a, b) => b.after - b.before - (a.after - a.before) || a.studentId - b.studentId);
    let rank = 0;
    let lastRise = Infinity;
    for (let i = 0; i < g.length; i++) {
      const e = g[i]!;
      const rise = e.after - e.before;
      if (Math.abs(rise - lastRise) > EPS) rank = i + 1;
      if (topN != null && rank > topN) break;
      lastRise = rise;
      out.push({
        kind, studentId: e.studentId, classId: e.classId, schoolId: e.schoolId, before: round2(e.before), after: round2(e.after),
        rise: round2(rise), leftBottom: e.bottomBefore && !e.bottomAfter, rank, reason: reasonOf(e),
      });
    }
  }
  return out;
}

/** 班级每月进步奖 of one exam against the previous one. */
export function classMonthlyAwards(entries: readonly ProgressEntry[], rules: ProgressRules['classMonthly']): ProgressAward[] {
  const eligible = entries.filter(measured).filter((e) => e.classId != null).filter((e) => e.after - e.before >= rules.minRise - EPS || (rules.leftBottomQualifies && e.bottomBefore && !e.bottomAfter));
  return rankWithin('class_monthly', eligible, (e) => e.classId, rules.topN);
}

/** 学校后20%学生进步奖 of one 期中/期末 exam against the previous one (empty for other kinds). */
export function schoolTermAwards(examKind: string, entries: readonly ProgressEntry[], rules: ProgressRules['schoolTerm']): ProgressAward[] {
  if (!rules.kinds.includes(examKind)) return [];
  const eligible = entries.filter(measured).filter((e) => e.schoolId != null && e.bottomBefore && (!e.bottomAfter || e.after - e.before >= rules.minRise - EPS));
  return rankWithin('school_term', eligible, (e) => e.schoolId, null);
}
