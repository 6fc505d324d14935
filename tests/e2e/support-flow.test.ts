// Issue 4's flow end to end, through the screens only, on a demo county (with its analysed county
// exams, without the demo's own support data) served for real and driven in headless Chromium:
//   1. the head teacher, on a 390×844 phone, opens 班级帮扶: the class's 后20% candidates of the
//      latest exam are waiting; on the exam's class page they confirm one; back on 班级帮扶 the
//      confirmed candidate is listed "not yet a case" and 生成帮扶对象 makes the case (confirmed,
//      without a teacher), then fills in its cause analysis (分析量表) with the suggested strategies;
//   2. 教导处 opens 结对分配: the check names the case under 一个不漏; the suggestion has a row
//      for it, which 教导处 edits to the demo teacher and accepts — the case is active with that teacher;
//   3. that teacher, on a 390×844 phone, records a 谈心 in the record form;
//   4. 教导处 finds it in the monthly check queue and accepts it;
//   5. the teacher sees the feedback on the case page;
//   6. the bureau finds the case among the school's new cases of the year (新学年名单).
// Each step checks the server's state too; a later step starts only when the one before passed.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PHONE, account, apiGet, demoAccounts, launchBrowser, loginThroughUi, makeDataDir, newContext, runCli, startServer, todayChina, type DemoAccount, type RunningServer } from './server.js';

declare const document: { documentElement: { scrollWidth: number } };
declare const window: { innerWidth: number };

interface Paged<T> { total: number; items: T[] }
interface Me { id: number; role: string; teacherId: number | null; displayName: string; school: { id: number; name: string } | null }
interface Candidate { studentId: number; studentName: string; status: string; canDecide: boolean }
interface CaseView {
  id: number; studentId: number; studentName: string; status: string; categories: string[];
  teachers: { teacherId: number; name: string; pairingId: number }[];
  analysis?: { causes: { cause: string; note?: string }[]; strategies: { teaching: string[]; moral: string[] } } | null;
}
interface Activity { id: number; type: string; content: string | null; status: string; date: string; lastCheck: { verdict: string; comment: string | null; reviewerName: string } | null }

const TALK = '谈了期中考试的得失，约定每周二放学后一起订正数学错题。';

/** BANGFU_E2E_SHOTS=<folder>: full-page screenshots of each screen, to look at. */
async function shot(page: Page, name: string) {
  const dir = process.env.BANGFU_E2E_SHOTS;
  if (dir) await page.screenshot({ path: `${dir}/flow-${name}.png`, fullPage: true });
}

async function noSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
}

describe('support flow: exam candidate → case → teacher assigned → talk recorded → checked → feedback', () => {
  let server: RunningServer;
  let browser: Browser;
  let accounts: DemoAccount[];
  const contexts: BrowserContext[] = [];
  const dataDir = makeDataDir('support-flow');
  let head: Page;
  let office: Page;
  let teacher: Page;
  let teacherMe: Me;
  // what each step hands to the next
  let classId = 0;
  let student: Candidate | null = null;
  let caseId = 0;
  let pairingId = 0;
  let talkId = 0;
  let step = 0;

  async function pageFor(role: string, opts = {}): Promise<Page> {
    const a = account(accounts, role);
    const ctx = await newContext(browser, server, opts);
    contexts.push(ctx);
    const page = await ctx.newPage();
    await loginThroughUi(page, a.username, a.password);
    return page;
  }

  beforeAll(async () => {
    // the demo's analysed county exams give the candidate lists; no support data of the demo's own
    await runCli(['demo', '--students', '1500', '--seed', '7', '--no-support'], dataDir);
    accounts = demoAccounts(dataDir);
    server = await startServer(dataDir);
    browser = await launchBrowser();
    head = await pageFor('head_teacher', PHONE);
    office = await pageFor('academic_office');
    teacher = await pageFor('teacher', PHONE);
    teacherMe = await apiGet<Me>(teacher, '/api/me');
    const officeMe = await apiGet<Me>(office, '/api/me');
    const headMe = await apiGet<Me>(head, '/api/me');
    expect(teacherMe.teacherId).toBeTruthy();
    expect(officeMe.school?.id).toBe(teacherMe.school?.id);
    expect(headMe.school?.id).toBe(teacherMe.school?.id);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('1. the head teacher confirms an exam candidate and makes it a support case from 班级帮扶, then analyses its causes', async () => {
    // 我的帮扶 → 班级帮扶 → the one class they head
    await head.goto('/support');
    await head.getByTestId('support-link-class').click();
    await head.waitForURL((u) => /^\/support\/class\/\d+$/.test(u.pathname));
    classId = Number(new URL(head.url()).pathname.split('/').pop());
    await head.getByTestId('support-class-proposed').waitFor();
    await expect(head.getByTestId('support-class-case').count()).resolves.toBe(0);
    await shot(head, 'class-before');
    await noSidewaysScroll(head);

    // the exam's class page: confirm the first candidate
    await head.getByTestId('support-class-exam-link').click();
    await head.waitForURL((u) => /^\/exams\/[^/]+\/classes\/\d+$/.test(u.pathname));
    const examId = new URL(head.url()).pathname.split('/')[2]!;
    await head.getByTestId('candidate-row').first().waitFor();
    const list = await apiGet<Paged<Candidate>>(head, `/api/exams/${examId}/candidates?classId=${classId}&pageSize=200`);
    student = list.items.find((c) => c.status === 'proposed' && c.canDecide) ?? null;
    expect(student, 'a candidate for the head teacher to confirm').not.toBeNull();
    const row = head.getByTestId('candidate-row').filter({ has: head.getByTestId('candidate-name').getByText(student!.studentName, { exact: true }) });
    await row.getByTestId('candidate-confirm').click();
    await expect.poll(() => row.getByTestId('candidate-status').textContent(), { timeout: 15_000 }).toBe('已确认');

    // back on 班级帮扶: confirmed, not yet a case → 生成帮扶对象
    await head.goBack();
    await head.waitForURL((u) => u.pathname === `/support/class/${classId}`);
    await head.locator(`[data-testid="support-class-candidate"][data-student="${student!.studentId}"]`).waitFor();
    await head.getByTestId('support-class-make').click();
    await head.getByTestId('support-class-made').waitFor();
    const caseRow = head.locator(`[data-testid="support-class-case"][data-student="${student!.studentId}"]`);
    await caseRow.waitFor();
    await caseRow.getByTestId('support-class-case-noteacher').waitFor();
    // it left the candidates' "not yet a case" list
    await expect.poll(() => head.locator(`[data-testid="support-class-candidate"][data-student="${student!.studentId}"]`).count()).toBe(0);
    caseId = Number(await caseRow.getAttribute('data-case'));
    const made = await apiGet<CaseView>(head, `/api/support/cases/${caseId}`);
    expect(made).toMatchObject({ studentId: student!.studentId, status: 'confirmed', categories: ['learning'], teachers: [] });
    await shot(head, 'class-after');

    // the case page: 分析量表 with the strategies that follow the causes
    await caseRow.getByRole('link', { name: student!.studentName }).click();
    await head.waitForURL((u) => u.pathname === `/support/cases/${caseId}`);
    // the whole case page (its cards load on their own) fits the phone
    await head.getByTestId('support-case-title').waitFor();
    await head.waitForLoadState('networkidle');
    await noSidewaysScroll(head);
    await head.getByTestId('support-analysis-edit').click();
    await head.getByTestId('support-analysis-cause-intelligence').click();
    await head.getByTestId('support-analysis-note-intelligence').fill('基础薄弱，计算常出错');
    await head.getByTestId('support-analysis-cause-habits').click();
    // the suggestion for 智力 + 行为习惯 on both lines, as the API gives it
    const suggested = await apiGet<Record<'teaching' | 'moral', { text: string }[]>>(head, '/api/support/strategies?causes=intelligence,habits');
    expect(suggested.teaching.length).toBeGreaterThan(0);
    expect(suggested.moral.length).toBeGreaterThan(0);
    await expect.poll(() => head.getByTestId('support-analysis-line-teaching').getByTestId('support-analysis-strategy').count()).toBe(suggested.teaching.length);
    await expect.poll(() => head.getByTestId('support-analysis-line-moral').getByTestId('support-analysis-strategy').count()).toBe(suggested.moral.length);
    await expect(head.getByTestId('support-analysis-line-teaching').getByTestId('support-analysis-strategy').first().inputValue()).resolves.toBe(suggested.teaching[0]!.text);
    await shot(head, 'analysis-phone');
    await head.getByTestId('support-analysis-save').click();
    await expect.poll(() => head.getByTestId('support-case-cause').count()).toBe(2);
    const analysed = await apiGet<CaseView>(head, `/api/support/cases/${caseId}`);
    expect(analysed.analysis?.causes).toEqual([{ cause: 'intelligence', note: '基础薄弱，计算常出错' }, { cause: 'habits' }]);
    expect(analysed.analysis?.strategies).toEqual({ teaching: suggested.teaching.map((x) => x.text), moral: suggested.moral.map((x) => x.text) });
    step = 1;
  }, 240_000);

  it('2. 教导处 sees the case under 一个不漏 and accepts the suggestion, edited to the demo teacher', async () => {
    expect(step, 'step 1 passed').toBe(1);
    await office.goto('/support');
    await office.waitForURL((u) => u.pathname === '/support/school');
    await office.getByTestId('support-link-assignment').click();
    await office.waitForURL((u) => u.pathname === '/support/assignment');
    await office.locator(`[data-testid="support-violation"][data-rule="none_without_teacher"][data-case="${caseId}"]`).waitFor();

    const item = office.getByTestId('support-assign-item').filter({ has: office.locator(`[data-testid="support-assign-item-student"][data-case="${caseId}"]`) });
    await item.waitFor();
    // the person changes the teacher of the row to the demo teacher, then accepts
    await item.getByTestId('support-assign-item-teacher').locator('.ant-select').click();
    await office.keyboard.type(teacherMe.displayName);
    await office.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: teacherMe.displayName }).first().click();
    await expect.poll(() => item.getByTestId('support-assign-item-teacher').textContent()).toContain(teacherMe.displayName);
    await shot(office, 'assignment');
    await office.getByTestId('support-assign-accept').click();
    await office.getByTestId('support-assign-done').waitFor();

    const assigned = await apiGet<CaseView>(office, `/api/support/cases/${caseId}`);
    expect(assigned.status).toBe('active');
    expect(assigned.teachers.map((x) => x.teacherId)).toEqual([teacherMe.teacherId]);
    pairingId = assigned.teachers[0]!.pairingId;
    // the check no longer names the case
    await expect.poll(() => office.locator(`[data-testid="support-violation"][data-case="${caseId}"]`).count(), { timeout: 15_000 }).toBe(0);
    step = 2;
  }, 180_000);

  it('3. the teacher, on a 390×844 phone, records a 谈心 for the student', async () => {
    expect(step, 'step 2 passed').toBe(2);
    await teacher.goto('/support');
    const card = teacher.locator(`[data-testid="support-student"][data-pairing="${pairingId}"]`);
    await card.waitFor();
    await expect(card.textContent()).resolves.toContain(student!.studentName);
    await card.getByTestId('support-record-open').click();
    await teacher.getByTestId('support-record-form').waitFor();
    await expect(teacher.getByTestId('support-record-student').textContent()).resolves.toContain(student!.studentName);
    await teacher.getByTestId('support-type-talk').click();
    await teacher.getByTestId('support-field-topic').fill('期中考试的得失');
    await teacher.getByTestId('support-record-content').fill(TALK);
    await shot(teacher, 'record-phone');
    await teacher.getByTestId('support-record-submit').click();
    const toast = teacher.getByTestId('support-saved');
    await toast.waitFor();
    talkId = Number(await toast.getAttribute('data-activity'));
    await teacher.waitForURL((u) => u.pathname === '/support/mine');
    const talk = await apiGet<Activity>(teacher, `/api/activities/${talkId}`);
    expect(talk).toMatchObject({ type: 'talk', content: TALK, status: 'submitted', date: todayChina() });
    await noSidewaysScroll(teacher);
    step = 3;
  }, 120_000);

  it('4. 教导处 accepts the talk in the monthly check queue', async () => {
    expect(step, 'step 3 passed').toBe(3);
    await office.goto('/support/school');
    const row = office.locator(`[data-testid="support-check-teacher"][data-teacher="${teacherMe.teacherId}"]`);
    await row.waitFor();
    await row.getByTestId('support-check-open').click();
    const record = row.locator(`[data-testid="support-check-record"][data-activity="${talkId}"]`);
    await record.waitFor();
    await expect(record.textContent()).resolves.toContain(TALK);
    await record.getByTestId('support-check-accept').click();
    await office.getByTestId('support-check-done').first().waitFor();
    await expect.poll(async () => (await apiGet<Activity>(office, `/api/activities/${talkId}`)).status).toBe('accepted');
    step = 4;
  }, 120_000);

  it('5. the teacher sees the feedback on the case page', async () => {
    expect(step, 'step 4 passed').toBe(4);
    await teacher.goto('/support');
    const card = teacher.locator(`[data-testid="support-student"][data-pairing="${pairingId}"]`);
    await card.getByRole('link', { name: student!.studentName }).click();
    await teacher.waitForURL((u) => u.pathname === `/support/cases/${caseId}`);
    const check = teacher.getByTestId('support-case-record-check');
    await check.first().waitFor();
    await expect(check.first().getAttribute('data-verdict')).resolves.toBe('accepted');
    const reviewer = (await apiGet<Activity>(teacher, `/api/activities/${talkId}`)).lastCheck!.reviewerName;
    await expect(check.first().textContent()).resolves.toContain(`${reviewer}：已通过`);
    // the teacher reads the analysis too, and may not edit it
    await expect(teacher.getByTestId('support-case-cause').count()).resolves.toBe(2);
    await expect(teacher.getByTestId('support-analysis-edit').count()).resolves.toBe(0);
    await shot(teacher, 'case-feedback-phone');
    await noSidewaysScroll(teacher);
    step = 5;
  }, 120_000);

  it('6. the bureau sees the new case among the county\'s yearly changes', async () => {
    expect(step, 'step 5 passed').toBe(5);
    const admin = await pageFor('bureau_admin');
    await admin.goto('/support/bureau');
    await admin.getByTestId('support-link-refresh').click();
    await admin.waitForURL((u) => u.pathname === '/support/refresh');
    const school = (await apiGet<Me>(teacher, '/api/me')).school!;
    const row = admin.getByTestId('support-refresh-county').locator('tr', { hasText: school.name });
    await row.waitFor();
    await row.getByText(school.name).click();
    const stored = admin.getByTestId('support-refresh-stored');
    await stored.getByRole('link', { name: student!.studentName }).waitFor();
    await shot(admin, 'refresh-bureau');
  }, 120_000);
});
