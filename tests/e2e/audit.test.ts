// The audit log page (审计日志) on a demo county served for real, in headless Chromium: rows newest
// first, every action offered by the filter with its Chinese name (an inspector finds who viewed
// psychological notes), money in the details in yuan, and the English UI names actions and the
// user's role in English.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { account, apiGet, demoAccounts, launchBrowser, loginThroughUi, makeDataDir, newContext, runCli, startServer, type DemoAccount, type RunningServer } from './server.js';

interface Paged<T> { total: number; items: T[] }

describe('the audit log page', () => {
  let server: RunningServer;
  let browser: Browser;
  let accounts: DemoAccount[];
  let admin: Page;
  const dataDir = makeDataDir('audit');

  async function pageFor(role: string): Promise<Page> {
    const ctx = await newContext(browser, server);
    const page = await ctx.newPage();
    const a = account(accounts, role);
    await loginThroughUi(page, a.username, a.password);
    return page;
  }

  const rows = (page: Page) => page.getByTestId('audit-row');
  const tags = async (page: Page) => (await rows(page).locator('.ant-tag').allTextContents()).map((s) => s.trim());

  beforeAll(async () => {
    // the support data brings aid grants (资助, audited as support.aid_granted with amountFen)
    await runCli(['demo', '--students', '1500', '--seed', '11', '--no-exams'], dataDir);
    accounts = demoAccounts(dataDir);
    server = await startServer(dataDir);
    browser = await launchBrowser();
    admin = await pageFor('bureau_admin');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists the newest rows first, every action with a Chinese name', async () => {
    await admin.goto('/audit');
    await rows(admin).first().waitFor();
    const times = (await rows(admin).locator('td:nth-child(2)').allTextContents()).map((s) => s.trim());
    expect(times.length).toBeGreaterThan(5);
    expect(times.every((s) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(s)), times.join(' | ')).toBe(true);
    expect(times).toEqual([...times].sort().reverse());
    // no raw code (support.aid_granted …) among the tags
    for (const tag of await tags(admin)) expect(tag).not.toMatch(/^[a-z_]+\.[a-z_.]+$/);
  });

  it('shows an aid grant with its amount in yuan', async () => {
    await admin.goto('/audit?action=support.aid_granted');
    await expect.poll(async () => [...new Set(await tags(admin))], { timeout: 15_000 }).toEqual(['发放资助']);
    await rows(admin).first().locator('.ant-table-row-expand-icon').click();
    const details = admin.locator('.ant-table-expanded-row').first();
    await details.getByText('金额').waitFor();
    expect(await details.textContent()).toMatch(/\d\.\d\d 元/);
    expect(await details.textContent()).not.toContain('amountFen');
  });

  it('lets an inspector find who viewed psychological notes, through the grouped action filter', async () => {
    // a counsellor opens a case's psychological notes (logged as support.psych_view)
    const counsellor = await pageFor('counsellor');
    const me = await apiGet<{ displayName: string; school: { id: number } | null }>(counsellor, '/api/me');
    const cases = await apiGet<Paged<{ id: number }>>(counsellor, `/api/support/cases?schoolId=${me.school!.id}&pageSize=5`);
    expect(cases.items.length).toBeGreaterThan(0);
    await apiGet(counsellor, `/api/support/cases/${cases.items[0]!.id}/psych`);

    const inspector = await pageFor('inspector');
    await inspector.goto('/audit');
    await rows(inspector).first().waitFor();
    await inspector.getByTestId('audit-action').click();
    await inspector.keyboard.type('心理辅导');
    await inspector.locator('.ant-select-item-option[title="查看心理辅导记录"]').click();
    await inspector.waitForURL(/action=support\.psych_view/);
    // the previous page stays until the filtered one arrives
    await expect.poll(async () => [...new Set(await tags(inspector))], { timeout: 15_000 }).toEqual(['查看心理辅导记录']);
    expect(await rows(inspector).first().textContent()).toContain(me.displayName);
    // the object types are all offered too
    await inspector.getByTestId('audit-entity-type').click();
    await inspector.locator('.ant-select-item-option[title="帮扶对象"]').waitFor();
  });

  it('names actions and the user\'s role in English, and uses 對象 in Traditional Chinese', async () => {
    await admin.goto('/audit?action=support.aid_granted');
    await rows(admin).first().waitFor();
    await admin.getByTestId('lang-switcher').click();
    await admin.getByTestId('lang-option-en').click();
    await admin.getByText('Bureau administrator').first().waitFor();
    await rows(admin).first().getByText('Aid granted').waitFor();
    expect(await admin.getByText('教育局管理员').count()).toBe(0);
    await admin.getByTestId('lang-switcher').click();
    await admin.getByTestId('lang-option-zh-TW').click();
    await admin.getByText('教育局管理員').first().waitFor();
    await admin.getByText('對象類型').first().waitFor();
    await admin.getByTestId('lang-switcher').click();
    await admin.getByTestId('lang-option-zh-CN').click();
    await admin.getByText('教育局管理员').first().waitFor();
  });
});
