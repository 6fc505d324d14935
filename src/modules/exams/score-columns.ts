/**
 * Pure helpers between the database and the analysis engine's columnar input.
 *
 * Why packed text: an exam has up to ~300 000 students × 9 subjects. Reading
 * them as one JS object per row (what both drivers do) costs more than the
 * analysis itself. So the repo asks PostgreSQL for ONE string per column
 * (`string_agg(scores[k]::text, ',')`, the same row order for every column)
 * and splits it here into typed arrays. float8 → text is the shortest exact
 * form (PostgreSQL ≥ 12), so scores and ratios round-trip exactly.
 * Rows to store are given as columns (`Column`) and travel as COPY text on
 * PostgreSQL (`copyChunks`) or as one delimited string per column, split by
 * `string_to_array` and `unnest` on the server, on PGlite (`packColumn`).
 */

import { arrayLiteral, copyText } from '../../lib/copy-text.js';
import { parseClass } from '../roster-import/row-normalize.js';

/** Separator between values of a packed text column (ASCII unit separator: never in names). */
export const FIELD_SEP = '\u001f';
/** Separator inside one value (a list, e.g. a candidate's subjects). */
export const LIST_SEP = '\u001e';

/**
 * A packed column of numbers, `''` = NULL → NaN. `n` = expected length (0 rows = empty string).
 * Plain decimals (what PostgreSQL prints for scores and ids) are read digit by digit, without
 * a substring per value (300,000 × 9 of them cost more in garbage than in parsing): the
 * digits make an integer m < 2^53 and k decimals, and m / 10^k (both exact, k ≤ 22) is the
 * correctly rounded double — the same one Number() gives. Anything else (an exponent, a sign,
 * more digits) falls back to Number().
 */
export function parseNumberColumn(text: string | null | undefined, n: number, sep = ','): Float64Array {
  const out = new Float64Array(n);
  if (n === 0) return out;
  const s = text ?? '';
  const sepCode = sep.charCodeAt(0);
  const len = s.length;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    if (pos > len) throw new RangeError(`打包列只有 ${i} 个值, 应有 ${n} 个`);
    const start = pos;
    let m = 0;
    let decimals = -1; // -1: no point seen
    let digits = 0;
    let plain = true;
    while (pos < len) {
      const c = s.charCodeAt(pos);
      if (c === sepCode) break;
      if (c >= 48 && c <= 57) {
        m = m * 10 + (c - 48);
        digits++;
        if (decimals >= 0) decimals++;
      } else if (c === 46 && decimals < 0) decimals = 0;
      else plain = false;
      pos++;
    }
    if (pos === start) out[i] = NaN;
    else if (plain && digits > 0 && digits <= 15 && decimals <= 22) out[i] = decimals > 0 ? m / POW10[decimals]! : m;
    else out[i] = Number(s.slice(start, pos));
    pos++; // past the separator
  }
  if (pos <= len) throw new RangeError(`打包列的值多于 ${n} 个`);
  return out;
}

const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`)); // parsed, so exact

/** A packed column of integers, `''` = NULL → `nullValue`. */
export function parseIntColumn(text: string | null | undefined, n: number, nullValue = -1, sep = ','): Int32Array {
  const f = parseNumberColumn(text, n, sep);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = f[i]!;
    out[i] = v === v ? v : nullValue;
  }
  return out;
}

/** A packed text column (FIELD_SEP between values). */
export function parseTextColumn(text: string | null | undefined, n: number): string[] {
  if (n === 0) return [];
  const parts = (text ?? '').split(FIELD_SEP);
  if (parts.length !== n) throw new RangeError(`打包列的长度 ${parts.length} 与行数 ${n} 不一致`);
  return parts;
}

/** Marks a NULL text in a packed column (`string_to_array(…, chr(31), chr(29))`). */
export const TEXT_NULL = '\u001d';

/** One list as a packed value (LIST_SEP between items). */
export function joinList(list: readonly string[]): string {
  return list.map(cleanText).join(LIST_SEP);
}

/** The separators are control characters no name contains; should one slip in, it becomes a space. */
function cleanText(v: string): string {
  return /[\u001d-\u001f]/.test(v) ? v.replace(/[\u001d-\u001f]/g, ' ') : v;
}

/** The entry cohort of a grade in a school year: 2026-2027, grade 7 → 2019 (first year − grade). */
export function cohortOf(schoolYear: string, grade: number): number {
  const start = Number(schoolYear.slice(0, 4));
  if (!/^\d{4}-\d{4}$/.test(schoolYear) || !Number.isInteger(grade)) throw new RangeError(`学年或年级无效: ${schoolYear} ${grade}`);
  return start - grade;
}

/**
 * The stable class key (shared decision): `${schoolCode}/${cohort}/${classNo}`, so a class
 * is the same unit from 初一 to 初三; a class the registry does not know keeps the file's label.
 */
export function classUnitKey(schoolCode: string, cohort: number, classNoOrLabel: number | string): string {
  return `${schoolCode}/${cohort}/${classNoOrLabel}`;
}

/**
 * The key of a class the registry does not have for the exam's school year (typically last
 * year's exam, before this year's roster): a label that names a class of the exam's grade
 * ('七年级(1)班', '1班', '(1)', '701') is that class number, so the class is the same unit as
 * the registered class a year later; any other label stays the key as written.
 */
export function labelClassKey(schoolCode: string, cohort: number, grade: number, label: string): { key: string; classNo: number | null } {
  const parsed = parseClass(label, grade);
  if (parsed && parsed !== 'invalid' && (parsed.grade == null || parsed.grade === grade)) {
    return { key: classUnitKey(schoolCode, cohort, parsed.classNo), classNo: parsed.classNo };
  }
  return { key: classUnitKey(schoolCode, cohort, label), classNo: null };
}

/**
 * Score distribution: 11 buckets of 10 % of full marks — [0,10 %), [10 %,20 %) … [90 %,100 %),
 * and the last one for full marks exactly. Absentees (NaN) are not counted. Decided on integer
 * hundredths (scoreDecimals), so 60 of 100 and 90 of 150 both fall in the 60 % bucket exactly.
 */
export function scoreDistribution(scores: Float64Array, fullMarks: number, scoreDecimals = 2): number[] {
  const scale = 10 ** scoreDecimals;
  const full = Math.round(fullMarks * scale);
  const out = new Array<number>(11).fill(0);
  if (!(full > 0)) return out;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (s !== s) continue;
    const q = Math.round(s * scale);
    let b = Math.floor((q * 10) / full);
    if (b < 0) b = 0;
    if (b > 10) b = 10;
    out[b]!++;
  }
  return out;
}

// ───────────── columns to store: packed for unnest (PGlite), or COPY text (PostgreSQL) ─────────────

/** 'text[]' and 'int[]' values are arrays of strings (an engine array may be shared between rows) */
export type ColumnType = 'text' | 'int' | 'float8' | 'bool' | 'text[]' | 'int[]' | 'timestamptz';
export type ColumnValue = string | number | boolean | null | readonly string[];

/** One column of rows to store: its SQL name and type, one value per row. */
export interface Column {
  name: string;
  type: ColumnType;
  values: ArrayLike<ColumnValue>;
}

/** A column packed for `string_to_array` (see the repo's insertColumns): FIELD_SEP between rows. */
export function packColumn(c: Column): string {
  const v = c.values;
  const parts = new Array<string>(v.length);
  const lists = new Map<readonly string[], string>();
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (c.type === 'text[]' || c.type === 'int[]') {
      const list = (x ?? []) as readonly string[];
      let s = lists.get(list);
      if (s === undefined) lists.set(list, (s = joinList(list)));
      parts[i] = s;
    } else if (c.type === 'text' || c.type === 'timestamptz') parts[i] = x === null || x === undefined ? TEXT_NULL : cleanText(String(x));
    else parts[i] = x === null || x === undefined || (typeof x === 'number' && x !== x) ? '' : String(x);
  }
  return parts.join(FIELD_SEP);
}

/**
 * Rows as COPY text (tab-separated, \N = NULL), `constants` first on every line (e.g. the
 * exam id), in chunks of `rowsPerChunk` lines.
 */
export function* copyChunks(constants: readonly string[], columns: readonly Column[], rowsPerChunk = 2000): Generator<string> {
  const count = columns.length > 0 ? columns[0]!.values.length : 0;
  const head = constants.map((c) => copyText(c) + '\t').join('');
  const lists = new Map<readonly string[], string>();
  let buf = '';
  for (let i = 0; i < count; i++) {
    let line = head;
    for (let k = 0; k < columns.length; k++) {
      const c = columns[k]!;
      const x = c.values[i];
      let cell: string;
      if (x === null || x === undefined || (typeof x === 'number' && x !== x)) cell = c.type === 'text[]' || c.type === 'int[]' ? '{}' : '\\N';
      else if (c.type === 'text[]' || c.type === 'int[]') {
        const list = x as readonly string[];
        let s = lists.get(list);
        if (s === undefined) lists.set(list, (s = copyText(arrayLiteral(list))));
        cell = s;
      } else if (c.type === 'text' || c.type === 'timestamptz') cell = copyText(String(x));
      else cell = String(x);
      line += k === 0 ? cell : '\t' + cell;
    }
    buf += line + '\n';
    if ((i + 1) % rowsPerChunk === 0) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}
