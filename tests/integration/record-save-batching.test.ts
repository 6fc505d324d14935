// Record saves at the same moment share their statements (src/db/batch.ts): the session read, the
// pairing read (each caller's own scope condition) and the insert of the records with their audit
// rows. Each caller still gets their own answer: a refused save among good ones fails alone, an
// out-of-scope pairing stays unseen, a failing row in the shared insert is retried one by one, and
// every record has its own audit row(s) written by the statement that wrote it.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { one, rows } from '../../src/db/client.js';
import { auditValues } from '../../src/modules/audit/audit.repo.js';
import * as repo from '../../src/modules/pairings/pairings.repo.js';
import { describeOnBackends } from '../helpers/db.js';
import { loginSeedUsers, testApp, type Agent } from '../helpers/http.js';
import { seedCounty } from '../helpers/seed.js';
import { compileScope } from '../../src/modules/scope/scope.js';

describeOnBackends(
  'record save batching',
  (getCtx, _kind, getSeed) => {
    let as: Record<'admin' | 'office' | 'teacher' | 'head' | 'counsellor' | 'principalB', Agent>;
    /** a teacher–student pairing each for 王芳 (teacher), 李明 (head) and 陈静 (counsellor) */
    const pairing = {} as Record<'wang' | 'li' | 'chen', number>;

    beforeAll(async () => {
      const app = await testApp(getCtx());
      as = await loginSeedUsers(app, getSeed().users, ['admin', 'office', 'teacher', 'head', 'counsellor', 'principalB']);
      const s = getSeed();
      const students = s.studentsOf(s.classes.a1);
      for (const [k, t, st] of [['wang', s.teachers.wangFang, students[0]!], ['li', s.teachers.liMing, students[1]!], ['chen', s.teachers.chenJing, students[2]!]] as const) {
        const res = await as.office.post('/api/pairings', {
          programme: 'teacher_student', start: '2026-09-01', status: 'active',
          participants: [{ role: 'helper', kind: 'teacher', personId: t.id }, { role: 'helped', kind: 'student', personId: st.id }],
        });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        pairing[k] = res.body.id;
      }
    });

    const talk = (pairingId: number, extra: Record<string, unknown> = {}) => ({ pairingId, type: 'talk', date: '2026-10-12', content: '谈学习计划', fields: { topic: '期中复习' }, ...extra });
    const lastChange = async () => Number((await one<{ seq: string | null }>(getCtx().db, sql`SELECT max(seq)::text AS seq FROM activity_changes`))?.seq ?? 0);

    it('saves of different teachers at once: one insert for all, each its own record and audit rows; refused ones fail alone', async () => {
      const mark = await lastChange();
      const [wang, li, chen, wangOnLi, badField, outside, wangAgain] = await Promise.all([
        as.teacher.post('/api/activities', talk(pairing.wang, { content: '王芳的谈话' })),
        as.head.post('/api/activities', talk(pairing.li, { content: '李明的谈话' })),
        as.counsellor.post('/api/activities', talk(pairing.chen, { content: '陈静的谈话：家庭情况', confidential: true })),
        // 王芳 takes no part in 李明's pairing and does not see it
        as.teacher.post('/api/activities', talk(pairing.li)),
        as.head.post('/api/activities', talk(pairing.li, { fields: { topic: '复习', mood: '好' } })),
        // another school's principal does not see 王芳's pairing
        as.principalB.post('/api/activities', talk(pairing.wang)),
        as.teacher.post('/api/activities', talk(pairing.wang, { content: '王芳的第二次谈话', date: '2026-10-13' })),
      ]);
      for (const r of [wang, li, chen, wangAgain]) expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(wangOnLi.status).toBe(404);
      expect(badField.status).toBe(400);
      expect(badField.body.message).toMatch('未定义的字段：mood');
      expect(outside.status).toBe(404);

      const u = getSeed().users;
      expect([wang, li, chen, wangAgain].map((r) => [r.body.pairingId, r.body.recordedBy.id, r.body.content])).toEqual([
        [pairing.wang, u.teacher.id, '王芳的谈话'], [pairing.li, u.head_teacher.id, '李明的谈话'], [pairing.chen, u.counsellor.id, '陈静的谈话：家庭情况'], [pairing.wang, u.teacher.id, '王芳的第二次谈话'],
      ]);
      const ids = [wang, li, chen, wangAgain].map((r) => r.body.id as number);
      expect(new Set(ids).size).toBe(4);
      // exactly these four were written, by one statement (one transaction: one xid in the change log, one commit time)
      const saved = await rows<{ id: number; recorded_by: number; created_at: Date | string }>(getCtx().db, sql`SELECT id, recorded_by, created_at FROM activities
        WHERE pairing_id IN (${pairing.wang}, ${pairing.li}, ${pairing.chen}) ORDER BY id`);
      expect(saved.map((r) => r.id)).toEqual([...ids].sort((a, b) => a - b));
      const changes = await rows<{ xid: string }>(getCtx().db, sql`SELECT DISTINCT xid::text AS xid FROM activity_changes WHERE seq > ${mark}`);
      expect(changes).toHaveLength(1);
      expect(new Set(saved.map((r) => new Date(r.created_at).getTime())).size).toBe(1);
      // each record has its own audit row by its own author (and the confidential one the author's read of it)
      const audit = await rows<{ action: string; entity_id: string; actor_user_id: number; after: any }>(getCtx().db, sql`SELECT action, entity_id, actor_user_id, after
        FROM audit_log WHERE entity_type = 'activity' AND entity_id IN (${sql.join(ids.map((i) => sql`${String(i)}`), sql`, `)}) ORDER BY id`);
      const recorded = audit.filter((a) => a.action === 'activity.recorded');
      expect(recorded.map((a) => [Number(a.entity_id), a.actor_user_id]).sort((x, y) => x[0]! - y[0]!)).toEqual(
        [[ids[0], u.teacher.id], [ids[1], u.head_teacher.id], [ids[2], u.counsellor.id], [ids[3], u.teacher.id]].sort((x, y) => x[0]! - y[0]!),
      );
      expect(audit.filter((a) => a.action === 'activity.confidential_view').map((a) => [Number(a.entity_id), a.actor_user_id])).toEqual([[ids[2], u.counsellor.id]]);
      expect(JSON.stringify(recorded.find((a) => Number(a.entity_id) === ids[2])!.after)).not.toContain('家庭情况');
    });

    it('the shared pairing read applies the scope rule: every role reaches exactly the pairings Scope.pairings shows it', async () => {
      const db = getCtx().db;
      const s = getSeed();
      // a pairing of school B, out of school A's sight
      const b = await as.principalB.post('/api/pairings', {
        programme: 'teacher_student', start: '2026-09-01', status: 'active',
        participants: [{ role: 'helper', kind: 'teacher', personId: s.teachers.zhaoGang.id }, { role: 'helped', kind: 'student', personId: s.studentsOf(s.classes.b1)[0]!.id }],
      });
      expect(b.status, JSON.stringify(b.body)).toBe(200);
      const all = (await rows<{ id: number }>(db, sql`SELECT id FROM pairings ORDER BY id`)).map((r) => r.id);
      expect(all.length).toBeGreaterThanOrEqual(4);
      const users = Object.values(s.users).map((u) => ({ id: u.id, username: u.username, displayName: u.username, role: u.role, schoolId: u.schoolId, teacherId: u.teacherId }));
      // a teacher account not linked to a teacher sees no pairing
      users.push({ ...users.find((u) => u.role === 'teacher')!, teacherId: null });
      const seen = new Set<string>();
      for (const user of users) {
        const scope = compileScope(user);
        const expected = (await rows<{ id: number }>(db, sql`SELECT pg.id FROM pairings pg WHERE ${scope.pairings('pg')} ORDER BY pg.id`)).map((r) => r.id);
        // all of them at once, as the saves of one moment share the read
        const found = await Promise.all(all.map((id) => repo.pairingForRecord(db, id, scope.pairingViewer)));
        expect(all.filter((_, i) => found[i] !== undefined), `${user.role} ${user.username} (${scope.pairingViewer.level})`).toEqual(expected);
        seen.add(scope.pairingViewer.level);
      }
      expect([...seen].sort()).toEqual(['none', 'region', 'school', 'teacher']);
    });

    it('a row the shared insert cannot take fails alone: the others are written (one by one) with their audit rows, it has none', async () => {
      const db = getCtx().db;
      const u = getSeed().users;
      const actor = { userId: u.teacher.id, name: '王芳', ip: '127.0.0.1' };
      const next = async () => (await one<{ id: number }>(db, sql`SELECT nextval(pg_get_serial_sequence('activities', 'id'))::int AS id`))!.id;
      const item = (id: number, pairingId: number) => ({
        id, pairingId, type: 'talk', date: '2026-10-14', role: 'helper', personIds: [], content: `记录 ${id}`, fields: {}, confidential: false, recordedBy: u.teacher.id, recordedByName: '王芳',
        audit: auditValues(actor, [{ action: 'activity.recorded', entityType: 'activity', entityId: id, after: { pairingId } }]),
      });
      const [a, b, c] = [await next(), await next(), await next()];
      // b names a pairing that does not exist: the foreign key refuses the shared statement
      const out = await Promise.allSettled([repo.insertActivityAudited(db, item(a, pairing.wang)), repo.insertActivityAudited(db, item(b, 99_999_999)), repo.insertActivityAudited(db, item(c, pairing.wang))]);
      expect(out.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      const written = await rows<{ id: number }>(db, sql`SELECT id FROM activities WHERE id IN (${a}, ${b}, ${c}) ORDER BY id`);
      expect(written.map((r) => r.id)).toEqual([a, c]);
      const audited = await rows<{ entity_id: string }>(db, sql`SELECT entity_id FROM audit_log WHERE action = 'activity.recorded' AND entity_id IN (${String(a)}, ${String(b)}, ${String(c)}) ORDER BY entity_id::int`);
      expect(audited.map((r) => Number(r.entity_id))).toEqual([a, c]);
    });

    it('sessions read together: each request its own user; an ended session or a disabled account is refused at once', async () => {
      const u = getSeed().users;
      const me = await Promise.all([as.teacher.get('/api/me'), as.head.get('/api/me'), as.counsellor.get('/api/me'), as.office.get('/api/me')]);
      expect(me.map((r) => [r.status, r.body.username])).toEqual([[200, u.teacher.username], [200, u.head_teacher.username], [200, u.counsellor.username], [200, u.academic_office.username]]);
      // 李明 logs out; 陈静's account is disabled: their very next requests, beside others, are refused
      const cookieOfHead = as.head.cookie;
      expect((await as.head.post('/api/auth/logout', {})).status).toBe(200);
      as.head.cookie = cookieOfHead; // the old cookie, sent again
      const disabled = await as.admin.patch(`/api/accounts/${getSeed().users.counsellor.id}`, { disabled: true });
      expect(disabled.status, JSON.stringify(disabled.body)).toBe(200);
      const [teacher, head, counsellor, office, save] = await Promise.all([
        as.teacher.get('/api/me'), as.head.get('/api/me'), as.counsellor.get('/api/me'), as.office.get('/api/me'), as.counsellor.post('/api/activities', talk(pairing.chen)),
      ]);
      expect([teacher.status, head.status, counsellor.status, office.status, save.status]).toEqual([200, 401, 401, 200, 401]);
    });
  },
  seedCounty,
);
