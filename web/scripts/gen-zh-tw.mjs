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
const convert = OpenCC.Converter({ from: 'cn', to: 'twp' });

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
