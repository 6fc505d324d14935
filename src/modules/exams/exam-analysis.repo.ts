// SQL of the 后20% analysis: loading an exam's scores and registry for the engine, storing
// its results, and reading them back (scoped by the caller's conditions from compileScope).
// Large reads and writes travel as packed text columns (see score-columns.ts).
import { sql, type SQL } from 'drizzle-orm';
import { one, rows, type Queryable } from '../../db/client.js';
import type { ExamSubjectSpec } from '../../db/schema.js';
import type { CopyIn } from './exam-import.repo.js';
import { copyChunks, packColumn, type Column } from './score-columns.js';

const p = (v: unknown) => sql.param(v);

export interface ExamRow {
  id: string;
  name: string;
  schoolYear: string;
  term: number;
  kind: string;
  scope: string;
  schoolId: number | null;
  pairingId: number | null;
  grade: number;
  examDate: string | null;
  subjects: ExamSubjectSpec[];
  status: string;
  rowCount: number;
  missingCount: number;
  importJobId: string | null;
  analysedAt: Date | string | null;
  analysisMs: number | null;
  updatedAt: Date | string;
}

const EXAM_COLS = sql`e.id, e.name, e.school_year AS "schoolYear", e.term::int AS term, e.kind, e.scope, e.school_id AS "schoolId", e.pairing_id AS "pairingId",
  e.grade::int AS grade, e.exam_date::text AS "examDate", e.subjects, e.status, e.row_count AS "rowCount", e.missing_count AS "missingCount",
  e.import_job_id AS "importJobId", e.analysed_at AS "analysedAt", e.analysis_ms AS "analysisMs", e.updated_at::text AS "updatedAt"`;

/** One exam, within the caller's condition on `exams e` (TRUE for internal use). */
export function getExam(q: Queryable, examId: string, scopeCond: SQL = sql`TRUE`): Promise<ExamRow | undefined> {
  return one<ExamRow>(q, sql`SELECT ${EXAM_COLS} FROM exams e WHERE e.id = ${examId} AND ${scopeCond}`);
}

/** Locks the exam row for the length of the transaction; returns what tells whether its scores changed. */
export function lockExam(tx: Queryable, examId: string) {
  return one<{ updatedAt: string; importJobId: string | null; rowCount: number }>(
    tx,
    sql`SELECT updated_at::text AS "updatedAt", import_job_id AS "importJobId", row_count AS "rowCount" FROM exams WHERE id = ${examId} FOR UPDATE`,
  );
}

/** Waits for a running analysis of the exam (which holds FOR UPDATE) before a decision or review is written. */
export async function lockExamShared(tx: Queryable, examId: string): Promise<void> {
  await tx.execute(sql`SELECT 1 FROM exams WHERE id = ${examId} FOR SHARE`);
}

export interface PackedScores {
  n: number;
  classIds: string | null;
  studentIds: string | null;
  /** per row: '' for a row with a class id, else school code + chr(30) + class label; chr(31) between rows */
  labels: string | null;
  /** one packed column per subject ('' = absent) */
  scores: (string | null)[];
}

/**
 * The exam's rows as one packed string per column. No ORDER BY (a sort of 300,000 rows spilled
 * to disk): every aggregate of one query is fed the same rows in the same order, so the columns
 * line up; the students' order itself does not matter to the analysis.
 */
export async function loadPackedScores(q: Queryable, examId: string, subjectCount: number): Promise<PackedScores> {
  const scoreCols = Array.from({ length: subjectCount }, (_, k) => sql.raw(`string_agg(coalesce(t.scores[${k + 1}]::text, ''), ',') AS s${k}`));
  const r = await one<Record<string, string | number | null>>(q, sql`
    SELECT count(*)::int AS n,
      string_agg(coalesce(t.class_id::text, ''), ',') AS class_ids,
      string_agg(coalesce(t.student_id::text, ''), ',') AS student_ids,
      string_agg(CASE WHEN t.class_id IS NULL THEN t.school_code || chr(30) || coalesce(t.class_label, '') ELSE '' END, chr(31)) AS labels
      ${subjectCount > 0 ? sql`, ${sql.join(scoreCols, sql`, `)}` : sql``}
    FROM exam_scores t WHERE t.exam_id = ${examId}`);
  return {
    n: Number(r?.n ?? 0),
    classIds: (r?.class_ids as string | null) ?? null,
    studentIds: (r?.student_ids as string | null) ?? null,
    labels: (r?.labels as string | null) ?? null,
    scores: Array.from({ length: subjectCount }, (_, k) => (r?.[`s${k}`] as string | null) ?? null),
  };
}

/**
 * Where an exam's rows are: read from exam_scores (`examId`), or given by the import that has
 * just committed them (the distinct registered class and school ids of its rows) — the reads
 * below then need not scan the 300,000 freshly written (and not yet ANALYZEd) score rows.
 */
export type SheetPlaces = { examId: string } | { classIds: number[]; schoolIds: number[] };

const sheetSchools = (at: SheetPlaces) => ('examId' in at
  ? sql`SELECT DISTINCT school_id FROM exam_scores WHERE exam_id = ${at.examId} AND school_id IS NOT NULL`
  : sql`SELECT unnest(${p(at.schoolIds)}::int[])`);
const sheetClasses = (at: SheetPlaces) => ('examId' in at
  ? sql`SELECT DISTINCT class_id FROM exam_scores WHERE exam_id = ${at.examId} AND class_id IS NOT NULL`
  : sql`SELECT unnest(${p(at.classIds)}::int[])`);

/**
 * The students enrolled in the grade this school year (status 在读 only: a student who left is
 * not 应考) at the schools of the sheet — or, `'grade'`, at every school (the import reads them so
 * while it parses the file, before it knows the sheet's schools; the service keeps those at the
 * sheet's schools) — in any order. Packed: student ids, class ids, school ids.
 * Those with no row of their own (the service leaves out the rows' students) count as absent.
 */
export async function loadEnrolledOfGrade(q: Queryable, at: SheetPlaces | 'grade', schoolYear: string, grade: number) {
  const r = await one<{ n: number; studentIds: string | null; classIds: string | null; schoolIds: string | null }>(q, sql`
    SELECT count(*)::int AS n, string_agg(m.student_id::text, ',') AS "studentIds", string_agg(m.class_id::text, ',') AS "classIds",
      string_agg(m.school_id::text, ',') AS "schoolIds"
    FROM (
      SELECT e.student_id, e.class_id, e.school_id FROM enrollments e
      JOIN classes c ON c.id = e.class_id
      JOIN students st ON st.id = e.student_id
      WHERE e.school_year = ${schoolYear} AND c.grade = ${grade} AND st.status = '在读'
        ${at === 'grade' ? sql`` : sql`AND e.school_id IN (${sheetSchools(at)})`}) m`);
  return { n: Number(r?.n ?? 0), studentIds: r?.studentIds ?? null, classIds: r?.classIds ?? null, schoolIds: r?.schoolIds ?? null };
}

export type EnrolledOfGrade = Awaited<ReturnType<typeof loadEnrolledOfGrade>>;

export function allSchools(q: Queryable) {
  return rows<{ id: number; code: string; name: string }>(q, sql`SELECT id, code, name FROM schools`);
}

/**
 * The classes an analysis may need, read alongside the scores (not after them): the classes the
 * rows name, and every class of the grade this school year at a school of the sheet (where a
 * registered student without a row is enrolled). A class without students gets no unit row.
 */
const examClasses = (at: SheetPlaces, schoolYear: string, grade: number) => sql`
  SELECT c.id FROM classes c
  WHERE c.id IN (${sheetClasses(at)})
     OR (c.school_year = ${schoolYear} AND c.grade = ${grade} AND c.school_id IN (${sheetSchools(at)}))`;

export function classesForExam(q: Queryable, at: SheetPlaces, schoolYear: string, grade: number) {
  return rows<{ id: number; schoolId: number; schoolYear: string; grade: number; classNo: number; name: string; headTeacher: string | null }>(q, sql`
    SELECT c.id, c.school_id AS "schoolId", c.school_year AS "schoolYear", c.grade::int AS grade, c.class_no::int AS "classNo", c.name,
      ht.name AS "headTeacher"
    FROM classes c LEFT JOIN teachers ht ON ht.id = c.head_teacher_id
    WHERE c.id IN (${examClasses(at, schoolYear, grade)})`);
}

/** The subject teacher of each of those classes and each subject (the lowest id when two are recorded). */
export function subjectTeachersForExam(q: Queryable, at: SheetPlaces, schoolYear: string, grade: number, subjects: string[]) {
  return rows<{ classId: number; subject: string; teacherId: number; name: string }>(q, sql`
    SELECT DISTINCT ON (ta.class_id, ta.subject) ta.class_id AS "classId", ta.subject, ta.teacher_id AS "teacherId", t.name
    FROM teaching_assignments ta JOIN teachers t ON t.id = ta.teacher_id
    WHERE ta.class_id IN (${examClasses(at, schoolYear, grade)}) AND ta.subject = ANY(${p(subjects)}::text[])
    ORDER BY ta.class_id, ta.subject, ta.teacher_id`);
}

/** The previous comparable exam: same scope (and school or pairing), same cohort, strictly before in (year, term, date, created). */
export async function previousExamId(q: Queryable, examId: string): Promise<string | null> {
  const r = await one<{ id: string }>(q, sql`
    SELECT p.id FROM exams p, exams cur
    WHERE cur.id = ${examId} AND p.id <> cur.id AND p.status = 'analysed'
      AND p.scope = cur.scope AND p.school_id IS NOT DISTINCT FROM cur.school_id AND p.pairing_id IS NOT DISTINCT FROM cur.pairing_id
      AND substr(p.school_year, 1, 4)::int - p.grade = substr(cur.school_year, 1, 4)::int - cur.grade
      AND (p.school_year, p.term, coalesce(p.exam_date, DATE '0001-01-01'), p.created_at)
        < (cur.school_year, cur.term, coalesce(cur.exam_date, DATE '0001-01-01'), cur.created_at)
    ORDER BY p.school_year DESC, p.term DESC, coalesce(p.exam_date, DATE '0001-01-01') DESC, p.created_at DESC
    LIMIT 1`);
  return r?.id ?? null;
}

/** The baseline exam: the cohort's analysed exam in the given term (the latest there), not after this one. */
export async function baselineExamId(q: Queryable, examId: string, schoolYear: string, term: number): Promise<string | null> {
  const r = await one<{ id: string }>(q, sql`
    SELECT p.id FROM exams p, exams cur
    WHERE cur.id = ${examId} AND p.id <> cur.id AND p.status = 'analysed'
      AND p.scope = cur.scope AND p.school_id IS NOT DISTINCT FROM cur.school_id AND p.pairing_id IS NOT DISTINCT FROM cur.pairing_id
      AND substr(p.school_year, 1, 4)::int - p.grade = substr(cur.school_year, 1, 4)::int - cur.grade
      AND p.school_year = ${schoolYear} AND p.term = ${term}
      AND (p.school_year, p.term, coalesce(p.exam_date, DATE '0001-01-01'), p.created_at)
        < (cur.school_year, cur.term, coalesce(cur.exam_date, DATE '0001-01-01'), cur.created_at)
    ORDER BY coalesce(p.exam_date, DATE '0001-01-01') DESC, p.created_at DESC
    LIMIT 1`);
  return r?.id ?? null;
}

/** An exam's stored unit rows as a comparison snapshot, packed. */
export async function loadSnapshot(q: Queryable, examId: string) {
  return one<{ n: number; subjects: string | null; levels: string | null; keys: string | null; bottom: string | null; enrolled: string | null; rank: string | null; rankInSchool: string | null }>(q, sql`
    SELECT count(*)::int AS n,
      string_agg(subject, chr(31)) AS subjects, string_agg(level, chr(31)) AS levels, string_agg(unit_key, chr(31)) AS keys,
      string_agg(bottom::text, ',') AS bottom, string_agg(enrolled::text, ',') AS enrolled,
      string_agg(rank::text, ',') AS rank, string_agg(rank_in_school::text, ',') AS "rankInSchool"
    FROM exam_unit_results WHERE exam_id = ${examId}`);
}

export function getSetting(q: Queryable, key: string) {
  return one<{ value: unknown; updatedAt: string; updatedBy: string | null }>(q, sql`
    SELECT s.value, s.updated_at::text AS "updatedAt", u.display_name AS "updatedBy"
    FROM settings s LEFT JOIN users u ON u.id = s.updated_by WHERE s.key = ${key}`);
}

export function getTargets(q: Queryable, grade: number, schoolYear: string) {
  return one<{ config: unknown; updatedAt: string; updatedBy: string | null }>(q, sql`
    SELECT t.config, t.updated_at::text AS "updatedAt", u.display_name AS "updatedBy"
    FROM exam_targets t LEFT JOIN users u ON u.id = t.updated_by WHERE t.grade = ${grade} AND t.school_year = ${schoolYear}`);
}

// ───────────── store (inside the analysis transaction) ─────────────

const arr = (packed: string, type: string) => sql`string_to_array(${p(packed)}::text, chr(31), '')::${sql.raw(type)}[]`;
const textArr = (packed: string) => sql`string_to_array(${p(packed)}::text, chr(31), chr(29))`;

/** A packed column as an SQL array expression for unnest. */
function columnArray(c: Column): SQL {
  const packed = packColumn(c);
  switch (c.type) {
    case 'text': return textArr(packed);
    case 'timestamptz': return sql`${textArr(packed)}::timestamptz[]`;
    case 'text[]':
    case 'int[]': return sql`string_to_array(${p(packed)}::text, chr(31))`;
    case 'bool': return arr(packed, 'boolean');
    default: return arr(packed, c.type);
  }
}

/**
 * Inserts rows given as columns, `exam_id` first. PostgreSQL: COPY FROM STDIN on the
 * transaction's connection (the server parses COPY text about twice as fast as unnest of
 * packed arrays, measured on 90,000 unit rows); PGlite: one INSERT … SELECT FROM unnest.
 */
export async function insertColumns(tx: Queryable, copyIn: CopyIn, table: string, examId: string, columns: Column[]): Promise<void> {
  const count = columns[0]?.values.length ?? 0;
  if (count === 0) return;
  const names = columns.map((c) => c.name).join(', ');
  if (copyIn) {
    const chunks = copyChunks([examId], columns);
    await copyIn(`COPY ${table} (exam_id, ${names}) FROM STDIN`, (async function* () { yield* chunks; })());
    return;
  }
  const aliases = columns.map((_, k) => `c${k}`);
  const select = columns.map((c, k) =>
    sql.raw(c.type === 'text[]' ? `string_to_array(x.c${k}, chr(30))` : c.type === 'int[]' ? `string_to_array(x.c${k}, chr(30))::int[]` : `x.c${k}`));
  await tx.execute(sql`INSERT INTO ${sql.raw(table)} (exam_id, ${sql.raw(names)})
    SELECT ${examId}, ${sql.join(select, sql`, `)}
    FROM unnest(${sql.join(columns.map(columnArray), sql`, `)}) AS x(${sql.raw(aliases.join(', '))})`);
}

export async function deleteResults(tx: Queryable, examId: string): Promise<void> {
  await tx.execute(sql`DELETE FROM exam_subject_stats WHERE exam_id = ${examId}`);
  await tx.execute(sql`DELETE FROM exam_unit_results WHERE exam_id = ${examId}`);
  await tx.execute(sql`DELETE FROM exam_awards WHERE exam_id = ${examId}`);
}

/** Award lines with a review (approved / rejected): few, read before the replacement. */
export function reviewedAwards(tx: Queryable, examId: string) {
  return rows<{ level: string; unitKey: string; subject: string; rule: string; amount: number; status: string; reviewedBy: number | null; reviewedAt: string | null; reviewNote: string | null }>(tx, sql`
    SELECT level, unit_key AS "unitKey", subject, rule, amount, status, reviewed_by AS "reviewedBy", reviewed_at::text AS "reviewedAt", review_note AS "reviewNote"
    FROM exam_awards WHERE exam_id = ${examId} AND status <> 'computed'`);
}

/** The exam's current candidate rows, packed (read inside the analysis transaction, then diffed). */
export function loadCandidates(tx: Queryable, examId: string) {
  return one<{ n: number; studentIds: string | null; classIds: string | null; schoolIds: string | null; reasons: string | null; subjects: string | null; statuses: string | null }>(tx, sql`
    SELECT count(*)::int AS n, string_agg(student_id::text, ',') AS "studentIds", string_agg(coalesce(class_id::text, ''), ',') AS "classIds",
      string_agg(school_id::text, ',') AS "schoolIds", string_agg(reason, chr(31)) AS reasons,
      string_agg(array_to_string(subjects, chr(30)), chr(31)) AS subjects, string_agg(status, chr(31)) AS statuses
    FROM exam_candidates WHERE exam_id = ${examId}`);
}

/**
 * Applies the difference between the stored candidates and a new analysis's: deletes, updates
 * (class, school, reason, subjects; the decision is never touched here) and inserts. A
 * re-analysis that changes nothing writes nothing.
 */
export async function applyCandidateChanges(tx: Queryable, copyIn: CopyIn, examId: string, c: { insert: Column[]; update: Column[]; remove: number[] }) {
  if (c.remove.length > 0) {
    await tx.execute(sql`DELETE FROM exam_candidates WHERE exam_id = ${examId} AND student_id = ANY(${p(c.remove)}::int[])`);
  }
  if ((c.update[0]?.values.length ?? 0) > 0) {
    const [studentId, classId, schoolId, reason, subjects] = c.update.map(columnArray);
    await tx.execute(sql`
      UPDATE exam_candidates c SET class_id = x.class_id, school_id = x.school_id, reason = x.reason, subjects = string_to_array(x.subjects, chr(30))
      FROM unnest(${studentId}, ${classId}, ${schoolId}, ${reason}, ${subjects}) AS x(student_id, class_id, school_id, reason, subjects)
      WHERE c.exam_id = ${examId} AND c.student_id = x.student_id`);
  }
  await insertColumns(tx, copyIn, 'exam_candidates', examId, c.insert);
}

export async function markAnalysed(tx: Queryable, examId: string, ms: number, missingCount: number) {
  await tx.execute(sql`UPDATE exams SET status = 'analysed', analysed_at = now(), analysis_ms = ${ms}, missing_count = ${missingCount}
    WHERE id = ${examId}`);
}

// ───────────── reads for the API (scoped) ─────────────

export function subjectStats(q: Queryable, examId: string) {
  return rows<{
    subject: string; ord: number; isTotal: boolean; fullMarks: number; n: number; absent: number; position: number; cut: number | null;
    cutIsAbsent: boolean; bottom: number; mean: number | null; passRate: number | null; excellenceRate: number | null; distribution: number[];
  }>(q, sql`
    SELECT subject, ord::int AS ord, is_total AS "isTotal", full_marks AS "fullMarks", n, absent, position, cut, cut_is_absent AS "cutIsAbsent",
      bottom, mean, pass_rate AS "passRate", excellence_rate AS "excellenceRate", distribution
    FROM exam_subject_stats WHERE exam_id = ${examId} ORDER BY ord`);
}

export interface StoredUnitRow {
  subject: string; level: 'school' | 'class' | 'teacher'; unitKey: string; unitName: string;
  schoolId: number | null; schoolCode: string | null; schoolName: string | null; classId: number | null; teacherId: number | null; headTeacher: string | null;
  enrolled: number; absent: number; bottom: number; ratio: number; rank: number; rankInSchool: number; denominator: number;
  mean: number | null; passRate: number | null; excellenceRate: number | null; composite: number | null;
  pointsVsPrevious: number | null; bottomChangeVsPrevious: number | null; rankRiseVsPrevious: number | null; pointsVsBaseline: number | null;
  targetStatus: 'met' | 'not_met' | 'not_measurable' | null; targetNote: string | null;
}

/**
 * Unit rows of one level in report order: subjects in exam order (总分 last), then schools by
 * 学校标识码; classes by class number then key; teachers by key. For a unit the registry does
 * not know, the school code is the unit key's first segment.
 */
export function unitRows(q: Queryable, examId: string, level: string, where: SQL) {
  return rows<StoredUnitRow>(q, sql`
    SELECT r.subject, r.level, r.unit_key AS "unitKey", r.unit_name AS "unitName", r.school_id AS "schoolId",
      coalesce(sc.code, CASE WHEN r.level = 'school' THEN r.unit_key WHEN r.level = 'class' THEN split_part(r.unit_key, '/', 1) END) AS "schoolCode",
      coalesce(sc.name, CASE WHEN r.level = 'school' THEN r.unit_key END) AS "schoolName",
      r.class_id AS "classId", r.teacher_id AS "teacherId", r.head_teacher AS "headTeacher",
      r.enrolled, r.absent, r.bottom, r.ratio, r.rank, r.rank_in_school AS "rankInSchool", r.denominator,
      r.mean, r.pass_rate AS "passRate", r.excellence_rate AS "excellenceRate", r.composite,
      r.points_vs_previous AS "pointsVsPrevious", r.bottom_change_vs_previous AS "bottomChangeVsPrevious",
      r.rank_rise_vs_previous AS "rankRiseVsPrevious", r.points_vs_baseline AS "pointsVsBaseline",
      r.target_status AS "targetStatus", r.target_note AS "targetNote"
    FROM exam_unit_results r
    JOIN exam_subject_stats ss ON ss.exam_id = r.exam_id AND ss.subject = r.subject
    LEFT JOIN schools sc ON sc.id = r.school_id
    LEFT JOIN classes c ON c.id = r.class_id
    WHERE r.exam_id = ${examId} AND r.level = ${level} AND ${where}
    ORDER BY ss.ord, 6 NULLS LAST, c.class_no NULLS LAST, length(r.unit_key), r.unit_key`);
}

/** The school rows of one school (by code) and the class rows of its classes across analysed exams. */
export function trendRows(q: Queryable, schoolId: number, subject: string, grade: number | undefined, examScope: SQL, unitScope: SQL) {
  return rows<{
    examId: string; examName: string; schoolYear: string; term: number; grade: number; examDate: string | null; level: string;
    unitKey: string; unitName: string; ratio: number; rank: number; rankInSchool: number; bottom: number; enrolled: number;
  }>(q, sql`
    SELECT e.id AS "examId", e.name AS "examName", e.school_year AS "schoolYear", e.term::int AS term, e.grade::int AS grade,
      e.exam_date::text AS "examDate", r.level, r.unit_key AS "unitKey", r.unit_name AS "unitName", r.ratio, r.rank,
      r.rank_in_school AS "rankInSchool", r.bottom, r.enrolled
    FROM exam_unit_results r JOIN exams e ON e.id = r.exam_id
    WHERE r.school_id = ${schoolId} AND r.subject = ${subject} AND r.level IN ('school', 'class') AND e.status = 'analysed'
      ${grade !== undefined ? sql`AND e.grade = ${grade}` : sql``} AND ${examScope} AND ${unitScope}
    ORDER BY e.school_year, e.term, coalesce(e.exam_date, DATE '0001-01-01'), e.created_at, r.unit_key`);
}

export interface CandidateRow {
  studentId: number; studentName: string; classId: number | null; className: string | null; headTeacherId: number | null;
  schoolId: number; schoolName: string; reason: string; subjects: string[]; status: string;
  decidedById: number | null; decidedByName: string | null; decidedAt: string | null; decisionNote: string | null;
}

const CANDIDATE_COLS = sql`c.student_id AS "studentId", st.name AS "studentName", c.class_id AS "classId", cl.name AS "className",
  cl.head_teacher_id AS "headTeacherId", c.school_id AS "schoolId", sc.name AS "schoolName", c.reason, c.subjects, c.status,
  c.decided_by AS "decidedById", u.display_name AS "decidedByName", c.decided_at AS "decidedAt", c.decision_note AS "decisionNote"`;
const CANDIDATE_FROM = sql`FROM exam_candidates c JOIN students st ON st.id = c.student_id JOIN schools sc ON sc.id = c.school_id
  LEFT JOIN classes cl ON cl.id = c.class_id LEFT JOIN users u ON u.id = c.decided_by`;

export async function listCandidates(q: Queryable, examId: string, where: SQL, page: number, pageSize: number) {
  const [count] = await rows<{ n: number }>(q, sql`SELECT count(*)::int AS n ${CANDIDATE_FROM} WHERE c.exam_id = ${examId} AND ${where}`);
  const items = await rows<CandidateRow>(q, sql`SELECT ${CANDIDATE_COLS} ${CANDIDATE_FROM} WHERE c.exam_id = ${examId} AND ${where}
    ORDER BY sc.code, cl.class_no NULLS LAST, CASE c.reason WHEN 'total' THEN 0 WHEN 'single_subject' THEN 1 WHEN 'multi_subject' THEN 2 ELSE 3 END,
      st.name_pinyin, c.student_id
    LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`);
  return { total: count?.n ?? 0, items };
}

export function getCandidate(q: Queryable, examId: string, studentId: number, where: SQL, forUpdate = false) {
  return one<CandidateRow>(q, sql`SELECT ${CANDIDATE_COLS} ${CANDIDATE_FROM} WHERE c.exam_id = ${examId} AND c.student_id = ${studentId} AND ${where}
    ${forUpdate ? sql`FOR UPDATE OF c` : sql``}`);
}

export async function setCandidateStatus(tx: Queryable, examId: string, studentId: number, status: string, userId: number, note: string | null) {
  await tx.execute(sql`UPDATE exam_candidates SET status = ${status}, decided_by = ${userId}, decided_at = now(), decision_note = ${note}
    WHERE exam_id = ${examId} AND student_id = ${studentId}`);
}

/** The classes and subjects a teacher teaches (for deciding candidates). */
export function teacherAssignments(q: Queryable, teacherId: number) {
  return rows<{ classId: number; subject: string }>(q, sql`SELECT class_id AS "classId", subject FROM teaching_assignments WHERE teacher_id = ${teacherId}`);
}

export interface AwardRow {
  level: 'class' | 'teacher'; unitKey: string; unitName: string; subject: string; rule: string; ruleKind: string; amount: number; reason: string;
  schoolId: number | null; schoolName: string | null; status: 'computed' | 'approved' | 'rejected';
  reviewedById: number | null; reviewedByName: string | null; reviewedAt: string | null; reviewNote: string | null;
}

const AWARD_FROM = sql`FROM exam_awards a LEFT JOIN schools sc ON sc.id = a.school_id LEFT JOIN users u ON u.id = a.reviewed_by`;

export async function listAwards(q: Queryable, examId: string, where: SQL, page: number, pageSize: number) {
  const [sum] = await rows<{ n: number; computed: number; approved: number; rejected: number }>(q, sql`
    SELECT count(*)::int AS n,
      coalesce(sum(a.amount) FILTER (WHERE a.status = 'computed'), 0)::float8 AS computed,
      coalesce(sum(a.amount) FILTER (WHERE a.status = 'approved'), 0)::float8 AS approved,
      coalesce(sum(a.amount) FILTER (WHERE a.status = 'rejected'), 0)::float8 AS rejected
    ${AWARD_FROM} WHERE a.exam_id = ${examId} AND ${where}`);
  const items = await rows<AwardRow>(q, sql`
    SELECT a.level, a.unit_key AS "unitKey", a.unit_name AS "unitName", a.subject, a.rule, a.rule_kind AS "ruleKind", a.amount, a.reason,
      a.school_id AS "schoolId", sc.name AS "schoolName", a.status, a.reviewed_by AS "reviewedById", u.display_name AS "reviewedByName",
      a.reviewed_at AS "reviewedAt", a.review_note AS "reviewNote"
    ${AWARD_FROM} WHERE a.exam_id = ${examId} AND ${where}
    ORDER BY sc.code NULLS LAST, a.level, a.unit_name, a.subject, a.rule
    ${pageSize > 0 ? sql`LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}` : sql``}`);
  return { total: sum?.n ?? 0, amounts: { computed: sum?.computed ?? 0, approved: sum?.approved ?? 0, rejected: sum?.rejected ?? 0 }, items };
}

/** Sets the review of the given award lines; returns the lines as they were (for the audit). */
export async function reviewAwards(tx: Queryable, examId: string, keys: { level: string; unitKey: string; subject: string; rule: string }[],
  status: string, userId: number, note: string | null) {
  return rows<{ level: string; unitKey: string; subject: string; rule: string; schoolId: number | null; amount: number; before: string }>(tx, sql`
    UPDATE exam_awards a SET status = ${status}, reviewed_by = ${userId}, reviewed_at = now(), review_note = ${note}
    FROM (SELECT * FROM unnest(${p(keys.map((k) => k.level))}::text[], ${p(keys.map((k) => k.unitKey))}::text[],
            ${p(keys.map((k) => k.subject))}::text[], ${p(keys.map((k) => k.rule))}::text[]) AS k(level, unit_key, subject, rule)) k,
         (SELECT level, unit_key, subject, rule, status FROM exam_awards WHERE exam_id = ${examId}) old
    WHERE a.exam_id = ${examId} AND a.level = k.level AND a.unit_key = k.unit_key AND a.subject = k.subject AND a.rule = k.rule
      AND old.level = a.level AND old.unit_key = a.unit_key AND old.subject = a.subject AND old.rule = a.rule
    RETURNING a.level, a.unit_key AS "unitKey", a.subject, a.rule, a.school_id AS "schoolId", a.amount, old.status AS before`);
}
