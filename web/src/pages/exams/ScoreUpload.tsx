// Uploading a score sheet for one exam: drop or pick the file, watch the upload and the
// server's import (GET /api/imports/:jobId), then the analysis (the exam turns 'analysed');
// the counts matched / unmatched / rejected, and the rejected rows as .xlsx.
import { useEffect, useRef } from 'react';
import { Alert, Button, Card, Col, Flex, Progress, Row, Statistic, Typography } from 'antd';
import { DownloadOutlined, FileExcelOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Exam, ImportJob } from '../../api/types';
import { FileDropZone } from '../../components/FileDropZone';
import { useImportUpload } from '../../components/useImportUpload';
import { useIsMobile } from '../../components/useIsMobile';
import { useI18n } from '../../i18n/I18nProvider';

const ACCEPT = '.xlsx,.xls,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel,text/csv';

export function ScoreUpload({ exam, onDone }: { exam: Exam; onDone?: () => void }) {
  const { t } = useI18n();
  const isMobile = useIsMobile();
  const client = useQueryClient();
  const { stage, job, jobId, start: startUpload } = useImportUpload();
  const imported = job.data?.status === 'succeeded';
  const failed = job.data?.status === 'failed';
  // the import commits, then the analysis runs: the exam turns 'analysed' (or the job gets a note)
  const after = useQuery({
    queryKey: ['exams', exam.id, 'after-import', jobId],
    queryFn: async () => {
      const [e, j] = await Promise.all([api.get<Exam>(`/api/exams/${exam.id}`), api.get<ImportJob>(`/api/imports/${jobId}`)]);
      return { exam: e, job: j };
    },
    enabled: imported,
    refetchInterval: (q) => {
      const d = q.state.data;
      return d && (d.exam.status === 'analysed' || d.job.errorMessage) ? false : 800;
    },
  });
  const finished = !!after.data && (after.data.exam.status === 'analysed' || !!after.data.job.errorMessage);
  const onDoneRef = useRef(onDone);
  onDoneRef.current = onDone;
  useEffect(() => {
    if (finished || failed) {
      void client.invalidateQueries({ queryKey: ['exams'] });
      onDoneRef.current?.();
    }
  }, [finished, failed, client]);

  const start = (file: File) => {
    const form = new FormData();
    form.append('file', file);
    startUpload(`/api/exams/${exam.id}/scores`, form, file.name);
  };

  const busy = stage.kind === 'uploading' || (stage.kind === 'job' && !finished && !failed);

  let percent = 0;
  let text = '';
  if (stage.kind === 'uploading') {
    percent = Math.round(stage.fraction * 100);
    text = t('import.uploading', { p: percent });
  } else if (stage.kind === 'job') {
    const j = after.data?.job ?? job.data;
    if (failed) {
      percent = 100;
      text = t('import.status.failed');
    } else if (finished) {
      percent = 100;
      text = after.data!.exam.status === 'analysed' ? t('exams.upload.analysed') : t('exams.upload.analysisFailed');
    } else if (imported) {
      percent = 99;
      text = t('exams.upload.analysing');
    } else {
      const total = j?.totalRows;
      percent = total ? Math.min(95, Math.round(((j?.processedRows ?? 0) / total) * 100)) : 50;
      text = !j || j.status === 'queued' ? t('import.queued') : t('import.processing', { n: j.processedRows, phase: t(`import.phase.${j.phase ?? 'parsing'}`) });
    }
  }

  const result = finished ? after.data! : null;
  return (
    <div>
      <FileDropZone
        hidden={busy}
        compact
        id={`score-file-${exam.id}`}
        accept={ACCEPT}
        busy={busy}
        onFile={start}
        title={isMobile ? t('import.pickMobile') : t('exams.upload.pick')}
        hint={t('exams.upload.formats')}
        ariaLabel={t('exams.upload.fileLabel')}
        testId="exam-score-file"
      />
      {exam.status !== 'created' && stage.kind === 'idle' && (
        <Alert type="info" showIcon style={{ marginTop: 12 }} message={t('exams.upload.replaceHint')} />
      )}

      {stage.kind !== 'idle' && (
        <div style={{ marginTop: 16 }} aria-live="polite">
          <Flex align="center" gap={8} style={{ marginBottom: 8 }}>
            <FileExcelOutlined style={{ color: '#52c41a' }} />
            <Typography.Text strong ellipsis style={{ maxWidth: '80%' }}>{stage.fileName}</Typography.Text>
          </Flex>
          {stage.kind !== 'uploadFailed' && (
            <div data-testid="exam-upload-progress" style={{ marginBottom: 12 }}>
              <Progress percent={percent} status={failed ? 'exception' : finished ? 'success' : 'active'} aria-label={text} />
              <Typography.Text type="secondary" data-testid="exam-upload-progress-text">{text}</Typography.Text>
            </div>
          )}
          {stage.kind === 'uploadFailed' && <Alert type="error" showIcon message={stage.message} data-testid="exam-upload-failed" />}
          {job.error && <Alert type="error" showIcon message={(job.error as Error).message} />}
          {failed && <Alert type="error" showIcon message={t('import.failedTitle')} description={job.data?.errorMessage} data-testid="exam-upload-failed" />}
          {result && (
            <div data-testid="exam-upload-result">
              {result.job.errorMessage && <Alert type="warning" showIcon message={result.job.errorMessage} style={{ marginBottom: 12 }} />}
              <Row gutter={[8, 8]}>
                {([
                  ['rows', result.exam.rowCount, '#1677ff'],
                  ['matched', result.exam.matchedCount, '#52c41a'],
                  ['unmatched', result.exam.unmatchedCount, result.exam.unmatchedCount ? '#fa8c16' : '#8c8c8c'],
                  ['rejected', result.exam.rejectedCount, result.exam.rejectedCount ? '#ff4d4f' : '#8c8c8c'],
                ] as const).map(([key, value, color]) => (
                  <Col xs={12} sm={6} key={key}>
                    <Card size="small">
                      <Statistic title={t(`exams.upload.${key}`)} value={value} valueStyle={{ color, fontSize: 20 }} data-testid={`exam-upload-${key}`} />
                    </Card>
                  </Col>
                ))}
              </Row>
              {result.exam.unmatchedCount > 0 && <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 12 }}>{t('exams.upload.unmatchedHint')}</Typography.Paragraph>}
              {result.job.hasErrors && (
                <Flex vertical gap={8} style={{ marginTop: 12 }}>
                  <Alert type="warning" showIcon message={t('exams.upload.rejectedHint', { n: result.exam.rejectedCount })} />
                  <Button danger icon={<DownloadOutlined />} href={`/api/imports/${result.job.id}/errors`} download data-testid="exam-upload-errors">
                    {t('import.downloadErrors')}
                  </Button>
                </Flex>
              )}
            </div>
          )}
        </div>
      )}
    </div>
  );
}
