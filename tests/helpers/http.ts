// The real Fastify app driven in-process through app.inject (no port), and an `agent`
// that behaves like a browser tab: it logs in, keeps the session cookie, and sends the
// CSRF token from GET /api/me on every non-GET request.
//
//   const app = await testApp(ctx);
//   const admin = await loginAgent(app, seed.users.bureau_admin);
//   const res = await admin.get('/api/students?q=zw');   // { status, body, headers, raw }
//   expect(res.status).toBe(200);
import type { FastifyInstance } from 'fastify';
import { afterAll } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { SESSION_COOKIE } from '../../src/modules/auth/auth.service.js';
import type { AppContext } from '../../src/server/context.js';

export type TestApp = FastifyInstance;

export interface HttpResult<T = any> {
  status: number;
  /** parsed JSON when the reply is JSON, else the text */
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
  /** the raw reply bytes (downloads: xlsx, csv) */
  raw: Buffer;
}

export interface RequestOptions {
  /** leave out the x-csrf-token header (to test the CSRF guard) */
  noCsrf?: boolean;
  headers?: Record<string, string>;
}

export interface UploadFile {
  /** form field name, default 'file' */
  field?: string;
  filename: string;
  content: Buffer | string;
  contentType?: string;
  /** extra text fields sent before the file */
  fields?: Record<string, string>;
}

/** Builds the app on `ctx` and closes it after the current file (or describe) finishes. */
export async function testApp(ctx: AppContext, opts: { autoClose?: boolean } = {}): Promise<TestApp> {
  const app = (await buildApp(ctx)) as unknown as TestApp;
  await app.ready();
  if (opts.autoClose !== false) afterAll(() => app.close());
  return app;
}

let agentSeq = 0;

/** A cookie-keeping client. Each agent has its own client IP, so per-IP rate limits do not couple tests. */
export class Agent {
  cookie: string | undefined;
  csrfToken: string | undefined;
  readonly ip: string;

  constructor(readonly app: TestApp) {
    agentSeq++;
    this.ip = `10.${(agentSeq >> 16) & 255}.${(agentSeq >> 8) & 255}.${agentSeq & 255}`;
  }

  async request<T = any>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown, opts: RequestOptions = {}): Promise<HttpResult<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (this.cookie) headers.cookie = `${SESSION_COOKIE}=${this.cookie}`;
    if (method !== 'GET' && this.csrfToken && !opts.noCsrf) headers['x-csrf-token'] = this.csrfToken;
    let payload: string | Buffer | undefined;
    if (Buffer.isBuffer(body)) payload = body;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await this.app.inject({ method, url, headers, payload, remoteAddress: this.ip });
    this.keepCookie(res.cookies);
    const type = String(res.headers['content-type'] ?? '');
    let parsed: unknown = res.body;
    if (type.includes('application/json') && res.body) parsed = JSON.parse(res.body);
    return { status: res.statusCode, body: parsed as T, headers: res.headers, raw: res.rawPayload };
  }

  private keepCookie(cookies: { name: string; value: string; maxAge?: number; expires?: Date }[]) {
    for (const c of cookies) {
      if (c.name !== SESSION_COOKIE) continue;
      const cleared = c.value === '' || (c.maxAge !== undefined && c.maxAge <= 0) || (c.expires !== undefined && c.expires.getTime() < Date.now());
      this.cookie = cleared ? undefined : c.value;
    }
  }

  get<T = any>(url: string, opts?: RequestOptions) {
    return this.request<T>('GET', url, undefined, opts);
  }
  post<T = any>(url: string, body?: unknown, opts?: RequestOptions) {
    return this.request<T>('POST', url, body ?? {}, opts);
  }
  patch<T = any>(url: string, body?: unknown, opts?: RequestOptions) {
    return this.request<T>('PATCH', url, body ?? {}, opts);
  }
  put<T = any>(url: string, body?: unknown, opts?: RequestOptions) {
    return this.request<T>('PUT', url, body ?? {}, opts);
  }
  delete<T = any>(url: string, opts?: RequestOptions) {
    return this.request<T>('DELETE', url, undefined, opts);
  }

  /** multipart/form-data upload of one file (the roster import, attachments) */
  upload<T = any>(url: string, file: UploadFile, opts?: RequestOptions) {
    const boundary = '----bangfutest' + Math.random().toString(16).slice(2);
    const parts: Buffer[] = [];
    for (const [k, v] of Object.entries(file.fields ?? {})) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    }
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${encodeURIComponent(file.filename)}"; filename*=UTF-8''${encodeURIComponent(file.filename)}\r\n` +
          `Content-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    );
    return this.request<T>('POST', url, Buffer.concat(parts), {
      ...opts,
      headers: { ...opts?.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
  }

  /** POST /api/auth/login; on success fetches the CSRF token. Returns the login reply. */
  async login(username: string, password: string): Promise<HttpResult> {
    const res = await this.post('/api/auth/login', { username, password });
    if (res.status === 200) await this.refreshMe();
    return res;
  }

  /** GET /api/me and remember its CSRF token. */
  async refreshMe(): Promise<HttpResult> {
    const me = await this.get('/api/me');
    if (me.status === 200) this.csrfToken = me.body.csrfToken;
    return me;
  }
}

/** An agent logged in as `user`; throws with the server's message when the login fails. */
export async function loginAgent(app: TestApp, user: { username: string; password: string }): Promise<Agent> {
  const agent = new Agent(app);
  const res = await agent.login(user.username, user.password);
  if (res.status !== 200) throw new Error(`login as ${user.username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return agent;
}

/** The seed's users under the short names the suites give their agents. */
const SEED_LOGINS = {
  admin: 'bureau_admin', staff: 'bureau_staff', inspector: 'inspector', principal: 'principal', office: 'academic_office',
  counsellor: 'counsellor', head: 'head_teacher', teacher: 'teacher', principalB: 'principal_b',
} as const;

/** Logs in each named seed user (one agent each), e.g. `loginSeedUsers(app, seed.users, ['admin', 'teacher'])`. */
export async function loginSeedUsers<K extends keyof typeof SEED_LOGINS>(
  app: TestApp,
  users: Record<(typeof SEED_LOGINS)[K], { username: string; password: string }>,
  names: readonly K[],
): Promise<Record<K, Agent>> {
  const out = {} as Record<K, Agent>;
  for (const name of names) out[name] = await loginAgent(app, users[SEED_LOGINS[name]]);
  return out;
}
