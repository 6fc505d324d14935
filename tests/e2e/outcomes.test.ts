// 帮扶成效 (/support/outcomes) in the browser, as a bureau user on a demo county with exams and
// support data: the comparison is labelled an estimate (估计值) and shows the API's numbers.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ComparisonView } from '../../src/modules/support/outcomes/outcomes.schemas.js';
import { account, apiGet, demoAccounts, launchBrowser, loginThroughUi, makeDataDir, newContext, runCli, startServer, type RunningServer } from './server.js';

/** As the page prints an estimate: two decimals, '—' for none. */
const fmt = (v: number | null | undefined) => (v == null ? '—' : v.toFixed(2));

describe('support outcomes in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const dataDir = makeDataDir('outcomes');

  beforeAll(async () => {
    await runCli(['demo', '--students', '1500', '--seed', '7'], dataDir, 300_000);
    server = await startServer(dataDir);
    browser = await launchBrowser();
    page = await (await newContext(browser, server)).newPage();
    const staff = account(demoAccounts(dataDir), 'bureau_staff');
    await loginThroughUi(page, staff.username, staff.password);
  }, 360_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('labels the comparison an estimate and shows the numbers the API gives', { timeout: 120_000 }, async () => {
    const asked = page.waitForResponse((r) => r.url().includes('/api/support/outcomes/comparison'));
    await page.goto('/support/outcomes');
    // the page's own request, asked again independently
    const url = new URL((await asked).url());
    const c = await apiGet<ComparisonView>(page, url.pathname + url.search);
    expect(c.estimate).toBe(true);
    expect(c.label).toContain('估计值');

    const card = page.getByTestId('support-outcomes-comparison');
    await expect(card.getByTestId('support-outcomes-estimate').textContent()).resolves.toContain(c.label);
    await card.getByText('不能说明帮扶的因果效果').waitFor();

    // the demo has supported students with a baseline and a latest exam: the county has an estimate
    expect(c.county.supportedN).toBeGreaterThan(0);
    expect(c.county.difference).not.toBeNull();
    const rows = [{ name: '全县', e: c.county }, ...c.schools.slice(0, 3).map((s) => ({ name: s.schoolName, e: s }))];
    for (const { name, e } of rows) {
      const row = card.locator('.ant-table-tbody tr').filter({ has: page.getByRole('cell', { name, exact: true }) });
      const cells = (await row.first().locator('td').allTextContents()).map((x) => x.trim());
      expect(cells, name).toEqual([
        name,
        `${fmt(e.supportedMean)}（n=${e.supportedN}）`,
        `${fmt(e.comparisonMean)}（n=${e.comparisonN}）`,
        fmt(e.difference),
        e.ci95 ? `${fmt(e.ci95[0])} ~ ${fmt(e.ci95[1])}` : '—',
        String(e.unmatchedSupported),
      ]);
    }
  });
});
