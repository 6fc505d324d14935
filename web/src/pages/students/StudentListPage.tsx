import { Flex, Select, Tag, Typography } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { FAMILY_FLAGS, GRADE_NAMES, STUDENT_STATUSES } from '@shared/registry';
import { REVEAL_ROLES } from '@shared/roles';
import { api } from '../../api/client';
import { hasRole, useCurrentUser } from '../../api/session';
import type { Paged, SchoolDetail, StudentListItem } from '../../api/types';
import { PagedQueryList } from '../../components/DataList';
import { FilterBar } from '../../components/FilterBar';
import { PageHeader } from '../../components/PageHeader';
import { SchoolSelect } from '../../components/RemoteSelect';
import { SearchInput } from '../../components/SearchInput';
import { useListParams } from '../../components/useListParams';
import { useI18n } from '../../i18n/I18nProvider';
import { useLabel } from '../../i18n/useLabel';

const num = (v: string | undefined) => (v ? Number(v) : undefined);

export default function StudentListPage() {
  const { t } = useI18n();
  const label = useLabel();
  const me = useCurrentUser();
  const lp = useListParams();
  const q = lp.get('q');
  const schoolId = num(lp.get('schoolId'));
  const grade = num(lp.get('grade'));
  const classId = num(lp.get('classId'));
  const flag = lp.get('flag');
  const status = lp.get('status');
  const filters = { q, schoolId, schoolCode: lp.get('schoolCode'), grade, classId, flag, status };

  const query = useQuery({
    queryKey: ['students', { ...filters, page: lp.page, pageSize: lp.pageSize }],
    queryFn: () => api.get<Paged<StudentListItem>>('/api/students', { ...filters, page: lp.page, pageSize: lp.pageSize }),
    placeholderData: keepPreviousData,
  });

  // classes to filter by: of the chosen school, or of the user's own school
  const classSchoolId = schoolId ?? (me.scopeLevel !== 'region' ? me.school?.id : undefined);
  const school = useQuery({
    queryKey: ['school', String(classSchoolId)],
    queryFn: () => api.get<SchoolDetail>(`/api/schools/${classSchoolId}`),
    enabled: classSchoolId !== undefined,
    staleTime: 5 * 60_000,
  });
  const classes = (school.data?.classes ?? []).filter((c) => grade === undefined || c.grade === grade);
  const grades = school.data ? [...new Set(school.data.classes.map((c) => c.grade))].sort((a, b) => a - b) : Object.keys(GRADE_NAMES).map(Number);

  return (
    <>
      <PageHeader title={t('nav.students')} />
      <FilterBar
        activeCount={[schoolId, grade, classId, status, flag].filter((v) => v !== undefined).length}
        search={<SearchInput value={q} onSearch={(v) => lp.setFilters({ q: v })} testId="student-search" />}
      >
        {me.scopeLevel === 'region' && <SchoolSelect value={schoolId} onChange={(v) => lp.setFilters({ schoolId: v, classId: undefined })} />}
        <Select allowClear placeholder={t('students.grade')} aria-label={t('students.grade')} style={{ width: 110 }} value={grade}
          options={grades.map((g) => ({ value: g, label: label('grade', g) }))} onChange={(v) => lp.setFilters({ grade: v, classId: undefined })} />
        {classSchoolId !== undefined && (
          <Select allowClear placeholder={t('students.class')} aria-label={t('students.class')} style={{ width: 150 }} value={classId} loading={school.isLoading}
            options={classes.map((c) => ({ value: c.id, label: c.name }))} onChange={(v) => lp.setFilters({ classId: v })} />
        )}
        <Select allowClear placeholder={t('students.status')} aria-label={t('students.status')} style={{ width: 110 }} value={status}
          options={STUDENT_STATUSES.map((s) => ({ value: s, label: label('studentStatus', s) }))} onChange={(v) => lp.setFilters({ status: v })} />
        {hasRole(me, REVEAL_ROLES) && (
          <Select allowClear placeholder={t('students.familyFlag')} aria-label={t('students.familyFlag')} style={{ width: 170 }} value={flag}
            options={Object.keys(FAMILY_FLAGS).map((value) => ({ value, label: label('familyFlag', value) }))} onChange={(v) => lp.setFilters({ flag: v })} />
        )}
      </FilterBar>
      <PagedQueryList<StudentListItem>
        query={query}
        params={lp}
        rowKey={(s) => s.id}
        rowTestId="student-row"
        href={(s) => `/students/${s.id}`}
        columns={[
          { title: t('common.name'), dataIndex: 'name', fixed: 'left', render: (_: unknown, s) => <Link to={`/students/${s.id}`} data-testid="student-name">{s.name}</Link> },
          { title: t('common.sex'), dataIndex: 'sex', render: (v: string) => label('sex', v) },
          { title: t('common.school'), dataIndex: 'schoolName' },
          { title: t('students.class'), dataIndex: 'className', render: (v: string | null) => v ?? '—' },
          { title: t('students.studentNo'), dataIndex: 'studentNo', render: (v: string | null) => <span className="mono">{v ?? '—'}</span> },
          { title: t('common.idNumber'), dataIndex: 'idNumberMasked', render: (v: string | null) => <span className="mono">{v ?? '—'}</span> },
          { title: t('students.birthDate'), dataIndex: 'birthDate', render: (v: string | null) => v ?? '—' },
          { title: t('students.status'), dataIndex: 'status', render: (v: string) => <Tag color={v === '在读' ? 'green' : 'default'}>{label('studentStatus', v)}</Tag> },
        ]}
        renderCard={(s) => (
          <Flex vertical gap={4}>
            <Flex justify="space-between" align="baseline">
              <span>
                <Link to={`/students/${s.id}`} style={{ fontWeight: 500 }} data-testid="student-name">{s.name}</Link>
                <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>{label('sex', s.sex)}</Typography.Text>
              </span>
              <Tag color={s.status === '在读' ? 'green' : 'default'} style={{ marginInlineEnd: 0 }}>{label('studentStatus', s.status)}</Tag>
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{s.schoolName}{s.className ? ` · ${s.className}` : ''}</Typography.Text>
            <span className="mono" style={{ fontSize: 12, color: '#595959' }}>{s.idNumberMasked ?? '—'}</span>
          </Flex>
        )}
      />
    </>
  );
}
