#!/usr/bin/env node
// `npm test`: the whole suite, in order, output streamed as it runs:
//   1. typecheck (server + web)        npm run typecheck
//   2. unit                             vitest --project unit
//   3. integration (PGlite + PostgreSQL) vitest --project integration
//   4. browser e2e                      web build, then vitest --project e2e (headless Chromium)
// Every step runs even when an earlier one failed, so one run shows everything.
// Ends with per-step timings and ONE summary line: `N passed, M failed[, K skipped]`,
// counted over all vitest projects (a step that fails without a failing test, e.g. typecheck,
// counts as one failure). Exits non-zero when any step failed, or when no test ran.
//
// Browser tests need /usr/bin/chromium (BANGFU_CHROMIUM overrides the path). Missing:
// with CI=true that is a failure; otherwise the step is skipped with a loud warning.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const isCI = process.env.CI === 'true' || process.env.CI === '1';
const chromium = process.env.BANGFU_CHROMIUM || '/usr/bin/chromium';
const vitestBin = path.join(root, 'node_modules/vitest/vitest.mjs');
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-test-report-'));
// steps append warnings here (e.g. PostgreSQL absent outside CI), repeated in the summary
const warningsFile = path.join(outDir, 'warnings.txt');
process.env.BANGFU_TEST_WARNINGS_FILE = warningsFile;

/** @type {{name: string, status: 'passed'|'failed'|'skipped', seconds: number, note?: string, counts?: {passed:number, failed:number, skipped:number}}[]} */
const steps = [];
const warnings = [];

function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', (err) => {
      console.error(`cannot start ${cmd}: ${err.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

function banner(text) {
  const line = '═'.repeat(Math.max(60, text.length + 4));
  console.log(`\n${line}\n  ${text}\n${line}`);
}

/** Counts from vitest's JSON report; a file that failed to load counts as one failure. */
function countsFrom(file) {
  if (!fs.existsSync(file)) return undefined;
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  const loadErrors = (r.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
  return {
    passed: r.numPassedTests ?? 0,
    failed: (r.numFailedTests ?? 0) + loadErrors,
    skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0),
  };
}

async function step(name, fn) {
  banner(`▶ ${name}`);
  const started = Date.now();
  let result;
  try {
    result = await fn();
  } catch (err) {
    result = { status: 'failed', note: err instanceof Error ? err.message : String(err) };
  }
  const seconds = (Date.now() - started) / 1000;
  steps.push({ name, seconds, ...result });
  console.log(`\n${result.status === 'passed' ? '✔' : result.status === 'skipped' ? '⚠' : '✘'} ${name}: ${result.status} in ${seconds.toFixed(1)}s${result.note ? ` (${result.note})` : ''}`);
}

async function vitestProject(project) {
  const report = path.join(outDir, `${project}.json`);
  const code = await run(process.execPath, [vitestBin, 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  const counts = countsFrom(report);
  if (!counts) return { status: 'failed', note: `vitest exited ${code} without a report` };
  const ok = code === 0 && counts.failed === 0;
  return { status: ok ? 'passed' : 'failed', counts, note: ok ? undefined : `vitest exited ${code}` };
}

await step('typecheck', async () => {
  const code = await run('npm', ['run', '--silent', 'typecheck']);
  return { status: code === 0 ? 'passed' : 'failed', note: code === 0 ? undefined : `exit ${code}` };
});

await step('unit tests', () => vitestProject('unit'));
await step('integration tests (PGlite + PostgreSQL)', () => vitestProject('integration'));

await step('browser e2e tests (headless Chromium)', async () => {
  if (!fs.existsSync(chromium)) {
    if (isCI) return { status: 'failed', note: `${chromium} not found, and CI=true: browser tests must run` };
    const msg = `BROWSER TESTS SKIPPED: ${chromium} not found (install it: apt-get install -y chromium fonts-noto-cjk)`;
    warnings.push(msg);
    console.warn(`\n${'!'.repeat(78)}\n!! ${msg}\n${'!'.repeat(78)}`);
    return { status: 'skipped', note: 'no Chromium' };
  }
  const build = await run(process.execPath, ['scripts/ensure-web-build.mjs']);
  if (build !== 0) return { status: 'failed', note: `web build failed (exit ${build})` };
  return vitestProject('e2e');
});

// ── summary ─────────────────────────────────────────────────────────────────
const total = { passed: 0, failed: 0, skipped: 0 };
for (const s of steps) {
  total.passed += s.counts?.passed ?? 0;
  total.skipped += s.counts?.skipped ?? 0;
  // a step that failed without a failing test (typecheck, a suite that could not start,
  // no browser in CI) counts as one failure, so the summary never reads "0 failed" then
  total.failed += Math.max(s.counts?.failed ?? 0, s.status === 'failed' ? 1 : 0);
}
const failedSteps = steps.filter((s) => s.status === 'failed');
const totalSeconds = steps.reduce((a, s) => a + s.seconds, 0);

banner('Summary');
for (const s of steps) {
  const counts = s.counts ? `  ${s.counts.passed} passed, ${s.counts.failed} failed${s.counts.skipped ? `, ${s.counts.skipped} skipped` : ''}` : '';
  console.log(`  ${s.status.toUpperCase().padEnd(8)} ${s.name.padEnd(42)} ${s.seconds.toFixed(1).padStart(7)}s${counts}${s.note ? `  — ${s.note}` : ''}`);
}
console.log(`  ${'total'.padEnd(51)} ${totalSeconds.toFixed(1).padStart(7)}s`);
if (fs.existsSync(warningsFile)) warnings.unshift(...fs.readFileSync(warningsFile, 'utf8').split('\n').filter(Boolean));
for (const w of warnings) console.log(`\n⚠ ${w}`);
if (failedSteps.length) console.log(`\nFAILED: ${failedSteps.map((s) => s.name).join('; ')}`);
if (total.passed + total.failed === 0) console.log('\nFAILED: no test ran');
fs.rmSync(outDir, { recursive: true, force: true });

console.log(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(failedSteps.length || total.failed || total.passed === 0 ? 1 : 0);
