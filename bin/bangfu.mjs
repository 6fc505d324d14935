#!/usr/bin/env node
// Runs the CLI from an esbuild bundle of the TypeScript sources, cached under
// node_modules/.cache/bangfu/ and rebuilt (~0.5 s) whenever anything under src/, package.json,
// the lock file or tsconfig.json has changed (bin/cli-bundle.mjs): no build step to forget,
// and a command starts in ~0.15 s instead of ~0.45 s through tsx's loader. The command runs in
// this process (no child process). BANGFU_TSX=1 runs the sources through tsx instead, as does
// a failed build (with one line on stderr saying why).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const forceTsx = !!process.env.BANGFU_TSX && process.env.BANGFU_TSX !== '0';

let entry = null;
if (!forceTsx) {
  try {
    const { ensureBundle, markInUse } = await import('./cli-bundle.mjs');
    const bundle = await ensureBundle(root);
    markInUse(bundle.dir);
    entry = bundle.main;
  } catch (err) {
    const { describeBuildError } = await import('./cli-bundle.mjs').catch(() => ({ describeBuildError: (e) => String(e?.message ?? e) }));
    process.stderr.write(`[bangfu] 无法构建 CLI 包，改用 tsx 直接运行源码：${describeBuildError(err)}\n`);
  }
}

if (entry) {
  await import(pathToFileURL(entry).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
