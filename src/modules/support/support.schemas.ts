// Zod schemas of the support-cases API (帮扶对象: cases, cause analysis, assignment, records,
// monthly check, coverage and compliance), shared with the web UI. Pure zod and vocabulary:
// the web may import this file. The model is described in docs/support.md.
import { z } from 'zod';
import { activityView, isoDate, schoolYearString } from '../pairings/pairings.schemas.js';

// ───────────────────────────── vocabulary ─────────────────────────────

/** 帮扶对象类别. Several at once; 三困生 = learning + poverty + psychological. */
export const SUPPORT_CATEGORIES = ['learning', 'poverty', 'psychological', 'left_behind', 'special_family', 'behaviour'] as const;
export type SupportCategory = (typeof SUPPORT_CATEGORIES)[number];
export const SUPPORT_CATEGORY_LABELS: Record<SupportCategory, string> = {
  learning: '学困生（后20%）',
  poverty: '贫困生',
  psychological: '心困生',
  left_behind: '留守儿童',
  special_family: '特殊家庭',
  behaviour: '行为偏差',
};
export const supportCategory = z.enum(SUPPORT_CATEGORIES);
/** 三困生: 学困 + 贫困 + 心困 (003 范文第3篇). */
export const SAN_KUN: readonly SupportCategory[] = ['learning', 'poverty', 'psychological'];

/** identified → confirmed → active → reviewed (each semester) → … → closed. */
export const CASE_STATUSES = ['identified', 'confirmed', 'active', 'reviewed', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  identified: '已识别（待确认）',
  confirmed: '已确认',
  active: '帮扶中',
  reviewed: '已复查',
  closed: '已结案',
};
export const caseStatus = z.enum(CASE_STATUSES);
/** Statuses of a case on the list (一个不漏 counts these): confirmed and later, not closed. */
export const OPEN_CONFIRMED_STATUSES: readonly CaseStatus[] = ['confirmed', 'active', 'reviewed'];

/** The transitions a person may make (closed is final; a new school year makes a new case). */
export const CASE_TRANSITIONS: Record<CaseStatus, readonly CaseStatus[]> = {
  identified: ['confirmed', 'closed'],
  confirmed: ['active', 'closed'],
  active: ['reviewed', 'closed'],
  reviewed: ['active', 'closed'],
  closed: [],
};

export const CLOSE_REASONS = ['improved', 'graduated', 'transferred', 'continued', 'other'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];
export const CLOSE_REASON_LABELS: Record<CloseReason, string> = {
  improved: '已转化（进步明显）',
  graduated: '毕业',
  transferred: '转学',
  continued: '转入新学年继续帮扶',
  other: '其他',
};

/** 分析量表 (000 范文1): the causes; several may apply, each with a note. */
export const CAUSES = ['intelligence', 'psychology', 'family', 'habits', 'conduct'] as const;
export type Cause = (typeof CAUSES)[number];
export const CAUSE_LABELS: Record<Cause, string> = { intelligence: '智力', psychology: '心理', family: '家庭', habits: '行为习惯', conduct: '品德' };
export const cause = z.enum(CAUSES);

/** 教学线 and 德育线: the two lines of support (000 范文1). */
export const STRATEGY_LINES = ['teaching', 'moral'] as const;
export type StrategyLine = (typeof STRATEGY_LINES)[number];
export const STRATEGY_LINE_LABELS: Record<StrategyLine, string> = { teaching: '教学线', moral: '德育线' };

/** How a category came onto a case. */
export const SOURCE_KINDS = ['exam', 'family_flag', 'manual', 'carried_over'] as const;
export const SOURCE_KIND_LABELS: Record<(typeof SOURCE_KINDS)[number], string> = {
  exam: '考试后20%名单（已确认）',
  family_flag: '家庭情况',
  manual: '学校认定',
  carried_over: '上学年延续',
};

/** Events of a case's history (append-only). */
export const HISTORY_EVENTS = ['created', 'status', 'categories', 'carried_over'] as const;
export const HISTORY_EVENT_LABELS: Record<(typeof HISTORY_EVENTS)[number], string> = {
  created: '建档',
  status: '状态变更',
  categories: '类别调整',
  carried_over: '由上学年转入',
};

export const semesterString = z
  .string()
  .regex(/^\d{4}-\d{4}-[12]$/, '学期格式应为 2026-2027-1（学年-学期）')
  .refine((v) => Number(v.slice(5, 9)) === Number(v.slice(0, 4)) + 1, '学年的两个年份应相邻');
export const monthString = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 2026-11');

// ───────────────────────────── cases ─────────────────────────────

export const caseSource = z.object({
  kind: z.enum(SOURCE_KINDS),
  category: supportCategory,
  /** exam: the exam, its name, the student's bottom subjects and reason (total / single_subject / multi_subject) */
  examId: z.string().optional(),
  examName: z.string().optional(),
  subjects: z.array(z.string()).optional(),
  /** family_flag: FAMILY_FLAGS key */
  flag: z.string().optional(),
  /** carried_over: last year's case */
  previousCaseId: z.number().int().optional(),
  note: z.string().optional(),
  at: z.string(),
});
export type CaseSource = z.infer<typeof caseSource>;

export const causeEntry = z.object({
  cause,
  /** what the scale found; psychological details belong in the confidential psych note, not here */
  note: z.string().trim().max(500).optional(),
});
export type CauseEntry = z.infer<typeof causeEntry>;

export const strategyItem = z.object({
  key: z.string(),
  line: z.enum(STRATEGY_LINES),
  cause,
  text: z.string(),
});
export type StrategyItem = z.infer<typeof strategyItem>;

export const strategyLists = z.object({
  teaching: z.array(z.string().trim().min(1).max(300)).max(20),
  moral: z.array(z.string().trim().min(1).max(300)).max(20),
});
export type StrategyLists = z.infer<typeof strategyLists>;

/** The stored analysis (support_cases.analysis). */
export const caseAnalysis = z.object({
  causes: z.array(causeEntry),
  strategies: strategyLists,
  analysedBy: z.string(),
  analysedAt: z.string(),
});
export type CaseAnalysis = z.infer<typeof caseAnalysis>;

export const analysisBody = z.object({
  causes: z.array(causeEntry).max(CAUSES.length).refine((l) => new Set(l.map((c) => c.cause)).size === l.length, '同一原因只能填写一次'),
  /** the school's own strategies; omitted = the suggested ones for these causes */
  strategies: strategyLists.optional(),
});

export const strategiesQuery = z.object({
  /** comma-separated causes, e.g. intelligence,family */
  causes: z
    .string()
    .max(200)
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(cause)),
});
export const strategiesView = z.object({ teaching: z.array(strategyItem), moral: z.array(strategyItem) });

export const caseTeacher = z.object({ teacherId: z.number().int(), name: z.string(), pairingId: z.number().int(), pairingStatus: z.string(), since: z.string() });
export const casePeer = z.object({ studentId: z.number().int(), name: z.string(), pairingId: z.number().int(), pairingStatus: z.string() });

export const caseView = z.object({
  id: z.number().int(),
  studentId: z.number().int(),
  studentName: z.string(),
  sex: z.string().nullable(),
  schoolId: z.number().int(),
  schoolCode: z.string(),
  schoolName: z.string(),
  schoolYear: z.string(),
  classId: z.number().int().nullable(),
  className: z.string().nullable(),
  grade: z.number().int().nullable(),
  categories: z.array(supportCategory),
  categoryLabels: z.array(z.string()),
  /** 三困生: learning + poverty + psychological */
  sanKun: z.boolean(),
  status: caseStatus,
  statusLabel: z.string(),
  closeReason: z.enum(CLOSE_REASONS).nullable(),
  closedOn: z.string().nullable(),
  weakSubjects: z.array(z.string()),
  /** current responsible teachers (teacher–student pairings, proposed or active) */
  teachers: z.array(caseTeacher),
  /** current peer helpers (一帮一) */
  peers: z.array(casePeer),
  hasAnalysis: z.boolean(),
  hasPsychNote: z.boolean(),
  lastReviewedSemester: z.string().nullable(),
  previousCaseId: z.number().int().nullable(),
  updatedAt: z.string(),
});
export type CaseView = z.infer<typeof caseView>;

export const historyEntry = z.object({
  event: z.enum(HISTORY_EVENTS),
  eventLabel: z.string(),
  from: caseStatus.nullable(),
  to: caseStatus,
  categories: z.array(supportCategory),
  reason: z.string().nullable(),
  note: z.string().nullable(),
  semester: z.string().nullable(),
  actorName: z.string(),
  at: z.string(),
});
export type HistoryEntry = z.infer<typeof historyEntry>;

export const casePairing = z.object({
  id: z.number().int(),
  programme: z.string(),
  programmeName: z.string(),
  status: z.string(),
  start: z.string(),
  end: z.string().nullable(),
  /** participants' names, helper side first */
  people: z.array(z.object({ role: z.string(), kind: z.string(), personId: z.number().int(), name: z.string(), from: z.string(), to: z.string().nullable() })),
});

export const caseDetail = caseView.extend({
  sources: z.array(caseSource),
  /** the analysis (分析量表) with its strategies; null until the school fills it in */
  analysis: caseAnalysis.nullable(),
  history: z.array(historyEntry),
  /** every pairing of the student that names this case, or any teacher–student / peer pairing of the student in the case's year */
  pairings: z.array(casePairing),
  /** the same student's case in the next school year, if any */
  nextCaseId: z.number().int().nullable(),
  /** may edit categories and the analysis */
  canEdit: z.boolean(),
  /** may confirm / review / close, assign teachers */
  canManage: z.boolean(),
  /** may read the psychological note (the school's counsellors, the responsible teacher); each read is audited */
  canReadPsych: z.boolean(),
});
export type CaseDetail = z.infer<typeof caseDetail>;

export const caseListQuery = z.object({
  /** default: the current school year */
  schoolYear: schoolYearString.optional(),
  schoolId: z.coerce.number().int().optional(),
  classId: z.coerce.number().int().optional(),
  category: supportCategory.optional(),
  status: caseStatus.optional(),
  /** only cases on the list (confirmed / active / reviewed) that have no responsible teacher */
  withoutTeacher: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  /** the cases this teacher is responsible for */
  teacherId: z.coerce.number().int().optional(),
  /** the caller's own caseload (as responsible teacher) */
  mine: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  /** student name, pinyin or initials */
  q: z.string().trim().max(40).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const createCaseBody = z.object({
  studentId: z.number().int().positive(),
  schoolYear: schoolYearString.optional(),
  categories: z.array(supportCategory).min(1, '至少选择一个类别').max(SUPPORT_CATEGORIES.length),
  weakSubjects: z.array(z.string().trim().min(1).max(20)).max(20).optional(),
  note: z.string().trim().max(500).optional(),
});

export const updateCaseBody = z.object({
  categories: z.array(supportCategory).min(1, '至少保留一个类别').max(SUPPORT_CATEGORIES.length).optional(),
  weakSubjects: z.array(z.string().trim().min(1).max(20)).max(20).optional(),
  reason: z.string().trim().min(2, '请填写调整原因').max(500),
});

export const transitionCaseBody = z.object({
  to: z.enum(['confirmed', 'active', 'reviewed', 'closed']),
  /** closing: why */
  closeReason: z.enum(CLOSE_REASONS).optional(),
  /** the review's findings, the reason for closing … (required for closeReason 'other') */
  note: z.string().trim().max(1000).optional(),
  /** reviewed: the semester reviewed (default: the current one) */
  semester: semesterString.optional(),
  /** closed: the last day the case's pairings are in force (default today) */
  date: isoDate.optional(),
});

export const casesFromExamBody = z.object({
  examId: z.string().min(1).max(64),
  /** the school year the cases are for (default: the current one) */
  schoolYear: schoolYearString.optional(),
});
export const casesFromFlagsBody = z.object({
  schoolId: z.number().int().optional(),
  schoolYear: schoolYearString.optional(),
});
export const casesBulkResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  caseIds: z.array(z.number().int()),
});

// ───────────────────────────── psychological notes ─────────────────────────────

export const psychBody = z.object({ note: z.string().max(10_000) });
export const psychView = z.object({
  caseId: z.number().int(),
  note: z.string().nullable(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  /** confidential records (心理辅导, confidential talks …) on the student's pairings that the caller may read */
  records: z.array(activityView),
});

// ───────────────────────────── assignment ─────────────────────────────

/** The documents' rules as configuration (settings key 'support.assignmentRules'). */
export const assignmentRules = z.object({
  /** 每名教师帮扶1—2名: fewer than teacherMin is a warning (some schools have more teachers than cases) */
  teacherMin: z.number().int().min(0).max(10),
  /** more than teacherMax is an error */
  teacherMax: z.number().int().min(1).max(20),
  /** 每位领导至少帮扶1名贫困生 (teachers.is_leader); 0 turns the rule off */
  leaderMinPoor: z.number().int().min(0).max(10),
  /** every poor student exactly one responsible teacher (一对一) */
  poorExactlyOne: z.boolean(),
  /** no confirmed student without a teacher (一个不漏) */
  noneWithoutTeacher: z.boolean(),
}).refine((r) => r.teacherMin <= r.teacherMax, { message: '每名教师最少人数不能大于最多人数', path: ['teacherMin'] });
export type AssignmentRules = z.infer<typeof assignmentRules>;

export const RULE_KEYS = ['teacher_max', 'teacher_min', 'leader_poor', 'poor_one_teacher', 'none_without_teacher'] as const;
export type RuleKey = (typeof RULE_KEYS)[number];
export const RULE_LABELS: Record<RuleKey, string> = {
  teacher_max: '每名教师帮扶学生不超过上限',
  teacher_min: '每名教师至少帮扶学生数',
  leader_poor: '每位学校领导至少帮扶贫困生',
  poor_one_teacher: '每名贫困生有且只有一名帮扶教师',
  none_without_teacher: '确认的帮扶对象都有帮扶教师（一个不漏）',
};

export const violation = z.object({
  rule: z.enum(RULE_KEYS),
  /** error: breaks a rule; warning: worth a look (e.g. a teacher without a student) */
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  teacherId: z.number().int().nullable(),
  caseId: z.number().int().nullable(),
  studentId: z.number().int().nullable(),
});
export type Violation = z.infer<typeof violation>;

export const schoolYearQuery = z.object({ schoolId: z.coerce.number().int().optional(), schoolYear: schoolYearString.optional() });

export const assignmentCheckView = z.object({
  schoolId: z.number().int(),
  schoolYear: z.string(),
  rules: assignmentRules,
  violations: z.array(violation),
  counts: z.object({ teachers: z.number().int(), cases: z.number().int(), withTeacher: z.number().int(), errors: z.number().int(), warnings: z.number().int() }),
});

export const suggestionItem = z.object({
  caseId: z.number().int(),
  studentId: z.number().int(),
  studentName: z.string(),
  teacherId: z.number().int(),
  teacherName: z.string(),
  /** why this teacher (任教该班数学 · 薄弱学科对口 · 当前帮扶0人 …) */
  reasons: z.array(z.string()),
});
export type SuggestionItem = z.infer<typeof suggestionItem>;
export const suggestionView = z.object({
  schoolId: z.number().int(),
  schoolYear: z.string(),
  items: z.array(suggestionItem),
  /** cases the suggestion could not fill, with why */
  unassigned: z.array(z.object({ caseId: z.number().int(), studentName: z.string(), reason: z.string() })),
  /** the violations left if every item is accepted */
  violationsAfter: z.array(violation),
});

export const acceptAssignmentsBody = z.object({
  schoolId: z.number().int().optional(),
  /** the pairings' start (default today) */
  start: isoDate.optional(),
  /** the suggestion as accepted or edited by a person */
  items: z.array(z.object({ caseId: z.number().int().positive(), teacherId: z.number().int().positive() })).min(1).max(500),
  plan: z.string().trim().max(2000).optional(),
});
export const acceptAssignmentsResult = z.object({
  pairings: z.array(z.object({ caseId: z.number().int(), teacherId: z.number().int(), pairingId: z.number().int() })),
  violations: z.array(violation),
});

export const peerPairBody = z.object({
  /** the good student / class cadre who helps */
  helperStudentId: z.number().int().positive(),
  start: isoDate.optional(),
  plan: z.string().trim().max(2000).optional(),
});

// ───────────────────────────── records: cross-check ─────────────────────────────

export const crossCheckQuery = z.object({ from: isoDate.optional(), to: isoDate.optional() });
export const crossCheckView = z.object({
  caseId: z.number().int(),
  from: z.string(),
  to: z.string(),
  /** a teacher's record with the student's own record of the same day and kind (and subject, when both give one) */
  matched: z.array(z.object({ date: z.string(), kind: z.string(), subject: z.string().nullable(), teacherRecordId: z.number().int(), studentRecordId: z.number().int() })),
  teacherOnly: z.array(z.object({ date: z.string(), kind: z.string(), subject: z.string().nullable(), recordId: z.number().int() })),
  studentOnly: z.array(z.object({ date: z.string(), kind: z.string(), subject: z.string().nullable(), recordId: z.number().int() })),
});

// ───────────────────────────── monthly check by 教导处 ─────────────────────────────

export const checkQueueQuery = z.object({
  schoolId: z.coerce.number().int().optional(),
  /** default: the current month */
  month: monthString.optional(),
});
export const quotaLine = z.object({
  rule: z.string(),
  ruleLabel: z.string(),
  required: z.number().int(),
  done: z.number().int(),
  status: z.enum(['on_track', 'behind', 'short']),
});
export const checkQueueView = z.object({
  schoolId: z.number().int(),
  month: z.string(),
  from: z.string(),
  to: z.string(),
  asOf: z.string(),
  teachers: z.array(z.object({
    teacherId: z.number().int(),
    name: z.string(),
    students: z.number().int(),
    records: z.object({ total: z.number().int(), submitted: z.number().int(), accepted: z.number().int(), returned: z.number().int() }),
    /** the semester's quota standing (the engine), per rule */
    standing: z.array(quotaLine),
    worst: z.enum(['on_track', 'behind', 'short']).nullable(),
  })),
});
export const bulkReviewBody = z
  .object({
    activityIds: z.array(z.number().int().positive()).min(1).max(200),
    verdict: z.enum(['accepted', 'returned']),
    comment: z.string().trim().max(1000).optional(),
  })
  .refine((b) => b.verdict !== 'returned' || (b.comment ?? '').length >= 2, { message: '退回时请填写意见', path: ['comment'] });
export const bulkReviewResult = z.object({
  reviewed: z.array(z.number().int()),
  failed: z.array(z.object({ id: z.number().int(), message: z.string() })),
});

// ───────────────────────────── yearly refresh ─────────────────────────────

export const refreshQuery = z.object({ schoolYear: schoolYearString, schoolId: z.coerce.number().int().optional() });
export const refreshBody = z.object({ schoolYear: schoolYearString, schoolId: z.number().int().optional() });
export const refreshItem = z.object({
  studentId: z.number().int(),
  studentName: z.string(),
  schoolId: z.number().int(),
  classId: z.number().int().nullable(),
  className: z.string().nullable(),
  categories: z.array(supportCategory),
  sources: z.array(caseSource),
  previousCaseId: z.number().int().nullable(),
  change: z.enum(['new', 'continuing']),
  /** already stored for this school year */
  existingCaseId: z.number().int().nullable(),
});
export const leftItem = z.object({
  caseId: z.number().int(),
  studentId: z.number().int(),
  studentName: z.string(),
  schoolId: z.number().int(),
  categories: z.array(supportCategory),
  /** closed: its close reason; else why it is not carried (不在读 / 未在新学年注册) */
  reason: z.string(),
});
export const schoolChangeCounts = z.object({
  schoolId: z.number().int(),
  school: z.string(),
  schoolName: z.string(),
  new: z.number().int(),
  continuing: z.number().int(),
  left: z.number().int(),
});
export const refreshPreview = z.object({
  schoolYear: z.string(),
  previousYear: z.string(),
  schools: z.array(schoolChangeCounts),
  items: z.array(refreshItem),
  left: z.array(leftItem),
});
export const refreshResult = z.object({ created: z.number().int(), continued: z.number().int(), updated: z.number().int(), closedPrevious: z.number().int() });
export const yearChangesView = z.object({
  schoolYear: z.string(),
  previousYear: z.string(),
  schools: z.array(schoolChangeCounts),
  /** with schoolId: the students */
  students: z
    .object({
      new: z.array(z.object({ caseId: z.number().int(), studentId: z.number().int(), studentName: z.string(), categories: z.array(supportCategory) })),
      continuing: z.array(z.object({ caseId: z.number().int(), studentId: z.number().int(), studentName: z.string(), categories: z.array(supportCategory) })),
      left: z.array(leftItem),
    })
    .nullable(),
});

// ───────────────────────────── reports ─────────────────────────────

export const COVERAGE_CATEGORIES = [...SUPPORT_CATEGORIES, 'all'] as const;
export const coverageQuery = z.object({ schoolYear: schoolYearString.optional(), schoolId: z.coerce.number().int().optional() });
/** One row per school and category ('all' = distinct students of the school on the list). */
export const coverageRow = z.object({
  school: z.string(),
  schoolName: z.string(),
  category: z.enum(COVERAGE_CATEGORIES),
  confirmed: z.number().int(),
  withTeacher: z.number().int(),
  withoutTeacher: z.number().int(),
});
export type CoverageRow = z.infer<typeof coverageRow>;

export const complianceQuery = z.object({
  /** the semester, e.g. 2026-2027-1 (default: the current one) */
  period: semesterString.optional(),
  schoolId: z.coerce.number().int().optional(),
});
/** One row per teacher and rule, then one per school and rule (teacher ''). */
export const complianceRow = z.object({
  school: z.string(),
  schoolName: z.string(),
  /** teachers.id as text; '' on a school's row */
  teacher: z.string(),
  teacherName: z.string(),
  /** the quota id, e.g. ts.talk.semester */
  rule: z.string(),
  ruleLabel: z.string(),
  required: z.number().int(),
  done: z.number().int(),
  status: z.enum(['on_track', 'behind', 'short']),
  /** on a school's row: how many of its teachers are on track / behind / short on this rule */
  teachers: z.number().int(),
  onTrack: z.number().int(),
  behind: z.number().int(),
  short: z.number().int(),
});
export type ComplianceRow = z.infer<typeof complianceRow>;
export const complianceView = z.object({ period: z.string(), asOf: z.string(), rows: z.array(complianceRow) });
