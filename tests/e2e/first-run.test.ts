// (a) First run in a real browser: an empty installation opens the first-run page,
// creates the bureau and its administrator, logs in, and shows the dashboard.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, makeDataDir, newContext, startServer, type RunningServer } from './server.js';

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
});
