// The real thing for browser tests: `bangfu serve` as a child process on a free port,
// over its own PGlite data folder, and a headless Chromium (playwright-core, never a
// downloaded browser: /usr/bin/chromium or BANGFU_CHROMIUM).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/bangfu.mjs');
export const CHROMIUM = process.env.BANGFU_CHROMIUM || '/usr/bin/chromium';

/** Environment of every child: its own data folder, embedded database, quiet logs. */
function childEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, BANGFU_DATA_DIR: dataDir, BANGFU_LOG: '0', ...extra };
  // the browser tests always use the embedded PGlite of their temp folder
  delete env.DATABASE_URL;
  delete env.BANGFU_SECRET;
  return env;
}

export function makeDataDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `bangfu-e2e-${label}-`));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Runs a `bangfu` CLI command against `dataDir` to completion; throws with its output on failure. */
export async function runCli(args: string[], dataDir: string, timeoutMs = 240_000): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: childEnv(dataDir), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bangfu ${args.join(' ')} took longer than ${timeoutMs / 1000}s\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`bangfu ${args.join(' ')} exited ${code}\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`));
    });
  });
}

export interface RunningServer {
  url: string;
  dataDir: string;
  /** what the server printed so far (for failure messages) */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `bangfu serve` on a free port and waits until it answers. */
export async function startServer(dataDir: string, timeoutMs = 90_000, env: Record<string, string> = {}): Promise<RunningServer> {
  if (!fs.existsSync(path.join(ROOT, 'web/dist/index.html'))) {
    throw new Error('web/dist is missing: run `node scripts/ensure-web-build.mjs` (npm test does) before the browser tests');
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve'], {
    cwd: ROOT,
    env: childEnv(dataDir, { PORT: String(port), HOST: '127.0.0.1', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  let exited = false;
  child.on('exit', () => (exited = true));

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`bangfu serve exited before answering:\n${out.slice(-4000)}`);
    try {
      const res = await fetch(`${url}/api/setup/status`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`bangfu serve did not answer within ${timeoutMs / 1000}s:\n${out.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    url,
    dataDir,
    output: () => out,
    async stop() {
      if (exited) return;
      const done = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(timer);
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install it (apt-get install -y chromium fonts-noto-cjk) or set BANGFU_CHROMIUM`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

export async function newContext(browser: Browser, server: RunningServer, opts: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: server.url, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true, ...opts });
  context.setDefaultTimeout(20_000);
  return context;
}

/** Logs in through the login page and waits for the app shell. */
export async function loginThroughUi(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
}

export interface DemoAccount { role: string; username: string; password: string; schoolCode?: string }

/** The accounts `bangfu demo` wrote to <dataDir>/demo-accounts.json. */
export function demoAccounts(dataDir: string): DemoAccount[] {
  return JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-accounts.json'), 'utf8')) as DemoAccount[];
}

/** The demo account of a role (the first, when the demo wrote several). */
export function account(accounts: DemoAccount[], role: string): DemoAccount {
  const a = accounts.find((x) => x.role === role);
  if (!a) throw new Error(`the demo wrote no ${role} account: ${JSON.stringify(accounts.map((x) => x.role))}`);
  return a;
}

/** GET through the page's own session (cookies of its browser context). */
export async function apiGet<T>(page: Page, url: string): Promise<T> {
  const res = await page.request.get(url);
  if (!res.ok()) throw new Error(`GET ${url} → ${res.status()} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A write as the page's user: the session cookie plus the CSRF token /api/me hands out. */
export async function apiSend<T>(page: Page, method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<{ status: number; body: T }> {
  const me = await apiGet<{ csrfToken: string }>(page, '/api/me');
  const res = await page.request.fetch(url, {
    method,
    ...(body === undefined ? {} : { data: body as object }),
    headers: { 'x-csrf-token': me.csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
  });
  const text = await res.text();
  return { status: res.status(), body: (text ? JSON.parse(text) : undefined) as T };
}

/** A phone: the 390×844 viewport. */
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } as const;

/** Today's date in China (YYYY-MM-DD), as the app dates records. */
export function todayChina(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}
