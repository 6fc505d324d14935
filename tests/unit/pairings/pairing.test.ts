// Whole pairings: lifecycle (proposed, cancelled with history), per-person quotas, roll-ups
// per pairing, person and unit, and the "due soon" list. Calendar: fixtures.ts.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUOTAS,
  dueSoon,
  evaluatePairing,
  rollUpByPerson,
  rollUpByUnit,
  type PairingInput,
  type Quota,
} from '../../../src/modules/pairings/engine/index.js';
import { acts, calendar } from './fixtures.js';

const ts = (id: string) => DEFAULT_QUOTAS.teacherStudent.find((q) => q.id === id)!;
const studyGuidance = ts('ts.study_guidance'); // 1 a month
const talks10 = ts('ts.talk.semester');
const fortnightly = ts('ts.talk.fortnight');
const observe4: Quota = { id: 'obs4', activityTypes: ['lesson_observation'], role: 'helper', minCount: 4, period: 'month', maxPerDay: 3, label: '听课（每月4节）' };
const weekly: Quota = { id: 'w', activityTypes: ['guidance'], role: 'helper', minCount: 1, period: 'week', label: '业务指导（每周1次）' };
const collective = DEFAULT_QUOTAS.learningCommunity.find((q) => q.id === 'lc.collective_preparation')!;

function teacherStudent(id: string, teacher: string, unit: string, student: string, extra: Partial<PairingInput> = {}): PairingInput {
  return {
    id,
    status: 'active',
    start: '2026-09-01',
    participants: [
      { id: teacher, role: 'helper', unitId: unit },
      { id: student, role: 'helped', unitId: unit },
    ],
    quotas: [studyGuidance, observe4],
    activities: [],
    ...extra,
  };
}

describe('pairing lifecycle', () => {
  it('does not evaluate a proposed pairing', () => {
    const s = evaluatePairing(teacherStudent('P', 'T', 'U', 'S', { status: 'proposed' }), '2026-10-20', calendar);
    expect(s).toMatchObject({ evaluated: false, quotas: [], summary: { total: 0, worst: null, worstCurrent: null } });
  });

  it('keeps the history of a cancelled pairing and adds no period after its end', () => {
    // Cancelled with Fri 10-16 as its last day. Semester talks: in-session working days
    // Sep 22 + Oct 1–2, 5–9, 12–16 (12) + Sat 10 = 35 of 103 → ceil(10 × 35/103) = 4.
    const pairing = teacherStudent('P', 'T', 'U', 'S', {
      status: 'cancelled',
      end: '2026-10-16',
      quotas: [talks10, fortnightly, studyGuidance],
      activities: [
        ...acts('talk', 'helper', '2026-09-10', '2026-09-24', '2026-10-08'),
        ...acts('talk', 'helper', '2026-10-20'), // after the end: does not count
        ...acts('study_guidance', 'helper', '2026-09-15'),
      ],
    });
    const s = evaluatePairing(pairing, '2026-12-01', calendar);
    const [semester, fortnights, months] = s.quotas;
    expect(semester!.periods).toHaveLength(1);
    expect(semester!.periods[0]).toMatchObject({ from: '2026-09-01', to: '2026-10-16', required: 4, done: 3, ended: true, status: 'missed' });
    // Fortnights 第1—2, 3—4, 5—6 and the clipped 第7—8 (10-12 → 10-16); none after.
    expect(fortnights!.periods.map((p) => [p.period.key, p.to, p.status])).toEqual([
      ['2026-2027-1:W01-02', '2026-09-13', 'done'],
      ['2026-2027-1:W03-04', '2026-09-27', 'done'],
      ['2026-2027-1:W05-06', '2026-10-11', 'done'],
      ['2026-2027-1:W07-08', '2026-10-16', 'missed'],
    ]);
    expect(months!.periods.map((p) => [p.period.key, p.status])).toEqual([
      ['2026-09', 'done'],
      ['2026-10', 'missed'],
    ]);
    expect(s.quotas.every((q) => q.current === null)).toBe(true);
    expect(s.summary).toMatchObject({ total: 7, worst: 'missed', worstCurrent: null });
    // The same pairing one talk richer meets its pro-rated semester share.
    const withFour = { ...pairing, activities: [...pairing.activities, ...acts('talk', 'helper', '2026-10-15')] };
    expect(evaluatePairing(withFour, '2026-12-01', calendar).quotas[0]!.periods[0]!.status).toBe('done');
  });

  it('refuses a completed or cancelled pairing without its end date', () => {
    expect(() => evaluatePairing(teacherStudent('P', 'T', 'U', 'S', { status: 'completed' }), '2026-10-20', calendar)).toThrow(/缺少结束日期/);
    expect(() => evaluatePairing(teacherStudent('P', 'T', 'U', 'S', { end: '2026-08-01' }), '2026-10-20', calendar)).toThrow(/早于开始日期/);
  });
});

describe('quotas per participant and named roles', () => {
  const homeVisit = DEFAULT_QUOTAS.homeVisit[0]; // the helper visits each helped student once a semester

  it('evaluates an `each` quota once per student, counting visits that name the student', () => {
    const pairing: PairingInput = {
      id: 'class-7-3',
      status: 'active',
      start: '2026-09-01',
      participants: [
        { id: 'H', role: 'helper', unitId: 'U' },
        { id: 'A', role: 'helped' },
        { id: 'B', role: 'helped' },
      ],
      quotas: [homeVisit],
      activities: [
        { type: 'home_visit', role: 'helper', date: '2026-10-24', personIds: ['H', 'A'] }, // a Saturday
        { type: 'home_visit', role: 'helper', date: '2026-10-25' }, // names nobody: cannot tell whom
      ],
    };
    const s = evaluatePairing(pairing, '2027-01-21', calendar);
    expect(s.quotas.map((q) => [q.subjectId, q.responsibleIds, q.periods[0]!.status])).toEqual([
      ['A', ['H'], 'done'],
      ['B', ['H'], 'missed'],
    ]);
    expect(rollUpByPerson([s])).toMatchObject([{ key: 'H', total: 2, counts: { done: 1, missed: 1 }, worst: 'missed' }]);
  });

  it('counts an unnamed visit in a one-to-one pairing', () => {
    const pairing: PairingInput = {
      id: 'p',
      status: 'active',
      start: '2026-09-01',
      participants: [
        { id: 'H', role: 'helper' },
        { id: 'A', role: 'helped' },
      ],
      quotas: [homeVisit],
      activities: acts('home_visit', 'helper', '2026-10-25'),
    };
    expect(evaluatePairing(pairing, '2026-10-26', calendar).quotas[0]!.periods[0]!.status).toBe('done');
  });

  it('accepts a named role and reports a quota whose role nobody holds', () => {
    const dispatchLessons: Quota = { id: 'd', activityTypes: ['village_lesson'], role: 'dispatched_teacher', minCount: 1, period: 'semester', label: '送课下乡（每学期1次）' };
    const mentorCheck: Quota = { id: 'x', activityTypes: ['check'], role: 'mentor', minCount: 1, period: 'month', label: '检查' };
    const s = evaluatePairing(
      {
        id: 'dispatch-1',
        status: 'active',
        start: '2026-09-01',
        participants: [
          { id: 'D', role: 'dispatched_teacher', unitId: 'city' },
          { id: 'R', role: 'recipient_school', unitId: 'village' },
        ],
        quotas: [dispatchLessons, mentorCheck, { ...mentorCheck, id: 'bad', minCount: 0, role: 'recipient_school' }],
        activities: acts('village_lesson', 'dispatched_teacher', '2026-11-11'),
      },
      '2026-11-12',
      calendar,
    );
    expect(s.quotas.map((q) => [q.quota.id, q.unitIds, q.current?.status])).toEqual([['d', ['city'], 'done']]);
    expect(s.problems).toEqual(['检查：结对中没有担任“mentor”的一方', '检查：最少次数应为正整数']);
  });
});

describe('roll-ups on Tue 2026-10-20 (worst status wins)', () => {
  // October: working days 23 (incl. Sat 10), open 18; open before 10-20: 8, 9, 10, 12–16, 19 = 9.
  //   study guidance: required 1, expected floor(1 × 9/18) = 0
  //   observations:   required 4, expected floor(4 × 9/18) = 2
  // P3 starts Mon 10-19: October share = 10 of 23 working days → guidance ceil(10/23) = 1,
  //   observations ceil(40/23) = 2, expected floor(2 × 1/10) = 0.
  const P1 = teacherStudent('P1', 'T1', 'U1', 'S1', {
    activities: [
      ...acts('study_guidance', 'helper', '2026-09-15', '2026-10-12'),
      ...acts('lesson_observation', 'helper', '2026-09-07', '2026-09-07', '2026-09-08', '2026-09-08', '2026-10-12', '2026-10-13'),
    ],
  });
  const P2 = teacherStudent('P2', 'T2', 'U1', 'S2', { activities: acts('lesson_observation', 'helper', '2026-10-12') });
  const P3 = teacherStudent('P3', 'T1', 'U1', 'S3', { start: '2026-10-19' });
  const P4 = teacherStudent('P4', 'T3', 'U2', 'S4', { status: 'proposed' });
  const standings = [P1, P2, P3, P4].map((p) => evaluatePairing(p, '2026-10-20', calendar));

  it('per pairing', () => {
    const [s1, s2, s3, s4] = standings;
    expect(s1!.summary).toMatchObject({ total: 4, counts: { done: 3, on_track: 1 }, worst: 'on_track', worstCurrent: 'on_track' });
    expect(s2!.quotas.map((q) => q.periods.map((p) => p.status))).toEqual([
      ['missed', 'on_track'],
      ['missed', 'behind'],
    ]);
    expect(s2!.summary).toMatchObject({ total: 4, counts: { missed: 2, on_track: 1, behind: 1 }, worst: 'missed', worstCurrent: 'behind' });
    expect(s3!.quotas.map((q) => q.current && [q.current.required, q.current.expected, q.current.status])).toEqual([
      [1, 0, 'on_track'],
      [2, 0, 'on_track'],
    ]);
    expect(s4!.summary.total).toBe(0);
  });

  it('per person: T1 over P1 and P3, T2 over P2', () => {
    const byPerson = Object.fromEntries(rollUpByPerson(standings).map((g) => [g.key, g]));
    expect(Object.keys(byPerson).sort()).toEqual(['T1', 'T2']);
    expect(byPerson.T1).toMatchObject({ pairingIds: ['P1', 'P3'], total: 6, counts: { done: 3, on_track: 3 }, worst: 'on_track' });
    expect(byPerson.T2).toMatchObject({ pairingIds: ['P2'], total: 4, worst: 'missed', worstCurrent: 'behind' });
  });

  it('per unit', () => {
    expect(rollUpByUnit(standings)).toMatchObject([
      {
        key: 'U1',
        pairingIds: ['P1', 'P2', 'P3'],
        total: 10,
        counts: { done: 3, on_track: 4, behind: 1, missed: 2, short: 0, not_started: 0, not_required: 0 },
        worst: 'missed',
        worstCurrent: 'behind',
      },
    ]);
  });
});

describe('due soon, from Mon 2026-09-28', () => {
  // One talk on 09-10, nothing else. Horizon 7 days = 09-28 … 10-04 (国庆 from Thursday).
  //   weekly guidance 第5周: open 28, 29, 30 all inside → pace by the horizon = 1 → due 09-30
  //   study guidance September: 22 open days, all before 10-05 → 1 → due 09-30; October: none open before 10-05
  //   fortnight 第5—6周: 3 of 6 open days inside → floor(1 × 3/6) = 0 → not yet
  //   semester talks: floor(10 × 22/98) = 2, one done → 1 more, due by 01-20
  //   collective preparation: September's (Fri 09-11) already short → left out; October's is 10-09
  const pairing: PairingInput = {
    id: 'P',
    status: 'active',
    start: '2026-09-01',
    participants: [
      { id: 'T', role: 'helper' },
      { id: 'S', role: 'helped' },
    ],
    quotas: [weekly, studyGuidance, fortnightly, talks10, collective],
    activities: acts('talk', 'helper', '2026-09-10'),
  };

  it('lists what the pace asks for this week', () => {
    expect(dueSoon([pairing], '2026-09-28', 7, calendar).map((d) => [d.quota.id, d.period.key, d.needed, d.dueBy, d.status])).toEqual([
      ['w', '2026-W40', 1, '2026-09-30', 'on_track'],
      ['ts.study_guidance', '2026-09', 1, '2026-09-30', 'on_track'],
      ['ts.talk.semester', '2026-2027-1', 1, '2027-01-20', 'on_track'],
    ]);
  });

  it('looks further with a longer horizon (14 days: to Sun 10-11)', () => {
    // Adds 第6周 (open 8, 9, 10; it begins after asOf, so it is 'not_started'), the fortnight (all 6 open days inside), October's collective
    // preparation (Fri 10-09, not started yet); semester pace floor(10 × 25/98) = 2 → still 1 more.
    expect(dueSoon([pairing], '2026-09-28', 14, calendar).map((d) => [d.quota.id, d.period.key, d.needed, d.dueBy, d.status])).toEqual([
      ['w', '2026-W40', 1, '2026-09-30', 'on_track'],
      ['ts.study_guidance', '2026-09', 1, '2026-09-30', 'on_track'],
      ['lc.collective_preparation', '2026-10', 1, '2026-10-09', 'not_started'],
      ['w', '2026-W41', 1, '2026-10-10', 'not_started'], // next week: not started on 09-28
      ['ts.talk.fortnight', '2026-2027-1:W05-06', 1, '2026-10-10', 'on_track'],
      ['ts.talk.semester', '2026-2027-1', 1, '2027-01-20', 'on_track'],
    ]);
  });

  it('skips proposed and ended pairings, and what is already done', () => {
    const done = { ...pairing, activities: [...pairing.activities, ...acts('guidance', 'helper', '2026-09-28'), ...acts('study_guidance', 'helper', '2026-09-02'), ...acts('talk', 'helper', '2026-09-21')] };
    expect(dueSoon([done], '2026-09-28', 7, calendar)).toEqual([]);
    expect(dueSoon([{ ...pairing, status: 'proposed' }], '2026-09-28', 7, calendar)).toEqual([]);
    expect(dueSoon([{ ...pairing, status: 'cancelled', end: '2026-09-25' }], '2026-09-28', 7, calendar)).toEqual([]);
    expect(() => dueSoon([pairing], '2026-09-28', 0, calendar)).toThrow();
  });
});
