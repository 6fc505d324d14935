import { Component, type ReactNode } from 'react';
import { Button } from 'antd';
import { Problem } from './QueryState';
import { t } from '../i18n';

/**
 * A page chunk that fails to download (a village school's network dropped) or a page that
 * throws shows a way out instead of a blank screen. `resetKey` (the path) clears it.
 */
export class ErrorBoundary extends Component<{ resetKey?: string; children: ReactNode }, { error: Error | null; key?: string }> {
  state: { error: Error | null; key?: string } = { error: null, key: this.props.resetKey };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  static getDerivedStateFromProps(props: { resetKey?: string }, state: { error: Error | null; key?: string }) {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }

  render() {
    if (!this.state.error) return this.props.children;
    const chunk = /dynamically imported module|Importing a module script failed|Failed to fetch/i.test(this.state.error.message);
    return (
      <Problem
        kind="warning"
        title={chunk ? t('error.chunk') : t('error.page')}
        subTitle={chunk ? undefined : this.state.error.message}
        extra={<Button type="primary" onClick={() => window.location.reload()}>{t('common.reload')}</Button>}
      />
    );
  }
}
