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
  /** subjects (not 总分) the student is in the bottom group of, in subject order;
   * frozen and shared between students with the same subjects */
  subjects: readonly string[];
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

/**
 * Candidates per class (index = class index), ordered total → single → multi,
 * then by student index.
 *
 * Two passes and a counting sort, no comparator sort; the subject lists are
 * shared between students with the same combination (frozen arrays), so a
 * county-wide run allocates one small object per candidate and little else.
 */
export function classCandidates(input: CandidateInput): Candidate[][] {
  const { classOf, classCount, totalBottom, subjects } = input;
  const includeMulti = input.includeMultiSubject ?? true;
  const m = subjects.length;
  if (m > 52) throw new RangeError(`科目过多: ${m}`); // the subject set is a bit set in a double
  const n = classOf.length;
  const reason = new Uint8Array(n); // 0 none, 1 total, 2 single, 3 multi
  const subjectSet = new Float64Array(n);
  const perClassReason = new Int32Array(classCount * 3);
  const masks = subjects.map((s) => s.bottom);
  for (let i = 0; i < n; i++) {
    const c = classOf[i]!;
    if (c < 0) continue;
    const inTotal = totalBottom !== null && totalBottom[i] === 1;
    let count = 0;
    let set = 0;
    for (let s = 0, bit = 1; s < m; s++, bit *= 2) {
      if (masks[s]![i] === 1) {
        count++;
        set += bit;
      }
    }
    const r = inTotal ? 1 : count === 1 ? 2 : count >= 2 && includeMulti ? 3 : 0;
    if (r === 0) continue;
    reason[i] = r;
    subjectSet[i] = set;
    perClassReason[c * 3 + r - 1]!++;
  }
  // counting sort by (class, reason); students stay in index order within a bucket
  const start = new Int32Array(classCount * 3 + 1);
  for (let k = 0; k < classCount * 3; k++) start[k + 1] = start[k]! + perClassReason[k]!;
  const order = new Int32Array(start[classCount * 3]!);
  const next = start.slice(0, classCount * 3);
  for (let i = 0; i < n; i++) {
    const r = reason[i]!;
    if (r !== 0) order[next[classOf[i]! * 3 + r - 1]!++] = i;
  }
  const names = new Map<number, string[]>();
  const namesOf = (set: number): string[] => {
    let list = names.get(set);
    if (!list) {
      list = [];
      for (let s = 0, rest = set; s < m; s++, rest = Math.floor(rest / 2)) if (rest % 2 === 1) list.push(subjects[s]!.subject);
      Object.freeze(list);
      names.set(set, list);
    }
    return list;
  };
  const reasons: CandidateReason[] = ['total', 'single_subject', 'multi_subject'];
  const perClass: Candidate[][] = new Array(classCount);
  for (let c = 0; c < classCount; c++) {
    const from = start[c * 3]!;
    const to = start[c * 3 + 3]!;
    const list: Candidate[] = new Array(to - from);
    for (let j = from; j < to; j++) {
      const i = order[j]!;
      list[j - from] = { student: i, reason: reasons[reason[i]! - 1]!, subjects: namesOf(subjectSet[i]!) };
    }
    perClass[c] = list;
  }
  return perClass;
}
