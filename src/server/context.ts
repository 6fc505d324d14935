import type { AppConfig } from '../config.js';
import type { Database, Db } from '../db/client.js';
import type { IdSealer } from '../modules/privacy/sealed-ids.js';

/** What every service needs, built once at start-up and passed down. */
export interface AppContext {
  config: AppConfig;
  database: Database;
  db: Db;
  sealer: IdSealer;
}
