// SQL of the support outcomes (trajectory, progress awards, comparison, mix). Scope conditions come
// in from the service (compileScope). Scores themselves are read with the exams module's packed
// reader (loadPackedScores); this file adds what outcomes need around them.
import { sql, type SQL } from 'drizzle-orm';
import { one, rows, type Queryable } from '../../../db/client.js';
import type { ExamSubjectSpec } from '../../../db/schema.js';

const p = (v: unknown) => sql.param(v);

export interface OutcomeExamRow {
  id: string;
  name: string;
  kind: string;
  scope: string;
  schoolId: number | null;
  schoolYear: string;
  term: number;
  grade: number;
  examDate: string | null;
  subjects: ExamSubjectSpec[];
  missingCount: number;
  /** changes whenever the exam is re-imported or re-analysed: the cache key */
  stamp: string;
}

const EXAM_COLS = sql`e.id, e.name, e.kind, e.scope, e.school_id AS "schoolId", e.school_year AS "schoolYear", e.term::int AS term,
  e.grade::int AS grade, e.exam_date::text AS "examDate", e.subjects, e.missing_count AS "missingCount",
  coalesce(e.analysed_at::text, '') || '|' || e.updated_at::text AS stamp`;
const EXAM_ORDER = sql`e.school_year, e.term, coalesce(e.exam_date, DATE '0001-01-01'), e.created_at`;

/** The analysed county exams of an entry cohort (school-year start − grade), oldest first. */
export function cohortExams(q: Queryable, cohort: number): Promise<OutcomeExamRow[]> {
  return rows<OutcomeExamRow>(q, sql`SELECT ${EXAM_COLS} FROM exams e
    WHERE e.status = 'analysed' AND e.scope = 'county' AND substr(e.school_year, 1, 4)::int - e.grade = ${cohort}
    ORDER BY ${EXAM_ORDER}`);
}

/** The analysed county exams held in a school year, oldest first. */
export function examsOfYear(q: Queryable, schoolYear: string): Promise<OutcomeExamRow[]> {
  return rows<OutcomeExamRow>(q, sql`SELECT ${EXAM_COLS} FROM exams e
    WHERE e.status = 'analysed' AND e.scope = 'county' AND e.school_year = ${schoolYear} ORDER BY ${EXAM_ORDER}`);
}

/** One analysed exam within the caller's condition on `exams e`. */
export function analysedExam(q: Queryable, examId: string, scopeCond: SQL): Promise<OutcomeExamRow | undefined> {
  return one<OutcomeExamRow>(q, sql`SELECT ${EXAM_COLS} FROM exams e WHERE e.id = ${examId} AND e.status = 'analysed' AND ${scopeCond}`);
}

export function examById(q: Queryable, examId: string): Promise<OutcomeExamRow | undefined> {
  return one<OutcomeExamRow>(q, sql`SELECT ${EXAM_COLS} FROM exams e WHERE e.id = ${examId}`);
}

/** The school of each registered student's row in an exam, packed (two aligned columns of one query). */
export function studentSchools(q: Queryable, examId: string) {
  return one<{ n: number; studentIds: string | null; schoolIds: string | null }>(q, sql`
    SELECT count(*)::int AS n, string_agg(student_id::text, ',') AS "studentIds", string_agg(coalesce(school_id::text, ''), ',') AS "schoolIds"
    FROM exam_scores WHERE exam_id = ${examId} AND student_id IS NOT NULL`);
}

/** A case the caller sees (scope on `x`), with its student and the grade of its class. */
export function visibleCase(q: Queryable, id: number, scopeCond: SQL) {
  return one<{ id: number; studentId: number; studentName: string; schoolYear: string; grade: number | null }>(q, sql`
    SELECT x.id, x.student_id AS "studentId", st.name AS "studentName", x.school_year AS "schoolYear",
      coalesce(c.grade, (SELECT c2.grade FROM enrollments en JOIN classes c2 ON c2.id = en.class_id
        WHERE en.student_id = x.student_id AND en.school_year = x.school_year))::int AS grade
    FROM support_cases x JOIN students st ON st.id = x.student_id LEFT JOIN classes c ON c.id = x.class_id
    WHERE x.id = ${id} AND ${scopeCond}`);
}

/** The cohorts (school-year start − grade) of the exams a student sat, newest exam first. */
export function cohortsSat(q: Queryable, studentId: number) {
  return rows<{ cohort: number }>(q, sql`SELECT substr(e.school_year, 1, 4)::int - e.grade AS cohort
    FROM exam_scores s JOIN exams e ON e.id = s.exam_id
    WHERE s.student_id = ${studentId} AND e.status = 'analysed' AND e.scope = 'county'
    ORDER BY e.school_year DESC, e.term DESC LIMIT 1`);
}

/**
 * The cases of a school year, one row per student: whether one is a confirmed 学困 case (learning,
 * status past identified) and the exams its learning category came from.
 */
export function casesOfYear(q: Queryable, schoolYear: string) {
  return rows<{ studentId: number; supported: boolean; sourceExamIds: string[] | null }>(q, sql`
    SELECT x.student_id AS "studentId",
      ('learning' = ANY(x.categories) AND x.status <> 'identified') AS supported,
      (SELECT array_agg(DISTINCT s->>'examId') FROM jsonb_array_elements(x.sources) s
        WHERE s->>'category' = 'learning' AND s->>'examId' IS NOT NULL) AS "sourceExamIds"
    FROM support_cases x WHERE x.school_year = ${schoolYear}`);
}

/** Of the given students, those in the caller's students scope (alias `s`). */
export async function studentsInScope(q: Queryable, ids: number[], scopeCond: SQL): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const r = await rows<{ id: number }>(q, sql`SELECT s.id FROM students s WHERE s.id = ANY(${p(ids)}::int[]) AND ${scopeCond}`);
  return new Set(r.map((x) => x.id));
}

export function studentNames(q: Queryable, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return rows<{ id: number; name: string }>(q, sql`SELECT id, name FROM students WHERE id = ANY(${p(ids)}::int[])`);
}

export function classNames(q: Queryable, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return rows<{ id: number; name: string }>(q, sql`SELECT id, name FROM classes WHERE id = ANY(${p(ids)}::int[])`);
}

export function schoolsList(q: Queryable, scopeCond: SQL) {
  return rows<{ id: number; code: string; name: string }>(q, sql`SELECT s.id, s.code, s.name FROM schools s WHERE ${scopeCond} ORDER BY s.code`);
}

// ───────────── the mix (records of the teacher–student programme) ─────────────

/**
 * Helper-side records of the 师生结对 programme in [from, to] (not returned ones: they do not count
 * until resubmitted), grouped by pairing, school (the pairing's), type and — for records of
 * `dimType` — the values of the dimension fields `keys` (NULL where the caller may not read the
 * record's fields: `readable`, on `a`), with the first and last day of each group; `byDay` adds the
 * day (for the few pairings whose helper changed). Plain grouping, no join on the participants: with
 * the helper looked up per record, or joined, the planner went quadratic on a freshly loaded demo
 * county without statistics (30–100 s); the service attributes the groups to teachers.
 */
export function recordGroups(q: Queryable, o: { from: string; to: string; where: SQL; readable: SQL; dimType: string; keys: string[]; byDay?: number[] }) {
  const values = o.keys.length
    ? sql`CASE WHEN a.type = ${o.dimType} AND (${o.readable}) THEN ARRAY[${sql.join(o.keys.map((k) => sql`a.fields->>${k}`), sql`, `)}] END`
    : sql`NULL::text[]`;
  const day = o.byDay ? sql`, a.date::text` : sql``;
  return rows<{ pairingId: number; schoolId: number | null; type: string; values: (string | null)[] | null; n: number; first: string; last: string }>(q, sql`
    SELECT a.pairing_id AS "pairingId", pg.school_id AS "schoolId", a.type, ${values} AS values, count(*)::int AS n,
      min(a.date)::text AS "first", max(a.date)::text AS "last"
    FROM activities a JOIN pairings pg ON pg.id = a.pairing_id JOIN programmes pr ON pr.id = pg.programme_id AND pr.key = 'teacher_student'
    WHERE a.date BETWEEN ${o.from} AND ${o.to} AND a.status <> 'returned' AND a.role = 'helper' AND ${o.where}
      ${o.byDay ? sql`AND a.pairing_id = ANY(${p(o.byDay)}::int[])` : sql``}
    GROUP BY 1, 2, 3, 4${day}`);
}

/** The helper-side teachers of pairings, with their days. */
export function helperRows(q: Queryable, pairingIds: number[]) {
  if (pairingIds.length === 0) return Promise.resolve([]);
  return rows<{ id: number; pairingId: number; teacherId: number; from: string; to: string | null }>(q, sql`
    SELECT id, pairing_id AS "pairingId", person_id AS "teacherId", from_date::text AS "from", to_date::text AS "to"
    FROM pairing_participants WHERE pairing_id = ANY(${p(pairingIds)}::int[]) AND side = 'helper' AND person_kind = 'teacher'`);
}

/** The caller's records (scope on `a`), of one school (the pairing's) when given. */
export function recordsWhere(scopeCond: SQL, schoolId?: number): SQL {
  return schoolId ? sql`pg.school_id = ${schoolId} AND ${scopeCond}` : scopeCond;
}

/** The students each teacher helped in a 师生结对 pairing overlapping [from, to]. */
export function helpedStudents(q: Queryable, from: string, to: string, teacherIds: number[]) {
  if (teacherIds.length === 0) return Promise.resolve([]);
  return rows<{ teacherId: number; studentId: number }>(q, sql`
    SELECT DISTINCT ph.person_id AS "teacherId", ps.person_id AS "studentId"
    FROM pairings pg JOIN programmes pr ON pr.id = pg.programme_id AND pr.key = 'teacher_student'
      JOIN pairing_participants ph ON ph.pairing_id = pg.id AND ph.side = 'helper' AND ph.person_kind = 'teacher'
      JOIN pairing_participants ps ON ps.pairing_id = pg.id AND ps.side = 'helped' AND ps.person_kind = 'student'
    WHERE ph.person_id = ANY(${p(teacherIds)}::int[]) AND ph.from_date <= ${to} AND (ph.to_date IS NULL OR ph.to_date >= ${from})
      AND ps.from_date <= ${to} AND (ps.to_date IS NULL OR ps.to_date >= ${from}) AND pg.status <> 'cancelled'`);
}

export function teacherNames(q: Queryable, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return rows<{ id: number; name: string; schoolId: number }>(q, sql`SELECT id, name, school_id AS "schoolId" FROM teachers WHERE id = ANY(${p(ids)}::int[])`);
}
