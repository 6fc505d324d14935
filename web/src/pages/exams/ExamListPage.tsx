// 考试分析: the exams the caller may see, filtered by grade / school year / term / kind;
// managers create an exam and upload its score sheet from here.
import { useState } from 'react';
import { Button, Flex, Modal, Select, Typography } from 'antd';
import { CloudUploadOutlined, PlusOutlined, SettingOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router-dom';
import { EXAM_KINDS } from '@modules/exams/exams.schemas';
import { api } from '../../api/client';
import { useCurrentUser } from '../../api/session';
import type { Exam, Paged } from '../../api/types';
import { PagedQueryList } from '../../components/DataList';
import { FilterBar } from '../../components/FilterBar';
import { PageHeader } from '../../components/PageHeader';
import { useListParams } from '../../components/useListParams';
import { useI18n } from '../../i18n/I18nProvider';
import { useLabel } from '../../i18n/useLabel';
import { ExamCreateModal } from './ExamCreateModal';
import { ScoreUpload } from './ScoreUpload';
import { ExamMeta, ExamStatusTag, canManageExams, canUploadScores, isBureau, scopeLabel, useGradeName, useTermLabel } from './shared';

const numOrUndef = (v: string | undefined) => (v ? Number(v) : undefined);

export default function ExamListPage() {
  const { t } = useI18n();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const termLabel = useTermLabel();
  const gradeName = useGradeName();
  const label = useLabel();
  const lp = useListParams();
  const filters = {
    grade: numOrUndef(lp.get('grade')),
    schoolYear: lp.get('schoolYear'),
    term: numOrUndef(lp.get('term')),
    kind: lp.get('kind'),
  };
  const [creating, setCreating] = useState(false);
  const [uploadFor, setUploadFor] = useState<Exam | null>(null);

  const query = useQuery({
    queryKey: ['exams', 'list', { ...filters, page: lp.page, pageSize: lp.pageSize }],
    queryFn: () => api.get<Paged<Exam>>('/api/exams', { ...filters, page: lp.page, pageSize: lp.pageSize }),
    placeholderData: keepPreviousData,
  });

  const years = (() => {
    const y = new Date().getFullYear();
    return [y, y - 1, y - 2, y - 3].map((s) => `${s}-${s + 1}`);
  })();

  const open = (e: Exam) => `/exams/${e.id}`;
  const uploadButton = (e: Exam) =>
    canUploadScores(me, e) && (
      <Button size="small" icon={<CloudUploadOutlined />} onClick={(ev) => { ev.stopPropagation(); setUploadFor(e); }} data-testid="exam-upload-open">
        {e.status === 'created' ? t('exams.upload.button') : t('exams.upload.again')}
      </Button>
    );

  return (
    <>
      <PageHeader
        title={t('nav.exams')}
        extra={
          <>
            {isBureau(me) && <Button icon={<SettingOutlined />} onClick={() => navigate('/exams/settings')} data-testid="exam-settings-link">{t('exams.settings.title')}</Button>}
            {canManageExams(me) && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="exam-create">{t('exams.create.button')}</Button>}
          </>
        }
      />
      <FilterBar activeCount={Object.values(filters).filter((v) => v !== undefined).length}>
        <Select allowClear placeholder={t('exams.grade')} aria-label={t('exams.grade')} style={{ width: 110 }} value={filters.grade}
          options={[1, 2, 3, 4, 5, 6, 7, 8, 9].map((g) => ({ value: g, label: gradeName(g) }))} onChange={(v) => lp.setFilters({ grade: v })} />
        <Select allowClear placeholder={t('exams.schoolYear')} aria-label={t('exams.schoolYear')} style={{ width: 130 }} value={filters.schoolYear}
          options={years.map((y) => ({ value: y, label: y }))} onChange={(v) => lp.setFilters({ schoolYear: v })} />
        <Select allowClear placeholder={t('exams.term')} aria-label={t('exams.term')} style={{ width: 120 }} value={filters.term}
          options={[1, 2].map((v) => ({ value: v, label: termLabel(v) }))} onChange={(v) => lp.setFilters({ term: v })} />
        <Select allowClear placeholder={t('exams.kind')} aria-label={t('exams.kind')} style={{ width: 100 }} value={filters.kind}
          options={EXAM_KINDS.map((k) => ({ value: k, label: label('examKind', k) }))} onChange={(v) => lp.setFilters({ kind: v })} />
      </FilterBar>
      <PagedQueryList<Exam>
        query={query}
        params={lp}
        rowKey={(e) => e.id}
        rowTestId="exam-row"
        href={open}
        columns={[
          { title: t('exams.name'), dataIndex: 'name', render: (v: string, e) => <Link to={open(e)} data-testid="exam-name">{v}</Link> },
          { title: t('exams.grade'), dataIndex: 'grade', render: (g: number) => gradeName(g) },
          { title: t('exams.schoolYear'), dataIndex: 'schoolYear', render: (v: string, e) => `${v} ${termLabel(e.term)}` },
          { title: t('exams.kind'), dataIndex: 'kind', render: (v: string) => label('examKind', v) },
          { title: t('exams.scopeLabel'), dataIndex: 'scope', render: (_: string, e) => scopeLabel(t, e) },
          { title: t('exams.date'), dataIndex: 'examDate', render: (v: string | null) => v ?? '—' },
          { title: t('exams.students'), dataIndex: 'rowCount', align: 'right', render: (n: number) => (n ? n : '—') },
          { title: t('exams.statusLabel'), dataIndex: 'status', render: (s: string) => <ExamStatusTag status={s} /> },
          { title: '', key: 'actions', render: (_: unknown, e) => uploadButton(e) },
        ]}
        renderCard={(e) => (
          <Flex vertical gap={6}>
            <Flex justify="space-between" align="start" gap={8}>
              <Link to={open(e)} style={{ fontWeight: 500 }} data-testid="exam-name">{e.name}</Link>
              <ExamStatusTag status={e.status} />
            </Flex>
            <ExamMeta exam={e} />
            <Flex justify="space-between" align="center">
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {e.examDate ?? ''}{e.rowCount ? ` · ${t('exams.studentsN', { n: e.rowCount })}` : ''}
              </Typography.Text>
              {uploadButton(e)}
            </Flex>
          </Flex>
        )}
      />
      <ExamCreateModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(exam) => {
          setCreating(false);
          void query.refetch();
          setUploadFor(exam);
        }}
      />
      <Modal
        open={!!uploadFor}
        title={uploadFor ? t('exams.upload.title', { name: uploadFor.name }) : ''}
        footer={null}
        onCancel={() => setUploadFor(null)}
        destroyOnHidden
        width={640}
      >
        {uploadFor && (
          <>
            <ScoreUpload exam={uploadFor} />
            <Flex justify="end" style={{ marginTop: 16 }}>
              <Button type="primary" onClick={() => navigate(`/exams/${uploadFor.id}`)} data-testid="exam-upload-view">{t('exams.upload.view')}</Button>
            </Flex>
          </>
        )}
      </Modal>
    </>
  );
}
