// The scope conditions run against a seeded county: exactly who sees which schools,
// teachers, classes and students. Expectations come from the seed's layout
// (tests/helpers/seed.ts), not from the compiler.
import { expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../../src/db/client.js';
import { compileScope, type Scope, type UserContext } from '../../src/modules/scope/scope.js';
import { describeOnBackends } from '../helpers/db.js';
import { seedCounty, type Seed, type SeedUser, type SeedUserKey } from '../helpers/seed.js';

const ids = async (q: Queryable, query: ReturnType<typeof sql>) => (await rows<{ id: number }>(q, query)).map((r) => r.id).sort((a, b) => a - b);
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

const visibleStudents = (q: Queryable, scope: Scope) => ids(q, sql`SELECT s.id FROM students s WHERE ${scope.students('s')}`);
const visibleTeachers = (q: Queryable, scope: Scope) => ids(q, sql`SELECT t.id FROM teachers t WHERE ${scope.teachers('t')}`);
const visibleSchools = (q: Queryable, scope: Scope) => ids(q, sql`SELECT sc.id FROM schools sc WHERE ${scope.schools('sc')}`);
const visibleClasses = (q: Queryable, scope: Scope) => ids(q, sql`SELECT c.id FROM classes c WHERE ${scope.classes('c')}`);

const contextOf = (u: SeedUser): UserContext => ({ id: u.id, username: u.username, displayName: u.username, role: u.role, schoolId: u.schoolId, teacherId: u.teacherId });

type Who = { students: (s: Seed) => number[]; teachers: (s: Seed) => number[]; schools: (s: Seed) => number[]; classes: (s: Seed) => number[] };

const all: Who = {
  students: (s) => s.students.map((x) => x.id),
  teachers: (s) => Object.values(s.teachers).map((t) => t.id),
  schools: (s) => [s.schools.a.id, s.schools.b.id],
  classes: (s) => Object.values(s.classes).map((c) => c.id),
};
const schoolA: Who = {
  students: (s) => s.students.filter((x) => x.schoolId === s.schools.a.id).map((x) => x.id),
  teachers: (s) => [s.teachers.liMing.id, s.teachers.wangFang.id, s.teachers.chenJing.id],
  schools: (s) => [s.schools.a.id],
  classes: (s) => [s.classes.a1.id, s.classes.a2.id],
};
const classStudents = (...keys: ('a1' | 'a2' | 'b1')[]) => (s: Seed) => keys.flatMap((k) => s.studentsOf(s.classes[k]).map((x) => x.id));

const EXPECTED: Record<SeedUserKey, Who> = {
  bureau_admin: all,
  bureau_staff: all,
  inspector: all,
  principal: schoolA,
  academic_office: schoolA,
  counsellor: schoolA,
  // 李明: head teacher of A1, teaches 数学 in A1
  head_teacher: { ...schoolA, students: classStudents('a1') },
  // 王芳: teaches 语文 in A1 and 数学 in A2, heads no class
  teacher: { ...schoolA, students: classStudents('a1', 'a2') },
  principal_b: {
    students: classStudents('b1'),
    teachers: (s) => [s.teachers.zhaoGang.id],
    schools: (s) => [s.schools.b.id],
    classes: (s) => [s.classes.b1.id],
  },
};

describeOnBackends('scope conditions on a seeded county', (getCtx, _kind, getSeed) => {
  for (const key of Object.keys(EXPECTED) as SeedUserKey[]) {
    it(`${key} sees exactly its schools, classes, teachers and students`, async () => {
      const seed = getSeed();
      const scope = compileScope(contextOf(seed.users[key]));
      const db = getCtx().db;
      const want = EXPECTED[key];
      expect(await visibleSchools(db, scope)).toEqual(sorted(want.schools(seed)));
      expect(await visibleClasses(db, scope)).toEqual(sorted(want.classes(seed)));
      expect(await visibleTeachers(db, scope)).toEqual(sorted(want.teachers(seed)));
      expect(await visibleStudents(db, scope)).toEqual(sorted(want.students(seed)));
    });
  }

  it('region roles see the whole county: nine students in two schools', async () => {
    const scope = compileScope(contextOf(getSeed().users.inspector));
    expect(await visibleStudents(getCtx().db, scope)).toHaveLength(9);
  });

  it('a school-bound role without a school sees nothing at all', async () => {
    const db = getCtx().db;
    for (const role of ['principal', 'academic_office', 'counsellor', 'head_teacher', 'teacher'] as const) {
      const scope = compileScope({ id: 999, username: 'orphan', displayName: 'orphan', role, schoolId: null, teacherId: getSeed().teachers.liMing.id });
      expect(await visibleSchools(db, scope), role).toEqual([]);
      expect(await visibleClasses(db, scope), role).toEqual([]);
      expect(await visibleTeachers(db, scope), role).toEqual([]);
      expect(await visibleStudents(db, scope), role).toEqual([]);
      expect(await ids(db, sql`SELECT a.id::int AS id FROM audit_log a WHERE ${scope.audit('a')}`), role).toEqual([]);
    }
  });

  it('a teacher whose teacher record belongs to another school sees none of its students', async () => {
    // a misconfigured account: school A, but 赵刚 (school B) as teacher record
    const seed = getSeed();
    const scope = compileScope({ id: 999, username: 'mixed', displayName: 'mixed', role: 'teacher', schoolId: seed.schools.a.id, teacherId: seed.teachers.zhaoGang.id });
    expect(await visibleStudents(getCtx().db, scope)).toEqual([]);
  });

  it('only this school year\'s classes count: last year\'s teaching gives no access', async () => {
    const seed = getSeed();
    const db = getCtx().db;
    const start = Number(seed.schoolYear.slice(0, 4)) - 1;
    const lastYear = `${start}-${start + 1}`;
    // 周敏 (now in A2) was last year in a class of school A that 李明 headed and taught
    const zhouMin = seed.students.find((s) => s.name === '周敏')!;
    const [old] = await rows<{ id: number }>(db, sql`INSERT INTO classes (school_id, school_year, grade, class_no, name, head_teacher_id)
      VALUES (${seed.schools.a.id}, ${lastYear}, 6, 1, '六年级(1)班', ${seed.teachers.liMing.id}) RETURNING id`);
    await db.execute(sql`INSERT INTO teaching_assignments (teacher_id, class_id, subject) VALUES (${seed.teachers.liMing.id}, ${old!.id}, '数学')`);
    await db.execute(sql`INSERT INTO enrollments (student_id, school_year, class_id, school_id) VALUES (${zhouMin.id}, ${lastYear}, ${old!.id}, ${seed.schools.a.id})`);

    const headTeacher = compileScope(contextOf(seed.users.head_teacher));
    const seen = await visibleStudents(db, headTeacher);
    expect(seen).not.toContain(zhouMin.id);
    expect(seen).toEqual(sorted(classStudents('a1')(seed)));
  });

  it('the conditions compose with other filters and joins under any alias', async () => {
    const seed = getSeed();
    const scope = compileScope(contextOf(seed.users.teacher));
    const names = await rows<{ name: string }>(getCtx().db, sql`
      SELECT st.name FROM students st JOIN enrollments en ON en.student_id = st.id AND en.school_year = ${seed.schoolYear}
      WHERE ${scope.students('st')} AND en.class_id = ${seed.classes.a2.id} ORDER BY st.id`);
    expect(names.map((n) => n.name)).toEqual(['黄磊', '周敏', '吴婷']);
  });
}, seedCounty);
