import type { ReactNode } from 'react';
import { Flex, Typography } from 'antd';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { useI18n } from '../i18n/I18nProvider';
import { Brand } from './Brand';

/** The frame of the pages seen before signing in: first run, login, password change. */
export function PublicPage({ children, maxWidth = 420 }: { children: ReactNode; maxWidth?: number }) {
  const { t } = useI18n();
  return (
    <div style={{ minHeight: '100vh', background: 'linear-gradient(180deg, #e6f0ff 0%, #f5f7fa 320px)' }}>
      <Flex justify="flex-end" style={{ padding: '8px 12px' }}>
        <LanguageSwitcher />
      </Flex>
      <div style={{ maxWidth, margin: '0 auto', padding: '8px 16px 48px' }}>
        <Flex vertical align="center" gap={6} style={{ marginBottom: 24 }}>
          <Brand size="large" />
          <Typography.Text type="secondary" style={{ fontSize: 15 }}>{t('app.tagline')}</Typography.Text>
        </Flex>
        {children}
      </div>
    </div>
  );
}
