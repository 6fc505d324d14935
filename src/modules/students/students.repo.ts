import { sql, type SQL } from 'drizzle-orm';
import { one, rows, type Queryable } from '../../db/client.js';
import type { StudentListItem } from './students.schemas.js';

/** Columns of a student list row; `e`/`c` are the current-year enrollment and class. */
const LIST_COLS = sql`st.id, st.name, st.sex, st.birth_date AS "birthDate", st.student_no_masked AS "studentNo",
  st.id_number_masked AS "idNumberMasked", st.school_id AS "schoolId", sc.name AS "schoolName", sc.code AS "schoolCode",
  c.grade::int AS grade, c.id AS "classId", c.name AS "className", st.status`;

const FROM = (schoolYear: string) => sql`FROM students st
  JOIN schools sc ON sc.id = st.school_id
  LEFT JOIN enrollments e ON e.student_id = st.id AND e.school_year = ${schoolYear}
  LEFT JOIN classes c ON c.id = e.class_id`;

export async function listStudents(q: Queryable, where: SQL, schoolYear: string, page: number, pageSize: number) {
  const [count] = await rows<{ n: number }>(q, sql`SELECT count(*)::int AS n ${FROM(schoolYear)} WHERE ${where}`);
  const items = await rows<StudentListItem>(q, sql`SELECT ${LIST_COLS} ${FROM(schoolYear)} WHERE ${where}
    ORDER BY sc.code, c.grade NULLS LAST, c.class_no NULLS LAST, st.name_pinyin, st.id
    LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`);
  return { total: count?.n ?? 0, items };
}

export function getStudent(q: Queryable, id: number, scopeCond: SQL, schoolYear: string) {
  return one<Record<string, unknown> & { id: number; schoolId: number }>(
    q,
    sql`SELECT ${LIST_COLS}, st.ethnicity, st.address, st.guardians, st.created_at AS "createdAt", st.updated_at AS "updatedAt"
      ${FROM(schoolYear)} WHERE st.id = ${id} AND ${scopeCond}`,
  );
}

export function studentEnrollments(q: Queryable, id: number) {
  return rows<{ schoolYear: string; schoolName: string; className: string; grade: number }>(
    q,
    sql`SELECT e.school_year AS "schoolYear", sc.name AS "schoolName", c.name AS "className", c.grade::int AS grade
      FROM enrollments e JOIN classes c ON c.id = e.class_id JOIN schools sc ON sc.id = e.school_id
      WHERE e.student_id = ${id} ORDER BY e.school_year DESC`,
  );
}

export function studentFamilyFlags(q: Queryable, id: number) {
  return rows<{ flag: string; source: string; recordedOn: string; note: string | null }>(
    q,
    sql`SELECT flag, source, recorded_on AS "recordedOn", note FROM family_flags WHERE student_id = ${id} ORDER BY flag`,
  );
}

export function studentSealedId(q: Queryable, id: number) {
  return one<{ enc: Buffer | null; studentNoEnc: Buffer | null }>(
    q,
    sql`SELECT id_number_enc AS enc, student_no_enc AS "studentNoEnc" FROM students WHERE id = ${id}`,
  );
}
