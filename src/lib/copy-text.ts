// PostgreSQL COPY text format (COPY … FROM STDIN, the default text format), shared by every
// writer that streams rows with COPY: roster staging (src/modules/roster-import/staging-format.ts),
// exam scores (exam-import.repo.ts) and the analysis's result rows (score-columns.ts).
// Pure and dependency-free, so a worker thread can load it cheaply.

const COPY_SPECIAL = /[\\\t\n\r]/g;
const COPY_SPECIAL_ANY = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * A text value as a COPY field: backslash, tab, newline and carriage return escaped; null is
 * `\N`. Most values hold none of them: a plain test is cheaper than a replace with a callback.
 */
export function copyText(v: string | null | undefined): string {
  if (v == null) return '\\N';
  return COPY_SPECIAL_ANY.test(v) ? v.replace(COPY_SPECIAL, (c) => COPY_ESCAPES[c]!) : v;
}

/** A text[] literal (before copyText): every element double-quoted, its quotes and backslashes escaped. */
export function arrayLiteral(list: readonly string[] | null | undefined): string {
  return '{' + (list ?? []).map((x) => '"' + x.replace(/["\\]/g, '\\$&') + '"').join(',') + '}';
}
