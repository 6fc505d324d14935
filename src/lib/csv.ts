// CSV fields as Excel and WPS read them; no Node imports (the pure engines use it too).

/** A CSV field: empty for null, numbers as JavaScript prints them, quoted when it holds a comma, quote or line break. */
export function csvValue(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'string') return String(v);
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
