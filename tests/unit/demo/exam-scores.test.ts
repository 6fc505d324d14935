import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ABSENT_MARKS, EXAM_IDENTITY_COLUMNS, writeExamFile } from '../../../src/modules/demo/exam-file.js';
import {
  BENCH_SUBJECTS, demoExamsOfCohort, examSubjectsOfGrade, examTitleRows, generateExamRows, planCity, type ExamRow, type ExamSpec,
} from '../../../src/modules/demo/exam-scores.js';
import { generateStudents, planCounty } from '../../../src/modules/demo/generator.js';
import { openRows } from '../../../src/modules/roster-import/readers.js';
import { parseIdNumber } from '../../../src/shared/id-number.js';

const TODAY = new Date(2026, 11, 2, 10, 0, 0); // 2026-12-02 local: school year 2026-2027
const plan = planCounty({ students: 25_000, seed: 1, today: TODAY });
const students = [...generateStudents(plan)];
const registered = new Set(students.map((s) => s.studentNo));
const G9 = examSubjectsOfGrade(9);
const spec = (over: Partial<ExamSpec> = {}): ExamSpec => ({ key: '2026-2027/1/期中/9', schoolYear: '2026-2027', grade: 9, subjects: G9, wave: 1, ...over });
const mid = [...generateExamRows(plan, students, spec())];
const num = (v: unknown): v is number => typeof v === 'number';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-exam-file-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('exam subjects', () => {
  it('are what the demo county teaches in the grade, minus what is not sat on paper, with realistic full marks', () => {
    expect(G9.map((s) => s.name)).toEqual(['语文', '数学', '英语', '道德与法治', '历史', '物理', '化学']);
    expect(examSubjectsOfGrade(7).map((s) => s.name)).toEqual(['语文', '数学', '英语', '道德与法治', '历史', '地理', '生物']);
    expect(examSubjectsOfGrade(8).map((s) => s.name)).toContain('物理');
    expect(G9.find((s) => s.name === '数学')!.fullMarks).toBe(120);
    expect(G9.find((s) => s.name === '化学')!.fullMarks).toBe(100);
    expect(examSubjectsOfGrade(2).map((s) => s.name)).toEqual(['语文', '数学']);
    expect(examSubjectsOfGrade(5).map((s) => s.name)).toEqual(['语文', '数学', '英语', '科学']);
    expect(BENCH_SUBJECTS).toHaveLength(9);
  });
});

describe('generateExamRows', () => {
  it('is deterministic for a seed and an exam key, and differs for another key or seed', () => {
    const again = [...generateExamRows(plan, students, spec())];
    expect(JSON.stringify(again)).toBe(JSON.stringify(mid));
    const other = [...generateExamRows(plan, students, spec({ key: 'other' }))];
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(mid));
    const plan2 = planCounty({ students: 25_000, seed: 2, today: TODAY });
    const first = generateExamRows(plan2, generateStudents(plan2), spec()).next().value as ExamRow;
    expect(first.scores).not.toEqual(mid[0]!.scores);
  });

  it('has one row per registered student of the grade, plus a few the registry does not know', () => {
    const grade9 = students.filter((s) => plan.classes[s.classIndex]!.grade === 9);
    const mine = mid.filter((r) => r.registered);
    expect(mine.map((r) => r.studentNo)).toEqual(grade9.map((s) => s.studentNo));
    const extra = mid.filter((r) => !r.registered);
    expect(extra.length).toBeGreaterThan(0);
    expect(extra.length).toBeLessThan(grade9.length * 0.01);
    for (const r of extra) {
      expect(registered.has(r.studentNo)).toBe(false);
      expect(parseIdNumber(r.studentNo.slice(1), TODAY).ok).toBe(true);
    }
    expect(new Set(mid.map((r) => r.studentNo)).size).toBe(mid.length);
    for (const r of mid) {
      expect(r.className).toMatch(/^九年级\(\d+\)班$/);
      expect(r.schoolCode).toMatch(/^\d{10}$/);
      expect(r.scores).toHaveLength(G9.length);
    }
  });

  it('keeps every score within 0..full marks; half points in 语文 and 英语 only', () => {
    let half = 0;
    mid.forEach((r) =>
      r.scores.forEach((v, j) => {
        if (v === null) return;
        expect(num(v)).toBe(true);
        expect(v as number).toBeGreaterThanOrEqual(0);
        expect(v as number).toBeLessThanOrEqual(G9[j]!.fullMarks);
        const frac = (v as number) % 1;
        if (['语文', '英语'].includes(G9[j]!.name)) expect([0, 0.5]).toContain(frac);
        else expect(frac).toBe(0);
        if (frac) half++;
      }),
    );
    expect(half).toBeGreaterThan(mid.length * 0.2);
  });

  it('has ~0.5 % absentees per subject and a few students absent from everything', () => {
    const cells = mid.length * G9.length;
    const absent = mid.reduce((a, r) => a + r.scores.filter((v) => v === null).length, 0);
    const share = absent / cells;
    expect(share).toBeGreaterThan(0.004);
    expect(share).toBeLessThan(0.012);
    const allAbsent = mid.filter((r) => r.scores.every((v) => v === null)).length;
    expect(allAbsent).toBeGreaterThan(0);
    expect(allAbsent).toBeLessThan(mid.length * 0.006);
    const none = [...generateExamRows(plan, students, spec({ absentRate: 0, absentAllRate: 0 }))];
    expect(none.every((r) => r.scores.every((v) => v !== null))).toBe(true);
  });

  it('ranks schools by location (城区 > 镇区 > 乡村), 薄弱学校 lower, and students are consistent across subjects', () => {
    const byLocation = new Map<string, number[]>();
    const weak: number[] = [];
    const other: number[] = [];
    const schoolOf = new Map(plan.schools.map((s) => [s.code, s]));
    const share = (r: ExamRow) => r.scores.reduce<number>((a, v, j) => a + (num(v) ? v / G9[j]!.fullMarks : 0), 0) / G9.length;
    for (const r of mid) {
      if (r.scores.some((v) => v === null)) continue;
      const s = schoolOf.get(r.schoolCode)!;
      if (!byLocation.has(s.locationType)) byLocation.set(s.locationType, []);
      byLocation.get(s.locationType)!.push(share(r));
      (s.flags.includes('薄弱学校') ? weak : other).push(share(r));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(byLocation.get('城区')!)).toBeGreaterThan(mean(byLocation.get('镇区')!) + 0.03);
    expect(mean(byLocation.get('镇区')!)).toBeGreaterThan(mean(byLocation.get('乡村')!) + 0.03);
    expect(mean(weak)).toBeLessThan(mean(other) - 0.03);
    // 语文 and 数学 of the same student correlate (one general ability)
    const pairs = mid.filter((r) => num(r.scores[0]) && num(r.scores[1])).map((r) => [r.scores[0] as number, r.scores[1] as number] as const);
    expect(correlation(pairs)).toBeGreaterThan(0.5);
  });

  it('a later exam of the same cohort (last year\'s final in grade 8) correlates with this one, and schools move', () => {
    const previous = [...generateExamRows(plan, students, spec({ key: '2025-2026/2/期末/8', schoolYear: '2025-2026', grade: 8, subjects: examSubjectsOfGrade(8), wave: 0 }))];
    expect(previous[0]!.className).toMatch(/^八年级\(\d+\)班$/);
    const before = new Map(previous.filter((r) => r.registered).map((r) => [r.studentNo, r]));
    const pairs: (readonly [number, number])[] = [];
    for (const r of mid) {
      const p = before.get(r.studentNo);
      if (p && num(p.scores[1]) && num(r.scores[1])) pairs.push([p.scores[1], r.scores[1]]); // 数学 both times
    }
    expect(pairs.length).toBeGreaterThan(mid.length * 0.9);
    expect(correlation(pairs)).toBeGreaterThan(0.6);
    const schoolMean = (rows: ExamRow[]) => {
      const m = new Map<string, [number, number]>();
      for (const r of rows) if (num(r.scores[1])) {
        const x = m.get(r.schoolCode) ?? [0, 0];
        m.set(r.schoolCode, [x[0] + (r.scores[1] as number), x[1] + 1]);
      }
      return new Map([...m].map(([k, [s, n]]) => [k, s / n]));
    };
    const a = schoolMean(previous), b = schoolMean(mid);
    const moves = [...b].map(([k, v]) => v - a.get(k)!);
    expect(moves.some((d) => d > 1)).toBe(true); // somebody improved by more than a point in 数学
  });

  it('writes defective rows only when asked: above full marks, text, negative', () => {
    expect(mid.some((r) => r.defect)).toBe(false);
    const withDefects = [...generateExamRows(plan, students, spec({ defects: 3 }))];
    const bad = withDefects.filter((r) => r.defect);
    expect(bad).toHaveLength(3);
    const cells = bad.map((r) => r.scores.find((v, j) => typeof v === 'string' || (num(v) && (v < 0 || v > G9[j]!.fullMarks))));
    expect(cells[0]).toBeGreaterThan(100);
    expect(cells[1]).toBe('九十');
    expect(cells[2]).toBeLessThan(0);
    expect(bad.map((r) => r.defect)).toEqual([expect.stringContaining('超过满分'), expect.stringContaining('不是数字'), expect.stringContaining('负数')]);
  });

  it('keeps to the chosen schools for a school exam', () => {
    const code = plan.schools[plan.demoSchoolIndex]!.code;
    const rows = [...generateExamRows(plan, students, spec({ schoolCodes: new Set([code]) }))];
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.every((r) => r.schoolCode === code)).toBe(true);
  });
});

describe('demo exam calendar', () => {
  it('gives each junior cohort its finals and the latest exam (a previous exam and a current one at least)', () => {
    const at = (today: string, grade: number, count?: number) => demoExamsOfCohort(today, '2026-2027', grade, count).map((e) => [e.schoolYear, e.term, e.kind, e.grade]);
    expect(at('2026-12-02', 8)).toEqual([['2025-2026', 1, '期末', 7], ['2025-2026', 2, '期末', 7], ['2026-2027', 1, '期中', 8]]);
    expect(at('2026-12-02', 9, 2)).toEqual([['2025-2026', 2, '期末', 8], ['2026-2027', 1, '期中', 9]]);
    expect(at('2026-12-02', 7)).toEqual([['2026-2027', 1, '统考', 7], ['2026-2027', 1, '期中', 7]]);
    expect(at('2027-05-10', 9)).toEqual([['2025-2026', 2, '期末', 8], ['2026-2027', 1, '期末', 9], ['2026-2027', 2, '期中', 9]]);
    expect(at('2027-05-10', 7)).toEqual([['2026-2027', 1, '统考', 7], ['2026-2027', 1, '期末', 7], ['2026-2027', 2, '期中', 7]]);
    expect(at('2026-09-05', 7)).toEqual([]);
  });

  it('titles a sheet the way a bureau does', () => {
    expect(examTitleRows({ schoolYear: '2026-2027', term: 1, grade: 9, kind: '期末' })).toEqual(['2026-2027学年第一学期九年级期末全县统考成绩表']);
    expect(examTitleRows({ schoolYear: '2026-2027', term: 2, grade: 7, kind: '期中', date: '2027年4月22日', office: '示范县教研室' })[1]).toBe('考试时间：2027年4月22日　　制表：示范县教研室');
  });
});

describe('planCity', () => {
  const city = planCity({ students: 12_000, grade: 9, counties: 4, seed: 3, today: TODAY });
  it('merges several counties\' schools of one grade, with exactly the students asked for', () => {
    expect(city.studentCount).toBe(12_000);
    expect(city.classes.every((c) => c.grade === 9)).toBe(true);
    expect(city.classes.reduce((a, c) => a + c.size, 0)).toBe(12_000);
    expect(new Set(city.schools.map((s) => s.code)).size).toBe(city.schools.length);
    expect(new Set(city.schools.map((s) => s.code.slice(0, 6))).size).toBe(4);
    expect(new Set(city.teachers.map((t) => t.idNumber)).size).toBe(city.teachers.length);
    for (const c of city.classes) expect(city.teachers[c.headTeacherIndex]!.schoolIndex).toBe(c.schoolIndex);
    for (const a of city.assignments) expect(city.teachers[a.teacherIndex]!.schoolIndex).toBe(city.classes[a.classIndex]!.schoolIndex);
    const s = [...generateStudents(city)];
    expect(s).toHaveLength(12_000);
    expect(new Set(s.map((x) => x.idNumber)).size).toBe(12_000);
    expect(city.accounts.map((a) => a.username)).toContain('principal');
  });
});

describe('writeExamFile', () => {
  const small = mid.slice(0, 400);
  const titles = examTitleRows({ schoolYear: '2026-2027', term: 1, grade: 9, kind: '期中', date: '2026年11月12日' });
  const header = [...EXAM_IDENTITY_COLUMNS, ...G9.map((s) => s.name)];
  const expected = (rows: ExamRow[]) => {
    let k = 0;
    return rows.map((r) => [r.studentNo, r.name, r.schoolCode, r.schoolName, r.className, ...r.scores.map((v) => (v === null ? ABSENT_MARKS[k++ % ABSENT_MARKS.length]! : String(v)))]);
  };
  const readBack = async (file: string) => {
    const { rows } = await openRows(file);
    const out: string[][] = [];
    for await (const r of rows) out.push(r.cells);
    return out;
  };
  // a trailing empty cell may be left out by a writer: compare the cells that carry text
  const trim = (cells: string[]) => {
    const c = [...cells];
    while (c.length && c[c.length - 1] === '') c.pop();
    return c;
  };

  for (const format of ['xlsx', 'csv-gbk', 'csv-utf8-bom', 'csv-utf8'] as const) {
    it(`writes ${format} that the roster readers read back: title rows, header, every cell`, async () => {
      const file = path.join(dir, `exam.${format.startsWith('csv') ? `${format}.csv` : 'xlsx'}`);
      const res = await writeExamFile(file, small, G9, format, { titleRows: titles });
      expect(res.rows).toBe(400);
      expect(res.bytes).toBe(fs.statSync(file).size);
      const back = await readBack(file);
      expect(back[0]![0]).toBe(titles[0]);
      expect(back[1]![0]).toBe(titles[1]);
      expect(back[2]).toEqual(header);
      expect(back.slice(3).map(trim)).toEqual(expected(small).map(trim));
      if (format === 'csv-gbk') expect(fs.readFileSync(file).toString('utf8')).not.toContain('学籍号');
      if (format === 'csv-utf8-bom') expect([...fs.readFileSync(file).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    });
  }

  it('writes a defective cell as it is (九十, −5, 125)', async () => {
    const rows = [...generateExamRows(plan, students, spec({ defects: 3 }))].slice(0, 200);
    const file = path.join(dir, 'defects.csv');
    await writeExamFile(file, rows, G9, 'csv-utf8');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain(',九十');
    expect(text).toMatch(/,-\d(,|\r\n)/);
  });
});

function correlation(pairs: readonly (readonly [number, number])[]): number {
  const n = pairs.length;
  const mx = pairs.reduce((a, p) => a + p[0], 0) / n;
  const my = pairs.reduce((a, p) => a + p[1], 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (const [x, y] of pairs) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
