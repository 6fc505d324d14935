// web/src/i18n/zh-TW.json is generated from zh-CN.json (web/scripts/gen-zh-tw.mjs, OpenCC 'cn' → 'twp'
// with a few phrases kept out of the Taiwan phrase table: see the script).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const read = (f: string) => JSON.parse(fs.readFileSync(path.join(root, 'web/src/i18n', f), 'utf8')) as Record<string, string>;

it('zh-TW.json is current (node web/scripts/gen-zh-tw.mjs --check)', () => {
  const r = spawnSync(process.execPath, ['web/scripts/gen-zh-tw.mjs', '--check'], { cwd: root, encoding: 'utf8' });
  expect(r.stderr + r.stdout).toContain('zh-TW.json is current');
  expect(r.status).toBe(0);
});

it('zh-TW uses the words of this domain, not the software terms of the Taiwan phrase table', () => {
  const tw = read('zh-TW.json');
  const text = Object.values(tw).join('\n');
  // 对象 is a person supported (幫扶對象), not an "object"; 类型 a kind, 代码 a division code, 权限 a right,
  // 项目 an aid item, 审核 a review; 账号 is 帳號 in Taiwan
  for (const wrong of ['物件', '型別', '程式碼', '許可權', '專案', '稽核', '賬號']) expect(text, wrong).not.toContain(wrong);
  expect(tw['nav.support']).toBe('幫扶對象');
  expect(tw['audit.entityType']).toBe('對象類型');
  expect(tw['nav.accounts']).toBe('帳號管理');
  expect(tw['setup.regionCode']).toBe('行政區劃代碼');
  expect(tw['login.title']).toBe('登入');
});

it('every message has an English and a Traditional Chinese text', () => {
  const cn = Object.keys(read('zh-CN.json')).sort();
  expect(Object.keys(read('en.json')).sort()).toEqual(cn);
  expect(Object.keys(read('zh-TW.json')).sort()).toEqual(cn);
});
