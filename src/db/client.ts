import fs from 'node:fs';
import path from 'node:path';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { PgTransaction, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import pg from 'pg';
import { projectPath } from '../shared/project-root.js';
import { lockDataDir } from './data-dir-lock.js';
import * as schema from './schema.js';

/** Drizzle over either driver; services only ever see this type. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle has the same query surface as the database. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Queryable = Db | Tx;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

const MIGRATIONS = projectPath('drizzle');

/**
 * PostgreSQL settings for an embedded database opened by a command that imports a big file
 * alone in its process (`bangfu import roster|exam`; the server cannot hold the same data
 * folder meanwhile). Given at start (`-c name=value`): this process only, nothing is written to
 * the data folder, so the server keeps PGlite's defaults. shared_buffers 128 MB → 32 MB: the
 * engine's WebAssembly memory (it never shrinks) 284 → 196–212 MB in a 200,000-row roster
 * import; the time within the noise of a busy machine (alternate runs at load 4–7: 46 / 65 s
 * against 57 / 54 s; docs/roster-import.md, "PGlite memory").
 */
export const IMPORT_PGLITE_SETTINGS: Readonly<Record<string, string>> = { shared_buffers: '32MB' };

export interface OpenOptions {
  databaseUrl?: string;
  dataDir: string;
  /** PGlite only: settings given at its start, on top of PGlite's own start parameters */
  pgliteSettings?: Readonly<Record<string, string>>;
}

/**
 * Opens the database: PostgreSQL when a URL is given, else PGlite under dataDir/pgdata.
 * Applies pending migrations (forward only, the same files for both).
 */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 20 });
    // An idle client can be cut off (server restart, pg_terminate_backend, DROP DATABASE … FORCE
    // racing pool.end()); without a listener that error would crash the process. The pool
    // drops the client and connects a new one when next needed.
    pool.on('error', (err) => console.error(`[db] PostgreSQL 空闲连接已断开：${err.message}`));
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    await migratePg(db as never, { migrationsFolder: MIGRATIONS });
    return { db, kind: 'postgres', close: () => pool.end() };
  }
  const dir = path.join(opts.dataDir, 'pgdata');
  fs.mkdirSync(dir, { recursive: true });
  // loaded only here: PGlite (its WebAssembly engine) took ~0.5–0.8 s of every PostgreSQL command's start
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'), import('drizzle-orm/pglite'), import('drizzle-orm/pglite/migrator'),
  ]);
  const settings = Object.entries(opts.pgliteSettings ?? {});
  // PGlite has no lock of its own: a second process on the same folder would corrupt it
  const unlock = lockDataDir(opts.dataDir);
  try {
    // startParams replaces PGlite's own list (single-user mode, fsync off, …): keep it, add ours
    const client = await PGlite.create(dir, settings.length
      ? { startParams: [...PGlite.defaultStartParams, ...settings.flatMap(([k, v]) => ['-c', `${k}=${v}`])] }
      : {});
    const db = drizzlePglite(client, { schema }) as unknown as Db;
    try {
      await migratePglite(db as never, { migrationsFolder: MIGRATIONS });
    } catch (err) {
      await client.close().catch(() => {});
      throw err;
    }
    return {
      db,
      kind: 'pglite',
      close: async () => {
        try {
          await client.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (err) {
    unlock();
    throw err;
  }
}

// pg parses DATE (oid 1082) into a local Date by default; keep the ISO string.
pg.types.setTypeParser(1082, (v: string) => v);

/** Runs raw SQL and returns the rows, the same on both drivers. */
export async function rows<T = Record<string, unknown>>(q: Queryable, query: SQL): Promise<T[]> {
  const res = (await q.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

export async function one<T = Record<string, unknown>>(q: Queryable, query: SQL): Promise<T | undefined> {
  return (await rows<T>(q, query))[0];
}

/**
 * Independent reads: concurrent on the database (PostgreSQL's pool), one after another inside a
 * transaction, which has a single connection (pg would queue them itself, with a deprecation
 * warning: pg 9 refuses a query while another runs on the same client).
 */
export async function readAll<T extends readonly (() => Promise<unknown>)[]>(
  q: Queryable,
  reads: readonly [...T],
): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  if (!(q instanceof PgTransaction)) return (await Promise.all(reads.map((r) => r()))) as never;
  const out: unknown[] = [];
  for (const r of reads) out.push(await r());
  return out as never;
}

export { sql };
