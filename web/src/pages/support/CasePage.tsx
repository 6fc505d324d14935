// 帮扶对象档案: one student's case with its whole history — categories and where they came from,
// status history, cause analysis with the suggested strategies (教学线 / 德育线), responsible
// teachers and peers, and the records of every pairing with their check results. The
// psychological note only for those the API lets read it, and only on request (each read is audited).
import { useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Empty, Flex, List, Row, Tag, Timeline, Typography } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { useQueries, useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import dayjs from 'dayjs';
import { api } from '../../api/client';
import type { ActivityView, Paged, SupportCaseDetail, SupportPsych } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { ErrorResult, PageSpinner } from '../../components/QueryState';
import { useI18n } from '../../i18n/I18nProvider';
import { useLabel } from '../../i18n/useLabel';
import { CaseAnalysisEditor } from './CaseAnalysisEditor';
import { CaseStatusActions } from './CaseStatusActions';
import { AidCard } from './AidCard';
import { TrajectoryCard } from './TrajectoryCard';

const RECORD_COLORS: Record<string, string> = { submitted: 'blue', accepted: 'green', returned: 'red' };

export default function CasePage() {
  const { id } = useParams();
  const { t, tx } = useI18n();
  const label = useLabel();
  const c = useQuery({ queryKey: ['support', 'case', id], queryFn: () => api.get<SupportCaseDetail>(`/api/support/cases/${id}`) });
  const records = useQueries({
    queries: (c.data?.pairings ?? []).map((p) => ({
      queryKey: ['support', 'records', p.id],
      queryFn: () => api.get<Paged<ActivityView>>('/api/activities', { pairingId: p.id, pageSize: 200 }),
    })),
  });
  const [psychOpen, setPsychOpen] = useState(false);
  const [analysing, setAnalysing] = useState(false);
  const psych = useQuery({
    queryKey: ['support', 'psych', id],
    queryFn: () => api.get<SupportPsych>(`/api/support/cases/${id}/psych`),
    enabled: psychOpen,
    retry: false,
  });

  if (c.isLoading) return <PageSpinner />;
  if (c.error || !c.data) return <ErrorResult error={c.error} retry={() => c.refetch()} />;
  const d = c.data;
  const allRecords = records.flatMap((r) => r.data?.items ?? []).sort((a, b) => b.date.localeCompare(a.date) || b.id - a.id);
  const programmeOf = (pairingId: number) => d.pairings.find((p) => p.id === pairingId)?.programmeName ?? '';

  return (
    <>
      <PageHeader
        back
        title={<span data-testid="support-case-title">{d.studentName}</span>}
        subTitle={`${d.schoolName} · ${d.className ?? ''} · ${d.schoolYear}`}
        extra={
          <Button icon={<PrinterOutlined />} href={`/api/support/cases/${d.id}/archive.pdf`} target="_blank" title={t('support.print.hint')} data-testid="support-case-print">
            {t('support.print.archive')}
          </Button>
        }
      />
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('support.case.summary')}>
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('support.case.categories')}>
                <Flex wrap gap={4}>
                  {d.categories.map((k, i) => <Tag key={k} color="blue">{label('supportCategory', k, d.categoryLabels[i])}</Tag>)}
                  {d.sanKun && <Tag color="red">{t('support.case.sanKun')}</Tag>}
                </Flex>
              </Descriptions.Item>
              <Descriptions.Item label={t('support.case.status')}>
                <Flex wrap gap={8} align="center"><Tag data-testid="support-case-status">{label('caseStatus', d.status, d.statusLabel)}</Tag><CaseStatusActions detail={d} /></Flex>
              </Descriptions.Item>
              {d.weakSubjects.length > 0 && <Descriptions.Item label={t('support.case.weakSubjects')}>{d.weakSubjects.join('、')}</Descriptions.Item>}
              <Descriptions.Item label={t('support.case.teachers')}>
                <span data-testid="support-case-teachers">
                  {d.teachers.length ? d.teachers.map((x) => `${x.name}（${t('support.case.since', { date: x.since })}）`).join('、') : <Typography.Text type="danger">{t('support.case.noTeacher')}</Typography.Text>}
                </span>
              </Descriptions.Item>
              {d.peers.length > 0 && <Descriptions.Item label={t('support.case.peers')}>{d.peers.map((x) => x.name).join('、')}</Descriptions.Item>}
              <Descriptions.Item label={t('support.case.sources')}>
                <Flex vertical>
                  {d.sources.map((s, i) => (
                    <span key={i}>
                      {tx(`support.category.${s.category}`, s.category)}：{label('sourceKind', s.kind)}
                      {s.examName ? ` · ${s.examName}${s.subjects?.length ? `（${s.subjects.join('、')}）` : ''}` : ''}
                      {s.note ? ` · ${s.note}` : ''} · {s.at.slice(0, 10)}
                    </span>
                  ))}
                </Flex>
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card
            size="small"
            title={t('support.case.analysis')}
            data-testid="support-case-analysis"
            extra={d.canEdit && d.status !== 'closed' ? (
              <Button size="small" type={d.analysis ? 'default' : 'primary'} onClick={() => setAnalysing(true)} data-testid="support-analysis-edit">
                {d.analysis ? t('support.analysis.edit') : t('support.analysis.fill')}
              </Button>
            ) : undefined}
          >
            {!d.analysis ? <Empty description={t('support.case.noAnalysis')} image={Empty.PRESENTED_IMAGE_SIMPLE} /> : (
              <>
                <Flex vertical gap={4}>
                  {d.analysis.causes.map((x) => (
                    <span key={x.cause} data-testid="support-case-cause" data-cause={x.cause}><Tag>{t(`support.cause.${x.cause}` as never)}</Tag>{x.note}</span>
                  ))}
                </Flex>
                {(['teaching', 'moral'] as const).map((line) => d.analysis!.strategies[line].length > 0 && (
                  <div key={line} style={{ marginTop: 8 }}>
                    <Typography.Text strong>{t(`support.case.line.${line}`)}</Typography.Text>
                    <ul style={{ margin: '4px 0', paddingInlineStart: 20 }}>{d.analysis!.strategies[line].map((s, i) => <li key={i}>{s}</li>)}</ul>
                  </div>
                ))}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{d.analysis.analysedBy} · {d.analysis.analysedAt.slice(0, 10)}</Typography.Text>
              </>
            )}
          </Card>
          {d.canReadPsych && (
            <Card size="small" title={t('support.case.psych')} style={{ marginTop: 12 }}>
              {!psychOpen ? (
                <Button onClick={() => setPsychOpen(true)} data-testid="support-case-psych-open">{t('support.case.psychOpen')}</Button>
              ) : psych.error ? <Alert type="error" message={(psych.error as Error).message} /> : psych.data ? (
                <>
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{psych.data.note ?? t('support.case.psychEmpty')}</Typography.Paragraph>
                  {psych.data.records.map((r) => <Typography.Paragraph key={r.id} type="secondary">{r.date} {label('activityType', r.type, r.typeLabel)}：{r.content}</Typography.Paragraph>)}
                </>
              ) : null}
            </Card>
          )}
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('support.case.records')} data-testid="support-case-records">
            {allRecords.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('support.case.noRecords')} /> : (
              <Timeline
                items={allRecords.map((r) => ({
                  color: RECORD_COLORS[r.status] ?? 'gray',
                  children: (
                    <div data-testid="support-case-record">
                      <Flex wrap gap={4} align="center">
                        <Typography.Text strong>{r.date}</Typography.Text>
                        <span>{label('activityType', r.type, r.typeLabel)}</span>
                        <Tag color={RECORD_COLORS[r.status]}>{label('activityStatus', r.status, r.statusLabel)}</Tag>
                        {r.confidential && <Tag>{t('support.case.confidential')}</Tag>}
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.recordedBy.name} · {programmeOf(r.pairingId)}</Typography.Text>
                      </Flex>
                      {r.masked ? <Typography.Text type="secondary">{t('support.case.masked')}</Typography.Text> : (
                        <>
                          {r.fields && Object.keys(r.fields).length > 0 && (
                            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{Object.values(r.fields).filter((v) => typeof v === 'string' && v.length <= 8).join(' · ')}</Typography.Text>
                          )}
                          <div style={{ whiteSpace: 'pre-wrap' }}>{r.content}</div>
                        </>
                      )}
                      {r.lastCheck && (
                        <Typography.Text type={r.lastCheck.verdict === 'returned' ? 'danger' : 'secondary'} style={{ fontSize: 12 }} data-testid="support-case-record-check" data-verdict={r.lastCheck.verdict}>
                          {r.lastCheck.reviewerName}：{r.lastCheck.verdict === 'returned' ? t('support.check.returned') : t('support.check.accepted')}{r.lastCheck.comment ? ` — ${r.lastCheck.comment}` : ''}
                        </Typography.Text>
                      )}
                    </div>
                  ),
                }))}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('support.case.history')}>
            <Timeline
              items={d.history.map((h) => ({
                children: (
                  <div>
                    <Typography.Text strong>{label('historyEvent', h.event, h.eventLabel)}</Typography.Text> {h.to && <Tag>{label('caseStatus', h.to)}</Tag>}
                    {h.reason && <span>{h.reason}</span>} {h.note && <Typography.Text type="secondary">{h.note}</Typography.Text>}
                    <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{h.actorName} · {dayjs(h.at).format('YYYY-MM-DD HH:mm')}</Typography.Text></div>
                  </div>
                ),
              }))}
            />
            <List
              size="small"
              header={<Typography.Text strong>{t('support.case.pairings')}</Typography.Text>}
              dataSource={d.pairings}
              renderItem={(p) => (
                <List.Item>
                  {p.programmeName}：{p.people.map((x) => x.name).join(' — ')} · {p.start}{p.end ? ` ~ ${p.end}` : ''} · {label('pairingStatus', p.status)}
                </List.Item>
              )}
            />
            {d.nextCaseId && <Link to={`/support/cases/${d.nextCaseId}`}>{t('support.case.next')}</Link>}
          </Card>
          <TrajectoryCard caseId={d.id} />
          <AidCard studentId={d.studentId} schoolYear={d.schoolYear} />
        </Col>
      </Row>
      {d.canEdit && <CaseAnalysisEditor detail={d} open={analysing} onClose={() => setAnalysing(false)} />}
    </>
  );
}
