// First run: the bureau and its administrator are created once, never twice.
import { expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/client.js';
import { describeOnBackends } from '../helpers/db.js';
import { Agent, testApp, type TestApp } from '../helpers/http.js';
import { countOf } from '../helpers/seed.js';

const body = {
  bureauName: '测试县教育体育局',
  regionCode: '360428',
  adminUsername: 'admin',
  adminDisplayName: '系统管理员',
  adminPassword: 'Bureau-2026-ok',
};

describeOnBackends('first-run setup', (getCtx) => {
  let app: TestApp;
  const anon = () => new Agent(app);

  it('reports an empty system as not initialized', async () => {
    app = await testApp(getCtx());
    const res = await anon().get('/api/setup/status');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ initialized: false, bureau: null });
  });

  it('refuses a weak administrator password and a malformed region code, creating nothing', async () => {
    const weak = await anon().post('/api/setup', { ...body, adminPassword: 'abcdefgh' });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('WEAK_PASSWORD');
    expect(weak.body.message).toBe('密码须同时包含字母和数字');

    const region = await anon().post('/api/setup', { ...body, regionCode: '36042' });
    expect(region.status).toBe(400);
    expect(region.body.code).toBe('VALIDATION');
    expect(region.body.message).toContain('行政区划代码应为 6 位数字');

    expect(await countOf(getCtx().db, sql`SELECT count(*)::int AS n FROM bureau`)).toBe(0);
    expect(await countOf(getCtx().db, sql`SELECT count(*)::int AS n FROM users`)).toBe(0);
  });

  it('creates the bureau and an administrator who can log in at once', async () => {
    const res = await anon().post('/api/setup', body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });

    const status = await anon().get('/api/setup/status');
    expect(status.body).toEqual({ initialized: true, bureau: { name: body.bureauName, regionCode: body.regionCode } });

    const [admin] = await rows<{ role: string; must_change_password: boolean; password_hash: string }>(
      getCtx().db,
      sql`SELECT role, must_change_password, password_hash FROM users WHERE username = 'admin'`,
    );
    expect(admin).toMatchObject({ role: 'bureau_admin', must_change_password: false });
    expect(admin!.password_hash).not.toContain(body.adminPassword);

    const agent = new Agent(app);
    expect((await agent.login('admin', body.adminPassword)).status).toBe(200);
    const me = await agent.get('/api/me');
    expect(me.body).toMatchObject({ username: 'admin', role: 'bureau_admin', scopeLevel: 'region', mustChangePassword: false });
  });

  it('writes the audit trail of the first run', async () => {
    const audit = await rows<{ action: string; actor_name: string }>(
      getCtx().db,
      sql`SELECT action, actor_name FROM audit_log WHERE action IN ('setup.bureau_created', 'account.created') ORDER BY id`,
    );
    expect(audit).toEqual([
      { action: 'setup.bureau_created', actor_name: '系统管理员' },
      { action: 'account.created', actor_name: '系统管理员' },
    ]);
  });

  it('refuses a second first run, and the demo loader, once initialized', async () => {
    const again = await anon().post('/api/setup', { ...body, adminUsername: 'intruder' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_INITIALIZED');
    const demo = await anon().post('/api/setup/demo', {});
    expect(demo.status).toBe(409);
    expect(await countOf(getCtx().db, sql`SELECT count(*)::int AS n FROM bureau`)).toBe(1);
    expect(await countOf(getCtx().db, sql`SELECT count(*)::int AS n FROM users`)).toBe(1);
  });
});

describeOnBackends('first-run setup under concurrent submissions', (getCtx) => {
  it('lets exactly one of two simultaneous first runs win', async () => {
    const app = await testApp(getCtx());
    const [r1, r2] = await Promise.all([
      new Agent(app).post('/api/setup', { ...body, adminUsername: 'first' }),
      new Agent(app).post('/api/setup', { ...body, adminUsername: 'second' }),
    ]);
    expect([r1.status, r2.status].sort()).toEqual([200, 409]);
    expect(await countOf(getCtx().db, sql`SELECT count(*)::int AS n FROM bureau`)).toBe(1);
    expect(await countOf(getCtx().db, sql`SELECT count(*)::int AS n FROM users`)).toBe(1);
  });
});

