// The exam's subjects against the file's subject columns: which column feeds which exam
// subject, with what full marks, and which subjects the file adds. Pure.
import type { ExamSubjectSpec } from '../../../db/schema.js';
import type { SubjectColumn } from './score-header.js';
import type { SubjectPlan } from './score-rows.js';
import { canonicalSubject, defaultFullMarks } from './subjects.js';

export interface ReconcileInput {
  examSubjects: readonly ExamSubjectSpec[];
  fileSubjects: readonly SubjectColumn[];
  grade: number;
  /** the exam already has imported scores: its subjects are fixed */
  hasScores: boolean;
  /**
   * Subjects counted toward the total when the file adds them (the CLI's --total). When
   * not given, an added subject counts toward the total.
   */
  totalSubjects?: readonly string[] | null;
}

export type ReconcileResult =
  | { ok: true; subjects: ExamSubjectSpec[]; plan: SubjectPlan[]; added: string[] }
  | { ok: false; message: string };

/**
 * Full marks: the exam's definition when it lists the subject; else the header's hint
 * ('语文(120)'); else the default table (defaultFullMarks). A file subject the exam does
 * not list is added (only while the exam has no scores); an exam subject missing from the
 * file rejects the file.
 */
export function reconcileSubjects(input: ReconcileInput): ReconcileResult {
  const byName = new Map<string, SubjectColumn>();
  for (const f of input.fileSubjects) byName.set(f.name, f);
  const listed = input.examSubjects.map((s) => ({ ...s, key: canonicalSubject(s.name) }));
  const examNames = listed.map((s) => s.name).join('、');

  const missing = listed.filter((s) => !byName.has(s.key) && !byName.has(s.name));
  if (missing.length) {
    return {
      ok: false,
      message: `文件中缺少考试科目${missing.map((s) => `“${s.name}”`).join('、')}的成绩列（该考试的科目：${examNames}）。请检查表头中的科目名称`,
    };
  }
  const listedKeys = new Set(listed.flatMap((s) => [s.key, s.name]));
  const extra = input.fileSubjects.filter((f) => !listedKeys.has(f.name));
  if (extra.length && input.hasScores) {
    return {
      ok: false,
      message: `该考试已导入过成绩，不能再增加科目：文件中的${extra.map((f) => `“${f.header}”`).join('、')}不是该考试的科目（该考试的科目：${examNames}）。请删除这些列后重新导入，或新建一个考试`,
    };
  }
  const total = input.totalSubjects ? new Set(input.totalSubjects.map(canonicalSubject)) : null;
  const subjects: ExamSubjectSpec[] = listed.map(({ key: _key, ...s }) => s);
  const plan: SubjectPlan[] = listed.map((s) => ({ name: s.name, fullMarks: s.fullMarks, col: (byName.get(s.key) ?? byName.get(s.name))!.col }));
  for (const f of extra) {
    const fullMarks = f.fullMarksHint ?? defaultFullMarks(f.name, input.grade);
    subjects.push({ name: f.name, fullMarks, countsToTotal: total ? total.has(f.name) : true });
    plan.push({ name: f.name, fullMarks, col: f.col });
  }
  return { ok: true, subjects, plan, added: extra.map((f) => f.name) };
}
