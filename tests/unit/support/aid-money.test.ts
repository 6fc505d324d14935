// Aid amounts (资助): yuan as typed → integer fen, and fen → ¥1,250.00.
import { describe, expect, it } from 'vitest';
import { MAX_AID_FEN, fenToYuanText, formatFen, parseYuan } from '../../../src/modules/support/aid/money.js';

describe('aid money', () => {
  it('parses yuan as people type it into fen, without floating point', () => {
    expect(parseYuan('1250')).toEqual({ ok: true, fen: 125000 });
    expect(parseYuan('1,250.00')).toEqual({ ok: true, fen: 125000 });
    expect(parseYuan('¥625.5')).toEqual({ ok: true, fen: 62550 });
    expect(parseYuan(' ￥ 0.07 元')).toEqual({ ok: true, fen: 7 });
    expect(parseYuan('１２５０．５')).toEqual({ ok: true, fen: 125050 });
    expect(parseYuan(0.1 + 0.2)).toEqual({ ok: true, fen: 30 });
    expect(parseYuan(1000)).toEqual({ ok: true, fen: 100000 });
  });

  it('refuses what is not an amount: more than two decimals, negatives, text, too large', () => {
    for (const bad of ['12.345', '-5', 'abc', '', '1.2.3', '1e5']) expect(parseYuan(bad).ok, bad).toBe(false);
    expect(parseYuan(String(MAX_AID_FEN / 100 + 1)).ok).toBe(false);
    expect(parseYuan(String(MAX_AID_FEN / 100))).toEqual({ ok: true, fen: MAX_AID_FEN });
  });

  it('formats fen as grouped yuan with two decimals', () => {
    expect(formatFen(125000)).toBe('¥1,250.00');
    expect(formatFen(7)).toBe('¥0.07');
    expect(fenToYuanText(123456789)).toBe('1,234,567.89');
    expect(fenToYuanText(0)).toBe('0.00');
  });
});
