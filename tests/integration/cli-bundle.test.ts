// bin/bangfu.mjs runs an esbuild bundle of the sources cached under node_modules/.cache/bangfu/
// (bin/cli-bundle.mjs). A developer who edits a .ts file must never run stale code; commands
// started at once must never run a half-written bundle; a failed build falls back to tsx; the
// command runs in the launched process itself (kill -9 of it kills the command).
//
// The launcher's rules are tried on a throwaway project (a package.json named "bangfu", the two
// bin files, a tiny src/), so the real sources are never edited; the last test runs a real
// command of the real CLI against fresh databases.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { describeOnBackends } from '../helpers/db.js';
import { writeCsv } from '../fixtures/roster/roster-fixtures.js';
import { makeIdNumber } from '../../src/shared/id-number.js';

const execFileAsync = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const MAIN_TS = `import fs from 'node:fs';
import { projectRoot } from '../shared/project-root.js';
import { message } from './message.js';
let children = null;
try { children = fs.readFileSync(\`/proc/self/task/\${process.pid}/children\`, 'utf8').trim(); } catch {}
console.log(JSON.stringify({ message, root: projectRoot(), fromSource: import.meta.url.endsWith('.ts'), pid: process.pid, children }));
// a long-running command (a server) until it is killed
if (process.env.HOLD) setInterval(() => undefined, 1000);
`;

const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

/** A throwaway project the launcher treats as bangfu: its own bin/, src/ and node_modules (esbuild, tsx linked in). */
function makeProject(message = 'one'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-cli-bundle-'));
  made.push(dir);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bangfu', private: true, type: 'module' }));
  fs.mkdirSync(path.join(dir, 'bin'));
  for (const f of ['bangfu.mjs', 'cli-bundle.mjs']) fs.copyFileSync(path.join(ROOT, 'bin', f), path.join(dir, 'bin', f));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  for (const p of ['esbuild', 'tsx']) fs.symlinkSync(path.join(ROOT, 'node_modules', p), path.join(dir, 'node_modules', p));
  fs.mkdirSync(path.join(dir, 'src/cli'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'src/shared'));
  fs.mkdirSync(path.join(dir, 'src/modules/roster-import'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'src/shared/project-root.ts'), path.join(dir, 'src/shared/project-root.ts'));
  fs.writeFileSync(path.join(dir, 'src/modules/roster-import/parse-worker.ts'), 'export {};\n');
  fs.writeFileSync(path.join(dir, 'src/cli/main.ts'), MAIN_TS);
  setMessage(dir, message);
  return dir;
}

function setMessage(dir: string, message: string): void {
  fs.writeFileSync(path.join(dir, 'src/cli/message.ts'), `export const message: string = ${JSON.stringify(message)};\n`);
}

interface Out { message: string; root: string; fromSource: boolean; pid: number; children: string | null }

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const e = { ...process.env, ...extra };
  if (!('BANGFU_TSX' in extra)) delete e.BANGFU_TSX;
  return e;
}

async function run(dir: string, extra: NodeJS.ProcessEnv = {}): Promise<{ out: Out; stderr: string }> {
  const { stdout, stderr } = await execFileAsync(process.execPath, [path.join(dir, 'bin/bangfu.mjs')], { cwd: os.tmpdir(), env: env(extra) });
  return { out: JSON.parse(stdout.trim().split('\n').pop()!) as Out, stderr };
}

const cacheDir = (dir: string) => path.join(dir, 'node_modules/.cache/bangfu');
const bundles = (dir: string) => (fs.existsSync(cacheDir(dir)) ? fs.readdirSync(cacheDir(dir)).filter((n) => n.startsWith('cli-')) : []);
const leftovers = (dir: string) => (fs.existsSync(cacheDir(dir)) ? fs.readdirSync(cacheDir(dir)).filter((n) => n.startsWith('tmp-')) : []);

describe('the CLI bundle cache (bin/bangfu.mjs)', () => {
  it('builds the bundle on first use, runs it in the launched process, and reuses it', { timeout: 60_000 }, async () => {
    const dir = makeProject();
    const first = await run(dir);
    expect(first.out).toMatchObject({ message: 'one', root: dir, fromSource: false });
    expect(first.stderr).toBe('');
    expect(bundles(dir)).toHaveLength(1);
    expect(fs.existsSync(path.join(cacheDir(dir), bundles(dir)[0]!, 'parse-worker.cjs'))).toBe(true);
    // esbuild's compiler process is gone before the command runs: no child process. Once with
    // esbuild's async API and stop(), the child was still listed in ~1 of 6 first builds, so
    // the first build is repeated on an emptied cache to catch that
    if (first.out.children !== null) {
      const seen = [first.out.children];
      for (let i = 0; i < 11; i++) {
        fs.rmSync(cacheDir(dir), { recursive: true, force: true });
        seen.push((await run(dir)).out.children ?? '');
      }
      expect(seen.filter((c) => c !== '')).toEqual([]);
    }

    const bundle = path.join(cacheDir(dir), bundles(dir)[0]!, 'main.js');
    const built = fs.statSync(bundle).mtimeMs;
    const second = await run(dir);
    expect(second.out.message).toBe('one');
    expect(bundles(dir)).toHaveLength(1);
    expect(fs.statSync(bundle).mtimeMs).toBe(built);
  });

  it('never runs stale code: an edit right after a build, a restored mtime, an added file, package.json', { timeout: 60_000 }, async () => {
    const dir = makeProject('one');
    expect((await run(dir)).out.message).toBe('one');

    // edited in the same second as the build
    setMessage(dir, 'two');
    expect((await run(dir)).out.message).toBe('two');

    // same size, and the old modification time put back (e.g. a tool that preserves times)
    const file = path.join(dir, 'src/cli/message.ts');
    const { atime, mtime } = fs.statSync(file);
    setMessage(dir, 'tww');
    fs.utimesSync(file, atime, mtime);
    expect((await run(dir)).out.message).toBe('tww');

    // a new module imported by an edited one
    fs.writeFileSync(path.join(dir, 'src/cli/extra.ts'), "export const extra = 'three';\n");
    fs.writeFileSync(file, "export { extra as message } from './extra.js';\n");
    expect((await run(dir)).out.message).toBe('three');
    fs.writeFileSync(path.join(dir, 'src/cli/extra.ts'), "export const extra = 'four';\n");
    expect((await run(dir)).out.message).toBe('four');

    // package.json is an input too
    const before = bundles(dir);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bangfu', private: true, type: 'module', version: '2.0.0' }));
    expect((await run(dir)).out.message).toBe('four');
    expect(bundles(dir).filter((b) => !before.includes(b))).toHaveLength(1);

    // older bundles are tidied away: the current one and two more are kept
    expect(bundles(dir).length).toBeLessThanOrEqual(3);
  });

  it('keeps an older bundle while a process still runs from it, and removes it after', { timeout: 90_000 }, async () => {
    const dir = makeProject('held');
    const held = spawn(process.execPath, [path.join(dir, 'bin/bangfu.mjs')], { cwd: os.tmpdir(), env: env({ HOLD: '1' }), stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve) => held.stdout.once('data', () => resolve()));
      const [heldBundle] = bundles(dir);
      for (const m of ['a', 'b', 'c', 'd']) {
        setMessage(dir, m);
        expect((await run(dir)).out.message).toBe(m);
      }
      expect(bundles(dir)).toContain(heldBundle);
      expect(bundles(dir)).toHaveLength(4);
      held.kill('SIGKILL');
      await new Promise((r) => held.once('exit', r));
      setMessage(dir, 'e');
      expect((await run(dir)).out.message).toBe('e');
      expect(bundles(dir)).not.toContain(heldBundle);
      expect(bundles(dir)).toHaveLength(3);
    } finally {
      held.kill('SIGKILL');
    }
  });

  it('commands started at once each run a complete bundle; one remains, no temporary folder', { timeout: 90_000 }, async () => {
    const dir = makeProject('together');
    const outs = await Promise.all(Array.from({ length: 4 }, () => run(dir)));
    for (const o of outs) {
      expect(o.out).toMatchObject({ message: 'together', fromSource: false });
      expect(o.stderr).toBe('');
    }
    expect(bundles(dir)).toHaveLength(1);
    expect(leftovers(dir)).toEqual([]);
  });

  it('falls back to tsx with one line on stderr when the bundle cannot be built', { timeout: 60_000 }, async () => {
    const dir = makeProject('fallback');
    // the cache folder cannot be made: node_modules/.cache is a file
    fs.writeFileSync(path.join(dir, 'node_modules/.cache'), '');
    const { out, stderr } = await run(dir);
    expect(out).toMatchObject({ message: 'fallback', fromSource: true });
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^\[bangfu\] .*tsx/);
  });

  it('names the file and line when the sources do not compile (and tsx then reports the error too)', { timeout: 60_000 }, async () => {
    const dir = makeProject();
    fs.writeFileSync(path.join(dir, 'src/cli/message.ts'), 'export const message = ;\n');
    const err = await run(dir).then(() => null, (e: { code: number; stderr: string }) => e);
    expect(err?.code).not.toBe(0);
    expect(err!.stderr.split('\n')[0]).toMatch(/^\[bangfu\] .*src\/cli\/message\.ts:1:\d+: /);
    expect(bundles(dir)).toEqual([]);
    expect(leftovers(dir)).toEqual([]);
  });

  it('with node --enable-source-maps, a stack names the .ts file and line', { timeout: 60_000 }, async () => {
    const dir = makeProject();
    fs.writeFileSync(path.join(dir, 'src/cli/message.ts'), "export const message: string = 'x';\n\nthrow new Error('boom');\n");
    const err = await execFileAsync(process.execPath, ['--enable-source-maps', path.join(dir, 'bin/bangfu.mjs')], { cwd: os.tmpdir(), env: env() })
      .then(() => null, (e: { stderr: string }) => e);
    expect(err?.stderr).toMatch(/Error: boom/);
    expect(err!.stderr).toMatch(/src\/cli\/message\.ts:3/);
    expect(err!.stderr).not.toMatch(/\[bangfu\]/);
  });

  it('BANGFU_TSX=1 runs the sources through tsx and builds nothing', { timeout: 60_000 }, async () => {
    const dir = makeProject('tsx');
    const { out, stderr } = await run(dir, { BANGFU_TSX: '1' });
    expect(out).toMatchObject({ message: 'tsx', root: dir, fromSource: true });
    expect(stderr).toBe('');
    expect(fs.existsSync(cacheDir(dir))).toBe(false);
  });
});

describeOnBackends('bin/bangfu.mjs runs a real command from the bundle', (getCtx, kind) => {
  it('import roster --json into a fresh database, in one process', { timeout: 120_000 }, async () => {
    const ctx = getCtx();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-bundle-roster-'));
    made.push(dir);
    const header = ['学校标识码', '学校名称', '姓名', '性别', '身份证号', '年级', '班级'];
    // more rows than the worker threads' threshold (PostgreSQL), so the bundle's parse worker is started
    const n = kind === 'postgres' ? 3000 : 300;
    const rows = Array.from({ length: n }, (_, i) => {
      const sex = i % 2 ? '1' : '2';
      return ['3636000601', '包测试小学', `学生${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${'子丑寅卯辰巳午未申酉戌亥'[Math.floor(i / 10) % 12]}`, sex === '1' ? '男' : '女',
        makeIdNumber('360102', `2013-0${1 + (i % 9)}-1${i % 10}`, i * 2, sex), '三年级', `${1 + (i % 3)}班`];
    });
    const file = path.join(dir, 'roster.csv');
    await writeCsv(file, [header, ...rows], 'gbk');
    // PGlite: a fresh, empty data folder (the bundled CLI creates the database and applies the
    // migrations from drizzle/ itself); PostgreSQL: the test database
    const dataDir = kind === 'pglite' ? path.join(dir, 'data') : ctx.config.dataDir;
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/bangfu.mjs'), 'import', 'roster', file, '--json'], {
      cwd: os.tmpdir(),
      env: env({ BANGFU_DATA_DIR: dataDir, DATABASE_URL: kind === 'pglite' ? '' : ctx.config.databaseUrl ?? '', BANGFU_IMPORT_TIMING: '1', BANGFU_LOG: '0' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, stderr).toBe(0);
    expect(stderr).not.toMatch(/\[bangfu\]/); // no fallback to tsx
    expect(stderr).not.toMatch(/无法启动解析线程|解析线程出错/);
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ inserted: n, updated: 0, unchanged: 0, rejected: 0, errorsFile: null });
    if (kind === 'postgres') expect(stderr).toMatch(/parse threads: \d+ workers/);
  });
});
