// Score cells of a score sheet: numbers, half points, full-width digits, the ways schools
// write "absent", and the Chinese reasons a cell is rejected.
import { describe, expect, it } from 'vitest';
import { ABSENT, NEGATIVE, NOT_A_SCORE, parseScore, scoreProblem } from '../../../src/modules/exams/import/score-cell.js';

describe('parseScore', () => {
  it('reads plain and half-point scores on the fast path', () => {
    expect(parseScore('85')).toBe(85);
    expect(parseScore('0')).toBe(0);
    expect(parseScore('59.5')).toBe(59.5);
    expect(parseScore('120')).toBe(120);
    expect(parseScore('99.25')).toBe(99.25);
  });

  it('reads full-width digits, spaces, a trailing 分 and 。 as the decimal point', () => {
    expect(parseScore('８５')).toBe(85);
    expect(parseScore('５９．５')).toBe(59.5);
    expect(parseScore(' 73 ')).toBe(73);
    expect(parseScore('88分')).toBe(88);
    expect(parseScore('59。5')).toBe(59.5);
    expect(parseScore('+60')).toBe(60);
  });

  it('treats 缺考, 缺, 缺席, blank, -, —, / (and their full-width forms) as absent', () => {
    for (const v of ['缺考', '缺', '缺席', '', '   ', '-', '—', '——', '/', '－', '／', ' 缺 考 ', undefined]) {
      expect(parseScore(v), JSON.stringify(v)).toBe(ABSENT);
    }
  });

  it('flags negative numbers and text that is no score', () => {
    expect(parseScore('-3')).toBe(NEGATIVE);
    expect(parseScore('－5.5')).toBe(NEGATIVE);
    expect(parseScore('-0')).toBe(0);
    for (const v of ['九十', '优', 'A', '85..5', '.', '1.2.3', '85 90', '作弊', '59,5', 'NaN']) {
      expect(parseScore(v), v).toBe(NOT_A_SCORE);
    }
  });
});

describe('scoreProblem', () => {
  it('names the subject and the value in Chinese; absent and in-range scores are fine', () => {
    expect(scoreProblem('语文', '缺考', ABSENT, 120)).toBeNull();
    expect(scoreProblem('语文', '120', 120, 120)).toBeNull();
    expect(scoreProblem('语文', '121', 121, 120)).toBe('语文成绩“121”超过满分 120 分');
    expect(scoreProblem('数学', ' -3', NEGATIVE, 120)).toBe('数学成绩“-3”不能为负数');
    expect(scoreProblem('英语', '优', NOT_A_SCORE, 120)).toBe('英语成绩“优”不是有效的分数（缺考请填“缺考”或留空）');
  });
});
