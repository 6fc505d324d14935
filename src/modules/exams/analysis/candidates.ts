/**
 * The per-class candidate list for support (帮扶对象候选名单).
 *
 * The issue: "students in the bottom group in the total, and those in the
 * bottom group in one subject only, with the subject". 范文1 adds why: the
 * school hands the analysed list to subject teachers and head teachers, who
 * then confirm the targets "根据学生的实际(比如单科成绩排后20%而总成绩不是后20%)".
 *
 * Categories:
 * - 'total'          bottom in the total (subjects they are also bottom in are listed);
 * - 'single_subject' not bottom in the total, bottom in exactly one subject;
 * - 'multi_subject'  not bottom in the total, bottom in two or more subjects.
 * A literal reading of "one subject only" would drop the third group, yet those
 * students need the support most of all (each of their subject teachers will
 * want them), so they are included by default with their subjects;
 * `includeMultiSubject: false` restores the literal reading.
 *
 * The list is a proposal: confirmation by the teachers happens later, in the
 * service layer.
 */

export type CandidateReason = 'total' | 'single_subject' | 'multi_subject';

export interface Candidate {
  /** the student's index in the exam input */
  student: number;
  reason: CandidateReason;
  /** subjects (not 总分) the student is in the bottom group of, in subject order */
  subjects: string[];
}

export interface CandidateInput {
  /** class index per student (−1 = no class: not listed) */
  classOf: Int32Array;
  classCount: number;
  /** bottom mask of the total; null when no total is configured */
  totalBottom: Uint8Array | null;
  /** bottom mask of every analysed subject */
  subjects: ReadonlyArray<{ subject: string; bottom: Uint8Array }>;
  /** include students bottom in ≥ 2 subjects but not the total; default true */
  includeMultiSubject?: boolean;
}

const REASON_ORDER: Record<CandidateReason, number> = { total: 0, single_subject: 1, multi_subject: 2 };

/** Candidates per class (index = class index), ordered total → single → multi, then by student. */
export function classCandidates(input: CandidateInput): Candidate[][] {
  const { classOf, classCount, totalBottom, subjects } = input;
  const includeMulti = input.includeMultiSubject ?? true;
  const perClass: Candidate[][] = Array.from({ length: classCount }, () => []);
  const m = subjects.length;
  const n = classOf.length;
  for (let i = 0; i < n; i++) {
    const c = classOf[i]!;
    if (c < 0) continue;
    const inTotal = totalBottom !== null && totalBottom[i] === 1;
    let count = 0;
    for (let s = 0; s < m; s++) count += subjects[s]!.bottom[i]!;
    if (!inTotal && count === 0) continue; // the common case: no allocation
    if (!inTotal && count >= 2 && !includeMulti) continue;
    const list: string[] = [];
    for (let s = 0; s < m; s++) if (subjects[s]!.bottom[i] === 1) list.push(subjects[s]!.subject);
    const reason: CandidateReason = inTotal ? 'total' : count === 1 ? 'single_subject' : 'multi_subject';
    perClass[c]!.push({ student: i, reason, subjects: list });
  }
  for (const list of perClass) list.sort((a, b) => REASON_ORDER[a.reason] - REASON_ORDER[b.reason] || a.student - b.student);
  return perClass;
}
