// A demo county (`bangfu demo --students 3000 --seed 7`) served for real, driven in headless Chromium:
//   (b) the bureau admin imports a GBK CSV with defects and downloads the rejected rows
//   (c) a student is found by the initials of their name's pinyin
//   (d) a teacher cannot open a student of another school, even by URL
//   (e) a phone-sized screen shows the students list without horizontal overflow
//   (f) revealing a masked ID number asks for a reason and is logged with it
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { nameKeys } from '../../src/lib/name-search.js';
import { idCheckChar, makeIdNumber } from '../../src/shared/id-number.js';
import { GRADE_NAMES } from '../../src/shared/registry.js';
import {
  account,
  apiGet,
  demoAccounts,
  launchBrowser,
  loginThroughUi,
  makeDataDir,
  newContext,
  runCli,
  startServer,
  type DemoAccount,
  type RunningServer,
} from './server.js';

// page.evaluate callbacks run in the browser; this project compiles without the DOM library
declare const document: { querySelectorAll(sel: string): { length: number }; documentElement: { scrollWidth: number }; body: { scrollWidth: number } };
declare const window: { innerWidth: number };

interface SchoolItem { id: number; code: string; name: string; studentCount: number }
interface SchoolDetail extends SchoolItem { classes: { id: number; grade: number; classNo: number; name: string }[] }
interface StudentItem { id: number; name: string; schoolId: number; schoolCode: string; idNumberMasked: string | null }
interface Paged<T> { total: number; items: T[] }

const statValue = (page: Page, key: string) => page.getByTestId(`import-count-${key}`).locator('.ant-statistic-content-value').textContent();

describe('a demo county in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let accounts: DemoAccount[];
  let adminContext: BrowserContext;
  let admin: Page;
  const dataDir = makeDataDir('county');

  beforeAll(async () => {
    await runCli(['demo', '--students', '3000', '--seed', '7'], dataDir);
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
  });

  it('shows the overview with its charts drawn (the lazy chart bundle loads)', async () => {
    await admin.goto('/');
    await admin.getByTestId('stat-students').waitFor();
    // ECharts draws into a canvas; a chunk that fails to load shows the error page instead
    await admin.locator('canvas').first().waitFor({ timeout: 30_000 });
    expect(await admin.getByText('页面出错了').count()).toBe(0);
  });

  describe('(b) roster import of a GBK CSV with defects', () => {
    // 1-based row numbers of the file: 1 title, 2 header, data from 3
    const CONFLICT_FIRST_ROW = 3; // 欧阳明轩 …
    const SCIENTIFIC_ROW = 5;
    const CHECKSUM_ROW = 6;
    const CONFLICT_SECOND_ROW = 9; // … and 欧阳明宇 with the same ID number
    let school: SchoolDetail;
    /** the rows that must be imported */
    const good: { name: string; id: string }[] = [];
    const conflictId = { value: '' };

    function buildCsv(): Buffer {
      const klass = school.classes[0]!;
      const grade = GRADE_NAMES[klass.grade]!;
      const cls = `${klass.classNo}班`;
      const birthYear = 2026 - 6 - klass.grade;
      // a region far from the demo county's, so no ID collides with a demo student
      const id = (n: number, sex: '1' | '2') => makeIdNumber('652901', `${birthYear}-03-1${n}`, 900 + n * 2, sex);
      conflictId.value = id(1, '1');
      good.push({ name: '司马静怡', id: id(2, '2') }, { name: '慕容雪', id: id(3, '2') }, { name: '东方晓', id: id(4, '1') });
      const badFirst17 = id(5, '1').slice(0, 17);
      const badChecksum = badFirst17 + (idCheckChar(badFirst17) === '1' ? '2' : '1');
      const row = (no: number, name: string, sex: string, idNumber: string) => [String(no), school.code, school.name, name, sex, idNumber, grade, cls, '汉族', '家长', '13900000000'];
      const lines: string[][] = [
        [`${school.name}学生花名册（秋季学期）`],
        ['序号', '学校标识码', '学校名称', '姓名', '性别', '身份证号', '年级', '班级', '民族', '监护人', '联系电话'],
        row(1, '欧阳明轩', '男', conflictId.value), // row 3
        row(2, good[0]!.name, '女', good[0]!.id), // row 4
        row(3, '上官浩然', '男', '3.60102E+17'), // row 5: Excel turned the ID into a float
        row(4, '诸葛文博', '男', badChecksum), // row 6: wrong check character
        ['', '', '', '', '', '', '', '', '', '', ''], // row 7: blank, skipped
        row(5, good[1]!.name, '女', good[1]!.id), // row 8
        row(6, '欧阳明宇', '男', conflictId.value), // row 9: another name with row 3's ID number
        row(7, good[2]!.name, '男', good[2]!.id), // row 10
      ];
      const text = lines.map((l) => l.join(',')).join('\r\n') + '\r\n';
      return iconv.encode(text, 'gbk');
    }

    it('imports the good rows and reports the bad ones', async () => {
      const schools = await apiGet<Paged<SchoolItem>>(admin, '/api/schools?pageSize=50');
      const withClasses = schools.items.filter((s) => s.studentCount > 0);
      school = await apiGet<SchoolDetail>(admin, `/api/schools/${withClasses[0]!.id}`);
      expect(school.classes.length).toBeGreaterThan(0);
      const csv = buildCsv();
      expect(csv.includes(Buffer.from('司马静怡', 'utf8'))).toBe(false); // really GBK, not UTF-8
      expect(iconv.decode(csv, 'gbk')).toContain('司马静怡');

      await admin.goto('/imports');
      await admin.getByTestId('import-file').setInputFiles({ name: '花名册-GBK.csv', mimeType: 'text/csv', buffer: csv });
      await admin.getByTestId('import-result').waitFor({ timeout: 120_000 });
      await expect(statValue(admin, 'inserted')).resolves.toBe(String(good.length));
      await expect(statValue(admin, 'rejected')).resolves.toBe('4');
      await expect(statValue(admin, 'updated')).resolves.toBe('0');
    });

    it('stored the good rows with their Chinese names intact (decoded from GBK), and none of the bad ones', async () => {
      for (const g of good) {
        const found = await apiGet<Paged<StudentItem>>(admin, `/api/students?q=${encodeURIComponent(g.name)}&schoolId=${school.id}`);
        const mine = found.items.find((s) => s.name === g.name);
        expect(mine, g.name).toBeDefined();
        expect(mine!.idNumberMasked).toBe(g.id.slice(0, 6) + '********' + g.id.slice(-4));
      }
      for (const name of ['欧阳明轩', '欧阳明宇', '上官浩然', '诸葛文博']) {
        const none = await apiGet<Paged<StudentItem>>(admin, `/api/students?q=${encodeURIComponent(name)}`);
        expect(none.items.map((s) => s.name), name).not.toContain(name);
      }
    });

    it('downloads the rejected rows as xlsx with row numbers and reasons in Chinese', async () => {
      const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByTestId('import-errors-download').click()]);
      const file = path.join(os.tmpdir(), `bangfu-e2e-errors-${process.pid}.xlsx`);
      await download.saveAs(file);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(file);
      fs.rmSync(file, { force: true });
      const ws = wb.worksheets[0]!;
      const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
      expect(header.slice(0, 2)).toEqual(['行号', '错误原因']);
      expect(header).toContain('身份证号');
      const nameCol = header.indexOf('姓名') + 1;
      const rejected: { rowNo: number; reason: string; name: string }[] = [];
      ws.eachRow((r, i) => {
        if (i === 1) return;
        rejected.push({ rowNo: Number(r.getCell(1).value), reason: String(r.getCell(2).value), name: String(r.getCell(nameCol).value) });
      });
      expect(rejected.map((r) => r.rowNo)).toEqual([CONFLICT_FIRST_ROW, SCIENTIFIC_ROW, CHECKSUM_ROW, CONFLICT_SECOND_ROW]);
      const byRow = new Map(rejected.map((r) => [r.rowNo, r]));
      expect(byRow.get(SCIENTIFIC_ROW)).toMatchObject({ name: '上官浩然' });
      expect(byRow.get(SCIENTIFIC_ROW)!.reason).toContain('科学计数法');
      expect(byRow.get(CHECKSUM_ROW)).toMatchObject({ name: '诸葛文博' });
      expect(byRow.get(CHECKSUM_ROW)!.reason).toContain('校验位');
      // the two rows with one ID number point at each other
      expect(byRow.get(CONFLICT_FIRST_ROW)).toMatchObject({ name: '欧阳明轩' });
      expect(byRow.get(CONFLICT_FIRST_ROW)!.reason).toMatch(new RegExp(`第 ?${CONFLICT_SECOND_ROW} ?行.*身份证号`));
      expect(byRow.get(CONFLICT_SECOND_ROW)).toMatchObject({ name: '欧阳明宇' });
      expect(byRow.get(CONFLICT_SECOND_ROW)!.reason).toMatch(new RegExp(`第 ?${CONFLICT_FIRST_ROW} ?行.*身份证号`));
    });
  });

  describe('(c) search by pinyin initials', () => {
    it('finds a student by the initials of the name', async () => {
      // a student whose initials are rare enough to fit on one page
      const sample = await apiGet<Paged<StudentItem>>(admin, '/api/students?pageSize=200');
      let target: StudentItem | undefined;
      let initials = '';
      for (const s of sample.items.filter((x) => x.name.length >= 3)) {
        const k = nameKeys(s.name).initials;
        const hits = await apiGet<Paged<StudentItem>>(admin, `/api/students?q=${k}&pageSize=1`);
        if (hits.total >= 1 && hits.total <= 8) {
          target = s;
          initials = k;
          break;
        }
      }
      expect(target, 'a demo student with uncommon initials').toBeDefined();

      await admin.goto('/students');
      await admin.getByTestId('student-row').first().waitFor();
      await admin.getByTestId('student-search').fill(initials);
      await admin.waitForURL((u) => u.searchParams.get('q') === initials);
      const row = admin.getByTestId('student-row').filter({ hasText: target!.name });
      await row.first().waitFor();
      // every row shown matches the initials typed
      await admin.waitForFunction((n) => document.querySelectorAll('[data-testid="student-row"]').length <= n, 8);
      const names = await admin.getByTestId('student-name').allTextContents();
      expect(names).toContain(target!.name);
      for (const n of names) expect(nameKeys(n).initials.startsWith(initials) || nameKeys(n).pinyin.startsWith(initials), n).toBe(true);
    });
  });

  describe('(d) a teacher and another school\'s student', () => {
    let teacherPage: Page;
    let teacher: DemoAccount;

    beforeAll(async () => {
      teacher = account(accounts, 'teacher');
      const ctx = await newContext(browser, server);
      teacherPage = await ctx.newPage();
      await loginThroughUi(teacherPage, teacher.username, teacher.password);
    });

    it('opens one of their own students (the page works)', async () => {
      const mine = await apiGet<Paged<StudentItem>>(teacherPage, '/api/students?pageSize=5');
      expect(mine.total).toBeGreaterThan(0);
      const own = mine.items[0]!;
      await teacherPage.goto(`/students/${own.id}`);
      await teacherPage.getByTestId('student-id-number').waitFor();
      await expect(teacherPage.locator('body').textContent()).resolves.toContain(own.name);
    });

    it('gets 无权/不存在 for a student of another school, and the API never sends the record', async () => {
      const schools = await apiGet<Paged<SchoolItem>>(admin, '/api/schools?pageSize=50');
      const other = schools.items.find((s) => s.code !== teacher.schoolCode && s.studentCount > 0)!;
      expect(other).toBeDefined();
      const theirs = await apiGet<Paged<StudentItem>>(admin, `/api/students?schoolId=${other.id}&pageSize=1`);
      const victim = theirs.items[0]!;

      const apiReply = teacherPage.waitForResponse((r) => new URL(r.url()).pathname === `/api/students/${victim.id}`);
      await teacherPage.goto(`/students/${victim.id}`);
      const res = await apiReply;
      expect([403, 404]).toContain(res.status());
      const body = await res.text();
      expect(body).not.toContain(victim.name);
      if (victim.idNumberMasked) expect(body).not.toContain(victim.idNumberMasked);

      await teacherPage.getByText(/无权|不存在|没有权限|没有找到/).first().waitFor();
      const text = (await teacherPage.locator('body').textContent()) ?? '';
      expect(text).not.toContain(victim.name);
      expect(teacherPage.url()).toContain(`/students/${victim.id}`);

      // nor through the list
      const list = await teacherPage.request.get(`/api/students?schoolId=${other.id}`);
      const listed = (await list.json()) as Paged<StudentItem>;
      expect(listed.items.map((s) => s.id)).not.toContain(victim.id);
    });
  });

  describe('(f) revealing a masked ID number', () => {
    it('asks for a reason (an empty one is refused beside the field, without a page error), then shows the whole number and logs the view with the reason', async () => {
      const pageErrors: string[] = [];
      admin.on('pageerror', (e) => pageErrors.push(String(e)));
      const list = await apiGet<Paged<StudentItem>>(admin, '/api/students?pageSize=1');
      const student = list.items[0]!;
      expect(student.idNumberMasked).toMatch(/\*/);
      await admin.goto(`/students/${student.id}`);
      await expect(admin.getByTestId('student-id-number').textContent()).resolves.toBe(student.idNumberMasked);

      await admin.getByTestId('reveal-idNumber').click();
      await admin.getByTestId('reveal-confirm').click();
      await admin.getByText('请填写查看原因').first().waitFor();
      const reason = '核对资助申请材料（端到端）';
      await admin.getByTestId('reveal-reason').fill(reason);
      await admin.getByTestId('reveal-confirm').click();
      await admin.getByTestId('student-id-number').filter({ hasNotText: '*' }).waitFor();
      const shown = (await admin.getByTestId('student-id-number').textContent())!;
      expect(shown).toMatch(/^\d{17}[\dX]$/);
      expect(shown.slice(0, 6)).toBe(student.idNumberMasked!.slice(0, 6));
      expect(pageErrors).toEqual([]);

      const audit = await apiGet<Paged<{ action: string; entityId: string; reason: string | null }>>(admin, `/api/audit?action=student.revealed&entityId=${student.id}`);
      expect(audit.items.map((a) => a.reason)).toContain(reason);
    });
  });

  describe('(e) on a phone', () => {
    it('shows the students list on a 390×844 screen without horizontal overflow', async () => {
      const ctx = await newContext(browser, server, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
      const phone = await ctx.newPage();
      const t = account(accounts, 'head_teacher');
      await loginThroughUi(phone, t.username, t.password);
      await phone.getByTestId('menu-toggle').waitFor();
      await phone.goto('/students');
      await phone.getByTestId('student-row').first().waitFor();
      const size = await phone.evaluate(() => ({
        viewport: window.innerWidth,
        doc: document.documentElement.scrollWidth,
        body: document.body.scrollWidth,
      }));
      expect(size.viewport).toBe(390);
      expect(size.doc).toBeLessThanOrEqual(size.viewport);
      expect(size.body).toBeLessThanOrEqual(size.viewport);
      // every card fits the screen
      const widest = await phone.getByTestId('student-row').evaluateAll((els) => Math.max(...els.map((e) => e.getBoundingClientRect().right)));
      expect(widest).toBeLessThanOrEqual(390);
      await ctx.close();
    });
  });
});
