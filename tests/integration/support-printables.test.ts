// The printables end to end on the seeded county (tests/helpers/seed.ts): a case for 吴婷 (A2, 孤儿)
// with 王芳 as her teacher, an analysis and records (one with an ID number typed into it, one
// confidential 心理辅导); then the student's archive and 王芳's 帮扶手册 as PDF, read back with
// pdfjs: A4, the Chinese text, masking, scope between schools and roles, the audit row.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { maskIdNumber } from '../../src/shared/id-number.js';
import { describeOnBackends } from '../helpers/db.js';
import { testApp, type Agent, loginSeedUsers } from '../helpers/http.js';
import { readPdf } from '../helpers/pdf-text.js';
import { countOf, seedCounty, type Seed } from '../helpers/seed.js';

const A4 = { width: 595.28, height: 841.89 };

describeOnBackends(
  'support printables',
  (getCtx, _kind, getSeed: () => Seed) => {
    const as = {} as Record<'admin' | 'office' | 'head' | 'teacher' | 'principalB', Agent>;
    let caseId: number;
    const st = (i: number) => getSeed().students[i]!;
    const ok = (res: { status: number; body: any }) => {
      expect(res.status, typeof res.body === 'string' ? res.body.slice(0, 300) : JSON.stringify(res.body)).toBe(200);
      return res.body;
    };

    beforeAll(async () => {
      const app = await testApp(getCtx());
      const u = getSeed().users;
      Object.assign(as, await loginSeedUsers(app, u, ['admin', 'office', 'head', 'teacher', 'principalB']));
      const db = getCtx().db;
      await db.execute(sql`UPDATE students SET address = '城关镇和平路 12 号',
        guardians = ${JSON.stringify([{ name: '吴奶奶', relation: '祖母', phone: '13812345678' }])}::jsonb WHERE id = ${st(5).id}`);
      await db.execute(sql`UPDATE teachers SET phone = '13900001111' WHERE id = ${getSeed().teachers.wangFang.id}`);
      await db.execute(sql`INSERT INTO family_flags (student_id, flag, source, recorded_on) VALUES (${st(5).id}, 'orphan', '民政局', '2026-09-01')`);
      const made = ok(await as.office.post('/api/support/cases/from-family-flags', {}));
      caseId = made.caseIds[0];
      ok(await as.office.post(`/api/support/cases/${caseId}/transition`, { to: 'confirmed', note: '教导处核实' }));
      ok(await as.office.put(`/api/support/cases/${caseId}/analysis`, { causes: [{ cause: 'family', note: '与祖母同住，作业无人辅导' }] }));
      ok(await as.office.post('/api/support/assignments/accept', { items: [{ caseId, teacherId: getSeed().teachers.wangFang.id }], start: '2026-11-02' }));
      const pairingId = ok(await as.teacher.get(`/api/support/cases/${caseId}`)).teachers[0].pairingId;
      ok(await as.teacher.post('/api/activities', {
        pairingId, type: 'tutoring', date: '2026-11-10', content: `分数加减法，核对学籍 ${st(5).idNumber}`,
        fields: { subject: '数学', setting: '课内', result: '能独立完成练习' },
      }));
      ok(await as.teacher.post('/api/activities', { pairingId, type: 'psych_support', date: '2026-11-12', content: '父母离世后的情绪', fields: { topic: '情绪' } }));
      ok(await as.teacher.post('/api/activities', { pairingId, type: 'home_visit', date: '2026-11-14', fields: { met: '奶奶', home_situation: '与奶奶同住', agreed: '每晚检查作业' } }));
    });

    const pdf = async (agent: Agent, url: string) => {
      const res = await agent.get(url);
      expect(res.status, String(res.body).slice(0, 300)).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.raw.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      return { raw: res.raw, ...(await readPdf(res.raw)) };
    };
    const audits = (action: string) =>
      rows<{ actorName: string; entityId: string; reason: string | null; after: any }>(getCtx().db, sql`
        SELECT actor_name AS "actorName", entity_id AS "entityId", reason, after FROM audit_log WHERE action = ${action} ORDER BY id`);

    it('the archive: A4 pages, the Chinese sections and facts, masked numbers, no psychological content, audited', async () => {
      const before = (await audits('support.archive_printed')).length;
      const p = await pdf(as.teacher, `/api/support/cases/${caseId}/archive.pdf`);
      expect(p.pages.length).toBeGreaterThanOrEqual(1);
      for (const page of p.pages) {
        expect(page.width).toBeCloseTo(A4.width, 1);
        expect(page.height).toBeCloseTo(A4.height, 1);
      }
      expect(p.raw.toString('latin1')).toContain('/MediaBox [0 0 595.28 841.89]');
      expect(p.title).toBe('学生帮扶档案');
      for (const s of ['学生帮扶档案', '一、学生基本情况', '吴婷', '城关一小', '城关镇和平路 12 号', '王芳', '13900001111', '138****5678',
        '资助项目', '受助时间', '帮扶记录', '分数加减法', '能独立完成练习', '家访记录', '与奶奶同住', '每晚检查作业', '与祖母同住', '教导处核实',
        '班主任（签字）', '家长（签字）', '内部资料 注意保密', '第 1 页', '打印时间']) {
        expect(p.text, s).toContain(s);
      }
      const id = st(5).idNumber;
      expect(p.text).not.toContain(id);
      expect(p.text).toContain(maskIdNumber(id));
      expect(p.text).not.toContain('13812345678');
      expect(p.text).not.toContain('父母离世后的情绪'); // the 心理辅导 record is never printed
      expect(p.text).not.toContain('心理辅导');
      // family flags stay hidden unless revealed
      expect(p.text).toContain('资助依据：贫困生（家庭情况已隐藏）');
      expect(p.text).not.toMatch(/家庭情况\s*孤儿/);
      // fonts are embedded as subsets (a tag before the name), so the file stays small
      expect(p.raw.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC/);
      expect(p.raw.length).toBeLessThan(200_000);
      const a = await audits('support.archive_printed');
      expect(a).toHaveLength(before + 1);
      expect(a.at(-1)).toMatchObject({ actorName: '王芳', entityId: String(caseId), after: { studentId: st(5).id, records: 2, familyFlags: false } });
    });

    it('family flags only for roles that may reveal them, with a reason (kept in the audit row)', async () => {
      expect((await as.teacher.get(`/api/support/cases/${caseId}/archive.pdf?familyFlags=true&reason=资助核对`)).status).toBe(403);
      expect((await as.office.get(`/api/support/cases/${caseId}/archive.pdf?familyFlags=true`)).status).toBe(400);
      const p = await pdf(as.office, `/api/support/cases/${caseId}/archive.pdf?familyFlags=true&reason=${encodeURIComponent('资助核对')}`);
      expect(p.text).toContain('资助依据：孤儿');
      expect(p.text).toMatch(/家庭情况\s*孤儿/);
      expect((await audits('support.archive_printed')).at(-1)).toMatchObject({ actorName: '城关一小教导处', reason: '资助核对', after: { familyFlags: true } });
    });

    it('aid (资助): the grants of the year with a total for roles that see them; hidden from the teacher', async () => {
      const grantedOn = `${getSeed().schoolYear.slice(0, 4)}-09-01`;
      ok(await as.office.post('/api/support/aid', { studentId: st(5).id, itemKey: 'living_boarding', amount: '625', term: 1, grantedOn, method: 'card' }));
      ok(await as.office.post('/api/support/aid', { studentId: st(5).id, itemKey: 'donation', amount: '300.5', grantedOn, method: 'cash', source: 'social' }));
      const p = await pdf(as.office, `/api/support/cases/${caseId}/archive.pdf`);
      const compact = p.text.replace(/\s+/g, ''); // long item names wrap inside their cell
      for (const s of ['寄宿生', '第一学期', '625.00', '300.50', '社会·现金', '合计（2项）', '925.50']) expect(compact, s).toContain(s);
      expect((await audits('support.archive_printed')).at(-1)).toMatchObject({ after: { aidRows: 2 } });
      const t = await pdf(as.teacher, `/api/support/cases/${caseId}/archive.pdf`);
      expect(t.text).not.toContain('925.50');
      expect(t.text).toContain('您的角色无权查看');
      const h = await pdf(as.office, `/api/support/teachers/${getSeed().teachers.wangFang.id}/handbook.pdf`);
      expect(h.text).toContain('925.50');
    });

    it('scope: another school does not see the case, a head teacher of another class neither; nothing is audited then', async () => {
      const before = (await audits('support.archive_printed')).length;
      expect((await as.principalB.get(`/api/support/cases/${caseId}/archive.pdf`)).status).toBe(404);
      expect((await as.head.get(`/api/support/cases/${caseId}/archive.pdf`)).status).toBe(404); // 吴婷 is in A2, 李明 heads A1
      expect((await audits('support.archive_printed')).length).toBe(before);
      expect((await pdf(as.admin, `/api/support/cases/${caseId}/archive.pdf`)).text).toContain('吴婷');
    });

    it('the teacher\'s 帮扶手册: cover, the student\'s section with aid and records, the quota standing; audited', async () => {
      const { wangFang } = getSeed().teachers;
      const p = await pdf(as.teacher, `/api/support/teachers/${wangFang.id}/handbook.pdf?schoolYear=${getSeed().schoolYear}`);
      expect(p.title).toBe('帮扶手册');
      expect(p.pages.length).toBeGreaterThanOrEqual(3); // cover, overview, one student
      expect(p.pages[0]!.text).toContain('帮扶手册');
      expect(p.pages[0]!.text).toContain(`${getSeed().schoolYear} 学年`);
      for (const s of ['帮扶学生一览', '帮扶任务完成情况', '吴婷', '学段', '初中', '家庭住址', '帮扶教师', '联系电话', '资助项目及受助情况', '帮扶计划', '分数加减法', '家访记录']) {
        expect(p.text, s).toContain(s);
      }
      expect(p.text).not.toContain(st(5).idNumber);
      expect(p.text).not.toContain('父母离世后的情绪');
      expect((await audits('support.handbook_printed')).at(-1)).toMatchObject({ actorName: '王芳', entityId: String(wangFang.id), after: { schoolYear: getSeed().schoolYear, caseIds: [caseId] } });
    });

    it('handbook scope: a teacher only their own; the school\'s office its teachers; another school 404; the bureau all', async () => {
      const { wangFang, liMing } = getSeed().teachers;
      const before = (await audits('support.handbook_printed')).length;
      expect((await as.teacher.get(`/api/support/teachers/${liMing.id}/handbook.pdf`)).status).toBe(403);
      expect((await as.principalB.get(`/api/support/teachers/${wangFang.id}/handbook.pdf`)).status).toBe(404);
      expect((await audits('support.handbook_printed')).length).toBe(before);
      expect((await pdf(as.office, `/api/support/teachers/${wangFang.id}/handbook.pdf`)).text).toContain('吴婷');
      expect((await pdf(as.admin, `/api/support/teachers/${wangFang.id}/handbook.pdf`)).text).toContain('吴婷');
      // 李明 helps nobody: a handbook with an empty list
      expect((await pdf(as.office, `/api/support/teachers/${liMing.id}/handbook.pdf`)).text).toContain('本学年没有帮扶学生');
      expect(await countOf(getCtx().db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'support.handbook_printed'`)).toBe(before + 3);
    });
  },
  seedCounty,
);
