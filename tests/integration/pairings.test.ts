// Pairings stored and served: create with the programme's role rules and the caller's scope,
// transitions kept in an append-only history, participant changes that keep history, scope
// (teachers, schools, the bureau), and audit rows that share the change's transaction.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { one, rows } from '../../src/db/client.js';
import { hashPassword } from '../../src/modules/auth/password.js';
import { describeOnBackends, type TestContext } from '../helpers/db.js';
import { loginAgent, testApp, type Agent, type TestApp, loginSeedUsers } from '../helpers/http.js';
import { countOf, SEED_PASSWORD, seedCounty, type Seed } from '../helpers/seed.js';

/** A teacher login at school B (赵刚), which the seed does not create. */
async function teacherB(ctx: TestContext, seed: Seed) {
  const hash = await hashPassword(SEED_PASSWORD);
  const r = await one<{ id: number }>(ctx.db, sql`INSERT INTO users (username, display_name, password_hash, role, school_id, teacher_id, must_change_password)
    VALUES ('teacher.b', '赵刚', ${hash}, 'teacher', ${seed.schools.b.id}, ${seed.teachers.zhaoGang.id}, false) RETURNING id`);
  return { id: r!.id, username: 'teacher.b', password: SEED_PASSWORD };
}

const ts = (teacherId: number, studentId: number, extra: Record<string, unknown> = {}) => ({
  programme: 'teacher_student',
  start: '2026-09-01',
  participants: [
    { role: 'helper', kind: 'teacher', personId: teacherId },
    { role: 'helped', kind: 'student', personId: studentId },
  ],
  ...extra,
});

describeOnBackends(
  'pairings API',
  (getCtx, _kind, getSeed) => {
    let app: TestApp;
    const as = {} as Record<'admin' | 'staff' | 'inspector' | 'principal' | 'office' | 'counsellor' | 'head' | 'teacher' | 'principalB' | 'teacherB', Agent>;

    beforeAll(async () => {
      app = await testApp(getCtx());
      const u = getSeed().users;
      Object.assign(as, await loginSeedUsers(app, u, ['admin', 'staff', 'inspector', 'principal', 'office', 'counsellor', 'head', 'teacher', 'principalB']));
      as.teacherB = await loginAgent(app, await teacherB(getCtx(), getSeed()));
    });

    const studentIn = (cls: 'a1' | 'a2' | 'b1', i = 0) => getSeed().studentsOf(getSeed().classes[cls])[i]!;
    const create = async (agent: Agent, body: unknown) => {
      const res = await agent.post('/api/pairings', body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };

    describe('creating a pairing', () => {
      it('a school creates a proposed teacher–student pairing: participants with names and units, one history row, one audit row', async () => {
        const s = getSeed();
        const st = studentIn('a1');
        const auditBefore = await countOf(getCtx().db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'pairing.created'`);
        const p = await create(as.office, ts(s.teachers.wangFang.id, st.id, { plan: '每两周谈心一次，每月学法指导' }));
        expect(p).toMatchObject({ status: 'proposed', statusLabel: '拟结对', start: '2026-09-01', end: null, schoolId: s.schools.a.id, plan: '每两周谈心一次，每月学法指导' });
        expect(p.programme).toEqual({ key: 'teacher_student', name: '师生结对帮扶' });
        expect(p.participants.map((x: any) => [x.role, x.roleLabel, x.side, x.ref, x.name, x.schoolId])).toEqual([
          ['helper', '帮扶教师', 'helper', `teacher:${s.teachers.wangFang.id}`, '王芳', s.schools.a.id],
          ['helped', '帮扶学生', 'helped', `student:${st.id}`, st.name, s.schools.a.id],
        ]);
        expect(p.history).toEqual([expect.objectContaining({ from: null, to: 'proposed', effectiveDate: '2026-09-01', actorName: '城关一小教导处' })]);
        expect(p.canManage).toBe(true);
        const audit = await rows<{ entity_id: string; school_id: number; after: any }>(getCtx().db, sql`SELECT entity_id, school_id, after FROM audit_log WHERE action = 'pairing.created' ORDER BY id DESC LIMIT 1`);
        expect(await countOf(getCtx().db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'pairing.created'`)).toBe(auditBefore + 1);
        expect(audit[0]).toMatchObject({ entity_id: String(p.id), school_id: s.schools.a.id, after: { programme: 'teacher_student', status: 'proposed' } });
      });

      it("refuses participants that break the programme's role rules", async () => {
        const s = getSeed();
        const two = await as.office.post('/api/pairings', {
          ...ts(s.teachers.wangFang.id, studentIn('a1').id),
          participants: [
            { role: 'helper', kind: 'teacher', personId: s.teachers.wangFang.id },
            { role: 'helped', kind: 'student', personId: studentIn('a1').id },
            { role: 'helped', kind: 'student', personId: studentIn('a1', 1).id },
          ],
        });
        expect(two.status).toBe(400);
        expect(two.body.message).toContain('“帮扶学生”至多1个，现有2个');
        const wrongKind = await as.office.post('/api/pairings', { ...ts(0, 0), participants: [
          { role: 'helper', kind: 'student', personId: studentIn('a1').id },
          { role: 'helped', kind: 'student', personId: studentIn('a1', 1).id },
        ] });
        expect(wrongKind.status).toBe(400);
        expect(wrongKind.body.message).toContain('“帮扶教师”应为教师');
        const missing = await as.office.post('/api/pairings', { ...ts(s.teachers.wangFang.id, 0), participants: [{ role: 'helper', kind: 'teacher', personId: s.teachers.wangFang.id }, { role: 'tutor', kind: 'teacher', personId: s.teachers.liMing.id }] });
        expect(missing.status).toBe(400);
        expect(missing.body.message).toMatch(/本项目没有角色“tutor”.*“帮扶学生”至少1个，现有0个/);
        const unknown = await as.office.post('/api/pairings', { ...ts(s.teachers.wangFang.id, studentIn('a1').id), programme: 'no_such' });
        expect(unknown.status).toBe(400);
        const badEnd = await as.office.post('/api/pairings', ts(s.teachers.wangFang.id, studentIn('a1').id, { end: '2026-08-01' }));
        expect(badEnd.status).toBe(400);
        expect(badEnd.body.message).toBe('计划结束日期早于开始日期');
      });

      it("refuses participants outside the caller's scope, and callers who may not manage pairings", async () => {
        const s = getSeed();
        const other = await as.office.post('/api/pairings', ts(s.teachers.wangFang.id, studentIn('b1').id));
        expect(other.status).toBe(400);
        expect(other.body.message).toBe(`参与方不存在或不在您的管理范围内：学生 ${studentIn('b1').id}`);
        const nobody = await as.office.post('/api/pairings', ts(999_999, studentIn('a1').id));
        expect(nobody.body.message).toBe('参与方不存在或不在您的管理范围内：教师 999999');
        for (const agent of [as.teacher, as.head, as.counsellor, as.inspector]) {
          expect((await agent.post('/api/pairings', ts(s.teachers.wangFang.id, studentIn('a1').id))).status).toBe(403);
        }
        expect(await countOf(getCtx().db, sql`SELECT count(*)::int AS n FROM pairings WHERE school_id = ${s.schools.b.id}`)).toBe(0);
      });
    });

    describe('transitions and history', () => {
      it('proposed → active → completed, each transition kept with who, when, why; finished pairings do not move again', async () => {
        const s = getSeed();
        const p = await create(as.principal, ts(s.teachers.liMing.id, studentIn('a1', 1).id, { start: '2026-09-07' }));
        const active = await as.office.post(`/api/pairings/${p.id}/transition`, { to: 'active', date: '2026-09-14', reason: '家长已同意' });
        expect(active.status).toBe(200);
        expect(active.body).toMatchObject({ status: 'active', start: '2026-09-14' });
        // participants start with the pairing
        expect(active.body.participants.map((x: any) => x.from)).toEqual(['2026-09-14', '2026-09-14']);
        const back = await as.office.post(`/api/pairings/${p.id}/transition`, { to: 'proposed' });
        expect(back.status).toBe(400); // not a transition the API offers at all
        const early = await as.office.post(`/api/pairings/${p.id}/transition`, { to: 'completed', date: '2026-09-13' });
        expect(early.status).toBe(400);
        expect(early.body.message).toBe('结束日期不能早于开始日期（2026-09-14）');
        const future = await as.office.post(`/api/pairings/${p.id}/transition`, { to: 'completed', date: '2099-01-01' });
        expect(future.status).toBe(400);
        const done = await as.office.post(`/api/pairings/${p.id}/transition`, { to: 'completed', date: '2026-11-30', reason: '学生进步明显' });
        expect(done.body).toMatchObject({ status: 'completed', end: '2026-11-30' });
        const again = await as.office.post(`/api/pairings/${p.id}/transition`, { to: 'cancelled', reason: '误操作' });
        expect(again.status).toBe(409);
        expect(again.body).toMatchObject({ code: 'INVALID_TRANSITION', message: '结对已结束，不能改为已解除' });
        const edit = await as.office.patch(`/api/pairings/${p.id}`, { plan: '改写历史' });
        expect(edit.status).toBe(409);
        const detail = await as.principal.get(`/api/pairings/${p.id}`);
        expect(detail.body.history.map((h: any) => [h.from, h.to, h.effectiveDate, h.reason, h.actorName])).toEqual([
          [null, 'proposed', '2026-09-07', null, '城关一小校长'],
          ['proposed', 'active', '2026-09-14', '家长已同意', '城关一小教导处'],
          ['active', 'completed', '2026-11-30', '学生进步明显', '城关一小教导处'],
        ]);
        expect(await countOf(getCtx().db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'pairing.transitioned' AND entity_id = ${String(p.id)}`)).toBe(2);
      });

      it('cancelling needs a reason; a proposed pairing cancelled never had an end; activation needs every role filled', async () => {
        const s = getSeed();
        const p = await create(as.office, ts(s.teachers.wangFang.id, studentIn('a2').id));
        expect((await as.office.post(`/api/pairings/${p.id}/transition`, { to: 'cancelled' })).status).toBe(400);
        const c = await as.office.post(`/api/pairings/${p.id}/transition`, { to: 'cancelled', reason: '学生转学' });
        expect(c.body).toMatchObject({ status: 'cancelled', end: null });
        expect(c.body.history.at(-1)).toMatchObject({ from: 'proposed', to: 'cancelled', effectiveDate: null, reason: '学生转学' });
        const q = await create(as.office, ts(s.teachers.wangFang.id, studentIn('a2', 1).id));
        const helper = q.participants.find((x: any) => x.role === 'helper');
        expect((await as.office.post(`/api/pairings/${q.id}/participants/${helper.id}/end`, { to: '2026-09-01', reason: '王老师调岗' })).status).toBe(200);
        const act = await as.office.post(`/api/pairings/${q.id}/transition`, { to: 'active' });
        expect(act.status).toBe(400);
        expect(act.body.message).toBe('参与方不齐，不能开始：“帮扶教师”至少1个，现有0个');
      });

      it('a helper is replaced: the old row ends with its reason, the new one starts, both stay in the history', async () => {
        const s = getSeed();
        const st = studentIn('a1', 2);
        const p = await create(as.office, ts(s.teachers.wangFang.id, st.id, { status: 'active' }));
        const old = p.participants.find((x: any) => x.role === 'helper');
        const tooMany = await as.office.post(`/api/pairings/${p.id}/participants`, { role: 'helper', kind: 'teacher', personId: s.teachers.liMing.id });
        expect(tooMany.status).toBe(400);
        expect(tooMany.body.message).toContain('“帮扶教师”至多1个，现有2个');
        const ended = await as.office.post(`/api/pairings/${p.id}/participants/${old.id}/end`, { to: '2026-10-31', reason: '王老师外出培训' });
        expect(ended.status).toBe(200);
        const added = await as.office.post(`/api/pairings/${p.id}/participants`, { role: 'helper', kind: 'teacher', personId: s.teachers.liMing.id, from: '2026-11-01' });
        expect(added.status, JSON.stringify(added.body)).toBe(200);
        expect(added.body.participants.map((x: any) => x.name).sort()).toEqual(['李明', st.name].sort());
        expect(added.body.participantHistory.map((x: any) => [x.name, x.from, x.to, x.endReason])).toEqual(
          expect.arrayContaining([
            ['王芳', '2026-09-01', '2026-10-31', '王老师外出培训'],
            ['李明', '2026-11-01', null, null],
          ]),
        );
        // the former helper no longer sees it; the new one does
        expect((await as.teacher.get(`/api/pairings/${p.id}`)).status).toBe(404);
        expect((await as.head.get(`/api/pairings/${p.id}`)).status).toBe(200);
        expect(await countOf(getCtx().db, sql`SELECT count(*)::int AS n FROM audit_log WHERE entity_id = ${String(p.id)} AND action IN ('pairing.participant_ended', 'pairing.participant_added')`)).toBe(2);
      });
    });

    describe('scope', () => {
      it('a teacher sees the pairings they take part in, not another teacher’s; a school sees its own, not another school’s', async () => {
        const s = getSeed();
        const mine = await create(as.office, ts(s.teachers.wangFang.id, studentIn('a2', 2).id, { status: 'active' }));
        const his = await create(as.office, ts(s.teachers.liMing.id, studentIn('a1').id, { status: 'active' }));
        const atB = await create(as.principalB, ts(s.teachers.zhaoGang.id, studentIn('b1').id, { status: 'active' }));
        expect(atB.schoolId).toBe(s.schools.b.id);

        expect((await as.teacher.get(`/api/pairings/${mine.id}`)).status).toBe(200);
        expect((await as.teacher.get(`/api/pairings/${his.id}`)).status).toBe(404);
        expect((await as.teacher.get(`/api/pairings/${atB.id}`)).status).toBe(404);
        const teacherList = (await as.teacher.get('/api/pairings?pageSize=200')).body.items.map((i: any) => i.id);
        expect(teacherList).toContain(mine.id);
        expect(teacherList).not.toContain(his.id);
        expect(teacherList).not.toContain(atB.id);

        expect((await as.teacherB.get(`/api/pairings/${atB.id}`)).status).toBe(200);
        expect((await as.teacherB.get(`/api/pairings/${mine.id}`)).status).toBe(404);

        expect((await as.principalB.get(`/api/pairings/${mine.id}`)).status).toBe(404);
        expect((await as.principal.get(`/api/pairings/${atB.id}`)).status).toBe(404);
        const bList = (await as.principalB.get('/api/pairings?pageSize=200')).body.items.map((i: any) => i.id);
        expect(bList).toEqual([atB.id]);
        const aList = (await as.counsellor.get('/api/pairings?pageSize=200')).body.items.map((i: any) => i.id);
        expect(aList).toEqual(expect.arrayContaining([mine.id, his.id]));
        expect(aList).not.toContain(atB.id);
        // the bureau sees both schools
        const all = (await as.inspector.get('/api/pairings?pageSize=200')).body.items.map((i: any) => i.id);
        expect(all).toEqual(expect.arrayContaining([mine.id, his.id, atB.id]));
        // filters
        const byTeacher = (await as.admin.get(`/api/pairings?teacherId=${s.teachers.zhaoGang.id}`)).body.items.map((i: any) => i.id);
        expect(byTeacher).toEqual([atB.id]);
        const myOwn = (await as.teacher.get('/api/pairings?mine=true&status=active&pageSize=200')).body.items;
        expect(myOwn.length).toBeGreaterThan(0);
        expect(myOwn.every((i: any) => i.status === 'active' && i.participants.some((x: any) => x.ref === `teacher:${s.teachers.wangFang.id}`))).toBe(true);
        // a school cannot change another school's pairing: it does not exist for them
        expect((await as.principalB.post(`/api/pairings/${mine.id}/transition`, { to: 'completed' })).status).toBe(404);
        // a teacher taking part cannot manage it
        expect((await as.teacher.post(`/api/pairings/${mine.id}/transition`, { to: 'completed' })).status).toBe(403);
      });

      it('a teacher sees the students they help, beyond their classes, while the pairing runs', async () => {
        const s = getSeed();
        const st = studentIn('a2', 1); // 李明 heads and teaches A1 only
        expect((await as.head.get(`/api/students/${st.id}`)).status).toBe(404);
        const p = await create(as.office, ts(s.teachers.liMing.id, st.id, { status: 'active' }));
        expect((await as.head.get(`/api/students/${st.id}`)).status).toBe(200);
        expect((await as.head.get(`/api/students?pageSize=200`)).body.items.map((i: any) => i.id)).toContain(st.id);
        await as.office.post(`/api/pairings/${p.id}/transition`, { to: 'completed', date: '2026-11-30' });
        expect((await as.head.get(`/api/students/${st.id}`)).status).toBe(404);
        // the pairing itself stays visible to him: he took part until its end
        expect((await as.head.get(`/api/pairings/${p.id}`)).status).toBe(200);
      });

      it('a bureau pairing between two schools: both schools see it, neither manages it, the bureau does', async () => {
        const s = getSeed();
        const p = await create(as.staff, {
          programme: 'school_pairing',
          start: '2026-09-01',
          status: 'active',
          participants: [
            { role: 'helper', kind: 'school', personId: s.schools.a.id },
            { role: 'helped', kind: 'school', personId: s.schools.b.id },
          ],
        });
        expect(p.schoolId).toBeNull();
        expect((await as.principal.get(`/api/pairings/${p.id}`)).body.canManage).toBe(false);
        expect((await as.principalB.get(`/api/pairings/${p.id}`)).status).toBe(200);
        expect((await as.teacher.get(`/api/pairings/${p.id}`)).status).toBe(404);
        const refused = await as.principalB.post(`/api/pairings/${p.id}/transition`, { to: 'cancelled', reason: '不想结对' });
        expect(refused.status).toBe(403);
        expect(refused.body.message).toBe('该结对由其他学校或教育局管理，您不能修改');
        expect((await as.admin.patch(`/api/pairings/${p.id}`, { plan: '三年结对协议', end: '2029-08-31', reason: '签订协议' })).body).toMatchObject({ plan: '三年结对协议', end: '2029-08-31' });
        // a school cannot pick another school as a participant
        const own = await as.principal.post('/api/pairings', { programme: 'school_pairing', start: '2026-09-01', participants: [
          { role: 'helper', kind: 'school', personId: s.schools.a.id },
          { role: 'helped', kind: 'school', personId: s.schools.b.id },
        ] });
        expect(own.status).toBe(400);
      });
    });

    describe('audit rows share the transaction of the change', () => {
      async function withBrokenAudit(action: string, run: () => Promise<void>) {
        const db = getCtx().db;
        await db.execute(sql.raw(`CREATE OR REPLACE FUNCTION test_break_audit() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN IF NEW.action = '${action}' THEN RAISE EXCEPTION 'audit write failed (test)'; END IF; RETURN NEW; END; $$`));
        await db.execute(sql`CREATE TRIGGER test_break_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION test_break_audit()`);
        try {
          await run();
        } finally {
          await db.execute(sql`DROP TRIGGER IF EXISTS test_break_audit ON audit_log`);
        }
      }

      it('a pairing whose audit row cannot be written is not created (no pairing, participant or history row)', async () => {
        const s = getSeed();
        const db = getCtx().db;
        const counts = async () => [
          await countOf(db, sql`SELECT count(*)::int AS n FROM pairings`),
          await countOf(db, sql`SELECT count(*)::int AS n FROM pairing_participants`),
          await countOf(db, sql`SELECT count(*)::int AS n FROM pairing_status_history`),
        ];
        const before = await counts();
        await withBrokenAudit('pairing.created', async () => {
          const res = await as.office.post('/api/pairings', ts(s.teachers.wangFang.id, studentIn('a1').id));
          expect(res.status).toBe(500);
        });
        expect(await counts()).toEqual(before);
        expect((await as.office.post('/api/pairings', ts(s.teachers.wangFang.id, studentIn('a1').id))).status).toBe(200);
      });

      it('a transition whose audit row cannot be written leaves the status and the history as they were', async () => {
        const s = getSeed();
        const p = await create(as.office, ts(s.teachers.wangFang.id, studentIn('a1').id));
        await withBrokenAudit('pairing.transitioned', async () => {
          expect((await as.office.post(`/api/pairings/${p.id}/transition`, { to: 'active' })).status).toBe(500);
        });
        const after = await as.office.get(`/api/pairings/${p.id}`);
        expect(after.body.status).toBe('proposed');
        expect(after.body.history).toHaveLength(1);
      });
    });
  },
  seedCounty,
);
