import { sql, type SQL } from 'drizzle-orm';
import { one, rows, type Queryable } from '../../db/client.js';
import type { TeacherListItem } from './teachers.schemas.js';

const COLS = sql`t.id, t.name, t.sex, t.school_id AS "schoolId", sc.name AS "schoolName", t.subjects, t.teaching_group AS "teachingGroup",
  t.years_of_service::int AS "yearsOfService", t.title, t.backbone_level AS "backboneLevel", t.position, t.is_leader AS "isLeader"`;

export async function listTeachers(q: Queryable, where: SQL, page: number, pageSize: number) {
  const [count] = await rows<{ n: number }>(q, sql`SELECT count(*)::int AS n FROM teachers t JOIN schools sc ON sc.id = t.school_id WHERE ${where}`);
  const items = await rows<TeacherListItem>(q, sql`SELECT ${COLS} FROM teachers t JOIN schools sc ON sc.id = t.school_id
    WHERE ${where} ORDER BY sc.code, t.is_leader DESC, t.name_pinyin, t.id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`);
  return { total: count?.n ?? 0, items };
}

export function getTeacher(q: Queryable, id: number, where: SQL) {
  return one<TeacherListItem & { phone: string | null; idNumberMasked: string | null; birthDate: string | null }>(q, sql`SELECT ${COLS},
      t.phone, t.id_number_masked AS "idNumberMasked", t.birth_date AS "birthDate"
    FROM teachers t JOIN schools sc ON sc.id = t.school_id WHERE t.id = ${id} AND ${where}`);
}

export function teacherClasses(q: Queryable, id: number, schoolYear: string) {
  return rows<{ classId: number; className: string; subject: string }>(q, sql`SELECT c.id AS "classId", c.name AS "className", ta.subject
    FROM teaching_assignments ta JOIN classes c ON c.id = ta.class_id
    WHERE ta.teacher_id = ${id} AND c.school_year = ${schoolYear} ORDER BY c.grade, c.class_no, ta.subject`);
}

export function teacherHeadOf(q: Queryable, id: number, schoolYear: string) {
  return rows<{ classId: number; className: string }>(q, sql`SELECT c.id AS "classId", c.name AS "className"
    FROM classes c WHERE c.head_teacher_id = ${id} AND c.school_year = ${schoolYear} ORDER BY c.grade, c.class_no`);
}
