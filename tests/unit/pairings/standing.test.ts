// The quota engine against hand-worked calendars. The grid and the day counts are in
// fixtures.ts; each test writes out the arithmetic it expects.
import { describe, expect, it } from 'vitest';
import {
  createSchoolCalendar,
  DEFAULT_QUOTAS,
  evaluateQuota,
  type PeriodStanding,
  type Quota,
} from '../../../src/modules/pairings/engine/index.js';
import { acts, calendar, NATIONAL_DAY } from './fixtures.js';

const weekly: Quota = { id: 'w', activityTypes: ['guidance'], role: 'helper', minCount: 1, period: 'week', label: '业务指导（每周1次）' };
const fortnightly = DEFAULT_QUOTAS.teacherStudent.find((q) => q.id === 'ts.talk.fortnight')!;
const talks10 = DEFAULT_QUOTAS.teacherStudent.find((q) => q.id === 'ts.talk.semester')!;
const observe4 = DEFAULT_QUOTAS.mentoring.find((q) => q.id === 'm.observe.mentor_month')!; // 4 a month, up to 3 a day
const sending = DEFAULT_QUOTAS.schoolPairing.find((q) => q.id === 'sp.sending_teaching')!;
const collective = DEFAULT_QUOTAS.learningCommunity.find((q) => q.id === 'lc.collective_preparation')!;

const fromSep1 = { start: '2026-09-01' };

function periodAt(quota: Quota, activities: ReturnType<typeof acts>, asOf: string, key: string, span = fromSep1): PeriodStanding {
  const found = evaluateQuota(quota, activities, span, asOf, calendar).periods.find((p) => p.period.key === key);
  if (!found) throw new Error(`no period ${key} on ${asOf}`);
  return found;
}
const statusAt = (quota: Quota, activities: ReturnType<typeof acts>, asOf: string, key: string, span = fromSep1) =>
  periodAt(quota, activities, asOf, key, span).status;

describe('a weekly quota in the week across the month end with 国庆 (第5周, Mon 09-28 → Sun 10-04)', () => {
  // Working days Mon–Fri = 5 (closures are not subtracted) → required = ceil(1 × 5/5) = 1.
  // Open days: Mon 28, Tue 29, Wed 30 (Thu 1 and Fri 2 are closed) = 3.
  const W5 = '2026-W40';

  it('is on track while an open day remains, short once none is left, missed the Monday after', () => {
    expect(periodAt(weekly, [], '2026-09-30', W5)).toMatchObject({
      required: 1,
      done: 0,
      expected: 0, // floor(1 × 2 open days before Wed / 3)
      remainingOccasions: 1, // Wed 30 itself
      dueBy: '2026-09-30',
      ended: false,
      status: 'on_track',
    });
    expect(statusAt(weekly, [], '2026-10-01', W5)).toBe('short'); // Thu: closed through Sunday
    expect(statusAt(weekly, [], '2026-10-04', W5)).toBe('short'); // Sunday, inclusive end: not yet missed
    expect(periodAt(weekly, [], '2026-10-05', W5)).toMatchObject({ ended: true, status: 'missed' });
  });

  it('counts an activity dated on a closed day (a holiday phone call) towards the week and October', () => {
    const holidayCall = acts('guidance', 'helper', '2026-10-01');
    expect(statusAt(weekly, holidayCall, '2026-10-02', W5)).toBe('done');
    expect(statusAt(weekly, holidayCall, '2026-10-05', W5)).toBe('done');
    const monthly: Quota = { ...weekly, id: 'm', period: 'month' };
    expect(statusAt(monthly, holidayCall, '2026-10-05', '2026-10')).toBe('done');
    expect(statusAt(monthly, holidayCall, '2026-10-05', '2026-09')).toBe('missed');
  });

  it('asks for one in 第6周 (Mon 10-05 → Sun 10-11), open only Thu 8, Fri 9 and the make-up Saturday 10', () => {
    // Working: Mon–Fri + Sat 10 = 6 → required ceil(1 × 6/6) = 1. Open: 8, 9, 10 = 3.
    expect(periodAt(weekly, [], '2026-10-10', '2026-W41')).toMatchObject({ required: 1, remainingOccasions: 1, status: 'on_track' });
    expect(statusAt(weekly, [], '2026-10-11', '2026-W41')).toBe('short');
  });

  it('demands nothing in a fully closed week or in the winter break', () => {
    const longClosure = createSchoolCalendar({ closures: [{ from: '2026-10-01', to: '2026-10-11', label: '国庆节（延长）' }] });
    const w6 = evaluateQuota(weekly, [], fromSep1, '2026-10-20', longClosure).periods.find((p) => p.period.key === '2026-W41');
    expect(w6).toMatchObject({ required: 0, status: 'not_required' });
    // Winter break: Mon 2027-01-25 → Sun 01-31 has no day in session.
    expect(statusAt(weekly, [], '2027-02-01', '2027-W04')).toBe('not_required');
    // 第21周 (Mon 01-18 → Sun 01-24) still has Mon–Wed in session: ceil(1 × 3/5) = 1.
    expect(periodAt(weekly, [], '2027-01-25', '2027-W03')).toMatchObject({ required: 1, status: 'missed' });
  });
});

describe("'two_weeks': talk every two weeks (teaching weeks 1–2, 3–4, …)", () => {
  // F1 = 第1—2周 Mon 08-31 → Sun 09-13: working days 10 (Aug 31 + Sep 1–4 + 7–11), 9 in session
  //   → required ceil(1 × 9/10) = 1.
  // F2 = 第3—4周 Mon 09-14 → Sun 09-27: 10 open days.
  // F3 = 第5—6周 Mon 09-28 → Sun 10-11: working 11 (10 weekdays + Sat 10-10), open 6 (28, 29, 30, 8, 9, 10).
  const talkOnSep10 = acts('talk', 'helper', '2026-09-10');

  it('meets F1 with one talk, and F2 turns short on its last Saturday, missed on the next Monday', () => {
    expect(periodAt(fortnightly, talkOnSep10, '2026-09-14', '2026-2027-1:W01-02')).toMatchObject({ required: 1, done: 1, status: 'done' });
    // Fri 09-25: 9 open days before, expected floor(1 × 9/10) = 0, Friday itself remains.
    expect(periodAt(fortnightly, talkOnSep10, '2026-09-25', '2026-2027-1:W03-04')).toMatchObject({
      expected: 0,
      remainingOccasions: 1,
      status: 'on_track',
    });
    expect(statusAt(fortnightly, talkOnSep10, '2026-09-26', '2026-2027-1:W03-04')).toBe('short');
    expect(statusAt(fortnightly, talkOnSep10, '2026-09-27', '2026-2027-1:W03-04')).toBe('short');
    expect(statusAt(fortnightly, talkOnSep10, '2026-09-28', '2026-2027-1:W03-04')).toBe('missed');
  });

  it('spans 国庆 in F3: on track on Thu 10-08 with 3 open days left', () => {
    expect(periodAt(fortnightly, talkOnSep10, '2026-10-08', '2026-2027-1:W05-06')).toMatchObject({
      required: 1,
      expected: 0, // floor(1 × 3/6)
      remainingOccasions: 3,
      status: 'on_track',
    });
  });

  it('lists only the fortnights up to asOf', () => {
    const keys = evaluateQuota(fortnightly, talkOnSep10, fromSep1, '2026-10-08', calendar).periods.map((p) => p.period.key);
    expect(keys).toEqual(['2026-2027-1:W01-02', '2026-2027-1:W03-04', '2026-2027-1:W05-06']);
  });
});

describe('a semester quota: ≥10 talks in 第一学期 (09-01 → 01-20)', () => {
  // In-session working days 103, open days 98 (fixtures.ts). Required = ceil(10 × 103/103) = 10.
  const three = acts('talk', 'helper', '2026-09-10', '2026-09-20', '2026-10-01'); // a Sunday and a holiday count too
  const key = '2026-2027-1';

  it('judges pace by open days: behind on Mon 11-02 with 3 done', () => {
    // Open days before 11-02: Sep 22 + Oct 18 = 40 → expected floor(10 × 40/98) = 4.
    expect(periodAt(talks10, three, '2026-11-02', key)).toMatchObject({
      required: 10,
      done: 3,
      expected: 4,
      stillNeeded: 7,
      remainingOccasions: 58, // 98 − 40
      status: 'behind',
    });
    const four = [...three, ...acts('talk', 'helper', '2026-10-30')];
    expect(statusAt(talks10, four, '2026-11-02', key)).toBe('on_track');
  });

  it('turns short the day the open days left drop below the talks still needed', () => {
    // Still needed 7. From Tue 01-12: 12, 13, 14, 15, 18, 19, 20 = 7 → behind.
    // From Wed 01-13: 6 → short. Wed 01-20 is the last day (inclusive); Thu 01-21 → missed.
    expect(periodAt(talks10, three, '2027-01-12', key)).toMatchObject({ remainingOccasions: 7, status: 'behind' });
    expect(periodAt(talks10, three, '2027-01-13', key)).toMatchObject({ remainingOccasions: 6, status: 'short' });
    expect(periodAt(talks10, three, '2027-01-20', key)).toMatchObject({ ended: false, status: 'short' });
    expect(periodAt(talks10, three, '2027-01-21', key)).toMatchObject({ ended: true, status: 'missed' });
  });

  it('is done when ten are recorded, whenever that is', () => {
    const ten = acts('talk', 'helper', ...Array.from({ length: 10 }, (_, i) => `2026-09-${String(i + 10)}`));
    expect(statusAt(talks10, ten, '2026-09-30', key)).toBe('done');
  });

  it('ignores other types, other roles, dates before the start and after asOf', () => {
    const noise = [
      ...acts('study_guidance', 'helper', '2026-09-10'),
      ...acts('talk', 'helped', '2026-09-11'),
      ...acts('talk', 'helper', '2026-08-31', '2026-11-20'),
    ];
    expect(periodAt(talks10, noise, '2026-11-02', key).done).toBe(0);
  });
});

describe('a pairing that starts mid-period is asked for a pro-rated share', () => {
  const fromNov16 = { start: '2026-11-16' };

  it('semester: 48 of 103 working days left → ceil(10 × 48/103) = 5 talks', () => {
    // Nov 16–20, 23–27, 30 = 11; Dec 23; Jan 14 → 48.
    expect(periodAt(talks10, [], '2026-11-20', '2026-2027-1', fromNov16)).toMatchObject({
      from: '2026-11-16',
      to: '2027-01-20',
      required: 5,
    });
  });

  it('month: 11 of 21 working days of November → 4 observations become ceil(4 × 11/21) = 3', () => {
    expect(periodAt(observe4, [], '2026-11-16', '2026-11', fromNov16)).toMatchObject({ required: 3, status: 'on_track' });
  });

  it('month partly outside the semester is pro-rated too', () => {
    // January 2027: 21 weekdays, 14 until Wed 01-20 → ceil(4 × 14/21) = 3.
    expect(periodAt(observe4, [], '2027-01-05', '2027-01').required).toBe(3);
    // February 2027: 20 weekdays, in session from Sat 02-20 → Mon 22 … Fri 26 = 5 → ceil(4 × 5/20) = 1.
    expect(periodAt(observe4, [], '2027-02-22', '2027-02').required).toBe(1);
  });

  it('week: starting on Saturday 09-19 leaves no working day in 第3周, so nothing is asked', () => {
    const fromSat = { start: '2026-09-19' };
    expect(periodAt(weekly, [], '2026-09-20', '2026-W38', fromSat)).toMatchObject({ required: 0, status: 'not_required' });
    expect(periodAt(weekly, [], '2026-09-21', '2026-W39', fromSat)).toMatchObject({ required: 1 });
  });

  it('a pairing that has not started yet has no periods', () => {
    expect(evaluateQuota(talks10, [], { start: '2026-12-01' }, '2026-11-30', calendar).periods).toEqual([]);
  });
});

describe('a window inside the period: 送教 in March–May (second semester 02-20 → 07-10)', () => {
  const key = '2026-2027-2';

  it('has not started before March, is on track through May 31, short from June 1, missed after July 10', () => {
    expect(periodAt(sending, [], '2027-02-25', key)).toMatchObject({ required: 1, status: 'not_started', dueBy: '2027-05-31' });
    expect(statusAt(sending, [], '2027-04-15', key)).toBe('on_track');
    expect(periodAt(sending, [], '2027-05-31', key)).toMatchObject({ remainingOccasions: 1, status: 'on_track' });
    expect(periodAt(sending, [], '2027-06-01', key)).toMatchObject({ remainingOccasions: 0, ended: false, status: 'short' });
    expect(statusAt(sending, [], '2027-07-10', key)).toBe('short');
    expect(statusAt(sending, [], '2027-07-11', key)).toBe('missed');
  });

  it('counts only 送教 inside the window', () => {
    expect(statusAt(sending, acts('sending_teaching', 'helper', '2027-06-10'), '2027-07-11', key)).toBe('missed');
    expect(statusAt(sending, acts('sending_teaching', 'helper', '2027-05-20'), '2027-05-21', key)).toBe('done');
    // First semester: the window is October–December.
    expect(periodAt(sending, [], '2026-09-15', '2026-2027-1')).toMatchObject({ status: 'not_started', dueBy: '2026-12-31' });
  });

  it('a second-Friday rule: October 2026 has Fri 10-02 (closed) and Fri 10-09 → only 10-09 counts', () => {
    expect(periodAt(collective, [], '2026-10-08', '2026-10')).toMatchObject({ required: 1, status: 'not_started', dueBy: '2026-10-09' });
    expect(statusAt(collective, [], '2026-10-09', '2026-10')).toBe('on_track');
    expect(statusAt(collective, [], '2026-10-10', '2026-10')).toBe('short');
    expect(statusAt(collective, [], '2026-11-01', '2026-10')).toBe('missed');
    expect(statusAt(collective, acts('collective_preparation', 'helper', '2026-10-16'), '2026-11-01', '2026-10')).toBe('missed');
    expect(statusAt(collective, acts('collective_preparation', 'helper', '2026-10-09'), '2026-10-09', '2026-10')).toBe('done');
  });

  it('a second Friday that falls on a closure asks for nothing that month', () => {
    // November 2026 starts on a Sunday: Fridays 6 and 13 → the second is 11-13.
    const cal = createSchoolCalendar({ closures: [NATIONAL_DAY, { from: '2026-11-13', to: '2026-11-13', label: '运动会' }] });
    const nov = evaluateQuota(collective, [], fromSep1, '2026-11-30', cal).periods.find((p) => p.period.key === '2026-11');
    expect(nov).toMatchObject({ required: 0, status: 'not_required' });
  });
});

describe('leap day', () => {
  // February 2028 starts on a Tuesday: 21 weekdays; 2027-2028 第二学期 starts Sun 02-20,
  // so in session: 21–25, 28, 29 = 7 → ceil(4 × 7/21) = 2 observations.
  const key = '2028-02';

  it('counts 02-29 in February, and February ends on the 29th', () => {
    const one = acts('lesson_observation', 'helper', '2028-02-28');
    expect(periodAt(observe4, one, '2028-02-29', key)).toMatchObject({
      to: '2028-02-29',
      required: 2,
      done: 1,
      expected: 1, // floor(2 × 6/7)
      remainingOccasions: 3, // one day, up to 3 lessons
      status: 'on_track',
    });
    expect(statusAt(observe4, one, '2028-03-01', key)).toBe('missed');
    const two = acts('lesson_observation', 'helper', '2028-02-28', '2028-02-29');
    expect(statusAt(observe4, two, '2028-03-01', key)).toBe('done');
    expect(periodAt(observe4, two, '2028-03-01', '2028-03').done).toBe(0);
  });
});

describe('maxPerDay decides "short": 25 observations a semester, 3 a day', () => {
  const apprentice25 = DEFAULT_QUOTAS.mentoring.find((q) => q.id === 'm.observe.apprentice_semester')!;
  it('with 5 open days left, 15 more are still possible but 16 are not', () => {
    // From Thu 01-14: 14, 15, 18, 19, 20 = 5 open days × 3 = 15.
    const ten = acts('lesson_observation', 'helped', ...Array.from({ length: 10 }, () => '2026-09-15'));
    const nine = ten.slice(1);
    expect(periodAt(apprentice25, ten, '2027-01-14', '2026-2027-1')).toMatchObject({ remainingOccasions: 15, status: 'behind' });
    expect(statusAt(apprentice25, nine, '2027-01-14', '2026-2027-1')).toBe('short');
  });
});
