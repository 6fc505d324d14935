import { DatePicker, Flex, Input, Select, Table, Tag, Typography } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import dayjs from 'dayjs';
import { AUDIT_ACTION_GROUPS, AUDIT_ENTITY_TYPES } from '@shared/audit-codes';
import { fenToYuanText } from '@modules/support/aid/money';
import { api } from '../../api/client';
import type { AuditEntry, Paged } from '../../api/types';
import { PagedQueryList } from '../../components/DataList';
import { FilterBar } from '../../components/FilterBar';
import { PageHeader } from '../../components/PageHeader';
import { useIsMobile } from '../../components/useIsMobile';
import { useListParams } from '../../components/useListParams';
import { useI18n } from '../../i18n/I18nProvider';
import { valueLabel } from '../../i18n/values';

// The actions and object types are the server's own list (src/shared/audit-codes.ts), each with a label in the
// message files (a unit test checks both). The server matches a whole action code exactly and anything else as a
// prefix, so a group's 'exam.' option finds every exam action.
const ENTITY_LINK: Record<string, string> = { student: '/students/', teacher: '/teachers/', school: '/schools/' };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown, field: string | undefined, { t, tx }: Pick<ReturnType<typeof useI18n>, 't' | 'tx'>): string {
  if (v === undefined || v === null || v === '') return '—';
  if (field === 'role' && typeof v === 'string') return valueLabel(tx, 'role', v);
  if (field === 'field' && typeof v === 'string') return tx(`audit.revealField.${v}`, v);
  // money is stored as integer fen (分) in fields named …Fen (amountFen 50000): shown in yuan, 500.00 元
  if (field?.endsWith('Fen') && Number.isInteger(v)) return t('audit.yuan', { amount: fenToYuanText(v as number) });
  if (typeof v === 'boolean') return v ? '✓' : '✗';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A field without a label, made readable: 'helperStudentId' → 'helper student id'. */
function fieldName(key: string): string {
  return key.replace(/_/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

interface DiffRow {
  key: string;
  before: unknown;
  after: unknown;
  changed: boolean;
}

/** Before and after side by side, one line per field, changed fields highlighted. */
export function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const i18n = useI18n();
  const { t, tx } = i18n;
  if (!isPlainObject(before) && !isPlainObject(after)) {
    if (before == null && after == null) return <Typography.Text type="secondary">{t('audit.noDetails')}</Typography.Text>;
    return <pre className="mono" style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{show(before, undefined, i18n)} → {show(after, undefined, i18n)}</pre>;
  }
  const b = isPlainObject(before) ? before : {};
  const a = isPlainObject(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const rows: DiffRow[] = keys.map((k) => ({ key: k, before: b[k], after: a[k], changed: JSON.stringify(b[k]) !== JSON.stringify(a[k]) }));
  const hasBefore = isPlainObject(before);
  return (
    <Table<DiffRow>
      size="small"
      pagination={false}
      dataSource={rows}
      rowClassName={(r) => (hasBefore && r.changed ? 'diff-changed' : '')}
      style={{ maxWidth: 720 }}
      scroll={{ x: 'max-content' }}
      columns={[
        { title: t('audit.field'), dataIndex: 'key', render: (k: string) => tx(`audit.field.${k}`, fieldName(k)) },
        ...(hasBefore ? [{ title: t('audit.before'), dataIndex: 'before', render: (v: unknown, r: DiffRow) => <span className="mono">{show(v, r.key, i18n)}</span> }] : []),
        { title: hasBefore ? t('audit.after') : t('audit.value'), dataIndex: 'after', render: (v: unknown, r: DiffRow) => <span className="mono">{show(v, r.key, i18n)}</span> },
      ]}
    />
  );
}

export default function AuditPage() {
  const { t, tx } = useI18n();
  const isMobile = useIsMobile();
  const lp = useListParams(50);
  const f = {
    action: lp.get('action'),
    entityType: lp.get('entityType'),
    entityId: lp.get('entityId'),
    actor: lp.get('actor'),
    from: lp.get('from'),
    to: lp.get('to'),
  };
  const query = useQuery({
    queryKey: ['audit', { ...f, page: lp.page, pageSize: lp.pageSize }],
    queryFn: () => api.get<Paged<AuditEntry>>('/api/audit', { ...f, page: lp.page, pageSize: lp.pageSize }),
    placeholderData: keepPreviousData,
  });
  const actionLabel = (a: string) => tx(`audit.action.${a}`, a);
  // one option group per module; a group whose actions share a prefix also offers all of them at once
  const actionOptions = AUDIT_ACTION_GROUPS.map((g) => {
    const group = tx(`audit.group.${g.key}`, g.key);
    return {
      label: group,
      title: group,
      options: [
        ...(g.prefix ? [{ value: g.prefix, label: t('audit.groupAll', { group }) }] : []),
        ...g.actions.map((a) => ({ value: a, label: actionLabel(a) })),
      ],
    };
  });
  const entity = (e: AuditEntry) => {
    if (!e.entityType) return '—';
    const label = tx(`audit.entity.${e.entityType}`, e.entityType);
    const base = ENTITY_LINK[e.entityType];
    if (!e.entityId) return label;
    return base ? <Link to={`${base}${e.entityId}`}>{label} #{e.entityId}</Link> : `${label} #${e.entityId}`;
  };
  // views of sensitive data (ID numbers, psychological notes, confidential records, aid) stand out
  const actionTag = (a: string) => (
    <Tag color={/(revealed|_view|_viewed)$/.test(a) ? 'orange' : a.endsWith('failed') ? 'red' : a.startsWith('auth.') ? 'default' : 'blue'}>{actionLabel(a)}</Tag>
  );

  return (
    <>
      <PageHeader title={t('nav.audit')} />
      <FilterBar
        activeCount={[f.action, f.entityType, f.entityId, f.from ?? f.to].filter(Boolean).length}
        search={(
          <Input.Search allowClear placeholder={t('audit.actor')} aria-label={t('audit.actor')} style={{ width: isMobile ? '100%' : 150 }} defaultValue={f.actor}
            onSearch={(v) => lp.setFilters({ actor: v.trim() })} data-testid="audit-actor" />
        )}
      >
        <Select
          allowClear showSearch
          placeholder={t('audit.action')}
          aria-label={t('audit.action')}
          style={{ width: 220 }}
          popupMatchSelectWidth={false}
          value={f.action}
          options={actionOptions}
          optionFilterProp="label"
          onChange={(v) => lp.setFilters({ action: v })}
          data-testid="audit-action"
        />
        <Select allowClear showSearch placeholder={t('audit.entityType')} aria-label={t('audit.entityType')} style={{ width: 140 }} popupMatchSelectWidth={false} value={f.entityType}
          options={AUDIT_ENTITY_TYPES.map((e) => ({ value: e, label: tx(`audit.entity.${e}`, e) }))} optionFilterProp="label"
          onChange={(v) => lp.setFilters({ entityType: v })} data-testid="audit-entity-type" />
        <Input.Search allowClear placeholder={t('audit.entityId')} aria-label={t('audit.entityId')} style={{ width: 140 }} defaultValue={f.entityId}
          onSearch={(v) => lp.setFilters({ entityId: v.trim() })} />
        <DatePicker.RangePicker
          style={{ width: isMobile ? '100%' : 250 }}
          value={[f.from ? dayjs(f.from) : null, f.to ? dayjs(f.to) : null]}
          allowEmpty={[true, true]}
          onChange={(range) => lp.setFilters({ from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') })}
          aria-label={t('audit.dateRange')}
        />
      </FilterBar>
      <PagedQueryList<AuditEntry>
        query={query}
        params={lp}
        rowKey={(e) => e.id}
        rowTestId="audit-row"
        expandable={{
          expandedRowRender: (e) => <AuditDiff before={e.before} after={e.after} />,
          rowExpandable: (e) => e.before != null || e.after != null,
        }}
        columns={[
          { title: t('audit.at'), dataIndex: 'at', render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss') },
          { title: t('audit.actor'), dataIndex: 'actorName', render: (v: string | null) => v ?? '—' },
          { title: t('audit.action'), dataIndex: 'action', render: (a: string) => actionTag(a) },
          { title: t('audit.entity'), key: 'entity', render: (_: unknown, e) => entity(e) },
          { title: t('audit.reason'), dataIndex: 'reason', render: (v: string | null) => v ?? '—' },
          { title: 'IP', dataIndex: 'ip', render: (v: string | null) => <span className="mono">{v ?? '—'}</span> },
        ]}
        renderCard={(e) => (
          <Flex vertical gap={4}>
            <Flex justify="space-between" align="center" wrap>
              {actionTag(e.action)}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{dayjs(e.at).format('MM-DD HH:mm:ss')}</Typography.Text>
            </Flex>
            <span>{e.actorName ?? '—'} · {entity(e)}</span>
            {e.reason && <Typography.Text type="secondary">{t('audit.reason')}：{e.reason}</Typography.Text>}
            {(e.before != null || e.after != null) && <AuditDiff before={e.before} after={e.after} />}
          </Flex>
        )}
      />
    </>
  );
}
