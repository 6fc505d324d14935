// The support screens (帮扶对象) end to end, on a demo county served for real and driven in
// headless Chromium:
//   the school's 教导处 puts a student of the demo subject teacher's school on the support list,
//   confirms the case and assigns the teacher (support API; the pairings API alone when the
//   support routes are not there); the teacher, on a 390×844 phone, sees the student in 我的帮扶
//   and records a talk in the form — the time from opening the form to the saved toast is
//   measured and must stay well under 30 s — and the record exists through the API; the form's
//   辅导 shows the programme's five dimensions as segmented controls; the case page shows the
//   record; 教导处 accepts one record and returns another with a comment in the monthly check
//   queue; the bureau's view draws its chart and a row per school.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROOT, PHONE, account, apiGet, apiSend, demoAccounts, todayChina, launchBrowser, loginThroughUi, makeDataDir, newContext, runCli, startServer, type DemoAccount, type RunningServer } from './server.js';

declare const document: { querySelectorAll(sel: string): { length: number }; documentElement: { scrollWidth: number } };
declare const window: { innerWidth: number };

interface Paged<T> { total: number; items: T[] }
interface Me { id: number; role: string; teacherId: number | null; school: { id: number; code: string; name: string } | null; csrfToken: string }
interface Student { id: number; name: string }
interface Activity { id: number; type: string; content: string | null; status: string; date: string; lastCheck: { verdict: string; comment: string | null } | null }

const TALK = '谈了期中考试后的打算，约定每天晚自习前复习数学错题。';

/** BANGFU_E2E_SHOTS=<folder>: full-page screenshots of each screen, to look at. */
async function shot(page: Page, name: string) {
  const dir = process.env.BANGFU_E2E_SHOTS;
  if (dir) await page.screenshot({ path: `${dir}/support-${name}.png`, fullPage: true });
}

describe('support screens in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let accounts: DemoAccount[];
  const contexts: BrowserContext[] = [];
  let office: Page;
  let teacher: Page;
  let teacherMe: Me;
  let student: Student;
  let pairingId = 0;
  let caseId: number | null = null;
  let talkId = 0;
  const dataDir = makeDataDir('support');

  async function pageFor(role: string, opts = {}): Promise<Page> {
    const ctx = await newContext(browser, server, opts);
    contexts.push(ctx);
    const page = await ctx.newPage();
    const a = account(accounts, role);
    await loginThroughUi(page, a.username, a.password);
    return page;
  }

  beforeAll(async () => {
    // a county without exams and without the demo's own support data: the test sets up its case itself
    // (--no-support only where this CLI knows the option)
    const cli = fs.readFileSync(path.join(ROOT, 'src/cli/main.ts'), 'utf8');
    await runCli(['demo', '--students', '1500', '--seed', '11', '--no-exams', ...(cli.includes("'--no-support'") ? ['--no-support'] : [])], dataDir);
    accounts = demoAccounts(dataDir);
    server = await startServer(dataDir);
    browser = await launchBrowser();
    teacher = await pageFor('teacher', PHONE);
    office = await pageFor('academic_office');
    teacherMe = await apiGet<Me>(teacher, '/api/me');
    expect(teacherMe.teacherId).toBeTruthy();
    const officeMe = await apiGet<Me>(office, '/api/me');
    expect(officeMe.school?.id).toBe(teacherMe.school?.id);

    // a student of the teacher's school, put on the list and assigned to the teacher by 教导处
    // (the demo may already hold cases: take a student who has none)
    const students = await apiGet<Paged<Student>>(office, `/api/students?schoolId=${teacherMe.school!.id}&pageSize=100`);
    const listed = await office.request.get(`/api/support/cases?schoolId=${teacherMe.school!.id}&pageSize=200`);
    const onList = new Set(listed.ok() ? ((await listed.json()) as Paged<{ studentId: number }>).items.map((c) => c.studentId) : []);
    student = students.items.find((x) => !onList.has(x.id))!;
    const created = await apiSend<{ id: number }>(office, 'POST', '/api/support/cases', { studentId: student.id, categories: ['learning', 'left_behind'], weakSubjects: ['数学'], note: '端到端测试' });
    if (created.status === 200) {
      caseId = created.body.id;
      const confirmed = await apiSend(office, 'POST', `/api/support/cases/${caseId}/transition`, { to: 'confirmed' });
      expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
      const accepted = await apiSend<{ pairings: { pairingId: number }[] }>(office, 'POST', '/api/support/assignments/accept', {
        start: todayChina(), items: [{ caseId, teacherId: teacherMe.teacherId }],
      });
      if (accepted.status === 200) pairingId = accepted.body.pairings[0]!.pairingId;
      else {
        // the teacher's caseload may already be full by the rules: the pairing directly, serving the case
        const p = await apiSend<{ id: number }>(office, 'POST', '/api/pairings', {
          programme: 'teacher_student', start: todayChina(), status: 'active', subjectRef: { kind: 'support_case', id: caseId },
          participants: [{ role: 'helper', kind: 'teacher', personId: teacherMe.teacherId }, { role: 'helped', kind: 'student', personId: student.id }],
        });
        expect(p.status, `${JSON.stringify(accepted.body)}\n${JSON.stringify(p.body)}`).toBe(200);
        pairingId = p.body.id;
      }
      // the assignment may start as proposed: make it active
      const p = await apiGet<{ status: string }>(office, `/api/pairings/${pairingId}`);
      if (p.status === 'proposed') expect((await apiSend(office, 'POST', `/api/pairings/${pairingId}/transition`, { to: 'active', date: todayChina() })).status).toBe(200);
    } else {
      // no support routes: the pairings API alone
      expect(created.status, JSON.stringify(created.body)).toBe(404);
      const p = await apiSend<{ id: number }>(office, 'POST', '/api/pairings', {
        programme: 'teacher_student', start: todayChina(), status: 'active',
        participants: [{ role: 'helper', kind: 'teacher', personId: teacherMe.teacherId }, { role: 'helped', kind: 'student', personId: student.id }],
      });
      expect(p.status, JSON.stringify(p.body)).toBe(200);
      pairingId = p.body.id;
    }
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a teacher on a 390×844 phone records a talk for a caseload student in well under 30 s', async () => {
    await teacher.goto('/support');
    const card = teacher.locator(`[data-testid="support-student"][data-pairing="${pairingId}"]`);
    await card.waitFor();
    await expect(card.textContent()).resolves.toContain(student.name);
    await card.getByTestId('support-student-standing').waitFor();
    await shot(teacher, 'caseload-phone');

    const started = Date.now();
    await card.getByTestId('support-record-open').click();
    await teacher.getByTestId('support-record-form').waitFor();
    // the student comes pre-selected, the date is today (China time)
    await expect(teacher.getByTestId('support-record-student').textContent()).resolves.toContain(student.name);
    await expect(teacher.locator('[data-testid="support-record-form"] .ant-picker input').first().inputValue()).resolves.toBe(todayChina());
    await teacher.getByTestId('support-type-talk').click();
    await teacher.getByTestId('support-field-topic').fill('期中考试后的打算');
    await teacher.getByTestId('support-record-content').fill(TALK);
    await teacher.getByTestId('support-record-submit').click();
    const toast = teacher.getByTestId('support-saved');
    await toast.waitFor();
    const ms = Date.now() - started;
    console.log(`support e2e: record form opened → saved toast in ${ms} ms`);
    expect(ms).toBeLessThan(15_000);
    talkId = Number(await toast.getAttribute('data-activity'));

    // back on the list; the record exists through the API
    await teacher.waitForURL((u) => u.pathname === '/support/mine');
    await card.waitFor();
    const records = await apiGet<Paged<Activity>>(teacher, `/api/activities?pairingId=${pairingId}`);
    const talk = records.items.find((r) => r.id === talkId);
    expect(talk).toMatchObject({ type: 'talk', content: TALK, status: 'submitted', date: todayChina() });
    // the phone page does not scroll sideways
    const overflow = await teacher.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
  });

  it('the form shows 辅导 with the programme\'s five dimensions as segmented controls', async () => {
    const programme = await apiGet<{ activityTypes: { key: string; fields: { key: string; type: string; options?: string[] }[] }[] }>(teacher, '/api/programmes/teacher_student');
    const tutoring = programme.activityTypes.find((a) => a.key === 'tutoring')!;
    const segmented = tutoring.fields.filter((f) => f.type === 'select' && (f.options?.length ?? 0) <= 5);
    expect(segmented.map((f) => f.key)).toEqual(['setting', 'place', 'area', 'aspect', 'focus']);
    await teacher.goto(`/support/record?pairing=${pairingId}`);
    await teacher.getByTestId('support-type-tutoring').click();
    for (const f of segmented) {
      const control = teacher.getByTestId(`support-field-${f.key}`);
      await expect(control.locator('.ant-segmented-item').count()).resolves.toBe(f.options!.length);
    }
    // a short tutoring record through the segmented controls
    await teacher.getByTestId('support-field-subject').fill('数学');
    await teacher.getByTestId('support-field-setting').getByText('课外').click();
    await teacher.getByTestId('support-field-area').getByText('学习').click();
    await shot(teacher, 'form-tutoring-phone');
    await teacher.getByTestId('support-record-content').fill('讲解一次函数错题三道。');
    await teacher.getByTestId('support-record-submit').click();
    await teacher.getByTestId('support-saved').first().waitFor();
    const records = await apiGet<Paged<Activity & { fields: Record<string, unknown> }>>(teacher, `/api/activities?pairingId=${pairingId}&type=tutoring`);
    expect(records.items[0]?.fields).toMatchObject({ subject: '数学', setting: '课外', area: '学习' });
  });

  it('the case page shows the student\'s categories, teacher and records', async () => {
    if (caseId === null) return;
    await teacher.goto(`/support/cases/${caseId}`);
    await expect(teacher.getByTestId('support-case-title').textContent()).resolves.toBe(student.name);
    await expect(teacher.getByTestId('support-case-teachers').textContent()).resolves.not.toBe('');
    await expect.poll(() => teacher.getByTestId('support-case-record').count()).toBeGreaterThanOrEqual(2);
    await shot(teacher, 'case-phone');
    expect(await teacher.getByText('页面出错了').count()).toBe(0);
  });

  it('教导处 accepts one record and returns another with a comment in the monthly check queue', async () => {
    if (caseId === null) return;
    await office.goto('/support');
    await office.waitForURL((u) => u.pathname === '/support/school');
    const row = office.locator(`[data-testid="support-check-teacher"][data-teacher="${teacherMe.teacherId}"]`);
    await row.waitFor();
    await row.getByTestId('support-check-open').click();
    const talk = row.locator(`[data-testid="support-check-record"][data-activity="${talkId}"]`);
    await shot(office, 'school-queue');
    await talk.getByTestId('support-check-accept').click();
    await office.getByTestId('support-check-done').first().waitFor();
    await expect.poll(async () => (await apiGet<Activity>(office, `/api/activities/${talkId}`)).status).toBe('accepted');

    const tutoring = (await apiGet<Paged<Activity>>(office, `/api/activities?pairingId=${pairingId}&type=tutoring`)).items[0]!;
    const other = row.locator(`[data-testid="support-check-record"][data-activity="${tutoring.id}"]`);
    await other.getByTestId('support-check-return').click();
    await office.getByTestId('support-check-comment').fill('请写明辅导的具体题目和学生掌握情况。');
    await office.getByTestId('support-check-return-ok').click();
    await expect.poll(async () => (await apiGet<Activity>(office, `/api/activities/${tutoring.id}`)).status).toBe('returned');
    const returned = await apiGet<Activity>(office, `/api/activities/${tutoring.id}`);
    expect(returned.lastCheck).toMatchObject({ verdict: 'returned', comment: '请写明辅导的具体题目和学生掌握情况。' });

    // the school's list names the student with the teacher and opens the case; on a phone nothing overflows sideways
    await office.getByTestId('support-school-cases').getByRole('link', { name: student.name }).waitFor();
    await office.setViewportSize({ width: 390, height: 844 });
    await office.reload();
    await office.getByTestId('support-check-queue').waitFor();
    await shot(office, 'school-phone');
    expect(await office.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
    await office.getByTestId('support-school-cases').getByRole('link', { name: student.name }).click();
    await office.waitForURL((u) => u.pathname === `/support/cases/${caseId}`);
    await office.getByTestId('support-case-title').waitFor();

    // 资助: 教导处 records the student's living subsidy on the case page (phone); the card shows ¥625.00 and the total
    await office.getByTestId('support-aid-add').click();
    await office.getByTestId('support-aid-item').click();
    await office.locator('.ant-select-item-option[title="义务教育家庭经济困难学生生活补助（非寄宿生）"]').click();
    await office.getByTestId('support-aid-amount-input').fill('625');
    await office.getByTestId('support-aid-ok').click();
    await expect.poll(() => office.getByTestId('support-aid-total').textContent()).toBe('¥625.00');
    await expect(office.getByTestId('support-aid-amount').first().textContent()).resolves.toBe('¥625.00');
    await shot(office, 'case-aid');
  });

  it('the bureau sees coverage and quota standing by school with a chart', async () => {
    if (caseId === null) return;
    const admin = await pageFor('bureau_admin');
    await admin.goto('/support');
    await admin.waitForURL((u) => u.pathname === '/support/bureau');
    await admin.waitForFunction(() => document.querySelectorAll('[data-testid="support-chart"] canvas').length >= 1, undefined, { timeout: 30_000 });
    await expect.poll(() => admin.locator('[data-testid="support-bureau-table"] tbody tr.ant-table-row').count()).toBeGreaterThanOrEqual(1);
    await expect(admin.getByTestId('support-bureau-total').textContent()).resolves.toMatch(/已确认帮扶对象 [1-9]\d* 人/);
    // 资助汇总: the living subsidy recorded on the case page, per school and item
    await expect.poll(() => admin.getByTestId('support-aid-summary-total').textContent()).toContain('¥625.00');
    await shot(admin, 'bureau');
  });
});
