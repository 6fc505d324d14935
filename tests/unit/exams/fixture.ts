/**
 * A hand-computed county: 2 schools, 3 classes, 20 students, 语文 and 数学
 * (full marks 100, both counted in 总分). Every expected number in
 * analyse.test.ts is derived below; N = 20 → cut position ⌈0.2·20⌉ = 4.
 *
 * School A 3601020001: class A1 (s0–s5), class A2 (s6–s11); school B 3601020002:
 * one class B1 (s12–s19). 语文: T1 teaches A1+A2, T2 teaches B1 (given per
 * student); 数学: T3 A1, T4 A2, T5 B1 (given per class).
 *
 *        语文   数学   总分
 *  A1 s0  50     40     90
 *     s1  60     70    130
 *     s2  70     55.5  125.5
 *     s3  80     90    170
 *     s4  90     95    185
 *     s5  65     A      A    ← absent in 数学 only: absent for 总分, not for 语文
 *  A2 s6  45     80    125
 *     s7  60     60    120
 *     s8  72     85    157
 *     s9  88     30    118
 *     s10 95     99    194
 *     s11 55.5   65    120.5
 *  B1 s12 A      A      A
 *     s13 60     50    110
 *     s14 75     77    152
 *     s15 82     88    170
 *     s16 68     72    140
 *     s17 91     93    184
 *     s18 55.5   62    117.5
 *     s19 60     70    130
 *
 * 语文 ascending: A(s12) 45 50 55.5 55.5 60 60 60 60 65 …  position 4 → cut 55.5,
 *   a tie at the cut: bottom = {s12, s6, s0, s11, s18} = 5 (25 % > 20 %).
 *   A1 1/6, A2 2/6, B1 2/8; school A 3/12 = 0.25, school B 2/8 = 0.25 → an exact
 *   tie: both rank 1. Classes: A1 1/6 (1), B1 2/8 (2), A2 2/6 (3).
 *   Teachers: T1 3/12, T2 2/8 → both rank 1.
 * 数学 ascending: A(s5) A(s12) 30 40 | 50 55.5 …  position 4 → cut 40,
 *   bottom = {s5, s12, s9, s0} = 4. A1 2/6, A2 1/6, B1 1/8; school A 3/12 = 0.25
 *   (rank 2), school B 1/8 = 0.125 (rank 1). Classes: B1 (1), A2 (2), A1 (3).
 *   Teachers: T5 1/8 (1), T4 1/6 (2), T3 2/6 (3).
 * 总分 ascending: A(s5) A(s12) 90 110 | 117.5 118 …  position 4 → cut 110,
 *   bottom = {s5, s12, s0, s13} = 4. A1 2/6, A2 0/6, B1 2/8; school A 2/12 = 1/6
 *   (rank 1), school B 2/8 (rank 2). Classes: A2 0 (1), B1 0.25 (2), A1 1/3 (3).
 */
import type { ExamInput } from '../../../src/modules/exams/analysis/analyse.js';

const A = NaN;
export const CHINESE = [50, 60, 70, 80, 90, 65, 45, 60, 72, 88, 95, 55.5, A, 60, 75, 82, 68, 91, 55.5, 60];
export const MATHS = [40, 70, 55.5, 90, 95, A, 80, 60, 85, 30, 99, 65, A, 50, 77, 88, 72, 93, 62, 70];
export const SCHOOL_A = '3601020001';
export const SCHOOL_B = '3601020002';

export function fixtureInput(overrides: Partial<ExamInput> = {}): ExamInput {
  const studentClass = Int32Array.from([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2]);
  return {
    schools: [
      { key: SCHOOL_A, name: '城关中学' },
      { key: SCHOOL_B, name: '泗洲头中学' },
    ],
    classes: [
      { key: 'A1', name: '七年级(1)班', school: 0, headTeacher: 'T1' },
      { key: 'A2', name: '七年级(2)班', school: 0, headTeacher: 'T4' },
      { key: 'B1', name: '七年级(1)班', school: 1, headTeacher: 'T2' },
    ],
    teachers: ['T1', 'T2', 'T3', 'T4', 'T5'].map((key) => ({ key, name: `教师${key}` })),
    studentClass,
    subjects: [
      {
        name: '语文',
        fullMarks: 100,
        countsToTotal: true,
        scores: Float64Array.from(CHINESE),
        teacher: Int32Array.from(Array.from(studentClass, (c) => (c === 2 ? 1 : 0))),
      },
      {
        name: '数学',
        fullMarks: 100,
        countsToTotal: true,
        scores: Float64Array.from(MATHS),
        classTeacher: Int32Array.from([2, 3, 4]), // per class; 语文 above is given per student
      },
    ],
    ...overrides,
  };
}
