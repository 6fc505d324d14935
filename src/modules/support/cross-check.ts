// 核对: the teacher's records against the student's own record book (000 范文1 "帮扶的学科教师与被
// 帮扶的学生都有记录，便于进行跟踪、核对"). A teacher's record matches a student's record of the same
// day and kind, and the same subject when both name one. Pure and deterministic.

/** The kind a teacher's record type stands for in the student's record book (student_record.kind). */
export const TEACHER_TYPE_KINDS: Record<string, string> = {
  tutoring: '辅导',
  talk: '谈心',
  psych_support: '谈心',
  study_guidance: '学习方法指导',
  home_visit: '家访/电访',
  phone_visit: '家访/电访',
};

export interface TeacherSide {
  id: number;
  type: string;
  date: string;
  subject: string | null;
}
export interface StudentSide {
  id: number;
  date: string;
  kind: string;
  subject: string | null;
}

const norm = (s: string | null | undefined) => (s ?? '').trim() || null;
const order = <T extends { date: string; id: number }>(a: T, b: T) => a.date.localeCompare(b.date) || a.id - b.id;

export function crossCheck(teacher: readonly TeacherSide[], student: readonly StudentSide[]) {
  const matched: { date: string; kind: string; subject: string | null; teacherRecordId: number; studentRecordId: number }[] = [];
  const teacherOnly: { date: string; kind: string; subject: string | null; recordId: number }[] = [];
  const used = new Set<number>();
  const students = [...student].sort(order);
  for (const t of [...teacher].filter((x) => TEACHER_TYPE_KINDS[x.type]).sort(order)) {
    const kind = TEACHER_TYPE_KINDS[t.type]!;
    const subject = norm(t.subject);
    const s = students.find((x) => !used.has(x.id) && x.date === t.date && x.kind === kind && (!subject || !norm(x.subject) || norm(x.subject) === subject));
    if (s) {
      used.add(s.id);
      matched.push({ date: t.date, kind, subject: subject ?? norm(s.subject), teacherRecordId: t.id, studentRecordId: s.id });
    } else {
      teacherOnly.push({ date: t.date, kind, subject, recordId: t.id });
    }
  }
  const studentOnly = students.filter((x) => !used.has(x.id)).map((x) => ({ date: x.date, kind: x.kind, subject: norm(x.subject), recordId: x.id }));
  return { matched, teacherOnly, studentOnly };
}
