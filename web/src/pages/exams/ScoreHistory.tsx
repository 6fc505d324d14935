// Scores keep history: a corrected re-import keeps the set it replaces. The overview says how
// many times the scores were replaced and lists the versions; the class page shows one
// student's scores in every version (what a corrected sheet changed for them).
import { useState, type HTMLAttributes } from 'react';
import { Button, Modal, Table, Tag, Typography } from 'antd';
import { HistoryOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { api } from '../../api/client';
import type { Exam, ExamScoreVersion, ExamStudentScoreHistory } from '../../api/types';
import { ErrorResult } from '../../components/QueryState';
import { useI18n } from '../../i18n/I18nProvider';
import { num } from './shared';

const when = (v: string | null) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm') : '—');

/** "Version 3", counted from the first import; the current set is "当前". */
function useVersionLabel(versions: { versionId: number | null }[]) {
  const { t } = useI18n();
  const replaced = versions.filter((v) => v.versionId != null).length;
  return (v: { versionId: number | null }, index: number) =>
    v.versionId == null ? <Tag color="blue" style={{ marginInlineEnd: 0 }}>{t('exams.versions.current')}</Tag> : t('exams.versions.nth', { n: replaced - index + 1 });
}

function useVersions(examId: string, enabled = true) {
  return useQuery({
    queryKey: ['exams', examId, 'score-versions'],
    queryFn: () => api.get<{ items: ExamScoreVersion[] }>(`/api/exams/${examId}/score-versions`),
    enabled,
  });
}

/** Under the overview: shown once a corrected import has replaced the scores. */
export function ScoreVersionsNote({ exam }: { exam: Exam }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const q = useVersions(exam.id);
  const items = q.data?.items ?? [];
  const label = useVersionLabel(items);
  const replaced = items.filter((v) => v.versionId != null).length;
  if (!replaced) return null;
  return (
    <>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }} data-testid="exam-versions-note">
        <HistoryOutlined /> {t('exams.versions.note', { n: replaced })}{' '}
        <Typography.Link onClick={() => setOpen(true)} data-testid="exam-versions-open">{t('exams.versions.view')}</Typography.Link>
      </Typography.Paragraph>
      <Modal open={open} title={t('exams.versions.title')} footer={null} onCancel={() => setOpen(false)} width={820}>
        <Table<ExamScoreVersion>
          size="small"
          rowKey={(v) => v.versionId ?? 'current'}
          dataSource={items}
          pagination={false}
          scroll={{ x: 'max-content' }}
          onRow={() => ({ 'data-testid': 'exam-version-row' }) as HTMLAttributes<HTMLTableRowElement>}
          columns={[
            { title: t('exams.versions.version'), key: 'v', render: (_: unknown, v, i) => label(v, i) },
            { title: t('exams.versions.file'), dataIndex: 'fileName', render: (f: string | null) => f ?? '—' },
            { title: t('exams.versions.importedAt'), dataIndex: 'importedAt', render: when },
            { title: t('exams.versions.importedBy'), dataIndex: 'importedBy', render: (b: string | null) => b ?? '—' },
            { title: t('exams.versions.rows'), dataIndex: 'rows', align: 'right' },
            { title: t('exams.versions.replacedAt'), dataIndex: 'replacedAt', render: when },
          ]}
        />
      </Modal>
    </>
  );
}

/** One student's scores in each version of the exam; a button for the class page's candidate rows. */
export function StudentScoresButton({ examId, studentId, name }: { examId: string; studentId: number; name: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const q = useQuery({
    queryKey: ['exams', examId, 'score-history', studentId],
    queryFn: () => api.get<ExamStudentScoreHistory>(`/api/exams/${examId}/score-history`, { studentId }),
    enabled: open,
  });
  const versions = useVersions(examId, open);
  const all = versions.data?.items ?? [];
  const label = useVersionLabel(all);
  const rowOf = new Map((q.data?.items ?? []).map((r) => [r.versionId, r]));
  return (
    <>
      <Button size="small" type="link" icon={<HistoryOutlined />} onClick={() => setOpen(true)} data-testid="candidate-history" style={{ paddingInline: 0 }}>
        {t('exams.history.open')}
      </Button>
      <Modal open={open} title={t('exams.history.title', { name })} footer={null} onCancel={() => setOpen(false)} width={760}>
        {q.error ? <ErrorResult error={q.error} retry={() => q.refetch()} /> : (
          <Table<ExamScoreVersion>
            size="small"
            loading={q.isFetching || versions.isFetching}
            rowKey={(v) => v.versionId ?? 'current'}
            dataSource={all}
            pagination={false}
            scroll={{ x: 'max-content' }}
            onRow={() => ({ 'data-testid': 'student-score-version' }) as HTMLAttributes<HTMLTableRowElement>}
            columns={[
              { title: t('exams.versions.version'), key: 'v', render: (_: unknown, v, i) => label(v, i) },
              { title: t('exams.versions.file'), dataIndex: 'fileName', render: (f: string | null) => f ?? '—' },
              {
                title: t('exams.history.scores'),
                key: 'scores',
                render: (_: unknown, v) => {
                  const r = rowOf.get(v.versionId);
                  if (!r) return <Typography.Text type="secondary">{t('exams.history.notInVersion')}</Typography.Text>;
                  return r.subjects.map((s, i) => `${s} ${r.scores[i] == null ? t('exams.history.absent') : num(r.scores[i]!, 1)}`).join(' · ');
                },
              },
              { title: t('exams.versions.replacedAt'), dataIndex: 'replacedAt', render: when },
            ]}
          />
        )}
      </Modal>
    </>
  );
}
