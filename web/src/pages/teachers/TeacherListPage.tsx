import { Flex, Select, Tag, Typography } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { SUBJECTS } from '@shared/registry';
import { api } from '../../api/client';
import { useCurrentUser } from '../../api/session';
import type { Paged, TeacherListItem } from '../../api/types';
import { PagedQueryList } from '../../components/DataList';
import { FilterBar } from '../../components/FilterBar';
import { PageHeader } from '../../components/PageHeader';
import { SchoolSelect } from '../../components/RemoteSelect';
import { SearchInput } from '../../components/SearchInput';
import { useListParams } from '../../components/useListParams';
import { useI18n } from '../../i18n/I18nProvider';
import { useLabel } from '../../i18n/useLabel';

export default function TeacherListPage() {
  const { t } = useI18n();
  const label = useLabel();
  const me = useCurrentUser();
  const lp = useListParams();
  const q = lp.get('q');
  const schoolId = lp.get('schoolId') ? Number(lp.get('schoolId')) : undefined;
  const subject = lp.get('subject');
  const query = useQuery({
    queryKey: ['teachers', { q, schoolId, subject, page: lp.page, pageSize: lp.pageSize }],
    queryFn: () => api.get<Paged<TeacherListItem>>('/api/teachers', { q, schoolId, subject, page: lp.page, pageSize: lp.pageSize }),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <PageHeader title={t('nav.teachers')} />
      <FilterBar
        activeCount={[schoolId, subject].filter((v) => v !== undefined).length}
        search={<SearchInput value={q} onSearch={(v) => lp.setFilters({ q: v })} testId="teacher-search" />}
      >
        {me.scopeLevel === 'region' && <SchoolSelect value={schoolId} onChange={(v) => lp.setFilters({ schoolId: v })} />}
        <Select allowClear placeholder={t('teachers.subject')} aria-label={t('teachers.subject')} style={{ width: 140 }} value={subject}
          options={SUBJECTS.map((s) => ({ value: s, label: s }))} onChange={(v) => lp.setFilters({ subject: v })} />
      </FilterBar>
      <PagedQueryList<TeacherListItem>
        query={query}
        params={lp}
        rowKey={(x) => x.id}
        rowTestId="teacher-row"
        href={(x) => `/teachers/${x.id}`}
        columns={[
          { title: t('common.name'), dataIndex: 'name', fixed: 'left', render: (_: unknown, x) => <Link to={`/teachers/${x.id}`}>{x.name}</Link> },
          { title: t('common.sex'), dataIndex: 'sex', render: (v: string) => label('sex', v) },
          { title: t('common.school'), dataIndex: 'schoolName' },
          { title: t('teachers.subjects'), dataIndex: 'subjects', render: (v: string[]) => (v ?? []).join('、') || '—' },
          { title: t('teachers.teachingGroup'), dataIndex: 'teachingGroup', render: (v: string | null) => v ?? '—' },
          { title: t('teachers.title'), dataIndex: 'title', render: (v: string | null) => (v ? label('teacherTitle', v) : '—') },
          { title: t('teachers.backbone'), dataIndex: 'backboneLevel', render: (v: string | null) => (v && v !== '无' ? <Tag color="blue">{label('backboneLevel', v)}</Tag> : '—') },
          { title: t('teachers.yearsOfService'), dataIndex: 'yearsOfService', align: 'right', render: (v: number | null) => v ?? '—' },
          { title: t('teachers.position'), dataIndex: 'position', render: (v: string | null, x) => <>{v ?? '—'}{x.isLeader && <Tag color="gold" style={{ marginInlineStart: 6 }}>{t('teachers.leader')}</Tag>}</> },
        ]}
        renderCard={(x) => (
          <Flex vertical gap={4}>
            <Flex justify="space-between" align="baseline">
              <span>
                <Link to={`/teachers/${x.id}`} style={{ fontWeight: 500 }}>{x.name}</Link>
                <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>{label('sex', x.sex)}</Typography.Text>
              </span>
              {x.backboneLevel && x.backboneLevel !== '无' && <Tag color="blue">{label('backboneLevel', x.backboneLevel)}</Tag>}
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{x.schoolName}</Typography.Text>
            <span style={{ fontSize: 13 }}>{(x.subjects ?? []).join('、') || '—'}{x.title ? ` · ${label('teacherTitle', x.title)}` : ''}{x.position ? ` · ${x.position}` : ''}</span>
          </Flex>
        )}
      />
    </>
  );
}
