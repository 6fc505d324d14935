// Turns the messy cell text of real rosters into clean values: full-width digits,
// stray spaces, every common date form, 男/女/1/2, 民族 names or codes, 年级/班级 in
// the ways schools write them, phone numbers, guardians, family-situation words.
// Pure functions: no I/O, no database.
import { toHalfWidth } from '../../shared/half-width.js';
import { ETHNICITIES, FAMILY_FLAGS, type FamilyFlag } from '../../shared/registry.js';


/** True when cleanText would change nothing (most cells): checked in one pass, no regex. */
function alreadyClean(s: string): boolean {
  let prevSpace = true; // a leading space is not clean
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      if (prevSpace) return false;
      prevSpace = true;
      continue;
    }
    prevSpace = false;
    if (c < 32 || c === 0xa0 || c === 0x3000 || c === 0x200b || c === 0xfeff || (c >= 0xff01 && c <= 0xff5e) || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029) return false;
  }
  return !prevSpace || s.length === 0;
}

/** Half-width, trimmed, inner runs of whitespace (incl. line breaks) collapsed to one space. */
export function cleanText(s: string | null | undefined): string {
  if (s == null) return '';
  const str = String(s);
  if (alreadyClean(str)) return str;
  return toHalfWidth(str).replace(/[\u200b\ufeff]/g, '').replace(/\s+/g, ' ').trim();
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/**
 * A person's name: Chinese names lose the spaces used to align two-character names
 * ('王  五' → '王五'); the separator of minority names becomes '·'.
 */
export function normalizePersonName(raw: string): string {
  let s = cleanText(raw).replace(/[•・‧∙⋅．.]/g, '·');
  if (CJK.test(s)) s = s.replace(/\s+/g, '');
  return s;
}

/** Identifier-like text (学籍号, 学校标识码): half-width, no spaces or quotes, upper case. */
export function normalizeCode(raw: string): string {
  return toHalfWidth(raw).replace(/[\s'’‘`"]/g, '').toUpperCase();
}

export type DateParse =
  | { ok: true; date: string }
  | { ok: true; yearMonth: string }
  | { ok: false };

const pad2 = (n: number) => String(n).padStart(2, '0');

function ymd(y: number, m: number, d: number, today: Date): DateParse {
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > 31) return { ok: false };
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return { ok: false };
  if (dt.getTime() > today.getTime()) return { ok: false };
  return { ok: true, date: `${y}-${pad2(m)}-${pad2(d)}` };
}

/** Excel's 1900 date system: serial 1 is 1900-01-01, and Excel counts a 1900-02-29 that never was. */
export function excelSerialToDate(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2958465) return null;
  const days = Math.floor(serial + 1e-7);
  const ms = Date.UTC(1899, 11, days >= 61 ? 30 : 31) + days * 86400000;
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * A date in any form found in rosters: 2012/3/5, 2012-03-05, 20120305, 2012.3.5,
 * 2012年3月5日, an Excel serial (40973), a JS Date (exceljs gives UTC midnight), or
 * only a year and month (出生年月: 2012.03, 201203).
 */
export function parseDate(value: string | number | Date | null | undefined, today: Date = new Date()): DateParse | null {
  if (value == null) return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return { ok: false };
    return ymd(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate(), today);
  }
  if (typeof value === 'number') {
    const iso = excelSerialToDate(value);
    return iso ? ymd(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)), today) : { ok: false };
  }
  const s = cleanText(value).replace(/[T\s]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/, '');
  if (!s) return null;
  let m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]), today);
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]), today);
  m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$/.exec(s) ?? /^(\d{4})(\d{2})$/.exec(s);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    if (y < 1900 || mo < 1 || mo > 12) return { ok: false };
    return { ok: true, yearMonth: `${y}-${pad2(mo)}` };
  }
  // an Excel serial that reached us as text (a CSV saved from a date cell without a format)
  // (5 digits: every birth date since 1927; a bare year such as 2012 is no date)
  if (/^\d{5}(\.\d+)?$/.test(s)) return parseDate(Number(s), today);
  return { ok: false };
}

/** GB/T 2261.1 sex code: '1' male, '2' female; null when empty; 'invalid' otherwise. */
export function parseSex(raw: string): '1' | '2' | null | 'invalid' {
  const s = cleanText(raw).toLowerCase();
  if (!s) return null;
  if (['男', '男性', '男生', 'm', 'male', '1', '男孩'].includes(s)) return '1';
  if (['女', '女性', '女生', 'f', 'female', '2', '女孩'].includes(s)) return '2';
  return 'invalid';
}

const ETHNICITY_BY_NAME = new Map<string, string>();
for (const [code, name] of Object.entries(ETHNICITIES)) {
  ETHNICITY_BY_NAME.set(name, code);
  if (name.endsWith('族')) ETHNICITY_BY_NAME.set(name.slice(0, -1), code);
}
ETHNICITY_BY_NAME.set('其它', '97');
ETHNICITY_BY_NAME.set('其他族', '97');

/** GB/T 3304 code from a name (汉族, 汉), a code (01, 1) or 'invalid'; null when empty. */
export function parseEthnicity(raw: string): string | null | 'invalid' {
  const s = cleanText(raw).replace(/\s+/g, '');
  if (!s) return null;
  if (/^\d{1,2}$/.test(s)) {
    const code = s.padStart(2, '0');
    return ETHNICITIES[code] ? code : 'invalid';
  }
  return ETHNICITY_BY_NAME.get(s) ?? 'invalid';
}

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 1–99 written in Chinese numerals (三, 十二, 二十, 二十三) or digits. */
export function parseSmallNumber(s: string): number | null {
  if (/^\d{1,2}$/.test(s)) return Number(s);
  if (!/^[零〇一二两三四五六七八九十]{1,3}$/.test(s)) return null;
  if (s === '十') return 10;
  const ten = s.indexOf('十');
  if (ten < 0) return s.length === 1 ? (CN_DIGITS[s] ?? null) : null;
  const tens = ten === 0 ? 1 : CN_DIGITS[s.slice(0, ten)];
  const ones = ten === s.length - 1 ? 0 : CN_DIGITS[s.slice(ten + 1)];
  if (tens == null || ones == null || s.length - ten > 2 || ten > 1) return null;
  return tens * 10 + ones;
}

/** Grade 1–9 (九年一贯 numbering) from 七年级, 初一, 7, 一年级, 小学三年级, 初中一年级, 9年级. */
export function parseGrade(raw: string): number | null | 'invalid' {
  const s = cleanText(raw).replace(/\s+/g, '');
  if (!s) return null;
  const junior = /^(初中?|中学)([一二三123])(年级)?$/.exec(s);
  if (junior) {
    const n = parseSmallNumber(junior[2]!);
    return n != null && n >= 1 && n <= 3 ? 6 + n : 'invalid';
  }
  const m = /^(小学)?([零〇一二两三四五六七八九十\d]{1,2})(年级|年)?$/.exec(s);
  if (m) {
    const n = parseSmallNumber(m[2]!);
    return n != null && n >= 1 && n <= 9 ? n : 'invalid';
  }
  return 'invalid';
}

/**
 * Class number from 3班, (3)班, ３, 三班, and with the grade in it: 七年级3班, 七(3)班, 初一3班,
 * 7.3, 703 (when the grade, e.g. from the 年级 column, is 7).
 */
export function parseClass(raw: string, gradeHint?: number | null): { grade: number | null; classNo: number } | null | 'invalid' {
  const s = cleanText(raw).replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')');
  if (!s) return null;
  const only = /^\(?([零〇一二两三四五六七八九十\d]{1,4})\)?班?$/.exec(s);
  if (only) {
    const n = parseSmallNumber(only[1]!);
    if (n != null && n >= 1) return { grade: null, classNo: n };
    // 703 / 0703: grade 7, class 3 when the grade is known to be 7
    const code = /^0?(\d)(\d{2})$/.exec(only[1]!);
    if (code && gradeHint != null && Number(code[1]) === gradeHint && Number(code[2]) >= 1) return { grade: gradeHint, classNo: Number(code[2]) };
    return 'invalid';
  }
  const withGrade = /^(.+?(?:年级|年)|初中?[一二三123]|小学[一二三四五六123456]|[一二三四五六七八九1-9])\(?([零〇一二两三四五六七八九十\d]{1,3})\)?班?$/.exec(s);
  if (withGrade) {
    const grade = parseGrade(withGrade[1]!);
    const n = parseSmallNumber(withGrade[2]!);
    if (typeof grade === 'number' && n != null && n >= 1) return { grade, classNo: n };
  }
  const dotted = /^(\d)[.\-_](\d{1,2})$/.exec(s);
  if (dotted && Number(dotted[1]) >= 1 && Number(dotted[2]) >= 1) return { grade: Number(dotted[1]), classNo: Number(dotted[2]) };
  return 'invalid';
}

/**
 * The first phone number in a cell: half-width, separators and a +86 prefix removed.
 * Null when the cell has no number with at least 7 digits (无, 不详 …).
 */
export function parsePhone(raw: string): string | null {
  const s = cleanText(raw);
  if (!s) return null;
  const digits = (t: string) => t.replace(/\D/g, '').length;
  for (const part of s.split(/[/,，、;；|或]/)) {
    // '138 0013 8000' is one number; '13800138000 13900139000' is two
    const whole = part.split(/\s+/).find((t) => digits(t) >= 7) ?? part;
    let p = whole.replace(/[^\d+\-]/g, '');
    p = p.replace(/^\+?86(?=1\d{10}$)/, '').replace(/^\+/, '');
    if (digits(p) >= 7) return p.replace(/^-+|-+$/g, '');
  }
  return null;
}

const RELATIONS = ['父亲', '母亲', '爷爷', '奶奶', '外公', '外婆', '祖父', '祖母', '外祖父', '外祖母', '哥哥', '姐姐', '叔叔', '伯父', '姑姑', '舅舅', '阿姨', '姨妈', '父', '母', '其他'];

/** '张三（父亲）', '父亲：张三', '张三' → name and relation. */
export function parseGuardian(raw: string): { name: string; relation: string | null } | null {
  const s = cleanText(raw).replace(/（/g, '(').replace(/）/g, ')').replace(/：/g, ':');
  if (!s) return null;
  let m = /^(.+?)\s*\((.+?)\)$/.exec(s);
  if (m) return { name: normalizePersonName(m[1]!), relation: m[2]!.trim() };
  m = /^(.+?)\s*[:]\s*(.+)$/.exec(s);
  if (m && RELATIONS.includes(m[1]!.trim())) return { name: normalizePersonName(m[2]!), relation: m[1]!.trim() };
  return { name: normalizePersonName(s), relation: null };
}

/** Words of the 家庭情况 column (and of 是否… column names) for each family flag. */
const FLAG_WORDS: [RegExp, FamilyFlag][] = [
  [/防返贫|监测(对象|户)|边缘易致贫|突发严重困难/, 'poverty_monitored'],
  [/建档立卡|脱贫|贫困户|扶贫/, 'poverty_registered'],
  [/低保/, 'dibao'],
  [/特困|五保/, 'tekun'],
  [/事实无人抚养|无人抚养/, 'unattended'],
  [/孤儿/, 'orphan'],
  [/残疾|残障|残联/, 'disabled'],
  [/单亲/, 'single_parent'],
  [/留守/, 'left_behind'],
  [/随迁|进城务工/, 'migrant'],
];

/** The family flag a word names (低保户 → dibao, 留守儿童 → left_behind), or null. */
export function familyFlagOf(word: string): FamilyFlag | null {
  const w = cleanText(word).replace(/\s+/g, '');
  if (!w) return null;
  for (const [code, label] of Object.entries(FAMILY_FLAGS) as [FamilyFlag, string][]) if (w === label || w === code) return code;
  for (const [re, flag] of FLAG_WORDS) if (re.test(w)) return flag;
  return null;
}

/**
 * The flags named in a free-text 家庭情况 cell ('低保、孤儿', '建档立卡户/留守儿童').
 * Words that name no flag (一般, 无, 正常) are ignored and reported back.
 */
export function parseFamilySituation(raw: string): { flags: FamilyFlag[]; unknown: string[] } {
  const flags: FamilyFlag[] = [];
  const unknown: string[] = [];
  for (const part of cleanText(raw).split(/[、,，;；/\s|+]+/)) {
    if (!part || /^(无|否|一般|正常|非|没有|不是|\/|-)$/.test(part)) continue;
    const f = familyFlagOf(part);
    if (f) {
      if (!flags.includes(f)) flags.push(f);
    } else unknown.push(part);
  }
  return { flags, unknown };
}

/** 是/否 cells: true, false, null when empty, 'invalid' otherwise. */
export function parseYesNo(raw: string): boolean | null | 'invalid' {
  const s = cleanText(raw).toLowerCase();
  if (!s) return null;
  if (['是', 'y', 'yes', '1', '√', '✓', '✔', '有', 'true', '是的'].includes(s)) return true;
  if (['否', 'n', 'no', '0', '×', '✗', '无', 'false', '不是', '非'].includes(s)) return false;
  return 'invalid';
}
