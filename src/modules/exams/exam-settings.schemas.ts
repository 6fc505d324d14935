// Zod schemas of the exam settings API (targets per grade and school year, the reward table,
// the analysis options), shared with the web UI. They mirror the pure engine's types
// (analysis/targets.ts TargetConfig, analysis/rewards.ts RewardTable, analysis/analyse.ts
// AnalysisOptions); exam-settings.service.ts checks the match at compile time.
import { z } from 'zod';

const subjectName = z.string().trim().min(1).max(40);
const schoolYear = z.string().regex(/^\d{4}-\d{4}$/, '学年格式应为 2026-2027').refine((v) => Number(v.slice(5)) === Number(v.slice(0, 4)) + 1, '学年的两个年份应相邻');

export const examTerm = z.object({ schoolYear, term: z.union([z.literal(1), z.literal(2)]) });

export const targetRule = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('relative_to_baseline'),
    subjects: z.array(subjectName).min(1, '请选择科目'),
    /** percentage points of decrease per semester; 0 = not above the baseline */
    pointsPerSemester: z.number().min(0).max(100),
  }),
  z.object({
    kind: z.literal('rank_and_ratio'),
    subjects: z.array(subjectName).min(1, '请选择科目'),
    maxRank: z.number().int().min(1).max(10000),
    /** a fraction: 0.2 = 20 % */
    maxRatio: z.number().min(0).max(1),
    rankLevels: z.array(z.enum(['school', 'class', 'teacher'])).optional(),
  }),
]);
export type TargetRuleInput = z.infer<typeof targetRule>;

export const targetsParams = z.object({ schoolYear, grade: z.coerce.number().int().min(1).max(12) });

/** PUT body: the grade and school year come from the path. */
export const targetsBody = z.object({
  /** the grade's baseline exam (初一: the first semester's); null = none chosen */
  baseline: examTerm.nullable(),
  rules: z.array(targetRule).max(20),
});

export const targetsResponse = z.object({
  grade: z.number().int(),
  schoolYear: z.string(),
  baseline: examTerm.nullable(),
  rules: z.array(targetRule),
  /** true = nothing stored, these are the defaults (范文1) */
  isDefault: z.boolean(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type TargetsResponse = z.infer<typeof targetsResponse>;

const recipients = z.array(z.enum(['teacher', 'class'])).min(1);
const ruleName = z.string().trim().min(1).max(60);
const money = z.number().min(0).max(1_000_000);
const points = z.number().min(0).max(100);

export const awardRule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('single_subject'), name: ruleName, minDropPoints: points.nullable(), maxRank: z.number().int().min(1).nullable(), amount: money }),
  z.object({ kind: z.literal('class'), name: ruleName, minDropPoints: points.nullable(), maxRank: z.number().int().min(1).nullable(), amount: money }),
  z.object({ kind: z.literal('count_reduction'), name: ruleName, recipients, amountPerStudent: money, maxAmount: money.nullable() }),
  z.object({ kind: z.literal('rank_rise'), name: ruleName, recipients, amountPerPlace: money, maxAmount: money.nullable() }),
  z.object({
    kind: z.literal('same_rank_ratio_drop'),
    name: ruleName,
    recipients,
    tiers: z.array(z.object({ minDropPoints: points, amount: money })).min(1).max(10),
  }),
]);

export const rewardTable = z
  .object({
    rankScope: z.enum(['county', 'school']),
    /** the subject row a class is judged on; normally 总分 */
    classSubject: subjectName,
    rules: z.array(awardRule).max(30),
  })
  .refine((t) => new Set(t.rules.map((r) => r.name)).size === t.rules.length, { message: '奖项名称不能重复', path: ['rules'] });
export type RewardTableInput = z.infer<typeof rewardTable>;

/** Every option of the analysis (the engine's, minus the total's name, plus registeredMissingAsAbsent). */
export const analysisOptions = z.object({
  bottomFraction: z.number().gt(0).max(1),
  scoreDecimals: z.number().int().min(0).max(4),
  passFraction: z.number().gt(0).max(1),
  excellenceFraction: z.number().gt(0).max(1),
  meanAbsent: z.enum(['zero', 'exclude']),
  compositeWeights: z.object({ mean: z.number().min(0).max(1000), pass: z.number().min(0).max(1000), excellence: z.number().min(0).max(1000) }),
  candidates: z.boolean(),
  includeMultiSubjectCandidates: z.boolean(),
  /** county exams: registered students of the grade at the exam's schools with no row count as absent */
  registeredMissingAsAbsent: z.boolean(),
});
export type AnalysisOptionsInput = z.infer<typeof analysisOptions>;

export const settingsResponse = z.object({
  rewardTable,
  analysisOptions,
  defaults: z.object({ rewardTable, analysisOptions }),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type ExamSettingsResponse = z.infer<typeof settingsResponse>;

/** PUT body: either part may be omitted (kept); analysis options may be partial (merged over the stored ones). */
export const settingsBody = z.object({
  rewardTable: rewardTable.optional(),
  analysisOptions: analysisOptions.partial().optional(),
});
