import { loadConfig, type AppConfig } from '../config.js';
import { IMPORT_PGLITE_SETTINGS, openDatabase } from '../db/client.js';
import { createIdSealer, loadSecret } from '../modules/privacy/sealed-ids.js';
import type { AppContext } from './context.js';

/** Opens the database (migrating it) and builds the context every command and the server share. */
export async function createContext(
  overrides: Partial<AppConfig> = {},
  opts: { pgliteSettings?: Readonly<Record<string, string>> } = {},
): Promise<AppContext> {
  const config = loadConfig(process.env, overrides);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, pgliteSettings: opts.pgliteSettings });
  return { config, database, db: database.db, sealer: createIdSealer(loadSecret(config.dataDir)) };
}

/** The context of an import command (`bangfu import …`): on PGlite, the engine with smaller buffers (IMPORT_PGLITE_SETTINGS). */
export function createImportContext(overrides: Partial<AppConfig> = {}): Promise<AppContext> {
  return createContext(overrides, { pgliteSettings: IMPORT_PGLITE_SETTINGS });
}
