#!/usr/bin/env node
// Generates web/src/i18n/zh-TW.json from zh-CN.json with OpenCC (mainland → Taiwan
// standard with Taiwan phrases: 'cn' → 'twp', e.g. 登录 → 登入, 数据 → 資料). The output is committed; run this after
// changing zh-CN.json:  node web/scripts/gen-zh-tw.mjs   (--check: fail if it is stale)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as OpenCC from 'opencc-js/cn2t';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/i18n');
const source = JSON.parse(fs.readFileSync(path.join(dir, 'zh-CN.json'), 'utf8'));
const twp = OpenCC.Converter({ from: 'cn', to: 'twp' });

// Phrases OpenCC's Taiwan phrase table gets wrong for this system, kept out of the conversion and written
// as given. 'twp' reads the mainland words as software terms (对象 "object" → 物件, 类型 "type" → 型別,
// 代码 "source code" → 程式碼, 权限 "permission" → 許可權, 项目 "project" → 專案) and 审核 as 稽核 ("audit");
// here they are a person supported (帮扶对象 → 幫扶對象), a kind (类型 → 類型), the administrative division
// code (行政區劃代碼), a right (權限), an item (资助项目 → 資助項目) and a review (審核). 账号 is 帳號 in
// Taiwan (OpenCC gives 賬號); 退出登录 is 登出 (sign out), not 退出登入. Longer phrases first.
const KEEP = [
  ['退出登录', '登出'],
  ['对象', '對象'],
  ['类型', '類型'],
  ['代码', '代碼'],
  ['权限', '權限'],
  ['项目', '項目'],
  ['审核', '審核'],
  ['账号', '帳號'],
  ['账户', '帳戶'],
];
// each kept phrase becomes one private-use character during the conversion, which OpenCC leaves alone
const mark = (i) => String.fromCharCode(0xe000 + i);
function convert(text) {
  let s = text;
  KEEP.forEach(([cn], i) => { s = s.split(cn).join(mark(i)); });
  s = twp(s);
  KEEP.forEach(([, tw], i) => { s = s.split(mark(i)).join(tw); });
  return s;
}

// placeholders such as {n} and the example "zw" are not Chinese and pass through unchanged
const out = Object.fromEntries(Object.entries(source).map(([k, v]) => [k, convert(v)]));
const text = JSON.stringify(out, null, 2) + '\n';
const target = path.join(dir, 'zh-TW.json');

if (process.argv.includes('--check')) {
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (current !== text) {
    console.error('web/src/i18n/zh-TW.json is out of date: run node web/scripts/gen-zh-tw.mjs');
    process.exit(1);
  }
  console.log('zh-TW.json is current');
} else {
  fs.writeFileSync(target, text);
  console.log(`wrote ${path.relative(process.cwd(), target)} (${Object.keys(out).length} messages)`);
}
