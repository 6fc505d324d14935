// The project's root folder (where package.json, drizzle/, web/dist and node_modules are).
// Files are found from here, never relative to the current module: the CLI usually runs an
// esbuild bundle of these sources from node_modules/.cache/bangfu/ (bin/cli-bundle.mjs), where
// `import.meta.url` is a chunk of that bundle, not the .ts file it came from.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Set by the CLI bundle's build (esbuild `define`) to the root it was built from; absent when the sources run directly. */
declare const __BANGFU_ROOT__: string | undefined;

const PACKAGE_NAME = 'bangfu';

/** The nearest folder at or above `start` holding a package.json named "bangfu"; null when there is none. */
export function findProjectRoot(start: string): string | null {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === PACKAGE_NAME) return dir;
    } catch {
      // no (readable) package.json here: keep walking up
    }
    if (path.dirname(dir) === dir) return null;
  }
}

let root: string | undefined;

/**
 * The project root. In the CLI bundle it is the root the bundle was built from (walking up
 * from the bundle would be wrong when node_modules is a symlink into another checkout);
 * from the sources it is found by walking up from this file.
 */
export function projectRoot(): string {
  if (root) return root;
  if (typeof __BANGFU_ROOT__ === 'string') return (root = __BANGFU_ROOT__);
  const here = path.dirname(fileURLToPath(import.meta.url));
  const found = findProjectRoot(here);
  if (!found) throw new Error(`找不到项目根目录（从 ${here} 向上没有 name 为 "${PACKAGE_NAME}" 的 package.json）`);
  return (root = found);
}

/** A path inside the project: projectPath('drizzle') → <root>/drizzle. */
export function projectPath(...parts: string[]): string {
  return path.join(projectRoot(), ...parts);
}
