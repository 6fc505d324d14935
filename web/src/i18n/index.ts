// Messages: zh-CN.json is the source of every key; zh-TW.json is generated from it with
// OpenCC (web/scripts/gen-zh-tw.mjs) and en.json is written by hand. Only zh-CN ships in the
// main bundle; the other two load on demand together with their antd and dayjs locales.
import type { Locale as AntdLocale } from 'antd/es/locale';
import antdZhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import zhCN from './zh-CN.json';

export type MessageKey = keyof typeof zhCN;
export type Messages = Record<MessageKey, string>;

export const LOCALES = ['zh-CN', 'zh-TW', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const LOCALE_NAMES: Record<Locale, string> = { 'zh-CN': '简体中文', 'zh-TW': '繁體中文', en: 'English' };

const STORAGE_KEY = 'bangfu.locale';

export interface LoadedLocale {
  locale: Locale;
  messages: Messages;
  antd: AntdLocale;
}

let current: LoadedLocale = { locale: 'zh-CN', messages: zhCN, antd: antdZhCN };

export function currentLocale(): LoadedLocale {
  return current;
}

export function savedLocale(): Locale {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    if (v && (LOCALES as readonly string[]).includes(v)) return v as Locale;
  } catch {
    // storage disabled (private mode): fall back to the default
  }
  return 'zh-CN';
}

export async function loadLocale(locale: Locale): Promise<LoadedLocale> {
  let loaded: LoadedLocale;
  if (locale === 'zh-TW') {
    const [m, a] = await Promise.all([import('./zh-TW.json'), import('antd/locale/zh_TW'), import('dayjs/locale/zh-tw')]);
    const messages: Messages = m.default;
    loaded = { locale, messages, antd: a.default };
  } else if (locale === 'en') {
    const [m, a] = await Promise.all([import('./en.json'), import('antd/locale/en_US')]);
    const messages: Messages = m.default;
    loaded = { locale, messages, antd: a.default };
  } else {
    loaded = { locale: 'zh-CN', messages: zhCN, antd: antdZhCN };
  }
  current = loaded;
  dayjs.locale(locale === 'zh-TW' ? 'zh-tw' : locale === 'en' ? 'en' : 'zh-cn');
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // not persisted; the choice still applies to this visit
  }
  return loaded;
}

export type Vars = Record<string, string | number>;

export function format(messages: Messages, key: MessageKey, vars?: Vars): string {
  const s = messages[key] ?? zhCN[key] ?? key;
  return vars ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : s;
}

/** Translate outside React (the API client's own error messages). */
export function t(key: MessageKey, vars?: Vars): string {
  return format(current.messages, key, vars);
}

/** Keys built at run time (audit actions, roles): translate when known, else show the fallback. */
export function tOptional(messages: Messages, key: string, fallback: string): string {
  return (messages as Record<string, string>)[key] ?? fallback;
}
