// SQL of exams: create, find, list, delete, and the unmatched score rows.
import { sql, type SQL } from 'drizzle-orm';
import { one, rows, type Queryable } from '../../db/client.js';
import type { ExamSubjectSpec } from '../../db/schema.js';

export interface ExamRow {
  id: string;
  name: string;
  schoolYear: string;
  term: number;
  kind: string;
  scope: string;
  schoolId: number | null;
  schoolName: string | null;
  pairingId: number | null;
  pairingName: string | null;
  pairingSchoolIds: number[];
  grade: number;
  examDate: string | null;
  subjects: ExamSubjectSpec[];
  status: string;
  rowCount: number;
  matchedCount: number;
  unmatchedCount: number;
  rejectedCount: number;
  missingCount: number;
  importJobId: string | null;
  analysedAt: Date | string | null;
  createdBy: number | null;
  createdAt: Date | string;
  updatedAt: Date | string;
}

/** The schools of a pairing (its participants of kind 'school'), as an int[] expression; '{}' for no pairing. */
const pairingSchoolIds = (pairingId: SQL) => sql`(SELECT coalesce(array_agg(DISTINCT pp.person_id ORDER BY pp.person_id), '{}') FROM pairing_participants pp
  WHERE pp.pairing_id = ${pairingId} AND pp.person_kind = 'school')`;

const COLUMNS = sql`e.id, e.name, e.school_year AS "schoolYear", e.term, e.kind, e.scope, e.school_id AS "schoolId", sc.name AS "schoolName",
  e.pairing_id AS "pairingId",
  CASE WHEN e.pairing_id IS NULL THEN NULL ELSE (SELECT string_agg(ps.name, '、' ORDER BY pp.side DESC, ps.name) FROM pairing_participants pp
    JOIN schools ps ON ps.id = pp.person_id WHERE pp.pairing_id = e.pairing_id AND pp.person_kind = 'school') END AS "pairingName",
  ${pairingSchoolIds(sql`e.pairing_id`)} AS "pairingSchoolIds",
  e.grade, e.exam_date AS "examDate", e.subjects, e.status, e.row_count AS "rowCount", e.matched_count AS "matchedCount",
  e.unmatched_count AS "unmatchedCount", e.rejected_count AS "rejectedCount", e.missing_count AS "missingCount",
  e.import_job_id AS "importJobId", e.analysed_at AS "analysedAt", e.created_by AS "createdBy", e.created_at AS "createdAt", e.updated_at AS "updatedAt"`;

export async function insertExam(q: Queryable, e: {
  id: string; name: string; schoolYear: string; term: number; kind: string; scope: string; schoolId: number | null; pairingId: number | null;
  grade: number; examDate: string | null; subjects: ExamSubjectSpec[]; createdBy: number | null;
}): Promise<void> {
  await q.execute(sql`
    INSERT INTO exams (id, name, school_year, term, kind, scope, school_id, pairing_id, grade, exam_date, subjects, created_by)
    VALUES (${e.id}, ${e.name}, ${e.schoolYear}, ${e.term}, ${e.kind}, ${e.scope}, ${e.schoolId}, ${e.pairingId}, ${e.grade}, ${e.examDate},
            ${JSON.stringify(e.subjects)}::jsonb, ${e.createdBy})`);
}

/** The exam if `visible` (a condition on `e`) allows it. `lock`: FOR UPDATE of the exam row. */
export async function findExam(q: Queryable, id: string, visible: SQL, opts: { lock?: boolean } = {}): Promise<ExamRow | undefined> {
  return one<ExamRow>(q, sql`SELECT ${COLUMNS} FROM exams e LEFT JOIN schools sc ON sc.id = e.school_id
    WHERE e.id = ${id} AND ${visible}${opts.lock ? sql` FOR UPDATE OF e` : sql``}`);
}

/** An exam with the same name, school year, term, grade and scope (and school). */
export async function findSameExam(q: Queryable, k: { name: string; schoolYear: string; term: number; grade: number; scope: string; schoolId: number | null; pairingId?: number | null }): Promise<string | undefined> {
  const r = await one<{ id: string }>(q, sql`SELECT id FROM exams
    WHERE name = ${k.name} AND school_year = ${k.schoolYear} AND term = ${k.term} AND grade = ${k.grade} AND scope = ${k.scope}
      AND school_id IS NOT DISTINCT FROM ${k.schoolId}::int AND pairing_id IS NOT DISTINCT FROM ${k.pairingId ?? null}::int
    ORDER BY created_at LIMIT 1`);
  return r?.id;
}

export async function listExams(q: Queryable, where: SQL, page: number, pageSize: number): Promise<{ total: number; items: ExamRow[] }> {
  const [count] = await rows<{ n: number }>(q, sql`SELECT count(*)::int AS n FROM exams e WHERE ${where}`);
  const items = await rows<ExamRow>(q, sql`SELECT ${COLUMNS} FROM exams e LEFT JOIN schools sc ON sc.id = e.school_id
    WHERE ${where} ORDER BY e.school_year DESC, e.term DESC, e.exam_date DESC NULLS LAST, e.created_at DESC, e.id
    LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`);
  return { total: count?.n ?? 0, items };
}

/** Deletes the exam; its scores, analysis, candidates and awards go with it (ON DELETE CASCADE). */
export async function deleteExam(q: Queryable, id: string): Promise<void> {
  await q.execute(sql`DELETE FROM exams WHERE id = ${id}`);
}


export interface UnmatchedDbRow {
  rowNo: number;
  name: string;
  identityMasked: string | null;
  schoolCode: string;
  schoolName: string | null;
  classLabel: string | null;
  scores: (number | null)[];
}

/** Rows of the exam that matched no registered student, in row order; `where` is a condition on `s` (exam_scores). */
export async function unmatchedRows(q: Queryable, examId: string, where: SQL, page: number, pageSize: number): Promise<{ total: number; items: UnmatchedDbRow[] }> {
  const cond = sql`s.exam_id = ${examId} AND s.student_id IS NULL AND ${where}`;
  const [count] = await rows<{ n: number }>(q, sql`SELECT count(*)::int AS n FROM exam_scores s WHERE ${cond}`);
  const items = await rows<UnmatchedDbRow>(q, sql`
    SELECT s.row_no AS "rowNo", s.name, s.identity_masked AS "identityMasked", s.school_code AS "schoolCode", sc.name AS "schoolName",
           s.class_label AS "classLabel", s.scores
    FROM exam_scores s LEFT JOIN schools sc ON sc.id = s.school_id
    WHERE ${cond} ORDER BY s.row_no LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`);
  return { total: count?.n ?? 0, items };
}

export interface ScoreVersionRow {
  versionId: number | null;
  importJobId: string | null;
  fileName: string | null;
  importedAt: Date | string | null;
  importedBy: string | null;
  rows: number;
  subjects: ExamSubjectSpec[];
  replacedAt: Date | string | null;
}

/** The exam's sets of scores: the current one first, then those replaced, newest first. */
export async function scoreVersions(q: Queryable, examId: string): Promise<ScoreVersionRow[]> {
  return rows<ScoreVersionRow>(q, sql`
    SELECT NULL::int AS "versionId", e.import_job_id AS "importJobId", j.file_name AS "fileName", j.finished_at AS "importedAt",
           j.actor_name AS "importedBy", e.row_count AS rows, e.subjects, NULL::timestamptz AS "replacedAt", 0 AS ord, now() AS at_
    FROM exams e LEFT JOIN import_jobs j ON j.id = e.import_job_id
    WHERE e.id = ${examId} AND e.status <> 'created'
    UNION ALL
    SELECT v.id, v.import_job_id, j.file_name, j.finished_at, j.actor_name, v.row_count, v.subjects, v.replaced_at, 1, v.replaced_at
    FROM exam_score_versions v LEFT JOIN import_jobs j ON j.id = v.import_job_id
    WHERE v.exam_id = ${examId}
    ORDER BY ord, at_ DESC, "versionId" DESC`);
}

export interface StudentScoreRow {
  versionId: number | null;
  rowNo: number;
  name: string;
  scores: (number | string | null)[];
}

/** The student's rows of the exam, current and replaced; `where` is a condition on `s` (exam_scores or exam_score_history columns). */
export async function studentScoreRows(q: Queryable, examId: string, studentId: number, where: SQL): Promise<StudentScoreRow[]> {
  return rows<StudentScoreRow>(q, sql`
    SELECT NULL::int AS "versionId", s.row_no AS "rowNo", s.name, s.scores FROM exam_scores s
    WHERE s.exam_id = ${examId} AND s.student_id = ${studentId} AND ${where}
    UNION ALL
    SELECT s.version_id, s.row_no, s.name, s.scores FROM exam_score_history s
    WHERE s.version_id IN (SELECT id FROM exam_score_versions WHERE exam_id = ${examId}) AND s.student_id = ${studentId} AND ${where}`);
}

export interface ExamPairing {
  id: number;
  status: string;
  /** the participating schools (participants of kind 'school') */
  schoolIds: number[];
}

/** A pairing a pairing exam can be for, with its schools; `visible` is the caller's pairing scope on `p`. */
export async function pairingForExam(q: Queryable, pairingId: number, visible: SQL): Promise<ExamPairing | undefined> {
  return one<ExamPairing>(q, sql`
    SELECT p.id, p.status, ${pairingSchoolIds(sql`p.id`)} AS "schoolIds"
    FROM pairings p WHERE p.id = ${pairingId} AND ${visible}`);
}
