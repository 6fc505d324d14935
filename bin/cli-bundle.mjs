// The CLI's bundle cache (used by bin/bangfu.mjs). The TypeScript sources are bundled by
// esbuild into plain ES modules under node_modules/.cache/bangfu/<name>/ (inside the project,
// so the bundle's imports of npm packages resolve to the project's node_modules) and the CLI
// runs that: measured, `bangfu --help` 0.14 s against 0.41–0.46 s through tsx's loader.
//
// Never stale: the bundle's folder is named after a fingerprint of its inputs — every file
// under src/ (path, size, modification and change time), package.json, the lock file,
// tsconfig.json and this file — taken BEFORE esbuild reads them. Any edit, added, removed or
// renamed file (even one made while a build runs, or one whose old mtime was put back) gives a
// new fingerprint, so the next command builds a new bundle (~0.5 s) instead of running the old.
//
// Safe when commands start at once: each build writes a temporary folder and renames it into
// place in one step; a folder under its final name is always complete, and a process that
// loses the race uses the winner's. Folders are never rewritten, and an older one is removed
// only when it is not among the newest few and no live process runs from it (each command marks
// its folder with its pid): a process loads some chunks lazily (e.g. the server loading the demo).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the bundles live, relative to the project root. */
export const CACHE_DIR = 'node_modules/.cache/bangfu';
/** Inputs besides everything under src/. */
const INPUT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json'];
const SELF = fileURLToPath(import.meta.url);
/** Bundles of one project kept besides the current one (older ones are removed after a build). */
const KEEP_OLDER = 2;
/** A temporary build folder this old was left by a killed build. */
const STALE_TMP_MS = 10 * 60_000;

function statLine(file, rel) {
  let st;
  try {
    st = fs.statSync(file);
  } catch {
    try {
      st = fs.lstatSync(file); // a dangling symlink (e.g. an editor's lock file)
    } catch {
      return `${rel}\0missing\n`;
    }
  }
  return `${rel}\0${st.size}\0${st.mtimeMs}\0${st.ctimeMs}\0${st.ino}\n`;
}

function walk(dir, rel, hash) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    hash.update(`${rel}/\0missing\n`);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    const r = `${rel}/${e.name}`;
    if (e.isDirectory()) walk(p, r, hash);
    else hash.update(statLine(p, r));
  }
}

/** The fingerprint of the bundle's inputs (hex). Takes ~2 ms for ~200 files. */
export function fingerprint(root) {
  const hash = crypto.createHash('sha256');
  hash.update(`bangfu-cli-bundle 1\0${root}\n`);
  hash.update(statLine(SELF, 'bin/cli-bundle.mjs'));
  for (const f of INPUT_FILES) hash.update(statLine(path.join(root, f), f));
  walk(path.join(root, 'src'), 'src', hash);
  return hash.digest('hex');
}

/** Bundles of one root share this prefix (cleanup never touches another checkout's bundles in a shared node_modules). */
function prefixFor(root) {
  return `cli-${crypto.createHash('sha256').update(root).digest('hex').slice(0, 8)}-`;
}

/** The bundle folder for the inputs as they are now, and its entry script. */
export function bundlePaths(root) {
  const dir = path.join(root, CACHE_DIR, prefixFor(root) + fingerprint(root).slice(0, 20));
  return { dir, main: path.join(dir, 'main.js'), parseWorker: path.join(dir, 'parse-worker.cjs') };
}

/**
 * The entry script of a current bundle, built first when there is none (esbuild, ~0.5 s).
 * Throws when it cannot be built (the caller falls back to tsx).
 */
export async function ensureBundle(root) {
  const paths = bundlePaths(root);
  if (fs.existsSync(paths.main)) return { main: paths.main, dir: paths.dir, built: false };
  await buildBundle(root, paths);
  return { main: paths.main, dir: paths.dir, built: true };
}

const IN_USE = '.in-use-';

/** Marks a bundle folder as used by this process until it exits (so a newer build does not remove it). Best effort. */
export function markInUse(dir) {
  const marker = path.join(dir, `${IN_USE}${process.pid}`);
  try {
    fs.writeFileSync(marker, '');
    process.on('exit', () => fs.rmSync(marker, { force: true }));
  } catch {
    // a read-only cache: the folder is simply never tidied under us
  }
}

/** True when some live process marked the folder (a marker of a killed process does not count). */
function inUse(dir) {
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith(IN_USE)) continue;
    const pid = Number(name.slice(IN_USE.length));
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      if (err.code === 'EPERM') return true; // alive, another user's
    }
  }
  return false;
}

async function buildBundle(root, paths) {
  const cache = path.dirname(paths.dir);
  fs.mkdirSync(cache, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(cache, `tmp-${path.basename(paths.dir)}-`));
  fs.chmodSync(tmp, 0o755); // mkdtemp makes it private to this user
  try {
    const esbuild = await importEsbuildWithoutWorker();
    const common = {
      absWorkingDir: root, bundle: true, platform: 'node', target: 'node20', logLevel: 'silent',
      // where the bundle's code finds drizzle/, web/dist, fonts (src/shared/project-root.ts)
      define: { __BANGFU_ROOT__: JSON.stringify(root) },
    };
    // The synchronous API, so that esbuild's compiler is gone before the command runs: each call
    // runs it with execFileSync, which returns only after the process has exited and been reaped.
    // (The async API keeps it as a long-lived child that esbuild.stop() only signals: it could
    // still be a child of ours when the command started, seen in 7 of 40 first runs.)
    esbuild.buildSync({
      ...common, entryPoints: { main: 'src/cli/main.ts' }, format: 'esm', outdir: tmp,
      // npm packages stay imports (resolved from node_modules at run time); each command's
      // code is its own chunk, loaded when the command runs, as from the sources
      packages: 'external', splitting: true,
      // `node --enable-source-maps bin/bangfu.mjs …` shows the .ts files and lines in stacks
      sourcemap: 'linked',
      define: { ...common.define, __BANGFU_PARSE_WORKER__: JSON.stringify(paths.parseWorker) },
    });
    // the roster import's worker threads (parse-pool.ts), one CommonJS script with its packages
    esbuild.buildSync({ ...common, entryPoints: ['src/modules/roster-import/parse-worker.ts'], format: 'cjs', outfile: path.join(tmp, 'parse-worker.cjs') });
    fs.writeFileSync(path.join(tmp, 'bundle.json'), `${JSON.stringify({ root, builtAt: new Date().toISOString(), esbuild: esbuild.version }, null, 2)}\n`);
    try {
      fs.renameSync(tmp, paths.dir);
    } catch (err) {
      // another command built the same bundle first: use it
      if (!fs.existsSync(paths.main)) throw err;
      return;
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  removeOld(cache, paths.dir, prefixFor(root));
}

/**
 * esbuild with its synchronous API run in this thread: esbuild reads ESBUILD_WORKER_THREADS once,
 * when it is first loaded, and otherwise runs buildSync through a worker thread that keeps a
 * compiler process alive.
 */
async function importEsbuildWithoutWorker() {
  const before = process.env.ESBUILD_WORKER_THREADS;
  process.env.ESBUILD_WORKER_THREADS = '0';
  try {
    return await import('esbuild');
  } finally {
    if (before === undefined) delete process.env.ESBUILD_WORKER_THREADS;
    else process.env.ESBUILD_WORKER_THREADS = before;
  }
}

/** Removes this project's older bundles beyond the newest few, and temporary folders of killed builds. */
function removeOld(cache, current, prefix) {
  try {
    const now = Date.now();
    const mine = [];
    for (const name of fs.readdirSync(cache)) {
      const p = path.join(cache, name);
      if (p === current) continue;
      const mtime = fs.statSync(p).mtimeMs;
      if (name.startsWith('tmp-')) {
        if (now - mtime > STALE_TMP_MS) fs.rmSync(p, { recursive: true, force: true });
      } else if (name.startsWith(prefix)) mine.push({ p, mtime });
    }
    mine.sort((a, b) => b.mtime - a.mtime);
    for (const { p } of mine.slice(KEEP_OLDER)) if (!inUse(p)) fs.rmSync(p, { recursive: true, force: true });
  } catch {
    // tidying up is best effort
  }
}

/** One line saying why a build failed (esbuild's first error with its place, or the error's message). */
export function describeBuildError(err) {
  const first = err?.errors?.[0];
  if (first) {
    const at = first.location ? `${first.location.file}:${first.location.line}:${first.location.column}: ` : '';
    return `${at}${first.text}`;
  }
  return String(err?.message ?? err).split('\n')[0];
}
