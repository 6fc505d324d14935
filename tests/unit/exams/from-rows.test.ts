import { describe, expect, it } from 'vitest';
import { analyseExam, bottom20SchoolCsv } from '../../../src/modules/exams/analysis/analyse.js';
import { examInputFromStudents, type StudentRow } from '../../../src/modules/exams/analysis/from-rows.js';
import { CHINESE, fixtureInput, MATHS, SCHOOL_A, SCHOOL_B } from './fixture.js';

const SUBJECTS = [
  { name: '语文', fullMarks: 100, countsToTotal: true },
  { name: '数学', fullMarks: 100, countsToTotal: true },
];

/** The fixture county as one object per student (absent = null or missing). */
function fixtureRows(): StudentRow[] {
  return CHINESE.map((chinese, i) => {
    const cls = i < 6 ? 'A1' : i < 12 ? 'A2' : 'B1';
    const maths = MATHS[i]!;
    return {
      schoolKey: cls === 'B1' ? SCHOOL_B : SCHOOL_A,
      classKey: cls,
      scores: { 语文: Number.isNaN(chinese) ? null : chinese, ...(Number.isNaN(maths) ? {} : { 数学: maths }) },
      teachers: { 语文: cls === 'B1' ? 'T2' : 'T1', 数学: { A1: 'T3', A2: 'T4', B1: 'T5' }[cls] },
    };
  });
}

describe('examInputFromStudents', () => {
  it('gives the same analysis as the columnar fixture', () => {
    const fromRows = analyseExam(examInputFromStudents(fixtureRows(), SUBJECTS));
    expect(bottom20SchoolCsv(fromRows)).toBe(bottom20SchoolCsv(analyseExam(fixtureInput())));
    const maths = fromRows.subjects[1]!;
    expect(maths.teachers.map((t) => [t.key, t.bottom, t.rank])).toEqual([['T3', 2, 3], ['T4', 1, 2], ['T5', 1, 1]]);
  });

  it('passes teachers per class when classes are not split, per student otherwise (走班)', () => {
    const uniform = examInputFromStudents(fixtureRows(), SUBJECTS);
    expect(uniform.subjects[1]!.classTeacher).toBeDefined();
    const rows = fixtureRows();
    rows[0]!.teachers!['数学'] = 'T9'; // one A1 student goes to another teacher
    const split = examInputFromStudents(rows, SUBJECTS);
    expect(split.subjects[1]!.classTeacher).toBeUndefined();
    expect(split.subjects[1]!.teacher![0]).toBe(split.teachers!.findIndex((t) => t.key === 'T9'));
    const t9 = analyseExam(split).subjects[1]!.teachers.find((t) => t.key === 'T9')!;
    expect(t9).toMatchObject({ enrolled: 1, bottom: 1 }); // s0 scored 40 = the 数学 cut
  });

  it('refuses one class key under two schools', () => {
    const rows = fixtureRows();
    rows[19]!.classKey = 'A1';
    expect(() => examInputFromStudents(rows, SUBJECTS)).toThrow(/同时出现在学校/);
  });
});
