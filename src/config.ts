import path from 'node:path';

/** Everything the process reads from its environment, read in one place. */
export interface AppConfig {
  /** folder of the embedded database, secrets, uploads and exports */
  dataDir: string;
  /** set → a real PostgreSQL server instead of the embedded PGlite */
  databaseUrl: string | undefined;
  port: number;
  host: string;
  /** marks cookies Secure; off for plain http on localhost */
  secureCookies: boolean;
  /** students of the demo county the first-run page loads (BANGFU_DEMO_STUDENTS; default the full demo's 25,000; the browser tests use fewer) */
  demoStudents?: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    dataDir: path.resolve(env.BANGFU_DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    secureCookies: env.BANGFU_SECURE_COOKIES === '1',
    ...(Number.isInteger(Number(env.BANGFU_DEMO_STUDENTS)) && Number(env.BANGFU_DEMO_STUDENTS) > 0 ? { demoStudents: Number(env.BANGFU_DEMO_STUDENTS) } : {}),
    ...overrides,
  };
}
