import { Button, Dropdown } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { LOCALES, LOCALE_NAMES } from '../i18n';
import { useI18n } from '../i18n/I18nProvider';

export function LanguageSwitcher({ compact = false }: { compact?: boolean }) {
  const { locale, setLocale } = useI18n();
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [locale],
        items: LOCALES.map((l) => ({ key: l, label: <span data-testid={`lang-option-${l}`} lang={l}>{LOCALE_NAMES[l]}</span> })),
        onClick: ({ key }) => void setLocale(key as (typeof LOCALES)[number]),
      }}
    >
      <Button type="text" icon={<GlobalOutlined />} data-testid="lang-switcher" aria-label="语言 / 語言 / Language">
        {!compact && LOCALE_NAMES[locale]}
      </Button>
    </Dropdown>
  );
}
