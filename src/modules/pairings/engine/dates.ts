// Date-only arithmetic for the quota engine. Dates are 'YYYY-MM-DD' strings (what DATE
// columns return on both database backends); arithmetic runs on UTC day numbers so the
// server's or the browser's time zone can never shift a day. Nothing here reads the clock.

/** A calendar date, 'YYYY-MM-DD'. */
export type IsoDate = string;
/** Days since 1970-01-01 (UTC). */
export type DayNumber = number;

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses 'YYYY-MM-DD' strictly (2027-02-29 is rejected); returns null when invalid. */
export function parseIsoDate(value: string): DayNumber | null {
  const m = ISO_DATE.exec(value);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  return Date.UTC(y, mo - 1, d) / MS_PER_DAY;
}

export function isIsoDate(value: unknown): value is IsoDate {
  return typeof value === 'string' && parseIsoDate(value) !== null;
}

/** Day number of an ISO date; throws on a malformed date (a programming error, not user input). */
export function dayOf(date: IsoDate): DayNumber {
  const n = parseIsoDate(date);
  if (n === null) throw new RangeError(`不是有效日期（应为 YYYY-MM-DD）：${date}`);
  return n;
}

export function isoOf(day: DayNumber): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Year, month (1–12) and day of month of a day number. */
export function partsOf(day: DayNumber): { year: number; month: number; day: number } {
  const d = new Date(day * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function dayFromParts(year: number, month: number, day: number): DayNumber {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return isoOf(dayOf(date) + days);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. (1970-01-01, day 0, was a Thursday.) */
export function weekdayOf(day: DayNumber): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** The Monday on or before the day. */
export function mondayOf(day: DayNumber): DayNumber {
  return day - (weekdayOf(day) - 1);
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** ISO-8601 week key of the week containing the day, e.g. '2026-W40' (the week's year is its Thursday's year). */
export function isoWeekKey(day: DayNumber): string {
  const thursday = mondayOf(day) + 3;
  const { year } = partsOf(thursday);
  const week = Math.floor((thursday - dayFromParts(year, 1, 1)) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** 'M月D日', for labels. */
export function monthDayLabel(day: DayNumber): string {
  const p = partsOf(day);
  return `${p.month}月${p.day}日`;
}
