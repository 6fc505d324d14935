// The awards an exam's analysis computed (per class and per subject teacher): reviewed by
// the bureau (approve, or reject with a note), exported to Excel.
import { useState } from 'react';
import { Alert, Button, Card, Col, Flex, Form, Input, Modal, Row, Select, Statistic, Table, Tag, Typography, message } from 'antd';
import { CheckOutlined, CloseOutlined, DownloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router-dom';
import { awardReviewBody } from '@modules/exams/exam-analysis.schemas';
import { api } from '../../api/client';
import { useCurrentUser } from '../../api/session';
import type { ExamAward, ExamAwards } from '../../api/types';
import { zodRule, validValues } from '../../components/formRules';
import { PageHeader } from '../../components/PageHeader';
import { ErrorResult } from '../../components/QueryState';
import { useIsMobile } from '../../components/useIsMobile';
import { useI18n } from '../../i18n/I18nProvider';
import { CardField, ResponsiveTable, isBureau, useExam } from './shared';

type Status = ExamAward['status'];
const STATUS_COLOR: Record<Status, string> = { computed: 'gold', approved: 'green', rejected: 'default' };
const keyOf = (a: ExamAward) => `${a.level}/${a.unitKey}/${a.subject}/${a.rule}`;
const yuan = (n: number) => `¥${n.toLocaleString('zh-CN', { maximumFractionDigits: 2 })}`;

export default function ExamAwardsPage() {
  const { id } = useParams();
  const { t } = useI18n();
  const me = useCurrentUser();
  const isMobile = useIsMobile();
  const client = useQueryClient();
  const exam = useExam(id);
  const bureau = isBureau(me);
  const [level, setLevel] = useState<'class' | 'teacher' | undefined>();
  const [status, setStatus] = useState<Status | undefined>();
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<string[]>([]);
  const [rejecting, setRejecting] = useState<ExamAward[] | null>(null);
  const [busy, setBusy] = useState(false);
  const pageSize = 50;
  const q = useQuery({
    queryKey: ['exams', id, 'awards', level, status, page],
    queryFn: () => api.get<ExamAwards>(`/api/exams/${id}/awards`, { level, status, page, pageSize }),
    placeholderData: keepPreviousData,
  });
  const items = q.data?.items ?? [];

  const review = async (awards: ExamAward[], to: Status, note?: string) => {
    setBusy(true);
    try {
      const r = await api.patch<{ updated: number }>(`/api/exams/${id}/awards/review`, {
        awards: awards.map((a) => ({ level: a.level, unitKey: a.unitKey, subject: a.subject, rule: a.rule })),
        status: to,
        ...(note ? { note } : {}),
      });
      void message.success(t('exams.awards.reviewed', { n: r.updated }));
      setSelected([]);
      await client.invalidateQueries({ queryKey: ['exams', id, 'awards'] });
    } catch (e) {
      void message.error((e as Error).message);
      throw e;
    } finally {
      setBusy(false);
    }
  };
  const selectedItems = items.filter((a) => selected.includes(keyOf(a)));

  const actions = (a: ExamAward) => bureau && (
    <Flex gap={4}>
      {a.status !== 'approved' && <Button size="small" icon={<CheckOutlined />} disabled={busy} onClick={() => void review([a], 'approved').catch(() => undefined)} data-testid="award-approve">{t('exams.awards.approve')}</Button>}
      {a.status !== 'rejected' && <Button size="small" danger icon={<CloseOutlined />} disabled={busy} onClick={() => setRejecting([a])} data-testid="award-reject">{t('exams.awards.reject')}</Button>}
    </Flex>
  );
  const statusTag = (a: ExamAward) => (
    <Flex vertical gap={2}>
      <span><Tag color={STATUS_COLOR[a.status]} style={{ marginInlineEnd: 0 }} data-testid="award-status">{t(`exams.awards.status.${a.status}`)}</Tag></span>
      {a.reviewedBy && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{a.reviewedBy.name}{a.reviewNote ? `：${a.reviewNote}` : ''}</Typography.Text>}
    </Flex>
  );

  return (
    <>
      <PageHeader
        back
        title={t('exams.awards.title')}
        subTitle={exam.data?.name}
        extra={<Button icon={<DownloadOutlined />} href={`/api/exams/${id}/awards/export.xlsx`} download data-testid="awards-export">{t('exams.export.awards')}</Button>}
      />
      {q.data && (
        <Row gutter={[8, 8]} style={{ marginBottom: 12 }}>
          {(['computed', 'approved', 'rejected'] as const).map((s) => (
            <Col xs={8} key={s}>
              <Card size="small" styles={{ body: { padding: 10 } }}>
                <Statistic title={t(`exams.awards.status.${s}`)} value={yuan(q.data.amounts[s])} valueStyle={{ fontSize: isMobile ? 15 : 20 }} />
              </Card>
            </Col>
          ))}
        </Row>
      )}
      <Flex wrap gap={8} style={{ marginBottom: 12 }}>
        <Select allowClear placeholder={t('exams.awards.level')} style={{ width: 120 }} value={level} onChange={(v) => { setLevel(v); setPage(1); }}
          options={[{ value: 'class', label: t('exams.class') }, { value: 'teacher', label: t('exams.teacher') }]} />
        <Select allowClear placeholder={t('exams.awards.statusLabel')} style={{ width: 120 }} value={status} onChange={(v) => { setStatus(v); setPage(1); }}
          options={(['computed', 'approved', 'rejected'] as const).map((s) => ({ value: s, label: t(`exams.awards.status.${s}`) }))} />
        {bureau && !isMobile && selectedItems.length > 0 && (
          <>
            <Button type="primary" icon={<CheckOutlined />} loading={busy} onClick={() => void review(selectedItems, 'approved').catch(() => undefined)}>
              {t('exams.awards.approveN', { n: selectedItems.length })}
            </Button>
            <Button danger icon={<CloseOutlined />} disabled={busy} onClick={() => setRejecting(selectedItems)}>{t('exams.awards.rejectN', { n: selectedItems.length })}</Button>
          </>
        )}
      </Flex>
      {!bureau && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('exams.awards.readOnly')} />}
      {q.error ? <ErrorResult error={q.error} retry={() => q.refetch()} /> : isMobile ? (
        <ResponsiveTable<ExamAward>
          items={items}
          loading={q.isFetching}
          rowKey={keyOf}
          rowTestId="award-row"
          columns={[]}
          renderCard={(a) => (
            <Flex vertical gap={6}>
              <Flex justify="space-between" align="center" gap={8}>
                <span style={{ fontWeight: 500 }}>{a.unitName}</span>
                <b>{yuan(a.amount)}</b>
              </Flex>
              <Flex wrap gap={4}><Tag>{a.rule}</Tag><Tag bordered={false}>{a.subject}</Tag>{a.schoolName && <Tag bordered={false}>{a.schoolName}</Tag>}</Flex>
              <CardField label={t('exams.awards.reason')}>{a.reason}</CardField>
              <Flex justify="space-between" align="center">{statusTag(a)}{actions(a)}</Flex>
            </Flex>
          )}
        />
      ) : (
        <Table<ExamAward>
          size="small"
          rowKey={keyOf}
          loading={q.isFetching}
          dataSource={items}
          scroll={{ x: 'max-content' }}
          rowSelection={bureau ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)) } : undefined}
          onRow={() => ({ 'data-testid': 'award-row' }) as React.HTMLAttributes<HTMLElement>}
          pagination={{ current: page, pageSize, total: q.data?.total, onChange: (p) => { setPage(p); setSelected([]); }, showSizeChanger: false, showTotal: (n) => t('list.total', { n }) }}
          columns={[
            { title: t('exams.awards.unit'), dataIndex: 'unitName', render: (v: string, a) => <>{v} <Tag bordered={false}>{a.level === 'class' ? t('exams.class') : t('exams.teacher')}</Tag></> },
            { title: t('common.school'), dataIndex: 'schoolName', render: (v: string | null) => v ?? '—' },
            { title: t('exams.subject'), dataIndex: 'subject' },
            { title: t('exams.awards.rule'), dataIndex: 'rule' },
            { title: t('exams.awards.amount'), dataIndex: 'amount', align: 'right', render: (n: number) => yuan(n) },
            { title: t('exams.awards.reason'), dataIndex: 'reason', width: 280 },
            { title: t('exams.awards.statusLabel'), dataIndex: 'status', render: (_: unknown, a) => statusTag(a) },
            ...(bureau ? [{ title: t('common.actions'), key: 'actions', render: (_: unknown, a: ExamAward) => actions(a) }] : []),
          ]}
        />
      )}
      {isMobile && (q.data?.total ?? 0) > pageSize && (
        <Flex justify="center" gap={8} style={{ marginTop: 8 }}>
          <Button disabled={page <= 1} onClick={() => setPage(page - 1)}>‹</Button>
          <span style={{ lineHeight: '32px' }}>{page} / {Math.ceil((q.data?.total ?? 0) / pageSize)}</span>
          <Button disabled={page * pageSize >= (q.data?.total ?? 0)} onClick={() => setPage(page + 1)}>›</Button>
        </Flex>
      )}
      <RejectModal
        awards={rejecting}
        onCancel={() => setRejecting(null)}
        onReject={async (note) => {
          await review(rejecting!, 'rejected', note);
          setRejecting(null);
        }}
      />
    </>
  );
}

function RejectModal({ awards, onCancel, onReject }: { awards: ExamAward[] | null; onCancel: () => void; onReject: (note: string) => Promise<void> }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ note: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const values = await validValues(form);
    if (!values) return;
    const { note } = values;
    setBusy(true);
    try {
      await onReject(note.trim());
    } catch {
      // shown by review(); the dialog stays
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={!!awards}
      title={t('exams.awards.rejectTitle', { n: awards?.length ?? 0 })}
      okText={t('exams.awards.reject')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={submit}
      onCancel={onCancel}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="note"
          label={t('exams.awards.rejectNote')}
          rules={[{ required: true, whitespace: true, message: t('exams.awards.rejectNoteRequired') }, { min: 2, message: t('exams.awards.rejectNoteRequired') }, zodRule(awardReviewBody.shape.note.unwrap())]}
        >
          <Input.TextArea rows={3} maxLength={200} showCount autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
