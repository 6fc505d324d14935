import { sql, type SQL } from 'drizzle-orm';
import { one, rows, type Queryable } from '../../db/client.js';
import type { SchoolDetail, SchoolListItem } from './schools.schemas.js';

const COUNTS = (schoolYear: string) => sql`
  (SELECT count(*)::int FROM classes c WHERE c.school_id = sc.id AND c.school_year = ${schoolYear}) AS "classCount",
  (SELECT count(*)::int FROM teachers t WHERE t.school_id = sc.id AND t.active) AS "teacherCount",
  (SELECT count(*)::int FROM students st WHERE st.school_id = sc.id AND st.status = '在读') AS "studentCount"`;

const COLS = sql`sc.id, sc.code, sc.name, sc.kind, sc.location_type AS "locationType", sc.flags, sc.town`;

/** A school's identity by its 学校标识码 (imports, the CLI). */
export async function schoolByCode(q: Queryable, code: string): Promise<SchoolRef | undefined> {
  return one(q, sql`SELECT id, code, name FROM schools WHERE code = ${code}`);
}

export async function schoolById(q: Queryable, id: number): Promise<SchoolRef | undefined> {
  return one(q, sql`SELECT id, code, name FROM schools WHERE id = ${id}`);
}

export interface SchoolRef {
  id: number;
  code: string;
  name: string;
}

export async function listSchools(q: Queryable, where: SQL, schoolYear: string, page: number, pageSize: number) {
  const [count] = await rows<{ n: number }>(q, sql`SELECT count(*)::int AS n FROM schools sc WHERE ${where}`);
  const items = await rows<SchoolListItem>(q, sql`SELECT ${COLS}, ${COUNTS(schoolYear)} FROM schools sc WHERE ${where}
    ORDER BY sc.code LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`);
  return { total: count?.n ?? 0, items };
}

export function getSchool(q: Queryable, id: number, where: SQL, schoolYear: string) {
  return one<Omit<SchoolDetail, 'classes' | 'schoolYear'>>(q, sql`SELECT ${COLS}, sc.address, sc.phone, ${COUNTS(schoolYear)}
    FROM schools sc WHERE sc.id = ${id} AND ${where}`);
}

export function schoolClasses(q: Queryable, schoolId: number, schoolYear: string) {
  return rows<{ id: number; grade: number; classNo: number; name: string; headTeacherId: number | null; headTeacherName: string | null; studentCount: number }>(
    q,
    sql`SELECT c.id, c.grade::int AS grade, c.class_no::int AS "classNo", c.name, t.id AS "headTeacherId", t.name AS "headTeacherName",
        (SELECT count(*)::int FROM enrollments e WHERE e.class_id = c.id) AS "studentCount"
      FROM classes c LEFT JOIN teachers t ON t.id = c.head_teacher_id
      WHERE c.school_id = ${schoolId} AND c.school_year = ${schoolYear} ORDER BY c.grade, c.class_no`,
  );
}

export async function dashboardCounts(q: Queryable, s: { schools: SQL; classes: SQL; teachers: SQL; students: SQL }, schoolYear: string) {
  const [totals] = await rows<{ schools: number; classes: number; teachers: number; students: number }>(q, sql`SELECT
    (SELECT count(*)::int FROM schools sc WHERE ${s.schools}) AS schools,
    (SELECT count(*)::int FROM classes c WHERE c.school_year = ${schoolYear} AND ${s.classes}) AS classes,
    (SELECT count(*)::int FROM teachers t WHERE t.active AND ${s.teachers}) AS teachers,
    (SELECT count(*)::int FROM students st WHERE st.status = '在读' AND ${s.students}) AS students`);
  const flags = await rows<{ flag: string; n: number }>(q, sql`SELECT f.flag, count(*)::int AS n
    FROM family_flags f JOIN students st ON st.id = f.student_id WHERE st.status = '在读' AND ${s.students} GROUP BY f.flag`);
  const byLocation = await rows<{ loc: string; n: number }>(q, sql`SELECT sc.location_type AS loc, count(*)::int AS n FROM schools sc WHERE ${s.schools} GROUP BY 1`);
  const byGrade = await rows<{ grade: number; n: number }>(q, sql`SELECT c.grade::int AS grade, count(*)::int AS n
    FROM students st JOIN enrollments e ON e.student_id = st.id AND e.school_year = ${schoolYear} JOIN classes c ON c.id = e.class_id
    WHERE st.status = '在读' AND ${s.students} GROUP BY 1 ORDER BY 1`);
  return { totals: totals!, flags, byLocation, byGrade };
}
