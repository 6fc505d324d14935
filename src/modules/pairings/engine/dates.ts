// Date-only arithmetic for the quota engine. Dates are 'YYYY-MM-DD' strings (what DATE
// columns return on both database backends); arithmetic runs on day numbers (days since
// 1970-01-01 in the proleptic Gregorian calendar), never on Date objects, so neither the
// server's nor the browser's time zone can shift a day. Nothing here reads the clock.
// The conversions are Howard Hinnant's days_from_civil / civil_from_days: plain integer
// arithmetic, several times faster than Date, which matters when a county has thousands of
// pairings × periods × days.

/** A calendar date, 'YYYY-MM-DD'. */
export type IsoDate = string;
/** Days since 1970-01-01 (UTC). */
export type DayNumber = number;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses 'YYYY-MM-DD' strictly (2027-02-29 is rejected); returns null when invalid. */
export function parseIsoDate(value: string): DayNumber | null {
  const m = ISO_DATE.exec(value);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  return dayFromParts(y, mo, d);
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
  const p = partsOf(day);
  return `${String(p.year).padStart(4, '0')}-${p.month < 10 ? '0' : ''}${p.month}-${p.day < 10 ? '0' : ''}${p.day}`;
}

/** Year, month (1–12) and day of month of a day number (civil_from_days). */
export function partsOf(day: DayNumber): { year: number; month: number; day: number } {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d };
}

/** Day number of a calendar date (days_from_civil); the month must be 1–12, the day may overflow like Date.UTC's. */
export function dayFromParts(year: number, month: number, day: number): DayNumber {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
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

/**
 * The calendar date in China (UTC+8, no daylight saving) at an instant. Callers compute
 * "today" with this, never with the server's local date or the UTC date: at 07:00 in
 * Beijing it is still yesterday in UTC.
 */
export function chinaDateOf(instant: Date): IsoDate {
  return isoOf(Math.floor((instant.getTime() + 8 * 3_600_000) / 86_400_000));
}
