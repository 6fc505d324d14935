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
  /**
   * whose X-Forwarded-For to believe for the client address (login throttling, the audit log's ip):
   * false (default) = nobody, the TCP peer is the client; true = any peer (only when every request
   * comes through the proxy); or a comma-separated list of proxy addresses/CIDRs (BANGFU_TRUST_PROXY).
   * Trusting every peer on an open port would let any client pick its own address.
   */
  trustProxy: boolean | string;
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
    trustProxy: parseTrustProxy(env.BANGFU_TRUST_PROXY),
    ...(Number.isInteger(Number(env.BANGFU_DEMO_STUDENTS)) && Number(env.BANGFU_DEMO_STUDENTS) > 0 ? { demoStudents: Number(env.BANGFU_DEMO_STUDENTS) } : {}),
    ...overrides,
  };
}

/** BANGFU_TRUST_PROXY: unset, '', '0' or 'false' → false; '1' or 'true' → any peer; else a list of proxy addresses/CIDRs. */
export function parseTrustProxy(raw: string | undefined): boolean | string {
  const v = (raw ?? '').trim();
  if (v === '' || v === '0' || v.toLowerCase() === 'false') return false;
  if (v === '1' || v.toLowerCase() === 'true') return true;
  return v;
}
