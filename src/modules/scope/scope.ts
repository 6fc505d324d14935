// The one place that turns a user into SQL. Every list, detail, search, export and
// report filters with these conditions; nothing else decides who sees what.
import { sql, type SQL } from 'drizzle-orm';
import { ROLE_INFO, type Role, type ScopeLevel } from '../../shared/roles.js';
import { schoolYearOf } from '../../shared/school-year.js';

export interface UserContext {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  schoolId: number | null;
  teacherId: number | null;
}

export interface Scope {
  user: UserContext;
  level: ScopeLevel;
  readOnly: boolean;
  /** condition on a `schools` row aliased `alias` */
  schools(alias?: string): SQL;
  classes(alias?: string): SQL;
  teachers(alias?: string): SQL;
  students(alias?: string): SQL;
  audit(alias?: string): SQL;
  /** user accounts the caller may manage */
  accounts(alias?: string): SQL;
  /** may the user act (write) inside this school at all? */
  canWriteSchool(schoolId: number): boolean;
}

const NOTHING = sql`FALSE`;
const EVERYTHING = sql`TRUE`;

/**
 * How a teacher comes to be responsible for a student. Later modules (support
 * pairings, counselling) add their relationship here, so scope stays in one place.
 */
function teacherStudentLinks(student: SQL, teacherId: number, schoolYear: string, includeHeadTeacher: boolean): SQL[] {
  const links = [
    sql`EXISTS (SELECT 1 FROM enrollments e JOIN teaching_assignments ta ON ta.class_id = e.class_id
        WHERE e.student_id = ${student}.id AND e.school_year = ${schoolYear} AND ta.teacher_id = ${teacherId})`,
  ];
  if (includeHeadTeacher) {
    links.push(sql`EXISTS (SELECT 1 FROM enrollments e JOIN classes hc ON hc.id = e.class_id
        WHERE e.student_id = ${student}.id AND e.school_year = ${schoolYear} AND hc.head_teacher_id = ${teacherId})`);
  }
  return links;
}

export function compileScope(user: UserContext, now: Date = new Date()): Scope {
  const info = ROLE_INFO[user.role];
  const schoolYear = schoolYearOf(now);
  const a = (alias: string) => sql.raw(`"${alias.replace(/"/g, '')}"`);
  const school = user.schoolId;
  // A school-bound role without a school sees nothing rather than everything.
  const bySchool = (col: SQL) => (school == null ? NOTHING : sql`${col} = ${school}`);

  const studentCond = (alias: string): SQL => {
    const s = a(alias);
    switch (info.scope) {
      case 'region':
        return EVERYTHING;
      case 'school':
        return bySchool(sql`${s}.school_id`);
      case 'classes':
      case 'own_students': {
        if (user.teacherId == null || school == null) return NOTHING;
        const links = teacherStudentLinks(s, user.teacherId, schoolYear, info.scope === 'classes');
        return sql`(${s}.school_id = ${school} AND (${sql.join(links, sql` OR `)}))`;
      }
    }
  };

  return {
    user,
    level: info.scope,
    readOnly: info.readOnly,
    schools: (alias = 'schools') => (info.scope === 'region' ? EVERYTHING : bySchool(sql`${a(alias)}.id`)),
    classes: (alias = 'classes') => (info.scope === 'region' ? EVERYTHING : bySchool(sql`${a(alias)}.school_id`)),
    teachers: (alias = 'teachers') => (info.scope === 'region' ? EVERYTHING : bySchool(sql`${a(alias)}.school_id`)),
    students: (alias = 'students') => studentCond(alias),
    audit: (alias = 'audit_log') => {
      if (user.role === 'bureau_admin' || user.role === 'inspector') return EVERYTHING;
      if (user.role === 'principal') return bySchool(sql`${a(alias)}.school_id`);
      return NOTHING;
    },
    accounts: (alias = 'users') => {
      if (user.role === 'bureau_admin') return EVERYTHING;
      if (user.role === 'principal') return bySchool(sql`${a(alias)}.school_id`);
      return NOTHING;
    },
    canWriteSchool: (schoolId) => !info.readOnly && (info.scope === 'region' || schoolId === school),
  };
}
