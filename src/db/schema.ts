// The one schema for PGlite and PostgreSQL. `npm run db:generate` turns changes
// here into a new SQL file under drizzle/ (forward only; never edit an applied one).
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  doublePrecision,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { Quota } from '../modules/pairings/engine/quota.js';
import type { ActivityTypeDef, AttachmentView as ActivityAttachment, ProgrammeRole, SchoolYearCalendar } from '../modules/pairings/pairings.schemas.js';
import type { CaseAnalysis, CaseSource } from '../modules/support/support.schemas.js';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => 'bytea',
});

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** The region's education bureau. One installation serves one bureau. */
export const bureau = pgTable('bureau', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  name: text('name').notNull(),
  /** 行政区划代码, 6 digits */
  regionCode: text('region_code').notNull(),
  createdAt: createdAt(),
});

export const schools = pgTable(
  'schools',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    /** 学校标识码, 10 digits */
    code: text('code').notNull(),
    name: text('name').notNull(),
    namePinyin: text('name_pinyin').notNull().default(''),
    nameInitials: text('name_initials').notNull().default(''),
    /** see SCHOOL_KINDS in src/shared/registry.ts */
    kind: text('kind').notNull(),
    /** 城区 / 镇区 / 乡村 */
    locationType: text('location_type').notNull(),
    /** 薄弱, 山区, 寄宿制, 民族 … */
    flags: text('flags').array().notNull().default(sql`'{}'::text[]`),
    town: text('town'),
    address: text('address'),
    phone: text('phone'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('schools_code_uq').on(t.code)],
);

export const classes = pgTable(
  'classes',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    schoolId: integer('school_id').notNull().references(() => schools.id),
    /** '2026-2027' */
    schoolYear: text('school_year').notNull(),
    /** 1–6 primary, 7–9 junior (九年一贯 numbering) */
    grade: smallint('grade').notNull(),
    classNo: smallint('class_no').notNull(),
    name: text('name').notNull(),
    headTeacherId: integer('head_teacher_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('classes_school_year_grade_no_uq').on(t.schoolId, t.schoolYear, t.grade, t.classNo),
    // what enrollments' (class_id, school_id) key refers to (migration 0017)
    unique('classes_id_school_uq').on(t.id, t.schoolId),
  ],
);

export const teachers = pgTable(
  'teachers',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    schoolId: integer('school_id').notNull().references(() => schools.id),
    staffNo: text('staff_no'),
    name: text('name').notNull(),
    namePinyin: text('name_pinyin').notNull().default(''),
    nameInitials: text('name_initials').notNull().default(''),
    /** GB/T 2261.1: '1' male, '2' female */
    sex: text('sex').notNull(),
    birthDate: date('birth_date', { mode: 'string' }),
    idNumberHash: text('id_number_hash'),
    idNumberEnc: bytea('id_number_enc'),
    idNumberMasked: text('id_number_masked'),
    phone: text('phone'),
    subjects: text('subjects').array().notNull().default(sql`'{}'::text[]`),
    /** 教研组 */
    teachingGroup: text('teaching_group'),
    yearsOfService: smallint('years_of_service'),
    /** 职称 */
    title: text('title'),
    /** 骨干级别: 无 / 校级 / 县级 / 市级 / 省级 */
    backboneLevel: text('backbone_level').notNull().default('无'),
    /** 职务, e.g. 校长, 副校长, 教导主任 */
    position: text('position'),
    isLeader: boolean('is_leader').notNull().default(false),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('teachers_school_idx').on(t.schoolId),
    uniqueIndex('teachers_id_hash_uq').on(t.idNumberHash),
    index('teachers_pinyin_idx').on(t.namePinyin),
  ],
);

/** Who teaches which subject in which class — the basis of a teacher's student scope. */
export const teachingAssignments = pgTable(
  'teaching_assignments',
  {
    teacherId: integer('teacher_id').notNull().references(() => teachers.id),
    classId: integer('class_id').notNull().references(() => classes.id),
    subject: text('subject').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teacherId, t.classId, t.subject] }), index('teaching_assignments_class_idx').on(t.classId)],
);

export const students = pgTable(
  'students',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    /** current school (the latest enrollment's) */
    schoolId: integer('school_id').notNull().references(() => schools.id),
    /** 学籍号 / 全国学籍号, sealed like the ID number (it usually embeds it): keyed hash, AES-GCM, masked */
    studentNoHash: text('student_no_hash'),
    studentNoEnc: bytea('student_no_enc'),
    studentNoMasked: text('student_no_masked'),
    idNumberHash: text('id_number_hash'),
    idNumberEnc: bytea('id_number_enc'),
    idNumberMasked: text('id_number_masked'),
    name: text('name').notNull(),
    namePinyin: text('name_pinyin').notNull().default(''),
    nameInitials: text('name_initials').notNull().default(''),
    sex: text('sex').notNull(),
    birthDate: date('birth_date', { mode: 'string' }),
    /** GB/T 3304 two-digit code */
    ethnicity: text('ethnicity'),
    address: text('address'),
    /** [{name, relation, phone}] */
    guardians: jsonb('guardians').$type<{ name: string; relation?: string | null; phone?: string | null }[]>().notNull().default(sql`'[]'::jsonb`),
    /** 在读 / 转出 / 毕业 / 休学 / 辍学 */
    status: text('status').notNull().default('在读'),
    /** hash of the last imported source fields, so a re-import of the same row is a no-op */
    rowHash: text('row_hash'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('students_school_idx').on(t.schoolId),
    uniqueIndex('students_student_no_hash_uq').on(t.studentNoHash),
    uniqueIndex('students_id_hash_uq').on(t.idNumberHash),
    // no index on name, name_pinyin or name_initials (migrations 0003, 0010): name search ORs
    // `name LIKE '%…%'` with the pinyin prefixes, which no btree serves (nor does a default
    // btree serve LIKE 'x%' under a non-C collation such as C.UTF-8), and every ORDER BY
    // name_pinyin sorts by school and class first; each index cost every imported row
    // (200,000-row roster: ~1.5 s of the merge)
  ],
);

/** A student belongs to one class per school year; earlier years stay as history. */
export const enrollments = pgTable(
  'enrollments',
  {
    studentId: integer('student_id').notNull().references(() => students.id),
    schoolYear: text('school_year').notNull(),
    classId: integer('class_id').notNull(),
    /** the class's school (the key below refuses any other) */
    schoolId: integer('school_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.studentId, t.schoolYear] }),
    index('enrollments_class_idx').on(t.classId),
    // one key for class and school instead of one each (migration 0017): stricter (the school
    // must be the class's), and each inserted row is checked once, not twice
    foreignKey({ name: 'enrollments_class_school_fk', columns: [t.classId, t.schoolId], foreignColumns: [classes.id, classes.schoolId] }),
  ],
);

/** 家庭情况 flags, each with where it came from (民政局, 扶贫办, 学校认定 …) and when. Sensitive. */
export const familyFlags = pgTable(
  'family_flags',
  {
    studentId: integer('student_id').notNull().references(() => students.id),
    /** see FAMILY_FLAGS in src/shared/registry.ts */
    flag: text('flag').notNull(),
    source: text('source').notNull(),
    recordedOn: date('recorded_on', { mode: 'string' }).notNull(),
    note: text('note'),
  },
  (t) => [primaryKey({ columns: [t.studentId, t.flag] }), index('family_flags_flag_idx').on(t.flag)],
);

export const users = pgTable(
  'users',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    /** see ROLES in src/shared/roles.ts */
    role: text('role').notNull(),
    schoolId: integer('school_id').references(() => schools.id),
    teacherId: integer('teacher_id').references(() => teachers.id),
    mustChangePassword: boolean('must_change_password').notNull().default(true),
    disabled: boolean('disabled').notNull().default(false),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    locale: text('locale').notNull().default('zh-CN'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_username_uq').on(sql`lower(${t.username})`)],
);

export const sessions = pgTable(
  'sessions',
  {
    /** sha256 of the cookie token; the token itself is never stored */
    id: text('id').primaryKey(),
    userId: integer('user_id').notNull().references(() => users.id),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/**
 * Failed log-ins under usernames that are no account, so that they lock like real accounts (see
 * auth.service.ts). Keyed by a keyed hash of the lower-cased name: what people type into the
 * username box (sometimes a password) is never stored. Rows idle for a day are removed.
 */
export const unknownLoginFailures = pgTable(
  'unknown_login_failures',
  {
    nameHash: text('name_hash').primaryKey(),
    failures: integer('failures').notNull(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('unknown_login_failures_last_idx').on(t.lastFailureAt)],
);

/** Append-only (a trigger refuses UPDATE and DELETE). Written in the same transaction as the change. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorUserId: integer('actor_user_id'),
    actorName: text('actor_name').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    schoolId: integer('school_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    reason: text('reason'),
    ip: text('ip'),
  },
  (t) => [
    index('audit_at_idx').on(t.at),
    index('audit_entity_idx').on(t.entityType, t.entityId),
    index('audit_actor_idx').on(t.actorUserId),
  ],
);

export const importJobs = pgTable('import_jobs', {
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  fileName: text('file_name').notNull(),
  /** queued / running / succeeded / failed */
  status: text('status').notNull(),
  userId: integer('user_id').references(() => users.id),
  schoolId: integer('school_id'),
  processedRows: integer('processed_rows').notNull().default(0),
  inserted: integer('inserted').notNull().default(0),
  updated: integer('updated').notNull().default(0),
  unchanged: integer('unchanged').notNull().default(0),
  rejected: integer('rejected').notNull().default(0),
  errorsFile: text('errors_file'),
  errorMessage: text('error_message'),
  createdAt: createdAt(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  /** who started it (the CLI has no user) */
  actorName: text('actor_name'),
  /** parsing / merging / done */
  phase: text('phase'),
  /** data rows in the file, known once parsing is done */
  totalRows: integer('total_rows'),
  /** refreshed while the job works: a 'running' job whose heartbeat stopped was interrupted */
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
});

/**
 * Scratch rows of a roster import: written in batches outside any transaction while the
 * file is parsed, merged into the real tables by ONE transaction, then deleted. Leftovers
 * of an interrupted import are harmless and cleaned by the next one. UNLOGGED (see the
 * migration): it never needs to survive a crash.
 */
export const rosterImportStaging = pgTable(
  'roster_import_staging',
  {
    jobId: text('job_id').notNull(),
    rowNo: integer('row_no').notNull(),
    /** valid / rejected / duplicate */
    status: text('status').notNull(),
    reason: text('reason'),
    /** the original cells (a JSON array), sealed: they hold the ID number and 学籍号; for the errors file */
    cellsEnc: bytea('cells_enc'),
    schoolCode: text('school_code'),
    schoolName: text('school_name'),
    studentNoHash: text('student_no_hash'),
    studentNoEnc: bytea('student_no_enc'),
    studentNoMasked: text('student_no_masked'),
    idHash: text('id_hash'),
    idEnc: bytea('id_enc'),
    idMasked: text('id_masked'),
    name: text('name'),
    namePinyin: text('name_pinyin'),
    nameInitials: text('name_initials'),
    sex: text('sex'),
    birthDate: date('birth_date', { mode: 'string' }),
    ethnicity: text('ethnicity'),
    address: text('address'),
    guardians: jsonb('guardians'),
    grade: smallint('grade'),
    classNo: smallint('class_no'),
    flagsOn: text('flags_on').array(),
    flagsOff: text('flags_off').array(),
    /** hash of the student's own fields (students.row_hash) */
    rowHash: text('row_hash'),
    /** hash of every field incl. school and class: equal → the same row repeated */
    contentHash: text('content_hash'),
    // filled in by the merge
    schoolId: integer('school_id'),
    studentId: integer('student_id'),
    classId: integer('class_id'),
    /** insert / update / unchanged */
    action: text('action'),
    before: jsonb('before'),
    after: jsonb('after'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.rowNo] })],
);

// ───────────────────────────── exams and the 后20% analysis ─────────────────────────────
// See docs/exams.md. An exam's scores are one row per student (scores in subject order),
// its analysis one row per (subject, unit); both are replaced whole, in one transaction,
// by a re-import or a re-analysis.

/** A subject of an exam: its full marks and whether it is summed into 总分. */
export interface ExamSubjectSpec {
  name: string;
  fullMarks: number;
  countsToTotal: boolean;
}

export const exams = pgTable(
  'exams',
  {
    /** uuid */
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** '2026-2027' */
    schoolYear: text('school_year').notNull(),
    /** 1 = 第一学期 (autumn), 2 = 第二学期 (spring) */
    term: smallint('term').notNull(),
    /** 期中 / 期末 / 月考 / 统考 */
    kind: text('kind').notNull(),
    /** county (全县统考) / school (one school's own exam) / pairing (the schools of one school-to-school pairing) */
    scope: text('scope').notNull().default('county'),
    /** the school of a school-scoped exam */
    schoolId: integer('school_id').references(() => schools.id),
    /** the school-to-school pairing of a pairing exam (联考 of the pairing's schools) */
    pairingId: integer('pairing_id').references(() => pairings.id),
    grade: smallint('grade').notNull(),
    examDate: date('exam_date', { mode: 'string' }),
    subjects: jsonb('subjects').$type<ExamSubjectSpec[]>().notNull(),
    /** created / imported / analysed */
    status: text('status').notNull().default('created'),
    rowCount: integer('row_count').notNull().default(0),
    matchedCount: integer('matched_count').notNull().default(0),
    unmatchedCount: integer('unmatched_count').notNull().default(0),
    rejectedCount: integer('rejected_count').notNull().default(0),
    /** registered students of the grade with no row in the file, counted as absent */
    missingCount: integer('missing_count').notNull().default(0),
    /** the import job that loaded the current scores (its errors file) */
    importJobId: text('import_job_id'),
    analysedAt: timestamp('analysed_at', { withTimezone: true }),
    /** the analysis took this long (ms), for the record */
    analysisMs: integer('analysis_ms'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('exams_grade_term_idx').on(t.grade, t.schoolYear, t.term), index('exams_pairing_idx').on(t.pairingId)],
);

/**
 * The columns of one score-sheet row after the exam (or version) key: exam_scores and the
 * replaced sets in exam_score_history hold the same row.
 */
const scoreRowColumns = () => ({
  /** the spreadsheet row number */
  rowNo: integer('row_no').notNull(),
  // student_id, school_id and class_id carry no foreign keys (migration 0007): the importer takes
  // them from the registry, which never deletes a student, school or class, and a per-row
  // foreign-key check cost more than half of inserting 300,000 scores (measured on PostgreSQL)
  /** the registered student (by 学籍号 or ID number); null = matched nobody, still counted */
  studentId: integer('student_id'),
  schoolId: integer('school_id'),
  /** 学校标识码 as in the file, or the registered school's */
  schoolCode: text('school_code').notNull(),
  classId: integer('class_id'),
  /** the class as the file names it (for unmatched rows) */
  classLabel: text('class_label'),
  name: text('name').notNull(),
  /** the masked 学籍号 or ID number the file gave, for following up unmatched rows */
  identityMasked: text('identity_masked'),
  /** one per exam subject, in exams.subjects order; NULL = absent (缺考) */
  scores: doublePrecision('scores').array().notNull(),
});

/** One row per student of the score sheet. */
export const examScores = pgTable(
  'exam_scores',
  {
    // no foreign key on exam_id (migration 0012): the exams_delete_results trigger deletes an
    // exam's scores with it; the per-row check was a sizeable part of storing 300,000 scores, and
    // the import writes them only for an exam it holds locked (FOR UPDATE)
    examId: text('exam_id').notNull(),
    ...scoreRowColumns(),
  },
  (t) => [primaryKey({ columns: [t.examId, t.rowNo] }), index('exam_scores_student_idx').on(t.studentId)],
);

/**
 * A set of scores a corrected re-import replaced ("scores keep history"): which import had
 * loaded them, the subjects they were in, when and by which import they were replaced. Its
 * rows are in exam_score_history.
 */
export const examScoreVersions = pgTable(
  'exam_score_versions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    examId: text('exam_id').notNull().references(() => exams.id, { onDelete: 'cascade' }),
    /** the import that had loaded these scores (null: loaded before import jobs were kept) */
    importJobId: text('import_job_id'),
    /** exams.subjects when these scores were current: scores[i] is subjects[i] */
    subjects: jsonb('subjects').$type<ExamSubjectSpec[]>().notNull(),
    rowCount: integer('row_count').notNull(),
    replacedAt: timestamp('replaced_at', { withTimezone: true }).notNull().defaultNow(),
    /** the import that replaced them */
    replacedByJobId: text('replaced_by_job_id').notNull(),
  },
  (t) => [index('exam_score_versions_exam_idx').on(t.examId)],
);

/**
 * The rows of a replaced set of scores, as exam_scores had them. No foreign keys (as on
 * exam_scores): written only by the replacing import, deleted with their exam by its trigger.
 */
export const examScoreHistory = pgTable(
  'exam_score_history',
  {
    versionId: integer('version_id').notNull(),
    ...scoreRowColumns(),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.rowNo] }), index('exam_score_history_student_idx').on(t.studentId)],
);

/** County-wide figures of one subject (or 总分) of an analysed exam. */
export const examSubjectStats = pgTable(
  'exam_subject_stats',
  {
    examId: text('exam_id').notNull().references(() => exams.id, { onDelete: 'cascade' }),
    subject: text('subject').notNull(),
    ord: smallint('ord').notNull(),
    isTotal: boolean('is_total').notNull(),
    fullMarks: doublePrecision('full_marks').notNull(),
    n: integer('n').notNull(),
    absent: integer('absent').notNull(),
    position: integer('position').notNull(),
    /** the cut score in points; NULL with cut_is_absent = absentees alone fill the bottom group */
    cut: doublePrecision('cut'),
    cutIsAbsent: boolean('cut_is_absent').notNull().default(false),
    bottom: integer('bottom').notNull(),
    mean: doublePrecision('mean'),
    passRate: doublePrecision('pass_rate'),
    excellenceRate: doublePrecision('excellence_rate'),
    /** score distribution: counts per bucket of 10 % of full marks (11 buckets, the last = full marks) */
    distribution: integer('distribution').array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.examId, t.subject] })],
);

/** One row per (subject, unit) of an analysed exam: school, class or subject teacher. */
export const examUnitResults = pgTable(
  'exam_unit_results',
  {
    // no foreign key (migration 0011): a BEFORE DELETE trigger on exams removes the rows instead; the
    // per-row check doubled the cost of storing a county exam's ~90,000 unit rows / ~160,000 candidates
    examId: text('exam_id').notNull(),
    subject: text('subject').notNull(),
    /** school / class / teacher */
    level: text('level').notNull(),
    /** 学校标识码; a class's stable key (school code / entry cohort / class no); the teacher id */
    unitKey: text('unit_key').notNull(),
    unitName: text('unit_name').notNull(),
    schoolId: integer('school_id'),
    classId: integer('class_id'),
    teacherId: integer('teacher_id'),
    headTeacher: text('head_teacher'),
    enrolled: integer('enrolled').notNull(),
    absent: integer('absent').notNull(),
    bottom: integer('bottom').notNull(),
    ratio: doublePrecision('ratio').notNull(),
    rank: integer('rank').notNull(),
    rankInSchool: integer('rank_in_school').notNull(),
    denominator: integer('denominator').notNull(),
    mean: doublePrecision('mean'),
    passRate: doublePrecision('pass_rate'),
    excellenceRate: doublePrecision('excellence_rate'),
    composite: doublePrecision('composite'),
    /** percentage points against the previous comparable exam (negative = fewer); NULL = not measurable */
    pointsVsPrevious: doublePrecision('points_vs_previous'),
    bottomChangeVsPrevious: integer('bottom_change_vs_previous'),
    rankRiseVsPrevious: integer('rank_rise_vs_previous'),
    pointsVsBaseline: doublePrecision('points_vs_baseline'),
    /** met / not_met / not_measurable; NULL = no target set */
    targetStatus: text('target_status'),
    targetNote: text('target_note'),
  },
  (t) => [
    primaryKey({ columns: [t.examId, t.subject, t.level, t.unitKey] }),
    index('exam_unit_results_school_idx').on(t.examId, t.schoolId),
  ],
);

/** 帮扶对象候选: per class, students bottom in the total or in subjects; teachers confirm or remove. */
export const examCandidates = pgTable(
  'exam_candidates',
  {
    // no foreign key on exam_id either (migration 0011, see exam_unit_results)
    examId: text('exam_id').notNull(),
    // student_id, class_id and school_id carry no foreign keys (migration 0008), like exam_scores:
    // the analysis takes them from the registry, which never deletes, and a county exam lists
    // ~100,000–260,000 candidates, where per-row checks were ~¾ of the insert (measured on PostgreSQL)
    studentId: integer('student_id').notNull(),
    classId: integer('class_id'),
    schoolId: integer('school_id').notNull(),
    /** total / single_subject / multi_subject */
    reason: text('reason').notNull(),
    subjects: text('subjects').array().notNull().default(sql`'{}'::text[]`),
    /** proposed / confirmed / removed; kept across a re-analysis for students still listed */
    status: text('status').notNull().default('proposed'),
    decidedBy: integer('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionNote: text('decision_note'),
  },
  (t) => [primaryKey({ columns: [t.examId, t.studentId] }), index('exam_candidates_class_idx').on(t.classId)],
);

/** 奖励: computed from the reward table at analysis time; reviewed (approved / rejected) by the bureau. */
export const examAwards = pgTable(
  'exam_awards',
  {
    // no foreign key (migration 0011, see exam_unit_results)
    examId: text('exam_id').notNull(),
    /** class / teacher */
    level: text('level').notNull(),
    unitKey: text('unit_key').notNull(),
    unitName: text('unit_name').notNull(),
    subject: text('subject').notNull(),
    rule: text('rule').notNull(),
    ruleKind: text('rule_kind').notNull(),
    /** 元 */
    amount: doublePrecision('amount').notNull(),
    reason: text('reason').notNull(),
    schoolId: integer('school_id'),
    /** computed / approved / rejected */
    status: text('status').notNull().default('computed'),
    reviewedBy: integer('reviewed_by').references(() => users.id),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewNote: text('review_note'),
  },
  (t) => [primaryKey({ columns: [t.examId, t.level, t.unitKey, t.subject, t.rule] })],
);

/** 后20% targets per grade and school year (the engine's TargetConfig as JSON). */
export const examTargets = pgTable(
  'exam_targets',
  {
    grade: smallint('grade').notNull(),
    schoolYear: text('school_year').notNull(),
    config: jsonb('config').notNull(),
    updatedBy: integer('updated_by').references(() => users.id),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.grade, t.schoolYear] })],
);

/** Bureau-wide settings as JSON by key (e.g. 'exams.rewardTable', 'exams.analysisOptions'). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedBy: integer('updated_by').references(() => users.id),
  updatedAt: updatedAt(),
});

// ───────────────────── pairings: the general pairing-and-quota engine, stored ─────────────────────
// See docs/pairings.md. Every programme (师生结对, 生生结对, 师徒结对, 校校结对, 支教 …) is a row of
// `programmes` (its roles, activity types and quota rules as data) plus its own screens; the
// pure engine (src/modules/pairings/engine) evaluates the stored pairings and activities.

/** A programme: participant roles, activity types (with their own fields) and quotas (the engine's Quota JSON). */
export const programmes = pgTable(
  'programmes',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    /** 'teacher_student', 'peer', 'mentoring', 'school_pairing', 'dispatch' … */
    key: text('key').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    roles: jsonb('roles').$type<ProgrammeRole[]>().notNull(),
    activityTypes: jsonb('activity_types').$type<ActivityTypeDef[]>().notNull(),
    quotas: jsonb('quotas').$type<Quota[]>().notNull(),
    active: boolean('active').notNull().default(true),
    /** seeded by the migration (DEFAULT_PROGRAMMES); can be edited, not deleted */
    builtin: boolean('builtin').notNull().default(false),
    updatedBy: integer('updated_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('programmes_key_uq').on(t.key)],
);

/** The bureau's 校历, one row per school year: exact semester dates, closures, make-up days. Missing year = defaults. */
export const schoolCalendars = pgTable('school_calendars', {
  /** '2026-2027' */
  schoolYear: text('school_year').primaryKey(),
  config: jsonb('config').$type<SchoolYearCalendar>().notNull(),
  updatedBy: integer('updated_by').references(() => users.id),
  updatedAt: updatedAt(),
});

export const pairings = pgTable(
  'pairings',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    programmeId: integer('programme_id').notNull().references(() => programmes.id),
    /** proposed / active / completed / cancelled */
    status: text('status').notNull().default('proposed'),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    /** planned end while proposed or active; the last day in force once completed or cancelled */
    endDate: date('end_date', { mode: 'string' }),
    plan: text('plan'),
    /** the school that manages it (scope, checks); null for a bureau-level pairing between schools */
    schoolId: integer('school_id').references(() => schools.id),
    /** a later link, e.g. the support case it serves: { kind: 'support_case', id } */
    subjectRef: jsonb('subject_ref').$type<{ kind: string; id: number | string }>(),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('pairings_programme_status_idx').on(t.programmeId, t.status), index('pairings_school_idx').on(t.schoolId)],
);

/** Who takes part, in which role, from when to when: a change ends a row and adds one, so history stays. */
export const pairingParticipants = pgTable(
  'pairing_participants',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    pairingId: integer('pairing_id').notNull().references(() => pairings.id),
    /** a role key of the programme (the engine's role) */
    role: text('role').notNull(),
    /** helper / helped (copied from the programme role, for scope) */
    side: text('side').notNull(),
    /** teacher / student / school */
    personKind: text('person_kind').notNull(),
    /** teachers.id, students.id or schools.id */
    personId: integer('person_id').notNull(),
    /** the participant's unit: the teacher's or student's school when added, or the school itself */
    schoolId: integer('school_id').references(() => schools.id),
    fromDate: date('from_date', { mode: 'string' }).notNull(),
    /** last day taking part (inclusive); null = still taking part */
    toDate: date('to_date', { mode: 'string' }),
    endReason: text('end_reason'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('pairing_participants_pairing_idx').on(t.pairingId),
    index('pairing_participants_person_idx').on(t.personKind, t.personId),
    index('pairing_participants_school_idx').on(t.schoolId),
  ],
);

/** Every status change of a pairing, append-only (a trigger refuses UPDATE and DELETE). */
export const pairingStatusHistory = pgTable(
  'pairing_status_history',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    pairingId: integer('pairing_id').notNull().references(() => pairings.id),
    /** null for the creation */
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    /** the start (activation) or the last day in force (completion, cancellation) */
    effectiveDate: date('effective_date', { mode: 'string' }),
    reason: text('reason'),
    actorUserId: integer('actor_user_id'),
    actorName: text('actor_name').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('pairing_status_history_pairing_idx').on(t.pairingId)],
);

/** A record against a pairing: one occasion (one talk, one lesson observed, one visit). */
export const activities = pgTable(
  'activities',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    pairingId: integer('pairing_id').notNull().references(() => pairings.id),
    /** an activity type key of the programme */
    type: text('type').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    /** the role credited (who did it) */
    role: text('role').notNull(),
    /** everyone who took part, as participant refs 'teacher:12', 'student:5' */
    personIds: text('person_ids').array().notNull().default(sql`'{}'::text[]`),
    content: text('content').notNull().default(''),
    /** the type's own fields, validated against the programme's field definitions */
    fields: jsonb('fields').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    /** [{ id, name, mime, size, sha256, uploadedAt }]; files under <dataDir>/attachments */
    attachments: jsonb('attachments').$type<ActivityAttachment[]>().notNull().default(sql`'[]'::jsonb`),
    /** 保密: content, fields and attachments visible only to the author, the pairing's helper teachers and the school's counsellors */
    confidential: boolean('confidential').notNull().default(false),
    /** submitted / accepted / returned */
    status: text('status').notNull().default('submitted'),
    /** 1, then +1 on every resubmission */
    revision: integer('revision').notNull().default(1),
    recordedBy: integer('recorded_by').references(() => users.id),
    recordedByName: text('recorded_by_name').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('activities_pairing_date_idx').on(t.pairingId, t.date),
    index('activities_recorded_by_idx').on(t.recordedBy),
    index('activities_status_date_idx').on(t.status, t.date),
  ],
);

const xid8 = customType<{ data: string; driverData: string }>({
  dataType: () => 'xid8',
});

/**
 * One row per statement that changed `activities` and the pairings it touched (null: all, after a
 * TRUNCATE), written by statement triggers (migration 0014). Standings keep each pairing's counted
 * records in memory and re-read only the pairings logged here since they last looked; `xid` (the
 * writing transaction) lets them read past transactions that commit out of order.
 */
export const activityChanges = pgTable(
  'activity_changes',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    pairingId: integer('pairing_id'),
    xid: xid8('xid').notNull().default(sql`pg_current_xact_id()`),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('activity_changes_xid_idx').on(t.xid)],
);

/** A supervisor's check of a record (教导处 monthly check, bureau spot check), append-only. */
export const activityChecks = pgTable(
  'activity_checks',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    activityId: integer('activity_id').notNull().references(() => activities.id),
    /** the record's revision that was checked */
    revision: integer('revision').notNull(),
    reviewerId: integer('reviewer_id').references(() => users.id),
    reviewerName: text('reviewer_name').notNull(),
    /** accepted / returned */
    verdict: text('verdict').notNull(),
    comment: text('comment'),
    /** 抽查 */
    spotCheck: boolean('spot_check').notNull().default(false),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('activity_checks_activity_idx').on(t.activityId)],
);

// ───────────────────── support cases (帮扶对象) ─────────────────────
// See docs/support.md. A case is one student in one school year with one or more categories;
// its teachers and peers are pairings of the general engine (programmes 'teacher_student' and
// 'peer', subject_ref { kind: 'support_case', id }), its records are their activities.

/** A student on the support list for a school year: categories, status, sources, cause analysis, a sealed psych note. */
export const supportCases = pgTable(
  'support_cases',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    studentId: integer('student_id').notNull().references(() => students.id),
    /** the student's school when the case was made (the case stays with it) */
    schoolId: integer('school_id').notNull().references(() => schools.id),
    /** '2026-2027' */
    schoolYear: text('school_year').notNull(),
    /** the student's class that school year, if enrolled */
    classId: integer('class_id').references(() => classes.id),
    /** SUPPORT_CATEGORIES keys: learning, poverty, psychological, left_behind, special_family, behaviour */
    categories: text('categories').array().notNull(),
    /** identified / confirmed / active / reviewed / closed */
    status: text('status').notNull().default('identified'),
    /** improved / graduated / transferred / continued / other */
    closeReason: text('close_reason'),
    closedOn: date('closed_on', { mode: 'string' }),
    /** the student's weak subjects (from the confirmed candidate lists), for assignment by subject */
    weakSubjects: text('weak_subjects').array().notNull().default(sql`'{}'::text[]`),
    /** where each category came from: [{ kind, category, examId?, flag?, … }] */
    sources: jsonb('sources').$type<CaseSource[]>().notNull().default(sql`'[]'::jsonb`),
    /** 分析量表: causes with notes and the strategies of the two lines */
    analysis: jsonb('analysis').$type<CaseAnalysis>(),
    /** the psychological note, sealed (AES-GCM) like ID numbers; read only through the audited psych view */
    psychNoteEnc: bytea('psych_note_enc'),
    psychUpdatedAt: timestamp('psych_updated_at', { withTimezone: true }),
    psychUpdatedBy: integer('psych_updated_by').references(() => users.id),
    lastReviewedSemester: text('last_reviewed_semester'),
    /** last school year's case of the same student (yearly refresh) */
    previousCaseId: integer('previous_case_id'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('support_cases_student_year_uq').on(t.studentId, t.schoolYear),
    index('support_cases_school_year_idx').on(t.schoolId, t.schoolYear, t.status),
    index('support_cases_previous_idx').on(t.previousCaseId),
  ],
);

/** Every event of a case (created, status change, categories changed, carried over), append-only (a trigger refuses UPDATE and DELETE). */
export const supportCaseHistory = pgTable(
  'support_case_history',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    caseId: integer('case_id').notNull().references(() => supportCases.id),
    /** created / status / categories / carried_over */
    event: text('event').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    /** the categories after the event */
    categories: text('categories').array().notNull(),
    /** a close reason key, or a person's reason */
    reason: text('reason'),
    note: text('note'),
    /** reviewed: the semester reviewed ('2026-2027-1') */
    semester: text('semester'),
    actorUserId: integer('actor_user_id'),
    actorName: text('actor_name').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('support_case_history_case_idx').on(t.caseId)],
);

// ───────────────────── 资助 (aid): what each student received (docs/support.md, section 资助) ─────────────────────

/** The aid catalogue (资助项目), as data: the migration seeds the usual programmes; a bureau adds its own. */
export const aidItems = pgTable('aid_items', {
  key: text('key').primaryKey(),
  label: text('label').notNull(),
  /** central / province / county / school / social: the usual source of the money */
  defaultSource: text('default_source').notNull(),
  /** the standard in fen for one `period` (null: varies) */
  standardFen: integer('standard_fen'),
  /** year / semester / once / day */
  period: text('period').notNull().default('year'),
  /** the standard in words, printed beside the amount (e.g. 寄宿生 1250 元/学年（初中）) */
  standardNote: text('standard_note'),
  active: boolean('active').notNull().default(true),
  sortOrder: integer('sort_order').notNull().default(100),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** One aid granted to one student (受助情况): the amount in fen, when, from where, how paid; revoked rather than deleted. */
export const aidGrants = pgTable(
  'aid_grants',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    studentId: integer('student_id').notNull().references(() => students.id),
    /** the school that granted it (the student's school when recorded) */
    schoolId: integer('school_id').notNull().references(() => schools.id),
    /** '2026-2027' */
    schoolYear: text('school_year').notNull(),
    /** 1 or 2 (上/下学期); null for a whole year or a one-off */
    term: smallint('term'),
    itemKey: text('item_key').notNull().references(() => aidItems.key),
    /** yuan × 100 */
    amountFen: integer('amount_fen').notNull(),
    grantedOn: date('granted_on', { mode: 'string' }).notNull(),
    /** central / province / county / school / social */
    source: text('source').notNull(),
    /** card (打卡) / cash (现金) / in_kind (实物) */
    method: text('method').notNull(),
    note: text('note'),
    /** granted / revoked */
    status: text('status').notNull().default('granted'),
    revokedReason: text('revoked_reason'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: integer('revoked_by').references(() => users.id),
    recordedBy: integer('recorded_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('aid_grants_student_year_idx').on(t.studentId, t.schoolYear),
    index('aid_grants_school_year_idx').on(t.schoolId, t.schoolYear, t.itemKey),
  ],
);
