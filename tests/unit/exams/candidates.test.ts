import { describe, expect, it } from 'vitest';
import { classCandidates } from '../../../src/modules/exams/analysis/candidates.js';

describe('classCandidates', () => {
  // class 0: s0 total; s1 语文 only; s2 语文+数学 not total; s3 nothing; class 1: s4 数学 only; s5 has no class
  const input = {
    classOf: Int32Array.from([0, 0, 0, 0, 1, -1]),
    classCount: 2,
    totalBottom: Uint8Array.from([1, 0, 0, 0, 0, 1]),
    subjects: [
      { subject: '语文', bottom: Uint8Array.from([0, 1, 1, 0, 0, 1]) },
      { subject: '数学', bottom: Uint8Array.from([0, 0, 1, 0, 1, 1]) },
      { subject: '英语', bottom: Uint8Array.from([0, 0, 0, 0, 0, 0]) },
    ],
  };

  it('lists total-bottom students, single-subject students with the subject, and (by default) multi-subject ones', () => {
    const [c0, c1] = classCandidates(input);
    expect(c0).toEqual([
      { student: 0, reason: 'total', subjects: [] },
      { student: 1, reason: 'single_subject', subjects: ['语文'] },
      { student: 2, reason: 'multi_subject', subjects: ['语文', '数学'] },
    ]);
    expect(c1).toEqual([{ student: 4, reason: 'single_subject', subjects: ['数学'] }]);
  });

  it('reads "one subject only" literally when asked', () => {
    const [c0] = classCandidates({ ...input, includeMultiSubject: false });
    expect(c0!.map((c) => c.student)).toEqual([0, 1]);
  });

  it('works without a total', () => {
    const [c0] = classCandidates({ ...input, totalBottom: null });
    expect(c0!.map((c) => [c.student, c.reason])).toEqual([[1, 'single_subject'], [2, 'multi_subject']]);
  });
});
