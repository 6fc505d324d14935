// Exams and the score import end to end, on PGlite and PostgreSQL: exams created through
// the API with their scope rules; a GBK CSV and an .xlsx with title rows and defects
// uploaded; rows matched by 学籍号 and by ID number; unmatched rows counted and listed by
// scope; rejected rows in the errors file with Chinese reasons; re-imports idempotent and
// replacing in one transaction with one audit row; a failing insert leaving the previous
// scores; and the CLI's --json line.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { one, openDatabase, rows } from '../../src/db/client.js';
import { analyseAndStore } from '../../src/modules/exams/exam-analysis.service.js';
import { importExamScores } from '../../src/modules/exams/exam-import.service.js';
import { createExam, getExam, listExams } from '../../src/modules/exams/exams.service.js';
import { createIdSealer, loadSecret } from '../../src/modules/privacy/sealed-ids.js';
import { idCheckChar, idProblemMessage, makeIdNumber } from '../../src/shared/id-number.js';
import { describeOnBackends, type TestContext } from '../helpers/db.js';
import { loginAgent, testApp, type Agent } from '../helpers/http.js';
import { callerOf, countOf, seedCounty, type Seed, type SeedStudent, type SeedUser } from '../helpers/seed.js';
import { SCORE_HEADER, TITLE_ROWS, scoreCells, writeCsv, writeXlsx, type ScoreLine } from '../fixtures/exams/score-fixtures.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function readSheet(file: string | Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  if (typeof file === 'string') await wb.xlsx.readFile(file);
  else await wb.xlsx.load(file as unknown as ArrayBuffer);
  const out: string[][] = [];
  wb.worksheets[0]!.eachRow((row) => out.push(Array.from((row.values as unknown[]).slice(1), (v) => (v == null ? '' : String(v)))));
  return out;
}

/** exam_scores of one exam, as comparable text */
async function scoresOf(ctx: TestContext, examId: string) {
  return rows<Record<string, unknown>>(ctx.db, sql`
    SELECT row_no, student_id, school_id, school_code, class_id, class_label, name, identity_masked, scores::text AS scores
    FROM exam_scores WHERE exam_id = ${examId} ORDER BY row_no`);
}

async function examRow(ctx: TestContext, examId: string) {
  return one<Record<string, unknown>>(ctx.db, sql`
    SELECT status, row_count, matched_count, unmatched_count, rejected_count, import_job_id, subjects FROM exams WHERE id = ${examId}`);
}

/** Waits for a background import: the job leaves 'running' when the import and its analysis are over. */
async function waitForJob(agent: Agent, jobId: string): Promise<Record<string, any>> {
  const until = Date.now() + 90_000;
  for (;;) {
    const res = await agent.get(`/api/imports/${jobId}`);
    expect(res.status).toBe(200);
    if (res.body.status !== 'running' && res.body.status !== 'queued') return res.body;
    if (Date.now() > until) throw new Error('import did not finish');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const masked = (id: string) => id.slice(0, 6) + '********' + id.slice(-4);

describeOnBackends(
  'exams and the score import',
  (getCtx, kind, getSeed) => {
    let ctx: TestContext;
    let seed: Seed;
    let dir: string;
    let admin: Agent;
    let principal: Agent;
    let principalB: Agent;
    let headTeacher: Agent;
    let teacher: Agent;
    let inspector: Agent;
    let st: SeedStudent[];
    const A = () => seed.schools.a;
    const B = () => seed.schools.b;
    const file = (name: string) => path.join(dir, name);
    const as = callerOf;
    const run = (examId: string, f: string, u: SeedUser = seed.users.bureau_admin) =>
      importExamScores(ctx, { examId, filePath: f, fileName: path.basename(f), ...as(u) });
    const unregisteredId = makeIdNumber('522401', '2013-03-03', 88, '1');

    beforeAll(async () => {
      ctx = getCtx();
      seed = getSeed();
      st = seed.students;
      dir = fs.mkdtempSync(path.join(os.tmpdir(), `exams-it-${kind}-`));
      const app = await testApp(ctx);
      admin = await loginAgent(app, seed.users.bureau_admin);
      principal = await loginAgent(app, seed.users.principal);
      principalB = await loginAgent(app, seed.users.principal_b);
      headTeacher = await loginAgent(app, seed.users.head_teacher);
      teacher = await loginAgent(app, seed.users.teacher);
      inspector = await loginAgent(app, seed.users.inspector);
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** The county file: matched by 学籍号 and by ID, unmatched rows, and every kind of defect (data from row 4). */
    const countyLines = (): (ScoreLine | 'blank' | 'average')[] => {
      const a = { schoolCode: A().code, schoolName: A().name };
      const b = { schoolCode: B().code, schoolName: B().name };
      return [
        { studentNo: 'G' + st[0]!.idNumber, name: st[0]!.name, ...a, classLabel: '七(1)班', scores: ['98.5', '100', '缺考'] }, // 4
        { idNumber: st[1]!.idNumber, name: st[1]!.name, classLabel: '1班', scores: ['60', '70', '80'] }, // 5: by ID, no school columns
        'blank', // 6
        { studentNo: 'G' + st[3]!.idNumber, idNumber: st[3]!.idNumber, name: st[3]!.name, ...a, classLabel: '2班', scores: ['90', '—', '110'] }, // 7
        { studentNo: 'G' + st[6]!.idNumber, idNumber: st[6]!.idNumber, name: st[6]!.name, ...b, classLabel: '1班', scores: [' ８８ ', '-', '/'] }, // 8
        { studentNo: 'G' + unregisteredId, name: '借读生甲', schoolCode: A().code, classLabel: '七(1)班', scores: ['50', '60', '70'] }, // 9: unmatched
        { name: '借读生乙', schoolName: B().name, classLabel: '3班', scores: ['40', '50', '60'] }, // 10: unmatched, school by name
        { studentNo: 'G' + st[2]!.idNumber, name: st[2]!.name, ...a, scores: ['125', '90', '90'] }, // 11: above full marks
        { studentNo: 'G' + st[4]!.idNumber, name: st[4]!.name, ...a, scores: ['90', '-5', '90'] }, // 12: negative
        { studentNo: 'G' + st[5]!.idNumber, name: st[5]!.name, ...a, scores: ['90', '90', '优'] }, // 13: text
        { studentNo: 'G' + st[7]!.idNumber, name: st[7]!.name, ...b, scores: ['70', '70', '70'] }, // 14: same student as 15,
        { studentNo: 'G' + st[7]!.idNumber, name: st[7]!.name, ...b, scores: ['70', '71', '70'] }, // 15: other scores
        { studentNo: 'G' + st[8]!.idNumber, name: st[8]!.name, ...b, scores: ['66', '66', '66'] }, // 16
        { studentNo: 'G' + st[8]!.idNumber, name: st[8]!.name, ...b, scores: ['66', '66', '66'] }, // 17: exact repeat of 16
        { name: '无名氏', scores: ['50', '50', '50'] }, // 18: no identity, no school
        { name: '外校生', schoolName: '不存在的学校', classLabel: '1班', scores: ['50', '50', '50'] }, // 19: unknown school
        'average', // 20: 平均分 line
      ];
    };
    const cellsOf = (lines: ReturnType<typeof countyLines>) =>
      lines.map((l, i) => (l === 'blank' ? SCORE_HEADER.map(() => '') : l === 'average' ? ['', '', '', '平均分', '', '', '', '70.2', '71', '72'] : scoreCells(i + 1, l)));

    let countyExamId: string;
    let schoolExamId: string;

    describe('exams through the API', () => {
      it('the bureau creates county exams; a principal only a school exam of its own school; read scope follows', async () => {
        const res = await admin.post('/api/exams', {
          name: '七年级期末统考', schoolYear: seed.schoolYear, term: 1, kind: '统考', grade: 7, examDate: '2027-01-18',
          subjects: [{ name: '语文', fullMarks: 120 }, { name: '数学', fullMarks: 120 }, { name: '英语', fullMarks: 120, countsToTotal: true }],
        });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          name: '七年级期末统考', schoolYear: seed.schoolYear, term: 1, kind: '统考', scope: 'county', schoolId: null, grade: 7, examDate: '2027-01-18',
          status: 'created', rowCount: 0, subjects: [{ name: '语文', fullMarks: 120, countsToTotal: true }, { name: '数学', fullMarks: 120, countsToTotal: true }, { name: '英语', fullMarks: 120, countsToTotal: true }],
        });
        countyExamId = res.body.id;
        expect((await admin.post('/api/exams', { name: '七年级期末统考', schoolYear: seed.schoolYear, term: 1, kind: '统考', grade: 7 })).status).toBe(409);
        expect((await principal.post('/api/exams', { name: '县考', schoolYear: seed.schoolYear, term: 1, kind: '统考', grade: 7 })).status).toBe(403);
        expect((await inspector.post('/api/exams', { name: '督导考试', schoolYear: seed.schoolYear, term: 1, kind: '统考', grade: 7 })).status).toBe(403);
        expect((await teacher.post('/api/exams', { name: '教师考试', schoolYear: seed.schoolYear, term: 1, kind: '月考', scope: 'school', grade: 7 })).status).toBe(403);
        expect((await principal.post('/api/exams', { name: '外校考试', schoolYear: seed.schoolYear, term: 1, kind: '月考', scope: 'school', schoolId: B().id, grade: 7 })).status).toBe(403);
        const bad = await admin.post('/api/exams', { name: 'x', schoolYear: '2026-2028', term: 3, kind: '统考', grade: 7 });
        expect(bad.status).toBe(400);

        const mine = await principal.post('/api/exams', { name: '十月月考', schoolYear: seed.schoolYear, term: 1, kind: '月考', scope: 'school', grade: 7, subjects: [] });
        expect(mine.status).toBe(200);
        expect(mine.body).toMatchObject({ scope: 'school', schoolId: A().id, schoolName: A().name, subjects: [] });
        schoolExamId = mine.body.id;

        const listB = await principalB.get('/api/exams?grade=7');
        expect(listB.body.items.map((e: { id: string }) => e.id)).toEqual([countyExamId]);
        expect((await principalB.get(`/api/exams/${schoolExamId}`)).status).toBe(404);
        expect((await headTeacher.get(`/api/exams/${schoolExamId}`)).status).toBe(200);
        const listAdmin = await admin.get(`/api/exams?schoolYear=${seed.schoolYear}&grade=7`);
        expect(listAdmin.body.total).toBe(2);
        expect((await admin.get('/api/exams?grade=8')).body.total).toBe(0);
        expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'exam.created'`)).toBe(2);
      });
    });

    describe('the county import', () => {
      let firstScores: Record<string, unknown>[];

      it('uploads a GBK CSV with title rows and defects: matched by 学籍号 and by ID, unmatched counted, rejected rows reported', async () => {
        await writeCsv(file('county.csv'), [...TITLE_ROWS, [...SCORE_HEADER], ...cellsOf(countyLines())], 'gbk');
        const up = await admin.upload(`/api/exams/${countyExamId}/scores`, { filename: '七年级期末成绩.csv', content: fs.readFileSync(file('county.csv')) });
        expect(up.status).toBe(200);
        const job = await waitForJob(admin, up.body.jobId);
        expect(job).toMatchObject({ status: 'succeeded', fileName: '七年级期末成绩.csv', inserted: 7, rejected: 7, hasErrors: true, totalRows: 15 });

        const exam = await admin.get(`/api/exams/${countyExamId}`);
        expect(exam.body).toMatchObject({ rowCount: 7, matchedCount: 5, unmatchedCount: 2, rejectedCount: 7, importJobId: up.body.jobId });
        expect(['imported', 'analysed']).toContain(exam.body.status);

        firstScores = await scoresOf(ctx, countyExamId);
        const byRow = new Map(firstScores.map((r) => [r.row_no, r]));
        expect([...byRow.keys()]).toEqual([4, 5, 7, 8, 9, 10, 16]);
        const { a1, a2, b1 } = seed.classes;
        expect(byRow.get(4)).toMatchObject({ student_id: st[0]!.id, school_id: A().id, school_code: A().code, class_id: a1.id, scores: '{98.5,100,NULL}', identity_masked: 'G' + masked(st[0]!.idNumber) });
        expect(byRow.get(5)).toMatchObject({ student_id: st[1]!.id, school_id: A().id, school_code: A().code, class_id: a1.id, scores: '{60,70,80}', identity_masked: masked(st[1]!.idNumber) });
        expect(byRow.get(7)).toMatchObject({ student_id: st[3]!.id, class_id: a2.id, scores: '{90,NULL,110}' });
        expect(byRow.get(8)).toMatchObject({ student_id: st[6]!.id, school_id: B().id, class_id: b1.id, scores: '{88,NULL,NULL}' });
        // unmatched rows keep the file's school and class label; a label of a registered class links to it
        expect(byRow.get(9)).toMatchObject({ student_id: null, school_id: A().id, school_code: A().code, class_id: a1.id, class_label: '七(1)班', name: '借读生甲', identity_masked: 'G' + masked(unregisteredId) });
        expect(byRow.get(10)).toMatchObject({ student_id: null, school_id: B().id, school_code: B().code, class_id: null, class_label: '3班', identity_masked: null });
        expect(byRow.get(16)).toMatchObject({ student_id: st[8]!.id, scores: '{66,66,66}' });
        // no plain ID number or 学籍号 anywhere in the scores
        for (const s of st) {
          expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM exam_scores e WHERE e::text LIKE ${'%' + s.idNumber + '%'}`)).toBe(0);
        }
        // one audit row for the whole import, no per-student rows
        const audits = await rows<{ action: string; after: Record<string, unknown> }>(ctx.db, sql`SELECT action, after FROM audit_log WHERE entity_type = 'exam' AND entity_id = ${countyExamId} AND action LIKE 'exam.scores%'`);
        expect(audits).toEqual([{ action: 'exam.scores_import', after: expect.objectContaining({ rows: 7, matched: 5, unmatched: 2, rejected: 7, duplicateRows: 1, fileName: '七年级期末成绩.csv' }) }]);

        // the errors file: row number, Chinese reason, the row as typed
        const dl = await admin.get(`/api/imports/${up.body.jobId}/errors`);
        expect(dl.status).toBe(200);
        const sheet = await readSheet(dl.raw);
        expect(sheet[0]).toEqual(['行号', '错误原因', ...SCORE_HEADER]);
        const reasons = new Map(sheet.slice(1).map((r) => [Number(r[0]), r[1]!]));
        expect([...reasons.keys()]).toEqual([11, 12, 13, 14, 15, 18, 19]);
        expect(reasons.get(11)).toBe('语文成绩“125”超过满分 120 分');
        expect(reasons.get(12)).toBe('数学成绩“-5”不能为负数');
        expect(reasons.get(13)).toBe('英语成绩“优”不是有效的分数（缺考请填“缺考”或留空）');
        expect(reasons.get(14)).toContain('与第 15 行的学籍号相同');
        expect(reasons.get(15)).toContain('与第 14 行的学籍号相同');
        expect(reasons.get(18)).toContain('没有学籍号或身份证号，也没有学校标识码或学校名称');
        expect(reasons.get(19)).toBe('学校“不存在的学校”在系统中找不到，请填写学校标识码');
        expect(sheet.find((r) => r[0] === '11')!.slice(2, 6)).toEqual(['8', 'G' + st[2]!.idNumber, '', st[2]!.name]);
      });

      it('lists unmatched rows for follow-up, by scope', async () => {
        const all = await admin.get(`/api/exams/${countyExamId}/unmatched`);
        expect(all.status).toBe(200);
        expect(all.body.total).toBe(2);
        expect(all.body.items[0]).toEqual({
          rowNo: 9, name: '借读生甲', identityMasked: 'G' + masked(unregisteredId), schoolCode: A().code, schoolName: A().name, classLabel: '七(1)班', scores: [50, 60, 70],
        });
        expect((await principal.get(`/api/exams/${countyExamId}/unmatched`)).body.items.map((r: { rowNo: number }) => r.rowNo)).toEqual([9]);
        expect((await principalB.get(`/api/exams/${countyExamId}/unmatched`)).body.items.map((r: { rowNo: number }) => r.rowNo)).toEqual([10]);
        // the head teacher of 七(1)班 sees the unregistered row placed in that class
        expect((await headTeacher.get(`/api/exams/${countyExamId}/unmatched`)).body.items.map((r: { rowNo: number }) => r.rowNo)).toEqual([9]);
        expect((await admin.get(`/api/exams/${countyExamId}/unmatched?school=${B().code}`)).body.total).toBe(1);
      });

      it('the same content again (.xlsx this time) gives the same scores: idempotent, one replace audit row', async () => {
        const before = await examRow(ctx, countyExamId);
        await writeXlsx(file('county.xlsx'), { titleRows: TITLE_ROWS, mergeTitles: true, header: SCORE_HEADER, rows: cellsOf(countyLines()) });
        const res = await run(countyExamId, file('county.xlsx'));
        expect(res).toMatchObject({ examId: countyExamId, rows: 7, matched: 5, unmatched: 2, rejected: 7, duplicates: 1 });
        expect(await scoresOf(ctx, countyExamId)).toEqual(firstScores);
        const after = await examRow(ctx, countyExamId);
        expect({ ...after, import_job_id: null, status: null }).toEqual({ ...before, import_job_id: null, status: null });
        expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE entity_id = ${countyExamId} AND action = 'exam.scores_replace'`)).toBe(1);
      });

      it('the analysis after the import (from the rows in memory) equals a re-analysis that reads the scores from the database', async () => {
        const results = async () => ({
          stats: await rows(ctx.db, sql`SELECT * FROM exam_subject_stats WHERE exam_id = ${countyExamId} ORDER BY ord`),
          units: await rows(ctx.db, sql`SELECT * FROM exam_unit_results WHERE exam_id = ${countyExamId} ORDER BY subject, level, unit_key`),
          candidates: await rows(ctx.db, sql`SELECT student_id, class_id, school_id, reason, subjects, status FROM exam_candidates WHERE exam_id = ${countyExamId} ORDER BY student_id`),
          awards: await rows(ctx.db, sql`SELECT level, unit_key, subject, rule, amount, status FROM exam_awards WHERE exam_id = ${countyExamId} ORDER BY level, unit_key, subject, rule`),
          exam: await one(ctx.db, sql`SELECT status, missing_count FROM exams WHERE id = ${countyExamId}`),
        });
        const res = await run(countyExamId, file('county.xlsx'));
        expect(res.analysis.ok).toBe(true);
        const fromMemory = await results();
        expect(fromMemory.units.length).toBeGreaterThan(0);
        expect(fromMemory.exam).toMatchObject({ status: 'analysed' });
        // registered students of the sheet's schools without a row take part as absent (the import's school and class ids, not exam_scores, say where to look)
        expect(Number((fromMemory.exam as { missing_count: number }).missing_count)).toBeGreaterThan(0);
        // the unregistered class (row 10: 3班 at school B) and the unmatched rows take part
        expect(fromMemory.units.some((u) => u.level === 'class' && String(u.unit_key).endsWith('/3'))).toBe(true);
        await analyseAndStore(ctx, countyExamId, { userId: null, name: 'test' });
        expect(await results()).toEqual(fromMemory);
      });

      it('a corrected file replaces the scores in one transaction, with one audit row giving before and after', async () => {
        const lines = countyLines();
        const fix = (i: number, f: (l: ScoreLine) => ScoreLine) => {
          lines[i] = f(lines[i] as ScoreLine);
        };
        fix(7, (l) => ({ ...l, scores: ['115', '90', '90'] }));
        fix(8, (l) => ({ ...l, scores: ['90', '5', '90'] }));
        fix(9, (l) => ({ ...l, scores: ['90', '90', '缺考'] }));
        fix(11, (l) => ({ ...l, scores: ['70', '70', '70'] })); // now an exact repeat of row 14
        fix(14, (l) => ({ ...l, schoolCode: A().code }));
        fix(15, (l) => ({ ...l, schoolName: A().name }));
        await writeCsv(file('county-fixed.csv'), [...TITLE_ROWS, [...SCORE_HEADER], ...cellsOf(lines)], 'utf8bom');
        const lastAudit = await countOf(ctx.db, sql`SELECT max(id)::int AS n FROM audit_log`);
        const res = await run(countyExamId, file('county-fixed.csv'));
        expect(res).toMatchObject({ rows: 13, matched: 9, unmatched: 4, rejected: 0, errorsFile: null, duplicates: 2 });
        const scores = await scoresOf(ctx, countyExamId);
        expect(scores.map((r) => r.row_no)).toEqual([4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 16, 18, 19]);
        expect(scores.find((r) => r.row_no === 11)).toMatchObject({ student_id: st[2]!.id, scores: '{115,90,90}' });
        expect(scores.find((r) => r.row_no === 13)).toMatchObject({ scores: '{90,90,NULL}' });
        expect(await examRow(ctx, countyExamId)).toMatchObject({ row_count: 13, matched_count: 9, unmatched_count: 4, rejected_count: 0 });
        // the import wrote ONE audit row (an analysis, if implemented, may add its own), with before and after counts
        const audit = await rows<{ action: string; before: Record<string, unknown>; after: Record<string, unknown> }>(ctx.db, sql`
          SELECT action, before, after FROM audit_log WHERE id > ${lastAudit} AND action LIKE 'exam.scores%' ORDER BY id`);
        expect(audit).toHaveLength(1);
        expect(audit[0]).toMatchObject({ action: 'exam.scores_replace', before: { rows: 7, matched: 5, unmatched: 2, rejected: 7 }, after: { rows: 13, matched: 9, unmatched: 4, rejected: 0 } });
      });

      it('scores keep history: every replaced set is kept whole, listed as a version, and one student\'s scores can be compared across them, by scope', async () => {
        // four imports so far: the upload (七年级期末成绩.csv), county.xlsx twice (same content), county-fixed.csv
        const versions = await admin.get(`/api/exams/${countyExamId}/score-versions`);
        expect(versions.status).toBe(200);
        const items = versions.body.items as { versionId: number | null; fileName: string; rows: number; replacedAt: string | null; subjects: string[] }[];
        expect(items.map((v) => [v.fileName, v.rows, v.replacedAt == null])).toEqual([
          ['county-fixed.csv', 13, true], ['county.xlsx', 7, false], ['county.xlsx', 7, false], ['七年级期末成绩.csv', 7, false],
        ]);
        expect(items[3]!.subjects).toEqual(items[0]!.subjects);
        // the first set, exactly as it was stored
        const oldest = await rows<Record<string, unknown>>(ctx.db, sql`
          SELECT row_no, student_id, school_id, school_code, class_id, class_label, name, identity_masked, scores::text AS scores
          FROM exam_score_history WHERE version_id = ${items[3]!.versionId} ORDER BY row_no`);
        expect(oldest).toEqual(firstScores);
        // the replace's audit row names the version it kept
        const audit = await one<{ before: Record<string, unknown> }>(ctx.db, sql`
          SELECT before FROM audit_log WHERE entity_id = ${countyExamId} AND action = 'exam.scores_replace' ORDER BY id DESC LIMIT 1`);
        expect(audit!.before).toMatchObject({ historyVersionId: items[1]!.versionId, historyRows: 7 });

        // 曾小红's 语文 was 125 (rejected: above full marks) until the corrected sheet gave 115
        const corrected = await admin.get(`/api/exams/${countyExamId}/score-history?studentId=${st[2]!.id}`);
        expect(corrected.status).toBe(200);
        expect(corrected.body.items.map((r: { versionId: number | null; scores: unknown[] }) => [r.versionId, r.scores])).toEqual([[null, [115, 90, 90]]]);
        // 张伟 was in every set with the same scores
        const same = await headTeacher.get(`/api/exams/${countyExamId}/score-history?studentId=${st[0]!.id}`);
        expect(same.status).toBe(200);
        expect(same.body).toMatchObject({ studentId: st[0]!.id, name: st[0]!.name });
        expect(same.body.items.map((r: { versionId: number | null; fileName: string; scores: unknown[] }) => [r.versionId, r.fileName, r.scores])).toEqual(
          items.map((v) => [v.versionId, v.fileName, [98.5, 100, null]]),
        );
        // outside the caller's scope (another school's principal; a class the head teacher does not head): as if it did not exist
        expect((await principalB.get(`/api/exams/${countyExamId}/score-history?studentId=${st[0]!.id}`)).status).toBe(404);
        expect((await headTeacher.get(`/api/exams/${countyExamId}/score-history?studentId=${st[6]!.id}`)).status).toBe(404);
        expect((await admin.get(`/api/exams/${countyExamId}/score-history?studentId=abc`)).status).toBe(400);
      });

      it('a failure in the middle of the insert leaves the previous scores, the exam and the audit log as they were', async () => {
        const before = await scoresOf(ctx, countyExamId);
        const examBefore = await examRow(ctx, countyExamId);
        const auditBefore = await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM audit_log`);
        await ctx.db.execute(sql.raw(`CREATE FUNCTION test_fail_scores() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN IF NEW.name = '故障生' THEN RAISE EXCEPTION 'test: insert failed'; END IF; RETURN NEW; END $$`));
        await ctx.db.execute(sql.raw('CREATE TRIGGER test_fail_scores BEFORE INSERT ON exam_scores FOR EACH ROW EXECUTE FUNCTION test_fail_scores()'));
        try {
          const lines = countyLines().slice(0, 5);
          lines.push({ name: '故障生', schoolCode: A().code, scores: ['1', '2', '3'] });
          await writeCsv(file('failing.csv'), [[...SCORE_HEADER], ...cellsOf(lines)], 'utf8');
          const err = await run(countyExamId, file('failing.csv')).then(() => null, (e: unknown) => e as { status: number; code: string; message: string });
          expect(err).toMatchObject({ status: 500, code: 'IMPORT_FAILED' });
          expect(err!.message).toContain('数据库未做任何更改');
        } finally {
          await ctx.db.execute(sql.raw('DROP TRIGGER test_fail_scores ON exam_scores'));
          await ctx.db.execute(sql.raw('DROP FUNCTION test_fail_scores()'));
        }
        expect(await scoresOf(ctx, countyExamId)).toEqual(before);
        expect(await examRow(ctx, countyExamId)).toEqual(examBefore);
        expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM audit_log`)).toBe(auditBefore);
        const job = await one<{ status: string; error_message: string }>(ctx.db, sql`SELECT status, error_message FROM import_jobs WHERE kind = 'exam' ORDER BY created_at DESC LIMIT 1`);
        expect(job).toMatchObject({ status: 'failed' });
      });

      it('an analysis that fails after the commit leaves the import in place and says so on the job', async () => {
        await ctx.db.execute(sql.raw(`CREATE FUNCTION test_fail_stats() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'test: analysis failed'; END $$`));
        await ctx.db.execute(sql.raw('CREATE TRIGGER test_fail_stats BEFORE INSERT ON exam_subject_stats FOR EACH STATEMENT EXECUTE FUNCTION test_fail_stats()'));
        let res;
        try {
          res = await run(countyExamId, file('county-fixed.csv'));
        } finally {
          await ctx.db.execute(sql.raw('DROP TRIGGER test_fail_stats ON exam_subject_stats'));
          await ctx.db.execute(sql.raw('DROP FUNCTION test_fail_stats()'));
        }
        expect(res).toMatchObject({ rows: 13, matched: 9, unmatched: 4, rejected: 0, analysis: { ok: false, message: expect.stringContaining('成绩已导入，但自动分析未完成') } });
        expect(await examRow(ctx, countyExamId)).toMatchObject({ status: 'imported', row_count: 13, import_job_id: res.jobId });
        const job = await one<{ status: string; error_message: string }>(ctx.db, sql`SELECT status, error_message FROM import_jobs WHERE id = ${res.jobId}`);
        expect(job!.status).toBe('succeeded');
        expect(job!.error_message).toContain('成绩已导入，但自动分析未完成');
        expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM exam_scores WHERE exam_id = ${countyExamId}`)).toBe(13);
      });

      it('rejects a file missing a subject the exam lists, and a new subject once the exam has scores', async () => {
        await writeCsv(file('no-english.csv'), [['学籍号', '姓名', '语文', '数学'], ['G' + st[0]!.idNumber, st[0]!.name, '1', '2']], 'utf8');
        await expect(run(countyExamId, file('no-english.csv'))).rejects.toMatchObject({ status: 400, message: expect.stringContaining('文件中缺少考试科目“英语”的成绩列') });
        await writeCsv(file('extra.csv'), [['学籍号', '姓名', '语文', '数学', '英语', '物理'], ['G' + st[0]!.idNumber, st[0]!.name, '1', '2', '3', '4']], 'utf8');
        await expect(run(countyExamId, file('extra.csv'))).rejects.toMatchObject({ status: 400, message: expect.stringContaining('不能再增加科目') });
        expect(await examRow(ctx, countyExamId)).toMatchObject({ row_count: 13 });
      });
    });

    describe('a file with no acceptable row', () => {
      it('keeps the exam\'s scores, fails the job and still reports the rejected rows', async () => {
        const before = await scoresOf(ctx, countyExamId);
        await writeCsv(file('all-bad.csv'), [['学籍号', '姓名', '语文', '数学', '英语'], ['G' + st[0]!.idNumber, st[0]!.name, '200', '1', '1'], ['G' + st[1]!.idNumber, st[1]!.name, '1', '1', '优']], 'utf8');
        const up = await admin.upload(`/api/exams/${countyExamId}/scores`, { filename: 'all-bad.csv', content: fs.readFileSync(file('all-bad.csv')) });
        const job = await waitForJob(admin, up.body.jobId);
        expect(job).toMatchObject({ status: 'failed', rejected: 2, errorMessage: '文件中没有一行成绩通过检查（2 行未导入，原因见错误报告），考试原有成绩未做更改' });
        const sheet = await readSheet((await admin.get(`/api/imports/${up.body.jobId}/errors`)).raw);
        expect(sheet.slice(1).map((r) => r[0])).toEqual(['2', '3']);
        expect(await scoresOf(ctx, countyExamId)).toEqual(before);
        expect(await examRow(ctx, countyExamId)).toMatchObject({ row_count: 13 });
      });
    });

    describe('a pairing exam (联考 of the schools of one school-to-school pairing)', () => {
      let pairingId: number;
      let examId: string;
      let outsider: { id: number; code: string; name: string };
      /** a principal of the school outside the pairing (scope compiled directly: no account needed to read) */
      const outsiderPrincipal = () => as({ ...seed.users.principal, schoolId: outsider.id });

      it('the bureau pairs schools A and B; a principal of A creates a 联考 for the pairing, which both schools see and no other', async () => {
        outsider = (await one<{ id: number; code: string; name: string }>(ctx.db, sql`
          INSERT INTO schools (code, name, kind, location_type) SELECT '3604289901', '结对以外小学', kind, location_type FROM schools WHERE id = ${A().id}
          RETURNING id, code, name`))!;
        const p = await admin.post('/api/pairings', {
          programme: 'school_pairing', start: '2026-09-01', status: 'active',
          participants: [{ role: 'helper', kind: 'school', personId: A().id }, { role: 'helped', kind: 'school', personId: B().id }],
        });
        expect(p.status).toBe(200);
        pairingId = p.body.id;
        const spec = { name: '结对联考（七年级）', schoolYear: seed.schoolYear, term: 1, kind: '月考', grade: 7, subjects: [
          { name: '语文', fullMarks: 120 }, { name: '数学', fullMarks: 120 }, { name: '英语', fullMarks: 120 },
        ] };
        expect((await principal.post('/api/exams', { ...spec, scope: 'pairing' })).status).toBe(400); // which pairing?
        expect((await principal.post('/api/exams', { ...spec, scope: 'pairing', pairingId, schoolId: A().id })).status).toBe(400);
        expect((await teacher.post('/api/exams', { ...spec, scope: 'pairing', pairingId })).status).toBe(403);
        const created = await principal.post('/api/exams', { ...spec, scope: 'pairing', pairingId });
        expect(created.status).toBe(200);
        expect(created.body).toMatchObject({ scope: 'pairing', pairingId, schoolId: null, pairingSchoolIds: [A().id, B().id].sort((x, y) => x - y) });
        expect(created.body.pairingName).toBe(`${A().name}、${B().name}`);
        examId = created.body.id;
        expect((await principal.post('/api/exams', { ...spec, scope: 'pairing', pairingId })).status).toBe(409); // the same exam again

        expect((await principalB.get(`/api/exams/${examId}`)).status).toBe(200);
        expect((await teacher.get(`/api/exams/${examId}`)).status).toBe(200);
        await expect(getExam(ctx, outsiderPrincipal(), examId)).rejects.toMatchObject({ status: 404 });
        expect((await listExams(ctx, outsiderPrincipal(), { page: 1, pageSize: 200 })).items.map((e) => e.id)).not.toContain(examId);
        // a school outside the pairing cannot make one for it: for them the pairing does not exist
        await expect(createExam(ctx, outsiderPrincipal(), { ...spec, name: '冒名联考', term: 1, kind: '月考', scope: 'pairing', pairingId }))
          .rejects.toMatchObject({ status: 404 });
      });

      it('takes rows of the pairing\'s schools only; the other school of the pairing imports too; both see each other\'s school ranking', async () => {
        const lines: ScoreLine[] = [
          { studentNo: 'G' + st[0]!.idNumber, name: st[0]!.name, schoolCode: A().code, classLabel: '1班', scores: ['100', '90', '80'] },
          { studentNo: 'G' + st[3]!.idNumber, name: st[3]!.name, schoolCode: A().code, classLabel: '2班', scores: ['60', '50', '40'] },
          { studentNo: 'G' + st[6]!.idNumber, name: st[6]!.name, schoolCode: B().code, classLabel: '1班', scores: ['70', '70', '70'] },
          { name: '借读生丙', schoolCode: B().code, classLabel: '1班', scores: ['30', '40', '50'] }, // unmatched, B: kept
          { name: '外校生丁', schoolCode: outsider.code, classLabel: '1班', scores: ['30', '40', '50'] }, // the school outside
          { name: '外校生戊', schoolCode: '3604289999', classLabel: '1班', scores: ['30', '40', '50'] }, // unregistered school
        ];
        await writeXlsx(file('pairing.xlsx'), { titleRows: [['结对联考成绩']], mergeTitles: true, header: ['学籍号', '姓名', '学校标识码', '班级', '语文', '数学', '英语'], rows: lines.map((l) => [l.studentNo ?? '', l.name, l.schoolCode ?? '', l.classLabel ?? '', ...l.scores]) });
        const content = fs.readFileSync(file('pairing.xlsx'));
        expect((await teacher.upload(`/api/exams/${examId}/scores`, { filename: 'x.xlsx', content })).status).toBe(403);
        const up = await principalB.upload(`/api/exams/${examId}/scores`, { filename: '结对联考.xlsx', content });
        expect(up.status).toBe(200);
        const job = await waitForJob(principalB, up.body.jobId);
        expect(job).toMatchObject({ status: 'succeeded', inserted: 4, rejected: 2 });
        const sheet = await readSheet((await principalB.get(`/api/imports/${up.body.jobId}/errors`)).raw);
        expect(sheet.slice(1).map((r) => [r[0], r[1]])).toEqual([
          ['7', `该行的学校（${outsider.code}）不是本结对联考的学校（${A().name}、${B().name}）`],
          ['8', `该行的学校（3604289999）不是本结对联考的学校（${A().name}、${B().name}）`],
        ]);
        expect((await principal.get(`/api/exams/${examId}`)).body).toMatchObject({ status: 'analysed', rowCount: 4, matchedCount: 3, unmatchedCount: 1, rejectedCount: 2 });
        // the ranking among the pairing's two schools, published to both (a school exam's would not be)
        for (const agent of [principal, principalB]) {
          const units = await agent.get(`/api/exams/${examId}/analysis/units?level=school&subject=总分`);
          expect(units.status).toBe(200);
          expect(units.body.items.map((u: { schoolCode: string; rank: number | null }) => u.schoolCode).sort()).toEqual([A().code, B().code].sort());
        }
        // school A's principal may import it too (the same sheet: the same rows, none outside the pairing)
        expect(await run(examId, file('pairing.xlsx'), seed.users.principal)).toMatchObject({ rows: 4, matched: 3, unmatched: 1, rejected: 2 });

        // school A's trend beside this exam: comparable exams only (this pairing's), not the county's; and the other way round
        const trendIds = async (q: string) => {
          const r = await principal.get(`/api/schools/${A().code}/exam-trend?subject=总分${q}`);
          expect(r.status).toBe(200);
          return (r.body.school as { examId: string }[]).map((p) => p.examId);
        };
        await analyseAndStore(ctx, countyExamId, { userId: null, name: 'test' }); // its last import's analysis was made to fail above
        const all = await trendIds('');
        expect(all).toEqual(expect.arrayContaining([examId, countyExamId]));
        expect(await trendIds(`&comparableTo=${examId}`)).toEqual([examId]);
        const county = await trendIds(`&comparableTo=${countyExamId}`);
        expect(county).toContain(countyExamId);
        expect(county).not.toContain(examId);
        expect((await principal.get(`/api/schools/${A().code}/exam-trend?comparableTo=no-such-exam`)).status).toBe(404);
        expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM exam_scores WHERE exam_id = ${examId} AND school_id NOT IN (${A().id}, ${B().id})`)).toBe(0);
      });
    });

    describe('a school exam', () => {
      it('subjects come from the file; the principal imports through the API; another school sees nothing', async () => {
        const lines: ScoreLine[] = [
          { studentNo: 'G' + st[0]!.idNumber, name: st[0]!.name, classLabel: '1班', scores: ['100', '90', '80'] },
          { studentNo: 'G' + st[6]!.idNumber, name: st[6]!.name, classLabel: '1班', scores: ['100', '90', '80'] }, // school B's student
          { name: '旁听生', classLabel: '2班', scores: ['30', '40', '缺'] }, // no identity: the exam's school
          { name: '外校旁听', schoolCode: B().code, scores: ['30', '40', '50'] }, // another school's code
        ];
        await writeXlsx(file('school.xlsx'), { titleRows: [['城关第一小学七年级十月月考']], mergeTitles: true, header: ['学籍号', '姓名', '学校标识码', '班级', '语文（满分150）', '数学', '英语'], rows: lines.map((l) => [l.studentNo ?? '', l.name, l.schoolCode ?? '', l.classLabel ?? '', ...l.scores]) });
        const content = fs.readFileSync(file('school.xlsx'));
        expect((await principalB.upload(`/api/exams/${schoolExamId}/scores`, { filename: 'x.xlsx', content })).status).toBe(404);
        expect((await teacher.upload(`/api/exams/${schoolExamId}/scores`, { filename: 'x.xlsx', content })).status).toBe(403);
        const up = await principal.upload(`/api/exams/${schoolExamId}/scores`, { filename: '月考.xlsx', content });
        expect(up.status).toBe(200);
        const job = await waitForJob(principal, up.body.jobId);
        expect(job).toMatchObject({ status: 'succeeded', inserted: 2, rejected: 2 });
        expect((await principalB.get(`/api/imports/${up.body.jobId}`)).status).toBe(404);
        // the import history lists score uploads beside roster imports, by kind, within scope
        const history = (await principal.get('/api/imports?page=1&pageSize=5')).body.items as { id: string; kind: string }[];
        expect(history.find((j) => j.id === up.body.jobId)).toMatchObject({ kind: 'exam', status: 'succeeded', inserted: 2 });
        expect(((await principalB.get('/api/imports?page=1&pageSize=50')).body.items as { id: string }[]).map((j) => j.id)).not.toContain(up.body.jobId);

        const exam = (await principal.get(`/api/exams/${schoolExamId}`)).body;
        expect(exam).toMatchObject({ rowCount: 2, matchedCount: 1, unmatchedCount: 1, rejectedCount: 2 });
        expect(exam.subjects).toEqual([
          { name: '语文', fullMarks: 150, countsToTotal: true }, { name: '数学', fullMarks: 120, countsToTotal: true }, { name: '英语', fullMarks: 120, countsToTotal: true },
        ]);
        const sheet = await readSheet((await principal.get(`/api/imports/${up.body.jobId}/errors`)).raw);
        expect(sheet.slice(1).map((r) => [r[0], r[1]])).toEqual([
          ['4', `该学生在系统中不属于本考试所属的学校（${A().name}）`],
          ['6', `该行的学校（${B().code}）不是本考试所属的学校（${A().name}）`],
        ]);
        const scores = await scoresOf(ctx, schoolExamId);
        expect(scores.map((r) => [r.row_no, r.school_id, r.class_id])).toEqual([[3, A().id, seed.classes.a1.id], [5, A().id, seed.classes.a2.id]]);
        expect((await principalB.get(`/api/exams/${schoolExamId}/unmatched`)).status).toBe(404);
        expect((await principal.get(`/api/exams/${schoolExamId}/unmatched`)).body.total).toBe(1);
      });

      it('only the bureau deletes an exam; its scores go with it; audited', async () => {
        await run(schoolExamId, file('school.xlsx'), seed.users.principal); // the same sheet again: one replaced set
        expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM exam_score_versions WHERE exam_id = ${schoolExamId}`)).toBe(1);
        expect((await principal.delete(`/api/exams/${schoolExamId}`)).status).toBe(403);
        expect((await inspector.delete(`/api/exams/${schoolExamId}`)).status).toBe(403);
        expect((await admin.delete(`/api/exams/${schoolExamId}`)).status).toBe(200);
        expect((await admin.get(`/api/exams/${schoolExamId}`)).status).toBe(404);
        expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM exam_scores WHERE exam_id = ${schoolExamId}`)).toBe(0);
        // its replaced scores go too
        expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM exam_score_versions WHERE exam_id = ${schoolExamId}`)).toBe(0);
        expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM exam_score_history h
          WHERE NOT EXISTS (SELECT 1 FROM exam_score_versions v WHERE v.id = h.version_id)`)).toBe(0);
        const audit = await one<{ before: Record<string, unknown> }>(ctx.db, sql`SELECT before FROM audit_log WHERE action = 'exam.deleted' AND entity_id = ${schoolExamId}`);
        expect(audit!.before).toMatchObject({ name: '十月月考', rows: 2, matched: 1 });
      });

      it('one registered student twice, by 学籍号 in one row and by ID number in the other: both rows rejected, naming each other', async () => {
        const exam = await createExam(ctx, as(seed.users.bureau_admin), { name: '同一学生两行', schoolYear: seed.schoolYear, term: 2, kind: '月考', grade: 7 });
        await writeCsv(file('twice.csv'), [['学籍号', '身份证号', '姓名', '语文'], ['G' + st[0]!.idNumber, '', st[0]!.name, '90'], ['', st[0]!.idNumber, st[0]!.name, '91'], ['G' + st[1]!.idNumber, '', st[1]!.name, '80']], 'utf8');
        const res = await run(exam.id, file('twice.csv'));
        expect(res).toMatchObject({ rows: 1, matched: 1, rejected: 2 });
        const sheet = await readSheet(res.errorsFile!);
        expect(sheet.slice(1).map((r) => [r[0], r[1]])).toEqual([
          ['2', '与第 3 行是系统中的同一名学生（学籍号或身份证号对应同一人），但成绩或其他内容不同：同一学生在文件中只能出现一次，请核对后只保留一行'],
          ['3', '与第 2 行是系统中的同一名学生（学籍号或身份证号对应同一人），但成绩或其他内容不同：同一学生在文件中只能出现一次，请核对后只保留一行'],
        ]);
      });

      it('IDs Excel stored as numbers: every ID ending in 000 is rejected, a checksum that passes by chance included; the rest import', async () => {
        const exam = await createExam(ctx, as(seed.users.bureau_admin), { name: '身份证号被存成数字', schoolYear: seed.schoolYear, term: 2, kind: '月考', grade: 7 });
        // what Excel keeps of an 18-digit number: 15 significant digits
        const truncated: string[] = [];
        let passing: string | null = null;
        for (let k = 0; truncated.length < 6 || !passing; k++) {
          const id = makeIdNumber('522401', new Date(Date.UTC(2013, 0, 1 + k)).toISOString().slice(0, 10), 40 + k, '2');
          if (id.endsWith('X')) continue; // Excel keeps those as text
          const t = id.slice(0, 15) + '000';
          if (idCheckChar(t.slice(0, 17)) === t[17]) passing ??= t;
          else if (truncated.length < 6) truncated.push(t);
        }
        const rowsOut = [
          ['身份证号', '姓名', '学校标识码', '语文'],
          ...truncated.slice(0, 3).map((id, k) => [id, `借读生${k}`, A().code, '80']), // rows 2-4
          [passing!, '借读生丁', A().code, '81'], // 5: valid per row (it would be counted as a student nobody knows)
          [st[1]!.idNumber, st[1]!.name, '', '90'], // 6: an ID Excel kept whole
          ...truncated.slice(3).map((id, k) => [id, `借读生${k + 3}`, A().code, '82']), // rows 7-9
        ];
        await writeCsv(file('id-numbers.csv'), rowsOut, 'gbk');
        const res = await run(exam.id, file('id-numbers.csv'));
        expect(res).toMatchObject({ rows: 1, matched: 1, unmatched: 0, rejected: 7 });
        const sheet = await readSheet(res.errorsFile!);
        expect(sheet.slice(1).map((r) => [Number(r[0]), r[1]])).toEqual([2, 3, 4, 5, 7, 8, 9].map((n) => [n, idProblemMessage('scientific')]));
        expect((await scoresOf(ctx, exam.id)).map((r) => r.student_id)).toEqual([st[1]!.id]);
      });

      it('a 学籍号 outside the grade read during the parse (a grade-7 student in a grade-8 exam) is still matched, by the database query', async () => {
        const exam = await createExam(ctx, as(seed.users.bureau_admin), { name: '八年级借考', schoolYear: seed.schoolYear, term: 2, kind: '月考', grade: 8, subjects: [{ name: '语文', fullMarks: 120, countsToTotal: true }] });
        await writeCsv(file('other-grade.csv'), [['学籍号', '姓名', '学校标识码', '语文'], ['G' + st[0]!.idNumber, st[0]!.name, A().code, '90'], ['G' + unregisteredId, '借读生丙', A().code, '80']], 'utf8');
        const res = await run(exam.id, file('other-grade.csv'));
        expect(res).toMatchObject({ rows: 2, matched: 1, unmatched: 1, rejected: 0 });
        const scores = await scoresOf(ctx, exam.id);
        expect(scores.map((r) => [r.row_no, r.student_id, r.school_id, r.class_id])).toEqual([
          [2, st[0]!.id, st[0]!.schoolId, st[0]!.classId],
          [3, null, A().id, null],
        ]);
      });

      it('a county exam created without subjects takes them from the header, with default full marks', async () => {
        const exam = await createExam(ctx, as(seed.users.bureau_staff), { name: '七年级期中', schoolYear: seed.schoolYear, term: 1, kind: '期中', grade: 7 });
        await writeCsv(file('mid.csv'), [['学籍号', '姓名', '语文', '数学(100)', '英语', '物理', '总分'], ['G' + st[0]!.idNumber, st[0]!.name, '90', '80', '70', '60', '300']], 'gbk');
        const res = await run(exam.id, file('mid.csv'), seed.users.bureau_staff);
        expect(res).toMatchObject({ rows: 1, matched: 1, subjectsAdded: ['语文', '数学', '英语', '物理'] });
        expect((await examRow(ctx, exam.id))!.subjects).toEqual([
          { name: '语文', fullMarks: 120, countsToTotal: true }, { name: '数学', fullMarks: 100, countsToTotal: true },
          { name: '英语', fullMarks: 120, countsToTotal: true }, { name: '物理', fullMarks: 100, countsToTotal: true },
        ]);
      });
    });
  },
  seedCounty,
);

/** `bangfu import exam <file> …args` in a child process on the test's database, hashing identities with `secret` */
const cliOn = (ctx: TestContext, secret: string, f: string) => {
  const env: NodeJS.ProcessEnv = { ...process.env, BANGFU_DATA_DIR: ctx.config.dataDir, DATABASE_URL: ctx.config.databaseUrl ?? '', BANGFU_SECRET: secret, BANGFU_LOG: '0' };
  return (args: string[]) => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/bangfu.mjs'), 'import', 'exam', f, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
};

describeOnBackends('bangfu import exam --school / --pairing', (getCtx, kind) => {
  it('--school makes a school\'s own exam, --pairing a pairing\'s 联考; each found again by a second run; bad scope arguments', { timeout: 180_000 }, async () => {
    const ctx = getCtx();
    const secret = 'exam-cli-scope-secret';
    ctx.sealer = createIdSealer(loadSecret(ctx.config.dataDir, { BANGFU_SECRET: secret }));
    const seed = await seedCounty(ctx);
    const { a, b } = seed.schools;
    const admin = await loginAgent(await testApp(ctx), seed.users.bureau_admin);
    const created = await admin.post('/api/pairings', {
      programme: 'school_pairing', start: '2026-09-01', status: 'active',
      participants: [{ role: 'helper', kind: 'school', personId: a.id }, { role: 'helped', kind: 'school', personId: b.id }],
    });
    expect(created.status).toBe(200);
    const pairingId: number = created.body.id;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exam-cli-scope-'));
    const f = path.join(dir, '月考.csv');
    const s = seed.students;
    await writeCsv(f, [['学籍号', '姓名', '学校标识码', '班级', '语文', '数学'],
      ['G' + s[0]!.idNumber, s[0]!.name, a.code, '1班', '100', '90'],
      ['G' + s[6]!.idNumber, s[6]!.name, b.code, '1班', '80', '70'],
    ], 'utf8');
    const cli = cliOn(ctx, secret, f);
    if (kind === 'pglite') await ctx.database.close();
    const last = (out: string) => JSON.parse(out.trim().split('\n').pop()!);
    try {
      const base = ['--name', '第一次月考', '--grade', '7', '--term', `${seed.schoolYear}-1`, '--kind', '月考', '--json'];
      const own = await cli([...base, '--school', a.code]);
      expect(own.code, own.stderr).toBe(0);
      expect(own.stderr).toContain(`已创建考试“第一次月考”`);
      expect(own.stderr).toContain(`${a.name}的校内考试`);
      // a school's exam takes its own school's rows only
      expect(last(own.stdout)).toMatchObject({ rows: 1, matched: 1, rejected: 1 });
      const joint = await cli([...base, '--pairing', String(pairingId)]);
      expect(joint.code, joint.stderr).toBe(0);
      expect(joint.stderr).toContain('的联考');
      expect(last(joint.stdout)).toMatchObject({ rows: 2, matched: 2, rejected: 0 });
      const county = await cli(base);
      expect(county.code, county.stderr).toBe(0);
      const ids = [last(own.stdout).examId, last(joint.stdout).examId, last(county.stdout).examId];
      expect(new Set(ids).size).toBe(3);
      // the same name, term, grade and scope again: the same exam, its scores replaced
      const again = await cli([...base, '--pairing', String(pairingId)]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toContain('使用已有考试');
      expect(last(again.stdout).examId).toBe(ids[1]);

      const both = await cli([...base, '--school', a.code, '--pairing', String(pairingId)]);
      expect([both.code, both.stderr]).toEqual([2, expect.stringContaining('只能选一个')]);
      const withExam = await cli(['--exam', ids[0], '--school', a.code]);
      expect([withExam.code, withExam.stderr]).toEqual([2, expect.stringContaining('--exam')]);
      const noSchool = await cli([...base, '--school', '3600009999']);
      expect([noSchool.code, noSchool.stderr]).toEqual([1, expect.stringContaining('学校标识码“3600009999”在系统中不存在')]);
      const noPairing = await cli([...base, '--pairing', '99999']);
      expect(noPairing.code).toBe(1);
      expect(noPairing.stderr).toContain('结对');

      const db = kind === 'pglite' ? await openDatabase({ dataDir: ctx.config.dataDir }) : null;
      try {
        const q = db?.db ?? ctx.db;
        const exams = await rows<{ id: string; scope: string; school_id: number | null; pairing_id: number | null }>(q, sql`
          SELECT id, scope, school_id, pairing_id FROM exams ORDER BY created_at`);
        expect(exams).toEqual([
          { id: ids[0], scope: 'school', school_id: a.id, pairing_id: null },
          { id: ids[1], scope: 'pairing', school_id: null, pairing_id: pairingId },
          { id: ids[2], scope: 'county', school_id: null, pairing_id: null },
        ]);
      } finally {
        await db?.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

});

describeOnBackends('bangfu import exam --json', (getCtx, kind) => {
  it('creates the exam, then a second run reuses it; the last stdout line is the JSON summary', { timeout: 180_000 }, async () => {
    const ctx = getCtx();
    // the child process must hash identities with the same key as the seed
    const secret = 'exam-cli-test-secret';
    ctx.sealer = createIdSealer(loadSecret(ctx.config.dataDir, { BANGFU_SECRET: secret }));
    const seed = await seedCounty(ctx);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exam-cli-'));
    const f = path.join(dir, '期末成绩.csv');
    const s = seed.students;
    await writeCsv(f, [...TITLE_ROWS, ['学籍号', '姓名', '学校标识码', '班级', '语文', '数学', '英语', '科学'],
      ['G' + s[0]!.idNumber, s[0]!.name, seed.schools.a.code, '1班', '100', '90', '80', '150'],
      ['G' + s[6]!.idNumber, s[6]!.name, seed.schools.b.code, '1班', '缺考', '90', '80', '70'],
      ['G9999999999', '借读生', seed.schools.a.code, '2班', '60', '60', '60', '60'],
      ['G' + s[1]!.idNumber, s[1]!.name, seed.schools.a.code, '1班', '130', '90', '80', '70'],
    ], 'gbk');
    const cli = cliOn(ctx, secret, f);
    if (kind === 'pglite') await ctx.database.close();
    try {
      const args = ['--name', '七年级期末统考', '--grade', '七年级', '--term', `${seed.schoolYear}-1`, '--subjects', '语文:120,数学:120,英语:120,科学:160', '--total', '语文,数学,英语', '--json'];
      const first = await cli(args);
      expect(first.code, first.stderr).toBe(0);
      const lines = first.stdout.trim().split('\n');
      const summary = JSON.parse(lines[lines.length - 1]!);
      expect(Object.keys(summary)).toEqual(['examId', 'rows', 'matched', 'unmatched', 'rejected', 'errorsFile']);
      expect(summary).toMatchObject({ rows: 3, matched: 2, unmatched: 1, rejected: 1 });
      expect(summary.errorsFile).toMatch(/-errors\.xlsx$/);
      expect(fs.existsSync(summary.errorsFile)).toBe(true);
      expect(first.stderr).toContain('已创建考试');

      const second = await cli(args);
      expect(second.code, second.stderr).toBe(0);
      const again = JSON.parse(second.stdout.trim().split('\n').pop()!);
      expect(again).toMatchObject({ examId: summary.examId, rows: 3, matched: 2, unmatched: 1, rejected: 1 });
      expect(second.stderr).toContain('使用已有考试');

      // a file in which no row passes: exit code 1, the scores stay, the summary line still comes last
      await writeCsv(f, [['学籍号', '姓名', '学校标识码', '班级', '语文', '数学', '英语', '科学'], ['G' + s[0]!.idNumber, s[0]!.name, seed.schools.a.code, '1班', '500', '90', '80', '150']], 'gbk');
      const none = await cli(['--exam', summary.examId, '--json']);
      expect(none.code).toBe(1);
      expect(JSON.parse(none.stdout.trim().split('\n').pop()!)).toEqual({ examId: summary.examId, rows: 0, matched: 0, unmatched: 0, rejected: 1, errorsFile: expect.stringMatching(/-errors\.xlsx$/) });
      expect(none.stderr).toContain('考试原有成绩未做更改');

      const bad = await cli(['--name', 'x', '--grade', '7', '--term', '第三学期', '--json']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('无法识别的学期');

      const db = kind === 'pglite' ? await openDatabase({ dataDir: ctx.config.dataDir }) : null;
      try {
        const q = db?.db ?? ctx.db;
        const exam = await one<{ subjects: unknown; term: number; school_year: string; kind: string; row_count: number }>(q, sql`
          SELECT subjects, term, school_year, kind, row_count FROM exams WHERE id = ${summary.examId}`);
        expect(exam).toEqual({
          subjects: [
            { name: '语文', fullMarks: 120, countsToTotal: true }, { name: '数学', fullMarks: 120, countsToTotal: true },
            { name: '英语', fullMarks: 120, countsToTotal: true }, { name: '科学', fullMarks: 160, countsToTotal: false },
          ],
          term: 1, school_year: seed.schoolYear, kind: '统考', row_count: 3,
        });
        expect(await countOf(q, sql`SELECT count(*)::int AS n FROM audit_log WHERE entity_id = ${summary.examId} AND action LIKE 'exam.scores%'`)).toBe(2);
      } finally {
        await db?.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
