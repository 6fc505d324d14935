import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findProjectRoot, projectPath, projectRoot } from '../../../src/shared/project-root.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('projectRoot', () => {
  it('is the folder of the package.json named "bangfu", from the sources', () => {
    expect(projectRoot()).toBe(ROOT);
    expect(fs.existsSync(projectPath('drizzle'))).toBe(true);
  });

  it('walks up past package.json files of other names, and finds none outside a project', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'project-root-'));
    try {
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bangfu' }));
      fs.mkdirSync(path.join(dir, 'node_modules/.cache/bangfu/cli-x'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'node_modules/other'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'node_modules/other/package.json'), JSON.stringify({ name: 'other' }));
      fs.writeFileSync(path.join(dir, 'node_modules/.cache/package.json'), 'not json');
      expect(findProjectRoot(path.join(dir, 'node_modules/.cache/bangfu/cli-x'))).toBe(dir);
      expect(findProjectRoot(path.join(dir, 'node_modules/other'))).toBe(dir);
      expect(findProjectRoot(os.tmpdir())).toBeNull();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
