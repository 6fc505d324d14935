// A small, fully known county for integration tests: one bureau, two schools, three
// classes in the current school year, teachers with teaching assignments, students with
// valid sealed ID numbers and pinyin keys, and one login per role.
//
//   school A 城关第一小学 (3636000001)            school B 山口村小学 (3636000002)
//     A1 七年级(1)班  head: 李明 (head_teacher)      B1 七年级(1)班  head: 赵刚
//                    数学: 李明, 语文: 王芳              数学: 赵刚
//     A2 七年级(2)班  head: 陈静
//                    数学: 王芳 (teacher)
//     students: A1 ×3, A2 ×3                       students: B1 ×3
//
// Users (all with SEED_PASSWORD, no forced password change):
//   bureau_admin, bureau_staff, inspector           — no school (region scope)
//   principal, academic_office, counsellor (陈静)   — school A
//   head_teacher (李明: head of A1, teaches A1)     — school A
//   teacher (王芳: teaches A1 语文 and A2 数学)       — school A
//   principal_b                                    — school B
//
// So: the head_teacher sees A1; the teacher sees A1 and A2 (by assignment) but nothing
// of school B; school roles see school A; region roles see everything.
import { sql } from 'drizzle-orm';
import { one, rows, type Queryable } from '../../src/db/client.js';
import { nameKeys } from '../../src/lib/name-search.js';
import { hashPassword } from '../../src/modules/auth/password.js';
import type { Actor } from '../../src/modules/audit/audit.repo.js';
import { compileScope, type Scope } from '../../src/modules/scope/scope.js';
import type { AppContext } from '../../src/server/context.js';
import { makeIdNumber } from '../../src/shared/id-number.js';
import { className } from '../../src/shared/registry.js';
import type { Role } from '../../src/shared/roles.js';
import { schoolYearOf } from '../../src/shared/school-year.js';

/** The password of every seeded user. */
export const SEED_PASSWORD = 'Seed-pass-2026';
export const SEED_REGION = '360428';

export interface SeedSchool { id: number; code: string; name: string }
export interface SeedClass { id: number; schoolId: number; name: string; grade: number; classNo: number }
export interface SeedTeacher { id: number; schoolId: number; name: string }
export interface SeedStudent { id: number; schoolId: number; classId: number; name: string; idNumber: string; pinyin: string; initials: string }
export interface SeedUser { id: number; username: string; password: string; role: Role; schoolId: number | null; teacherId: number | null }

/** A seeded user as the services take their caller: the audit actor and the compiled scope. */
export function callerOf(u: SeedUser): { actor: Actor; scope: Scope } {
  const user = { id: u.id, username: u.username, displayName: u.username, role: u.role, schoolId: u.schoolId, teacherId: u.teacherId };
  return { actor: { userId: u.id, name: u.username }, scope: compileScope(user) };
}

export type SeedUserKey = Role | 'principal_b';

export interface Seed {
  schoolYear: string;
  bureauId: number;
  schools: { a: SeedSchool; b: SeedSchool };
  classes: { a1: SeedClass; a2: SeedClass; b1: SeedClass };
  teachers: { liMing: SeedTeacher; wangFang: SeedTeacher; chenJing: SeedTeacher; zhaoGang: SeedTeacher };
  students: SeedStudent[];
  /** the students of one class, in insertion order */
  studentsOf(c: SeedClass): SeedStudent[];
  users: Record<SeedUserKey, SeedUser>;
}

// scrypt is deliberately slow; every seeded user shares one hash
let passwordHash: Promise<string> | undefined;

async function insertId(q: Queryable, query: ReturnType<typeof sql>): Promise<number> {
  const r = await one<{ id: number }>(q, query);
  return r!.id;
}

/** Seeds the county into an empty database (one transaction). Returns every id and credential. */
export async function seedCounty(ctx: AppContext, now: Date = new Date()): Promise<Seed> {
  passwordHash ??= hashPassword(SEED_PASSWORD);
  const hash = await passwordHash;
  const schoolYear = schoolYearOf(now);
  return ctx.db.transaction(async (tx) => {
    const bureauId = await insertId(tx, sql`INSERT INTO bureau (name, region_code) VALUES ('测试县教育局', ${SEED_REGION}) RETURNING id`);

    const school = async (code: string, name: string, kind: string, location: string): Promise<SeedSchool> => {
      const k = nameKeys(name);
      const id = await insertId(tx, sql`INSERT INTO schools (code, name, name_pinyin, name_initials, kind, location_type)
        VALUES (${code}, ${name}, ${k.pinyin}, ${k.initials}, ${kind}, ${location}) RETURNING id`);
      return { id, code, name };
    };
    const a = await school('3636000001', '城关第一小学', '九年一贯制学校', '城区');
    const b = await school('3636000002', '山口村小学', '九年一贯制学校', '乡村');

    let staffSeq = 0;
    const teacher = async (s: SeedSchool, name: string, sex: '1' | '2', subjects: string[]): Promise<SeedTeacher> => {
      const k = nameKeys(name);
      staffSeq++;
      const sealed = ctx.sealer.sealAll(makeIdNumber(SEED_REGION, `198${staffSeq % 10}-03-1${staffSeq % 10}`, 500 + staffSeq, sex));
      const id = await insertId(tx, sql`INSERT INTO teachers (school_id, staff_no, name, name_pinyin, name_initials, sex, id_number_hash, id_number_enc, id_number_masked, subjects)
        VALUES (${s.id}, ${'T' + String(staffSeq).padStart(4, '0')}, ${name}, ${k.pinyin}, ${k.initials}, ${sex},
                ${sealed.hash}, ${sealed.enc}, ${sealed.masked}, ${`{${subjects.join(',')}}`}::text[]) RETURNING id`);
      return { id, schoolId: s.id, name };
    };
    const liMing = await teacher(a, '李明', '1', ['数学']);
    const wangFang = await teacher(a, '王芳', '2', ['语文', '数学']);
    const chenJing = await teacher(a, '陈静', '2', ['心理健康']);
    const zhaoGang = await teacher(b, '赵刚', '1', ['数学']);

    const klass = async (s: SeedSchool, grade: number, classNo: number, head: SeedTeacher): Promise<SeedClass> => {
      const name = className(grade, classNo);
      const id = await insertId(tx, sql`INSERT INTO classes (school_id, school_year, grade, class_no, name, head_teacher_id)
        VALUES (${s.id}, ${schoolYear}, ${grade}, ${classNo}, ${name}, ${head.id}) RETURNING id`);
      return { id, schoolId: s.id, name, grade, classNo };
    };
    const a1 = await klass(a, 7, 1, liMing);
    const a2 = await klass(a, 7, 2, chenJing);
    const b1 = await klass(b, 7, 1, zhaoGang);

    const assign = (t: SeedTeacher, c: SeedClass, subject: string) =>
      tx.execute(sql`INSERT INTO teaching_assignments (teacher_id, class_id, subject) VALUES (${t.id}, ${c.id}, ${subject})`);
    await assign(liMing, a1, '数学');
    await assign(wangFang, a1, '语文');
    await assign(wangFang, a2, '数学');
    await assign(zhaoGang, b1, '数学');

    const students: SeedStudent[] = [];
    let seq = 0;
    const student = async (c: SeedClass, name: string, sex: '1' | '2') => {
      seq++;
      const birth = `2013-0${1 + (seq % 9)}-1${seq % 10}`;
      const idNumber = makeIdNumber(SEED_REGION, birth, seq * 2, sex);
      const sealed = ctx.sealer.sealAll(idNumber);
      const sealedNo = ctx.sealer.sealStudentNo('G' + idNumber);
      const k = nameKeys(name);
      const id = await insertId(tx, sql`INSERT INTO students (school_id, student_no_hash, student_no_enc, student_no_masked, id_number_hash, id_number_enc, id_number_masked,
          name, name_pinyin, name_initials, sex, birth_date, ethnicity)
        VALUES (${c.schoolId}, ${sealedNo.hash}, ${sealedNo.enc}, ${sealedNo.masked}, ${sealed.hash}, ${sealed.enc}, ${sealed.masked}, ${name}, ${k.pinyin}, ${k.initials}, ${sex}, ${birth}, '01') RETURNING id`);
      await tx.execute(sql`INSERT INTO enrollments (student_id, school_year, class_id, school_id) VALUES (${id}, ${schoolYear}, ${c.id}, ${c.schoolId})`);
      students.push({ id, schoolId: c.schoolId, classId: c.id, name, idNumber, pinyin: k.pinyin, initials: k.initials });
    };
    await student(a1, '张伟', '1');
    await student(a1, '刘洋', '1');
    await student(a1, '曾小红', '2');
    await student(a2, '黄磊', '1');
    await student(a2, '周敏', '2');
    await student(a2, '吴婷', '2');
    await student(b1, '孙浩', '1');
    await student(b1, '马丽', '2');
    await student(b1, '朱强', '1');

    const user = async (key: SeedUserKey, role: Role, displayName: string, schoolId: number | null, teacherId: number | null): Promise<SeedUser> => {
      const username = key.replace(/_/g, '.');
      const id = await insertId(tx, sql`INSERT INTO users (username, display_name, password_hash, role, school_id, teacher_id, must_change_password)
        VALUES (${username}, ${displayName}, ${hash}, ${role}, ${schoolId}, ${teacherId}, false) RETURNING id`);
      return { id, username, password: SEED_PASSWORD, role, schoolId, teacherId };
    };
    const users: Record<SeedUserKey, SeedUser> = {
      bureau_admin: await user('bureau_admin', 'bureau_admin', '局管理员', null, null),
      bureau_staff: await user('bureau_staff', 'bureau_staff', '局工作人员', null, null),
      inspector: await user('inspector', 'inspector', '督导员', null, null),
      principal: await user('principal', 'principal', '城关一小校长', a.id, null),
      academic_office: await user('academic_office', 'academic_office', '城关一小教导处', a.id, null),
      head_teacher: await user('head_teacher', 'head_teacher', '李明', a.id, liMing.id),
      teacher: await user('teacher', 'teacher', '王芳', a.id, wangFang.id),
      counsellor: await user('counsellor', 'counsellor', '陈静', a.id, chenJing.id),
      principal_b: await user('principal_b', 'principal', '山口村小校长', b.id, null),
    };

    return {
      schoolYear,
      bureauId,
      schools: { a, b },
      classes: { a1, a2, b1 },
      teachers: { liMing, wangFang, chenJing, zhaoGang },
      students,
      studentsOf: (c: SeedClass) => students.filter((s) => s.classId === c.id),
      users,
    };
  });
}

/** Count helper for assertions: `await countOf(ctx.db, sql\`… WHERE …\`)` over a `SELECT count(*)::int AS n`. */
export async function countOf(q: Queryable, query: ReturnType<typeof sql>): Promise<number> {
  const [r] = await rows<{ n: number }>(q, query);
  return Number(r?.n ?? 0);
}
