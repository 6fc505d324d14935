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

  it('refuses a date that does not exist with 400, not a server error', async () => {
    for (const q of ['from=2026-02-30', 'to=2026-13-01', 'from=2026-03-01garbage']) {
      expect((await inspector.get(`/api/audit?${q}`)).status, q).toBe(400);
    }
  });
}, seedCounty);
