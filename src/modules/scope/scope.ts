// The one place that turns a user into SQL. Every list, detail, search, export and
// report filters with these conditions; nothing else decides who sees what.
import { sql, type SQL } from 'drizzle-orm';
import { PAIRING_MANAGER_ROLES, ROLE_INFO, type Role, type ScopeLevel } from '../../shared/roles.js';
import { schoolYearOf } from '../../shared/school-year.js';
import { chinaDateOf } from '../pairings/engine/dates.js';

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
  /**
   * an `exams` row: county exams for everyone signed in; a school's own exam for the region and that school;
   * a pairing exam for the region and the schools of its pairing (participants of kind 'school')
   */
  exams(alias?: string): SQL;
  /**
   * an `exam_unit_results` row (后20% per school / class / teacher): the region sees all; school roles the
   * school rows of county exams (the county publishes the school ranking) and of their pairings' exams, and every row of their school;
   * teachers the school rows, the class rows of the classes they teach (head teachers: and head), their own rows
   */
  examUnits(alias?: string): SQL;
  /** an `exam_candidates` row: as the class rows above, AND the student must be in the students scope */
  examCandidates(alias?: string): SQL;
  /** an `exam_awards` row: the region; school roles their school; teachers their own lines and their classes' */
  examAwards(alias?: string): SQL;
  /**
   * an `exam_scores` row (one student's scores, matched or not): the region; school roles the rows of their
   * school; teachers the rows placed in the classes they teach (head teachers: and head)
   */
  examScores(alias?: string): SQL;
  /**
   * a `pairings` row (docs/pairings.md): the region sees all; school roles the pairings their school manages
   * or takes part in now (a current participant's unit is the school); teachers the pairings they take part in now
   */
  pairings(alias?: string): SQL;
  /**
   * the caller as a pairings viewer, in values: the same rule as `pairings()`, for a statement that checks several
   * callers at once (`pairingsOfViewers`: each row's caller given as columns, one statement text for all)
   */
  pairingViewer: PairingViewer;
  /** a `pairings` row the caller may manage (transition, edit, change participants, check records): manager roles; the region all, a school those it manages */
  managedPairings(alias?: string): SQL;
  /** an `activities` row: its pairing is visible, or the caller recorded it (a returned record stays visible to its author) */
  activities(alias?: string): SQL;
  /**
   * may the caller read an `activities` row's content, fields and attachments: yes unless it is confidential (保密);
   * then only its author, a current helper-side teacher of the pairing, and the counsellors of a school that sees the pairing
   */
  activityContent(alias?: string): SQL;
  /**
   * a `support_cases` row (帮扶对象, docs/support.md): visible like its student — the region all; school
   * roles their school's cases; teachers the cases at their school of the students they see (classes they
   * teach, head teachers their classes, the students they help)
   */
  supportCases(alias?: string): SQL;
  /**
   * may the caller read a `support_cases` row's psychological note: the counsellors of the case's school, and
   * the responsible teacher (a current helper-side teacher of a proposed or active 师生结对 pairing with the
   * case's student still taking part). Nobody else — not the principal, not the bureau.
   */
  supportPsych(alias?: string): SQL;
}

const NOTHING = sql`FALSE`;
const EVERYTHING = sql`TRUE`;

/** How a caller sees pairings: all (region), a school's, a teacher's own, or none (a school role without a school, a teacher role without a teacher). */
export interface PairingViewer {
  level: 'region' | 'school' | 'teacher' | 'none';
  schoolId: number | null;
  teacherId: number | null;
  /** the China date on which participation is judged (a participant's to_date is their last day, inclusive) */
  today: string;
}

// The pairings rule, in its two parts: a school sees the pairings it manages or takes part in now (a current
// participant's unit is the school); a teacher the pairings they take part in now. `school`, `teacher` and
// `today` are parameters for one caller, or columns for several (pairingsOfViewers).
const currentParticipant = (p: SQL, cond: SQL, today: SQL) =>
  sql`EXISTS (SELECT 1 FROM pairing_participants pp_ WHERE pp_.pairing_id = ${p}.id AND (pp_.to_date IS NULL OR pp_.to_date >= ${today}) AND ${cond})`;
const schoolSeesPairing = (p: SQL, school: SQL, today: SQL) => sql`(${p}.school_id = ${school} OR ${currentParticipant(p, sql`pp_.school_id = ${school}`, today)})`;
const teacherSeesPairing = (p: SQL, teacher: SQL, today: SQL) => currentParticipant(p, sql`pp_.person_kind = 'teacher' AND pp_.person_id = ${teacher}`, today);

/**
 * The `pairings` rule for callers given as columns of alias `viewer` (level text, school_id int, teacher_id int,
 * today date: a PairingViewer each), on a pairings row aliased `pairing`: one statement text whatever the callers,
 * so many callers' checks share one plan (the record save, src/db/batch.ts). The same parts as Scope.pairings.
 */
export function pairingsOfViewers(pairing: string, viewer: string): SQL {
  const p = sql.raw(`"${pairing.replace(/"/g, '')}"`);
  const v = sql.raw(`"${viewer.replace(/"/g, '')}"`);
  return sql`(${v}.level = 'region'
    OR (${v}.level = 'school' AND ${schoolSeesPairing(p, sql`${v}.school_id`, sql`${v}.today`)})
    OR (${v}.level = 'teacher' AND ${teacherSeesPairing(p, sql`${v}.teacher_id`, sql`${v}.today`)}))`;
}

/**
 * How a teacher comes to be responsible for a student. Later modules (support
 * pairings, counselling) add their relationship here, so scope stays in one place.
 */
function teacherStudentLinks(student: SQL, teacherId: number, schoolYear: string, includeHeadTeacher: boolean, today: string): SQL[] {
  const links = [
    sql`EXISTS (SELECT 1 FROM enrollments e JOIN teaching_assignments ta ON ta.class_id = e.class_id
        WHERE e.student_id = ${student}.id AND e.school_year = ${schoolYear} AND ta.teacher_id = ${teacherId})`,
  ];
  if (includeHeadTeacher) {
    links.push(sql`EXISTS (SELECT 1 FROM enrollments e JOIN classes hc ON hc.id = e.class_id
        WHERE e.student_id = ${student}.id AND e.school_year = ${schoolYear} AND hc.head_teacher_id = ${teacherId})`);
  }
  // support pairings (docs/pairings.md): the students a teacher helps in a proposed or active pairing, both still taking part
  links.push(sql`EXISTS (SELECT 1 FROM pairing_participants ph_ JOIN pairing_participants ps_ ON ps_.pairing_id = ph_.pairing_id
        JOIN pairings pg_ ON pg_.id = ph_.pairing_id
      WHERE ps_.person_kind = 'student' AND ps_.person_id = ${student}.id AND (ps_.to_date IS NULL OR ps_.to_date >= ${today})
        AND ph_.person_kind = 'teacher' AND ph_.person_id = ${teacherId} AND ph_.side = 'helper'
        AND (ph_.to_date IS NULL OR ph_.to_date >= ${today}) AND pg_.status IN ('proposed', 'active'))`);
  return links;
}

export function compileScope(user: UserContext, now: Date = new Date()): Scope {
  const info = ROLE_INFO[user.role];
  const schoolYear = schoolYearOf(now);
  const today = chinaDateOf(now);
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
        const links = teacherStudentLinks(s, user.teacherId, schoolYear, info.scope === 'classes', today);
        return sql`(${s}.school_id = ${school} AND (${sql.join(links, sql` OR `)}))`;
      }
    }
  };

  // classes whose exam rows a teacher sees: taught (any subject), and for head teachers also headed
  const teacherClassIds = (): SQL | null => {
    if (user.teacherId == null || school == null || (info.scope !== 'classes' && info.scope !== 'own_students')) return null;
    const taught = sql`SELECT ta.class_id FROM teaching_assignments ta WHERE ta.teacher_id = ${user.teacherId}`;
    return info.scope === 'classes' ? sql`${taught} UNION SELECT hc.id FROM classes hc WHERE hc.head_teacher_id = ${user.teacherId}` : taught;
  };
  // a pairing exam `e` of a pairing the user's school takes part in (as a school participant)
  const ownPairingExam = (e: SQL) => sql`(${e}.scope = 'pairing' AND EXISTS (SELECT 1 FROM pairing_participants epp_
    WHERE epp_.pairing_id = ${e}.pairing_id AND epp_.person_kind = 'school' AND epp_.person_id = ${school}))`;
  // exams whose school ranking is published to the user's school: county exams, and the exams of a pairing it takes part in
  const publishedExam = (alias: SQL) => sql`EXISTS (SELECT 1 FROM exams ex_ WHERE ex_.id = ${alias}.exam_id
    AND (ex_.scope = 'county' OR ${ownPairingExam(sql`ex_`)}))`;
  const examUnitCond = (alias: string): SQL => {
    const u = a(alias);
    if (info.scope === 'region') return EVERYTHING;
    if (school == null) return NOTHING;
    const schoolRows = sql`(${u}.level = 'school' AND (${u}.school_id = ${school} OR ${publishedExam(u)}))`;
    if (info.scope === 'school') return sql`(${schoolRows} OR ${u}.school_id = ${school})`;
    const classIds = teacherClassIds();
    if (classIds == null) return NOTHING;
    return sql`(${schoolRows}
      OR (${u}.level = 'class' AND ${u}.school_id = ${school} AND ${u}.class_id IN (${classIds}))
      OR (${u}.level = 'teacher' AND ${u}.teacher_id = ${user.teacherId}))`;
  };

  // pairings (the rule's parts above; JavaScript picks the part, so the SQL is only that part and EXISTS stays a semi-join)
  const pairingViewer: PairingViewer = {
    level: info.scope === 'region' ? 'region' : school == null ? 'none' : info.scope === 'school' ? 'school' : user.teacherId == null ? 'none' : 'teacher',
    schoolId: school,
    teacherId: user.teacherId,
    today,
  };
  const pairingCond = (alias: string): SQL => {
    const p = a(alias);
    switch (pairingViewer.level) {
      case 'region':
        return EVERYTHING;
      case 'none':
        return NOTHING;
      case 'school':
        return schoolSeesPairing(p, sql`${school}`, sql`${today}`);
      case 'teacher':
        return teacherSeesPairing(p, sql`${user.teacherId}`, sql`${today}`);
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
    exams: (alias = 'exams') => {
      const e = a(alias);
      if (info.scope === 'region') return EVERYTHING;
      if (school == null) return sql`${e}.scope = 'county'`;
      return sql`(${e}.scope = 'county' OR ${e}.school_id = ${school} OR ${ownPairingExam(e)})`;
    },
    examUnits: (alias = 'exam_unit_results') => examUnitCond(alias),
    examCandidates: (alias = 'exam_candidates') => {
      const c = a(alias);
      if (info.scope === 'region') return EVERYTHING;
      if (school == null) return NOTHING;
      const student = sql`EXISTS (SELECT 1 FROM students cst_ WHERE cst_.id = ${c}.student_id AND ${studentCond('cst_')})`;
      if (info.scope === 'school') return sql`(${c}.school_id = ${school} AND ${student})`;
      const classIds = teacherClassIds();
      if (classIds == null) return NOTHING;
      return sql`(${c}.school_id = ${school} AND ${c}.class_id IN (${classIds}) AND ${student})`;
    },
    examAwards: (alias = 'exam_awards') => {
      const w = a(alias);
      if (info.scope === 'region') return EVERYTHING;
      if (school == null) return NOTHING;
      if (info.scope === 'school') return sql`${w}.school_id = ${school}`;
      const classIds = teacherClassIds();
      if (classIds == null) return NOTHING;
      return sql`(${w}.school_id = ${school} AND (
        (${w}.level = 'teacher' AND ${w}.unit_key = ${String(user.teacherId)})
        OR (${w}.level = 'class' AND EXISTS (SELECT 1 FROM exam_unit_results wr_ WHERE wr_.exam_id = ${w}.exam_id
              AND wr_.level = 'class' AND wr_.unit_key = ${w}.unit_key AND wr_.class_id IN (${classIds})))))`;
    },
    examScores: (alias = 'exam_scores') => {
      const r = a(alias);
      if (info.scope === 'region') return EVERYTHING;
      if (school == null) return NOTHING;
      if (info.scope === 'school') return sql`${r}.school_id = ${school}`;
      const classIds = teacherClassIds();
      if (classIds == null) return NOTHING;
      return sql`(${r}.school_id = ${school} AND ${r}.class_id IN (${classIds}))`;
    },
    pairings: (alias = 'pairings') => pairingCond(alias),
    pairingViewer,
    managedPairings: (alias = 'pairings') => {
      if (info.readOnly || !PAIRING_MANAGER_ROLES.includes(user.role)) return NOTHING;
      if (info.scope === 'region') return EVERYTHING;
      return bySchool(sql`${a(alias)}.school_id`);
    },
    activities: (alias = 'activities') => {
      const x = a(alias);
      if (info.scope === 'region') return EVERYTHING;
      return sql`(${x}.recorded_by = ${user.id} OR EXISTS (SELECT 1 FROM pairings pa_ WHERE pa_.id = ${x}.pairing_id AND ${pairingCond('pa_')}))`;
    },
    activityContent: (alias = 'activities') => {
      const x = a(alias);
      const readers: SQL[] = [sql`NOT ${x}.confidential`, sql`${x}.recorded_by = ${user.id}`];
      if (user.teacherId != null && school != null) {
        readers.push(sql`EXISTS (SELECT 1 FROM pairing_participants pc_ WHERE pc_.pairing_id = ${x}.pairing_id AND pc_.side = 'helper'
          AND pc_.person_kind = 'teacher' AND pc_.person_id = ${user.teacherId} AND (pc_.to_date IS NULL OR pc_.to_date >= ${today}))`);
      }
      if (user.role === 'counsellor' && school != null) {
        readers.push(sql`EXISTS (SELECT 1 FROM pairings pk_ WHERE pk_.id = ${x}.pairing_id AND ${pairingCond('pk_')})`);
      }
      return sql`(${sql.join(readers, sql` OR `)})`;
    },
    supportCases: (alias = 'support_cases') => {
      const x = a(alias);
      if (info.scope === 'region') return EVERYTHING;
      if (info.scope === 'school') return bySchool(sql`${x}.school_id`);
      if (school == null) return NOTHING;
      return sql`(${x}.school_id = ${school} AND EXISTS (SELECT 1 FROM students cs_ WHERE cs_.id = ${x}.student_id AND ${studentCond('cs_')}))`;
    },
    supportPsych: (alias = 'support_cases') => {
      const x = a(alias);
      if (school == null) return NOTHING;
      const readers: SQL[] = [];
      if (user.role === 'counsellor') readers.push(sql`${x}.school_id = ${school}`);
      if (user.teacherId != null) {
        readers.push(sql`EXISTS (SELECT 1 FROM pairing_participants rh_ JOIN pairing_participants rs_ ON rs_.pairing_id = rh_.pairing_id
            JOIN pairings rp_ ON rp_.id = rh_.pairing_id JOIN programmes rpr_ ON rpr_.id = rp_.programme_id
          WHERE rpr_.key = 'teacher_student' AND rp_.status IN ('proposed', 'active')
            AND rh_.side = 'helper' AND rh_.person_kind = 'teacher' AND rh_.person_id = ${user.teacherId} AND (rh_.to_date IS NULL OR rh_.to_date >= ${today})
            AND rs_.person_kind = 'student' AND rs_.person_id = ${x}.student_id AND (rs_.to_date IS NULL OR rs_.to_date >= ${today}))`);
      }
      return readers.length === 0 ? NOTHING : sql`(${sql.join(readers, sql` OR `)})`;
    },
  };
}
