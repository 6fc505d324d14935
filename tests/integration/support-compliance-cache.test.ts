// The compliance report's fast path — counted records kept in memory per pairing, re-read only for
// the pairings activity_changes logs (migration 0014), and standings reused while their inputs are
// unchanged — gives the same rows as the engine run anew on the raw records (`fresh`), after records
// are inserted (API and bulk SQL), returned, resubmitted, re-dated and deleted, on PGlite and PostgreSQL.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { one } from '../../src/db/client.js';
import { compileScope } from '../../src/modules/scope/scope.js';
import { compliance } from '../../src/modules/support/support-report.service.js';
import type { Caller } from '../../src/server/http.js';
import { describeOnBackends } from '../helpers/db.js';
import { loginAgent, testApp, type Agent } from '../helpers/http.js';
import { seedCounty } from '../helpers/seed.js';

const PERIOD = '2026-2027-1';

describeOnBackends(
  'compliance: kept records and standings equal the engine on the raw records',
  (getCtx, _kind, getSeed) => {
    const as = {} as Record<'admin' | 'office' | 'teacher' | 'head', Agent>;
    let bureau: Caller;
    const pairings: number[] = [];

    beforeAll(async () => {
      const app = await testApp(getCtx());
      const s = getSeed();
      as.admin = await loginAgent(app, s.users.bureau_admin);
      as.office = await loginAgent(app, s.users.academic_office);
      as.teacher = await loginAgent(app, s.users.teacher);
      as.head = await loginAgent(app, s.users.head_teacher);
      const u = s.users.bureau_admin;
      const user = { id: u.id, username: u.username, displayName: '局管理员', role: u.role, schoolId: null, teacherId: null };
      bureau = { user: { ...user, mustChangePassword: false, csrfToken: '', sessionId: '', locale: 'zh-CN' }, scope: compileScope(user), actor: { userId: u.id, name: '局管理员' } } as unknown as Caller;
      const students = s.studentsOf(s.classes.a1);
      for (const [teacher, student] of [[s.teachers.wangFang, students[0]!], [s.teachers.liMing, students[1]!]] as const) {
        const res = await as.office.post('/api/pairings', {
          programme: 'teacher_student', start: '2026-09-01', status: 'active',
          participants: [{ role: 'helper', kind: 'teacher', personId: teacher.id }, { role: 'helped', kind: 'student', personId: student.id }],
        });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        pairings.push(res.body.id);
      }
    });

    /** The API (kept records, kept standings) equals the engine run anew; returns the teacher's row for a rule. */
    async function same(teacherId: number, rule: string) {
      const api = await as.admin.get(`/api/support/compliance?period=${PERIOD}`);
      expect(api.status, JSON.stringify(api.body)).toBe(200);
      const fresh = await compliance(getCtx(), bureau, { period: PERIOD, fresh: true });
      expect(api.body.rows).toEqual(fresh.rows);
      expect(api.body.asOf).toBe(fresh.asOf);
      return api.body.rows.find((r: any) => r.teacher === String(teacherId) && r.rule === rule);
    }
    const talk = (date: string) => ({ pairingId: pairings[0], type: 'talk', date, content: '谈心', fields: { topic: '学习' } });

    it('follows inserts, returns, resubmissions, re-dating, bulk inserts and deletes', async () => {
      const wang = getSeed().teachers.wangFang.id;
      const li = getSeed().teachers.liMing.id;
      expect(await same(wang, 'ts.talk.semester')).toMatchObject({ done: 0 });

      // two talks through the API: the kept records of that pairing are re-read
      const t1 = await as.teacher.post('/api/activities', talk('2026-10-12'));
      expect(t1.status, JSON.stringify(t1.body)).toBe(200);
      const t2 = await as.teacher.post('/api/activities', talk('2026-10-13'));
      expect(t2.status).toBe(200);
      expect(await same(wang, 'ts.talk.semester')).toMatchObject({ done: 2 });

      // 教导处 returns one: it no longer counts
      const back = await as.office.post(`/api/activities/${t1.body.id}/review`, { verdict: 'returned', comment: '请写清谈话内容' });
      expect(back.status, JSON.stringify(back.body)).toBe(200);
      expect(await same(wang, 'ts.talk.semester')).toMatchObject({ done: 1 });

      // resubmitted on another day: counts again, in another fortnight
      const again = await as.teacher.put(`/api/activities/${t1.body.id}`, { date: '2026-10-26', content: '谈心：学习计划' });
      expect(again.status, JSON.stringify(again.body)).toBe(200);
      expect(await same(wang, 'ts.talk.semester')).toMatchObject({ done: 2 });

      // a bulk insert in SQL, as the demo loader writes (no service involved): logged by the trigger
      await getCtx().db.execute(sql`INSERT INTO activities (pairing_id, type, date, role, person_ids, recorded_by_name)
        SELECT ${pairings[1]}, 'talk', d::date, 'helper', '{}', '李明' FROM generate_series('2026-09-07'::date, '2026-11-30'::date, '7 days') d`);
      expect(await same(li, 'ts.talk.semester')).toMatchObject({ done: 10 });

      // deletes (no API deletes records; the log still sees them)
      await getCtx().db.execute(sql`DELETE FROM activities WHERE pairing_id = ${pairings[1]} AND date > '2026-11-01'`);
      await getCtx().db.execute(sql`DELETE FROM activities WHERE id = ${t2.body.id}`);
      expect(await same(li, 'ts.talk.semester')).toMatchObject({ done: 8 });
      expect(await same(wang, 'ts.talk.semester')).toMatchObject({ done: 1 });
      const logged = await one<{ n: number }>(getCtx().db, sql`SELECT count(DISTINCT pairing_id)::int AS n FROM activity_changes WHERE pairing_id = ANY(${`{${pairings.join(',')}}`}::int[])`);
      expect(logged!.n).toBe(2);
    });

    it('a pairing that ends is evaluated up to its end, its kept records unchanged', async () => {
      const ended = await as.office.post(`/api/pairings/${pairings[1]}/transition`, { to: 'completed', date: '2026-10-20' });
      expect(ended.status, JSON.stringify(ended.body)).toBe(200);
      const row = await same(getSeed().teachers.liMing.id, 'ts.talk.semester');
      expect(row.done).toBeLessThan(8); // the records after 10-20 no longer count, and the semester's requirement is pro-rated
    });
  },
  seedCounty,
);
