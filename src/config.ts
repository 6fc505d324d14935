import path from 'node:path';

export const ROSTER_BULK_LOAD = ['embedded', 'always', 'off'] as const;
export type RosterBulkLoad = (typeof ROSTER_BULK_LOAD)[number];

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
  /**
   * When a roster import loads a first roster in bulk (BANGFU_ROSTER_BULK_LOAD): 'embedded' (default)
   * on PGlite only, whose one connection the merge holds anyway; 'always' on PostgreSQL too, where
   * the merge then locks students, enrollments, schools and classes against every reader until it
   * commits (for loading a county that is not yet using the system); 'off' never.
   */
  rosterBulkLoad: RosterBulkLoad;
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
    rosterBulkLoad: parseRosterBulkLoad(env.BANGFU_ROSTER_BULK_LOAD),
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

/** BANGFU_ROSTER_BULK_LOAD: unset or '' → 'embedded'; else one of ROSTER_BULK_LOAD (a typo stops the start rather than silently meaning the default). */
export function parseRosterBulkLoad(raw: string | undefined): RosterBulkLoad {
  const v = (raw ?? '').trim().toLowerCase();
  if (v === '') return 'embedded';
  if ((ROSTER_BULK_LOAD as readonly string[]).includes(v)) return v as RosterBulkLoad;
  throw new Error(`BANGFU_ROSTER_BULK_LOAD 应为 ${ROSTER_BULK_LOAD.join('、')} 之一（现为“${raw}”）`);
}
