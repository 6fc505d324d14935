// Activity records against pairings: who may record what (participants, their own roles; school
// managers), type-specific fields validated from the programme, checks (accept, return with a
// comment visible to the author, resubmission, spot checks), confidential records masked,
// attachments with size and type limits, and audit rows in the same transaction.
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { attachmentPath } from '../../src/modules/pairings/attachments.js';
import { describeOnBackends } from '../helpers/db.js';
import { loginAgent, testApp, type Agent } from '../helpers/http.js';
import { countOf, seedCounty } from '../helpers/seed.js';

// smallest valid-looking heads of the accepted types
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('家访照片 test bytes')]);
const PDF = Buffer.from('%PDF-1.4\n% 家访表\n');

describeOnBackends(
  'pairing activities API',
  (getCtx, _kind, getSeed) => {
    const as = {} as Record<'admin' | 'staff' | 'principal' | 'office' | 'counsellor' | 'head' | 'teacher' | 'principalB', Agent>;
    /** 王芳 → 张伟 (teacher–student, active from 09-01); 李明 (师傅) → 王芳 (徒弟) (mentoring, active) */
    let tsPairing: any;
    let mentoring: any;

    beforeAll(async () => {
      const app = await testApp(getCtx());
      const u = getSeed().users;
      for (const [k, user] of [['admin', u.bureau_admin], ['staff', u.bureau_staff], ['principal', u.principal], ['office', u.academic_office], ['counsellor', u.counsellor],
        ['head', u.head_teacher], ['teacher', u.teacher], ['principalB', u.principal_b]] as const) {
        as[k] = await loginAgent(app, user);
      }
      const s = getSeed();
      const st = s.studentsOf(s.classes.a1)[0]!;
      tsPairing = (await as.office.post('/api/pairings', {
        programme: 'teacher_student', start: '2026-09-01', status: 'active',
        participants: [{ role: 'helper', kind: 'teacher', personId: s.teachers.wangFang.id }, { role: 'helped', kind: 'student', personId: st.id }],
      })).body;
      mentoring = (await as.office.post('/api/pairings', {
        programme: 'mentoring', start: '2026-09-01', status: 'active',
        participants: [{ role: 'helper', kind: 'teacher', personId: s.teachers.liMing.id }, { role: 'helped', kind: 'teacher', personId: s.teachers.wangFang.id }],
      })).body;
      expect(tsPairing.id).toBeGreaterThan(0);
      expect(mentoring.id).toBeGreaterThan(0);
    });

    const talk = (extra: Record<string, unknown> = {}) => ({ pairingId: tsPairing.id, type: 'talk', date: '2026-10-12', content: '谈学习计划', fields: { topic: '期中复习' }, ...extra });
    const record = async (agent: Agent, body: unknown) => {
      const res = await agent.post('/api/activities', body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };

    describe('recording', () => {
      it('the helper teacher records a talk: credited to her role, submitted, fields kept, audited', async () => {
        const a = await record(as.teacher, talk());
        expect(a).toMatchObject({
          pairingId: tsPairing.id, programmeKey: 'teacher_student', type: 'talk', typeLabel: '谈心谈话', date: '2026-10-12', role: 'helper', roleLabel: '帮扶教师',
          content: '谈学习计划', fields: { topic: '期中复习' }, confidential: false, masked: false, status: 'submitted', statusLabel: '待审核', revision: 1,
          recordedBy: { id: getSeed().users.teacher.id, name: '王芳' }, lastCheck: null, checks: [],
        });
        const [audit] = await rows<{ after: any; school_id: number }>(getCtx().db, sql`SELECT after, school_id FROM audit_log WHERE action = 'activity.recorded' AND entity_id = ${String(a.id)}`);
        expect(audit).toMatchObject({ school_id: getSeed().schools.a.id, after: { pairingId: tsPairing.id, type: 'talk', content: '谈学习计划', fields: { topic: '期中复习' } } });
      });

      it('validates the type, its fields, the date and the participants named', async () => {
        const expect400 = async (body: unknown, message: string | RegExp) => {
          const res = await as.teacher.post('/api/activities', body);
          expect(res.status, JSON.stringify(res.body)).toBe(400);
          expect(res.body.message).toMatch(message);
        };
        await expect400(talk({ type: 'dance' }), '“师生结对帮扶”没有活动类型“dance”');
        await expect400(talk({ type: 'home_visit', fields: { agreed: '每周联系' } }), '“家访”的填写有误：请填写见到的家长/监护人');
        await expect400(talk({ fields: { topic: '复习', mood: '好' } }), '未定义的字段：mood');
        await expect400(talk({ date: '2099-01-01' }), '活动日期不能晚于今天');
        await expect400(talk({ date: '2026-08-31' }), '活动日期早于结对开始日期（2026-09-01）');
        await expect400(talk({ personIds: ['student:999999'] }), '参与人员不是该结对在 2026-10-12 的参与方：student:999999');
        await expect400(talk({ role: 'helped' }), '“谈心谈话”不能记在“帮扶学生”名下');
        // a home visit with its form, naming the student
        const st = tsPairing.participants.find((p: any) => p.role === 'helped');
        const visit = await record(as.teacher, talk({ type: 'home_visit', date: '2026-10-10', fields: { met: '母亲', home_situation: '父亲外出务工', agreed: '' }, personIds: [st.ref] }));
        expect(visit.fields).toEqual({ met: '母亲', home_situation: '父亲外出务工' });
        expect(visit.personIds).toEqual([st.ref]);
      });

      it('a participant records only for a role they hold; school managers for any; others not at all', async () => {
        // 李明 is the mentor: he cannot record the apprentice's lesson observation, she can
        const obs = { pairingId: mentoring.id, type: 'lesson_observation', date: '2026-10-13', fields: { subject: '数学', lesson_title: '一元一次方程' } };
        const his = await as.head.post('/api/activities', { ...obs, role: 'helped' });
        expect(his.status).toBe(403);
        expect(his.body.message).toBe('您只能记录自己所担任角色的活动');
        expect((await as.head.post('/api/activities', { ...obs, type: 'public_lesson' })).body.message).toBe('“公开课”不能记在“指导教师（师傅）”名下');
        // a role must be named when the caller holds none of the type's roles alone … here each holds one
        expect((await record(as.head, obs)).role).toBe('helper');
        expect((await record(as.teacher, { ...obs, pairingId: mentoring.id })).role).toBe('helped');
        // the school's 教导处 records for either side
        expect((await record(as.office, { ...obs, role: 'helped' })).recordedBy.name).toBe('城关一小教导处');
        const noRole = await as.office.post('/api/activities', obs);
        expect(noRole.status).toBe(400);
        expect(noRole.body.message).toBe('请指定记录哪一方（role）完成的活动');
        // the counsellor takes no part and manages nothing; principal B does not see the pairing
        expect((await as.counsellor.post('/api/activities', talk())).status).toBe(403);
        expect((await as.principalB.post('/api/activities', talk())).status).toBe(404);
        // 李明 does not see 王芳's teacher–student pairing
        expect((await as.head.post('/api/activities', talk())).status).toBe(404);
      });

      it('records only on an active pairing; a type that is never confidential refuses the flag', async () => {
        const s = getSeed();
        const proposed = (await as.office.post('/api/pairings', {
          programme: 'peer', start: '2026-09-01',
          participants: [{ role: 'helper', kind: 'student', personId: s.studentsOf(s.classes.a2)[0]!.id }, { role: 'helped', kind: 'student', personId: s.studentsOf(s.classes.a2)[1]!.id }],
        })).body;
        // peer tutoring may be credited to either student (the helped one's side of the record too): the role is named
        const body = { pairingId: proposed.id, type: 'peer_tutoring', role: 'helper', date: '2026-10-12', fields: { subject: '数学', online: true } };
        expect((await as.office.post('/api/activities', body)).status).toBe(409);
        await as.office.post(`/api/pairings/${proposed.id}/transition`, { to: 'active' });
        expect((await as.office.post('/api/activities', { ...body, confidential: true })).body.message).toBe('“结对辅导”记录不能设为保密');
        expect((await record(as.office, body)).fields).toEqual({ subject: '数学', online: true });
      });
    });

    describe('checks', () => {
      it('returned with a comment → the author sees it → resubmits (revision 2) → accepted; history of checks kept', async () => {
        const a = await record(as.teacher, talk({ date: '2026-10-19', content: '谈心' }));
        const noComment = await as.office.post(`/api/activities/${a.id}/review`, { verdict: 'returned' });
        expect(noComment.status).toBe(400);
        expect((await as.teacher.post(`/api/activities/${a.id}/review`, { verdict: 'accepted' })).status).toBe(403);
        expect((await as.principalB.post(`/api/activities/${a.id}/review`, { verdict: 'accepted' })).status).toBe(404);
        const returned = await as.office.post(`/api/activities/${a.id}/review`, { verdict: 'returned', comment: '内容过于简单，请补充谈话要点' });
        expect(returned.status).toBe(200);
        expect(returned.body).toMatchObject({ status: 'returned', statusLabel: '已退回' });
        // the author sees the comment on the record and in her list of returned records
        const mine = await as.teacher.get(`/api/activities?mine=true&status=returned`);
        expect(mine.body.items.map((i: any) => i.id)).toContain(a.id);
        const seen = await as.teacher.get(`/api/activities/${a.id}`);
        expect(seen.body.lastCheck).toMatchObject({ verdict: 'returned', comment: '内容过于简单，请补充谈话要点', reviewerName: '城关一小教导处', spotCheck: false, revision: 1 });
        expect((await as.office.post(`/api/activities/${a.id}/review`, { verdict: 'accepted' })).status).toBe(409);
        // only the author edits; resubmission makes it submitted again
        expect((await as.office.put(`/api/activities/${a.id}`, { content: 'x' })).status).toBe(403);
        const again = await as.teacher.put(`/api/activities/${a.id}`, { content: '谈心：期中考试后的心态调整；约定每天背10个单词' });
        expect(again.body).toMatchObject({ status: 'submitted', revision: 2, content: '谈心：期中考试后的心态调整；约定每天背10个单词' });
        const ok = await as.office.post(`/api/activities/${a.id}/review`, { verdict: 'accepted', comment: '很好' });
        expect(ok.body).toMatchObject({ status: 'accepted' });
        expect(ok.body.checks.map((c: any) => [c.verdict, c.revision, c.spotCheck])).toEqual([['returned', 1, false], ['accepted', 2, false]]);
        expect((await as.teacher.put(`/api/activities/${a.id}`, { content: 'y' })).status).toBe(409);
        expect((await as.office.post(`/api/activities/${a.id}/review`, { verdict: 'accepted' })).status).toBe(409);
        // a spot check by the bureau may send an accepted record back
        const spot = await as.staff.post(`/api/activities/${a.id}/review`, { verdict: 'returned', comment: '抽查：与学生记录不一致', spotCheck: true });
        expect(spot.body).toMatchObject({ status: 'returned', lastCheck: { spotCheck: true, reviewerName: '局工作人员' } });
        const actions = await rows<{ action: string }>(getCtx().db, sql`SELECT action FROM audit_log WHERE entity_type = 'activity' AND entity_id = ${String(a.id)} ORDER BY id`);
        expect(actions.map((x) => x.action)).toEqual(['activity.recorded', 'activity.reviewed', 'activity.resubmitted', 'activity.reviewed', 'activity.reviewed']);
      });

      it('nobody checks their own record', async () => {
        const a = await record(as.office, { pairingId: mentoring.id, type: 'guidance', date: '2026-10-14' });
        const res = await as.office.post(`/api/activities/${a.id}/review`, { verdict: 'accepted' });
        expect(res.status).toBe(403);
        expect(res.body.message).toBe('不能审核自己填写的记录');
        expect((await as.principal.post(`/api/activities/${a.id}/review`, { verdict: 'accepted' })).status).toBe(200);
      });

      it('the check queue lists submitted records of the school, filtered by teacher and month', async () => {
        const s = getSeed();
        const q = await as.office.get(`/api/activities?status=submitted&teacherId=${s.teachers.wangFang.id}&from=2026-10-01&to=2026-10-31&pageSize=200`);
        expect(q.status).toBe(200);
        expect(q.body.items.length).toBeGreaterThan(0);
        expect(q.body.items.every((i: any) => i.status === 'submitted' && i.recordedBy.name === '王芳' && i.date.startsWith('2026-10'))).toBe(true);
        expect((await as.principalB.get('/api/activities?pageSize=200')).body.total).toBe(0);
      });
    });

    describe('confidential records', () => {
      it('are read in full by the author, the helper teacher and the school’s counsellor; masked for the principal, 教导处 and the bureau', async () => {
        const a = await record(as.teacher, talk({ date: '2026-10-20', content: '学生谈到父母离异后的情绪问题', fields: { topic: '情绪' }, confidential: true }));
        expect(a).toMatchObject({ confidential: true, masked: false, content: '学生谈到父母离异后的情绪问题' });
        for (const agent of [as.teacher, as.counsellor]) {
          expect((await agent.get(`/api/activities/${a.id}`)).body).toMatchObject({ masked: false, content: '学生谈到父母离异后的情绪问题', fields: { topic: '情绪' } });
        }
        for (const agent of [as.principal, as.office, as.admin]) {
          const seen = await agent.get(`/api/activities/${a.id}`);
          expect(seen.status).toBe(200);
          expect(seen.body).toMatchObject({ confidential: true, masked: true, content: null, fields: null, attachments: null, type: 'talk', date: '2026-10-20' });
          const listed = (await agent.get(`/api/activities?pairingId=${tsPairing.id}&pageSize=200`)).body.items.find((i: any) => i.id === a.id);
          expect(listed).toMatchObject({ masked: true, content: null });
          expect(JSON.stringify(seen.body)).not.toContain('离异');
        }
        // the audit log (read by principals and the bureau) keeps a digest, not the words
        const [audit] = await rows<{ after: any }>(getCtx().db, sql`SELECT after FROM audit_log WHERE action = 'activity.recorded' AND entity_id = ${String(a.id)}`);
        expect(JSON.stringify(audit!.after)).not.toContain('离异');
        expect(audit!.after).toMatchObject({ confidential: true, contentLength: 14, contentDigest: expect.stringMatching(/^[0-9a-f]{64}$/) });
      });
    });

    describe('attachments', () => {
      it('stores a photo by content, serves it back, and describes it on the record', async () => {
        const a = await record(as.teacher, talk({ type: 'home_visit', date: '2026-10-24', fields: { met: '奶奶' } }));
        const up = await as.teacher.upload(`/api/activities/${a.id}/attachments`, { filename: '家访照片.png', content: PNG, contentType: 'image/png' });
        expect(up.status, JSON.stringify(up.body)).toBe(200);
        expect(up.body).toMatchObject({ name: '家访照片.png', mime: 'image/png', size: PNG.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
        expect(fs.readFileSync(attachmentPath(getCtx().config.dataDir, up.body.sha256))).toEqual(PNG);
        const pdf = await as.teacher.upload(`/api/activities/${a.id}/attachments`, { filename: 'form.bin', content: PDF, contentType: 'application/octet-stream' });
        expect(pdf.body.mime).toBe('application/pdf'); // by its bytes, not its name or declared type
        const detail = await as.office.get(`/api/activities/${a.id}`);
        expect(detail.body.attachments.map((x: any) => x.name)).toEqual(['家访照片.png', 'form.bin']);
        const dl = await as.office.get(`/api/activities/${a.id}/attachments/${up.body.id}`);
        expect(dl.status).toBe(200);
        expect(dl.headers['content-type']).toBe('image/png');
        expect(dl.headers['x-content-type-options']).toBe('nosniff');
        expect(dl.raw).toEqual(PNG);
        expect((await as.principalB.get(`/api/activities/${a.id}/attachments/${up.body.id}`)).status).toBe(404);
        expect(await countOf(getCtx().db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'activity.attachment_added' AND entity_id = ${String(a.id)}`)).toBe(2);
      });

      it('refuses other types, empty and oversized files, a tenth file, and uploads by anyone but the author', async () => {
        const a = await record(as.teacher, talk({ date: '2026-10-26' }));
        const url = `/api/activities/${a.id}/attachments`;
        const text = await as.teacher.upload(url, { filename: 'photo.png', content: '<script>alert(1)</script>', contentType: 'image/png' });
        expect(text.status).toBe(400);
        expect(text.body.message).toMatch(/^不支持的附件类型：只接受JPEG 图片、PNG 图片/);
        expect((await as.teacher.upload(url, { filename: 'empty.png', content: Buffer.alloc(0) })).status).toBe(400);
        const big = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]);
        const tooBig = await as.teacher.upload(url, { filename: 'big.png', content: big, contentType: 'image/png' });
        expect(tooBig.status).toBe(413);
        expect(tooBig.body).toMatchObject({ code: 'FILE_TOO_LARGE', message: '附件不能超过 10 MB' });
        expect((await as.office.upload(url, { filename: 'x.png', content: PNG })).status).toBe(403);
        for (let i = 0; i < 9; i++) {
          const ok = await as.teacher.upload(url, { filename: `p${i}.png`, content: Buffer.concat([PNG, Buffer.from(String(i))]) });
          expect(ok.status).toBe(200);
        }
        const tenth = await as.teacher.upload(url, { filename: 'p9.png', content: Buffer.concat([PNG, Buffer.from('tenth')]) });
        expect(tenth.status).toBe(400);
        expect(tenth.body.message).toBe('每条记录至多 9 个附件');
        // nothing of the refused uploads is left behind
        const dir = `${getCtx().config.dataDir}/attachments`;
        expect(fs.readdirSync(dir).filter((f) => f.startsWith('.upload-'))).toEqual([]);
      });

      it('a confidential record’s attachments are not served to those who see it masked', async () => {
        const a = await record(as.teacher, talk({ date: '2026-10-27', confidential: true }));
        const up = await as.teacher.upload(`/api/activities/${a.id}/attachments`, { filename: '心理辅导记录.pdf', content: PDF });
        expect((await as.counsellor.get(`/api/activities/${a.id}/attachments/${up.body.id}`)).status).toBe(200);
        expect((await as.principal.get(`/api/activities/${a.id}/attachments/${up.body.id}`)).status).toBe(404);
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

      it('a record, a check or an attachment whose audit row fails leaves nothing behind', async () => {
        const db = getCtx().db;
        const before = await countOf(db, sql`SELECT count(*)::int AS n FROM activities`);
        await withBrokenAudit('activity.recorded', async () => {
          expect((await as.teacher.post('/api/activities', talk({ date: '2026-11-02' }))).status).toBe(500);
        });
        expect(await countOf(db, sql`SELECT count(*)::int AS n FROM activities`)).toBe(before);

        const a = await record(as.teacher, talk({ date: '2026-11-03' }));
        await withBrokenAudit('activity.reviewed', async () => {
          expect((await as.office.post(`/api/activities/${a.id}/review`, { verdict: 'returned', comment: '请补充' })).status).toBe(500);
        });
        expect((await as.teacher.get(`/api/activities/${a.id}`)).body).toMatchObject({ status: 'submitted', checks: [] });

        const unique = Buffer.concat([PNG, Buffer.from('only-once')]);
        await withBrokenAudit('activity.attachment_added', async () => {
          expect((await as.teacher.upload(`/api/activities/${a.id}/attachments`, { filename: 'x.png', content: unique })).status).toBe(500);
        });
        expect((await as.teacher.get(`/api/activities/${a.id}`)).body.attachments).toEqual([]);
        // the file stored for the failed request alone is removed again
        const { createHash } = await import('node:crypto');
        expect(fs.existsSync(attachmentPath(getCtx().config.dataDir, createHash('sha256').update(unique).digest('hex')))).toBe(false);
      });
    });
  },
  seedCounty,
);
