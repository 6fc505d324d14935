// Runs once per `vitest --project integration` run, before any worker starts:
//  - decides which database backends the integration suites run on (`inject('backends')`);
//  - builds one migrated PGlite data folder as a template. A fresh PGlite costs an initdb
//    plus all migrations (~2 s idle, 10+ s on a loaded 2-core box); a copy of the template
//    opens in well under a second. Each test context still gets its own private copy;
//  - afterwards drops any server database of this run that a crashed test left behind.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/client.js';
import { decideBackends, dropRunDatabases } from './backends.js';

export default async function setup(project: TestProject) {
  const backends = await decideBackends();
  project.provide('backends', backends);
  // names this run's server databases, so the teardown can drop any a crashed worker left
  const runId = crypto.randomBytes(4).toString('hex');
  project.provide('runId', runId);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-pglite-template-'));
  const database = await openDatabase({ dataDir: dir });
  await database.close();
  project.provide('pgliteTemplate', path.join(dir, 'pgdata'));
  return async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (backends.includes('postgres')) await dropRunDatabases(runId);
  };
}
