// Assignment of teachers to support cases (师生结对): the documents' rules as configurable checks
// (001 篇六 "每名教师帮扶1—2名潜能生，每位领导至少帮扶1名贫困生"; 000 范文4 / 001 篇六 "每名贫困生有一名
// 帮扶教师"、"一个不漏"), and a suggestion that fills the gaps by subject, class and load.
// Pure and deterministic: the same input gives the same output, whatever the order it came in.
import {
  OPEN_CONFIRMED_STATUSES,
  SUPPORT_CATEGORY_LABELS,
  type AssignmentRules,
  type CaseStatus,
  type SupportCategory,
  type Violation,
} from './support.schemas.js';

export const DEFAULT_ASSIGNMENT_RULES: AssignmentRules = {
  teacherMin: 1,
  teacherMax: 2,
  leaderMinPoor: 1,
  poorExactlyOne: true,
  noneWithoutTeacher: true,
};

export interface AssignTeacher {
  id: number;
  name: string;
  /** 学校领导 (teachers.is_leader) */
  isLeader: boolean;
  subjects: readonly string[];
  /** what they teach where (teaching_assignments) */
  teaches: readonly { classId: number; subject: string }[];
}

export interface AssignCase {
  id: number;
  studentId: number;
  studentName: string;
  classId: number | null;
  categories: readonly SupportCategory[];
  status: CaseStatus;
  weakSubjects: readonly string[];
}

/** A current teacher–student pairing (proposed or active, both still taking part). */
export interface AssignLink {
  teacherId: number;
  studentId: number;
}

const onList = (c: AssignCase) => OPEN_CONFIRMED_STATUSES.includes(c.status);
const isPoor = (c: AssignCase) => c.categories.includes('poverty');
const byId = <T extends { id: number }>(a: T, b: T) => a.id - b.id;
const labels = (c: AssignCase) => c.categories.map((k) => SUPPORT_CATEGORY_LABELS[k]).join('、');

interface Tally {
  /** distinct students each teacher helps */
  students: Map<number, Set<number>>;
  /** distinct teachers each student has */
  teachers: Map<number, Set<number>>;
}

function tally(links: readonly AssignLink[]): Tally {
  const students = new Map<number, Set<number>>();
  const teachers = new Map<number, Set<number>>();
  for (const l of links) {
    (students.get(l.teacherId) ?? students.set(l.teacherId, new Set()).get(l.teacherId)!).add(l.studentId);
    (teachers.get(l.studentId) ?? teachers.set(l.studentId, new Set()).get(l.studentId)!).add(l.teacherId);
  }
  return { students, teachers };
}

const v = (rule: Violation['rule'], severity: Violation['severity'], message: string, ids: { teacherId?: number; caseId?: number; studentId?: number } = {}): Violation => ({
  rule, severity, message, teacherId: ids.teacherId ?? null, caseId: ids.caseId ?? null, studentId: ids.studentId ?? null,
});

/**
 * The rules' violations, in Chinese, in a fixed order (rule, then teacher or case id).
 * - teacher_max (error): a teacher helps more than teacherMax students;
 * - teacher_min (warning): fewer than teacherMin (a school may have more teachers than cases);
 * - leader_poor (error): a leader (is_leader) helps fewer than leaderMinPoor poor students on the list;
 * - poor_one_teacher (error): a poor student on the list has no teacher, or more than one;
 * - none_without_teacher (error): a student on the list (confirmed, active, reviewed) has no teacher —
 *   a poor student without one is reported once, under poor_one_teacher, when that rule is on.
 */
export function checkAssignments(rules: AssignmentRules, teachers: readonly AssignTeacher[], cases: readonly AssignCase[], links: readonly AssignLink[]): Violation[] {
  const t = tally(links);
  const out: Violation[] = [];
  const sortedTeachers = [...teachers].sort(byId);
  const listed = cases.filter(onList).sort(byId);
  const poorStudents = new Set(listed.filter(isPoor).map((c) => c.studentId));
  const load = (id: number) => t.students.get(id)?.size ?? 0;

  for (const te of sortedTeachers) {
    if (load(te.id) > rules.teacherMax) {
      out.push(v('teacher_max', 'error', `教师${te.name}帮扶${load(te.id)}名学生，超过每人${rules.teacherMax}名的上限`, { teacherId: te.id }));
    }
  }
  if (rules.teacherMin > 0) {
    for (const te of sortedTeachers) {
      if (load(te.id) < rules.teacherMin) {
        out.push(v('teacher_min', 'warning', `教师${te.name}帮扶${load(te.id)}名学生，少于每人${rules.teacherMin}名`, { teacherId: te.id }));
      }
    }
  }
  if (rules.leaderMinPoor > 0) {
    for (const te of sortedTeachers.filter((x) => x.isLeader)) {
      const poor = [...(t.students.get(te.id) ?? [])].filter((s) => poorStudents.has(s)).length;
      if (poor < rules.leaderMinPoor) {
        out.push(v('leader_poor', 'error', `学校领导${te.name}帮扶贫困生${poor}名，应至少${rules.leaderMinPoor}名`, { teacherId: te.id }));
      }
    }
  }
  if (rules.poorExactlyOne) {
    for (const c of listed.filter(isPoor)) {
      const n = t.teachers.get(c.studentId)?.size ?? 0;
      if (n === 0) out.push(v('poor_one_teacher', 'error', `贫困生${c.studentName}还没有帮扶教师`, { caseId: c.id, studentId: c.studentId }));
      if (n > 1) out.push(v('poor_one_teacher', 'error', `贫困生${c.studentName}有${n}名帮扶教师，应一对一只有一名`, { caseId: c.id, studentId: c.studentId }));
    }
  }
  if (rules.noneWithoutTeacher) {
    for (const c of listed) {
      if ((t.teachers.get(c.studentId)?.size ?? 0) > 0) continue;
      if (rules.poorExactlyOne && isPoor(c)) continue;
      out.push(v('none_without_teacher', 'error', `${c.studentName}（${labels(c)}）已确认为帮扶对象，还没有帮扶教师`, { caseId: c.id, studentId: c.studentId }));
    }
  }
  return out;
}

/** How well a teacher fits a case; compared element by element, higher first. */
function fit(te: AssignTeacher, c: AssignCase, load: number, rules: AssignmentRules): { score: number[]; reasons: string[] } {
  const inClass = c.classId == null ? [] : te.teaches.filter((x) => x.classId === c.classId);
  const classWeak = inClass.filter((x) => c.weakSubjects.includes(x.subject)).map((x) => x.subject);
  const subjectWeak = te.subjects.filter((s) => c.weakSubjects.includes(s));
  const reasons: string[] = [];
  if (classWeak.length > 0) reasons.push(`任教该班${[...new Set(classWeak)].join('、')}（薄弱学科）`);
  else if (inClass.length > 0) reasons.push(`任教该班${[...new Set(inClass.map((x) => x.subject))].join('、')}`);
  if (classWeak.length === 0 && subjectWeak.length > 0) reasons.push(`学科对口：${subjectWeak.join('、')}`);
  reasons.push(`现帮扶${load}名`);
  return {
    score: [classWeak.length > 0 ? 1 : 0, inClass.length > 0 ? 1 : 0, subjectWeak.length > 0 ? 1 : 0, load < rules.teacherMin ? 1 : 0, -load, -te.id],
    reasons,
  };
}

function better(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return false;
}

/**
 * Fills the gaps: every case on the list without a teacher gets one, if a teacher is below the
 * maximum. First each leader below leaderMinPoor takes a poor student (the best fit for them);
 * then the cases in order — poor first, then more categories, then case id — each take the best
 * teacher: teaches the student's class in a weak subject > teaches the class > a weak subject is
 * theirs > still below the minimum > lower load > lower teacher id. Existing pairings are never
 * changed (a person does that); violationsAfter is checkAssignments with the suggestion applied.
 */
export function suggestAssignments(rules: AssignmentRules, teachers: readonly AssignTeacher[], cases: readonly AssignCase[], links: readonly AssignLink[]) {
  const t = tally(links);
  const load = new Map<number, number>(teachers.map((te) => [te.id, t.students.get(te.id)?.size ?? 0]));
  const sortedTeachers = [...teachers].sort(byId);
  const need = cases
    .filter((c) => onList(c) && (t.teachers.get(c.studentId)?.size ?? 0) === 0)
    .sort((a, b) => Number(isPoor(b)) - Number(isPoor(a)) || b.categories.length - a.categories.length || a.id - b.id);
  // one case per student (a student has one case a year, but be safe)
  const seen = new Set<number>();
  const open = need.filter((c) => (seen.has(c.studentId) ? false : (seen.add(c.studentId), true)));
  const items: { caseId: number; studentId: number; teacherId: number; reasons: string[] }[] = [];
  const taken = new Set<number>();
  const assign = (c: AssignCase, te: AssignTeacher, reasons: string[]) => {
    items.push({ caseId: c.id, studentId: c.studentId, teacherId: te.id, reasons });
    taken.add(c.id);
    load.set(te.id, (load.get(te.id) ?? 0) + 1);
  };

  if (rules.leaderMinPoor > 0) {
    const poorListed = new Set(cases.filter((c) => onList(c) && isPoor(c)).map((c) => c.studentId));
    for (const te of sortedTeachers.filter((x) => x.isLeader)) {
      let poor = [...(t.students.get(te.id) ?? [])].filter((s) => poorListed.has(s)).length;
      while (poor < rules.leaderMinPoor && (load.get(te.id) ?? 0) < rules.teacherMax) {
        let best: { c: AssignCase; score: number[]; reasons: string[] } | null = null;
        for (const c of open) {
          if (taken.has(c.id) || !isPoor(c)) continue;
          const f = fit(te, c, load.get(te.id) ?? 0, rules);
          // for one leader, compare the cases: the fit, then the case order (ids ascending)
          if (!best || better(f.score.slice(0, 3), best.score.slice(0, 3))) best = { c, ...f };
        }
        if (!best) break;
        assign(best.c, te, ['学校领导帮扶贫困生', ...best.reasons]);
        poor++;
      }
    }
  }

  const unassigned: { caseId: number; reason: string }[] = [];
  for (const c of open) {
    if (taken.has(c.id)) continue;
    let best: { te: AssignTeacher; score: number[]; reasons: string[] } | null = null;
    for (const te of sortedTeachers) {
      const l = load.get(te.id) ?? 0;
      if (l >= rules.teacherMax) continue;
      const f = fit(te, c, l, rules);
      if (!best || better(f.score, best.score)) best = { te, ...f };
    }
    if (!best) {
      unassigned.push({ caseId: c.id, reason: teachers.length === 0 ? '本校没有在职教师' : `没有可分配的教师：每名教师都已帮扶${rules.teacherMax}名学生` });
      continue;
    }
    assign(c, best.te, best.reasons);
  }
  const after = [...links, ...items.map((i) => ({ teacherId: i.teacherId, studentId: i.studentId }))];
  return { items, unassigned, violationsAfter: checkAssignments(rules, teachers, cases, after) };
}

/**
 * Problems that stop accepting these (caseId, teacherId) items, in Chinese: a case not on the list
 * (confirmed / active / reviewed) or unknown, a teacher who is not an active teacher of the school,
 * a pair that already exists or is listed twice, a teacher over the maximum, a poor student who
 * would have more than one teacher.
 */
export function acceptProblems(rules: AssignmentRules, teachers: readonly AssignTeacher[], cases: readonly AssignCase[], links: readonly AssignLink[], items: readonly { caseId: number; teacherId: number }[]): string[] {
  const problems: string[] = [];
  const caseOf = new Map(cases.map((c) => [c.id, c]));
  const teacherOf = new Map(teachers.map((te) => [te.id, te]));
  const t = tally(links);
  const load = new Map<number, number>(teachers.map((te) => [te.id, t.students.get(te.id)?.size ?? 0]));
  const studentTeachers = new Map<number, Set<number>>([...t.teachers].map(([k, s]) => [k, new Set(s)]));
  const pairs = new Set<string>();
  for (const it of items) {
    const c = caseOf.get(it.caseId);
    const te = teacherOf.get(it.teacherId);
    if (!c) {
      problems.push(`帮扶对象 ${it.caseId} 不存在或不属于本校本学年`);
      continue;
    }
    if (!onList(c)) {
      problems.push(`${c.studentName}尚未确认为帮扶对象或已结案，不能分配教师`);
      continue;
    }
    if (!te) {
      problems.push(`教师 ${it.teacherId} 不是本校在职教师`);
      continue;
    }
    const key = `${te.id}/${c.studentId}`;
    if (pairs.has(key) || studentTeachers.get(c.studentId)?.has(te.id)) {
      problems.push(`${te.name}已是${c.studentName}的帮扶教师`);
      continue;
    }
    pairs.add(key);
    const n = (load.get(te.id) ?? 0) + 1;
    load.set(te.id, n);
    if (n > rules.teacherMax) problems.push(`教师${te.name}将帮扶${n}名学生，超过每人${rules.teacherMax}名的上限`);
    const st = studentTeachers.get(c.studentId) ?? studentTeachers.set(c.studentId, new Set()).get(c.studentId)!;
    st.add(te.id);
    if (rules.poorExactlyOne && isPoor(c) && st.size > 1) problems.push(`贫困生${c.studentName}只能有一名帮扶教师`);
  }
  return [...new Set(problems)];
}
