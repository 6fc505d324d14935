// Subject headers ('语文(120)', '语文（满分120）'), canonical names, default full marks,
// reconciling the exam's subjects with the file's, and the CLI's arguments.
import { describe, expect, it } from 'vitest';
import { parseExamScopeArgs, parseGradeArg, parseSubjectsArg, parseTermArg, parseTotalArg } from '../../../src/modules/exams/import/cli-args.js';
import { reconcileSubjects } from '../../../src/modules/exams/import/reconcile.js';
import type { SubjectColumn } from '../../../src/modules/exams/import/score-header.js';
import { canonicalSubject, defaultFullMarks, parseSubjectHeader } from '../../../src/modules/exams/import/subjects.js';

describe('parseSubjectHeader', () => {
  it('reads the full marks written in the header, in every usual form', () => {
    const cases: [string, string, number | null][] = [
      ['语文', '语文', null],
      ['语文(120)', '语文', 120],
      ['语文（120）', '语文', 120],
      ['语文（满分120）', '语文', 120],
      ['语文（满分：120分）', '语文', 120],
      ['数学[满分150]', '数学', 150],
      ['英语/120', '英语', 120],
      ['英语120分', '英语', 120],
      ['科学 (160分)', '科学', 160],
      ['语文成绩(120)', '语文', 120],
      ['数学\n（120）', '数学', 120],
      ['物理(A卷)', '物理', null],
      ['道法(100)', '道德与法治', 100],
      ['思想品德', '道德与法治', null],
      ['生物学', '生物', null],
      ['日语', '日语', null],
    ];
    for (const [raw, name, full] of cases) expect(parseSubjectHeader(raw), raw).toEqual({ name, fullMarksHint: full });
  });

  it('ignores absurd hints and empty headers', () => {
    expect(parseSubjectHeader('语文(0)')).toEqual({ name: '语文', fullMarksHint: null });
    expect(parseSubjectHeader('语文(5000)')).toEqual({ name: '语文', fullMarksHint: null });
    expect(parseSubjectHeader('  ')).toBeNull();
  });

  it('canonical names', () => {
    expect(canonicalSubject('政治')).toBe('道德与法治');
    expect(canonicalSubject('数学成绩')).toBe('数学');
    expect(canonicalSubject('英')).toBe('英语');
    expect(canonicalSubject('信息科技')).toBe('信息技术');
  });
});

describe('defaultFullMarks', () => {
  it('语文, 数学, 英语 are 120 in grades 7–9 and 100 otherwise; every other subject 100', () => {
    expect(defaultFullMarks('语文', 7)).toBe(120);
    expect(defaultFullMarks('英语', 9)).toBe(120);
    expect(defaultFullMarks('数学', 6)).toBe(100);
    expect(defaultFullMarks('物理', 8)).toBe(100);
    expect(defaultFullMarks('科学', 9)).toBe(100);
  });
});

describe('reconcileSubjects', () => {
  const col = (name: string, c: number, hint: number | null = null): SubjectColumn => ({ col: c, name, fullMarksHint: hint, header: hint ? `${name}(${hint})` : name });

  it('full marks: the exam first, then the header hint, then the default; the plan follows the exam order', () => {
    const r = reconcileSubjects({
      examSubjects: [{ name: '数学', fullMarks: 150, countsToTotal: true }],
      fileSubjects: [col('语文', 3, 130), col('数学', 4, 120), col('物理', 5)],
      grade: 8,
      hasScores: false,
    });
    expect(r).toEqual({
      ok: true,
      subjects: [
        { name: '数学', fullMarks: 150, countsToTotal: true },
        { name: '语文', fullMarks: 130, countsToTotal: true },
        { name: '物理', fullMarks: 100, countsToTotal: true },
      ],
      plan: [{ name: '数学', fullMarks: 150, col: 4 }, { name: '语文', fullMarks: 130, col: 3 }, { name: '物理', fullMarks: 100, col: 5 }],
      added: ['语文', '物理'],
    });
  });

  it('an added subject counts toward the total only if named, when the total is given', () => {
    const r = reconcileSubjects({ examSubjects: [], fileSubjects: [col('语文', 1), col('音乐', 2)], grade: 9, hasScores: false, totalSubjects: ['语文'] });
    expect(r.ok && r.subjects).toEqual([{ name: '语文', fullMarks: 120, countsToTotal: true }, { name: '音乐', fullMarks: 100, countsToTotal: false }]);
  });

  it('rejects a file missing an exam subject, naming it', () => {
    const r = reconcileSubjects({
      examSubjects: [{ name: '语文', fullMarks: 120, countsToTotal: true }, { name: '科学', fullMarks: 160, countsToTotal: true }],
      fileSubjects: [col('语文', 1)],
      grade: 9,
      hasScores: false,
    });
    expect(r).toEqual({ ok: false, message: expect.stringContaining('文件中缺少考试科目“科学”的成绩列') });
  });

  it('an exam with scores takes no new subject', () => {
    const r = reconcileSubjects({ examSubjects: [{ name: '语文', fullMarks: 120, countsToTotal: true }], fileSubjects: [col('语文', 1), col('生物', 2)], grade: 9, hasScores: true });
    expect(r).toEqual({ ok: false, message: expect.stringContaining('不能再增加科目：文件中的“生物”不是该考试的科目') });
  });
});

describe('CLI arguments', () => {
  it('terms in every documented form', () => {
    for (const t of ['1', '上', '上学期', '第一学期', '秋']) expect(parseTermArg(t), t).toEqual({ term: 1 });
    for (const t of ['2', '下', '第二学期', '春季']) expect(parseTermArg(t), t).toEqual({ term: 2 });
    expect(parseTermArg('2026-2027-1')).toEqual({ term: 1, schoolYear: '2026-2027' });
    expect(parseTermArg('2025-2026-2')).toEqual({ term: 2, schoolYear: '2025-2026' });
    expect(parseTermArg('2026-2027学年第二学期')).toEqual({ term: 2, schoolYear: '2026-2027' });
    expect(parseTermArg('2026-2028-1')).toBeNull();
    expect(parseTermArg('3')).toBeNull();
  });

  it('grades, subjects and the total', () => {
    expect(parseGradeArg('9')).toBe(9);
    expect(parseGradeArg('七年级')).toBe(7);
    expect(parseGradeArg('初二')).toBe(8);
    expect(parseGradeArg('十年级')).toBeNull();
    expect(parseSubjectsArg('语文:120,数学:120,英语,科学:160')).toEqual([
      { name: '语文', fullMarks: 120 }, { name: '数学', fullMarks: 120 }, { name: '英语', fullMarks: null }, { name: '科学', fullMarks: 160 },
    ]);
    expect(() => parseSubjectsArg('语文:120,语文:100')).toThrow('科目“语文”重复');
    expect(() => parseSubjectsArg('语文:0')).toThrow('满分');
    expect(parseTotalArg('语文，数学、英语 科学')).toEqual(['语文', '数学', '英语', '科学']);
  });

  it('the exam\'s scope: the county by default, one school by its code, one pairing by its number', () => {
    expect(parseExamScopeArgs({})).toEqual({ scope: 'county' });
    expect(parseExamScopeArgs({ school: ' ３６３６０００００１ ' })).toEqual({ scope: 'school', schoolCode: '3636000001' });
    expect(parseExamScopeArgs({ pairing: '17' })).toEqual({ scope: 'pairing', pairingId: 17 });
    expect(parseExamScopeArgs({ pairing: '１７' })).toEqual({ scope: 'pairing', pairingId: 17 });
    expect(() => parseExamScopeArgs({ school: '3636000001', pairing: '17' })).toThrow('只能选一个');
    expect(() => parseExamScopeArgs({ school: '36360001' })).toThrow('学校标识码“36360001”不正确（应为10位数字）');
    for (const bad of ['0', '-3', '1.5', 'abc', '99999999999']) expect(() => parseExamScopeArgs({ pairing: bad }), bad).toThrow('不正确');
  });
});
