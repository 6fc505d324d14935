// Arguments of `bangfu import exam`: term, grade, subject lists, the exam's scope. Pure.
import { normalizeCode, parseGrade } from '../../roster-import/row-normalize.js';
import { canonicalSubject } from './subjects.js';

export interface TermArg {
  term: 1 | 2;
  /** given by the '2026-2027-1' form */
  schoolYear?: string;
}

const FIRST = new Set(['1', '一', '上', '上学期', '第一学期', '第1学期', '秋', '秋季', '秋季学期', '1学期']);
const SECOND = new Set(['2', '二', '下', '下学期', '第二学期', '第2学期', '春', '春季', '春季学期', '2学期']);

/**
 * The term: 1, 2, 上, 下, 上学期, 下学期, 第一学期, 第二学期, 秋, 春 — or with the school year:
 * '2026-2027-1', '2026-2027-2', '2026-2027学年第一学期'. Null when not understood.
 */
export function parseTermArg(raw: string): TermArg | null {
  const s = raw.normalize('NFKC').replace(/\s+/g, '');
  const withYear = /^(\d{4})[-/～~至](\d{4})(?:学年)?[-_:/]?(.+)$/.exec(s);
  if (withYear) {
    const y1 = Number(withYear[1]);
    const y2 = Number(withYear[2]);
    if (y2 !== y1 + 1) return null;
    const inner = parseTermArg(withYear[3]!);
    return inner && !inner.schoolYear ? { term: inner.term, schoolYear: `${y1}-${y2}` } : null;
  }
  if (FIRST.has(s)) return { term: 1 };
  if (SECOND.has(s)) return { term: 2 };
  return null;
}

/** The grade 1–9: 7, 七年级, 初一, 九 … (the roster's grade reader). */
export function parseGradeArg(raw: string): number | null {
  const g = parseGrade(raw);
  return typeof g === 'number' ? g : null;
}

/** '语文:120,数学:120,英语' → subjects with full marks (null when not given). Throws a Chinese message. */
export function parseSubjectsArg(raw: string): { name: string; fullMarks: number | null }[] {
  const out: { name: string; fullMarks: number | null }[] = [];
  for (const part of raw.normalize('NFKC').split(/[,，、;；]+/)) {
    const p = part.trim();
    if (!p) continue;
    const m = /^(.+?)(?:[:=](\d+(?:\.\d+)?))?$/.exec(p);
    const name = canonicalSubject(m?.[1] ?? '');
    if (!m || !name) throw new Error(`无法识别的科目“${p}”（应写成“语文:120”）`);
    const full = m[2] == null ? null : Number(m[2]);
    if (full != null && !(full > 0 && full <= 1000)) throw new Error(`科目“${name}”的满分“${m[2]}”不正确`);
    if (out.some((s) => s.name === name)) throw new Error(`科目“${name}”重复`);
    out.push({ name, fullMarks: full });
  }
  return out;
}

/** '语文,数学,英语,科学' → canonical subject names. */
export function parseTotalArg(raw: string): string[] {
  return raw.normalize('NFKC').split(/[,，、;；\s]+/).map((s) => canonicalSubject(s.trim())).filter(Boolean);
}

/** Which exam the command is for: the county's, one school's own, or one pairing's 联考. */
export type ExamScopeArg = { scope: 'county' } | { scope: 'school'; schoolCode: string } | { scope: 'pairing'; pairingId: number };

/** --school <学校标识码> / --pairing <结对编号> (at most one). Throws a Chinese message. */
export function parseExamScopeArgs(opts: { school?: string; pairing?: string }): ExamScopeArg {
  const school = opts.school?.trim();
  const pairing = opts.pairing?.trim();
  if (school && pairing) throw new Error('--school（校内考试）与 --pairing（结对联考）只能选一个');
  if (school) {
    const code = normalizeCode(school);
    if (!/^\d{10}$/.test(code)) throw new Error(`学校标识码“${school}”不正确（应为10位数字）`);
    return { scope: 'school', schoolCode: code };
  }
  if (pairing) {
    const id = pairing.normalize('NFKC');
    if (!/^[1-9]\d{0,9}$/.test(id) || Number(id) > 2_147_483_647) throw new Error(`结对编号“${pairing}”不正确（应为正整数，见结对的详情）`);
    return { scope: 'pairing', pairingId: Number(id) };
  }
  return { scope: 'county' };
}
