// 居民身份证号码 (GB 11643-1999). Pure functions, shared by server, importer, demo generator and web.

import { toHalfWidth } from './half-width.js';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** Full-width digits and letters to ASCII, spaces (incl. U+3000 and NBSP) removed, x upper-cased. */
export function normalizeIdNumber(raw: string): string {
  return toHalfWidth(raw)
    .replace(/[\s\u3000\u00a0'’‘`]/g, '')
    .toUpperCase();
}

/** The check character for the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

export type IdProblem =
  | 'empty'
  | 'scientific' // Excel turned it into a float, e.g. 3.60102E+17: the last digits are gone
  | 'format'
  | 'region'
  | 'birthdate'
  | 'checksum';

export interface IdInfo {
  /** the 18-character form (15-digit IDs are upgraded) */
  id: string;
  birthDate: string; // YYYY-MM-DD
  /** GB/T 2261.1: '1' male, '2' female */
  sex: '1' | '2';
  regionCode: string;
  /** the input was an old 15-digit number */
  upgradedFrom15: boolean;
}

export type IdResult = { ok: true; value: IdInfo } | { ok: false; problem: IdProblem };

const PROBLEM_ZH: Record<IdProblem, string> = {
  empty: '身份证号为空',
  scientific: '身份证号被 Excel 存成了数字（科学计数法），后几位已经丢失，无法还原；请把该列设为“文本”后重新填写',
  format: '身份证号格式不正确（应为18位，最后一位可为X）',
  region: '身份证号前6位不是有效的行政区划代码',
  birthdate: '身份证号中的出生日期（第7–14位）不是有效日期',
  checksum: '身份证号校验位错误，可能有数字录入错误',
};

export function idProblemMessage(p: IdProblem): string {
  return PROBLEM_ZH[p];
}

function validChecksum(id18: string): boolean {
  return /^\d{17}[\dX]$/.test(id18) && idCheckChar(id18.slice(0, 17)) === id18[17];
}

function validDate(y: number, m: number, d: number, today = new Date()): boolean {
  if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return false;
  return dt.getTime() <= today.getTime();
}

/** Validates and decodes an ID number; accepts the messy forms users type. */
export function parseIdNumber(raw: string | null | undefined, today = new Date()): IdResult {
  if (raw == null || normalizeIdNumber(String(raw)) === '') return { ok: false, problem: 'empty' };
  const s = normalizeIdNumber(String(raw));
  if (/^\d(\.\d+)?E\+?\d+$/i.test(s) || /^\d+\.\d+$/.test(s)) return { ok: false, problem: 'scientific' };
  let id18: string;
  let upgraded = false;
  if (/^\d{15}$/.test(s)) {
    // old form: 6 region + YYMMDD + 3 sequence; the century is 19
    const first17 = s.slice(0, 6) + '19' + s.slice(6);
    id18 = first17 + idCheckChar(first17);
    upgraded = true;
  } else if (/^\d{17}[\dX]$/.test(s)) {
    id18 = s;
  } else {
    return { ok: false, problem: 'format' };
  }
  if (!/^[1-9]\d{5}$/.test(id18.slice(0, 6))) return { ok: false, problem: 'region' };
  const y = Number(id18.slice(6, 10));
  const m = Number(id18.slice(10, 12));
  const d = Number(id18.slice(12, 14));
  if (!validDate(y, m, d, today)) return { ok: false, problem: 'birthdate' };
  if (!upgraded && !validChecksum(id18)) {
    // Excel keeps 15 significant digits: an 18-digit number typed as a number ends in 000.
    if (/^\d{15}000$/.test(id18)) return { ok: false, problem: 'scientific' };
    return { ok: false, problem: 'checksum' };
  }
  return {
    ok: true,
    value: {
      id: id18,
      birthDate: `${id18.slice(6, 10)}-${id18.slice(10, 12)}-${id18.slice(12, 14)}`,
      sex: Number(id18[16]) % 2 === 1 ? '1' : '2',
      regionCode: id18.slice(0, 6),
      upgradedFrom15: upgraded,
    },
  };
}

/**
 * 18 digits of which the last three are 0: what Excel leaves of an ID it stored as a number (it
 * keeps 15 significant digits). A genuine ID can look like this too (sequence x00, check digit 0).
 */
export function endsLikeExcelNumber(id18: string): boolean {
  return id18.length === 18 && id18.endsWith('000') && /^\d{15}000$/.test(id18);
}

/**
 * One ID cell as the whole-file rule (idColumnStoredAsNumbers) counts it: empty, 18 digits ending
 * in 000 that pass every check ('zeros-valid') or fail one ('zeros-invalid'), or anything else.
 */
export type IdCell = 'none' | 'zeros-valid' | 'zeros-invalid' | 'other';

/** The kind of a non-empty ID cell, given what parseIdNumber made of it. */
export function idCellOf(rawId: string, parsed: IdResult): IdCell {
  // an upgraded 15-digit ID got its check character computed: not Excel's doing
  if (parsed.ok) return !parsed.value.upgradedFrom15 && endsLikeExcelNumber(parsed.value.id) ? 'zeros-valid' : 'other';
  return endsLikeExcelNumber(normalizeIdNumber(rawId)) ? 'zeros-invalid' : 'other';
}

/** The ID cells of one file, as idColumnStoredAsNumbers reads them. */
export interface IdColumnCounts {
  /** rows with anything in the ID cell */
  withId: number;
  /** IDs that are 18 digits ending in 000 and pass every check (checksum included): genuine or truncated */
  zerosValid: number;
  /** IDs that are 18 digits ending in 000 and fail a check: a genuine ID never does, so truncated (or mistyped) */
  zerosInvalid: number;
}

/**
 * Whole-file rule: did Excel store this file's ID column as numbers? Then every ID ending in 000
 * has lost its last three digits, including the ~1 in 11 whose checksum happens to pass (check
 * digit 0), which no per-row rule can tell from a genuine ID. Yes when all three hold:
 *
 * - at least 3 IDs end in 000, and more than 1% of the rows with an ID: a genuine ID ends in 000
 *   by chance about once in 1,100 (digits 16–17 '00': 1/100, check digit '0': 1/11), i.e. ~0.09%;
 *   a column stored as numbers gives ~90% (every ID but those ending in X, which stay text). Above
 *   1% at most ~9% of the IDs ending in 000 can be genuine ones;
 * - at least half of them fail their checks (in a truncated column ~10 in 11 do, a genuine ID never
 *   does). So genuine IDs alone never trigger the rule, however many a file holds: without this, a
 *   300-row file would hold 3 genuine IDs ending in 000 about once in 370 files and be rejected
 *   again after every correction, since the IDs are right. A truly truncated column escapes only
 *   when more than half of its IDs pass by chance: 3 IDs, ~2%; 5 IDs, ~0.6%; 20 IDs, ~1e-7.
 */
/** Adds one row's ID cell to the file's counts. */
export function countIdCell(c: IdColumnCounts, cell: IdCell): void {
  if (cell === 'none') return;
  c.withId++;
  if (cell === 'zeros-valid') c.zerosValid++;
  else if (cell === 'zeros-invalid') c.zerosInvalid++;
}

export function idColumnStoredAsNumbers(c: IdColumnCounts): boolean {
  const zeros = c.zerosValid + c.zerosInvalid;
  return zeros >= 3 && zeros * 100 > c.withId && c.zerosInvalid * 2 >= zeros;
}

/** Builds a valid 18-digit ID (demo data and tests). */
export function makeIdNumber(regionCode: string, birthDate: string, sequence: number, sex: '1' | '2'): string {
  // the 17th digit: odd for male, even for female
  let seq = sequence % 1000;
  if ((seq % 2 === 1) !== (sex === '1')) seq = (seq + 1) % 1000;
  const first17 = regionCode + birthDate.replace(/-/g, '') + String(seq).padStart(3, '0');
  return first17 + idCheckChar(first17);
}

/** 360428********123X: region kept, birth date hidden, last 4 kept. */
export function maskIdNumber(id: string): string {
  if (id.length < 10) return '*'.repeat(id.length);
  return id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4);
}

/** 全国学籍号 is usually 'G' + the ID number: mask the embedded ID the same way. */
export function maskStudentNo(no: string | null): string | null {
  if (no == null) return null;
  const m = /^([A-Z]{0,2})(\d{17}[\dX])$/.exec(no);
  return m ? m[1] + maskIdNumber(m[2]!) : no;
}
