// Hand-worked calendar: see fixtures.ts for the grid of 2026-09 / 2026-10.
import { describe, expect, it } from 'vitest';
import {
  createSchoolCalendar,
  dayOfMonthDay,
  isoOf,
  validateCalendarConfig,
} from '../../../src/modules/pairings/engine/index.js';
import { calendar } from './fixtures.js';

describe('semesters and school years', () => {
  it('defaults to 09-01 → 01-20 and 02-20 → 07-10', () => {
    expect(calendar.semester('2026-2027', 1)).toEqual({ schoolYear: '2026-2027', term: 1, start: '2026-09-01', end: '2027-01-20' });
    expect(calendar.semester('2026-2027', 2)).toEqual({ schoolYear: '2026-2027', term: 2, start: '2027-02-20', end: '2027-07-10' });
  });

  it('puts the breaks in no semester, inclusive ends', () => {
    expect(calendar.semesterOn('2026-08-31')).toBeNull();
    expect(calendar.semesterOn('2026-09-01')?.term).toBe(1);
    expect(calendar.semesterOn('2027-01-20')?.term).toBe(1);
    expect(calendar.semesterOn('2027-01-21')).toBeNull();
    expect(calendar.semesterOn('2027-02-19')).toBeNull();
    expect(calendar.semesterOn('2027-02-20')?.term).toBe(2);
    expect(calendar.semesterOn('2027-07-10')?.term).toBe(2);
    expect(calendar.semesterOn('2027-07-11')).toBeNull();
  });

  it('runs a school year from its first semester to the day before the next one, breaks included', () => {
    expect(calendar.schoolYearOn('2026-08-31')).toBe('2025-2026');
    expect(calendar.schoolYearOn('2026-09-01')).toBe('2026-2027');
    expect(calendar.schoolYearOn('2027-08-01')).toBe('2026-2027');
    expect(calendar.schoolYearRange('2026-2027')).toEqual({ from: '2026-09-01', to: '2027-08-31' });
  });

  it('takes a county 校历 override for one year', () => {
    const cal = createSchoolCalendar({
      overrides: { '2026-2027': { first: { from: '2026-08-31', to: '2027-01-22' }, second: { from: '2027-02-22', to: '2027-07-02' } } },
    });
    expect(cal.schoolYearOn('2026-08-31')).toBe('2026-2027');
    expect(cal.schoolYearRange('2025-2026')).toEqual({ from: '2025-09-01', to: '2026-08-30' });
    expect(cal.semesterOn('2027-01-22')?.term).toBe(1);
    expect(cal.semesterOn('2027-07-05')).toBeNull();
    expect(cal.semester('2027-2028', 1).start).toBe('2027-09-01'); // other years keep the defaults
  });

  it('rejects invalid configuration in Chinese', () => {
    expect(validateCalendarConfig({ closures: [{ from: '2026-10-07', to: '2026-10-01', label: '国庆节' }] })).toEqual([
      '停课结束日期早于开始日期：国庆节',
    ]);
    expect(validateCalendarConfig({ workingWeekdays: [0] })).toHaveLength(1);
    expect(() => createSchoolCalendar({ makeUpDays: ['2026-02-30'] })).toThrow(/调休上班日期无效/);
    const overlapping = createSchoolCalendar({ overrides: { '2026-2027': { first: { from: '2026-09-01', to: '2027-03-01' } } } });
    expect(() => overlapping.semester('2026-2027', 1)).toThrow(/重叠/);
  });
});

describe('school days', () => {
  it('a school day is a working day in a semester and not closed', () => {
    expect(calendar.isSchoolDay('2026-08-31')).toBe(false); // Monday before the semester
    expect(calendar.isSchoolDay('2026-09-01')).toBe(true);
    expect(calendar.isSchoolDay('2026-09-30')).toBe(true);
    expect(calendar.isSchoolDay('2026-10-01')).toBe(false); // 国庆
    expect(calendar.isWorkingDay('2026-10-01')).toBe(true); // a Thursday, closed
    expect(calendar.isClosed('2026-10-07')).toBe(true);
    expect(calendar.isSchoolDay('2026-10-08')).toBe(true);
    expect(calendar.isSchoolDay('2026-10-10')).toBe(true); // make-up Saturday
    expect(calendar.isSchoolDay('2026-10-11')).toBe(false); // Sunday
    expect(calendar.isSchoolDay('2026-10-17')).toBe(false); // ordinary Saturday
    expect(calendar.closureOn('2026-10-03')?.label).toBe('国庆节');
    expect(calendar.closureOn('2026-10-08')).toBeNull();
  });

  it('a closure wins over a make-up day', () => {
    const cal = createSchoolCalendar({ closures: [{ from: '2026-10-10', to: '2026-10-10', label: '停课' }], makeUpDays: ['2026-10-10'] });
    expect(cal.isSchoolDay('2026-10-10')).toBe(false);
  });

  it('counts leap day 2028-02-29 (a Tuesday) as a school day of 2027-2028 第二学期', () => {
    expect(calendar.semesterOn('2028-02-29')).toMatchObject({ schoolYear: '2027-2028', term: 2 });
    expect(calendar.isSchoolDay('2028-02-29')).toBe(true);
    expect(isoOf(dayOfMonthDay(2027, '02-29'))).toBe('2027-02-28'); // a 02-29 rule in a common year
  });
});

describe('periods', () => {
  it('keeps a week across a month end whole: Mon 09-28 → Sun 10-04 is one week, 第5周', () => {
    const weeks = calendar.periodsBetween('week', '2026-09-28', '2026-10-04');
    expect(weeks).toEqual([
      {
        kind: 'week',
        key: '2026-W40',
        label: '第5周（9月28日—10月4日）',
        start: '2026-09-28',
        end: '2026-10-04',
        schoolYear: '2026-2027',
        term: 1,
        teachingWeeks: [5, 5],
      },
    ]);
    // …while the same dates touch two months.
    expect(calendar.periodsBetween('month', '2026-09-28', '2026-10-04').map((p) => [p.key, p.start, p.end])).toEqual([
      ['2026-09', '2026-09-01', '2026-09-30'],
      ['2026-10', '2026-10-01', '2026-10-31'],
    ]);
  });

  it('numbers teaching weeks from the week holding the first day; Mon 08-31 is in 第1周', () => {
    expect(calendar.teachingWeekOn('2026-08-31')?.week).toBe(1);
    expect(calendar.teachingWeekOn('2026-10-04')?.week).toBe(5);
    // Aug 31 → Jan 18 is 140 days = 20 weeks, so the last week (Jan 18–24) is 第21周.
    expect(calendar.teachingWeekOn('2027-01-20')?.week).toBe(21);
    expect(calendar.teachingWeekOn('2027-01-25')).toBeNull();
    expect(calendar.periodOn('week', '2027-01-27')?.label).toBe('2027年第4周（1月25日—1月31日）');
  });

  it('tiles a semester into fortnights of teaching weeks; 21 weeks leave a single last week', () => {
    const fortnights = calendar.periodsBetween('two_weeks', '2026-09-01', '2027-01-20');
    expect(fortnights).toHaveLength(11);
    expect(fortnights[0]).toMatchObject({ key: '2026-2027-1:W01-02', start: '2026-08-31', end: '2026-09-13', teachingWeeks: [1, 2] });
    expect(fortnights[2]).toMatchObject({ start: '2026-09-28', end: '2026-10-11', label: '第一学期第5—6周（9月28日—10月11日）' });
    expect(fortnights[10]).toMatchObject({ key: '2026-2027-1:W21-21', start: '2027-01-18', end: '2027-01-24', teachingWeeks: [21, 21] });
    expect(calendar.periodsBetween('two_weeks', '2027-01-25', '2027-02-19')).toEqual([]); // winter break
  });

  it('starts teaching on the Monday after a semester that opens on a Saturday (2027-02-20)', () => {
    // Sat 02-20 and Sun 02-21 are teaching dates but no working days: 第1周 is Mon 02-22 → Sun 02-28,
    // and the first fortnight reaches back to take in the weekend: Sat 02-20 → Sun 03-07.
    expect(calendar.teachingWeekOn('2027-02-22')?.week).toBe(1);
    expect(calendar.teachingWeekOn('2027-02-20')).toBeNull();
    expect(calendar.periodOn('week', '2027-02-20')?.label).toBe('2027年第7周（2月15日—2月21日）');
    expect(calendar.periodOn('two_weeks', '2027-02-20')).toMatchObject({
      key: '2026-2027-2:W01-02',
      start: '2027-02-20',
      end: '2027-03-07',
      label: '第二学期第1—2周（2月20日—3月7日）',
    });
    expect(calendar.periodOn('two_weeks', '2027-03-08')).toMatchObject({ key: '2026-2027-2:W03-04', start: '2027-03-08' });
  });

  it('lists semesters and school years overlapping a range', () => {
    expect(calendar.periodsBetween('semester', '2027-01-21', '2027-02-19')).toEqual([]);
    expect(calendar.periodsBetween('semester', '2026-12-01', '2027-03-01').map((p) => p.label)).toEqual([
      '2026—2027学年第一学期',
      '2026—2027学年第二学期',
    ]);
    expect(calendar.periodsBetween('school_year', '2027-08-31', '2027-09-01').map((p) => [p.key, p.start, p.end])).toEqual([
      ['2026-2027', '2026-09-01', '2027-08-31'],
      ['2027-2028', '2027-09-01', '2028-08-31'],
    ]);
    expect(calendar.periodsBetween('month', '2028-02-01', '2028-02-29').map((p) => p.end)).toEqual(['2028-02-29']);
    expect(calendar.periodsBetween('week', '2026-10-05', '2026-10-01')).toEqual([]);
  });
});
