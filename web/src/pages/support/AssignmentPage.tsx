// 师生结对分配 for 教导处, the principal and the bureau (one school at a time): the rules' check
// (每名教师帮扶1—2名, 每位领导至少1名贫困生, 每名贫困生一名帮扶教师, 一个不漏) with the violations
// listed; the suggestion that fills the gaps (by subject, class and load), which a person edits —
// another teacher for a row, a row left out — before accepting it (POST /assignments/accept: the
// server refuses, all or nothing, what breaks a hard rule); and 生生结对 (一帮一) for a case.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Collapse, DatePicker, Empty, Flex, Form, Input, List, Select, Statistic, Tag, Typography, message } from 'antd';
import { DeleteOutlined, UndoOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router-dom';
import dayjs, { type Dayjs } from 'dayjs';
import type { z } from 'zod';
import { RULE_KEYS, RULE_LABELS, type acceptAssignmentsResult, type assignmentCheckView, type suggestionView, type Violation } from '@modules/support/support.schemas';
import { api } from '../../api/client';
import { useCurrentUser } from '../../api/session';
import type { Paged, SupportCase } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { ErrorResult, PageSpinner } from '../../components/QueryState';
import { SchoolSelect, StudentSelect, TeacherSelect } from '../../components/RemoteSelect';
import { useI18n } from '../../i18n/I18nProvider';
import { ResponsiveTable } from '../exams/shared';
import { todayChina } from './shared';
import { useSupportLinks } from './SupportLinks';

type CheckView = z.infer<typeof assignmentCheckView>;
type SuggestionView = z.infer<typeof suggestionView>;
type AcceptResult = z.infer<typeof acceptAssignmentsResult>;
type Row = SuggestionView['items'][number] & { changed?: boolean };

export default function AssignmentPage() {
  const me = useCurrentUser();
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const schoolId = Number(params.get('schoolId')) || me.school?.id || undefined;
  const bureau = !me.school;
  const links = useSupportLinks();

  return (
    <>
      <PageHeader
        back
        title={t('support.assign.title')}
        extra={[
          ...links,
          ...(bureau ? [<SchoolSelect key="school" value={schoolId} onChange={(v) => setParams((p) => { if (v) p.set('schoolId', String(v)); else p.delete('schoolId'); return p; }, { replace: true })} testId="support-assign-school" />] : []),
        ]}
      />
      {!schoolId ? <Empty description={t('support.assign.pickSchool')} /> : (
        <>
          <CheckCard schoolId={schoolId} />
          <SuggestionCard schoolId={schoolId} />
          <PeerCard schoolId={schoolId} />
        </>
      )}
    </>
  );
}

/** The violations grouped by rule, errors first; each names its teacher or case. */
export function ViolationList({ violations, testId }: { violations: Violation[]; testId: string }) {
  const { t } = useI18n();
  const groups = RULE_KEYS.map((rule) => ({ rule, items: violations.filter((v) => v.rule === rule) })).filter((g) => g.items.length > 0)
    .sort((a, b) => Number(a.items[0]!.severity === 'warning') - Number(b.items[0]!.severity === 'warning'));
  if (groups.length === 0) return <Alert type="success" showIcon message={t('support.assign.noViolations')} data-testid={`${testId}-none`} />;
  return (
    <Collapse
      size="small"
      data-testid={testId}
      defaultActiveKey={groups.filter((g) => g.items[0]!.severity === 'error').map((g) => g.rule)}
      items={groups.map((g) => ({
        key: g.rule,
        label: (
          <Flex wrap gap={6} align="center">
            <Tag color={g.items[0]!.severity === 'error' ? 'red' : 'orange'} style={{ marginInlineEnd: 0 }}>
              {g.items[0]!.severity === 'error' ? t('support.assign.error') : t('support.assign.warning')}
            </Tag>
            <span>{RULE_LABELS[g.rule]}</span>
            <Typography.Text type="secondary">{g.items.length}</Typography.Text>
          </Flex>
        ),
        children: (
          <List
            size="small"
            dataSource={g.items}
            pagination={g.items.length > 20 ? { pageSize: 20, size: 'small', simple: true } : false}
            renderItem={(v) => (
              <List.Item data-testid="support-violation" data-rule={v.rule} data-case={v.caseId ?? undefined}>
                {v.caseId ? <Link to={`/support/cases/${v.caseId}`}>{v.message}</Link> : v.message}
              </List.Item>
            )}
          />
        ),
      }))}
    />
  );
}

function CheckCard({ schoolId }: { schoolId: number }) {
  const { t } = useI18n();
  const check = useQuery({
    queryKey: ['support', 'assign-check', schoolId],
    queryFn: () => api.get<CheckView>('/api/support/assignments/check', { schoolId }),
  });
  if (check.isLoading) return <PageSpinner />;
  if (check.error || !check.data) return <ErrorResult error={check.error} retry={() => check.refetch()} />;
  const c = check.data.counts;
  const r = check.data.rules;
  return (
    <Card size="small" title={t('support.assign.check', { year: check.data.schoolYear })} style={{ marginBottom: 12 }} data-testid="support-assign-check">
      <Flex wrap gap={24} style={{ marginBottom: 12 }}>
        <Statistic title={t('support.assign.cases')} value={c.cases} />
        <Statistic title={t('support.coverage.withTeacher')} value={c.withTeacher} />
        <Statistic title={t('support.assign.teachers')} value={c.teachers} />
        <Statistic title={t('support.assign.errors')} value={c.errors} valueStyle={c.errors ? { color: '#cf1322' } : undefined} />
        <Statistic title={t('support.assign.warnings')} value={c.warnings} />
      </Flex>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('support.assign.rules', { min: r.teacherMin, max: r.teacherMax, leader: r.leaderMinPoor })}
      </Typography.Paragraph>
      <ViolationList violations={check.data.violations} testId="support-assign-violations" />
    </Card>
  );
}

function SuggestionCard({ schoolId }: { schoolId: number }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const suggestion = useQuery({
    queryKey: ['support', 'assign-suggestion', schoolId],
    queryFn: () => api.get<SuggestionView>('/api/support/assignments/suggestion', { schoolId }),
  });
  const [rows, setRows] = useState<Row[]>([]);
  const [start, setStart] = useState<Dayjs>(dayjs(todayChina()));
  const [plan, setPlan] = useState('');
  const [result, setResult] = useState<AcceptResult | null>(null);
  useEffect(() => setRows(suggestion.data?.items ?? []), [suggestion.data]);

  const accept = useMutation({
    mutationFn: () => api.post<AcceptResult>('/api/support/assignments/accept', {
      schoolId, start: start.format('YYYY-MM-DD'), items: rows.map((r) => ({ caseId: r.caseId, teacherId: r.teacherId })), ...(plan.trim() ? { plan: plan.trim() } : {}),
    }),
    onSuccess: async (r) => {
      setResult(r);
      void message.success(<span data-testid="support-assign-done">{t('support.assign.done', { n: r.pairings.length })}</span>);
      await qc.invalidateQueries({ queryKey: ['support'] });
    },
    onError: (e) => void message.error((e as Error).message),
  });

  if (suggestion.isLoading) return <PageSpinner />;
  if (suggestion.error || !suggestion.data) return <ErrorResult error={suggestion.error} retry={() => suggestion.refetch()} />;
  const s = suggestion.data;
  const edited = rows.length !== s.items.length || rows.some((r) => r.changed);
  const errorsAfter = s.violationsAfter.filter((v) => v.severity === 'error').length;
  const setTeacher = (caseId: number, teacherId: number | undefined) => {
    if (!teacherId) return;
    setRows(rows.map((r) => (r.caseId === caseId ? { ...r, teacherId, teacherName: '', reasons: [], changed: true } : r)));
  };
  const teacherCell = (r: Row) => (
    <div data-testid="support-assign-item-teacher" style={{ minWidth: 180 }}>
      <TeacherSelect value={r.teacherId} schoolId={schoolId} onChange={(v) => setTeacher(r.caseId, v)} />
    </div>
  );
  const remove = (r: Row) => (
    <Button size="small" icon={<DeleteOutlined />} onClick={() => setRows(rows.filter((x) => x.caseId !== r.caseId))} data-testid="support-assign-item-remove">
      {t('support.assign.removeRow')}
    </Button>
  );
  const reasons = (r: Row) => (r.changed ? <Tag color="blue">{t('support.assign.changed')}</Tag> : <Flex wrap gap={2}>{r.reasons.map((x) => <Tag key={x} bordered={false}>{x}</Tag>)}</Flex>);

  return (
    <Card
      size="small"
      title={t('support.assign.suggestion')}
      style={{ marginBottom: 12 }}
      data-testid="support-assign-suggestion"
      extra={edited ? <Button size="small" icon={<UndoOutlined />} onClick={() => setRows(s.items)}>{t('support.assign.restore')}</Button> : undefined}
    >
      {result && (
        <Alert
          closable
          onClose={() => setResult(null)}
          type={result.violations.some((v) => v.severity === 'error') ? 'warning' : 'success'}
          showIcon
          style={{ marginBottom: 12 }}
          message={t('support.assign.result', { n: result.pairings.length, errors: result.violations.filter((v) => v.severity === 'error').length })}
        />
      )}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('support.assign.suggestionNote')}</Typography.Paragraph>
      <ResponsiveTable<Row>
        items={rows}
        rowKey={(r) => r.caseId}
        rowTestId="support-assign-item"
        empty={t('support.assign.nothingToFill')}
        columns={[
          { title: t('support.record.student'), dataIndex: 'studentName', render: (v: string, r) => <Link to={`/support/cases/${r.caseId}`} data-testid="support-assign-item-student" data-case={r.caseId}>{v}</Link> },
          { title: t('support.case.teachers'), key: 'teacher', render: (_: unknown, r) => teacherCell(r) },
          { title: t('support.assign.why'), key: 'reasons', render: (_: unknown, r) => reasons(r) },
          { title: '', key: 'remove', render: (_: unknown, r) => remove(r) },
        ]}
        renderCard={(r) => (
          <Flex vertical gap={6}>
            <Flex justify="space-between" align="center" gap={8}>
              <Link to={`/support/cases/${r.caseId}`} style={{ fontSize: 16 }} data-testid="support-assign-item-student" data-case={r.caseId}>{r.studentName}</Link>
              {remove(r)}
            </Flex>
            {teacherCell(r)}
            {reasons(r)}
          </Flex>
        )}
      />
      {s.unassigned.length > 0 && (
        <Alert
          type="warning"
          style={{ marginTop: 12 }}
          message={t('support.assign.unassigned', { n: s.unassigned.length })}
          description={<ul style={{ margin: 0, paddingInlineStart: 18 }}>{s.unassigned.map((u) => <li key={u.caseId}><Link to={`/support/cases/${u.caseId}`}>{u.studentName}</Link>：{u.reason}</li>)}</ul>}
          data-testid="support-assign-unassigned"
        />
      )}
      {rows.length > 0 && (
        <>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>
            {edited ? t('support.assign.afterEdited') : t('support.assign.after', { errors: errorsAfter })}
          </Typography.Paragraph>
          <Flex wrap gap={8} align="center">
            <span>{t('support.assign.start')}</span>
            <DatePicker value={start} onChange={(d) => d && setStart(d)} allowClear={false} inputReadOnly />
            <Input value={plan} onChange={(e) => setPlan(e.target.value)} maxLength={2000} placeholder={t('support.assign.plan')} style={{ flex: '1 1 200px' }} />
            <Button type="primary" size="large" loading={accept.isPending} onClick={() => accept.mutate()} data-testid="support-assign-accept">
              {t('support.assign.accept', { n: rows.length })}
            </Button>
          </Flex>
        </>
      )}
    </Card>
  );
}

/** 生生结对 (一帮一): a good student or class cadre, usually a classmate, helps a student on the list. */
function PeerCard({ schoolId }: { schoolId: number }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [caseId, setCaseId] = useState<number | undefined>();
  const [helper, setHelper] = useState<number | undefined>();
  const cases = useQuery({
    queryKey: ['support', 'peer-cases', schoolId, q],
    queryFn: () => api.get<Paged<SupportCase>>('/api/support/cases', { schoolId, q: q || undefined, pageSize: 50 }),
  });
  const open = useMemo(() => (cases.data?.items ?? []).filter((c) => c.status !== 'closed' && c.status !== 'identified'), [cases.data]);
  const chosen = open.find((c) => c.id === caseId);
  const pair = useMutation({
    mutationFn: (v: { plan?: string }) => api.post(`/api/support/cases/${caseId}/peer`, { helperStudentId: helper, ...(v.plan?.trim() ? { plan: v.plan.trim() } : {}) }),
    onSuccess: async () => {
      void message.success(t('support.peer.done'));
      setHelper(undefined);
      await qc.invalidateQueries({ queryKey: ['support'] });
    },
    onError: (e) => void message.error((e as Error).message),
  });
  return (
    <Card size="small" title={t('support.peer.title')} data-testid="support-peer">
      <Form layout="vertical" onFinish={(v: { plan?: string }) => pair.mutate(v)} style={{ maxWidth: 560 }}>
        <Form.Item label={t('support.peer.case')} required>
          <Select
            showSearch
            filterOption={false}
            onSearch={setQ}
            value={caseId}
            onChange={(v) => { setCaseId(v); setHelper(undefined); }}
            loading={cases.isFetching}
            placeholder={t('support.peer.casePlaceholder')}
            options={open.map((c) => ({ value: c.id, label: `${c.studentName}（${c.className ?? ''}${c.peers.length ? ` · ${t('support.case.peers')} ${c.peers.map((p) => p.name).join('、')}` : ''}）` }))}
            data-testid="support-peer-case"
          />
        </Form.Item>
        <Form.Item label={t('support.peer.helper')} required help={chosen?.classId ? t('support.peer.classmates') : undefined}>
          <StudentSelect value={helper} onChange={setHelper} schoolId={schoolId} classId={chosen?.classId ?? undefined} placeholder={t('support.peer.helperPlaceholder')} disabled={!chosen} testId="support-peer-helper" />
        </Form.Item>
        <Form.Item name="plan" label={t('support.peer.plan')}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} />
        </Form.Item>
        <Button type="primary" htmlType="submit" disabled={!chosen || !helper} loading={pair.isPending} data-testid="support-peer-submit">{t('support.peer.submit')}</Button>
      </Form>
    </Card>
  );
}
