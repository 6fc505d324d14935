// Zod schemas of the support outcomes API (trajectory, progress awards, comparison, mix), shared
// with the web UI. Pure zod: the web may import this file. Definitions: docs/support.md "Outcomes".
import { z } from 'zod';
import { schoolYearString } from '../../pairings/pairings.schemas.js';

const examRef = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  schoolYear: z.string(),
  term: z.number().int(),
  grade: z.number().int(),
  examDate: z.string().nullable(),
});
export type OutcomeExamRef = z.infer<typeof examRef>;

// ───────────── trajectory ─────────────

export const trajectoryPoint = examRef.extend({
  /** the student has a row in the exam's score sheet */
  sat: z.boolean(),
  /** 总分 in points; null = absent (缺考) or no row */
  total: z.number().nullable(),
  absent: z.boolean(),
  /** county percentile of the total (0–100, mid-rank); null without a row */
  percentile: z.number().nullable(),
  /** population 应考 of the exam */
  population: z.number().int(),
  /** in the 总分 后20% group */
  bottomTotal: z.boolean(),
  /** subjects whose 后20% group the student is in */
  bottomSubjects: z.array(z.string()),
  /** exam of the case's school year (support under way) */
  inCaseYear: z.boolean(),
});
export type TrajectoryPoint = z.infer<typeof trajectoryPoint>;

export const trajectoryView = z.object({
  caseId: z.number().int(),
  studentId: z.number().int(),
  studentName: z.string(),
  schoolYear: z.string(),
  /** entry cohort (school-year start − grade); null when unknown */
  cohort: z.number().int().nullable(),
  points: z.array(trajectoryPoint),
  definition: z.string(),
});
export type TrajectoryView = z.infer<typeof trajectoryView>;

// ───────────── progress awards ─────────────

export const AWARD_KINDS = ['class_monthly', 'school_term'] as const;
export const AWARD_KIND_LABELS: Record<(typeof AWARD_KINDS)[number], string> = {
  class_monthly: '班级每月进步奖',
  school_term: '学校后20%学生进步奖（期中、期末）',
};

export const progressRulesSchema = z.object({
  classMonthly: z.object({
    minRise: z.number().min(0).max(100),
    topN: z.number().int().min(1).max(100),
    leftBottomQualifies: z.boolean(),
  }),
  schoolTerm: z.object({
    kinds: z.array(z.string().min(1)).max(10),
    minRise: z.number().min(0).max(100),
  }),
});

export const awardsQuery = z.object({
  examId: z.string().min(1),
  kind: z.enum(AWARD_KINDS).optional(),
  schoolId: z.coerce.number().int().optional(),
  classId: z.coerce.number().int().optional(),
});

export const awardLine = z.object({
  kind: z.enum(AWARD_KINDS),
  studentId: z.number().int(),
  studentName: z.string(),
  classId: z.number().int().nullable(),
  className: z.string().nullable(),
  schoolId: z.number().int().nullable(),
  schoolName: z.string().nullable(),
  before: z.number(),
  after: z.number(),
  rise: z.number(),
  leftBottom: z.boolean(),
  rank: z.number().int(),
  reason: z.string(),
});
export type AwardLine = z.infer<typeof awardLine>;

export const awardsView = z.object({
  exam: examRef,
  /** the previous comparable exam (null: the cohort's first exam, nothing to compare) */
  previous: examRef.nullable(),
  /** the month of the class award, 'YYYY-MM' (the exam's date) */
  month: z.string().nullable(),
  rules: progressRulesSchema,
  items: z.array(awardLine),
  counts: z.object({ class_monthly: z.number().int(), school_term: z.number().int() }),
});
export type AwardsView = z.infer<typeof awardsView>;

// ───────────── comparison (estimate) ─────────────

export const comparisonQuery = z.object({
  schoolYear: schoolYearString.optional(),
  schoolId: z.coerce.number().int().optional(),
  /** alias of schoolId */
  school: z.coerce.number().int().optional(),
  bandWidth: z.coerce.number().int().min(1).max(50).optional(),
});

const estimate = z.object({
  supportedN: z.number().int(),
  comparisonN: z.number().int(),
  unmatchedSupported: z.number().int(),
  strata: z.number().int(),
  supportedMean: z.number().nullable(),
  comparisonMean: z.number().nullable(),
  difference: z.number().nullable(),
  standardError: z.number().nullable(),
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  bands: z.array(z.object({
    from: z.number(), to: z.number(), supportedN: z.number().int(), supportedMean: z.number().nullable(),
    comparisonN: z.number().int(), comparisonMean: z.number().nullable(),
  })),
});
export type ComparisonEstimateView = z.infer<typeof estimate>;

export const comparisonView = z.object({
  schoolYear: z.string(),
  /** always true: this is an estimate, not a causal conclusion */
  estimate: z.literal(true),
  label: z.string(),
  method: z.string(),
  bandWidth: z.number().int(),
  cohorts: z.array(z.object({
    cohort: z.number().int(),
    grade: z.number().int(),
    baseline: examRef.nullable(),
    latest: examRef.nullable(),
    /** supported students listed from an exam after the baseline (selected on the outcome) */
    selectedAfterBaseline: z.number().int(),
    note: z.string().nullable(),
  })),
  caveats: z.array(z.string()),
  county: estimate,
  schools: z.array(estimate.extend({ schoolId: z.number().int(), schoolCode: z.string(), schoolName: z.string() })),
});
export type ComparisonView = z.infer<typeof comparisonView>;

// ───────────── mix ─────────────

export const mixQuery = z.object({
  schoolYear: schoolYearString.optional(),
  schoolId: z.coerce.number().int().optional(),
});

const dimensionMix = z.object({
  key: z.string(),
  label: z.string(),
  sessions: z.number().int(),
  options: z.array(z.object({ value: z.string(), n: z.number().int(), share: z.number().nullable() })),
  unknown: z.number().int(),
});
const mixUnit = z.object({
  /** sessions of the 辅导 type */
  tutoring: z.number().int(),
  records: z.number().int(),
  dimensions: z.array(dimensionMix),
  types: z.array(z.object({ type: z.string(), label: z.string(), n: z.number().int(), share: z.number() })),
  /** supported students' mean percentile change (comparison baseline → latest); null without one */
  meanChange: z.number().nullable(),
  changeN: z.number().int(),
});
export type MixUnit = z.infer<typeof mixUnit>;

export const mixView = z.object({
  schoolYear: z.string(),
  from: z.string(),
  to: z.string(),
  /** the dimension the documents' reflection asks about (课内/课外) */
  focus: z.string().nullable(),
  note: z.string(),
  county: mixUnit,
  schools: z.array(mixUnit.extend({ schoolId: z.number().int(), schoolCode: z.string(), schoolName: z.string() })),
  teachers: z.array(mixUnit.extend({ teacherId: z.number().int(), teacherName: z.string(), schoolId: z.number().int().nullable() })),
});
export type MixView = z.infer<typeof mixView>;
