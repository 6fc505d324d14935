// The stored 校历 (one row per school year) merged into the engine's config, and the checks of one year.
import { describe, expect, it } from 'vitest';
import { calendarConfigOf, calendarOf, validateSchoolYearCalendar } from '../../../src/modules/pairings/school-calendar.js';
import { sniffMime } from '../../../src/modules/pairings/attachments.js';

const y2026 = { schoolYear: '2026-2027', config: { closures: [{ from: '2026-10-01', to: '2026-10-07', label: '国庆节' }], makeUpDays: ['2026-10-10'] } };
const y2027 = { schoolYear: '2027-2028', config: { first: { from: '2027-08-30', to: '2028-01-19' }, closures: [], makeUpDays: [] } };

describe('calendarConfigOf', () => {
  it('turns stored years into one engine config: semester overrides, all closures, all make-up days', () => {
    expect(calendarConfigOf([y2026, y2027])).toEqual({
      overrides: { '2027-2028': { first: { from: '2027-08-30', to: '2028-01-19' } } },
      closures: [{ from: '2026-10-01', to: '2026-10-07', label: '国庆节' }],
      makeUpDays: ['2026-10-10'],
    });
    const cal = calendarOf([y2026, y2027]);
    expect(cal.isSchoolDay('2026-10-08')).toBe(true);
    expect(cal.isSchoolDay('2026-10-06')).toBe(false);
    expect(cal.isWorkingDay('2026-10-10')).toBe(true);
    // 2027-2028 starts on Mon 08-30, so 2026-2027 ends the day before
    expect(cal.schoolYearRange('2026-2027')).toEqual({ from: '2026-09-01', to: '2027-08-29' });
  });
});

describe('validateSchoolYearCalendar', () => {
  it('accepts a sound year', () => {
    expect(validateSchoolYearCalendar('2026-2027', y2026.config, [y2027])).toEqual([]);
  });

  it('refuses closures and make-up days outside the year, weekday make-up days, duplicates, overlapping semesters', () => {
    expect(validateSchoolYearCalendar('2026-2027', { closures: [{ from: '2027-08-30', to: '2027-08-31', label: '开学准备' }], makeUpDays: [] }, [y2027])).toEqual([
      '停课“开学准备”（2027-08-30—2027-08-31）不在2026-2027学年（2026-09-01—2027-08-29）内',
    ]);
    expect(validateSchoolYearCalendar('2026-2027', { closures: [], makeUpDays: ['2026-10-12', '2026-10-10', '2026-10-10'] }, [])).toEqual([
      '调休上班日 2026-10-12 本来就是工作日（应为周六或周日）',
      '调休上班日重复：2026-10-10',
    ]);
    expect(validateSchoolYearCalendar('2026-2027', { first: { from: '2026-09-01', to: '2027-03-01' }, closures: [], makeUpDays: [] }, [])).toEqual([
      '2026-2027学年第一学期与第二学期的日期重叠',
    ]);
  });
});

describe('sniffMime', () => {
  it('knows the accepted types by their first bytes, and nothing else', () => {
    expect(sniffMime(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffMime(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffMime(Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1'))).toBe('image/webp');
    expect(sniffMime(Buffer.from('\0\0\0\x18ftypheic', 'latin1'))).toBe('image/heic');
    expect(sniffMime(Buffer.from('%PDF-1.7'))).toBe('application/pdf');
    expect(sniffMime(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg">'))).toBeNull();
    expect(sniffMime(Buffer.from('GIF89a'))).toBeNull();
    expect(sniffMime(Buffer.from([0xff, 0xd8]))).toBeNull();
  });
});
