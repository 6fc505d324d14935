// First run: the bureau and its administrator are created once, never twice; or the full demo,
// loaded in the background with progress, all or nothing.
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../../src/db/client.js';
import { DEMO_ACCOUNTS_FILE, DEMO_STEPS, loadFullDemo } from '../../src/modules/demo/demo.service.js';
import { demoJob, startDemoJob } from '../../src/modules/setup/demo-job.js';
import type { DemoJobView } from '../../src/modules/setup/setup.schemas.js';
import { ROLES } from '../../src/shared/roles.js';
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
    expect(res.body).toEqual({ initialized: false, bureau: null, demoLoading: false });
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
    expect(status.body).toEqual({ initialized: true, bureau: { name: body.bureauName, regionCode: body.regionCode }, demoLoading: false });

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


/** A small full demo: the tests' size (the product's default is 25,000 students). */
const DEMO_STUDENTS = 1500;

/**
 * Rows of every table but the audit log (append-only: it keeps the attempt) and activity_changes (the
 * records' change log: emptying the records writes its TRUNCATE marker, so cached standings forget them).
 */
async function tableCounts(q: Queryable): Promise<Record<string, number>> {
  const tables = await rows<{ t: string }>(q, sql`SELECT table_name AS t FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('audit_log', 'activity_changes') ORDER BY 1`);
  const out: Record<string, number> = {};
  for (const { t } of tables) out[t] = await countOf(q, sql`SELECT count(*)::int AS n FROM ${sql.identifier(t)}`);
  return out;
}

/** Polls the job until it ends, keeping every state seen. */
async function follow(get: () => Promise<DemoJobView>, timeoutMs = 280_000): Promise<{ last: DemoJobView; seen: DemoJobView[] }> {
  const seen: DemoJobView[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    seen.push(v);
    if (v.status !== 'running') return { last: v, seen };
    if (Date.now() > deadline) throw new Error(`the demo job still runs after ${timeoutMs / 1000}s: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describeOnBackends('first-run demo load', (getCtx) => {
  it('loads the full demo in the background, one job at a time, with its steps in order', { timeout: 300_000 }, async () => {
    const ctx = getCtx();
    ctx.config.demoStudents = DEMO_STUDENTS;
    const app = await testApp(ctx);
    const started = await new Agent(app).post('/api/setup/demo', {});
    expect(started.status).toBe(202);
    const jobId = started.body.jobId as string;
    expect(jobId).toMatch(/^[\w-]{20,}$/);

    const second = await new Agent(app).post('/api/setup/demo', {});
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('DEMO_RUNNING');
    expect((await new Agent(app).get('/api/setup/status')).body.demoLoading).toBe(true);
    // the job is only visible to the holder of its id (the finished job carries the logins)
    expect((await new Agent(app).get('/api/setup/demo/not-the-job')).status).toBe(404);

    const { last, seen } = await follow(async () => {
      const r = await new Agent(app).get(`/api/setup/demo/${jobId}`);
      expect(r.status).toBe(200);
      return r.body as DemoJobView;
    });
    expect(last.error).toBeNull();
    expect(last).toMatchObject({ status: 'done', step: 'finish', percent: 100 });
    // steps only go forward, and so does the percentage
    const order = seen.map((v) => DEMO_STEPS.indexOf(v.step));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const percents = seen.map((v) => v.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(new Set(seen.filter((v) => v.status === 'running').map((v) => v.step)).size).toBeGreaterThanOrEqual(2);

    // the logins are those of demo-accounts.json, and work
    const file = JSON.parse(fs.readFileSync(path.join(ctx.config.dataDir, DEMO_ACCOUNTS_FILE), 'utf8'));
    expect(last.accounts).toEqual(file);
    expect(last.accounts!.map((a) => a.role).sort()).toEqual([...ROLES].sort());
    for (const role of ['bureau_admin', 'counsellor']) {
      const a = last.accounts!.find((x) => x.role === role)!;
      expect((await new Agent(app).login(a.username, a.password)).status, role).toBe(200);
    }

    // the full demo: the county, its 7 exams, the support data
    expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM students`)).toBe(DEMO_STUDENTS);
    expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM exams WHERE status = 'analysed'`)).toBe(7);
    expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM support_cases`)).toBeGreaterThan(0);
    expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM activities`)).toBeGreaterThan(0);

    const status = await new Agent(app).get('/api/setup/status');
    expect(status.body).toMatchObject({ initialized: true, demoLoading: false });
    const again = await new Agent(app).post('/api/setup/demo', {});
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_INITIALIZED');
  });
});

describeOnBackends('first-run demo load that fails', (getCtx) => {
  it('reports the error and leaves the database as it was', { timeout: 300_000 }, async () => {
    const ctx = getCtx();
    const before = await tableCounts(ctx.db);
    // fails inside the support data's transaction, after the county and the exams have committed
    const { jobId } = await startDemoJob(ctx, (c, opts) => loadFullDemo(c, {
      ...opts,
      students: DEMO_STUDENTS,
      onProgress: (p) => {
        opts.onProgress?.(p);
        if (p.step === 'support' && p.part === 'records') throw new Error('测试：帮扶记录写入失败');
      },
    }));
    const { last, seen } = await follow(async () => demoJob(ctx, jobId)!);
    expect(seen.some((v) => v.step === 'support')).toBe(true);
    expect(last).toMatchObject({ status: 'failed', accounts: null, error: { code: 'DEMO_FAILED', message: '测试：帮扶记录写入失败' } });
    expect(await tableCounts(ctx.db)).toEqual(before);
    const app = await testApp(ctx);
    expect((await new Agent(app).get('/api/setup/status')).body).toEqual({ initialized: false, bureau: null, demoLoading: false });
    // the attempt stays in the audit log
    expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'demo.failed'`)).toBe(1);
  });
});
