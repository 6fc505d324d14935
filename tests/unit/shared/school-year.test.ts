import { describe, expect, it } from 'vitest';
import { schoolYearOf, termOf } from '../../../src/shared/school-year.js';

// noon in China (04:00 UTC): the school year follows the China calendar, not the server's zone
const d = (y: number, m: number, day: number) => new Date(Date.UTC(y, m - 1, day, 4));

describe('schoolYearOf', () => {
  it.each([
    [d(2026, 11, 23), '2026-2027'],
    [d(2026, 9, 1), '2026-2027'],
    [d(2026, 8, 31), '2025-2026'],
    [d(2027, 1, 15), '2026-2027'],
    [d(2027, 7, 10), '2026-2027'],
    [d(2026, 12, 31), '2026-2027'],
    [d(2027, 1, 1), '2026-2027'],
  ])('%s → %s', (date, year) => {
    expect(schoolYearOf(date)).toBe(year);
  });

  it('turns over at midnight China time, not UTC', () => {
    expect(schoolYearOf(new Date('2026-08-31T15:59:00Z'))).toBe('2025-2026'); // 23:59 on 31 Aug in China
    expect(schoolYearOf(new Date('2026-08-31T16:00:00Z'))).toBe('2026-2027'); // 00:00 on 1 Sep in China
  });
});

describe('termOf', () => {
  it.each([
    [d(2026, 9, 1), '2026-2027', 1],
    [d(2026, 12, 20), '2026-2027', 1],
    [d(2027, 1, 20), '2026-2027', 1], // January still belongs to the first term
    [d(2027, 2, 1), '2026-2027', 2],
    [d(2027, 7, 5), '2026-2027', 2],
    [d(2027, 8, 20), '2026-2027', 2], // summer holiday: still the year that ends
  ])('%s → %s term %i', (date, year, term) => {
    expect(termOf(date)).toEqual({ schoolYear: year, term });
  });
});
