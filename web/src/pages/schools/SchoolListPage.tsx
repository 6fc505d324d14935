import { Flex, Select, Space, Tag, Typography } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { LOCATION_TYPES, SCHOOL_KINDS } from '@shared/registry';
import { api } from '../../api/client';
import type { Paged, SchoolListItem } from '../../api/types';
import { PagedQueryList } from '../../components/DataList';
import { FilterBar } from '../../components/FilterBar';
import { PageHeader } from '../../components/PageHeader';
import { SearchInput } from '../../components/SearchInput';
import { useListParams } from '../../components/useListParams';
import { useI18n } from '../../i18n/I18nProvider';
import { useLabel } from '../../i18n/useLabel';

export default function SchoolListPage() {
  const { t } = useI18n();
  const label = useLabel();
  const lp = useListParams();
  const q = lp.get('q');
  const kind = lp.get('kind');
  const locationType = lp.get('locationType');
  const query = useQuery({
    queryKey: ['schools', { q, kind, locationType, page: lp.page, pageSize: lp.pageSize }],
    queryFn: () => api.get<Paged<SchoolListItem>>('/api/schools', { q, kind, locationType, page: lp.page, pageSize: lp.pageSize }),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <PageHeader title={t('nav.schools')} />
      <FilterBar
        activeCount={[kind, locationType].filter(Boolean).length}
        search={<SearchInput value={q} onSearch={(v) => lp.setFilters({ q: v })} placeholder={t('schools.searchPlaceholder')} testId="school-search" />}
      >
        <Select allowClear placeholder={t('schools.kind')} aria-label={t('schools.kind')} style={{ width: 160 }} value={kind}
          options={SCHOOL_KINDS.map((k) => ({ value: k, label: label('schoolKind', k) }))} onChange={(v) => lp.setFilters({ kind: v })} />
        <Select allowClear placeholder={t('schools.locationType')} aria-label={t('schools.locationType')} style={{ width: 120 }} value={locationType}
          options={LOCATION_TYPES.map((k) => ({ value: k, label: label('locationType', k) }))} onChange={(v) => lp.setFilters({ locationType: v })} />
      </FilterBar>
      <PagedQueryList<SchoolListItem>
        query={query}
        params={lp}
        rowKey={(s) => s.id}
        rowTestId="school-row"
        href={(s) => `/schools/${s.id}`}
        columns={[
          { title: t('schools.name'), dataIndex: 'name', fixed: 'left', render: (_: unknown, s) => <Link to={`/schools/${s.id}`}>{s.name}</Link> },
          { title: t('schools.code'), dataIndex: 'code', render: (v: string) => <span className="mono">{v}</span> },
          { title: t('schools.kind'), dataIndex: 'kind', render: (v: string) => label('schoolKind', v) },
          { title: t('schools.locationType'), dataIndex: 'locationType', render: (v: string) => label('locationType', v) },
          { title: t('schools.town'), dataIndex: 'town', render: (v: string | null) => v ?? '—' },
          { title: t('schools.flags'), dataIndex: 'flags', render: (f: string[]) => (f ?? []).map((x) => <Tag key={x}>{label('schoolFlag', x)}</Tag>) },
          { title: t('schools.classCount'), dataIndex: 'classCount', align: 'right' },
          { title: t('schools.teacherCount'), dataIndex: 'teacherCount', align: 'right' },
          { title: t('schools.studentCount'), dataIndex: 'studentCount', align: 'right' },
        ]}
        renderCard={(s) => (
          <Flex vertical gap={4}>
            <Flex justify="space-between" align="baseline" gap={8}>
              <Link to={`/schools/${s.id}`} style={{ fontWeight: 500 }}>{s.name}</Link>
              <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>{label('locationType', s.locationType)}</Typography.Text>
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {label('schoolKind', s.kind)}{s.town ? ` · ${s.town}` : ''} · <span className="mono">{s.code}</span>
            </Typography.Text>
            <Space size={12} style={{ fontSize: 13 }}>
              <span>{t('schools.classCount')} {s.classCount}</span>
              <span>{t('schools.teacherCount')} {s.teacherCount}</span>
              <span>{t('schools.studentCount')} {s.studentCount}</span>
            </Space>
            {(s.flags ?? []).length > 0 && <div>{s.flags.map((x) => <Tag key={x}>{label('schoolFlag', x)}</Tag>)}</div>}
          </Flex>
        )}
      />
    </>
  );
}
