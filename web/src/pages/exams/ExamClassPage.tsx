// One class in one exam: its figures per subject, and the candidate list for support
// (帮扶对象候选) with why each student is on it; the head teacher, the subject teachers
// concerned and the school office confirm, remove (with a reason) or undo.
import { useMemo, useState } from 'react';
import { Alert, Button, Card, Flex, Form, Input, Modal, Segmented, Space, Tag, Typography, message } from 'antd';
import { CheckOutlined, CloseOutlined, UndoOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { Link, useParams } from 'react-router-dom';
import { candidatePatchBody } from '@modules/exams/exam-analysis.schemas';
import { api } from '../../api/client';
import type { ExamCandidate, ExamCandidates, ExamUnits } from '../../api/types';
import { zodRule, validValues } from '../../components/formRules';
import { PageHeader } from '../../components/PageHeader';
import { ErrorResult, PageSpinner, Problem } from '../../components/QueryState';
import { useIsMobile } from '../../components/useIsMobile';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n';
import { ResponsiveTable, TOTAL, subjectOrder, useExam, useExamSubjects } from './shared';
import { StudentScoresButton } from './ScoreHistory';
import { UnitTable } from './UnitTable';

type Status = ExamCandidate['status'];
const STATUS_COLOR: Record<Status, string> = { proposed: 'gold', confirmed: 'green', removed: 'default' };

export default function ExamClassPage() {
  const { id, classId } = useParams();
  const { t } = useI18n();
  const exam = useExam(id);
  const subjects = useExamSubjects(id);
  const units = useQuery({
    queryKey: ['exams', id, 'units', 'class', '*', '*'],
    queryFn: () => api.get<ExamUnits>(`/api/exams/${id}/analysis/units`, { level: 'class' }),
    placeholderData: keepPreviousData,
  });
  const candidates = useQuery({
    queryKey: ['exams', id, 'candidates', classId],
    queryFn: () => api.get<ExamCandidates>(`/api/exams/${id}/candidates`, { classId, pageSize: 200 }),
  });

  if (exam.isLoading) return <PageSpinner />;
  if (exam.error || !exam.data) return <ErrorResult error={exam.error} retry={() => exam.refetch()} />;
  const order = subjects.data ? subjectOrder(subjects.data.subjects) : [TOTAL];
  const rows = (units.data?.items ?? []).filter((r) => String(r.classId) === classId).sort((a, b) => order.indexOf(a.subject) - order.indexOf(b.subject));
  const first = rows[0];
  const anyCandidate = candidates.data?.items[0];
  const className = first?.unitName ?? anyCandidate?.className ?? `#${classId}`;
  const schoolName = first?.schoolName ?? anyCandidate?.schoolName;
  const schoolCode = first?.schoolCode;
  // neither a result row nor a candidate the caller may see: not this exam's class, or not the caller's
  if (units.data && candidates.data && !units.isFetching && !first && !anyCandidate) {
    return <Problem kind="warning" title={t('error.notFound')} subTitle={t('exams.class.notFound')} extra={<Link to={`/exams/${exam.data.id}`}>{exam.data.name}</Link>} />;
  }

  return (
    <>
      <PageHeader
        back
        title={<span data-testid="exam-class-title">{className}</span>}
        subTitle={
          <>
            {schoolCode ? <Link to={`/exams/${id}/schools/${schoolCode}`}>{schoolName}</Link> : schoolName}
            {first?.headTeacher ? ` · ${t('exams.headTeacher')} ${first.headTeacher}` : ''}
          </>
        }
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}><Link to={`/exams/${exam.data.id}`}>{exam.data.name}</Link></Typography.Paragraph>
      <Card title={t('exams.class.candidates')} size="small" data-testid="exam-candidates">
        {candidates.error ? <ErrorResult error={candidates.error} retry={() => candidates.refetch()} /> : (
          <CandidateList examId={exam.data.id} classId={classId!} data={candidates.data} loading={candidates.isFetching} />
        )}
      </Card>
      <Card title={t('exams.class.bySubject')} size="small" style={{ marginTop: 16 }}>
        {units.error ? <ErrorResult error={units.error} retry={() => units.refetch()} /> : (
          <UnitTable rows={rows} loading={units.isFetching} kind="class" bySubject testId="exam-class-subject-row" />
        )}
      </Card>
    </>
  );
}

export function ReasonTags({ c }: { c: ExamCandidate }) {
  const { t } = useI18n();
  const main: Record<ExamCandidate['reason'], { color: string; key: MessageKey }> = {
    total: { color: 'red', key: 'exams.reason.total' },
    single_subject: { color: 'orange', key: 'exams.reason.single_subject' },
    multi_subject: { color: 'volcano', key: 'exams.reason.multi_subject' },
    kept: { color: 'default', key: 'exams.reason.kept' },
  };
  const m = main[c.reason];
  return (
    <Flex wrap gap={4} data-testid="candidate-reason">
      <Tag color={m.color} style={{ marginInlineEnd: 0 }}>{t(m.key)}</Tag>
      {c.subjects.map((s) => <Tag key={s} style={{ marginInlineEnd: 0 }} bordered={false}>{s}</Tag>)}
    </Flex>
  );
}

function StatusCell({ c }: { c: ExamCandidate }) {
  const { t } = useI18n();
  return (
    <Flex vertical gap={2}>
      <span><Tag color={STATUS_COLOR[c.status]} style={{ marginInlineEnd: 0 }} data-testid="candidate-status">{t(`exams.candidate.${c.status}`)}</Tag></span>
      {c.decidedBy && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {c.decidedBy.name}{c.decidedAt ? ` · ${dayjs(c.decidedAt).format('MM-DD HH:mm')}` : ''}
        </Typography.Text>
      )}
      {c.decisionNote && <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="candidate-note">{t('exams.candidate.note')}：{c.decisionNote}</Typography.Text>}
    </Flex>
  );
}

function CandidateList({ examId, classId, data, loading }: { examId: string; classId: string; data: ExamCandidates | undefined; loading: boolean }) {
  const { t } = useI18n();
  const isMobile = useIsMobile();
  const client = useQueryClient();
  const [filter, setFilter] = useState<'all' | Status>('all');
  const [busy, setBusy] = useState<number | null>(null);
  const [removing, setRemoving] = useState<ExamCandidate | null>(null);
  const items = data?.items ?? [];
  const counts = useMemo(() => {
    const c: Record<'all' | Status, number> = { all: items.length, proposed: 0, confirmed: 0, removed: 0 };
    for (const i of items) c[i.status]++;
    return c;
  }, [items]);
  const shown = filter === 'all' ? items : items.filter((i) => i.status === filter);
  const anyDecidable = items.some((i) => i.canDecide);

  const decide = async (c: ExamCandidate, status: Status, note?: string) => {
    setBusy(c.studentId);
    try {
      await api.patch<ExamCandidate>(`/api/exams/${examId}/candidates/${c.studentId}`, { status, ...(note ? { note } : {}) });
      void message.success(t(`exams.candidate.done.${status}`) + `：${c.studentName}`);
      await client.invalidateQueries({ queryKey: ['exams', examId, 'candidates', classId] });
    } catch (e) {
      void message.error((e as Error).message);
      throw e;
    } finally {
      setBusy(null);
    }
  };

  const actions = (c: ExamCandidate) => {
    if (!c.canDecide) return null;
    const loading = busy === c.studentId;
    return (
      <Space size={4} wrap>
        {c.status === 'proposed' && (
          <Button size="small" type="primary" icon={<CheckOutlined />} loading={loading} onClick={() => void decide(c, 'confirmed').catch(() => undefined)} data-testid="candidate-confirm">
            {t('exams.candidate.confirm')}
          </Button>
        )}
        {c.status === 'proposed' && (
          <Button size="small" danger icon={<CloseOutlined />} disabled={loading} onClick={() => setRemoving(c)} data-testid="candidate-remove">
            {t('exams.candidate.remove')}
          </Button>
        )}
        {c.status !== 'proposed' && (
          <Button size="small" icon={<UndoOutlined />} loading={loading} onClick={() => void decide(c, 'proposed').catch(() => undefined)} data-testid="candidate-undo">
            {t('exams.candidate.undo')}
          </Button>
        )}
      </Space>
    );
  };

  return (
    <>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('exams.class.candidatesNote')}</Typography.Paragraph>
      {!anyDecidable && items.length > 0 && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('exams.class.readOnly')} />}
      <div style={{ overflowX: 'auto', marginBottom: 12 }}>
        <Segmented
          size={isMobile ? 'small' : 'middle'}
          value={filter}
          onChange={(v) => setFilter(v as 'all' | Status)}
          options={(['all', 'proposed', 'confirmed', 'removed'] as const).map((s) => ({
            value: s,
            label: <span data-testid={`candidate-filter-${s}`}>{s === 'all' ? t('exams.candidate.all') : t(`exams.candidate.${s}`)} {counts[s]}</span>,
          }))}
        />
      </div>
      <ResponsiveTable<ExamCandidate>
        items={shown}
        loading={loading}
        rowKey={(c) => c.studentId}
        rowTestId="candidate-row"
        empty={t('exams.class.noCandidates')}
        columns={[
          { title: t('common.name'), dataIndex: 'studentName', onCell: () => ({ style: { whiteSpace: 'nowrap' } }), render: (v: string, c) => (
            <Flex vertical gap={0} align="start">
              <Link to={`/students/${c.studentId}`} data-testid="candidate-name">{v}</Link>
              <StudentScoresButton examId={examId} studentId={c.studentId} name={v} />
            </Flex>
          ) },
          { title: t('exams.candidate.reason'), key: 'reason', render: (_: unknown, c) => <ReasonTags c={c} /> },
          { title: t('exams.candidate.status'), key: 'status', render: (_: unknown, c) => <StatusCell c={c} /> },
          ...(anyDecidable ? [{ title: t('common.actions'), key: 'actions', render: (_: unknown, c: ExamCandidate) => actions(c) }] : []),
        ]}
        renderCard={(c) => (
          <Flex vertical gap={6}>
            <Flex justify="space-between" align="center" gap={8}>
              <Link to={`/students/${c.studentId}`} style={{ fontWeight: 500 }} data-testid="candidate-name">{c.studentName}</Link>
              <Tag color={STATUS_COLOR[c.status]} style={{ marginInlineEnd: 0 }} data-testid="candidate-status">{t(`exams.candidate.${c.status}`)}</Tag>
            </Flex>
            <ReasonTags c={c} />
            <StudentScoresButton examId={examId} studentId={c.studentId} name={c.studentName} />
            {(c.decidedBy || c.decisionNote) && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {c.decidedBy?.name}{c.decisionNote ? ` · ${t('exams.candidate.note')}：${c.decisionNote}` : ''}
              </Typography.Text>
            )}
            {actions(c)}
          </Flex>
        )}
      />
      {data && data.total > data.items.length && <Typography.Text type="secondary">{t('exams.class.more', { n: data.total - data.items.length })}</Typography.Text>}
      <RemoveModal
        candidate={removing}
        onCancel={() => setRemoving(null)}
        onRemove={async (note) => {
          await decide(removing!, 'removed', note);
          setRemoving(null);
        }}
      />
    </>
  );
}

function RemoveModal({ candidate, onCancel, onRemove }: { candidate: ExamCandidate | null; onCancel: () => void; onRemove: (note: string) => Promise<void> }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ note: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const values = await validValues(form);
    if (!values) return;
    const { note } = values;
    setBusy(true);
    try {
      await onRemove(note.trim());
      form.resetFields();
    } catch {
      // the message is shown; the dialog stays open
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={!!candidate}
      title={candidate ? t('exams.candidate.removeTitle', { name: candidate.studentName }) : ''}
      okText={t('exams.candidate.remove')}
      okButtonProps={{ danger: true, 'data-testid': 'candidate-remove-submit' }}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={submit}
      onCancel={onCancel}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="note"
          label={t('exams.candidate.removeReason')}
          rules={[
            { required: true, whitespace: true, message: t('exams.candidate.removeReasonRequired') },
            { min: 2, message: t('exams.candidate.removeReasonRequired') },
            zodRule(candidatePatchBody.shape.note.unwrap()),
          ]}
        >
          <Input.TextArea rows={3} maxLength={200} showCount placeholder={t('exams.candidate.removePlaceholder')} data-testid="candidate-remove-reason" autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
