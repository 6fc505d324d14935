// Which databases the integration suites run on. PGlite always; the real PostgreSQL
// at TEST_DATABASE_URL when it answers. In CI (CI=true) a missing server is a failure,
// never a silent skip; elsewhere it is skipped with one loud warning.
import fs from 'node:fs';
import pg from 'pg';

export type BackendKind = 'pglite' | 'postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    backends: BackendKind[];
    /** a migrated, empty PGlite data folder to copy (see global-setup.ts) */
    pgliteTemplate: string;
    /** prefix of this run's throwaway server databases: bangfu_t_<runId>_… */
    runId: string;
  }
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://root@127.0.0.1:5432/test';

/** True when a PostgreSQL server answers a query at `url` within a few seconds. */
export async function postgresAnswers(url = TEST_DATABASE_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The backend list for this run. BANGFU_TEST_BACKENDS=pglite (or =postgres, or
 * =pglite,postgres) narrows it on purpose, e.g. for a quick local loop.
 */
export async function decideBackends(env: NodeJS.ProcessEnv = process.env): Promise<BackendKind[]> {
  const wanted = (env.BANGFU_TEST_BACKENDS || 'pglite,postgres')
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is BackendKind => s === 'pglite' || s === 'postgres');
  if (wanted.length === 0) throw new Error(`BANGFU_TEST_BACKENDS=${env.BANGFU_TEST_BACKENDS} names no backend (pglite, postgres)`);
  if (!wanted.includes('postgres')) return wanted;
  if (await postgresAnswers()) return wanted;
  const where = TEST_DATABASE_URL.replace(/\/\/[^@/]*@/, '//');
  if (env.CI === 'true' || env.CI === '1') {
    throw new Error(`PostgreSQL does not answer at ${where}, and CI=true: the integration suites must run on it. Start the server (or set TEST_DATABASE_URL).`);
  }
  // npm test (scripts/test.mjs) repeats such warnings in its final summary
  if (env.BANGFU_TEST_WARNINGS_FILE) {
    fs.appendFileSync(env.BANGFU_TEST_WARNINGS_FILE, `INTEGRATION TESTS RAN ON PGLITE ONLY: PostgreSQL does not answer at ${where}\n`);
  }
  const bar = '!'.repeat(78);
  console.warn(`\n${bar}\n!! WARNING: PostgreSQL does not answer at ${where}.\n!! Integration tests run on PGlite ONLY; the PostgreSQL half is SKIPPED.\n!! (In CI this is a failure. Set TEST_DATABASE_URL to point elsewhere.)\n${bar}\n`);
  return wanted.filter((b) => b !== 'postgres');
}

/** Drops the server databases `bangfu_t_<runId>_…` still present (normally none: each test drops its own). */
export async function dropRunDatabases(runId: string): Promise<void> {
  if (!/^[0-9a-f]+$/.test(runId)) throw new Error(`bad run id ${runId}`);
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'bangfu\\_t\\_${runId}\\_%'`);
    for (const r of rows) await client.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
