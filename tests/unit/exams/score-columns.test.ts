// The packed-column helpers between the database and the engine, the class key, the score
// distribution, and the report rows built from stored unit rows.
import { describe, expect, it } from 'vitest';
import { analyseExam, bottom20SchoolCsv } from '../../../src/modules/exams/analysis/analyse.js';
import type { UnitRow } from '../../../src/modules/exams/exam-analysis.schemas.js';
import { CSV_HEADERS, reportCsv, reportRows, type Cut } from '../../../src/modules/exams/exam-report.js';
import {
  FIELD_SEP,
  TEXT_NULL,
  classUnitKey,
  labelClassKey,
  cohortOf,
  copyChunks,
  packColumn,
  parseIntColumn,
  parseNumberColumn,
  parseTextColumn,
  scoreDistribution,
} from '../../../src/modules/exams/score-columns.js';
import { fixtureInput } from './fixture.js';

describe('packed columns from the database', () => {
  it('parses numbers with empty values as absent (NaN), exactly', () => {
    const col = parseNumberColumn('55.5,,0,120,0.1', 5);
    expect(Array.from(col.subarray(0, 1))).toEqual([55.5]);
    expect(Number.isNaN(col[1]!)).toBe(true);
    expect(Array.from(col.subarray(2))).toEqual([0, 120, 0.1]);
    expect(Number.isNaN(parseNumberColumn('', 1)[0]!)).toBe(true); // one row, absent
    expect(parseNumberColumn(null, 0)).toHaveLength(0);
  });

  it('reads every value exactly as Number() does (the digit-by-digit path and its fallbacks)', () => {
    const values: number[] = [0, 1, 120, 59.5, 72.35, 0.1, 0.30000000000000004, 1e-5, 123456789012345, 1234567890123456789, 99.99, 0.001, 1e21];
    let seed = 7;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 48271) % 2147483647;
      values.push(Math.round((seed / 2147483647) * 150 * 100) / 100, (seed % 3001) / 2, seed / 7);
    }
    const text = values.map(String).join(',') + ',NaN,-3.5';
    const parsed = parseNumberColumn(text, values.length + 2);
    values.forEach((v, i) => expect(parsed[i]).toBe(v));
    expect(Number.isNaN(parsed[values.length]!)).toBe(true);
    expect(parsed[values.length + 1]).toBe(-3.5);
  });

  it('refuses a column whose length is not the row count', () => {
    expect(() => parseNumberColumn('1,2', 3)).toThrow(RangeError);
    expect(() => parseNumberColumn('1,2,3', 2)).toThrow(RangeError);
    expect(() => parseTextColumn(`a${FIELD_SEP}b`, 3)).toThrow(RangeError);
  });

  it('parses integers with a value for NULL', () => {
    expect(Array.from(parseIntColumn('7,,12', 3, -1))).toEqual([7, -1, 12]);
  });
});

describe('columns to store', () => {
  it('packs for unnest: NULL markers, lists, shared arrays joined once', () => {
    const list = ['语文', '数学'] as const;
    expect(packColumn({ name: 'x', type: 'float8', values: [1.5, null, NaN, 0] })).toBe(['1.5', '', '', '0'].join(FIELD_SEP));
    expect(packColumn({ name: 'x', type: 'text', values: ['a', null, `b${FIELD_SEP}c`] })).toBe(['a', TEXT_NULL, 'b c'].join(FIELD_SEP));
    expect(packColumn({ name: 'x', type: 'text[]', values: [list, [], list] })).toBe(['语文\u001e数学', '', '语文\u001e数学'].join(FIELD_SEP));
  });

  it('writes COPY text: tabs, \\N for NULL, escaped text, array literals, chunks of whole lines', () => {
    const chunks = [...copyChunks(['exam-1'], [
      { name: 'a', type: 'int', values: [1, null, 3] },
      { name: 'b', type: 'text', values: ['x\ty', 'back\\slash', null] },
      { name: 'c', type: 'text[]', values: [['语文', 'say "hi"'], [], null] },
      { name: 'd', type: 'bool', values: [true, false, true] },
    ], 2)];
    expect(chunks).toEqual([
      'exam-1\t1\tx\\ty\t{"语文","say \\\\"hi\\\\""}\ttrue\nexam-1\t\\N\tback\\\\slash\t{}\tfalse\n',
      'exam-1\t3\t\\N\t{}\ttrue\n',
    ]);
  });
});

describe('keys and distribution', () => {
  it('the class key follows the entry cohort: 2026-2027 grade 7 and 2027-2028 grade 8 are the same class', () => {
    expect(cohortOf('2026-2027', 7)).toBe(2019);
    expect(classUnitKey('3601020001', cohortOf('2026-2027', 7), 3)).toBe(classUnitKey('3601020001', cohortOf('2027-2028', 8), 3));
    expect(classUnitKey('3601020001', 2019, '3班')).toBe('3601020001/2019/3班');
  });

  it('a class the registry lacks for that year is keyed by the number its label names, so it meets itself a year later', () => {
    const registered = classUnitKey('3601020001', cohortOf('2027-2028', 8), 1);
    for (const label of ['七年级(1)班', '七年级（1）班', '1班', '(1)', '701', '初一1班']) {
      expect(labelClassKey('3601020001', cohortOf('2026-2027', 7), 7, label)).toEqual({ key: registered, classNo: 1 });
    }
    // another grade's class, or a label that names no class, keeps the label
    expect(labelClassKey('3601020001', 2019, 7, '八年级(1)班')).toEqual({ key: '3601020001/2019/八年级(1)班', classNo: null });
    expect(labelClassKey('3601020001', 2019, 7, '实验班')).toEqual({ key: '3601020001/2019/实验班', classNo: null });
  });

  it('11 buckets of 10 % of full marks, full marks alone in the last, absentees not counted, exact at the edges', () => {
    const scores = Float64Array.from([0, 9.99, 10, 59.5, 60, 89.5, 90, 99.99, 100, NaN]);
    expect(scoreDistribution(scores, 100)).toEqual([2, 1, 0, 0, 0, 1, 1, 0, 1, 2, 1]);
    // 90 of 150 is exactly 60 %: bucket 6, not 5
    expect(scoreDistribution(Float64Array.from([90, 89.99]), 150)).toEqual([0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0]);
  });
});

describe('report rows from stored unit rows', () => {
  const unit = (over: Partial<UnitRow>): UnitRow => ({
    subject: '语文', level: 'school', unitKey: '3601020001', unitName: '城关中学', schoolId: 1, schoolCode: '3601020001', schoolName: '城关中学',
    classId: null, teacherId: null, headTeacher: null, enrolled: 12, absent: 0, bottom: 2, ratio: 2 / 12, rank: 1, rankInSchool: 0, denominator: 12,
    mean: null, passRate: null, excellenceRate: null, composite: null, pointsVsPrevious: null, bottomChangeVsPrevious: null, rankRiseVsPrevious: null,
    pointsVsBaseline: null, targetStatus: null, targetNote: null, ...over,
  });

  it('the school CSV from the engine\'s rows equals bottom20SchoolCsv (ratio recomputed from the integers, cut absent)', () => {
    const result = analyseExam(fixtureInput());
    const rows: UnitRow[] = result.subjects.flatMap((s) => s.schools.map((r) => unit({ subject: s.subject, unitKey: r.key, schoolCode: r.key, enrolled: r.enrolled, bottom: r.bottom, ratio: 0, rank: r.rank })));
    const cuts = new Map<string, Cut>(result.subjects.map((s) => [s.subject, s.cut]));
    expect(reportCsv('school', reportRows('school', rows, cuts))).toBe(bottom20SchoolCsv(result));
  });

  it('class and teacher CSVs: documented headers, quoted names, empty school for a teacher of several schools', () => {
    expect(CSV_HEADERS.class.join(',')).toBe('subject,school,class,class_name,head_teacher,enrolled,bottom,ratio,rank,rank_in_school,cut');
    expect(CSV_HEADERS.teacher.join(',')).toBe('subject,school,teacher,teacher_name,enrolled,bottom,ratio,rank,rank_in_school,cut');
    const cuts = new Map<string, Cut>([['语文', 'absent']]);
    const klass = reportRows('class', [unit({ level: 'class', unitKey: '3601020001/2019/1', unitName: '七年级(1)班, 实验班', headTeacher: '李明', rankInSchool: 2 })], cuts);
    expect(reportCsv('class', klass)).toBe(`${CSV_HEADERS.class.join(',')}\n语文,3601020001,3601020001/2019/1,"七年级(1)班, 实验班",李明,12,2,0.16666666666666666,1,2,absent\n`);
    const teacher = reportRows('teacher', [unit({ level: 'teacher', unitKey: '42', unitName: '王芳', schoolCode: null, schoolName: null })], cuts);
    expect(teacher[0]).toEqual({ subject: '语文', school: null, teacher: '42', teacher_name: '王芳', enrolled: 12, bottom: 2, ratio: 2 / 12, rank: 1, rank_in_school: 0, cut: 'absent' });
    expect(reportCsv('teacher', teacher).split('\n')[1]).toBe('语文,,42,王芳,12,2,0.16666666666666666,1,0,absent');
  });
});
