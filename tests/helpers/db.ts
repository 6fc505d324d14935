// Fresh, real databases for integration tests: PGlite in a temp folder, or a throwaway
// database CREATEd on the PostgreSQL server. Never mocks; never the shared `test` database.
//
//   describeOnBackends('students API', (getCtx, kind) => {
//     it('lists', async () => { const ctx = getCtx(); … });
//   });
//
// runs the whole block once per backend (`students API [pglite]`, `students API [postgres]`),
// each on its own freshly migrated database, dropped afterwards.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { createIdSealer } from '../../src/modules/privacy/sealed-ids.js';
import type { AppContext } from '../../src/server/context.js';
import { TEST_DATABASE_URL, type BackendKind } from './backends.js';

export { TEST_DATABASE_URL, type BackendKind };

export interface TestContext extends AppContext {
  kind: BackendKind;
  /** closes the database and deletes it (the temp folder, or DROP DATABASE) */
  dispose(): Promise<void>;
}

/** The backends this run covers, decided once by tests/helpers/global-setup.ts. */
export function backends(): BackendKind[] {
  const list = inject('backends');
  if (!list) throw new Error('backends() needs the integration project (its globalSetup decides the list): run `vitest --project integration`');
  return list;
}

/** URL of another database on the same server as TEST_DATABASE_URL. */
function urlForDatabase(name: string): string {
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = '/' + name;
  return u.toString();
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * A new AppContext on an empty, migrated database of the given kind, with a random ID-sealing key:
 * PGlite in a temp folder (copied from the run's migrated template), or a new database on the server.
 */
export async function createTestContext(kind: BackendKind): Promise<TestContext> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-test-'));
  let databaseUrl: string | undefined;
  let dbName: string | undefined;
  if (kind === 'postgres') {
    dbName = `bangfu_t_${inject('runId') ?? 'x'}_${crypto.randomBytes(6).toString('hex')}`;
    // concurrent CREATE DATABASE from template1 can collide on a busy server: retry briefly
    for (let attempt = 1; ; attempt++) {
      try {
        await adminQuery(`CREATE DATABASE "${dbName}"`);
        break;
      } catch (err) {
        if (attempt >= 5) throw err;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
    databaseUrl = urlForDatabase(dbName);
  }
  if (kind === 'pglite') {
    // a private copy of the migrated template: skips initdb and the migrations
    const template = inject('pgliteTemplate');
    if (template && fs.existsSync(template)) fs.cpSync(template, path.join(dataDir, 'pgdata'), { recursive: true });
  }
  const config = loadConfig({}, { dataDir, databaseUrl, port: 0, host: '127.0.0.1', secureCookies: false });
  let database;
  try {
    database = await openDatabase({ databaseUrl, dataDir });
  } catch (err) {
    if (dbName) await adminQuery(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  let disposed = false;
  return {
    kind,
    config,
    database,
    db: database.db,
    sealer: createIdSealer(crypto.randomBytes(32)),
    async dispose() {
      if (disposed) return;
      disposed = true;
      await database.close().catch(() => undefined);
      if (dbName) await adminQuery(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Declares `body` once per backend of this run, each inside its own `describe` with a
 * fresh database created before its tests and dropped after them. `getCtx()` is only
 * valid inside tests and hooks (the database does not exist while tests are collected).
 * `setup`, when given, runs once on the fresh context (e.g. `seedCounty`) before the tests.
 */
export function describeOnBackends<S = undefined>(
  name: string,
  body: (getCtx: () => TestContext, kind: BackendKind, getSeed: () => S) => void,
  setup?: (ctx: TestContext) => Promise<S>,
): void {
  for (const kind of backends()) {
    describe(`${name} [${kind}]`, () => {
      let ctx: TestContext | undefined;
      let seed: S | undefined;
      beforeAll(async () => {
        ctx = await createTestContext(kind);
        if (setup) seed = await setup(ctx);
      });
      afterAll(async () => {
        await ctx?.dispose();
      });
      body(
        () => {
          if (!ctx) throw new Error('the test database is not ready: call getCtx() inside a test or hook');
          return ctx;
        },
        kind,
        () => {
          if (!setup) throw new Error('describeOnBackends was given no setup function, so there is no seed');
          return seed as S;
        },
      );
    });
  }
}

/**
 * The database's own message for a failing statement. Drizzle wraps driver errors as
 * "Failed query: …" with the server's error as `cause`; this digs it out.
 */
export async function dbErrorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    const messages: string[] = [];
    for (let e: unknown = err; e instanceof Error; e = (e as Error & { cause?: unknown }).cause) messages.push(e.message);
    return messages.join(' ← ');
  }
  throw new Error('expected the statement to fail, but it succeeded');
}
