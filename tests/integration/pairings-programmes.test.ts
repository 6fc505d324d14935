// Migration 0006 seeds the default programmes exactly as DEFAULT_PROGRAMMES defines them
// (the engine's DEFAULT_QUOTAS included), and keeps status history and checks append-only.
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { DEFAULT_PROGRAMMES } from '../../src/modules/pairings/programmes.js';
import { dbErrorOf, describeOnBackends } from '../helpers/db.js';

describeOnBackends('pairings: seeded programmes and append-only history', (getCtx) => {
  it('a fresh database holds the default programmes, equal to DEFAULT_PROGRAMMES', async () => {
    const stored = await rows<Record<string, unknown>>(getCtx().db, sql`
      SELECT key, name, description, roles, activity_types AS "activityTypes", quotas, active, builtin FROM programmes ORDER BY id`);
    expect(stored.map((p) => p.key)).toEqual(DEFAULT_PROGRAMMES.map((p) => p.key));
    for (const [i, def] of DEFAULT_PROGRAMMES.entries()) {
      expect(stored[i]).toEqual({ ...def, description: def.description ?? null, builtin: true });
    }
  });

  it('refuses to update or delete status history and checks', async () => {
    const db = getCtx().db;
    await db.execute(sql`INSERT INTO pairings (programme_id, status, start_date) SELECT id, 'proposed', '2026-09-01' FROM programmes WHERE key = 'peer'`);
    await db.execute(sql`INSERT INTO pairing_status_history (pairing_id, to_status, actor_name) SELECT max(id), 'proposed', 't' FROM pairings`);
    expect(await dbErrorOf(db.execute(sql`UPDATE pairing_status_history SET reason = 'x'`))).toMatch(/pairing_status_history is append-only \(UPDATE refused\)/);
    expect(await dbErrorOf(db.execute(sql`DELETE FROM pairing_status_history`))).toMatch(/append-only \(DELETE refused\)/);
    await db.execute(sql`INSERT INTO activities (pairing_id, type, date, role, recorded_by_name) SELECT max(id), 'peer_tutoring', '2026-09-02', 'helper', 't' FROM pairings`);
    await db.execute(sql`INSERT INTO activity_checks (activity_id, revision, reviewer_name, verdict) SELECT max(id), 1, 't', 'accepted' FROM activities`);
    expect(await dbErrorOf(db.execute(sql`UPDATE activity_checks SET verdict = 'returned'`))).toMatch(/activity_checks is append-only \(UPDATE refused\)/);
    expect(await dbErrorOf(db.execute(sql`DELETE FROM activity_checks`))).toMatch(/activity_checks is append-only \(DELETE refused\)/);
  });
});
