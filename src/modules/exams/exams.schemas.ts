// Shapes of the exams API (exams, score import, unmatched rows), shared with the web (imports only zod).
import { z } from 'zod';

export const EXAM_KINDS = ['期中', '期末', '月考', '统考'] as const;
export type ExamKind = (typeof EXAM_KINDS)[number];

/**
 * county = 全县统考 (every signed-in user sees it); school = one school's own exam; pairing = a 联考
 * of the schools of one school-to-school pairing (the bureau and those schools see it).
 */
export const EXAM_SCOPES = ['county', 'school', 'pairing'] as const;
export type ExamScope = (typeof EXAM_SCOPES)[number];

export const EXAM_STATUSES = ['created', 'imported', 'analysed'] as const;

const schoolYear = z
  .string()
  .regex(/^\d{4}-\d{4}$/, '学年应写成“2026-2027”')
  .refine((s) => Number(s.slice(5)) === Number(s.slice(0, 4)) + 1, '学年的两个年份应相差 1');

export const examSubject = z.object({
  name: z.string().trim().min(1).max(20),
  fullMarks: z.number().positive().max(1000),
  /** summed into 总分 */
  countsToTotal: z.boolean().default(true),
});
export type ExamSubjectInput = z.infer<typeof examSubject>;

export const examCreate = z.object({
  name: z.string().trim().min(1).max(100),
  schoolYear,
  /** 1 = 第一学期 (autumn), 2 = 第二学期 (spring) */
  term: z.union([z.literal(1), z.literal(2)]),
  kind: z.enum(EXAM_KINDS),
  scope: z.enum(EXAM_SCOPES).default('county'),
  /** the school of a school exam (school roles: their own, may be left out) */
  schoolId: z.number().int().positive().nullable().optional(),
  /** the school-to-school pairing of a pairing exam */
  pairingId: z.number().int().positive().nullable().optional(),
  grade: z.number().int().min(1).max(9),
  examDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应写成“2027-01-15”').nullable().optional(),
  /** may be empty: the score sheet's subject columns then define them */
  subjects: z.array(examSubject).max(30).default([]),
});
export type ExamCreate = z.input<typeof examCreate>;

export const examView = z.object({
  id: z.string(),
  name: z.string(),
  schoolYear: z.string(),
  term: z.number().int(),
  kind: z.string(),
  scope: z.string(),
  schoolId: z.number().int().nullable(),
  schoolName: z.string().nullable(),
  /** a pairing exam's pairing, its schools' names (支援学校 first) and ids */
  pairingId: z.number().int().nullable(),
  pairingName: z.string().nullable(),
  pairingSchoolIds: z.array(z.number().int()),
  grade: z.number().int(),
  examDate: z.string().nullable(),
  subjects: z.array(z.object({ name: z.string(), fullMarks: z.number(), countsToTotal: z.boolean() })),
  /** created / imported / analysed */
  status: z.string(),
  /** data rows accepted into the exam (matched + unmatched) */
  rowCount: z.number().int(),
  matchedCount: z.number().int(),
  unmatchedCount: z.number().int(),
  rejectedCount: z.number().int(),
  missingCount: z.number().int(),
  /** the import job of the current scores (its errors file: GET /api/imports/:id/errors) */
  importJobId: z.string().nullable(),
  analysedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ExamView = z.infer<typeof examView>;

export const examListQuery = z.object({
  grade: z.coerce.number().int().min(1).max(9).optional(),
  schoolYear: z.string().max(9).optional(),
  term: z.coerce.number().int().min(1).max(2).optional(),
  kind: z.string().max(10).optional(),
  scope: z.enum(EXAM_SCOPES).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type ExamListQuery = z.infer<typeof examListQuery>;

export const examIdParam = z.object({ id: z.string().min(1).max(64) });

/** A score-sheet row that matched no registered student (still counted in the analysis). */
export const unmatchedRow = z.object({
  rowNo: z.number().int(),
  name: z.string(),
  /** the masked 学籍号 or ID number the file gave, if any */
  identityMasked: z.string().nullable(),
  schoolCode: z.string(),
  schoolName: z.string().nullable(),
  classLabel: z.string().nullable(),
  /** in the exam's subject order; null = absent */
  scores: z.array(z.number().nullable()),
});
export type UnmatchedRow = z.infer<typeof unmatchedRow>;

export const unmatchedQuery = z.object({
  /** 学校标识码 */
  school: z.string().max(20).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

/** One set of an exam's scores: the current one, or one a corrected re-import replaced. */
export const examScoreVersion = z.object({
  /** null = the current scores */
  versionId: z.number().int().nullable(),
  /** the import that loaded them (null: not recorded) */
  importJobId: z.string().nullable(),
  fileName: z.string().nullable(),
  importedAt: z.string().nullable(),
  importedBy: z.string().nullable(),
  rows: z.number().int(),
  subjects: z.array(z.string()),
  /** null for the current scores */
  replacedAt: z.string().nullable(),
});
export type ExamScoreVersion = z.infer<typeof examScoreVersion>;

export const examScoreVersions = z.object({ items: z.array(examScoreVersion) });

export const scoreHistoryQuery = z.object({ studentId: z.coerce.number().int().positive() });

/** A student's row of the exam in each set of its scores, newest first. */
export const studentScoreHistory = z.object({
  studentId: z.number().int(),
  name: z.string(),
  items: z.array(examScoreVersion.pick({ versionId: true, fileName: true, importedAt: true, replacedAt: true, subjects: true }).extend({
    rowNo: z.number().int(),
    /** in `subjects` order; null = absent */
    scores: z.array(z.number().nullable()),
  })),
});
export type StudentScoreHistory = z.infer<typeof studentScoreHistory>;

/** The last line of `bangfu import exam <file> --json`. */
export const examImportSummary = z.object({
  examId: z.string(),
  rows: z.number().int(),
  matched: z.number().int(),
  unmatched: z.number().int(),
  rejected: z.number().int(),
  errorsFile: z.string().nullable(),
});
export type ExamImportSummary = z.infer<typeof examImportSummary>;
