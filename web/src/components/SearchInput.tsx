import { useEffect, useRef, useState } from 'react';
import { Input } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n/I18nProvider';

/**
 * Name search: Chinese characters, full pinyin or initials (zhangwei, zw → 张伟); the
 * matching happens on the server. Typing settles for a moment before it asks, so a phone
 * on a weak network sends one request per word, not one per key.
 */
export function SearchInput({ value, onSearch, placeholder, testId, width = 260 }: {
  value: string | undefined;
  onSearch: (q: string) => void;
  placeholder?: string;
  testId?: string;
  width?: number | string;
}) {
  const { t } = useI18n();
  const [text, setText] = useState(value ?? '');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const last = useRef(value ?? '');

  useEffect(() => {
    // the URL changed from outside (back button): follow it
    if ((value ?? '') !== last.current) {
      last.current = value ?? '';
      setText(value ?? '');
    }
  }, [value]);

  const fire = (q: string) => {
    clearTimeout(timer.current);
    const trimmed = q.trim();
    if (trimmed === last.current) return;
    last.current = trimmed;
    onSearch(trimmed);
  };

  useEffect(() => () => clearTimeout(timer.current), []);

  const label = placeholder ?? t('search.placeholder');
  return (
    <Input
      allowClear
      prefix={<SearchOutlined style={{ color: '#bfbfbf' }} />}
      placeholder={label}
      aria-label={label}
      data-testid={testId}
      value={text}
      style={{ width }}
      enterKeyHint="search"
      onChange={(e) => {
        const v = e.target.value;
        setText(v);
        clearTimeout(timer.current);
        if (v === '') fire('');
        else timer.current = setTimeout(() => fire(v), 350);
      }}
      onPressEnter={() => fire(text)}
    />
  );
}
