import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUOTAS,
  dayOf,
  describeQuota,
  validateQuota,
  windowContains,
  type Quota,
} from '../../../src/modules/pairings/engine/index.js';

describe('default quota sets', () => {
  const all = Object.values(DEFAULT_QUOTAS).flat();

  it('are valid, with unique ids, Chinese labels and a source', () => {
    for (const q of all) {
      expect(validateQuota(q), q.id).toEqual([]);
      expect(q.label, q.id).toMatch(/[\u4e00-\u9fff]/);
      expect(q.source, q.id).toMatch(/^00[0-4] /);
    }
    expect(new Set(all.map((q) => q.id)).size).toBe(all.length);
  });

  it('carry the numbers of the documents', () => {
    const pick = (set: keyof typeof DEFAULT_QUOTAS, id: string) => DEFAULT_QUOTAS[set].find((q) => q.id === id)!;
    expect(pick('teacherStudent', 'ts.talk.semester')).toMatchObject({ minCount: 10, period: 'semester' });
    expect(pick('teacherStudent', 'ts.home_contact')).toMatchObject({ activityTypes: ['phone_visit', 'home_visit'], minCount: 2 });
    expect(pick('mentoring', 'm.observe.apprentice_semester')).toMatchObject({ minCount: 25, role: 'helped' });
    expect(pick('mentoringSpecialPost', 'msp.observe.apprentice')).toMatchObject({ minCount: 15 });
    expect(pick('schoolPairing', 'sp.sending_teaching').window).toEqual({ months: [3, 4, 5, 10, 11, 12] });
    expect(pick('learningCommunity', 'lc.collective_preparation').window).toEqual({ nthWeekdayOfMonth: { n: 2, weekday: 5 } });
    expect(describeQuota(pick('teacherStudent', 'ts.talk.semester'))).toBe('每学期不少于10次');
  });
});

describe('windows', () => {
  const at = (w: Quota['window'], date: string) => windowContains(w, dayOf(date));

  it('by months', () => {
    expect(at({ months: [3, 4, 5] }, '2027-05-31')).toBe(true);
    expect(at({ months: [3, 4, 5] }, '2027-06-01')).toBe(false);
    expect(at(undefined, '2027-06-01')).toBe(true);
  });

  it('by month-days, wrapping the new year; 02-29 as an end means the end of February', () => {
    const winter = { fromMonthDay: '12-01', toMonthDay: '02-29' };
    expect(at(winter, '2026-11-30')).toBe(false);
    expect(at(winter, '2026-12-01')).toBe(true);
    expect(at(winter, '2027-01-15')).toBe(true);
    expect(at(winter, '2027-02-28')).toBe(true);
    expect(at(winter, '2027-03-01')).toBe(false);
    expect(at(winter, '2028-02-29')).toBe(true);
    expect(at({ fromMonthDay: '03-01', toMonthDay: '05-31' }, '2027-02-28')).toBe(false);
  });

  it('by the nth weekday of the month', () => {
    const secondFriday = { nthWeekdayOfMonth: { n: 2, weekday: 5 } } as const;
    expect(at(secondFriday, '2026-10-02')).toBe(false); // first Friday
    expect(at(secondFriday, '2026-10-09')).toBe(true);
    expect(at(secondFriday, '2026-11-13')).toBe(true); // November starts on a Sunday
    const lastFriday = { nthWeekdayOfMonth: { n: -1, weekday: 5 } } as const;
    expect(at(lastFriday, '2026-10-30')).toBe(true);
    expect(at(lastFriday, '2026-10-23')).toBe(false);
  });
});

describe('validateQuota', () => {
  it('explains each problem in Chinese', () => {
    const bad = {
      id: 'x',
      label: '坏规则',
      activityTypes: [],
      role: '',
      minCount: 1.5,
      period: 'fortnight',
      maxPerDay: 0,
      window: { months: [13] },
    } as unknown as Quota;
    expect(validateQuota(bad)).toEqual([
      '坏规则：至少要指定一种活动类型',
      '坏规则：缺少由谁完成（角色）',
      '坏规则：最少次数应为正整数',
      '坏规则：周期无效',
      '坏规则：每天最多次数应为正整数',
      '坏规则：时间窗口的月份应为 1—12',
    ]);
  });
});
