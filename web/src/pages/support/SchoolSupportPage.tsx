// 学校帮扶 for head teachers, 教导处 and the principal: coverage per category (confirmed, with and
// without a teacher), the teachers behind on their quotas this semester, and the monthly check
// queue (each teacher's records of the month; accept, or return with a comment).
import { useState } from 'react';
import { Alert, Button, Card, DatePicker, Empty, Flex, Input, List, Modal, Segmented, Table, Tag, Typography, message } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router-dom';
import dayjs from 'dayjs';
import { api } from '../../api/client';
import { useCurrentUser } from '../../api/session';
import type { ActivityView, Paged, SupportCase, SupportCheckQueue, SupportCompliance, SupportCoverageRow } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { ErrorResult, PageSpinner } from '../../components/QueryState';
import { useIsMobile } from '../../components/useIsMobile';
import { useI18n } from '../../i18n/I18nProvider';
import { useLabel } from '../../i18n/useLabel';
import { PROGRAMME, StandingTag, monthChina } from './shared';
import { useSupportLinks } from './SupportLinks';
import { AidSummaryCard } from './AidSummaryCard';

function monthRange(month: string) {
  const start = dayjs(`${month}-01`);
  return { from: start.format('YYYY-MM-DD'), to: start.endOf('month').format('YYYY-MM-DD') };
}

export default function SchoolSupportPage() {
  const me = useCurrentUser();
  const { t, tx } = useI18n();
  const isMobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const schoolId = Number(params.get('schoolId')) || me.school?.id || undefined;
  const month = params.get('month') ?? monthChina();
  const [open, setOpen] = useState<number | null>(null);
  const links = useSupportLinks();

  const coverage = useQuery({
    queryKey: ['support', 'coverage', schoolId],
    queryFn: () => api.get<{ schoolYear: string; rows: SupportCoverageRow[] }>('/api/support/coverage', { schoolId }),
  });
  const compliance = useQuery({
    queryKey: ['support', 'compliance', schoolId],
    queryFn: () => api.get<SupportCompliance>('/api/support/compliance', { schoolId }),
  });
  const queue = useQuery({
    queryKey: ['support', 'checks', schoolId, month],
    queryFn: () => api.get<SupportCheckQueue>('/api/support/checks', { schoolId, month }),
  });

  if (coverage.isLoading) return <PageSpinner />;
  if (coverage.error || !coverage.data) return <ErrorResult error={coverage.error} retry={() => coverage.refetch()} />;
  const behind = (compliance.data?.rows ?? []).filter((r) => r.teacher !== '' && r.status !== 'on_track');

  return (
    <>
      <PageHeader title={t('support.school.title')} subTitle={coverage.data.rows[0]?.schoolName ?? me.school?.name} extra={links.length ? links : undefined} />
      <Card size="small" title={t('support.coverage.title', { year: coverage.data.schoolYear })} style={{ marginBottom: 12 }}>
        <Table<SupportCoverageRow>
          size="small"
          rowKey={(r) => `${r.school}/${r.category}`}
          pagination={false}
          scroll={{ x: true }}
          dataSource={coverage.data.rows}
          data-testid="support-coverage"
          columns={[
            { title: t('support.coverage.category'), dataIndex: 'category', render: (c: string) => tx(`support.category.${c}`, c) },
            { title: t('support.coverage.confirmed'), dataIndex: 'confirmed', align: 'right' },
            { title: t('support.coverage.withTeacher'), dataIndex: 'withTeacher', align: 'right' },
            { title: t('support.coverage.withoutTeacher'), dataIndex: 'withoutTeacher', align: 'right', render: (v: number) => (v > 0 ? <Typography.Text type="danger" strong>{v}</Typography.Text> : v) },
          ]}
        />
      </Card>
      <CaseList schoolId={schoolId} />
      <Card size="small" title={t('support.school.behind', { period: compliance.data?.period ?? '' })} style={{ marginBottom: 12 }}>
        {compliance.error ? <Alert type="warning" message={(compliance.error as Error).message} /> : behind.length === 0 ? (
          <Typography.Text type="secondary">{t('support.school.noneBehind')}</Typography.Text>
        ) : (
          <>
            {/* what the two figures and the two statuses mean: "12/14 已无法完成" alone read as nearly done */}
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 4 }} data-testid="support-behind-legend">
              {t('support.school.behindHelp', { asOf: compliance.data?.asOf ?? '' })}
            </Typography.Paragraph>
            <Flex vertical gap={2} style={{ fontSize: 12, marginBottom: 4 }}>
              <span><StandingTag status="short" />{t('support.school.shortHelp')}</span>
              <span><StandingTag status="behind" />{t('support.school.behindStatusHelp')}</span>
            </Flex>
            <List
              size="small"
              dataSource={behind}
              data-testid="support-behind"
              renderItem={(r) => (
                <List.Item>
                  <Flex wrap justify="space-between" gap={8} style={{ width: '100%' }}>
                    <span><Typography.Text strong>{r.teacherName}</Typography.Text> {r.ruleLabel}</span>
                    <span>
                      <span title={t('support.school.countTitle', { done: r.done, required: r.required })}>{t('support.school.count', { done: r.done, required: r.required })}</span>{' '}
                      <StandingTag status={r.status} />
                    </span>
                  </Flex>
                </List.Item>
              )}
            />
          </>
        )}
      </Card>
      <Card
        size="small"
        title={t('support.check.title')}
        extra={<DatePicker picker="month" allowClear={false} inputReadOnly value={dayjs(`${month}-01`)} onChange={(d) => d && setParams((p) => { p.set('month', d.format('YYYY-MM')); return p; }, { replace: true })} />}
      >
        {queue.error ? <ErrorResult error={queue.error} retry={() => queue.refetch()} /> : !queue.data ? <PageSpinner /> : queue.data.teachers.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> : (
          <List
            data-testid="support-check-queue"
            dataSource={queue.data.teachers}
            renderItem={(x) => (
              <List.Item style={{ display: 'block' }} data-testid="support-check-teacher" data-teacher={x.teacherId}>
                <Flex wrap justify="space-between" align="center" gap={8}>
                  <span>
                    <Typography.Text strong>{x.name}</Typography.Text>{' '}
                    <Typography.Text type="secondary">{t('support.check.students', { n: x.students })}</Typography.Text>
                  </span>
                  <Flex wrap gap={4} align="center">
                    <Tag>{t('support.check.counts', { total: x.records.total, submitted: x.records.submitted, accepted: x.records.accepted, returned: x.records.returned })}</Tag>
                    <StandingTag status={x.worst} />
                    <Button size={isMobile ? 'large' : 'middle'} icon={<PrinterOutlined />} href={`/api/support/teachers/${x.teacherId}/handbook.pdf`} target="_blank"
                      title={t('support.print.handbookOf', { name: x.name })} aria-label={t('support.print.handbookOf', { name: x.name })} data-testid="support-check-handbook" />
                    <Button size={isMobile ? 'large' : 'middle'} onClick={() => setOpen(open === x.teacherId ? null : x.teacherId)} data-testid="support-check-open">
                      {open === x.teacherId ? t('support.check.hide') : t('support.check.show')}
                    </Button>
                  </Flex>
                </Flex>
                {open === x.teacherId && <TeacherRecords teacherId={x.teacherId} month={month} schoolId={schoolId} />}
              </List.Item>
            )}
          />
        )}
      </Card>
      <AidSummaryCard schoolId={schoolId} />
    </>
  );
}

function TeacherRecords({ teacherId, month, schoolId }: { teacherId: number; month: string; schoolId?: number }) {
  const { t } = useI18n();
  const label = useLabel();
  // the inspector (督导) sees the check; reviewing is the school's
  const canReview = !useCurrentUser().readOnly;
  const qc = useQueryClient();
  const { from, to } = monthRange(month);
  const [returning, setReturning] = useState<ActivityView | null>(null);
  const [comment, setComment] = useState('');
  const records = useQuery({
    queryKey: ['support', 'teacher-records', teacherId, month],
    queryFn: () => api.get<Paged<ActivityView>>('/api/activities', { teacherId, from, to, programme: PROGRAMME, schoolId, pageSize: 200 }),
  });
  const review = useMutation({
    mutationFn: (v: { id: number; verdict: 'accepted' | 'returned'; comment?: string }) => api.post<ActivityView>(`/api/activities/${v.id}/review`, { verdict: v.verdict, comment: v.comment }),
    onSuccess: async (r) => {
      void message.success(<span data-testid="support-check-done">{label('activityStatus', r.status, r.statusLabel)}</span>);
      setReturning(null);
      setComment('');
      await qc.invalidateQueries({ queryKey: ['support'] });
    },
    onError: (e) => void message.error((e as Error).message),
  });

  if (records.isLoading) return <PageSpinner />;
  if (records.error || !records.data) return <ErrorResult error={records.error} retry={() => records.refetch()} />;
  return (
    <>
      <List
        size="small"
        style={{ marginTop: 8 }}
        dataSource={records.data.items}
        locale={{ emptyText: t('support.case.noRecords') }}
        renderItem={(r) => (
          <List.Item data-testid="support-check-record" data-activity={r.id} data-status={r.status}>
            <Flex vertical style={{ width: '100%' }} gap={4}>
              <Flex wrap gap={6} align="center">
                <Typography.Text strong>{r.date}</Typography.Text>
                <span>{label('activityType', r.type, r.typeLabel)}</span>
                <Tag color={r.status === 'accepted' ? 'green' : r.status === 'returned' ? 'red' : 'blue'}>{label('activityStatus', r.status, r.statusLabel)}</Tag>
              </Flex>
              {r.masked ? <Typography.Text type="secondary">{t('support.case.masked')}</Typography.Text> : <span style={{ whiteSpace: 'pre-wrap' }}>{r.content}</span>}
              {r.lastCheck?.comment && <Typography.Text type="danger" style={{ fontSize: 12 }}>{r.lastCheck.comment}</Typography.Text>}
              {canReview && r.status === 'submitted' && (
                <Flex gap={8}>
                  <Button type="primary" loading={review.isPending} onClick={() => review.mutate({ id: r.id, verdict: 'accepted' })} data-testid="support-check-accept">{t('support.check.accept')}</Button>
                  <Button danger onClick={() => setReturning(r)} data-testid="support-check-return">{t('support.check.return')}</Button>
                </Flex>
              )}
            </Flex>
          </List.Item>
        )}
      />
      <Modal
        open={!!returning}
        title={t('support.check.returnTitle')}
        onCancel={() => setReturning(null)}
        okText={t('support.check.return')}
        okButtonProps={{ danger: true, disabled: comment.trim().length < 2, loading: review.isPending, 'data-testid': 'support-check-return-ok' } as never}
        onOk={() => returning && review.mutate({ id: returning.id, verdict: 'returned', comment: comment.trim() })}
      >
        <Input.TextArea rows={3} value={comment} onChange={(e) => setComment(e.target.value)} placeholder={t('support.check.commentHint')} data-testid="support-check-comment" />
      </Modal>
    </>
  );
}

/** The school's cases (帮扶对象名单), optionally only those without a teacher; each opens its case page. */
function CaseList({ schoolId }: { schoolId?: number }) {
  const { t } = useI18n();
  const label = useLabel();
  const isMobile = useIsMobile();
  const [without, setWithout] = useState(false);
  const [page, setPage] = useState(1);
  const cases = useQuery({
    queryKey: ['support', 'school-cases', schoolId, without, page],
    queryFn: () => api.get<Paged<SupportCase>>('/api/support/cases', { schoolId, withoutTeacher: without || undefined, page, pageSize: 20 }),
    placeholderData: keepPreviousData,
  });
  return (
    <Card
      size="small"
      title={t('support.school.cases')}
      style={{ marginBottom: 12 }}
      extra={<Segmented size="small" value={without ? 'without' : 'all'} onChange={(v) => { setWithout(v === 'without'); setPage(1); }} options={[{ value: 'all', label: t('support.school.casesAll') }, { value: 'without', label: t('support.coverage.withoutTeacher') }]} />}
    >
      {cases.error ? <Alert type="warning" message={(cases.error as Error).message} /> : isMobile ? (
        <List
          size="small"
          loading={cases.isFetching}
          dataSource={cases.data?.items ?? []}
          data-testid="support-school-cases"
          pagination={(cases.data?.total ?? 0) > 20 ? { current: page, pageSize: 20, total: cases.data?.total ?? 0, onChange: setPage, simple: true } : false}
          renderItem={(c) => (
            <List.Item>
              <Flex vertical gap={2} style={{ width: '100%' }}>
                <Flex justify="space-between" gap={8}>
                  <Link to={`/support/cases/${c.id}`} style={{ fontSize: 16 }}>{c.studentName}</Link>
                  <Typography.Text type="secondary">{c.className} · {label('caseStatus', c.status, c.statusLabel)}</Typography.Text>
                </Flex>
                <Flex wrap gap={2}>{c.categories.map((k, i) => <Tag key={k}>{label('supportCategory', k, c.categoryLabels[i])}</Tag>)}</Flex>
                {c.teachers.length ? <Typography.Text type="secondary">{t('support.case.teachers')}：{c.teachers.map((x) => x.name).join('、')}</Typography.Text>
                  : <Typography.Text type="danger">{t('support.case.noTeacher')}</Typography.Text>}
              </Flex>
            </List.Item>
          )}
        />
      ) : (
        <Table<SupportCase>
          size="small"
          rowKey="id"
          loading={cases.isFetching}
          scroll={{ x: true }}
          dataSource={cases.data?.items ?? []}
          data-testid="support-school-cases"
          pagination={{ current: page, pageSize: 20, total: cases.data?.total ?? 0, onChange: setPage, hideOnSinglePage: true, showSizeChanger: false }}
          columns={[
            { title: t('support.record.student'), dataIndex: 'studentName', render: (v: string, c) => <Link to={`/support/cases/${c.id}`}>{v}</Link> },
            { title: t('support.school.class'), dataIndex: 'className' },
            { title: t('support.case.categories'), dataIndex: 'categories', render: (_: unknown, c) => <Flex wrap gap={2}>{c.categories.map((k, i) => <Tag key={k}>{label('supportCategory', k, c.categoryLabels[i])}</Tag>)}</Flex> },
            { title: t('support.case.status'), dataIndex: 'status', render: (_: unknown, c) => label('caseStatus', c.status, c.statusLabel) },
            {
              title: t('support.case.teachers'), dataIndex: 'teachers',
              render: (l: SupportCase['teachers']) => (l.length ? l.map((x) => x.name).join('、') : <Typography.Text type="danger">{t('support.case.noTeacher')}</Typography.Text>),
            },
          ]}
        />
      )}
    </Card>
  );
}
