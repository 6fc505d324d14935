// Inspectors (and administrators) search the audit log: by action, actor, object and date.
// Dates are China calendar days (Asia/Shanghai), whatever the database session's time zone.
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeOnBackends } from '../helpers/db.js';
import { loginAgent, testApp, type Agent } from '../helpers/http.js';
import { seedCounty } from '../helpers/seed.js';

describeOnBackends('audit log search', (getCtx, _kind, getSeed) => {
  let inspector: Agent;

  beforeAll(async () => {
    const ctx = getCtx();
    // 2026-03-01 23:30 UTC is 2026-03-02 07:30 in China; 2026-03-02 16:30 UTC is 2026-03-03 00:30 in China
    await ctx.db.execute(sql`INSERT INTO audit_log (at, actor_name, action, entity_type, entity_id)
      VALUES ('2026-03-01T23:30:00Z', '早班审计员', 'test.tz', 'student', '9001'),
             ('2026-03-02T16:30:00Z', '夜班审计员', 'test.tz', 'school', '9002')`);
    inspector = await loginAgent(await testApp(ctx), getSeed().users.inspector);
  });

  const ids = async (query: string) => {
    const res = await inspector.get(`/api/audit?action=test.&pageSize=200&${query}`);
    expect(res.status, query).toBe(200);
    return (res.body.items as { entityId: string }[]).map((i) => i.entityId).sort();
  };

  it('filters by action prefix, actor, object type and id', async () => {
    expect(await ids('')).toEqual(['9001', '9002']);
    expect(await ids(`actor=${encodeURIComponent('夜班')}`)).toEqual(['9002']);
    expect(await ids('entityType=student')).toEqual(['9001']);
    expect(await ids('entityType=school&entityId=9002')).toEqual(['9002']);
  });

  it('reads from and to as China calendar days', async () => {
    expect(await ids('from=2026-03-02&to=2026-03-02')).toEqual(['9001']);
    expect(await ids('from=2026-03-01&to=2026-03-01')).toEqual([]);
    expect(await ids('from=2026-03-03')).toEqual(['9002']);
    expect(await ids('to=2026-03-02')).toEqual(['9001']);
  });

  it('lists newest first by time, also when a row was written later with an earlier time (the demo dates its records)', async () => {
    const ctx = getCtx();
    // inserted in this order, so ids run the other way from the times
    await ctx.db.execute(sql`INSERT INTO audit_log (at, actor_name, action, entity_type, entity_id)
      VALUES ('2026-05-03T02:00:00Z', '审计员', 'test.order', 'student', 'o3')`);
    await ctx.db.execute(sql`INSERT INTO audit_log (at, actor_name, action, entity_type, entity_id)
      VALUES ('2026-05-01T02:00:00Z', '审计员', 'test.order', 'student', 'o1'), ('2026-05-02T02:00:00Z', '审计员', 'test.order', 'student', 'o2a')`);
    await ctx.db.execute(sql`INSERT INTO audit_log (at, actor_name, action, entity_type, entity_id)
      VALUES ('2026-05-02T02:00:00Z', '审计员', 'test.order', 'student', 'o2b')`);
    const res = await inspector.get('/api/audit?action=test.order&pageSize=200');
    expect(res.status).toBe(200);
    const items = res.body.items as { entityId: string; at: string }[];
    // same time: the later row first
    expect(items.map((i) => i.entityId)).toEqual(['o3', 'o2b', 'o2a', 'o1']);
    expect(items.map((i) => i.at)).toEqual([...items.map((i) => i.at)].sort().reverse());
    // pages follow the same order
    const page2 = await inspector.get('/api/audit?action=test.order&pageSize=2&page=2');
    expect(page2.body.total).toBe(4);
    expect((page2.body.items as { entityId: string }[]).map((i) => i.entityId)).toEqual(['o2a', 'o1']);
    // the whole log too (real rows of the seed and the logins included)
    const all = (await inspector.get('/api/audit?pageSize=200')).body.items as { at: string }[];
    expect(all.length).toBeGreaterThan(4);
    const times = all.map((i) => Date.parse(i.at));
    expect(times).toEqual([...times].sort((x, y) => y - x));
  });

  it('matches a whole action code exactly and anything else as a prefix', async () => {
    const ctx = getCtx();
    await ctx.db.execute(sql`INSERT INTO audit_log (at, actor_name, action, entity_type, entity_id)
      VALUES ('2020-01-01T02:00:00Z', '审计员', 'auth.login', 'user', 'x1'), ('2020-01-01T03:00:00Z', '审计员', 'auth.login_failed', 'user', 'x2'),
             ('2020-01-01T04:00:00Z', '审计员', 'support.psych_view', 'support_case', 'x3')`);
    const day = 'from=2020-01-01&to=2020-01-01&pageSize=200';
    const got = async (action: string) => ((await inspector.get(`/api/audit?action=${action}&${day}`)).body.items as { entityId: string }[]).map((i) => i.entityId);
    expect(await got('auth.login')).toEqual(['x1']);
    expect(await got('auth.login_failed')).toEqual(['x2']);
    expect(await got('auth.')).toEqual(['x2', 'x1']);
    expect(await got('support.psych_view')).toEqual(['x3']);
    expect(await got('support.')).toEqual(['x3']);
  });

  it('refuses a date that does not exist with 400, not a server error', async () => {
    for (const q of ['from=2026-02-30', 'to=2026-13-01', 'from=2026-03-01garbage']) {
      expect((await inspector.get(`/api/audit?${q}`)).status, q).toBe(400);
    }
  });
}, seedCounty);
