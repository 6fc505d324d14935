// Zod schemas of the 后20% analysis API (src/modules/exams/exam-analysis.routes.ts), shared
// with the web UI. Pure zod: the web imports this file.
import { z } from 'zod';

export const UNIT_LEVELS = ['school', 'class', 'teacher'] as const;
export const unitLevel = z.enum(UNIT_LEVELS);
export type UnitLevelName = z.infer<typeof unitLevel>;

export const TARGET_STATUSES = ['met', 'not_met', 'not_measurable'] as const;
export const targetStatus = z.enum(TARGET_STATUSES);
export const TARGET_STATUS_LABELS: Record<z.infer<typeof targetStatus>, string> = {
  met: '达标',
  not_met: '未达标',
  not_measurable: '暂无法评价',
};

/** 'kept': a confirmed candidate the latest re-analysis no longer lists (the confirmation is kept; see docs/exams-analysis.md) */
export const CANDIDATE_REASONS = ['total', 'single_subject', 'multi_subject', 'kept'] as const;
export const candidateReason = z.enum(CANDIDATE_REASONS);
export const CANDIDATE_REASON_LABELS: Record<z.infer<typeof candidateReason>, string> = {
  total: '总分后20%',
  single_subject: '单科后20%',
  multi_subject: '多科后20%',
  kept: '已确认（重新分析后不在名单中）',
};

export const CANDIDATE_STATUSES = ['proposed', 'confirmed', 'removed'] as const;
export const candidateStatus = z.enum(CANDIDATE_STATUSES);
export const CANDIDATE_STATUS_LABELS: Record<z.infer<typeof candidateStatus>, string> = {
  proposed: '待确认',
  confirmed: '已确认',
  removed: '已移除',
};

export const AWARD_STATUSES = ['computed', 'approved', 'rejected'] as const;
export const awardStatus = z.enum(AWARD_STATUSES);
export const AWARD_STATUS_LABELS: Record<z.infer<typeof awardStatus>, string> = {
  computed: '待审核',
  approved: '已通过',
  rejected: '未通过',
};

/** exam ids are uuids (text) */
export const examIdParam = z.object({ id: z.string().min(1).max(64) });

/** The exam an analysis belongs to (header of every analysis page). */
export const examHeader = z.object({
  id: z.string(),
  name: z.string(),
  schoolYear: z.string(),
  term: z.number().int(),
  kind: z.string(),
  scope: z.string(),
  grade: z.number().int(),
  examDate: z.string().nullable(),
  status: z.string(),
  analysedAt: z.string().nullable(),
  analysisMs: z.number().int().nullable(),
  /** registered students with no row in the file, counted absent (analysis option registeredMissingAsAbsent) */
  missingCount: z.number().int(),
});
export type ExamHeader = z.infer<typeof examHeader>;

/** County figures of one subject (or 总分). */
export const subjectStat = z.object({
  subject: z.string(),
  ord: z.number().int(),
  isTotal: z.boolean(),
  fullMarks: z.number(),
  /** population 应考 (absentees included) */
  n: z.number().int(),
  absent: z.number().int(),
  /** 1-based position ⌈0.2·n⌉ of the cut */
  position: z.number().int(),
  /** the cut score in points; 'absent' when absentees alone fill the bottom group; null for an empty exam */
  cut: z.union([z.number(), z.literal('absent')]).nullable(),
  bottom: z.number().int(),
  /** bottom ÷ n */
  ratio: z.number().nullable(),
  mean: z.number().nullable(),
  passRate: z.number().nullable(),
  excellenceRate: z.number().nullable(),
  /** counts per 10 % of full marks: [0,10%), [10%,20%) … [90%,100%), =100%; absentees not counted */
  distribution: z.array(z.number().int()),
});
export type SubjectStat = z.infer<typeof subjectStat>;

export const subjectsResponse = z.object({ exam: examHeader, subjects: z.array(subjectStat) });
export type SubjectsResponse = z.infer<typeof subjectsResponse>;

export const unitsQuery = z.object({
  level: unitLevel.default('school'),
  /** one subject (or 总分); all subjects when omitted */
  subject: z.string().max(40).optional(),
  /** only units of this school (学校标识码) */
  schoolCode: z.string().max(20).optional(),
});

export const unitRow = z.object({
  subject: z.string(),
  level: unitLevel,
  /** 学校标识码 / class key `${schoolCode}/${cohort}/${classNo}` / teacher id */
  unitKey: z.string(),
  unitName: z.string(),
  schoolId: z.number().int().nullable(),
  schoolCode: z.string().nullable(),
  schoolName: z.string().nullable(),
  classId: z.number().int().nullable(),
  teacherId: z.number().int().nullable(),
  /** 班主任 (class rows) */
  headTeacher: z.string().nullable(),
  enrolled: z.number().int(),
  absent: z.number().int(),
  bottom: z.number().int(),
  /** bottom ÷ enrolled, a fraction */
  ratio: z.number(),
  /** county rank of the level (ratio ascending, competition ranking) */
  rank: z.number().int(),
  /** rank within the school; 0 = not ranked */
  rankInSchool: z.number().int(),
  denominator: z.number().int(),
  mean: z.number().nullable(),
  passRate: z.number().nullable(),
  excellenceRate: z.number().nullable(),
  composite: z.number().nullable(),
  /** percentage points against the previous comparable exam (negative = better); null = not measurable */
  pointsVsPrevious: z.number().nullable(),
  bottomChangeVsPrevious: z.number().int().nullable(),
  rankRiseVsPrevious: z.number().int().nullable(),
  pointsVsBaseline: z.number().nullable(),
  /** null = no target set for this subject */
  targetStatus: targetStatus.nullable(),
  targetNote: z.string().nullable(),
});
export type UnitRow = z.infer<typeof unitRow>;

export const unitsResponse = z.object({
  exam: examHeader,
  level: unitLevel,
  /** the cut of every subject shown (same shape as subjectStat.cut) */
  cuts: z.array(z.object({ subject: z.string(), cut: z.union([z.number(), z.literal('absent')]).nullable() })),
  items: z.array(unitRow),
});
export type UnitsResponse = z.infer<typeof unitsResponse>;

export const targetCounts = z.object({ met: z.number().int(), notMet: z.number().int(), notMeasurable: z.number().int() });

export const targetsSummaryResponse = z.object({
  exam: examHeader,
  /** the baseline exam the targets refer to, when set */
  baseline: z.object({ schoolYear: z.string(), term: z.number().int() }).nullable(),
  /** whether the grade's targets are the defaults (none stored) */
  isDefault: z.boolean(),
  subjects: z.array(z.object({
    subject: z.string(),
    /** school rows */
    schools: targetCounts,
    /** class rows (within the caller's scope) */
    classes: targetCounts,
    items: z.array(z.object({
      schoolCode: z.string(),
      schoolName: z.string(),
      ratio: z.number(),
      rank: z.number().int(),
      status: targetStatus,
      note: z.string().nullable(),
    })),
  })),
});
export type TargetsSummaryResponse = z.infer<typeof targetsSummaryResponse>;

export const schoolCodeParam = z.object({ code: z.string().min(1).max(20) });

export const trendQuery = z.object({
  /** cohort's grade filter: exams of this grade only (omit: every grade) */
  grade: z.coerce.number().int().min(1).max(12).optional(),
  subject: z.string().max(40).default('总分'),
  /**
   * only exams comparable with this one: the same scope (county / the same school / the same
   * pairing), as the previous and baseline exams are chosen. A school's own exam ranks one school
   * (its ratio is ~20 % by construction) and a pairing's ranks its schools: in a line with the
   * county's ranks they would mislead. Omit: every analysed exam the caller sees.
   */
  comparableTo: z.string().min(1).max(64).optional(),
});

export const trendPoint = z.object({
  examId: z.string(),
  examName: z.string(),
  schoolYear: z.string(),
  term: z.number().int(),
  grade: z.number().int(),
  examDate: z.string().nullable(),
  ratio: z.number(),
  rank: z.number().int(),
  rankInSchool: z.number().int(),
  bottom: z.number().int(),
  enrolled: z.number().int(),
});
export type TrendPoint = z.infer<typeof trendPoint>;

export const trendResponse = z.object({
  schoolCode: z.string(),
  schoolName: z.string(),
  subject: z.string(),
  /** the school's row in each analysed exam, oldest first */
  school: z.array(trendPoint),
  /** per class of the school (by the stable class key; within the caller's scope) */
  classes: z.array(z.object({ unitKey: z.string(), name: z.string(), points: z.array(trendPoint) })),
});
export type TrendResponse = z.infer<typeof trendResponse>;

export const candidatesQuery = z.object({
  classId: z.coerce.number().int().optional(),
  schoolCode: z.string().max(20).optional(),
  status: candidateStatus.optional(),
  reason: candidateReason.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const candidateItem = z.object({
  studentId: z.number().int(),
  studentName: z.string(),
  classId: z.number().int().nullable(),
  className: z.string().nullable(),
  schoolId: z.number().int(),
  schoolName: z.string(),
  reason: candidateReason,
  /** subjects (not 总分) the student is in the bottom group of */
  subjects: z.array(z.string()),
  status: candidateStatus,
  decidedBy: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  /** whether the caller may confirm / remove this candidate */
  canDecide: z.boolean(),
});
export type CandidateItem = z.infer<typeof candidateItem>;

export const candidatesResponse = z.object({
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  items: z.array(candidateItem),
});

export const candidateParams = z.object({ id: z.string().min(1).max(64), studentId: z.coerce.number().int().positive() });

/** Removing needs a note (the reason); the service enforces it with a Chinese message. */
export const candidatePatchBody = z.object({
  status: candidateStatus,
  note: z.string().trim().max(200).optional(),
});

export const awardsQuery = z.object({
  level: z.enum(['class', 'teacher']).optional(),
  status: awardStatus.optional(),
  schoolCode: z.string().max(20).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

export const awardKey = z.object({
  level: z.enum(['class', 'teacher']),
  unitKey: z.string().min(1).max(100),
  subject: z.string().min(1).max(40),
  /** the rule's name, e.g. 学科单项奖 */
  rule: z.string().min(1).max(60),
});

export const awardItem = awardKey.extend({
  unitName: z.string(),
  ruleKind: z.string(),
  amount: z.number(),
  reason: z.string(),
  schoolId: z.number().int().nullable(),
  schoolName: z.string().nullable(),
  status: awardStatus,
  reviewedBy: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  reviewedAt: z.string().nullable(),
  reviewNote: z.string().nullable(),
});
export type AwardItem = z.infer<typeof awardItem>;

export const awardsResponse = z.object({
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** sum of amounts over all matching lines (not only this page), by status */
  amounts: z.object({ computed: z.number(), approved: z.number(), rejected: z.number() }),
  items: z.array(awardItem),
});

/** Review one or more award lines at once. Rejecting needs a note. */
export const awardReviewBody = z.object({
  awards: z.array(awardKey).min(1).max(5000),
  status: awardStatus,
  note: z.string().trim().max(200).optional(),
});
export const awardReviewResponse = z.object({ updated: z.number().int() });

export const analyseResponse = z.object({ examId: z.string(), ms: z.number().int(), status: z.string() });

export const exportQuery = z.object({ by: unitLevel.default('school') });
