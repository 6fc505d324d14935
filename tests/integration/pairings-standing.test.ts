// Quota standings computed from stored data (programme quotas, the bureau's calendar, the
// records that count) equal the pure engine's, on a calendar worked out by hand; roll-ups by
// person and school, what is due soon, and the school calendar API.
//
// 2026-2027 学年, default semesters (第一学期 Tue 2026-09-01 → Wed 2027-01-20), stored closures
// 国庆节 10-01…10-07 and 元旦 Fri 2027-01-01, make-up working day Sat 10-10.
// Pairing 李明 → 张伟 (师生结对) from Mon 2026-11-16. Quota ts.talk.semester: ≥10 talks a semester.
//   Working days in session 11-16 … 01-20: Nov 11 + Dec 23 + Jan 14 = 48 of the semester's 103
//   required = ⌈10 × 48/103⌉ = ⌈4.66⌉ = 5   (closures do not lower a count)
//   open days in the span: 48 − 1 (元旦) = 47
// Talks on 11-18, 11-25 (counted) and 11-30 (returned by 教导处: does not count).
//   asOf Mon 01-18: open days before = 47 − 3 (18, 19, 20) = 44 → expected ⌊5 × 44/47⌋ = 4;
//                   done 2 < 4, still needed 3 ≤ 3 occasions left (18, 19, 20) → behind
//   asOf Tue 01-19: 2 occasions left < 3 still needed → short
//   after the returned talk is resubmitted (done 3): 01-19 → needed 2 ≤ 2 left, expected ⌊5 × 45/47⌋ = 4 > 3 → behind
import { beforeAll, describe, expect, it } from 'vitest';
import { createSchoolCalendar, DEFAULT_QUOTAS, evaluatePairing, type PairingStanding } from '../../src/modules/pairings/engine/index.js';
import { describeOnBackends } from '../helpers/db.js';
import { Agent, testApp, loginSeedUsers } from '../helpers/http.js';
import { seedCounty } from '../helpers/seed.js';

const CALENDAR_2026 = {
  closures: [
    { from: '2026-10-01', to: '2026-10-07', label: '国庆节' },
    { from: '2027-01-01', to: '2027-01-01', label: '元旦' },
  ],
  makeUpDays: ['2026-10-10'],
};

/** The engine's answer on the same data, shaped like the API's. */
function engineView(s: PairingStanding) {
  return s.quotas.map((q) => ({
    quotaId: q.quota.id,
    periods: q.periods.map((p) => ({ key: p.period.key, required: p.required, done: p.done, expected: p.expected, remainingOccasions: p.remainingOccasions, dueBy: p.dueBy, status: p.status })),
  }));
}
const apiView = (body: any) =>
  body.quotas.map((q: any) => ({
    quotaId: q.quotaId,
    periods: q.periods.map((p: any) => ({ key: p.key, required: p.required, done: p.done, expected: p.expected, remainingOccasions: p.remainingOccasions, dueBy: p.dueBy, status: p.status })),
  }));

describeOnBackends(
  'pairing standings from stored data',
  (getCtx, _kind, getSeed) => {
    const as = {} as Record<'admin' | 'office' | 'head' | 'teacher' | 'principalB', Agent>;
    let pairing: any;
    let returnedTalk: any;
    let helpedRef: string;

    beforeAll(async () => {
      const app = await testApp(getCtx());
      const u = getSeed().users;
      Object.assign(as, await loginSeedUsers(app, u, ['admin', 'office', 'head', 'teacher', 'principalB']));
    });

    describe('the school calendar', () => {
      it('the bureau stores a year; the engine checks it; others may only read it', async () => {
        expect((await as.office.put('/api/school-calendar/2026-2027', CALENDAR_2026)).status).toBe(403);
        const bad = async (body: unknown, message: RegExp) => {
          const res = await as.admin.put('/api/school-calendar/2026-2027', body);
          expect(res.status, JSON.stringify(res.body)).toBe(400);
          expect(res.body.message).toMatch(message);
        };
        await bad({ makeUpDays: ['2026-10-12'] }, /调休上班日 2026-10-12 本来就是工作日/);
        await bad({ closures: [{ from: '2027-09-05', to: '2027-09-06', label: '运动会' }] }, /不在2026-2027学年/);
        await bad({ first: { from: '2026-09-01', to: '2027-03-01' } }, /2026-2027学年第一学期与第二学期的日期重叠/);
        await bad({ closures: [{ from: '2026-10-07', to: '2026-10-01', label: '国庆节' }] }, /停课结束日期早于开始日期/);
        const ok = await as.admin.put('/api/school-calendar/2026-2027', CALENDAR_2026);
        expect(ok.status, JSON.stringify(ok.body)).toBe(200);
        expect(ok.body).toMatchObject({
          schoolYear: '2026-2027',
          config: CALENDAR_2026,
          semesters: [{ term: 1, start: '2026-09-01', end: '2027-01-20' }, { term: 2, start: '2027-02-20', end: '2027-07-10' }],
        });
        const list = await as.teacher.get('/api/school-calendar');
        expect(list.body.find((y: any) => y.schoolYear === '2026-2027').config).toEqual(CALENDAR_2026);
      });
    });

    describe('one pairing', () => {
      beforeAll(async () => {
        const s = getSeed();
        const st = s.studentsOf(s.classes.a1)[0]!;
        helpedRef = `student:${st.id}`;
        pairing = (await as.office.post('/api/pairings', {
          programme: 'teacher_student', start: '2026-11-16', status: 'active',
          participants: [{ role: 'helper', kind: 'teacher', personId: s.teachers.liMing.id }, { role: 'helped', kind: 'student', personId: st.id }],
        })).body;
        for (const date of ['2026-11-18', '2026-11-25', '2026-11-30']) {
          const r = await as.head.post('/api/activities', { pairingId: pairing.id, type: 'talk', date, content: '谈心' });
          expect(r.status, JSON.stringify(r.body)).toBe(200);
          returnedTalk = r.body;
        }
        // a study-method guidance is not a talk: it must not count for the talk quotas
        expect((await as.head.post('/api/activities', { pairingId: pairing.id, type: 'study_guidance', date: '2026-11-20' })).status).toBe(200);
        expect((await as.office.post(`/api/activities/${returnedTalk.id}/review`, { verdict: 'returned', comment: '记录不完整' })).status).toBe(200);
      });

      const semesterTalks = async (asOf: string) => {
        const res = await as.head.get(`/api/pairings/${pairing.id}/standing?asOf=${asOf}`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return res.body.quotas.find((q: any) => q.quotaId === 'ts.talk.semester');
      };

      it('a pairing started mid-semester: 5 talks required, behind on 01-18, short on 01-19 (the returned talk does not count)', async () => {
        const behind = await semesterTalks('2027-01-18');
        expect(behind.current).toMatchObject({
          key: '2026-2027-1', from: '2026-11-16', to: '2027-01-20', required: 5, done: 2, expected: 4, stillNeeded: 3,
          remainingOccasions: 3, dueBy: '2027-01-20', ended: false, status: 'behind', statusLabel: '进度落后',
        });
        expect(behind.responsibleIds).toEqual([`teacher:${getSeed().teachers.liMing.id}`]);
        const short = await semesterTalks('2027-01-19');
        expect(short.current).toMatchObject({ required: 5, done: 2, remainingOccasions: 2, status: 'short', statusLabel: '已无法完成' });
      });

      it("equals the pure engine's evaluation of the same pairing, every quota and period", async () => {
        const calendar = createSchoolCalendar(CALENDAR_2026);
        const teacher = `teacher:${getSeed().teachers.liMing.id}`;
        for (const asOf of ['2026-11-20', '2026-12-02', '2027-01-18', '2027-01-19', '2027-01-21']) {
          const expected = evaluatePairing({
            id: String(pairing.id), status: 'active', start: '2026-11-16',
            participants: [{ id: teacher, role: 'helper', unitId: `school:${getSeed().schools.a.id}` }, { id: helpedRef, role: 'helped', unitId: `school:${getSeed().schools.a.id}` }],
            quotas: DEFAULT_QUOTAS.teacherStudent,
            activities: [
              { type: 'talk', role: 'helper', date: '2026-11-18' },
              { type: 'talk', role: 'helper', date: '2026-11-25' },
              { type: 'study_guidance', role: 'helper', date: '2026-11-20' },
            ],
          }, asOf, calendar);
          const res = await as.head.get(`/api/pairings/${pairing.id}/standing?asOf=${asOf}`);
          expect(apiView(res.body), asOf).toEqual(engineView(expected));
          expect(res.body.summary, asOf).toEqual(expected.summary);
          expect(res.body.quotas.length).toBe(DEFAULT_QUOTAS.teacherStudent.length);
        }
      });

      it('rolls up by person and by school; due soon lists the talks still needed', async () => {
        const s = getSeed();
        const byPerson = await as.office.get('/api/pairings/standings?groupBy=person&asOf=2027-01-19&programme=teacher_student');
        const li = byPerson.body.groups.find((g: any) => g.key === `teacher:${s.teachers.liMing.id}`);
        expect(li).toMatchObject({ name: '李明', pairingIds: [pairing.id], worstCurrent: 'short' });
        const byUnit = await as.office.get('/api/pairings/standings?groupBy=unit&asOf=2027-01-19');
        expect(byUnit.body.groups.find((g: any) => g.key === `school:${s.schools.a.id}`)).toMatchObject({ name: '城关第一小学', worstCurrent: 'short' });
        const due = await as.head.get('/api/pairings/due?asOf=2027-01-18&days=3');
        expect(due.body.items).toContainEqual(expect.objectContaining({ pairingId: pairing.id, quotaId: 'ts.talk.semester', required: 5, done: 2, needed: 3, dueBy: '2027-01-20', status: 'behind' }));
        // another school sees none of it
        expect((await as.principalB.get(`/api/pairings/${pairing.id}/standing`)).status).toBe(404);
        expect((await as.principalB.get('/api/pairings/standings?groupBy=person')).body.groups).toEqual([]);
        expect((await as.teacher.get('/api/pairings/due?days=7')).body.items.filter((i: any) => i.pairingId === pairing.id)).toEqual([]);
      });

      it('the resubmitted talk counts again: behind, not short, on 01-19', async () => {
        const again = await as.head.put(`/api/activities/${returnedTalk.id}`, { content: '谈心：寒假安排' });
        expect(again.body.status).toBe('submitted');
        expect((await semesterTalks('2027-01-19')).current).toMatchObject({ required: 5, done: 3, expected: 4, remainingOccasions: 2, status: 'behind' });
      });

      it('today (China time) is the default day', async () => {
        const res = await as.head.get(`/api/pairings/${pairing.id}/standing`);
        expect(res.status).toBe(200);
        expect(res.body.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(res.body.evaluated).toBe(true);
      });
    });

    it('a programme whose quotas change is evaluated by the new quotas; removing a type in use is refused', async () => {
      const prog = (await as.admin.get('/api/programmes/teacher_student')).body;
      const { id: _i, key: _k, builtin: _b, activePairings, updatedAt: _u, ...def } = prog;
      expect(activePairings).toBeGreaterThan(0);
      const talk20 = { ...def, quotas: def.quotas.map((q: any) => (q.id === 'ts.talk.semester' ? { ...q, minCount: 20, label: '谈心谈话（每学期不少于20次）' } : q)) };
      expect((await as.office.put('/api/programmes/teacher_student', talk20)).status).toBe(403);
      const saved = await as.admin.put('/api/programmes/teacher_student', talk20);
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      // ⌈20 × 48/103⌉ = 10
      expect((await as.head.get(`/api/pairings/${pairing.id}/standing?asOf=2027-01-18`)).body.quotas.find((q: any) => q.quotaId === 'ts.talk.semester').current.required).toBe(10);
      const noTalk = await as.admin.put('/api/programmes/teacher_student', { ...def, activityTypes: def.activityTypes.filter((t: any) => t.key !== 'talk'), quotas: [] });
      expect(noTalk.status).toBe(409);
      expect(noTalk.body.message).toContain('活动类型 talk');
      const badQuota = await as.admin.put('/api/programmes/teacher_student', { ...def, quotas: [{ ...def.quotas[0], activityTypes: ['nap'] }] });
      expect(badQuota.status).toBe(400);
      expect(badQuota.body.message).toContain('活动类型“nap”不在本项目的活动类型中');
      expect((await as.admin.put('/api/programmes/teacher_student', def)).status).toBe(200);
    });

    it('documents the endpoints in OpenAPI under the tag pairings', async () => {
      const doc = (await new Agent(as.admin.app).get('/api/docs/json')).body;
      const expected: [string, string][] = [
        ['/api/programmes', 'get'], ['/api/programmes', 'post'], ['/api/programmes/{key}', 'put'], ['/api/school-calendar', 'get'], ['/api/school-calendar/{schoolYear}', 'put'],
        ['/api/pairings', 'get'], ['/api/pairings', 'post'], ['/api/pairings/{id}', 'get'], ['/api/pairings/{id}', 'patch'], ['/api/pairings/{id}/transition', 'post'],
        ['/api/pairings/{id}/participants', 'post'], ['/api/pairings/{id}/participants/{participantId}/end', 'post'], ['/api/pairings/{id}/standing', 'get'],
        ['/api/pairings/standings', 'get'], ['/api/pairings/due', 'get'], ['/api/activities', 'get'], ['/api/activities', 'post'], ['/api/activities/{id}', 'get'],
        ['/api/activities/{id}', 'put'], ['/api/activities/{id}/review', 'post'], ['/api/activities/{id}/attachments', 'post'], ['/api/activities/{id}/attachments/{attachmentId}', 'get'],
      ];
      for (const [p, m] of expected) expect(doc.paths[p]?.[m]?.tags, `${m} ${p}`).toEqual(['pairings']);
    });
  },
  seedCounty,
);
