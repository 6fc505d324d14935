// The exam screens end to end, on a demo county (`bangfu demo --students 3000 --seed 7`) served
// for real and driven in headless Chromium:
//   the bureau admin creates an exam in the form and uploads a score sheet (made here with the
//   demo's own generator from the same plan, so its 学籍号 are the registered students'), sees
//   the counts and downloads the rejected rows; the county overview shows the cut score and
//   draws its charts; a school, then a class; the class's head teacher confirms one candidate
//   and removes another with a reason, and the statuses survive a reload; on a 390×844 phone
//   the overview does not overflow sideways.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { generateStudents, planCounty } from '../../src/modules/demo/generator.js';
import { examSubjectsOfGrade, examTitleRows, generateExamRows, type ExamRow } from '../../src/modules/demo/exam-scores.js';
import { writeExamFile } from '../../src/modules/demo/exam-file.js';
import { account, apiGet, apiSend, demoAccounts, launchBrowser, loginThroughUi, makeDataDir, newContext, runCli, startServer, type DemoAccount, type RunningServer } from './server.js';

// page.evaluate callbacks run in the browser; this project compiles without the DOM library
declare const document: { querySelectorAll(sel: string): { length: number }; documentElement: { scrollWidth: number }; body: { scrollWidth: number } };
declare const window: { innerWidth: number };

interface Paged<T> { total: number; items: T[] }
interface Me { id: number; role: string; teacherId: number | null; school: { id: number; code: string; name: string } | null }
interface TeacherDetail { headOf: { classId: number; className: string }[] }
interface Candidate { studentId: number; studentName: string; classId: number | null; className: string | null; status: string; canDecide: boolean; decisionNote: string | null; decidedBy: { name: string } | null }
interface SubjectStat { subject: string; isTotal: boolean; cut: number | 'absent' | null; n: number }
interface UnitRow { unitName: string; schoolCode: string | null; classId: number | null; subject: string }
interface ExamView { id: string; name: string; status: string; matchedCount: number; unmatchedCount: number; rejectedCount: number }

const SEED = 7;
const STUDENTS = 3000;
const GRADE = 7;
const DEFECTS = 3;
const EXAM_NAME = '七年级十二月月考（端到端测试）';

const statText = async (page: Page, testId: string) => ((await page.getByTestId(testId).locator('.ant-statistic-content-value').textContent()) ?? '').replace(/,/g, '');

describe('exam screens in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let accounts: DemoAccount[];
  let adminContext: BrowserContext;
  let admin: Page;
  const dataDir = makeDataDir('exams');
  const sheetPath = path.join(os.tmpdir(), `bangfu-e2e-exam-${process.pid}.xlsx`);
  let rows: ExamRow[] = [];
  let examId = '';

  beforeAll(async () => {
    const today = new Date();
    await runCli(['demo', '--students', String(STUDENTS), '--seed', String(SEED)], dataDir);
    // the same plan as the demo's (same students, seed and day): the sheet's 学籍号 are registered
    const plan = planCounty({ students: STUDENTS, seed: SEED, today });
    const subjects = examSubjectsOfGrade(GRADE);
    rows = [...generateExamRows(plan, generateStudents(plan), {
      key: `e2e/${plan.schoolYear}/1/月考/${GRADE}`, schoolYear: plan.schoolYear, grade: GRADE, subjects, wave: 1, defects: DEFECTS,
    })];
    await writeExamFile(sheetPath, rows, subjects, 'xlsx', { titleRows: examTitleRows({ schoolYear: plan.schoolYear, term: 1, grade: GRADE, kind: '月考' }) });

    accounts = demoAccounts(dataDir);
    server = await startServer(dataDir);
    browser = await launchBrowser();
    adminContext = await newContext(browser, server);
    admin = await adminContext.newPage();
    const a = account(accounts, 'bureau_admin');
    await loginThroughUi(admin, a.username, a.password);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(sheetPath, { force: true });
  });

  it('the bureau admin creates an exam and uploads its score sheet; the counts and the rejected rows are shown', async () => {
    await admin.goto('/exams');
    await admin.getByTestId('nav-exams').waitFor();
    await admin.getByTestId('exam-create').click();
    await admin.getByTestId('exam-create-name').fill(EXAM_NAME);
    // grade 7 is the default: its usual subjects are filled in, the same as the sheet's
    await expect(admin.getByTestId('exam-create-subject').count()).resolves.toBe(examSubjectsOfGrade(GRADE).length);
    expect(await admin.getByTestId('exam-create-subject').first().locator('input').first().inputValue()).toBe(examSubjectsOfGrade(GRADE)[0]!.name);
    const created = admin.waitForResponse((r) => new URL(r.url()).pathname === '/api/exams' && r.request().method() === 'POST');
    await admin.getByTestId('exam-create-submit').click();
    const res = await created;
    expect(res.status()).toBe(200);
    examId = ((await res.json()) as ExamView).id;

    // the upload dialog opens on the new exam
    await admin.getByTestId('exam-score-file').setInputFiles(sheetPath);
    await admin.getByTestId('exam-upload-result').waitFor({ timeout: 150_000 });
    const registered = rows.filter((r) => r.registered && !r.defect).length;
    const unregistered = rows.filter((r) => !r.registered && !r.defect).length;
    await expect(statText(admin, 'exam-upload-matched')).resolves.toBe(String(registered));
    await expect(statText(admin, 'exam-upload-unmatched')).resolves.toBe(String(unregistered));
    await expect(statText(admin, 'exam-upload-rejected')).resolves.toBe(String(DEFECTS));
    const exam = await apiGet<ExamView>(admin, `/api/exams/${examId}`);
    expect(exam).toMatchObject({ name: EXAM_NAME, status: 'analysed', matchedCount: registered, unmatchedCount: unregistered, rejectedCount: DEFECTS });

    // the rejected rows as .xlsx, with their row numbers and reasons
    const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByTestId('exam-upload-errors').click()]);
    const file = path.join(os.tmpdir(), `bangfu-e2e-exam-errors-${process.pid}.xlsx`);
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    fs.rmSync(file, { force: true });
    const ws = wb.worksheets[0]!;
    expect((ws.getRow(1).values as unknown[]).slice(1, 3).map(String)).toEqual(['行号', '错误原因']);
    expect(ws.actualRowCount - 1).toBe(DEFECTS);
  });

  it('shows the county overview: the cut score of 总分, the charts drawn, a row per school', async () => {
    await admin.getByTestId('exam-upload-view').click();
    await admin.waitForURL((u) => u.pathname === `/exams/${examId}`);
    await admin.getByTestId('exam-stat-cut').waitFor();
    const stats = await apiGet<{ subjects: SubjectStat[] }>(admin, `/api/exams/${examId}/analysis/subjects`);
    const total = stats.subjects.find((s) => s.isTotal)!;
    expect(total.subject).toBe('总分');
    const cutText = (await admin.getByTestId('exam-stat-cut').textContent())!.trim();
    expect(cutText).toBe(total.cut === 'absent' ? '缺考' : String(total.cut));
    await expect(admin.getByTestId('exam-stat-n').textContent()).resolves.toBe(String(total.n));
    // ECharts draws into canvases: the ratio-by-school bars and the distribution
    await admin.waitForFunction(() => document.querySelectorAll('[data-testid="exam-chart"] canvas').length >= 2, undefined, { timeout: 30_000 });
    const schools = await apiGet<{ items: UnitRow[] }>(admin, `/api/exams/${examId}/analysis/units?level=school&subject=${encodeURIComponent('总分')}`);
    expect(schools.items.length).toBeGreaterThan(1);
    await expect(admin.getByTestId('exam-school-row').count()).resolves.toBe(schools.items.length);
    await admin.getByTestId('exam-targets-summary').waitFor();
    // another subject: its own cut
    const chinese = stats.subjects.find((s) => s.subject === '语文')!;
    await admin.getByTestId('subject-tab-语文').click();
    await admin.waitForURL((u) => u.searchParams.get('subject') === '语文');
    await expect.poll(() => admin.getByTestId('exam-stat-cut').textContent(), { timeout: 15_000 }).toBe(chinese.cut === 'absent' ? '缺考' : String(chinese.cut));
    expect(await admin.getByText('页面出错了').count()).toBe(0);
  });

  describe('a class and its head teacher', () => {
    let head: DemoAccount;
    let headPage: Page;
    let classId = 0;
    let className = '';
    let schoolName = '';

    beforeAll(async () => {
      head = account(accounts, 'head_teacher');
      const ctx = await newContext(browser, server);
      headPage = await ctx.newPage();
      await loginThroughUi(headPage, head.username, head.password);
      const me = await apiGet<Me>(headPage, '/api/me');
      const teacher = await apiGet<TeacherDetail>(admin, `/api/teachers/${me.teacherId}`);
      classId = teacher.headOf[0]!.classId;
      className = teacher.headOf[0]!.className;
      schoolName = me.school!.name;
    });

    it('the admin opens the school, then the class, from the overview', async () => {
      await admin.goto(`/exams/${examId}`);
      await admin.getByTestId('exam-school-row-link').filter({ hasText: schoolName }).first().click();
      await admin.waitForURL((u) => u.pathname === `/exams/${examId}/schools/${head.schoolCode}`);
      await expect.poll(() => admin.getByTestId('exam-school-title').textContent(), { timeout: 15_000 }).toBe(schoolName);
      await admin.getByTestId('exam-trend').waitFor();
      const classLink = admin.getByTestId('exam-class-row-link').filter({ hasText: className }).first();
      await classLink.click();
      await admin.waitForURL((u) => u.pathname === `/exams/${examId}/classes/${classId}`);
      await expect.poll(() => admin.getByTestId('exam-class-title').textContent(), { timeout: 15_000 }).toBe(className);
      await admin.getByTestId('candidate-row').first().waitFor();
      // the bureau sees the list but does not decide
      await expect(admin.getByTestId('candidate-confirm').count()).resolves.toBe(0);
    });

    it('the head teacher confirms one candidate and removes another with a reason; the statuses survive a reload', async () => {
      // the way a head teacher gets there: the exam list, the exam, their class
      await headPage.goto('/exams');
      await headPage.getByTestId('exam-name').filter({ hasText: EXAM_NAME }).first().click();
      await headPage.getByTestId('exam-class-row-link').filter({ hasText: className }).first().click();
      await headPage.waitForURL((u) => u.pathname === `/exams/${examId}/classes/${classId}`);
      await headPage.getByTestId('candidate-row').first().waitFor();

      const list = await apiGet<Paged<Candidate>>(headPage, `/api/exams/${examId}/candidates?classId=${classId}&pageSize=200`);
      const open = list.items.filter((c) => c.status === 'proposed' && c.canDecide);
      expect(open.length, 'the head teacher\'s class has at least two candidates to decide').toBeGreaterThanOrEqual(2);
      const [toConfirm, toRemove] = [open[0]!, open[1]!];
      const REASON = '该生因病缺考两科，平时成绩中等，暂不列入';

      const rowOf = (name: string) => headPage.getByTestId('candidate-row').filter({ has: headPage.getByTestId('candidate-name').getByText(name, { exact: true }) });
      await rowOf(toConfirm.studentName).getByTestId('candidate-confirm').click();
      await expect.poll(() => rowOf(toConfirm.studentName).getByTestId('candidate-status').textContent(), { timeout: 15_000 }).toBe('已确认');

      await rowOf(toRemove.studentName).getByTestId('candidate-remove').click();
      // a reason is required
      await headPage.getByTestId('candidate-remove-submit').click();
      await headPage.getByText('请填写移除原因').first().waitFor();
      await headPage.getByTestId('candidate-remove-reason').fill(REASON);
      await headPage.getByTestId('candidate-remove-submit').click();
      await expect.poll(() => rowOf(toRemove.studentName).getByTestId('candidate-status').textContent(), { timeout: 15_000 }).toBe('已移除');

      await headPage.reload();
      await headPage.getByTestId('candidate-row').first().waitFor();
      await expect(rowOf(toConfirm.studentName).getByTestId('candidate-status').textContent()).resolves.toBe('已确认');
      await expect(rowOf(toRemove.studentName).getByTestId('candidate-status').textContent()).resolves.toBe('已移除');
      await expect(rowOf(toRemove.studentName).getByTestId('candidate-note').textContent()).resolves.toContain(REASON);
      // the filter shows them under their status
      await headPage.getByTestId('candidate-filter-removed').click();
      await expect(headPage.getByTestId('candidate-row').count()).resolves.toBe(1);

      // and the server agrees, for anyone who looks
      const after = await apiGet<Paged<Candidate>>(admin, `/api/exams/${examId}/candidates?classId=${classId}&pageSize=200`);
      const byId = new Map(after.items.map((c) => [c.studentId, c]));
      expect(byId.get(toConfirm.studentId)).toMatchObject({ status: 'confirmed' });
      expect(byId.get(toRemove.studentId)).toMatchObject({ status: 'removed', decisionNote: REASON });
      expect(byId.get(toRemove.studentId)!.decidedBy?.name).toBeTruthy();
    });

    it('undo returns a removed candidate to 待确认', async () => {
      await headPage.getByTestId('candidate-filter-removed').click();
      const name = (await headPage.getByTestId('candidate-row').first().getByTestId('candidate-name').textContent())!;
      await headPage.getByTestId('candidate-row').first().getByTestId('candidate-undo').click();
      // it leaves the 已移除 list …
      await expect.poll(() => headPage.getByTestId('candidate-row').count(), { timeout: 15_000 }).toBe(0);
      // … and is back among those to confirm
      await headPage.getByTestId('candidate-filter-proposed').click();
      await headPage.getByTestId('candidate-row').filter({ hasText: name }).first().waitFor();
      const list = await apiGet<Paged<Candidate>>(admin, `/api/exams/${examId}/candidates?classId=${classId}&pageSize=200`);
      expect(list.items.find((c) => c.studentName === name)?.status).toBe('proposed');
    });

    it('the head teacher is told the school page shows their own rows only, and another class of the exam is "not found", not an empty page', async () => {
      await headPage.goto(`/exams/${examId}/schools/${head.schoolCode}`);
      await headPage.getByTestId('exam-own-rows-only').waitFor();
      await admin.goto(`/exams/${examId}/schools/${head.schoolCode}`);
      await admin.getByTestId('exam-class-row-link').first().waitFor();
      await expect(admin.getByTestId('exam-own-rows-only').count()).resolves.toBe(0);
      // a class of another school (at their own school the head teacher may teach other classes too)
      const classes = await apiGet<{ items: { classId: number | null; schoolCode: string }[] }>(admin, `/api/exams/${examId}/analysis/units?level=class&subject=总分`);
      const other = classes.items.find((c) => c.classId != null && c.schoolCode !== head.schoolCode)?.classId;
      expect(other).toBeDefined();
      await headPage.goto(`/exams/${examId}/classes/${other}`);
      await headPage.getByText('这个班级没有本次考试的分析数据，或您无权查看。').waitFor();
      await expect(headPage.getByTestId('candidate-row').count()).resolves.toBe(0);
      await expect(headPage.getByTestId('exam-class-title').count()).resolves.toBe(0);
    });

    it('the sheet uploaded again keeps the first scores as a version: the overview lists both, a candidate\'s 历次成绩 shows each', async () => {
      await admin.goto(`/exams/${examId}`);
      await admin.getByTestId('exam-upload-again').click();
      await admin.getByTestId('exam-score-file').setInputFiles(sheetPath);
      await admin.getByTestId('exam-upload-result').waitFor({ timeout: 150_000 });
      await admin.goto(`/exams/${examId}`);
      await admin.getByTestId('exam-versions-open').click();
      await expect.poll(() => admin.getByTestId('exam-version-row').count(), { timeout: 15_000 }).toBe(2);
      await expect(admin.getByTestId('exam-version-row').first().textContent()).resolves.toContain('当前');
      await expect(admin.getByTestId('exam-version-row').nth(1).textContent()).resolves.toContain('第 1 版');

      await headPage.goto(`/exams/${examId}/classes/${classId}`);
      const first = headPage.getByTestId('candidate-row').first();
      const name = (await first.getByTestId('candidate-name').textContent())!;
      await first.getByTestId('candidate-history').click();
      await headPage.getByText(`${name} 在本考试各版本中的成绩`).waitFor();
      const versions = headPage.getByTestId('student-score-version');
      await expect.poll(() => versions.count(), { timeout: 15_000 }).toBe(2);
      // the same sheet twice: the same scores in both versions
      const scores = async (i: number) => ((await versions.nth(i).textContent()) ?? '').replace(/当前|第 1 版|\d{4}-\d\d-\d\d \d\d:\d\d|—/g, '');
      expect(await scores(0)).toMatch(/语文 (\d|缺考)/);
      expect(await scores(0)).toBe(await scores(1));
    });
  });

  it('on a 390×844 phone the overview draws its charts without horizontal overflow', async () => {
    const ctx = await newContext(browser, server, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const phone = await ctx.newPage();
    const a = account(accounts, 'bureau_admin');
    await loginThroughUi(phone, a.username, a.password);
    await phone.goto(`/exams/${examId}`);
    await phone.getByTestId('exam-stat-cut').waitFor();
    await phone.locator('[data-testid="exam-chart"] canvas').first().waitFor({ timeout: 30_000 });
    await phone.getByTestId('exam-school-row').first().waitFor();
    const size = await phone.evaluate(() => ({ viewport: window.innerWidth, doc: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
    expect(size.viewport).toBe(390);
    expect(size.doc).toBeLessThanOrEqual(size.viewport);
    expect(size.body).toBeLessThanOrEqual(size.viewport);
    const widest = await phone.getByTestId('exam-school-row').evaluateAll((els) => Math.max(...els.map((e) => e.getBoundingClientRect().right)));
    expect(widest).toBeLessThanOrEqual(390);
    await ctx.close();
  });

  it('a principal creates a 联考 for their school\'s pairing in the form; it is named by the pairing\'s schools', async () => {
    const principal = account(accounts, 'principal');
    const schools = (await apiGet<Paged<{ id: number; code: string; name: string }>>(admin, '/api/schools?pageSize=50')).items;
    const own = schools.find((x) => x.code === principal.schoolCode)!;
    const other = schools.find((x) => x.id !== own.id)!;
    const pairing = await apiSend<{ id: number }>(admin, 'POST', '/api/pairings', {
      programme: 'school_pairing', start: '2026-09-01', status: 'active',
      participants: [{ role: 'helper', kind: 'school', personId: other.id }, { role: 'helped', kind: 'school', personId: own.id }],
    });
    expect(pairing.status).toBe(200);

    const ctx = await newContext(browser, server);
    const page = await ctx.newPage();
    await loginThroughUi(page, principal.username, principal.password);
    await page.goto('/exams');
    await page.getByTestId('exam-create').click();
    await page.getByTestId('exam-create-name').fill('结对联考（端到端）');
    await page.getByTestId('exam-create-scope').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '结对联考' }).click();
    await page.getByTestId('exam-create-pairing').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: other.name }).first().click();
    const created = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/exams' && r.request().method() === 'POST');
    await page.getByTestId('exam-create-submit').click();
    const res = await created;
    expect(res.status()).toBe(200);
    const exam = (await res.json()) as ExamView & { scope: string; pairingId: number; pairingName: string };
    expect(exam).toMatchObject({ scope: 'pairing', pairingId: pairing.body.id, pairingName: `${other.name}、${own.name}` });
    // the other school's principal would see it; the exam list names the pairing's schools
    await page.goto('/exams');
    await page.getByTestId('exam-name').filter({ hasText: '结对联考（端到端）' }).first().waitFor();
    await expect(page.getByText(`结对联考：${other.name}、${own.name}`).first().isVisible()).resolves.toBe(true);
    await ctx.close();
  });
});
