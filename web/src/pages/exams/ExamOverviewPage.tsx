// The county overview of one exam: per subject (总分 first) the cut score, the bottom ratio of
// every school (bar chart, 20 % line) and the distribution of scores; the school table with
// changes and targets; who met the targets; exports.
import { useState } from 'react';
import { Button, Card, Col, Dropdown, Empty, Flex, Modal, Row, Statistic, Table, Tag, Tooltip, Typography, message, type MenuProps } from 'antd';
import {
  CloudUploadOutlined, DownloadOutlined, GiftOutlined, QuestionCircleOutlined, SyncOutlined,
} from '@ant-design/icons';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { useCurrentUser } from '../../api/session';
import type { Exam, ExamSubjectStat, ExamTargetsSummary, ExamUnitRow, ExamUnits, ExamUnmatchedRow, Paged } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { ErrorResult, PageSpinner } from '../../components/QueryState';
import { useIsMobile } from '../../components/useIsMobile';
import { useI18n } from '../../i18n/I18nProvider';
import { ScoreUpload } from './ScoreUpload';
import { ScoreVersionsNote } from './ScoreHistory';
import { UnitTable } from './UnitTable';
import {
  CardField, ChartSlot, CutValue, DistributionChart, ExamMeta, ExamStatusTag, PointsChange, RatioBarChart, ResponsiveTable, SubjectTabs,
  TargetTag, canUploadScores, isBureau, num, pct, subjectOrder, useExam, useExamSettings, useExamSubjects, useSubjectParam,
} from './shared';

export default function ExamOverviewPage() {
  const { id } = useParams();
  const { t } = useI18n();
  const me = useCurrentUser();
  const exam = useExam(id);
  const [uploading, setUploading] = useState(false);

  if (exam.isLoading) return <PageSpinner />;
  if (exam.error || !exam.data) return <ErrorResult error={exam.error} retry={() => exam.refetch()} />;
  const e = exam.data;
  const canUpload = canUploadScores(me, e);

  return (
    <>
      <PageHeader
        back
        title={<span data-testid="exam-title">{e.name}</span>}
        extra={<ExamActions exam={e} onUpload={canUpload ? () => setUploading(true) : undefined} />}
      />
      <Flex wrap gap={8} align="center" style={{ marginTop: -8, marginBottom: 12 }}>
        <ExamMeta exam={e} />
        <ExamStatusTag status={e.status} />
      </Flex>
      {e.status === 'analysed' ? <Analysis exam={e} /> : (
        <Card>
          {canUpload ? (
            <>
              <Typography.Paragraph>{e.status === 'created' ? t('exams.overview.noScores') : t('exams.overview.notAnalysed')}</Typography.Paragraph>
              <ScoreUpload exam={e} />
            </>
          ) : (
            <Empty description={e.status === 'created' ? t('exams.overview.noScores') : t('exams.overview.notAnalysed')} />
          )}
        </Card>
      )}
      <Modal open={uploading} title={t('exams.upload.title', { name: e.name })} footer={null} onCancel={() => setUploading(false)} destroyOnHidden width={640}>
        <ScoreUpload exam={e} />
      </Modal>
    </>
  );
}

function ExamActions({ exam, onUpload }: { exam: Exam; onUpload?: () => void }) {
  const { t } = useI18n();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [busy, setBusy] = useState(false);
  const analysed = exam.status === 'analysed';

  const reanalyse = async () => {
    setBusy(true);
    try {
      const r = await api.post<{ ms: number }>(`/api/exams/${exam.id}/analyse`);
      void message.success(t('exams.overview.reanalysed', { ms: r.ms }));
      await client.invalidateQueries({ queryKey: ['exams', exam.id] });
    } catch (err) {
      void message.error((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const exportItems: MenuProps['items'] = [
    ...(['school', 'class', 'teacher'] as const).map((by) => ({
      key: by,
      label: <a href={`/api/exams/${exam.id}/export.xlsx?by=${by}`} download data-testid={`exam-export-${by}`}>{t(`exams.export.${by}`)}</a>,
    })),
    { type: 'divider' as const },
    { key: 'awards', label: <a href={`/api/exams/${exam.id}/awards/export.xlsx`} download data-testid="exam-export-awards">{t('exams.export.awards')}</a> },
  ];

  return (
    <>
      {analysed && (
        <Dropdown menu={{ items: exportItems }} trigger={['click']}>
          <Button icon={<DownloadOutlined />} data-testid="exam-export">{t('exams.export.button')}</Button>
        </Dropdown>
      )}
      {analysed && <Button icon={<GiftOutlined />} onClick={() => navigate(`/exams/${exam.id}/awards`)} data-testid="exam-awards-link">{t('exams.awards.title')}</Button>}
      {onUpload && exam.status !== 'created' && <Button icon={<CloudUploadOutlined />} onClick={onUpload} data-testid="exam-upload-again">{t('exams.upload.again')}</Button>}
      {isBureau(me) && exam.status !== 'created' && (
        <Button icon={<SyncOutlined />} loading={busy} onClick={reanalyse} data-testid="exam-reanalyse">{t('exams.overview.reanalyse')}</Button>
      )}
    </>
  );
}

function Analysis({ exam }: { exam: Exam }) {
  const { t } = useI18n();
  const me = useCurrentUser();
  const isMobile = useIsMobile();
  const navigate = useNavigate();
  const subjects = useExamSubjects(exam.id);
  const settings = useExamSettings();
  const [subject, setSubject] = useSubjectParam();
  const units = useQuery({
    queryKey: ['exams', exam.id, 'units', 'school', subject],
    queryFn: () => api.get<ExamUnits>(`/api/exams/${exam.id}/analysis/units`, { level: 'school', subject }),
    placeholderData: keepPreviousData,
  });
  const classUnits = useQuery({
    queryKey: ['exams', exam.id, 'units', 'class', subject],
    queryFn: () => api.get<ExamUnits>(`/api/exams/${exam.id}/analysis/units`, { level: 'class', subject }),
    enabled: me.scopeLevel !== 'region',
    placeholderData: keepPreviousData,
  });

  if (subjects.isLoading) return <PageSpinner />;
  if (subjects.error || !subjects.data) return <ErrorResult error={subjects.error} retry={() => subjects.refetch()} />;
  const order = subjectOrder(subjects.data.subjects);
  const stat = subjects.data.subjects.find((s) => s.subject === subject) ?? subjects.data.subjects.find((s) => s.isTotal);
  if (!stat) return <Empty description={t('exams.overview.notAnalysed')} />;
  const line = settings.data?.analysisOptions.bottomFraction ?? 0.2;
  const schools = [...(units.data?.items ?? [])].filter((r) => r.subject === stat.subject).sort((a, b) => a.rank - b.rank || a.unitName.localeCompare(b.unitName, 'zh'));
  const openSchool = (r: ExamUnitRow) => `/exams/${exam.id}/schools/${r.schoolCode ?? r.unitKey}${stat.isTotal ? '' : `?subject=${encodeURIComponent(stat.subject)}`}`;

  return (
    <>
      <SubjectTabs subjects={order} value={stat.subject} onChange={setSubject} />
      <SubjectFigures stat={stat} exam={exam} />
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} lg={14}>
          <Card title={t('exams.overview.ratioBySchool', { subject: stat.subject })} size={isMobile ? 'small' : 'default'}>
            {schools.length ? (
              <ChartSlot height={Math.max(180, schools.length * 30 + 48)}>
                <RatioBarChart
                  names={schools.map((s) => s.unitName)}
                  ratios={schools.map((s) => s.ratio)}
                  line={line}
                  lineLabel={pct(line, 0)}
                  onClickIndex={(i) => navigate(openSchool(schools[i]!))}
                />
              </ChartSlot>
            ) : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('exams.overview.distribution', { subject: stat.subject })} size={isMobile ? 'small' : 'default'}
            extra={<Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('exams.overview.distributionNote')}</Typography.Text>}>
            <ChartSlot height={260}>
              <DistributionChart
                name={t('exams.overview.students')}
                labels={stat.distribution.map((_, i) => (i === 10 ? t('exams.overview.fullScore') : `${num((stat.fullMarks * i) / 10, 0)}–`))}
                values={stat.distribution}
                height={260}
                narrow={isMobile}
              />
            </ChartSlot>
          </Card>
        </Col>
      </Row>
      <Card title={t('exams.overview.schools')} style={{ marginTop: 16 }} size={isMobile ? 'small' : 'default'}>
        {units.error ? <ErrorResult error={units.error} retry={() => units.refetch()} /> : (
          <UnitTable rows={schools} loading={units.isFetching} kind="school" href={openSchool} testId="exam-school-row" />
        )}
      </Card>
      {me.scopeLevel !== 'region' && (classUnits.data?.items.length ?? 0) > 0 && (
        <Card title={t('exams.school.classes')} style={{ marginTop: 16 }} size={isMobile ? 'small' : 'default'}>
          <UnitTable
            rows={(classUnits.data?.items ?? []).filter((r) => r.subject === stat.subject).sort((a, b) => a.unitName.localeCompare(b.unitName, 'zh'))}
            loading={classUnits.isFetching}
            kind="class"
            href={(r) => (r.classId ? `/exams/${exam.id}/classes/${r.classId}` : undefined)}
            testId="exam-class-row"
          />
        </Card>
      )}
      <TargetsSummary exam={exam} subject={stat.subject} />
      {exam.unmatchedCount > 0 && <Unmatched exam={exam} />}
      <ScoreVersionsNote exam={exam} />
    </>
  );
}

/** The county figures of one subject: cut score, 应考 / 缺考 / 后20%, mean and rates. */
function SubjectFigures({ stat, exam }: { stat: ExamSubjectStat; exam: Exam }) {
  const { t } = useI18n();
  const isMobile = useIsMobile();
  const items = [
    { key: 'cut', title: t('exams.cut'), value: <CutValue cut={stat.cut} /> },
    { key: 'n', title: t('exams.enrolled'), value: stat.n },
    { key: 'absent', title: t('exams.absent'), value: stat.absent },
    { key: 'bottom', title: t('exams.bottom'), value: <>{stat.bottom}<span style={{ fontSize: 13, color: '#8c8c8c', marginInlineStart: 6 }}>{pct(stat.ratio)}</span></> },
    { key: 'mean', title: t('exams.mean'), value: num(stat.mean, 1) },
    { key: 'pass', title: t('exams.passRate'), value: pct(stat.passRate) },
    { key: 'excellence', title: t('exams.excellenceRate'), value: pct(stat.excellenceRate) },
    { key: 'full', title: t('exams.fullMarks'), value: num(stat.fullMarks, 1) },
  ];
  return (
    <>
      <Row gutter={[8, 8]}>
        {items.map((i) => (
          <Col xs={8} sm={6} lg={3} key={i.key}>
            <Card size="small" styles={{ body: { padding: isMobile ? '6px 8px' : 12 } }}>
              <Statistic title={<span style={{ fontSize: isMobile ? 12 : undefined, whiteSpace: 'nowrap' }}>{i.title}</span>} valueRender={() => <span data-testid={`exam-stat-${i.key}`}>{i.value}</span>} valueStyle={{ fontSize: isMobile ? 16 : 20 }} />
            </Card>
          </Col>
        ))}
      </Row>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8, marginBottom: 0 }}>
        {stat.cut === 'absent' ? t('exams.cutAbsentHint') : t('exams.overview.cutNote', { position: stat.position, n: stat.n })}
        {exam.missingCount > 0 && ` ${t('exams.overview.missingNote', { n: exam.missingCount })}`}
      </Typography.Paragraph>
    </>
  );
}

/** Who met the targets in this subject (schools), and the class counts. */
function TargetsSummary({ exam, subject }: { exam: Exam; subject: string }) {
  const examId = exam.id;
  const { t } = useI18n();
  const me = useCurrentUser();
  const isMobile = useIsMobile();
  const termLabel = (n: number) => (n === 1 ? t('exams.term1') : t('exams.term2'));
  const q = useQuery({
    queryKey: ['exams', examId, 'targets-summary'],
    queryFn: () => api.get<ExamTargetsSummary>(`/api/exams/${examId}/analysis/targets-summary`),
  });
  if (!q.data) return null;
  const entry = q.data.subjects.find((s) => s.subject === subject);
  const groups = entry ? (['met', 'not_met', 'not_measurable'] as const).map((status) => ({ status, items: entry.items.filter((i) => i.status === status) })) : [];
  return (
    <Card
      title={t('exams.targets.summaryTitle')}
      style={{ marginTop: 16 }}
      size={isMobile ? 'small' : 'default'}
      data-testid="exam-targets-summary"
      extra={isBureau(me) ? <Link to={`/exams/settings?grade=${exam.grade}&schoolYear=${exam.schoolYear}`}>{t('exams.targets.edit')}</Link> : undefined}
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {q.data.baseline ? t('exams.targets.baseline', { year: q.data.baseline.schoolYear, term: termLabel(q.data.baseline.term) }) : t('exams.targets.noBaseline')}
        {q.data.isDefault ? ` ${t('exams.targets.isDefault')}` : ''}
      </Typography.Paragraph>
      {!entry ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('exams.targets.noneForSubject', { subject })} /> : (
        <>
          <Row gutter={[8, 8]} style={{ marginBottom: 12 }}>
            {([['met', entry.schools.met, entry.classes.met], ['not_met', entry.schools.notMet, entry.classes.notMet], ['not_measurable', entry.schools.notMeasurable, entry.classes.notMeasurable]] as const).map(([status, s, c]) => (
              <Col xs={8} key={status}>
                <Card size="small" styles={{ body: { padding: 10 } }}>
                  <TargetTag status={status} />
                  <div style={{ fontSize: 18, marginTop: 4 }} data-testid={`targets-${status}`}>{t('exams.targets.schoolsN', { n: s })}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('exams.targets.classesN', { n: c })}</Typography.Text>
                </Card>
              </Col>
            ))}
          </Row>
          {groups.filter((g) => g.items.length > 0).map((g) => (
            <Flex key={g.status} wrap gap={6} align="center" style={{ marginBottom: 8 }}>
              <Typography.Text type="secondary" style={{ fontSize: 12, minWidth: 64 }}>{t(`exams.target.${g.status}`)}</Typography.Text>
              {g.items.map((i) => (
                <Tooltip key={i.schoolCode} title={`${pct(i.ratio)} · ${t('exams.rank')} ${i.rank}${i.note ? ` · ${i.note}` : ''}`}>
                  <Tag color={g.status === 'met' ? 'success' : g.status === 'not_met' ? 'error' : 'default'} style={{ cursor: 'help' }}>{i.schoolName}</Tag>
                </Tooltip>
              ))}
            </Flex>
          ))}
        </>
      )}
    </Card>
  );
}

/** Score rows that matched no registered student (still counted). */
function Unmatched({ exam }: { exam: Exam }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [page, setPage] = useState(1);
  const q = useQuery({
    queryKey: ['exams', exam.id, 'unmatched', page],
    queryFn: () => api.get<Paged<ExamUnmatchedRow>>(`/api/exams/${exam.id}/unmatched`, { page, pageSize: 20 }),
    enabled: open,
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 12 }}>
        <QuestionCircleOutlined /> {t('exams.unmatched.note', { n: exam.unmatchedCount })}{' '}
        <Typography.Link onClick={() => setOpen(true)} data-testid="exam-unmatched-open">{t('exams.unmatched.view')}</Typography.Link>
      </Typography.Paragraph>
      <Modal open={open} title={t('exams.unmatched.title')} footer={null} onCancel={() => setOpen(false)} width={760}>
        <Table<ExamUnmatchedRow>
          size="small"
          rowKey="rowNo"
          loading={q.isFetching}
          dataSource={q.data?.items}
          scroll={{ x: 'max-content' }}
          pagination={{ current: page, pageSize: 20, total: q.data?.total, onChange: setPage, simple: true }}
          columns={[
            { title: t('exams.unmatched.rowNo'), dataIndex: 'rowNo' },
            { title: t('common.name'), dataIndex: 'name' },
            { title: t('exams.unmatched.identity'), dataIndex: 'identityMasked', render: (v: string | null) => <span className="mono">{v ?? '—'}</span> },
            { title: t('common.school'), dataIndex: 'schoolName', render: (v: string | null, r) => v ?? r.schoolCode },
            { title: t('exams.class'), dataIndex: 'classLabel', render: (v: string | null) => v ?? '—' },
          ]}
        />
      </Modal>
    </>
  );
}
