// What the import benchmarks share (bench/roster-import.bench.ts, bench/exams.bench.ts): the
// machine's description, PostgreSQL scratch databases, a child process timed under
// /usr/bin/time -v (peak RSS), medians and number formats, and merging a generated section
// into docs/benchmarks.md between its marks.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The ID sealer's secret of every benchmark database (the bench reads them back with it). */
export const SECRET_ENV = { BANGFU_SECRET: 'bangfu-bench-secret' };
export const TIME_BIN = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

export const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);
export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
export const mb = (bytes: number) => bytes / 1024 / 1024;
export const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
export const s1 = (x: number) => x.toFixed(1);
export const s2 = (x: number) => x.toFixed(2);
export const loadavg = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

/** A command's stdout ('' if it cannot run). */
export function sh(cmd: string, argv: string[]): Promise<string> {
  return new Promise((resolve) => {
    const c = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.on('error', () => resolve(''));
    c.on('close', () => resolve(out));
  });
}

/** The version of an installed package. */
export const pkgVersion = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version as string;

/** The machine, as every report's "Machine" table shows it. */
export async function machine(pgAdminUrl: string | null) {
  const lscpu = await sh('lscpu', []);
  const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'm').exec(lscpu)?.[1]?.trim();
  let pgVersion = 'not measured';
  if (pgAdminUrl) {
    const c = new pg.Client({ connectionString: pgAdminUrl });
    await c.connect();
    pgVersion = (await c.query('SHOW server_version')).rows[0].server_version;
    await c.end();
  }
  return {
    cpu: field('Model name') ?? os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    threadsPerCore: field('Thread\\(s\\) per core') ?? '?',
    mhz: field('CPU MHz') ?? field('CPU max MHz') ?? '?',
    ramGb: (os.totalmem() / 1024 ** 3).toFixed(1),
    node: process.version,
    pg: pgVersion,
    pglite: pkgVersion('@electric-sql/pglite'),
    exceljs: pkgVersion('exceljs'),
    os: `${os.type()} ${os.release()}`,
  };
}

// ---------------------------------------------------------------- PostgreSQL scratch databases

export async function adminQuery(pgAdminUrl: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: pgAdminUrl });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

/** Drops a database, waiting for closed pools still saying goodbye rather than cutting them off (forced after ~5 s). */
export async function dropPg(pgAdminUrl: string, dbName: string): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await adminQuery(pgAdminUrl, `DROP DATABASE IF EXISTS "${dbName}"${i >= 50 ? ' WITH (FORCE)' : ''}`);
      return;
    } catch (err) {
      if (i >= 50) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The admin URL pointed at another database of the same server. */
export function pgUrl(pgAdminUrl: string, dbName: string): string {
  const u = new URL(pgAdminUrl);
  u.pathname = '/' + dbName;
  return u.toString();
}

// ---------------------------------------------------------------- timed children

export interface ChildResult {
  code: number;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  wallSeconds: number;
  /** the child's maximum resident set (/usr/bin/time -v, else sampled in-process by bench/rss-probe.mjs) */
  peakRssBytes: number;
}

/**
 * Runs a command under /usr/bin/time -v (a Node child without it: with bench/rss-probe.mjs),
 * in its own process group, so a run that overstays `timeoutS` (0 = never) is stopped with
 * everything it started.
 */
export function runTimed(cmd: string, argv: string[], env: Record<string, string>, timeoutS = 0): Promise<ChildResult> {
  const rssFile = path.join(os.tmpdir(), `bangfu-bench-rss-${crypto.randomBytes(4).toString('hex')}`);
  const isNode = cmd === process.execPath;
  const probe = isNode && !TIME_BIN ? ['--import', path.join(ROOT, 'bench', 'rss-probe.mjs')] : [];
  const [c, a] = TIME_BIN ? [TIME_BIN, ['-v', cmd, ...probe, ...argv]] : [cmd, [...probe, ...argv]];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(c, a, { cwd: ROOT, env: { ...process.env, ...env, BANGFU_BENCH_RSS_FILE: rssFile }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let timedOut = false;
    const timer = timeoutS > 0 ? setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutS * 1000) : null;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      const wallSeconds = (performance.now() - started) / 1000;
      const kb = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(stderr)?.[1];
      let peak = kb ? Number(kb) * 1024 : NaN;
      if (!kb && fs.existsSync(rssFile)) peak = Number(fs.readFileSync(rssFile, 'utf8'));
      fs.rmSync(rssFile, { force: true });
      resolve({ code: code ?? -1, timedOut, stdout, stderr, wallSeconds, peakRssBytes: peak });
    });
  });
}

// ---------------------------------------------------------------- the report

/** Replaces the section between the marks in `file` (keeping what was written around it), or appends it. */
export function mergeReport(file: string, section: string, markStart: string, markEnd: string): string {
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const a = old.indexOf(markStart);
  const b = old.indexOf(markEnd);
  if (a >= 0 && b > a) return old.slice(0, a) + section.trimEnd() + old.slice(b + markEnd.length);
  return (old.trim() ? old.trimEnd() + '\n\n' : '# Benchmarks\n\n') + section;
}
