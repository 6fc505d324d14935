// Money of the aid module (资助): amounts are stored as integer fen (yuan × 100), never as
// floating point. Pure; shared with the web UI (the form parses, the lists format).

import { toHalfWidth } from '../../../shared/half-width.js';

/** The largest single amount accepted: 1,000,000 yuan (a typo guard; int4 holds 21 million yuan). */
export const MAX_AID_FEN = 100_000_000;

export type ParsedYuan = { ok: true; fen: number } | { ok: false; message: string };

/**
 * An amount in yuan as people type it → fen: "1250", "1,250.00", "¥1250.5", "1250元", full-width
 * digits, spaces. At most two decimals (no rounding: "12.345" is refused); no negative amounts.
 */
export function parseYuan(input: string | number): ParsedYuan {
  let s = typeof input === 'number' ? (Number.isFinite(input) ? input.toFixed(2) : '') : input;
  s = toHalfWidth(s)
    .replace(/[\s,，¥￥]/g, '')
    .replace(/元$/, '');
  if (s === '') return { ok: false, message: '请填写金额' };
  if (s.startsWith('-')) return { ok: false, message: '金额不能为负数' };
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return { ok: false, message: `金额“${String(input)}”无法识别（应为元，最多两位小数，如 1250.00）` };
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(fen) || fen > MAX_AID_FEN) return { ok: false, message: '金额过大（单笔不超过 1,000,000 元）' };
  return { ok: true, fen };
}

/** 125000 → "1,250.00" (yuan, grouped, two decimals). */
export function fenToYuanText(fen: number): string {
  const neg = fen < 0;
  const abs = Math.abs(Math.trunc(fen));
  const yuan = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${yuan}.${String(abs % 100).padStart(2, '0')}`;
}

/** 125000 → "¥1,250.00". */
export const formatFen = (fen: number): string => `¥${fenToYuanText(fen)}`;
