// School years and terms follow the calendar in China (UTC+8, no daylight saving),
// whatever time zone the server runs in: 2026-08-31T16:30Z is already 1 September there.
const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/** Year, month (1–12) and day of an instant on the China calendar. */
export function chinaDateParts(date: Date = new Date()): { year: number; month: number; day: number } {
  const shifted = new Date(date.getTime() + CHINA_OFFSET_MS);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** The school year a date falls in; it turns over on 1 September: 2026-11-23 → '2026-2027'. */
export function schoolYearOf(date: Date = new Date()): string {
  const { year, month } = chinaDateParts(date);
  const start = month >= 9 ? year : year - 1;
  return `${start}-${start + 1}`;
}

/** First or second term (第一学期 Sept–Jan, 第二学期 Feb–Aug). */
export function termOf(date: Date = new Date()): { schoolYear: string; term: 1 | 2 } {
  const { month } = chinaDateParts(date);
  return { schoolYear: schoolYearOf(date), term: month >= 9 || month === 1 ? 1 : 2 };
}
