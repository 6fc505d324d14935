/** The school year a date falls in; it turns over on 1 September: 2026-11-23 → '2026-2027'. */
export function schoolYearOf(date: Date = new Date()): string {
  const y = date.getFullYear();
  const start = date.getMonth() >= 8 ? y : y - 1;
  return `${start}-${start + 1}`;
}

/** First or second term (第一学期 Sept–Jan, 第二学期 Feb–Jul). */
export function termOf(date: Date = new Date()): { schoolYear: string; term: 1 | 2 } {
  const m = date.getMonth();
  return { schoolYear: schoolYearOf(date), term: m >= 8 || m === 0 ? 1 : 2 };
}
