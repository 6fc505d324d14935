import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { ConfigProvider } from 'antd';
import { format, loadLocale, tOptional, type LoadedLocale, type Locale, type MessageKey, type Vars } from './index';

interface I18n {
  locale: Locale;
  t: (key: MessageKey, vars?: Vars) => string;
  /** for keys made at run time, e.g. `audit.action.${action}` */
  tx: (key: string, fallback: string) => string;
  setLocale: (locale: Locale) => Promise<void>;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ initial, children }: { initial: LoadedLocale; children: ReactNode }) {
  const [loaded, setLoaded] = useState(initial);
  const setLocale = useCallback(async (locale: Locale) => {
    setLoaded(await loadLocale(locale));
  }, []);
  const value = useMemo<I18n>(() => ({
    locale: loaded.locale,
    t: (key, vars) => format(loaded.messages, key, vars),
    tx: (key, fallback) => tOptional(loaded.messages, key, fallback),
    setLocale,
  }), [loaded, setLocale]);
  return (
    <I18nContext.Provider value={value}>
      <ConfigProvider locale={loaded.antd} theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6 } }}>
        {children}
      </ConfigProvider>
    </I18nContext.Provider>
  );
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
