// (a) First run in a real browser: an empty installation opens the first-run page,
// creates the bureau and its administrator, logs in, and shows the dashboard; or loads the
// full demo county (a small one: BANGFU_DEMO_STUDENTS) with its progress, then logs in.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { account, apiGet, demoAccounts, launchBrowser, makeDataDir, newContext, startServer, type RunningServer } from './server.js';

describe('first run', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const dataDir = makeDataDir('first-run');

  beforeAll(async () => {
    server = await startServer(dataDir);
    browser = await launchBrowser();
    page = await (await newContext(browser, server)).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends an empty installation to the first-run page', async () => {
    await page.goto('/');
    await page.waitForURL('**/setup');
    await page.getByTestId('setup-form').waitFor();
  });

  it('checks the form before sending it', async () => {
    await page.getByTestId('setup-region-code').fill('36');
    await page.getByTestId('setup-submit').click();
    await page.getByText('行政区划代码应为 6 位数字').first().waitFor();
    expect(page.url()).toMatch(/\/setup$/);
  });

  it('creates the bureau and administrator, then logs in to the dashboard', async () => {
    await page.getByTestId('setup-bureau-name').fill('测试县教育体育局');
    await page.getByTestId('setup-region-code').fill('360428');
    await page.getByTestId('setup-admin-username').fill('admin');
    await page.getByTestId('setup-admin-display-name').fill('系统管理员');
    await page.getByTestId('setup-admin-password').fill('Bureau-2026-ok');
    await page.getByTestId('setup-admin-password-confirm').fill('Bureau-2026-ok');
    await page.getByTestId('setup-submit').click();

    await page.waitForURL(/\/login/);
    // the new administrator's username is carried over to the login form
    await expect.poll(() => page.getByTestId('login-username').inputValue()).toBe('admin');

    await page.getByTestId('login-password').fill('wrong-Password-1');
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('login-error').textContent()).resolves.toContain('用户名或密码错误');

    await page.getByTestId('login-password').fill('Bureau-2026-ok');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('stat-students').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    // a brand-new county: nothing imported yet
    await expect(page.getByTestId('stat-schools').locator('.ant-statistic-content-value').textContent()).resolves.toBe('0');
    await expect(page.getByTestId('user-menu').textContent()).resolves.toContain('系统管理员');
  });

  it('never shows the first-run page again', async () => {
    await page.goto('/setup');
    await page.waitForURL((u) => !u.pathname.startsWith('/setup'));
    const status = await page.request.get('/api/setup/status');
    expect(await status.json()).toMatchObject({ initialized: true, bureau: { name: '测试县教育体育局', regionCode: '360428' } });
    const again = await page.request.post('/api/setup', {
      data: { bureauName: '另一个局', regionCode: '360102', adminUsername: 'intruder', adminDisplayName: 'x', adminPassword: 'Other-pass-2026' },
    });
    expect(again.status()).toBe(409);
  });

  it('switches the language to English and 繁體中文 and back; the choice survives a reload', async () => {
    await page.goto('/');
    const nav = (label: string) => page.locator('.ant-layout-sider .ant-menu').getByText(label, { exact: true });
    await nav('学生').waitFor();
    const choose = async (locale: string) => {
      await page.getByTestId('lang-switcher').click();
      await page.getByTestId(`lang-option-${locale}`).click();
    };
    await choose('en');
    await nav('Students').waitFor();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await page.reload();
    await nav('Students').waitFor();
    await choose('zh-TW');
    await nav('學生').waitFor();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('zh-TW');
    await choose('zh-CN');
    await nav('学生').waitFor();
    await page.reload();
    await nav('学生').waitFor();
  });
});

describe('first run with the demo county', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const dataDir = makeDataDir('first-run-demo');
  const STUDENTS = 1500;

  beforeAll(async () => {
    server = await startServer(dataDir, undefined, { BANGFU_DEMO_STUDENTS: String(STUDENTS) });
    browser = await launchBrowser();
    page = await (await newContext(browser, server)).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('loads the full demo with its steps, shows the logins, and one of them signs in to the county', { timeout: 360_000 }, async () => {
    await page.goto('/setup');
    await page.getByTestId('setup-demo').click();
    const progress = page.getByTestId('demo-progress');
    await progress.waitFor();
    // the steps, named in Chinese
    for (const name of ['县域数据', '全县统考', '帮扶数据', '完成']) await progress.getByText(name, { exact: true }).waitFor();

    // follow the progress until the logins show: the steps go forward, the percentage too
    const seen: { step: string; percent: number }[] = [];
    const done = page.getByTestId('demo-accounts');
    const deadline = Date.now() + 300_000;
    while (!(await done.isVisible())) {
      if (Date.now() > deadline) throw new Error(`the demo load did not finish: ${JSON.stringify(seen.slice(-3))}\n${server.output().slice(-2000)}`);
      const [step, percent] = await Promise.all([progress.getAttribute('data-step').catch(() => null), progress.getAttribute('data-percent').catch(() => null)]);
      if (step && percent != null) seen.push({ step, percent: Number(percent) });
      expect(await page.getByTestId('demo-error').count()).toBe(0);
      await page.waitForTimeout(200);
    }
    const steps = ['county', 'exams', 'support', 'finish'];
    const order = seen.map((x) => steps.indexOf(x.step));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(seen.map((x) => x.percent)).toEqual(seen.map((x) => x.percent).sort((a, b) => a - b));
    expect(new Set(seen.map((x) => x.step)).size, JSON.stringify(seen)).toBeGreaterThanOrEqual(2);

    // the logins on the page are those of demo-accounts.json
    const accounts = demoAccounts(dataDir);
    const admin = account(accounts, 'bureau_admin');
    for (const a of accounts) {
      await done.getByText(a.username, { exact: true }).waitFor();
      await done.getByText(a.password, { exact: true }).waitFor();
    }

    await page.getByTestId('demo-go-login').click();
    await page.waitForURL(/\/login/);
    await expect.poll(() => page.getByTestId('login-username').inputValue()).toBe(admin.username);
    await page.getByTestId('login-password').fill(admin.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('stat-students').waitFor();
    await expect(page.getByTestId('stat-students').locator('.ant-statistic-content-value').textContent()).resolves.toBe(STUDENTS.toLocaleString('en-US'));

    // the full demo: the exams and the support data came too
    const exams = await apiGet<{ total: number }>(page, '/api/exams');
    expect(exams.total).toBe(7);
    await page.goto('/exams');
    await page.getByText(/九年级期中全县统考/).first().waitFor();
    const status = await apiGet<{ initialized: boolean; demoLoading: boolean }>(page, '/api/setup/status');
    expect(status).toMatchObject({ initialized: true, demoLoading: false });
  });
});
