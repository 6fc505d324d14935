import { loadConfig, type AppConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { createIdSealer, loadSecret } from '../modules/privacy/sealed-ids.js';
import type { AppContext } from './context.js';

/** Opens the database (migrating it) and builds the context every command and the server share. */
export async function createContext(overrides: Partial<AppConfig> = {}): Promise<AppContext> {
  const config = loadConfig(process.env, overrides);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  return { config, database, db: database.db, sealer: createIdSealer(loadSecret(config.dataDir)) };
}
