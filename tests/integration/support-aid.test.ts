// 资助 (aid) end to end on the seeded county (tests/helpers/seed.ts): the catalogue, recording,
// editing and revoking a grant, the rules (amount, dates, none twice), scope between schools and
// classes, masking for roles that may not see family-economy data, the audit rows written in the
// change's own transaction, and the summary.
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { describeOnBackends } from '../helpers/db.js';
import { testApp, type Agent, loginSeedUsers } from '../helpers/http.js';
import { seedCounty, type Seed } from '../helpers/seed.js';

describeOnBackends(
  'support aid',
  (getCtx, _kind, getSeed: () => Seed) => {
    const as = {} as Record<'admin' | 'inspector' | 'office' | 'head' | 'teacher' | 'principalB', Agent>;
    const st = (i: number) => getSeed().students[i]!;
    const year = () => getSeed().schoolYear;
    const day = () => `${year().slice(0, 4)}-09-01`; // the school year's first day: never in the future
    const ok = (res: { status: number; body: any }) => {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };
    const audits = (action: string) =>
      rows<{ entityId: string; reason: string | null; before: any; after: any; at: string }>(getCtx().db, sql`
        SELECT entity_id AS "entityId", reason, before, after, at::text AS at FROM audit_log WHERE action = ${action} ORDER BY id`);
    let grantId: number;

    beforeAll(async () => {
      const app = await testApp(getCtx());
      Object.assign(as, await loginSeedUsers(app, getSeed().users, ['admin', 'inspector', 'office', 'head', 'teacher', 'principalB']));
    });

    it('the catalogue is seeded by the migration; the bureau adds an item, a school cannot', async () => {
      const items = ok(await as.teacher.get('/api/support/aid/items')) as { key: string; label: string }[];
      expect(items.map((i) => i.label)).toEqual(expect.arrayContaining(['农村义务教育学生营养改善计划', '义务教育家庭经济困难学生生活补助（寄宿生）', '雨露计划', '临时救助']));
      const body = { label: '县慈善助学金', defaultSource: 'social', standardFen: 100000, period: 'year', standardNote: '1000 元/学年' };
      expect((await as.office.put('/api/support/aid/items/county_charity', body)).status).toBe(403);
      expect(ok(await as.admin.put('/api/support/aid/items/county_charity', body))).toMatchObject({ key: 'county_charity', active: true });
      expect((await audits('support.aid_item_created')).at(-1)).toMatchObject({ entityId: 'county_charity' });
    });

    it('教导处 records a grant for its student: yuan as typed → fen, defaults, audited in the same transaction', async () => {
      const g = ok(await as.office.post('/api/support/aid', {
        studentId: st(0).id, itemKey: 'living_boarding', amount: '1,250.00', grantedOn: day(), term: 1, method: 'card', note: '一卡通',
      }));
      grantId = g.id;
      expect(g).toMatchObject({ amountFen: 125000, schoolYear: year(), term: 1, source: 'central', sourceLabel: '中央', methodLabel: '打卡发放', status: 'granted', recordedByName: '城关一小教导处' });
      const [a] = (await audits('support.aid_granted')).slice(-1);
      expect(a).toMatchObject({ entityId: String(g.id), after: { studentId: st(0).id, amountFen: 125000, itemKey: 'living_boarding' } });
      // now() is the transaction's start: equal times mean the row and its audit committed together
      const [row] = await rows<{ at: string }>(getCtx().db, sql`SELECT created_at::text AS at FROM aid_grants WHERE id = ${g.id}`);
      expect(a!.at).toBe(row!.at);
    });

    it('rules: the same aid twice is refused (other term fine), bad amounts and dates are refused', async () => {
      const base = { studentId: st(0).id, itemKey: 'living_boarding', grantedOn: day(), method: 'card' };
      const dup = await as.office.post('/api/support/aid', { ...base, amount: 625, term: 1 });
      expect(dup.status).toBe(409);
      expect(dup.body.message).toContain('不能重复发放');
      expect((await as.office.post('/api/support/aid', { ...base, amount: 625 })).status).toBe(409); // a whole-year row overlaps term 1
      expect(ok(await as.office.post('/api/support/aid', { ...base, amount: 625, term: 2, itemKey: 'living_day' })).amountFen).toBe(62500);
      expect((await as.office.post('/api/support/aid', { ...base, itemKey: 'donation', amount: '12.345' })).status).toBe(400);
      expect((await as.office.post('/api/support/aid', { ...base, itemKey: 'donation', amount: 0 })).status).toBe(400);
      expect(ok(await as.office.post('/api/support/aid', { ...base, itemKey: 'donation', amount: 0, method: 'in_kind', note: '冬衣两套', source: 'social' })).amountFen).toBe(0);
      expect((await as.office.post('/api/support/aid', { ...base, itemKey: 'donation', amount: 100, grantedOn: '2099-01-01' })).status).toBe(400);
      expect((await as.office.post('/api/support/aid', { ...base, itemKey: 'no_such_item', amount: 100 })).status).toBe(400);
    });

    it('the same aid sent twice together: one is recorded, the other refused (this does not force the race the row lock guards against)', async () => {
      const body = { studentId: st(1).id, itemKey: 'living_day', amount: 312.5, grantedOn: day(), term: 1, method: 'card' };
      const res = await Promise.all([as.office.post('/api/support/aid', body), as.office.post('/api/support/aid', body)]);
      expect(res.map((r) => r.status).sort()).toEqual([200, 409]);
    });

    it('scope: another school neither sees nor adds; a head teacher sees their class only; a teacher and the inspector get it masked', async () => {
      expect((await as.principalB.get(`/api/support/aid?studentId=${st(0).id}`)).status).toBe(404);
      expect((await as.principalB.post('/api/support/aid', { studentId: st(0).id, itemKey: 'donation', amount: 100, grantedOn: day(), method: 'cash' })).status).toBe(404);
      expect(ok(await as.principalB.get('/api/support/aid')).items).toEqual([]);
      expect((await as.office.post('/api/support/aid', { studentId: st(6).id, itemKey: 'donation', amount: 100, grantedOn: day(), method: 'cash' })).status).toBe(404);
      // 李明 (head of A1) sees A1's aid, not A2's student; he may not record
      const head = ok(await as.head.get(`/api/support/aid?studentId=${st(0).id}`));
      expect(head).toMatchObject({ masked: false, canEdit: false, total: 3, totalFen: 187500 });
      expect((await as.head.get(`/api/support/aid?studentId=${st(3).id}`)).status).toBe(404);
      expect((await as.head.post('/api/support/aid', { studentId: st(0).id, itemKey: 'donation', amount: 100, grantedOn: day(), method: 'cash' })).status).toBe(403);
      // 王芳 teaches A1: she sees the student, not the amounts
      expect(ok(await as.teacher.get(`/api/support/aid?studentId=${st(0).id}`))).toMatchObject({ masked: true, canEdit: false, total: 0, items: [] });
      expect(ok(await as.inspector.get('/api/support/aid'))).toMatchObject({ masked: true, items: [] });
      expect(ok(await as.office.get(`/api/support/aid?studentId=${st(0).id}`)).canEdit).toBe(true);
    });

    it('each view of the rows is audited; a masked answer writes nothing', async () => {
      const before = (await audits('support.aid_viewed')).length;
      ok(await as.admin.get(`/api/support/aid?studentId=${st(0).id}&schoolYear=${year()}`));
      ok(await as.teacher.get(`/api/support/aid?studentId=${st(0).id}`));
      const after = await audits('support.aid_viewed');
      expect(after.length).toBe(before + 1);
      expect(after.at(-1)).toMatchObject({ entityId: String(st(0).id), after: { studentId: st(0).id, rows: 3 } });
    });

    it('edit keeps before and after in the audit; revoke needs a reason, keeps the row and leaves the total', async () => {
      const e = ok(await as.office.patch(`/api/support/aid/${grantId}`, { amount: '1000', reason: '按小学标准更正' }));
      expect(e.amountFen).toBe(100000);
      expect((await audits('support.aid_updated')).at(-1)).toMatchObject({ entityId: String(grantId), reason: '按小学标准更正', before: { amountFen: 125000 }, after: { amountFen: 100000 } });
      expect((await as.principalB.patch(`/api/support/aid/${grantId}`, { amount: 1 })).status).toBe(404);
      expect((await as.office.post(`/api/support/aid/${grantId}/revoke`, { reason: '' })).status).toBe(400);
      const r = ok(await as.office.post(`/api/support/aid/${grantId}/revoke`, { reason: '学生已转学，退回' }));
      expect(r).toMatchObject({ status: 'revoked', statusLabel: '已撤销', revokedReason: '学生已转学，退回' });
      expect((await audits('support.aid_revoked')).at(-1)).toMatchObject({ entityId: String(grantId), reason: '学生已转学，退回' });
      expect((await as.office.patch(`/api/support/aid/${grantId}`, { amount: 1 })).status).toBe(409);
      const list = ok(await as.office.get(`/api/support/aid?studentId=${st(0).id}`));
      expect(list.total).toBe(3);
      expect(list.totalFen).toBe(62500); // the revoked row no longer counts
      // a revoked grant no longer blocks recording the aid again
      ok(await as.office.post('/api/support/aid', { studentId: st(0).id, itemKey: 'living_boarding', amount: 1000, grantedOn: day(), term: 1, method: 'card' }));
    });

    it('the summary: per school and item, students and amount; the teacher may not', async () => {
      ok(await as.admin.post('/api/support/aid', { studentId: st(6).id, itemKey: 'nutrition', amount: 500, grantedOn: day(), method: 'in_kind' }));
      const s = ok(await as.admin.get(`/api/support/aid/summary?schoolYear=${year()}`));
      const a = getSeed().schools.a.id;
      expect(s.rows.find((r: any) => r.schoolId === a && r.itemKey === 'living_boarding')).toMatchObject({ students: 1, grants: 1, totalFen: 100000 });
      expect(s.rows.some((r: any) => r.schoolId === getSeed().schools.b.id)).toBe(true);
      expect(s.students).toBe(3); // st(0), st(1) and st(6)
      expect(ok(await as.office.get('/api/support/aid/summary')).rows.every((r: any) => r.schoolId === a)).toBe(true);
      expect(ok(await as.inspector.get('/api/support/aid/summary')).rows.length).toBe(s.rows.length);
      expect((await as.teacher.get('/api/support/aid/summary')).status).toBe(403);
    });
  },
  seedCounty,
);
