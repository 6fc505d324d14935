// Log-in, sessions, lockout, CSRF, the forced first password change, and the audit
// trail written in the same transaction as each change.
import crypto from 'node:crypto';
import { expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { one, rows } from '../../src/db/client.js';
import { hashPassword } from '../../src/modules/auth/password.js';
import type { AppContext } from '../../src/server/context.js';
import { dbErrorOf, describeOnBackends } from '../helpers/db.js';
import { Agent, loginAgent, testApp, type TestApp } from '../helpers/http.js';
import { countOf, seedCounty, type Seed } from '../helpers/seed.js';

const INVALID = { code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' };

/** A user of school A for tests that change or break an account, so the seeded ones stay usable. */
async function extraUser(ctx: AppContext, seed: Seed, username: string, password: string, opts: { mustChange?: boolean; disabled?: boolean } = {}) {
  const hash = await hashPassword(password);
  const r = await one<{ id: number }>(ctx.db, sql`INSERT INTO users (username, display_name, password_hash, role, school_id, must_change_password, disabled)
    VALUES (${username}, ${'测试' + username}, ${hash}, 'academic_office', ${seed.schools.a.id}, ${opts.mustChange ?? false}, ${opts.disabled ?? false}) RETURNING id`);
  return { id: r!.id, username, password };
}

const auditCount = (ctx: AppContext, action: string, userId: number) =>
  countOf(ctx.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = ${action} AND actor_user_id = ${userId}`);

describeOnBackends('authentication', (getCtx, _kind, getSeed) => {
  let app: TestApp;

  it('logs in, sets an HttpOnly SameSite=Strict session cookie, and stores only a hash of the token', async () => {
    app = await testApp(getCtx());
    const admin = getSeed().users.bureau_admin;
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: admin.username, password: admin.password }, remoteAddress: '10.200.0.1' });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'bangfu_sid');
    expect(cookie).toBeDefined();
    expect(cookie!.httpOnly).toBe(true);
    expect(cookie!.sameSite).toBe('Strict');
    expect(cookie!.path).toBe('/');
    expect(cookie!.maxAge).toBe(12 * 3600);
    expect(cookie!.secure).toBeFalsy(); // plain http in tests: BANGFU_SECURE_COOKIES is off
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);

    const sessions = await rows<{ id: string }>(getCtx().db, sql`SELECT id FROM sessions WHERE user_id = ${admin.id}`);
    expect(sessions.map((s) => s.id)).toContain(crypto.createHash('sha256').update(cookie!.value).digest('hex'));
    expect(sessions.map((s) => s.id)).not.toContain(cookie!.value);
  });

  it('accepts the username in any letter case', async () => {
    const admin = getSeed().users.bureau_admin;
    expect((await new Agent(app).login(admin.username.toUpperCase(), admin.password)).status).toBe(200);
  });

  it('answers a wrong password and an unknown user with the same status and message', async () => {
    const wrong = await new Agent(app).login(getSeed().users.principal.username, 'Wrong-pass-1');
    const unknown = await new Agent(app).login('nobody.here', 'Wrong-pass-1');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toMatchObject(INVALID);
    expect(unknown.body).toMatchObject(INVALID);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('refuses API calls without a session', async () => {
    const res = await new Agent(app).get('/api/me');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
    const forged = await new Agent(app).get('/api/me', { headers: { cookie: 'bangfu_sid=forged-token' } });
    expect(forged.status).toBe(401);
  });

  it('locks an account for a while after 5 failed log-ins, even for the right password, and audits each failure', async () => {
    const ctx = getCtx();
    const u = await extraUser(ctx, getSeed(), 'lock.me', 'Right-pass-1');
    for (let i = 0; i < 5; i++) {
      const res = await new Agent(app).login(u.username, 'Wrong-pass-1');
      expect(res.status).toBe(401);
    }
    const locked = await new Agent(app).login(u.username, u.password);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('ACCOUNT_LOCKED');
    expect(locked.body.message).toContain('锁定');
    expect(await auditCount(ctx, 'auth.login_failed', u.id)).toBe(5);
    expect(await auditCount(ctx, 'auth.login', u.id)).toBe(0);

    // once the lock has expired the right password works again and the counter resets
    await ctx.db.execute(sql`UPDATE users SET locked_until = now() - interval '1 minute' WHERE id = ${u.id}`);
    expect((await new Agent(app).login(u.username, u.password)).status).toBe(200);
    const row = await one<{ failed_logins: number; locked_until: unknown }>(ctx.db, sql`SELECT failed_logins, locked_until FROM users WHERE id = ${u.id}`);
    expect(row).toEqual({ failed_logins: 0, locked_until: null });
  });

  it('answers a username that does not exist as it answers an account: locked after 5 failures, so the lockout does not tell which names exist', async () => {
    const real = await extraUser(getCtx(), getSeed(), 'lock.real', 'Right-pass-1');
    const answers = async (username: string) => {
      const out: string[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await new Agent(app).login(username, i === 6 ? 'Right-pass-1' : 'Wrong-pass-1');
        out.push(`${res.status} ${res.body.code}: ${res.body.message}`);
      }
      return out;
    };
    const forReal = await answers(real.username);
    const forNobody = await answers('no.such.user');
    expect(forReal.slice(5)).toEqual(Array(2).fill(`429 ACCOUNT_LOCKED: ${forReal[5]!.split(': ')[1]}`));
    expect(forNobody).toEqual(forReal);
  });

  it('an unknown name\'s lock holds on every server of the database, is kept under a keyed hash only, and ignores letter case', async () => {
    const ctx = getCtx();
    // another server on the same database: its own app and context
    const other = await testApp({ ...ctx });
    for (let i = 0; i < 5; i++) expect((await new Agent(app).login('Ghost.User', 'Wrong-pass-1')).status).toBe(401);
    const there = await new Agent(other).login('ghost.user', 'Wrong-pass-1');
    expect([there.status, there.body.code]).toEqual([429, 'ACCOUNT_LOCKED']);
    const stored = await rows<Record<string, unknown>>(ctx.db, sql`SELECT * FROM unknown_login_failures`);
    expect(JSON.stringify(stored).toLowerCase()).not.toContain('ghost');
    const row = stored.find((r) => r.failures === 5);
    expect(row).toBeDefined();
    expect(new Date(row!.locked_until as string).getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    // a name idle for a day and no longer locked is forgotten at the next failure
    await ctx.db.execute(sql`UPDATE unknown_login_failures SET last_failure_at = now() - interval '25 hours', locked_until = now() - interval '1 hour'`);
    expect((await new Agent(app).login('someone.else', 'Wrong-pass-1')).status).toBe(401);
    expect(await rows(ctx.db, sql`SELECT failures FROM unknown_login_failures`)).toEqual([{ failures: 1 }]);
  });

  it('refuses a disabled account, and ends its open sessions', async () => {
    const ctx = getCtx();
    const u = await extraUser(ctx, getSeed(), 'soon.disabled', 'Right-pass-1');
    const agent = await loginAgent(app, u);
    expect((await agent.get('/api/me')).status).toBe(200);
    await ctx.db.execute(sql`UPDATE users SET disabled = true WHERE id = ${u.id}`);
    expect((await agent.get('/api/me')).status).toBe(401);
    const res = await new Agent(app).login(u.username, u.password);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('ACCOUNT_DISABLED');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('requires the CSRF token on state-changing requests', async () => {
    const agent = await loginAgent(app, getSeed().users.principal);
    const missing = await agent.post('/api/auth/logout', {}, { noCsrf: true });
    expect(missing.status).toBe(403);
    expect(missing.body.code).toBe('CSRF');
    const wrong = await agent.post('/api/auth/logout', {}, { noCsrf: true, headers: { 'x-csrf-token': 'not-the-token' } });
    expect(wrong.status).toBe(403);
    expect((await agent.get('/api/me')).status).toBe(200); // still logged in: nothing happened

    const ok = await agent.post('/api/auth/logout', {});
    expect(ok.status).toBe(200);
    expect(agent.cookie).toBeUndefined(); // the reply cleared the cookie
  });

  it('ends the session on logout: the old cookie no longer works', async () => {
    const agent = await loginAgent(app, getSeed().users.inspector);
    const cookie = agent.cookie!;
    expect((await agent.post('/api/auth/logout')).status).toBe(200);
    const replay = await new Agent(app).get('/api/me', { headers: { cookie: `bangfu_sid=${cookie}` } });
    expect(replay.status).toBe(401);
    expect(await auditCount(getCtx(), 'auth.logout', getSeed().users.inspector.id)).toBe(1);
  });

  it('throttles log-ins per client address, and a client cannot pick its address with X-Forwarded-For', async () => {
    const ctx = getCtx();
    // a name per attempt: one name alone would lock after 5 (an unknown name locks like an account)
    const attempt = (forwardedFor: string) => app.inject({
      method: 'POST', url: '/api/auth/login', payload: { username: `nobody.${forwardedFor}`, password: 'Wrong-pass-1' },
      remoteAddress: '10.201.0.1', headers: { 'x-forwarded-for': forwardedFor },
    });
    const statuses: number[] = [];
    for (let i = 1; i <= 21; i++) statuses.push((await attempt(`192.0.2.${i}`)).statusCode);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses[20]).toBe(429);
    // the audit log records the peer's address, not the one the client wrote in the header
    const u = await extraUser(ctx, getSeed(), 'spoof.ip', 'Right-pass-1');
    const ok = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: u.password }, remoteAddress: '10.201.0.3', headers: { 'x-forwarded-for': '192.0.2.99' } });
    expect(ok.statusCode).toBe(200);
    expect(await one(ctx.db, sql`SELECT ip FROM audit_log WHERE action = 'auth.login' AND actor_user_id = ${u.id}`)).toEqual({ ip: '10.201.0.3' });
  });

  it('believes X-Forwarded-For from a configured proxy (BANGFU_TRUST_PROXY)', async () => {
    const ctx = getCtx();
    const proxied = await testApp({ ...ctx, config: { ...ctx.config, trustProxy: '10.201.0.2' } });
    const u = await extraUser(ctx, getSeed(), 'behind.proxy', 'Right-pass-1');
    const res = await proxied.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: u.password }, remoteAddress: '10.201.0.2', headers: { 'x-forwarded-for': '192.0.2.77' } });
    expect(res.statusCode).toBe(200);
    expect(await one(ctx.db, sql`SELECT ip FROM audit_log WHERE action = 'auth.login' AND actor_user_id = ${u.id}`)).toEqual({ ip: '192.0.2.77' });
  });

  it('writes an audit row for every successful login', async () => {
    const before = await auditCount(getCtx(), 'auth.login', getSeed().users.counsellor.id);
    await loginAgent(app, getSeed().users.counsellor);
    expect(await auditCount(getCtx(), 'auth.login', getSeed().users.counsellor.id)).toBe(before + 1);
  });
}, seedCounty);

describeOnBackends('forced password change', (getCtx, _kind, getSeed) => {
  let app: TestApp;
  let user: { id: number; username: string; password: string };
  let agent: Agent;
  let otherTab: Agent;

  it('lets a user with a pending change reach only /api/me and the password form', async () => {
    app = await testApp(getCtx());
    user = await extraUser(getCtx(), getSeed(), 'new.teacher', 'Initial-pass-1', { mustChange: true });
    agent = await loginAgent(app, user);
    otherTab = await loginAgent(app, user);

    const me = await agent.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.mustChangePassword).toBe(true);

    const schools = await agent.get('/api/schools');
    expect(schools.status).toBe(403);
    expect(schools.body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(schools.body.message).toBe('首次登录须先修改密码');
  });

  it('refuses a wrong current password, a weak one, and the same one', async () => {
    const wrong = await agent.post('/api/auth/password', { currentPassword: 'Nope-pass-1', newPassword: 'Brand-new-2026' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('WRONG_PASSWORD');
    const weak = await agent.post('/api/auth/password', { currentPassword: user.password, newPassword: '12345678' });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('WEAK_PASSWORD');
    const withName = await agent.post('/api/auth/password', { currentPassword: user.password, newPassword: 'x1new.teacher' });
    expect(withName.body.message).toBe('密码不能包含用户名');
    const same = await agent.post('/api/auth/password', { currentPassword: user.password, newPassword: user.password });
    expect(same.status).toBe(400);
    expect(same.body.code).toBe('SAME_PASSWORD');
    const flag = await one<{ must_change_password: boolean }>(getCtx().db, sql`SELECT must_change_password FROM users WHERE id = ${user.id}`);
    expect(flag!.must_change_password).toBe(true);
  });

  it('requires the CSRF token to change the password', async () => {
    const res = await agent.post('/api/auth/password', { currentPassword: user.password, newPassword: 'Brand-new-2026' }, { noCsrf: true });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('CSRF');
  });

  it('changes the password: the flag is cleared, other sessions end, the change is audited', async () => {
    const res = await agent.post('/api/auth/password', { currentPassword: user.password, newPassword: 'Brand-new-2026' });
    expect(res.status).toBe(200);

    const flag = await one<{ must_change_password: boolean }>(getCtx().db, sql`SELECT must_change_password FROM users WHERE id = ${user.id}`);
    expect(flag!.must_change_password).toBe(false);
    expect((await agent.get('/api/me')).body.mustChangePassword).toBe(false);
    expect((await agent.get('/api/schools')).status).toBe(200);

    expect((await otherTab.get('/api/me')).status).toBe(401);
    expect(await auditCount(getCtx(), 'auth.password_changed', user.id)).toBe(1);

    expect((await new Agent(app).login(user.username, user.password)).status).toBe(401);
    expect((await new Agent(app).login(user.username, 'Brand-new-2026')).status).toBe(200);
    user.password = 'Brand-new-2026';
  });
}, seedCounty);

describeOnBackends('audit rows share the transaction of the change', (getCtx, _kind, getSeed) => {
  let app: TestApp;

  /** Makes every INSERT of `action` into audit_log fail, so the surrounding transaction must roll back. */
  async function breakAuditFor(action: string) {
    await getCtx().db.execute(sql.raw(`CREATE OR REPLACE FUNCTION test_break_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.action = '${action}' THEN RAISE EXCEPTION 'audit write failed (test)'; END IF; RETURN NEW; END; $$`));
    await getCtx().db.execute(sql`CREATE TRIGGER test_break_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION test_break_audit()`);
  }
  async function repairAudit() {
    await getCtx().db.execute(sql`DROP TRIGGER IF EXISTS test_break_audit ON audit_log`);
  }

  it('a login whose audit row cannot be written creates no session', async () => {
    app = await testApp(getCtx());
    const u = getSeed().users.bureau_staff;
    await breakAuditFor('auth.login');
    try {
      const res = await new Agent(app).login(u.username, u.password);
      expect(res.status).toBe(500);
      expect(await countOf(getCtx().db, sql`SELECT count(*)::int AS n FROM sessions WHERE user_id = ${u.id}`)).toBe(0);
      const row = await one<{ last_login_at: unknown }>(getCtx().db, sql`SELECT last_login_at FROM users WHERE id = ${u.id}`);
      expect(row!.last_login_at).toBeNull();
    } finally {
      await repairAudit();
    }
    expect((await new Agent(app).login(u.username, u.password)).status).toBe(200);
  });

  it('a password change whose audit row cannot be written leaves the password as it was', async () => {
    const u = await extraUser(getCtx(), getSeed(), 'atomic.user', 'Before-pass-1', { mustChange: true });
    const agent = await loginAgent(app, u);
    const hashBefore = await one<{ password_hash: string }>(getCtx().db, sql`SELECT password_hash FROM users WHERE id = ${u.id}`);
    await breakAuditFor('auth.password_changed');
    try {
      const res = await agent.post('/api/auth/password', { currentPassword: u.password, newPassword: 'After-pass-2' });
      expect(res.status).toBe(500);
    } finally {
      await repairAudit();
    }
    const after = await one<{ password_hash: string; must_change_password: boolean }>(getCtx().db, sql`SELECT password_hash, must_change_password FROM users WHERE id = ${u.id}`);
    expect(after!.password_hash).toBe(hashBefore!.password_hash);
    expect(after!.must_change_password).toBe(true);
    expect((await new Agent(app).login(u.username, u.password)).status).toBe(200);
  });

  it('the audit log refuses UPDATE, DELETE and TRUNCATE', async () => {
    const db = getCtx().db;
    const n = await countOf(db, sql`SELECT count(*)::int AS n FROM audit_log`);
    expect(n).toBeGreaterThan(0);
    expect(await dbErrorOf(db.execute(sql`UPDATE audit_log SET actor_name = 'someone else'`))).toMatch(/audit_log is append-only \(UPDATE refused\)/);
    expect(await dbErrorOf(db.execute(sql`DELETE FROM audit_log`))).toMatch(/audit_log is append-only \(DELETE refused\)/);
    expect(await dbErrorOf(db.execute(sql`TRUNCATE audit_log`))).toMatch(/audit_log is append-only \(TRUNCATE refused\)/);
    expect(await countOf(db, sql`SELECT count(*)::int AS n FROM audit_log`)).toBe(n);
    expect(await countOf(db, sql`SELECT count(*)::int AS n FROM audit_log WHERE actor_name = 'someone else'`)).toBe(0);
  });
}, seedCounty);
