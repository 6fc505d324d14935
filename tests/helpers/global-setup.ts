// Runs once per `vitest --project integration` run, before any worker starts:
//  - decides which database backends the integration suites run on (`inject('backends')`);
//  - builds one migrated PGlite data folder as a template. A fresh PGlite costs an initdb
//    plus all migrations (~2 s idle, 10+ s on a loaded 2-core box); a copy of the template
//    opens in well under a second. Each test context still gets its own private copy.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/client.js';
import { decideBackends } from './backends.js';

export default async function setup(project: TestProject) {
  project.provide('backends', await decideBackends());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-pglite-template-'));
  const database = await openDatabase({ dataDir: dir });
  await database.close();
  project.provide('pgliteTemplate', path.join(dir, 'pgdata'));
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
