import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../../src/shared/password-policy.js';

describe('passwordProblem', () => {
  it('accepts 8+ characters with letters and digits', () => {
    expect(passwordProblem('abcdefg1')).toBeNull();
    expect(passwordProblem('Xiaoxue2026', 'zhangwei')).toBeNull();
    expect(passwordProblem('密码abc12345')).toBeNull();
  });

  it.each([
    ['', '密码至少 8 位'],
    ['abc1234', '密码至少 8 位'],
    ['abcdefgh', '密码须同时包含字母和数字'],
    ['12345678', '密码须同时包含字母和数字'],
    ['密码密码密码密码1', '密码须同时包含字母和数字'],
  ])('%j → %s', (pw, message) => {
    expect(passwordProblem(pw)).toBe(message);
  });

  it('refuses a password containing the username, in any letter case', () => {
    expect(passwordProblem('zhangwei2026', 'zhangwei')).toBe('密码不能包含用户名');
    expect(passwordProblem('2026ZhangWei', 'zhangwei')).toBe('密码不能包含用户名');
    expect(passwordProblem('zhangwei2026', 'ZHANGWEI')).toBe('密码不能包含用户名');
  });
});
