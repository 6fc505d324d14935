import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  chinaDateOf,
  dayOf,
  isIsoDate,
  isoOf,
  isoWeekKey,
  mondayOf,
  parseIsoDate,
  weekdayOf,
} from '../../../src/modules/pairings/engine/dates.js';

describe('date-only arithmetic', () => {
  it('parses YYYY-MM-DD strictly, leap days included', () => {
    expect(isIsoDate('2028-02-29')).toBe(true); // 2028 is a leap year
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('2100-02-29')).toBe(false); // divisible by 100, not by 400
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('2026-9-1')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(parseIsoDate('1970-01-01')).toBe(0);
    expect(() => dayOf('2026/09/01')).toThrow(/YYYY-MM-DD/);
  });

  it('adds days across month ends, year ends and leap days', () => {
    expect(addDays('2026-09-30', 1)).toBe('2026-10-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(isoOf(dayOf('2026-10-04') + 7)).toBe('2026-10-11');
  });

  it('agrees with Date.UTC on every day from 1900 to 2100', () => {
    for (let ms = Date.UTC(1900, 0, 1), end = Date.UTC(2100, 11, 31); ms <= end; ms += 86_400_000) {
      const iso = new Date(ms).toISOString().slice(0, 10);
      const day = ms / 86_400_000;
      if (dayOf(iso) !== day || isoOf(day) !== iso) throw new Error(`mismatch on ${iso}`);
    }
  });

  it('knows weekdays (1 = Monday) and Mondays', () => {
    expect(weekdayOf(dayOf('2026-09-01'))).toBe(2); // Tuesday
    expect(weekdayOf(dayOf('2026-09-28'))).toBe(1);
    expect(weekdayOf(dayOf('2026-10-04'))).toBe(7);
    expect(weekdayOf(dayOf('1969-12-29'))).toBe(1); // before day 0
    expect(isoOf(mondayOf(dayOf('2026-10-04')))).toBe('2026-09-28');
    expect(isoOf(mondayOf(dayOf('2026-09-28')))).toBe('2026-09-28');
  });

  it('takes "today" in China time, whatever the server zone', () => {
    expect(chinaDateOf(new Date('2026-09-30T15:59:59Z'))).toBe('2026-09-30'); // 23:59:59 in Beijing
    expect(chinaDateOf(new Date('2026-09-30T16:00:00Z'))).toBe('2026-10-01'); // midnight in Beijing
    expect(chinaDateOf(new Date('2028-02-28T23:00:00Z'))).toBe('2028-02-29');
  });

  it('numbers ISO weeks by the Thursday', () => {
    // 2026-01-01 is a Thursday: week 1 = Mon 2025-12-29 … Sun 2026-01-04, and 2026 has 53 weeks.
    expect(isoWeekKey(dayOf('2025-12-29'))).toBe('2026-W01');
    expect(isoWeekKey(dayOf('2026-09-28'))).toBe('2026-W40');
    expect(isoWeekKey(dayOf('2027-01-01'))).toBe('2026-W53');
    expect(isoWeekKey(dayOf('2027-01-04'))).toBe('2027-W01');
  });

  it('the engine never reads local time or the clock', () => {
    // Local-time getters shift dates by a day in UTC+8 at midnight; the clock makes results untestable.
    const dir = join(import.meta.dirname, '../../../src/modules/pairings/engine');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(join(dir, file), 'utf8');
      expect(source, file).not.toMatch(/\.(getFullYear|getMonth|getDate|getDay|getHours|setDate|setHours)\(/);
      expect(source, file).not.toMatch(/new Date\(\)|Date\.now\(/);
    }
  });
});
