import type { HTMLAttributes, Key, ReactNode } from 'react';
import { Card, Empty, List, Pagination, Table, type TableColumnsType } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useI18n } from '../i18n/I18nProvider';
import { useIsMobile } from './useIsMobile';
import { ErrorResult } from './QueryState';

export interface DataListProps<T> {
  columns: TableColumnsType<T>;
  items: T[] | undefined;
  total: number | undefined;
  loading: boolean;
  page: number;
  pageSize: number;
  onPage: (page: number, pageSize: number) => void;
  rowKey: (item: T) => Key;
  /** the card a phone shows instead of a table row */
  renderCard: (item: T) => ReactNode;
  /** a detail page to open when the row or card is tapped */
  href?: (item: T) => string;
  /** data-testid on every row (table) and card (phone) */
  rowTestId?: string;
  expandable?: Parameters<typeof Table<T>>[0]['expandable'];
}

/**
 * A server-paged list: a table on a desktop, a list of cards on a phone (a 390 px screen
 * cannot show ten columns). Both carry the same test ids and link to the same detail pages.
 */
export function DataList<T extends object>(props: DataListProps<T>) {
  const { columns, items, total, loading, page, pageSize, onPage, rowKey, renderCard, href, rowTestId, expandable } = props;
  const isMobile = useIsMobile();
  const navigate = useNavigate();
  const { t } = useI18n();
  const showTotal = (n: number) => t('list.total', { n });

  if (isMobile) {
    return (
      <div>
        <List
          loading={loading}
          dataSource={items ?? []}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('list.empty')} /> }}
          renderItem={(item) => (
            <List.Item key={rowKey(item)} style={{ padding: '6px 0', border: 'none' }}>
              <Card
                size="small"
                hoverable={!!href}
                style={{ width: '100%' }}
                data-testid={rowTestId}
                onClick={href ? () => navigate(href(item)) : undefined}
              >
                {renderCard(item)}
              </Card>
            </List.Item>
          )}
        />
        {(total ?? 0) > pageSize && (
          <Pagination
            simple
            style={{ marginTop: 12, textAlign: 'center', display: 'flex', justifyContent: 'center' }}
            current={page}
            pageSize={pageSize}
            total={total}
            onChange={onPage}
          />
        )}
        {total !== undefined && <div style={{ textAlign: 'center', color: '#8c8c8c', marginTop: 8, fontSize: 12 }}>{showTotal(total)}</div>}
      </div>
    );
  }

  return (
    <Table<T>
      size="middle"
      columns={columns}
      dataSource={items}
      rowKey={rowKey}
      loading={loading}
      scroll={{ x: 'max-content' }}
      expandable={expandable}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('list.empty')} /> }}
      onRow={(item) => ({
        'data-testid': rowTestId,
        style: href ? { cursor: 'pointer' } : undefined,
        onClick: href
          ? (e: React.MouseEvent) => {
              // links and buttons inside the row do their own thing
              if ((e.target as HTMLElement).closest('a,button,input,.ant-select')) return;
              navigate(href(item));
            }
          : undefined,
      }) as HTMLAttributes<HTMLElement>}
      pagination={{
        current: page,
        pageSize,
        total,
        showSizeChanger: true,
        pageSizeOptions: [10, 20, 50, 100],
        showTotal,
        onChange: onPage,
      }}
    />
  );
}

type PagingProps = 'items' | 'total' | 'loading' | 'page' | 'pageSize' | 'onPage';

/**
 * A DataList fed by a paged query and the URL's list params (useListParams): the error
 * state, the rows, the count and the paging wired once for every list page.
 */
export function PagedQueryList<T extends object>({ query, params, ...rest }: Omit<DataListProps<T>, PagingProps> & {
  query: { data: { items: T[]; total: number } | undefined; error: unknown; isFetching: boolean; refetch: () => unknown };
  params: { page: number; pageSize: number; setPage: (page: number, pageSize: number) => void };
}) {
  if (query.error) return <ErrorResult error={query.error} retry={() => query.refetch()} />;
  return (
    <DataList<T>
      items={query.data?.items}
      total={query.data?.total}
      loading={query.isFetching}
      page={params.page}
      pageSize={params.pageSize}
      onPage={params.setPage}
      {...rest}
    />
  );
}
