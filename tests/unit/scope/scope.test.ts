// The scope compiler, rendered to SQL text + parameters with drizzle's PostgreSQL dialect.
// tests/integration/scope.test.ts runs the same conditions against a seeded database.
import { describe, expect, it } from 'vitest';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { compileScope, type UserContext } from '../../../src/modules/scope/scope.js';
import { ROLE_INFO, ROLES, type Role } from '../../../src/shared/roles.js';

const dialect = new PgDialect();
/** SQL text with whitespace collapsed, and its parameters */
const render = (q: SQL) => {
  const r = dialect.sqlToQuery(q);
  return { sql: r.sql.replace(/\s+/g, ' ').trim(), params: r.params };
};

// noon in China (04:00 UTC): school years follow the China calendar, whatever the machine's zone
const chinaNoon = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d, 4));
const NOV_2026 = chinaNoon(2026, 11, 1);
const SCHOOL = 5;
const TEACHER = 9;

const userOf = (role: Role, over: Partial<UserContext> = {}): UserContext => ({
  id: 1,
  username: 'u',
  displayName: '用户',
  role,
  schoolId: ROLE_INFO[role].needsSchool ? SCHOOL : null,
  teacherId: ROLE_INFO[role].needsTeacher ? TEACHER : null,
  ...over,
});

const TEACHES = 'EXISTS (SELECT 1 FROM enrollments e JOIN teaching_assignments ta ON ta.class_id = e.class_id WHERE e.student_id = "s".id AND e.school_year = $2 AND ta.teacher_id = $3)';
const HEADS = 'EXISTS (SELECT 1 FROM enrollments e JOIN classes hc ON hc.id = e.class_id WHERE e.student_id = "s".id AND e.school_year = $4 AND hc.head_teacher_id = $5)';
/** the students a teacher helps in a proposed or active support pairing (docs/pairings.md); $n = the first of its three parameters */
const PAIRED = (n: number) =>
  'EXISTS (SELECT 1 FROM pairing_participants ph_ JOIN pairing_participants ps_ ON ps_.pairing_id = ph_.pairing_id JOIN pairings pg_ ON pg_.id = ph_.pairing_id' +
  ` WHERE ps_.person_kind = 'student' AND ps_.person_id = "s".id AND (ps_.to_date IS NULL OR ps_.to_date >= $${n})` +
  ` AND ph_.person_kind = 'teacher' AND ph_.person_id = $${n + 1} AND ph_.side = 'helper' AND (ph_.to_date IS NULL OR ph_.to_date >= $${n + 2}) AND pg_.status IN ('proposed', 'active'))`;
const NOV_1 = '2026-11-01';

type Rendered = { sql: string; params: unknown[] };
const TRUE: Rendered = { sql: 'TRUE', params: [] };
const FALSE: Rendered = { sql: 'FALSE', params: [] };
const bySchool = (col: string): Rendered => ({ sql: `${col} = $1`, params: [SCHOOL] });

/** Expected student condition on alias "s", and the other conditions on their default aliases. */
const EXPECTED: Record<Role, { students: Rendered; schools: Rendered; teachers: Rendered; classes: Rendered; audit: Rendered }> = (() => {
  const region = { students: TRUE, schools: TRUE, teachers: TRUE, classes: TRUE };
  const school = {
    students: bySchool('"s".school_id'),
    schools: bySchool('"schools".id'),
    teachers: bySchool('"teachers".school_id'),
    classes: bySchool('"classes".school_id'),
  };
  const schoolWide = { schools: school.schools, teachers: school.teachers, classes: school.classes };
  return {
    bureau_admin: { ...region, audit: TRUE },
    bureau_staff: { ...region, audit: FALSE },
    inspector: { ...region, audit: TRUE },
    principal: { ...school, audit: bySchool('"audit_log".school_id') },
    academic_office: { ...school, audit: FALSE },
    counsellor: { ...school, audit: FALSE },
    head_teacher: {
      ...schoolWide,
      students: {
        sql: `("s".school_id = $1 AND (${TEACHES} OR ${HEADS} OR ${PAIRED(6)}))`,
        params: [SCHOOL, '2026-2027', TEACHER, '2026-2027', TEACHER, NOV_1, TEACHER, NOV_1],
      },
      audit: FALSE,
    },
    teacher: {
      ...schoolWide,
      students: { sql: `("s".school_id = $1 AND (${TEACHES} OR ${PAIRED(4)}))`, params: [SCHOOL, '2026-2027', TEACHER, NOV_1, TEACHER, NOV_1] },
      audit: FALSE,
    },
  };
})();

describe('compileScope renders the expected SQL for each role', () => {
  it('covers every role', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ROLES].sort());
  });

  describe.each(ROLES.map((r) => [r]))('%s', (role) => {
    const scope = compileScope(userOf(role), NOV_2026);
    const want = EXPECTED[role];
    it('students', () => expect(render(scope.students('s'))).toEqual(want.students));
    it('schools', () => expect(render(scope.schools())).toEqual(want.schools));
    it('teachers', () => expect(render(scope.teachers())).toEqual(want.teachers));
    it('classes', () => expect(render(scope.classes())).toEqual(want.classes));
    it('audit', () => expect(render(scope.audit())).toEqual(want.audit));
    it('level and read-only flag follow ROLE_INFO', () => {
      expect(scope.level).toBe(ROLE_INFO[role].scope);
      expect(scope.readOnly).toBe(ROLE_INFO[role].readOnly);
    });
  });
});

describe('school-bound roles without a school (or teacher) see nothing', () => {
  const schoolBound = ROLES.filter((r) => ROLE_INFO[r].scope !== 'region');

  it.each(schoolBound.map((r) => [r]))('%s without a school', (role) => {
    const scope = compileScope(userOf(role, { schoolId: null }), NOV_2026);
    expect(render(scope.students('s'))).toEqual(FALSE);
    expect(render(scope.schools())).toEqual(FALSE);
    expect(render(scope.teachers())).toEqual(FALSE);
    expect(render(scope.classes())).toEqual(FALSE);
    expect(render(scope.audit())).toEqual(FALSE);
    expect(scope.canWriteSchool(SCHOOL)).toBe(false);
  });

  it.each([['head_teacher' as Role], ['teacher' as Role]])('%s without a teacher record sees no students', (role) => {
    const scope = compileScope(userOf(role, { teacherId: null }), NOV_2026);
    expect(render(scope.students('s'))).toEqual(FALSE);
    // still sees their own school's directory
    expect(render(scope.schools())).toEqual(bySchool('"schools".id'));
  });
});

describe('teacher links use the current school year', () => {
  it('turns over on 1 September', () => {
    const before = compileScope(userOf('teacher'), chinaNoon(2026, 8, 31));
    const after = compileScope(userOf('teacher'), chinaNoon(2026, 9, 1));
    expect(render(before.students('s')).params).toEqual([SCHOOL, '2025-2026', TEACHER, '2026-08-31', TEACHER, '2026-08-31']);
    expect(render(after.students('s')).params).toEqual([SCHOOL, '2026-2027', TEACHER, '2026-09-01', TEACHER, '2026-09-01']);
  });
});

describe('aliases', () => {
  it('quotes the alias and strips quotes from it, so an alias cannot inject SQL', () => {
    const scope = compileScope(userOf('principal'), NOV_2026);
    expect(render(scope.students('st')).sql).toBe('"st".school_id = $1');
    expect(render(scope.students('x" OR TRUE --')).sql).toBe('"x OR TRUE --".school_id = $1');
  });

  it('binds ids as parameters, never as text', () => {
    const scope = compileScope(userOf('teacher'), NOV_2026);
    const r = render(scope.students('s'));
    expect(r.sql).not.toContain(String(TEACHER));
    expect(r.params).toContain(TEACHER);
  });
});

describe('canWriteSchool', () => {
  it('region roles write anywhere, except the read-only inspector', () => {
    expect(compileScope(userOf('bureau_admin')).canWriteSchool(123)).toBe(true);
    expect(compileScope(userOf('bureau_staff')).canWriteSchool(123)).toBe(true);
    expect(compileScope(userOf('inspector')).canWriteSchool(123)).toBe(false);
  });

  it.each(ROLES.filter((r) => ROLE_INFO[r].scope !== 'region').map((r) => [r]))('%s writes only in its own school', (role) => {
    const scope = compileScope(userOf(role));
    expect(scope.canWriteSchool(SCHOOL)).toBe(true);
    expect(scope.canWriteSchool(SCHOOL + 1)).toBe(false);
  });
});
