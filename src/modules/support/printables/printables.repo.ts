// SQL of the printables: the facts of a batch of students, cases and teachers. Scope conditions
// come in from the service (compileScope); ID numbers leave only in their stored masked form.
import { sql, type SQL } from 'drizzle-orm';
import { one, rows, type Queryable } from '../../../db/client.js';

const p = (v: unknown) => sql.param(v);

export interface StudentRow {
  id: number;
  name: string;
  sex: string | null;
  birthDate: string | null;
  studentNoMasked: string | null;
  idNumberMasked: string | null;
  address: string | null;
  guardians: { name: string; relation?: string | null; phone?: string | null }[] | null;
}

/** The printed facts of students (masked numbers only; never the sealed columns). */
export function studentsByIds(q: Queryable, ids: number[]): Promise<StudentRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return rows<StudentRow>(q, sql`SELECT st.id, st.name, st.sex, st.birth_date::text AS "birthDate", st.student_no_masked AS "studentNoMasked",
      st.id_number_masked AS "idNumberMasked", st.address, st.guardians
    FROM students st WHERE st.id = ANY(${p(ids)}::int[])`);
}

export function familyFlagsOf(q: Queryable, studentIds: number[]) {
  if (studentIds.length === 0) return Promise.resolve([]);
  return rows<{ studentId: number; flag: string }>(q, sql`SELECT student_id AS "studentId", flag FROM family_flags
    WHERE student_id = ANY(${p(studentIds)}::int[]) ORDER BY student_id, flag`);
}

export interface TeacherRow {
  id: number;
  name: string;
  phone: string | null;
  subjects: string[];
  position: string | null;
  schoolId: number;
  schoolName: string;
}

const TEACHER_COLS = sql`t.id, t.name, t.phone, t.subjects, t.position, t.school_id AS "schoolId", sc.name AS "schoolName"`;

export function teacherInScope(q: Queryable, id: number, scopeCond: SQL) {
  return one<TeacherRow>(q, sql`SELECT ${TEACHER_COLS} FROM teachers t JOIN schools sc ON sc.id = t.school_id WHERE t.id = ${id} AND ${scopeCond}`);
}

export function teachersByIds(q: Queryable, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return rows<TeacherRow>(q, sql`SELECT ${TEACHER_COLS} FROM teachers t JOIN schools sc ON sc.id = t.school_id WHERE t.id = ANY(${p(ids)}::int[])`);
}

export function historyOfCases(q: Queryable, caseIds: number[]) {
  if (caseIds.length === 0) return Promise.resolve([]);
  return rows<{ caseId: number; event: string; from: string | null; to: string; categories: string[]; reason: string | null; note: string | null; semester: string | null; actorName: string; at: string }>(q, sql`
    SELECT case_id AS "caseId", event, from_status AS "from", to_status AS "to", categories, reason, note, semester, actor_name AS "actorName", at::text AS at
    FROM support_case_history WHERE case_id = ANY(${p(caseIds)}::int[]) ORDER BY case_id, id`);
}

/** The ids of a school year's cases (within `scopeCond`, alias x) of the students `teacherId` helped in a 师生结对 pairing that year. */
export function handbookCaseIds(q: Queryable, teacherId: number, schoolYear: string, yearStart: string, yearEnd: string, scopeCond: SQL) {
  return rows<{ id: number }>(q, sql`SELECT x.id FROM support_cases x JOIN students st ON st.id = x.student_id LEFT JOIN classes c ON c.id = x.class_id
    WHERE x.school_year = ${schoolYear} AND ${scopeCond} AND EXISTS (
      SELECT 1 FROM pairings pg JOIN programmes pr ON pr.id = pg.programme_id AND pr.key = 'teacher_student'
        JOIN pairing_participants ph ON ph.pairing_id = pg.id AND ph.side = 'helper' AND ph.person_kind = 'teacher' AND ph.person_id = ${teacherId}
        JOIN pairing_participants ps ON ps.pairing_id = pg.id AND ps.side = 'helped' AND ps.person_kind = 'student' AND ps.person_id = x.student_id
      WHERE pg.status <> 'cancelled' AND pg.start_date <= ${yearEnd} AND (pg.end_date IS NULL OR pg.end_date >= ${yearStart})
        AND ph.from_date <= ${yearEnd} AND (ph.to_date IS NULL OR ph.to_date >= ${yearStart}))
    ORDER BY c.grade NULLS LAST, c.class_no NULLS LAST, st.name_pinyin, x.id`);
}

/**
 * The 师生结对 and 一帮一 pairings that help one of `studentIds` (with `helperTeacherId`, only those
 * where that teacher is a helper), and which student each helps.
 */
export function pairingsHelping(q: Queryable, studentIds: number[], helperTeacherId?: number) {
  if (studentIds.length === 0) return Promise.resolve([]);
  return rows<{ pairingId: number; studentId: number }>(q, sql`SELECT DISTINCT ps.pairing_id AS "pairingId", ps.person_id AS "studentId"
    FROM pairing_participants ps JOIN pairings pg ON pg.id = ps.pairing_id JOIN programmes pr ON pr.id = pg.programme_id AND pr.key IN ('teacher_student', 'peer')
    WHERE ps.side = 'helped' AND ps.person_kind = 'student' AND ps.person_id = ANY(${p(studentIds)}::int[])
      ${helperTeacherId != null ? sql`AND EXISTS (SELECT 1 FROM pairing_participants ph WHERE ph.pairing_id = ps.pairing_id AND ph.side = 'helper'
        AND ph.person_kind = 'teacher' AND ph.person_id = ${helperTeacherId})` : sql``}`);
}

/** Records to print: activities of `pairingIds` dated within [from, to], inside the caller's record scope (`scopeCond`, alias a). */
export function recordsWhere(pairingIds: number[], from: string, to: string, scopeCond: SQL): SQL {
  return sql.join([sql`a.pairing_id = ANY(${p(pairingIds)}::int[])`, sql`a.date BETWEEN ${from} AND ${to}`, scopeCond], sql` AND `);
}

/** The teachers who helped each student in a 师生结对 pairing (not cancelled) overlapping [from, to], earliest first. */
export function helpersOfStudents(q: Queryable, studentIds: number[], from: string, to: string) {
  if (studentIds.length === 0) return Promise.resolve([]);
  return rows<{ studentId: number; teacherId: number; since: string }>(q, sql`SELECT ps.person_id AS "studentId", ph.person_id AS "teacherId", min(ph.from_date)::text AS since
    FROM pairings pg JOIN programmes pr ON pr.id = pg.programme_id AND pr.key = 'teacher_student'
      JOIN pairing_participants ph ON ph.pairing_id = pg.id AND ph.side = 'helper' AND ph.person_kind = 'teacher'
      JOIN pairing_participants ps ON ps.pairing_id = pg.id AND ps.side = 'helped' AND ps.person_kind = 'student'
    WHERE ps.person_id = ANY(${p(studentIds)}::int[]) AND pg.status <> 'cancelled' AND pg.start_date <= ${to} AND (pg.end_date IS NULL OR pg.end_date >= ${from})
      AND ph.from_date <= ${to} AND (ph.to_date IS NULL OR ph.to_date >= ${from})
    GROUP BY ps.person_id, ph.person_id ORDER BY 3, 2`);
}

export interface PrintRecordRow {
  id: number;
  pairingId: number;
  programmeKey: string;
  type: string;
  date: string;
  confidential: boolean;
  /** NULL where `readable` is false */
  content: string | null;
  fields: Record<string, unknown> | null;
  status: 'submitted' | 'accepted' | 'returned';
  recordedByName: string;
}

/** The records to print, oldest first: only the columns a printout needs (no attachments, no check history). */
export function printRecords(q: Queryable, where: SQL, readable: SQL) {
  return rows<PrintRecordRow>(q, sql`SELECT a.id, a.pairing_id AS "pairingId", pr.key AS "programmeKey", a.type, a.date::text AS date, a.confidential,
      CASE WHEN ${readable} THEN a.content END AS content, CASE WHEN ${readable} THEN a.fields END AS fields, a.status, a.recorded_by_name AS "recordedByName"
    FROM activities a JOIN pairings pg ON pg.id = a.pairing_id JOIN programmes pr ON pr.id = pg.programme_id
    WHERE ${where} ORDER BY a.date, a.id`);
}
