// SQL of the support module: cases, their history, the registry facts the rules need (teachers,
// teaching assignments, family flags, confirmed candidates, enrollments) and the current
// teacher–student links. Scope conditions come in from the service (compileScope).
import { sql, type SQL } from 'drizzle-orm';
import { one, rows, type Queryable } from '../../db/client.js';
import type { CaseAnalysis, CaseSource, CaseStatus, CloseReason, SupportCategory } from './support.schemas.js';

const p = (v: unknown) => sql.param(v);
const iso = (v: unknown) => (v == null ? null : new Date(v as string | Date).toISOString());

// ───────────────────────────── links (who helps whom now) ─────────────────────────────

/**
 * Current teacher–student links: a helper-side teacher and a helped student, both still taking part
 * on `today`, of a proposed or active 师生结对 pairing. `studentCond` narrows on `ps.person_id`.
 */
export function linksSql(today: string, studentCond: SQL = sql`TRUE`): SQL {
  return sql`SELECT ph.person_id AS teacher_id, ps.person_id AS student_id, pg.id AS pairing_id, pg.status, ph.from_date
    FROM pairings pg JOIN programmes pr ON pr.id = pg.programme_id AND pr.key = 'teacher_student'
      JOIN pairing_participants ph ON ph.pairing_id = pg.id AND ph.side = 'helper' AND ph.person_kind = 'teacher' AND (ph.to_date IS NULL OR ph.to_date >= ${today})
      JOIN pairing_participants ps ON ps.pairing_id = pg.id AND ps.side = 'helped' AND ps.person_kind = 'student' AND (ps.to_date IS NULL OR ps.to_date >= ${today})
    WHERE pg.status IN ('proposed', 'active') AND ${studentCond}`;
}

/** Current links of the students of a school's cases and of the school's teachers (for the assignment rules). */
export function schoolLinks(q: Queryable, schoolId: number, schoolYear: string, today: string) {
  return rows<{ teacherId: number; studentId: number }>(q, sql`SELECT DISTINCT l.teacher_id AS "teacherId", l.student_id AS "studentId"
    FROM (${linksSql(today)}) l
    WHERE l.teacher_id IN (SELECT id FROM teachers WHERE school_id = ${schoolId})
       OR l.student_id IN (SELECT student_id FROM support_cases WHERE school_id = ${schoolId} AND school_year = ${schoolYear})`);
}

// ───────────────────────────── cases ─────────────────────────────

export interface CaseRow {
  id: number;
  studentId: number;
  studentName: string;
  sex: string | null;
  schoolId: number;
  schoolCode: string;
  schoolName: string;
  schoolYear: string;
  classId: number | null;
  className: string | null;
  grade: number | null;
  categories: SupportCategory[];
  status: CaseStatus;
  closeReason: CloseReason | null;
  closedOn: string | null;
  weakSubjects: string[];
  sources: CaseSource[];
  analysis: CaseAnalysis | null;
  hasPsychNote: boolean;
  lastReviewedSemester: string | null;
  previousCaseId: number | null;
  teachers: { teacherId: number; name: string; pairingId: number; pairingStatus: string; since: string }[];
  peers: { studentId: number; name: string; pairingId: number; pairingStatus: string }[];
  updatedAt: string;
}

const caseCols = (today: string) => sql`x.id, x.student_id AS "studentId", st.name AS "studentName", st.sex, x.school_id AS "schoolId", sc.code AS "schoolCode",
  sc.name AS "schoolName", x.school_year AS "schoolYear", x.class_id AS "classId", c.name AS "className", c.grade::int AS grade,
  x.categories, x.status, x.close_reason AS "closeReason", x.closed_on AS "closedOn", x.weak_subjects AS "weakSubjects", x.sources, x.analysis,
  (x.psych_note_enc IS NOT NULL) AS "hasPsychNote", x.last_reviewed_semester AS "lastReviewedSemester", x.previous_case_id AS "previousCaseId",
  x.updated_at AS "updatedAt",
  coalesce((SELECT json_agg(json_build_object('teacherId', l.teacher_id, 'name', t.name, 'pairingId', l.pairing_id, 'pairingStatus', l.status, 'since', l.from_date)
      ORDER BY l.from_date, l.pairing_id)
    FROM (${linksSql(today, sql`ps.person_id = x.student_id`)}) l JOIN teachers t ON t.id = l.teacher_id), '[]'::json) AS teachers,
  coalesce((SELECT json_agg(json_build_object('studentId', qh.person_id, 'name', hs.name, 'pairingId', qg.id, 'pairingStatus', qg.status) ORDER BY qg.id)
    FROM pairings qg JOIN programmes qr ON qr.id = qg.programme_id AND qr.key = 'peer'
      JOIN pairing_participants qh ON qh.pairing_id = qg.id AND qh.side = 'helper' AND qh.person_kind = 'student' AND (qh.to_date IS NULL OR qh.to_date >= ${today})
      JOIN pairing_participants qs ON qs.pairing_id = qg.id AND qs.side = 'helped' AND qs.person_kind = 'student' AND qs.person_id = x.student_id
        AND (qs.to_date IS NULL OR qs.to_date >= ${today})
      JOIN students hs ON hs.id = qh.person_id
    WHERE qg.status IN ('proposed', 'active')), '[]'::json) AS peers`;

const CASE_FROM = sql`FROM support_cases x JOIN students st ON st.id = x.student_id JOIN schools sc ON sc.id = x.school_id LEFT JOIN classes c ON c.id = x.class_id`;

const caseOut = (r: CaseRow): CaseRow => ({
  ...r,
  updatedAt: iso(r.updatedAt)!,
  teachers: r.teachers.map((t) => ({ ...t, since: String(t.since).slice(0, 10) })),
});

export async function listCases(q: Queryable, where: SQL, today: string, page: number, pageSize: number) {
  const [count] = await rows<{ n: number }>(q, sql`SELECT count(*)::int AS n ${CASE_FROM} WHERE ${where}`);
  const items = await rows<CaseRow>(q, sql`SELECT ${caseCols(today)} ${CASE_FROM} WHERE ${where}
    ORDER BY sc.code, c.grade NULLS LAST, c.class_no NULLS LAST, st.name_pinyin, x.id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`);
  return { total: count?.n ?? 0, items: items.map(caseOut) };
}

export async function getCase(q: Queryable, id: number, scopeCond: SQL, today: string, forUpdate = false): Promise<CaseRow | undefined> {
  const r = await one<CaseRow>(q, sql`SELECT ${caseCols(today)} ${CASE_FROM} WHERE x.id = ${id} AND ${scopeCond} ${forUpdate ? sql`FOR UPDATE OF x` : sql``}`);
  return r && caseOut(r);
}

/** The case of a student in a school year, if any (any scope: uniqueness is global). */
export function caseOfStudent(q: Queryable, studentId: number, schoolYear: string) {
  return one<{ id: number; categories: SupportCategory[]; sources: CaseSource[]; weakSubjects: string[]; status: CaseStatus; schoolId: number }>(q, sql`
    SELECT id, categories, sources, weak_subjects AS "weakSubjects", status, school_id AS "schoolId"
    FROM support_cases WHERE student_id = ${studentId} AND school_year = ${schoolYear} FOR UPDATE`);
}

export function casesOfStudents(q: Queryable, studentIds: number[], schoolYear: string) {
  if (studentIds.length === 0) return Promise.resolve([]);
  return rows<{ id: number; studentId: number; categories: SupportCategory[]; sources: CaseSource[]; weakSubjects: string[]; status: CaseStatus; schoolId: number }>(q, sql`
    SELECT id, student_id AS "studentId", categories, sources, weak_subjects AS "weakSubjects", status, school_id AS "schoolId"
    FROM support_cases WHERE student_id = ANY(${p(studentIds)}::int[]) AND school_year = ${schoolYear} ORDER BY id FOR UPDATE`);
}

export async function insertCase(q: Queryable, v: {
  studentId: number; schoolId: number; schoolYear: string; classId: number | null; categories: string[]; status: CaseStatus;
  weakSubjects: string[]; sources: CaseSource[]; previousCaseId: number | null; createdBy: number | null;
}): Promise<number> {
  const r = await one<{ id: number }>(q, sql`INSERT INTO support_cases (student_id, school_id, school_year, class_id, categories, status, weak_subjects, sources, previous_case_id, created_by)
    VALUES (${v.studentId}, ${v.schoolId}, ${v.schoolYear}, ${v.classId}, ${p(v.categories)}::text[], ${v.status}, ${p(v.weakSubjects)}::text[],
      ${JSON.stringify(v.sources)}::jsonb, ${v.previousCaseId}, ${v.createdBy}) RETURNING id`);
  return r!.id;
}

export async function updateCase(q: Queryable, id: number, v: {
  categories?: string[]; weakSubjects?: string[]; sources?: CaseSource[]; status?: CaseStatus; closeReason?: string | null; closedOn?: string | null;
  analysis?: CaseAnalysis; lastReviewedSemester?: string; psychNoteEnc?: Buffer | null; psychUpdatedBy?: number | null;
}): Promise<void> {
  const sets: SQL[] = [sql`updated_at = now()`];
  if (v.categories !== undefined) sets.push(sql`categories = ${p(v.categories)}::text[]`);
  if (v.weakSubjects !== undefined) sets.push(sql`weak_subjects = ${p(v.weakSubjects)}::text[]`);
  if (v.sources !== undefined) sets.push(sql`sources = ${JSON.stringify(v.sources)}::jsonb`);
  if (v.status !== undefined) sets.push(sql`status = ${v.status}`);
  if (v.closeReason !== undefined) sets.push(sql`close_reason = ${v.closeReason}`);
  if (v.closedOn !== undefined) sets.push(sql`closed_on = ${v.closedOn}`);
  if (v.analysis !== undefined) sets.push(sql`analysis = ${JSON.stringify(v.analysis)}::jsonb`);
  if (v.lastReviewedSemester !== undefined) sets.push(sql`last_reviewed_semester = ${v.lastReviewedSemester}`);
  if (v.psychNoteEnc !== undefined) sets.push(sql`psych_note_enc = ${v.psychNoteEnc}, psych_updated_at = now(), psych_updated_by = ${v.psychUpdatedBy ?? null}`);
  await q.execute(sql`UPDATE support_cases SET ${sql.join(sets, sql`, `)} WHERE id = ${id}`);
}

export async function insertHistory(q: Queryable, v: {
  caseId: number; event: string; from: CaseStatus | null; to: CaseStatus; categories: string[]; reason?: string | null; note?: string | null;
  semester?: string | null; actorUserId: number | null; actorName: string;
}): Promise<void> {
  await q.execute(sql`INSERT INTO support_case_history (case_id, event, from_status, to_status, categories, reason, note, semester, actor_user_id, actor_name)
    VALUES (${v.caseId}, ${v.event}, ${v.from}, ${v.to}, ${p(v.categories)}::text[], ${v.reason ?? null}, ${v.note ?? null}, ${v.semester ?? null}, ${v.actorUserId}, ${v.actorName})`);
}

export async function historyOf(q: Queryable, caseId: number) {
  const list = await rows<{ event: string; from: CaseStatus | null; to: CaseStatus; categories: SupportCategory[]; reason: string | null; note: string | null; semester: string | null; actorName: string; at: unknown }>(q, sql`
    SELECT event, from_status AS "from", to_status AS "to", categories, reason, note, semester, actor_name AS "actorName", at
    FROM support_case_history WHERE case_id = ${caseId} ORDER BY id`);
  return list.map((h) => ({ ...h, at: iso(h.at)! }));
}

export function nextCaseId(q: Queryable, caseId: number) {
  return one<{ id: number }>(q, sql`SELECT id FROM support_cases WHERE previous_case_id = ${caseId} ORDER BY id LIMIT 1`);
}

export function psychOf(q: Queryable, caseId: number) {
  return one<{ enc: Buffer | null; updatedAt: unknown; updatedBy: string | null }>(q, sql`SELECT x.psych_note_enc AS enc, x.psych_updated_at AS "updatedAt", u.display_name AS "updatedBy"
    FROM support_cases x LEFT JOIN users u ON u.id = x.psych_updated_by WHERE x.id = ${caseId}`);
}

/** The pairings of a student in the 师生结对 and 生生结对 programmes (as the helped student), all statuses, with participants. */
export function studentPairings(q: Queryable, studentId: number) {
  return rows<{ id: number; programme: string; programmeName: string; status: string; start: string; end: string | null; subjectRef: { kind: string; id: number | string } | null }>(q, sql`
    SELECT pg.id, pr.key AS programme, pr.name AS "programmeName", pg.status, pg.start_date AS start, pg.end_date AS "end", pg.subject_ref AS "subjectRef"
    FROM pairings pg JOIN programmes pr ON pr.id = pg.programme_id
    WHERE pr.key IN ('teacher_student', 'peer') AND EXISTS (SELECT 1 FROM pairing_participants pt WHERE pt.pairing_id = pg.id
      AND pt.side = 'helped' AND pt.person_kind = 'student' AND pt.person_id = ${studentId})
    ORDER BY pg.start_date, pg.id`);
}

/** Open pairings (proposed / active) made for any case of this student (subject_ref names a case of the student). */
export function openCasePairings(q: Queryable, studentId: number) {
  return rows<{ id: number; status: 'proposed' | 'active' }>(q, sql`SELECT pg.id, pg.status FROM pairings pg
    WHERE pg.status IN ('proposed', 'active') AND pg.subject_ref ->> 'kind' = 'support_case'
      AND EXISTS (SELECT 1 FROM support_cases sx WHERE sx.id::text = pg.subject_ref ->> 'id' AND sx.student_id = ${studentId})
    ORDER BY pg.id`);
}

// ───────────────────────────── registry facts ─────────────────────────────

export interface StudentFact {
  id: number;
  name: string;
  schoolId: number;
  status: string;
  /** enrollment in the school year asked for */
  enrolledSchoolId: number | null;
  classId: number | null;
  className: string | null;
}

/** Students among ids (in scope), with their enrollment in the school year. */
export function studentsWithEnrollment(q: Queryable, ids: number[], schoolYear: string, scopeCond: SQL) {
  if (ids.length === 0) return Promise.resolve([] as StudentFact[]);
  return rows<StudentFact>(q, sql`SELECT st.id, st.name, st.school_id AS "schoolId", st.status, e.school_id AS "enrolledSchoolId", e.class_id AS "classId", c.name AS "className"
    FROM students st LEFT JOIN enrollments e ON e.student_id = st.id AND e.school_year = ${schoolYear} LEFT JOIN classes c ON c.id = e.class_id
    WHERE st.id = ANY(${p(ids)}::int[]) AND ${scopeCond}`);
}

/** Students enrolled in the school year (在读), in scope, optionally at one school. */
export function enrolledStudents(q: Queryable, schoolYear: string, scopeCond: SQL, schoolId?: number) {
  return rows<{ studentId: number; name: string; schoolId: number; classId: number | null; className: string | null }>(q, sql`
    SELECT st.id AS "studentId", st.name, e.school_id AS "schoolId", e.class_id AS "classId", c.name AS "className"
    FROM enrollments e JOIN students st ON st.id = e.student_id JOIN classes c ON c.id = e.class_id
    WHERE e.school_year = ${schoolYear} AND st.status = '在读' AND ${scopeCond} ${schoolId ? sql`AND e.school_id = ${schoolId}` : sql``}
    ORDER BY st.id`);
}

/** Family flags of the students enrolled in the school year (in scope), as student → flags. */
export async function familyFlagsOf(q: Queryable, schoolYear: string, scopeCond: SQL, schoolId?: number): Promise<Map<number, string[]>> {
  const list = await rows<{ studentId: number; flags: string[] }>(q, sql`SELECT f.student_id AS "studentId", array_agg(f.flag ORDER BY f.flag) AS flags
    FROM family_flags f JOIN students st ON st.id = f.student_id JOIN enrollments e ON e.student_id = st.id AND e.school_year = ${schoolYear}
    WHERE st.status = '在读' AND ${scopeCond} ${schoolId ? sql`AND e.school_id = ${schoolId}` : sql``}
    GROUP BY f.student_id`);
  return new Map(list.map((r) => [r.studentId, r.flags]));
}

export function examOf(q: Queryable, examId: string, scopeCond: SQL) {
  return one<{ id: string; name: string; schoolYear: string; term: number; grade: number; status: string }>(q, sql`
    SELECT e.id, e.name, e.school_year AS "schoolYear", e.term::int AS term, e.grade::int AS grade, e.status FROM exams e WHERE e.id = ${examId} AND ${scopeCond}`);
}

/** The confirmed candidates of an exam the scope condition (alias c) lets the caller see. */
export function confirmedCandidates(q: Queryable, examId: string, scopeCond: SQL) {
  return rows<{ studentId: number; subjects: string[]; reason: string }>(q, sql`SELECT c.student_id AS "studentId", c.subjects, c.reason
    FROM exam_candidates c WHERE c.exam_id = ${examId} AND c.status = 'confirmed' AND ${scopeCond} ORDER BY c.student_id`);
}

/**
 * The refresh's 后20% source: among the analysed county exams of these school years, the latest of each
 * cohort (school year's first year − grade: the same students a year later), with its confirmed candidates.
 */
export function latestConfirmedCandidates(q: Queryable, schoolYears: string[]) {
  return rows<{ studentId: number; examId: string; examName: string; subjects: string[] }>(q, sql`
    WITH latest AS (
      SELECT DISTINCT ON (left(e.school_year, 4)::int - e.grade) e.id, e.name FROM exams e
      WHERE e.school_year = ANY(${p(schoolYears)}::text[]) AND e.status = 'analysed' AND e.scope = 'county'
      ORDER BY left(e.school_year, 4)::int - e.grade, e.school_year DESC, e.term DESC, e.exam_date DESC NULLS LAST, e.created_at DESC)
    SELECT c.student_id AS "studentId", l.id AS "examId", l.name AS "examName", c.subjects
    FROM latest l JOIN exam_candidates c ON c.exam_id = l.id AND c.status = 'confirmed' ORDER BY c.student_id, l.id`);
}

export interface TeacherFact {
  id: number;
  name: string;
  isLeader: boolean;
  subjects: string[];
  teaches: { classId: number; subject: string }[];
}

/** Active teachers of a school with what they teach in the school year. */
export function schoolTeachers(q: Queryable, schoolId: number, schoolYear: string) {
  return rows<TeacherFact>(q, sql`SELECT t.id, t.name, t.is_leader AS "isLeader", t.subjects,
      coalesce((SELECT json_agg(json_build_object('classId', ta.class_id, 'subject', ta.subject) ORDER BY ta.class_id, ta.subject)
        FROM teaching_assignments ta JOIN classes tc ON tc.id = ta.class_id AND tc.school_year = ${schoolYear} WHERE ta.teacher_id = t.id), '[]'::json) AS teaches
    FROM teachers t WHERE t.school_id = ${schoolId} AND t.active ORDER BY t.id`);
}

export function casesForAssignment(q: Queryable, schoolId: number, schoolYear: string) {
  return rows<{ id: number; studentId: number; studentName: string; classId: number | null; categories: SupportCategory[]; status: CaseStatus; weakSubjects: string[] }>(q, sql`
    SELECT x.id, x.student_id AS "studentId", st.name AS "studentName", x.class_id AS "classId", x.categories, x.status, x.weak_subjects AS "weakSubjects"
    FROM support_cases x JOIN students st ON st.id = x.student_id WHERE x.school_id = ${schoolId} AND x.school_year = ${schoolYear} ORDER BY x.id`);
}

export function schoolsWhere(q: Queryable, where: SQL) {
  return rows<{ id: number; code: string; name: string }>(q, sql`SELECT sc.id, sc.code, sc.name FROM schools sc WHERE ${where} ORDER BY sc.code`);
}

export function teachersByIds(q: Queryable, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return rows<{ id: number; name: string; schoolId: number }>(q, sql`SELECT id, name, school_id AS "schoolId" FROM teachers WHERE id = ANY(${p(ids)}::int[])`);
}

// ───────────────────────────── reports ─────────────────────────────

/** Cases on the list (confirmed / active / reviewed) of a school year within scope (alias x), and whether each student has a teacher now. */
export function coverageFacts(q: Queryable, schoolYear: string, where: SQL, today: string) {
  return rows<{ schoolId: number; categories: SupportCategory[]; covered: boolean }>(q, sql`
    SELECT x.school_id AS "schoolId", x.categories,
      EXISTS (SELECT 1 FROM (${linksSql(today, sql`ps.person_id = x.student_id`)}) l) AS covered
    FROM support_cases x
    WHERE x.school_year = ${schoolYear} AND x.status IN ('confirmed', 'active', 'reviewed') AND ${where}`);
}

/** Records of the month on the school's 师生结对 pairings (visible), per responsible teacher (the helper on the record's date). */
export function monthRecords(q: Queryable, schoolId: number, from: string, to: string, activitiesCond: SQL) {
  return rows<{ teacherId: number; status: string; n: number }>(q, sql`
    SELECT ph.person_id AS "teacherId", a.status, count(DISTINCT a.id)::int AS n
    FROM activities a JOIN pairings pg ON pg.id = a.pairing_id JOIN programmes pr ON pr.id = pg.programme_id AND pr.key = 'teacher_student'
      JOIN pairing_participants ph ON ph.pairing_id = pg.id AND ph.side = 'helper' AND ph.person_kind = 'teacher'
        AND ph.from_date <= a.date AND (ph.to_date IS NULL OR ph.to_date >= a.date) AND ph.school_id = ${schoolId}
    WHERE a.date BETWEEN ${from} AND ${to} AND ${activitiesCond}
    GROUP BY ph.person_id, a.status`);
}

/** Current 师生结对 students per teacher of the school. */
export function teacherCaseloads(q: Queryable, schoolId: number, today: string) {
  return rows<{ teacherId: number; name: string; students: number }>(q, sql`
    SELECT t.id AS "teacherId", t.name, count(DISTINCT l.student_id)::int AS students
    FROM teachers t JOIN (${linksSql(today)}) l ON l.teacher_id = t.id WHERE t.school_id = ${schoolId} GROUP BY t.id, t.name ORDER BY t.id`);
}

/** Records on the student's 师生结对 pairings between two dates (for the cross-check), readable by the caller. */
export function crossCheckRecords(q: Queryable, studentId: number, from: string, to: string, activitiesCond: SQL, readable: SQL) {
  return rows<{ id: number; type: string; date: string; role: string; fields: Record<string, unknown> | null }>(q, sql`
    SELECT a.id, a.type, a.date, a.role, CASE WHEN ${readable} THEN a.fields END AS fields
    FROM activities a JOIN pairings pg ON pg.id = a.pairing_id JOIN programmes pr ON pr.id = pg.programme_id AND pr.key = 'teacher_student'
    WHERE a.date BETWEEN ${from} AND ${to} AND a.status IN ('submitted', 'accepted') AND ${activitiesCond}
      AND EXISTS (SELECT 1 FROM pairing_participants pt WHERE pt.pairing_id = pg.id AND pt.side = 'helped' AND pt.person_kind = 'student' AND pt.person_id = ${studentId})
    ORDER BY a.date, a.id`);
}

// ───────────────────────────── yearly changes ─────────────────────────────

/** The cases of two consecutive school years (within scope, alias x), to tell new, continuing and left apart. */
export function casesOfYears(q: Queryable, years: string[], where: SQL) {
  return rows<{ id: number; studentId: number; studentName: string; schoolId: number; schoolYear: string; categories: SupportCategory[]; status: CaseStatus; closeReason: CloseReason | null; weakSubjects: string[] }>(q, sql`
    SELECT x.id, x.student_id AS "studentId", st.name AS "studentName", x.school_id AS "schoolId", x.school_year AS "schoolYear", x.categories, x.status,
      x.close_reason AS "closeReason", x.weak_subjects AS "weakSubjects"
    FROM support_cases x JOIN students st ON st.id = x.student_id WHERE x.school_year = ANY(${p(years)}::text[]) AND ${where} ORDER BY x.id`);
}

/** Students (among ids) with a current responsible teacher. */
export async function studentsWithTeacher(q: Queryable, ids: number[], today: string): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const list = await rows<{ id: number }>(q, sql`SELECT DISTINCT l.student_id AS id FROM (${linksSql(today, sql`ps.person_id = ANY(${p(ids)}::int[])`)}) l`);
  return new Set(list.map((r) => r.id));
}
