#!/usr/bin/env node
// Builds the web UI when web/dist is missing or older than its sources; otherwise a fast
// no-op. Used by `npm start` and `npm run test:e2e`.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const builtIndex = path.join(root, 'web/dist/index.html');

/** Newest modification time under a path (a file or a whole tree); 0 when it does not exist. */
function newest(p, accept = () => true) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return { mtime: 0, file: null };
  }
  if (!stat.isDirectory()) return accept(p) ? { mtime: stat.mtimeMs, file: p } : { mtime: 0, file: null };
  let best = { mtime: 0, file: null };
  for (const entry of fs.readdirSync(p, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const n = newest(path.join(p, entry.name), accept);
    if (n.mtime > best.mtime) best = n;
  }
  return best;
}

const sources = [
  newest(path.join(root, 'web/src')),
  newest(path.join(root, 'web/index.html')),
  newest(path.join(root, 'web/vite.config.ts')),
  newest(path.join(root, 'src/shared')),
  // the web imports the modules' zod schemas, nothing else from src/modules
  newest(path.join(root, 'src/modules'), (f) => f.endsWith('.schemas.ts')),
];
const source = sources.reduce((a, b) => (b.mtime > a.mtime ? b : a));
const built = newest(builtIndex).mtime;

if (built && built >= source.mtime) {
  console.log('web build is current (web/dist)');
  process.exit(0);
}

console.log(built ? `web build is older than ${path.relative(root, source.file)}: rebuilding` : 'no web build yet: building web/dist');
const vite = path.join(root, 'node_modules/vite/bin/vite.js');
const result = spawnSync(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('web build failed');
  process.exit(result.status ?? 1);
}
