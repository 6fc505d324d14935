// The demo's exams (loadDemoCounty with exams: true) on PGlite and PostgreSQL: the calendar's
// exams exist and are analysed through the real import, rows match the generated sheet, the
// defective rows of the latest grade-9 sheet are rejected, 初二's baseline target is set, and
// the latest exams compare with a previous one.
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { one, rows } from '../../src/db/client.js';
import { loadDemoCounty, type LoadDemoResult } from '../../src/modules/demo/demo.service.js';
import { demoExamsOfCohort, generateExamRows, examSubjectsOfGrade } from '../../src/modules/demo/exam-scores.js';
import { generateStudents, planCounty } from '../../src/modules/demo/generator.js';
import { describeOnBackends } from '../helpers/db.js';

// a fixed "today" in the autumn term: 2026-12-02 10:00 in China
const TODAY = new Date('2026-12-02T02:00:00Z');
const OPTS = { students: 3000, seed: 4, today: TODAY, exams: true };

describeOnBackends<LoadDemoResult>('demo county with exams', (getCtx, _kind, getLoaded) => {
  const plan = planCounty(OPTS);

  it('creates the calendar\'s exams of grades 7–9, each imported and analysed', async () => {
    const loaded = getLoaded();
    const expected = [
      ...demoExamsOfCohort(plan.today, plan.schoolYear, 7, 2),
      ...demoExamsOfCohort(plan.today, plan.schoolYear, 8, 3),
      ...demoExamsOfCohort(plan.today, plan.schoolYear, 9, 2),
    ];
    expect(loaded.exams!.exams).toHaveLength(expected.length);
    const stored = await rows<{ school_year: string; term: number; grade: number; kind: string; status: string; row_count: number; rejected_count: number; subjects: { name: string; fullMarks: number }[] }>(
      getCtx().db,
      sql`SELECT school_year, term, grade, kind, status, row_count, rejected_count, subjects FROM exams ORDER BY exam_date, grade`,
    );
    expect(stored.map((e) => `${e.school_year}/${e.term}/${e.grade}/${e.kind}`).sort()).toEqual(expected.map((e) => `${e.schoolYear}/${e.term}/${e.grade}/${e.kind}`).sort());
    for (const e of stored) {
      expect(e.status).toBe('analysed');
      expect(e.subjects.map((s) => s.name)).toEqual(examSubjectsOfGrade(e.grade).map((s) => s.name));
    }
  });

  it('imports every row of the generated sheet: registered students matched, the others kept; the defects rejected', async () => {
    const loaded = getLoaded();
    const students = [...generateStudents(plan)];
    for (const x of loaded.exams!.exams) {
      const e = await one<{ kind: string; exam_date: string; matched_count: number; unmatched_count: number; missing_count: number }>(
        getCtx().db, sql`SELECT kind, exam_date::text, matched_count, unmatched_count, missing_count FROM exams WHERE id = ${x.id}`,
      );
      const wave = 0; // the wave changes scores, not which rows there are
      const sheet = [...generateExamRows(plan, students, { key: 'rows', schoolYear: x.schoolYear, grade: x.grade, subjects: examSubjectsOfGrade(x.grade), wave })];
      const registered = sheet.filter((r) => r.registered).length;
      expect(e!.matched_count + x.rejected).toBe(registered);
      expect(e!.missing_count).toBe(x.rejected);
      if (x.grade === 9 && x.schoolYear === plan.schoolYear) expect(x.rejected).toBe(3);
      else expect(x.rejected).toBe(0);
      expect(e!.unmatched_count).toBeGreaterThanOrEqual(0);
    }
  });

  it('sets 初二\'s baseline to its 初一 first-semester exam and measures the latest 初二 exam against it', async () => {
    const t = await one<{ config: { baseline: { schoolYear: string; term: number } | null } }>(getCtx().db, sql`SELECT config FROM exam_targets WHERE grade = 8 AND school_year = ${plan.schoolYear}`);
    const prevYear = `${Number(plan.schoolYear.slice(0, 4)) - 1}-${plan.schoolYear.slice(0, 4)}`;
    expect(t!.config.baseline).toEqual({ schoolYear: prevYear, term: 1 });
    const r = await one<{ n: number; vs_prev: number; vs_base: number; judged: number }>(getCtx().db, sql`
      SELECT count(*)::int AS n, count(points_vs_previous)::int AS vs_prev, count(points_vs_baseline)::int AS vs_base,
             count(*) FILTER (WHERE target_status IN ('met', 'not_met'))::int AS judged
      FROM exam_unit_results u JOIN exams e ON e.id = u.exam_id
      WHERE e.grade = 8 AND e.school_year = ${plan.schoolYear} AND u.level = 'school' AND u.subject = '总分'`);
    expect(r!.n).toBeGreaterThan(0);
    expect(r!.vs_prev).toBe(r!.n);
    expect(r!.vs_base).toBe(r!.n);
    expect(r!.judged).toBe(r!.n);
  });

  it('gives the latest exams of every grade a previous one, and schools change between them', async () => {
    const r = await rows<{ grade: number; n: number; vs_prev: number; moved: number }>(getCtx().db, sql`
      SELECT e.grade, count(*)::int AS n, count(points_vs_previous)::int AS vs_prev, count(*) FILTER (WHERE points_vs_previous <> 0)::int AS moved
      FROM exam_unit_results u JOIN exams e ON e.id = u.exam_id
      WHERE e.school_year = ${plan.schoolYear} AND e.exam_date = (SELECT max(exam_date) FROM exams) AND u.level = 'school' AND u.subject = '总分'
      GROUP BY e.grade ORDER BY e.grade`);
    expect(r.map((x) => x.grade)).toEqual([7, 8, 9]);
    for (const x of r) {
      expect(x.vs_prev).toBe(x.n);
      expect(x.moved).toBeGreaterThan(0);
    }
  });
}, (ctx) => loadDemoCounty(ctx, OPTS));
