import { useEffect, useState } from 'react';
import { Alert, Button, Card, Col, Flex, Progress, Row, Statistic, Tag, Typography } from 'antd';
import { DownloadOutlined, FileExcelOutlined, ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { api } from '../../api/client';
import { useCurrentUser } from '../../api/session';
import type { ImportJob, ImportStatus, Paged } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { SchoolSelect } from '../../components/RemoteSelect';
import { useI18n } from '../../i18n/I18nProvider';
import { DataList } from '../../components/DataList';
import { FileDropZone } from '../../components/FileDropZone';
import { isImportActive, useImportUpload, type UploadStage } from '../../components/useImportUpload';
import { useIsMobile } from '../../components/useIsMobile';

/** The roster columns the importer understands, in the order of the template. */
const ROSTER_TEMPLATE_HEADERS = ['学校标识码', '学校名称', '年级', '班级', '姓名', '性别', '身份证号', '全国学籍号', '出生日期', '民族', '家庭住址', '监护人', '联系电话'];
const ACCEPT = '.xlsx,.xls,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel,text/csv';

/** A CSV with the headers, UTF-8 with a BOM: without the BOM, Chinese Excel reads it as GBK and shows mojibake. */
function downloadTemplate() {
  const blob = new Blob(['\uFEFF' + ROSTER_TEMPLATE_HEADERS.join(',') + '\r\n'], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = '学生花名册模板.csv';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const STATUS_COLOR: Record<ImportStatus, string> = { queued: 'default', running: 'processing', succeeded: 'success', failed: 'error' };

export default function ImportPage() {
  const { t } = useI18n();
  const me = useCurrentUser();
  const isMobile = useIsMobile();
  const queryClient = useQueryClient();
  const [schoolId, setSchoolId] = useState<number | undefined>();
  const { stage, job, start: startUpload } = useImportUpload();
  const [historyPage, setHistoryPage] = useState(1);

  const school = useQuery({
    queryKey: ['school', String(schoolId)],
    queryFn: () => api.get<{ code: string; name: string }>(`/api/schools/${schoolId}`),
    enabled: schoolId !== undefined,
    staleTime: 5 * 60_000,
  });

  const jobDone = job.data && !isImportActive(job.data.status);
  useEffect(() => {
    if (jobDone) void queryClient.invalidateQueries({ queryKey: ['imports'] });
  }, [jobDone, queryClient]);

  const history = useQuery({
    queryKey: ['imports', historyPage],
    queryFn: () => api.get<Paged<ImportJob>>('/api/imports', { page: historyPage, pageSize: 10 }),
    placeholderData: keepPreviousData,
  });

  const start = (file: File) => {
    const form = new FormData();
    if (school.data?.code) form.append('schoolCode', school.data.code);
    form.append('file', file);
    startUpload('/api/imports/roster', form, file.name);
  };

  const busy = stage.kind === 'uploading' || (stage.kind === 'job' && !jobDone);

  return (
    <>
      <PageHeader title={t('nav.imports')} extra={<Button icon={<DownloadOutlined />} onClick={downloadTemplate} data-testid="import-template">{t('import.template')}</Button>} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card title={t('import.rosterTitle')}>
            {me.scopeLevel === 'region' && (
              <div style={{ marginBottom: 12 }}>
                <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 4 }}>{t('import.schoolHint')}</Typography.Text>
                <SchoolSelect value={schoolId} onChange={setSchoolId} width="100%" testId="import-school" disabled={busy} />
              </div>
            )}
            <FileDropZone
              id="roster-file"
              accept={ACCEPT}
              busy={busy}
              onFile={start}
              title={isMobile ? t('import.pickMobile') : t('import.pick')}
              hint={t('import.formats')}
              ariaLabel={t('import.fileLabel')}
              testId="import-file"
            />

            {stage.kind !== 'idle' && (
              <div style={{ marginTop: 16 }} aria-live="polite">
                <Flex align="center" gap={8} style={{ marginBottom: 8 }}>
                  <FileExcelOutlined style={{ color: '#52c41a' }} />
                  <Typography.Text strong ellipsis style={{ maxWidth: '70%' }}>{stage.fileName}</Typography.Text>
                  {stage.kind === 'job' && job.data && <Tag color={STATUS_COLOR[job.data.status]} data-testid="import-status">{t(`import.status.${job.data.status}`)}</Tag>}
                </Flex>
                <ImportProgress stage={stage} job={job.data} />
                {stage.kind === 'uploadFailed' && <Alert type="error" showIcon message={stage.message} data-testid="import-failed" />}
                {job.error && <Alert type="error" showIcon message={(job.error as Error).message} />}
                {job.data && jobDone && <ImportResult job={job.data} />}
              </div>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('import.howTitle')}>
            <Typography.Paragraph>{t('import.how1')}</Typography.Paragraph>
            <Typography.Paragraph>{t('import.how2')}</Typography.Paragraph>
            <Typography.Paragraph>{t('import.how3')}</Typography.Paragraph>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>{t('import.columns')}</Typography.Paragraph>
            <Flex wrap gap={4}>{ROSTER_TEMPLATE_HEADERS.map((h) => <Tag key={h}>{h}</Tag>)}</Flex>
          </Card>
        </Col>
        <Col xs={24}>
          <Card title={t('import.history')} extra={<Button type="text" icon={<ReloadOutlined />} onClick={() => history.refetch()} aria-label={t('common.refresh')} />}>
            {history.error ? <Alert type="error" showIcon message={(history.error as Error).message} /> : (
              <DataList<ImportJob>
                rowKey={(j) => String(j.id)}
                loading={history.isFetching}
                items={history.data?.items}
                total={history.data?.total}
                page={historyPage}
                pageSize={10}
                onPage={(p) => setHistoryPage(p)}
                rowTestId="import-history-row"
                columns={[
                  { title: t('import.createdAt'), dataIndex: 'createdAt', render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
                  { title: t('import.kindLabel'), dataIndex: 'kind', render: (k: ImportJob['kind']) => t(`import.kind.${k}`) },
                  { title: t('import.fileName'), dataIndex: 'fileName', ellipsis: true },
                  { title: t('import.statusLabel'), dataIndex: 'status', render: (s: ImportStatus) => <Tag color={STATUS_COLOR[s]}>{t(`import.status.${s}`)}</Tag> },
                  { title: t('import.inserted'), dataIndex: 'inserted', align: 'right' },
                  { title: t('import.updated'), dataIndex: 'updated', align: 'right' },
                  { title: t('import.unchanged'), dataIndex: 'unchanged', align: 'right' },
                  { title: t('import.rejected'), dataIndex: 'rejected', align: 'right', render: (n: number) => (n ? <Typography.Text type="danger">{n}</Typography.Text> : n) },
                  { title: '', key: 'errors', fixed: 'right', render: (_: unknown, j) => j.hasErrors && <a href={`/api/imports/${j.id}/errors`} download>{t('import.downloadErrors')}</a> },
                ]}
                renderCard={(j) => (
                  <Flex vertical gap={4}>
                    <Flex justify="space-between" align="center" gap={8}>
                      <Typography.Text strong ellipsis style={{ minWidth: 0 }}>{j.fileName}</Typography.Text>
                      <Tag color={STATUS_COLOR[j.status]} style={{ marginInlineEnd: 0 }}>{t(`import.status.${j.status}`)}</Tag>
                    </Flex>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {dayjs(j.createdAt).format('YYYY-MM-DD HH:mm')} · {t(`import.kind.${j.kind}`)}
                    </Typography.Text>
                    <Typography.Text style={{ fontSize: 13 }}>
                      {t('import.inserted')} {j.inserted} · {t('import.updated')} {j.updated} · {t('import.unchanged')} {j.unchanged} · {t('import.rejected')}{' '}
                      {j.rejected ? <Typography.Text type="danger">{j.rejected}</Typography.Text> : j.rejected}
                    </Typography.Text>
                    {j.hasErrors && <a href={`/api/imports/${j.id}/errors`} download>{t('import.downloadErrors')}</a>}
                  </Flex>
                )}
              />
            )}
          </Card>
        </Col>
      </Row>
    </>
  );
}

function ImportProgress({ stage, job }: { stage: UploadStage; job: ImportJob | undefined }) {
  const { t } = useI18n();
  if (stage.kind === 'uploadFailed') return null;
  const uploaded = stage.kind === 'uploading' ? stage.fraction : 1;
  const processing = stage.kind === 'job' && (!job || isImportActive(job.status));
  const total = job?.totalRows ?? null;
  const done = job && !isImportActive(job.status);
  let percent: number;
  let text: string;
  if (stage.kind === 'uploading') {
    percent = Math.round(uploaded * 100);
    text = t('import.uploading', { p: percent });
  } else if (done) {
    percent = 100;
    text = job.status === 'succeeded' ? t('import.done', { n: job.processedRows }) : t('import.status.failed');
  } else {
    // the server reports rows processed; a fraction only once it knows the row count
    percent = total ? Math.min(99, Math.round(((job?.processedRows ?? 0) / total) * 100)) : 100;
    text = job?.status === 'queued' || !job ? t('import.queued') : t('import.processing', { n: job.processedRows, phase: t(`import.phase.${job.phase ?? 'parsing'}`) });
  }
  return (
    <div data-testid="import-progress" style={{ marginBottom: 12 }}>
      <Progress
        percent={percent}
        status={done ? (job.status === 'succeeded' ? 'success' : 'exception') : 'active'}
        showInfo={stage.kind === 'uploading' || !!total || !!done}
        strokeColor={processing && !total ? { from: '#91caff', to: '#1677ff' } : undefined}
        aria-label={text}
      />
      <Typography.Text type="secondary" data-testid="import-progress-text">{text}</Typography.Text>
    </div>
  );
}

function ImportResult({ job }: { job: ImportJob }) {
  const { t } = useI18n();
  const counts = [
    { key: 'inserted', value: job.inserted, color: '#52c41a' },
    { key: 'updated', value: job.updated, color: '#1677ff' },
    { key: 'unchanged', value: job.unchanged, color: '#8c8c8c' },
    { key: 'rejected', value: job.rejected, color: job.rejected ? '#ff4d4f' : '#8c8c8c' },
  ] as const;
  return (
    <div data-testid="import-result">
      {job.status === 'failed' && <Alert type="error" showIcon message={t('import.failedTitle')} description={job.errorMessage} style={{ marginBottom: 12 }} data-testid="import-failed" />}
      <Row gutter={[8, 8]}>
        {counts.map((c) => (
          <Col xs={12} sm={6} key={c.key}>
            <Card size="small">
              <Statistic title={t(`import.${c.key}`)} value={c.value} valueStyle={{ color: c.color }} data-testid={`import-count-${c.key}`} />
            </Card>
          </Col>
        ))}
      </Row>
      {job.hasErrors && (
        <Flex vertical gap={8} style={{ marginTop: 12 }}>
          <Alert type="warning" showIcon message={t('import.errorsHint', { n: job.rejected })} />
          <Button type="primary" danger icon={<DownloadOutlined />} href={`/api/imports/${job.id}/errors`} download data-testid="import-errors-download">
            {t('import.downloadErrors')}
          </Button>
        </Flex>
      )}
    </div>
  );
}
