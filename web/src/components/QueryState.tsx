import type { ReactNode } from 'react';
import { Button, Flex, Spin } from 'antd';
import { CloseCircleFilled, ExclamationCircleFilled, StopOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n/I18nProvider';
import { Link } from 'react-router-dom';
import { ApiError } from '../api/client';

export function PageSpinner() {
  return (
    <div style={{ display: 'flex', justifyContent: 'center', padding: 64 }}>
      <Spin size="large" />
    </div>
  );
}

/**
 * A message in the middle of the page. (antd's Result would do, but its 403/404 pictures
 * are large SVGs, and this is part of the main bundle.)
 */
export function Problem({ kind = 'error', title, subTitle, extra }: { kind?: 'error' | 'warning' | 'forbidden'; title: ReactNode; subTitle?: ReactNode; extra?: ReactNode }) {
  const icon = kind === 'forbidden' ? <StopOutlined style={{ color: '#faad14' }} /> : kind === 'warning' ? <ExclamationCircleFilled style={{ color: '#faad14' }} /> : <CloseCircleFilled style={{ color: '#ff4d4f' }} />;
  return (
    <Flex vertical align="center" gap={8} style={{ padding: '48px 16px', textAlign: 'center' }} role="alert">
      <span style={{ fontSize: 56, lineHeight: 1 }}>{icon}</span>
      <div style={{ fontSize: 20, color: 'rgba(0,0,0,0.88)', marginTop: 8 }}>{title}</div>
      {subTitle && <div style={{ color: 'rgba(0,0,0,0.45)', maxWidth: 520 }}>{subTitle}</div>}
      {extra && <div style={{ marginTop: 16 }}>{extra}</div>}
    </Flex>
  );
}

/** An address that is no page of the app. */
export function PageNotFound() {
  const { t } = useI18n();
  return <Problem kind="warning" title={t('error.pageNotFound')} extra={<Link to="/"><Button type="primary">{t('nav.dashboard')}</Button></Link>} />;
}

/** What a page shows when its main request failed: the server's message, and a retry. */
export function ErrorResult({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useI18n();
  const e = error instanceof ApiError ? error : null;
  return (
    <Problem
      kind={e?.status === 403 ? 'forbidden' : e?.status === 404 ? 'warning' : 'error'}
      title={e?.status === 404 ? t('error.notFound') : e?.status === 403 ? t('error.forbidden') : t('error.loadFailed')}
      subTitle={(error as Error)?.message || undefined}
      // asking again does not help a record that is not there or not the user's to see
      extra={retry && e?.status !== 403 && e?.status !== 404 && <Button onClick={retry}>{t('common.retry')}</Button>}
    />
  );
}

export function QueryState<T>({ query, children }: { query: { data: T | undefined; error: unknown; isLoading: boolean; refetch: () => unknown }; children: (data: T) => ReactNode }) {
  if (query.isLoading) return <PageSpinner />;
  if (query.error || query.data === undefined) return <ErrorResult error={query.error} retry={() => query.refetch()} />;
  return <>{children(query.data)}</>;
}
