// The student registry API: search (characters, Traditional characters, full pinyin,
// initials, 学籍号, ID number), masking, reveal with reason (audited in the same
// transaction), paging.
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { one, rows } from '../../src/db/client.js';
import { describeOnBackends } from '../helpers/db.js';
import { loginAgent, testApp, type Agent } from '../helpers/http.js';
import { countOf, seedCounty } from '../helpers/seed.js';

describeOnBackends(
  'students API',
  (getCtx, _kind, getSeed) => {
    let admin: Agent;
    let teacher: Agent;

    beforeAll(async () => {
      const app = await testApp(getCtx());
      admin = await loginAgent(app, getSeed().users.bureau_admin);
      teacher = await loginAgent(app, getSeed().users.teacher);
    });

    const namesFor = async (agent: Agent, q: string) => {
      const res = await agent.get(`/api/students?q=${encodeURIComponent(q)}&pageSize=200`);
      expect(res.status).toBe(200);
      return res.body.items.map((i: { name: string }) => i.name).sort();
    };

    it('finds 张伟 by characters, Traditional characters, full pinyin and initials', async () => {
      expect(await namesFor(admin, '张伟')).toEqual(['张伟']);
      expect(await namesFor(admin, '張偉')).toEqual(['张伟']);
      expect(await namesFor(admin, 'zhangwei')).toEqual(['张伟']);
      expect(await namesFor(admin, 'ZhangWei')).toEqual(['张伟']);
      expect(await namesFor(admin, 'zw')).toEqual(['张伟']);
      expect(await namesFor(admin, 'zhang')).toEqual(['张伟']);
    });

    it('reads the surname 曾 as zeng, not ceng', async () => {
      expect(await namesFor(admin, 'zxh')).toEqual(['曾小红']);
      expect(await namesFor(admin, 'zengxiaohong')).toEqual(['曾小红']);
      expect(await namesFor(admin, 'cxh')).toEqual([]);
    });

    it('finds a student by 学籍号 and by ID number typed with a lowercase x or full-width digits', async () => {
      const st = getSeed().students[3]!;
      expect(await namesFor(admin, 'G' + st.idNumber)).toEqual([st.name]);
      expect(await namesFor(admin, st.idNumber)).toEqual([st.name]);
      const fullWidth = st.idNumber.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).toLowerCase();
      expect(await namesFor(admin, fullWidth)).toEqual([st.name]);
    });

    it('treats LIKE wildcards in the search as plain text', async () => {
      expect(await namesFor(admin, '%')).toEqual([]);
      expect(await namesFor(admin, '_')).toEqual([]);
    });

    it('pages on the server', async () => {
      const p1 = await admin.get('/api/students?pageSize=4&page=1');
      const p3 = await admin.get('/api/students?pageSize=4&page=3');
      expect(p1.body.total).toBe(9);
      expect(p1.body.items).toHaveLength(4);
      expect(p3.body.items).toHaveLength(1);
      const bad = await admin.get('/api/students?pageSize=100000');
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/请求参数不正确/);
    });

    it('filters by school, grade and class', async () => {
      const seed = getSeed();
      const byClass = await admin.get(`/api/students?classId=${seed.classes.a2.id}&pageSize=200`);
      expect(byClass.body.items.map((i: { id: number }) => i.id).sort()).toEqual(seed.studentsOf(seed.classes.a2).map((s) => s.id).sort());
      const bySchool = await admin.get(`/api/students?schoolCode=${seed.schools.b.code}&pageSize=200`);
      expect(bySchool.body.total).toBe(3);
      expect(bySchool.body.items[0].className).toBe('七年级(1)班');
    });

    it('masks the ID number and hides the family situation by default', async () => {
      const st = getSeed().students[0]!;
      const res = await admin.get(`/api/students/${st.id}`);
      expect(res.status).toBe(200);
      expect(res.body.idNumberMasked).toBe(st.idNumber.slice(0, 6) + '********' + st.idNumber.slice(-4));
      // 全国学籍号 is 'G' + the ID number: masked the same way
      expect(res.body.studentNo).toBe('G' + res.body.idNumberMasked);
      expect(JSON.stringify(res.body)).not.toContain(st.idNumber);
      expect(res.body.familyFlags).toBeNull();
      expect(res.body.familyFlagsMasked).toBe(true);
      expect(res.body.enrollments[0].className).toBe('七年级(1)班');
    });

    it('reveals a field only with a reason, and writes who, what and why to the audit log', async () => {
      const ctx = getCtx();
      const st = getSeed().students[1]!;
      await ctx.db.execute(sql`INSERT INTO family_flags (student_id, flag, source, recorded_on) VALUES (${st.id}, 'left_behind', '学校认定', '2026-09-01')`);
      const noReason = await admin.post(`/api/students/${st.id}/reveal`, { field: 'idNumber', reason: '' });
      expect(noReason.status).toBe(400);
      const before = await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'student.revealed'`);
      const id = await admin.post(`/api/students/${st.id}/reveal`, { field: 'idNumber', reason: '核对资助名单' });
      expect(id.status).toBe(200);
      expect(id.body.idNumber).toBe(st.idNumber);
      // the 全国学籍号 embeds the ID number: revealing one reveals the other
      expect(id.body.studentNo).toBe('G' + st.idNumber);
      const flags = await admin.post(`/api/students/${st.id}/reveal`, { field: 'familyFlags', reason: '家访前了解情况' });
      expect(flags.body.familyFlags).toEqual([expect.objectContaining({ flag: 'left_behind', label: '留守儿童', source: '学校认定', recordedOn: '2026-09-01' })]);
      const log = await rows<{ reason: string; entity_id: string; actor_name: string; after: { field: string } }>(
        ctx.db,
        sql`SELECT reason, entity_id, actor_name, after FROM audit_log WHERE action = 'student.revealed' ORDER BY id DESC LIMIT 2`,
      );
      expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'student.revealed'`)).toBe(before + 2);
      expect(log.map((l) => [l.reason, l.after.field])).toEqual([['家访前了解情况', 'familyFlags'], ['核对资助名单', 'idNumber']]);
      expect(log[0]!.entity_id).toBe(String(st.id));
      // the audit log never holds the plain ID number
      const dump = await rows(ctx.db, sql`SELECT before, after, reason FROM audit_log`);
      expect(JSON.stringify(dump)).not.toContain(st.idNumber);
    });

    it('a subject teacher may not reveal sensitive fields even of their own students', async () => {
      const st = getSeed().students[0]!;
      expect((await teacher.get(`/api/students/${st.id}`)).body.canReveal).toBe(false);
      const res = await teacher.post(`/api/students/${st.id}/reveal`, { field: 'familyFlags', reason: '想看看' });
      expect(res.status).toBe(403);
    });

    it('stores ID numbers and 学籍号 encrypted: no plain ID in any column', async () => {
      const ctx = getCtx();
      for (const st of getSeed().students) {
        const row = await one<{ text: string; masked: string; enc: Buffer }>(ctx.db, sql`
          SELECT s::text AS text, s.student_no_masked AS masked, s.student_no_enc AS enc FROM students s WHERE s.id = ${st.id}`);
        // neither the whole ID nor its hidden middle (the birth date) appears in any column, the 学籍号's included
        expect(row!.text).not.toContain(st.idNumber);
        expect(row!.text).not.toContain(st.idNumber.slice(6, 14));
        expect(row!.masked).toBe('G' + st.idNumber.slice(0, 6) + '********' + st.idNumber.slice(-4));
        expect(ctx.sealer.open(Buffer.from(row!.enc))).toBe('G' + st.idNumber);
      }
      // a 学籍号 and an ID number with the same characters never share a hash
      expect(ctx.sealer.studentNoHash('G' + getSeed().students[0]!.idNumber)).not.toBe(ctx.sealer.hash('G' + getSeed().students[0]!.idNumber));
      expect(ctx.sealer.studentNoHash(getSeed().students[0]!.idNumber)).not.toBe(ctx.sealer.hash(getSeed().students[0]!.idNumber));
    });
  },
  seedCounty,
);
