// 资助与受助情况 on the case page: the student's aid grants of the case's school year (item, term,
// amount as ¥1,250.00, date, source and method), the total of those not revoked, and for 校长 / 教导处 /
// the bureau a form to record, edit and revoke (with a reason). Roles that may not see family-economy
// data get a notice instead of the rows (the API masks them). GET/POST/PATCH /api/support/aid….
import { useState } from 'react';
import { Alert, Button, Card, DatePicker, Empty, Flex, Form, Input, Modal, Radio, Select, Table, Tag, Typography, message } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import {
  AID_METHODS, AID_SOURCES,
  type AidGrantView, type AidItemView, type AidListView, type AidMethod, type AidSource,
} from '@modules/support/aid/aid.schemas';
import { fenToYuanText, formatFen, parseYuan } from '@modules/support/aid/money';
import { api } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { useLabel } from '../../i18n/useLabel';
import { todayChina } from './shared';
import { validValues } from '../../components/formRules';

interface Values { itemKey: string; amount: string; grantedOn: Dayjs; term: 0 | 1 | 2; source: AidSource; method: AidMethod; note?: string; reason?: string }

export function AidCard({ studentId, schoolYear }: { studentId: number; schoolYear: string }) {
  const { t } = useI18n();
  const label = useLabel();
  const qc = useQueryClient();
  const key = ['support', 'aid', studentId, schoolYear];
  const q = useQuery({ queryKey: key, queryFn: () => api.get<AidListView>('/api/support/aid', { studentId, schoolYear, pageSize: 200 }) });
  const items = useQuery({ queryKey: ['support', 'aid-items'], queryFn: () => api.get<AidItemView[]>('/api/support/aid/items'), staleTime: 300_000, enabled: !!q.data?.canEdit });
  const [editing, setEditing] = useState<AidGrantView | 'new' | null>(null);
  const [revoking, setRevoking] = useState<AidGrantView | null>(null);
  const [form] = Form.useForm<Values>();
  const [revokeForm] = Form.useForm<{ reason: string }>();
  const done = () => {
    void qc.invalidateQueries({ queryKey: key });
    void message.success(t('support.aid.saved'));
  };
  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = {
        itemKey: v.itemKey, amount: v.amount, grantedOn: v.grantedOn.format('YYYY-MM-DD'), term: v.term === 0 ? null : v.term,
        source: v.source, method: v.method, note: v.note?.trim() || null,
      };
      return editing === 'new' || editing == null
        ? api.post<AidGrantView>('/api/support/aid', { ...body, studentId, schoolYear })
        : api.patch<AidGrantView>(`/api/support/aid/${editing.id}`, { ...body, schoolYear, ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}) });
    },
    onSuccess: () => { done(); setEditing(null); },
    onError: (e) => void message.error((e as Error).message),
  });
  const revoke = useMutation({
    mutationFn: (v: { reason: string }) => api.post<AidGrantView>(`/api/support/aid/${(revoking as AidGrantView).id}/revoke`, v),
    onSuccess: () => { done(); setRevoking(null); },
    onError: (e) => void message.error((e as Error).message),
  });

  const d = q.data;
  const open = (g: AidGrantView | 'new') => {
    setEditing(g);
    form.setFieldsValue(g === 'new'
      ? { amount: '', grantedOn: dayjs(todayChina()), term: 0, method: 'card', note: '', itemKey: undefined as never, source: undefined as never }
      : { itemKey: g.itemKey, amount: fenToYuanText(g.amountFen), grantedOn: dayjs(g.grantedOn), term: (g.term ?? 0) as 0 | 1 | 2, source: g.source, method: g.method, note: g.note ?? '' });
  };
  const termLabel = (n: number | null) => (n === 1 ? t('support.aid.term1') : n === 2 ? t('support.aid.term2') : '');

  return (
    <Card
      size="small"
      title={t('support.aid.title')}
      style={{ marginTop: 12 }}
      data-testid="support-aid"
      loading={q.isLoading}
      extra={d?.canEdit ? <Button size="small" icon={<PlusOutlined />} onClick={() => open('new')} data-testid="support-aid-add">{t('support.aid.add')}</Button> : undefined}
    >
      {q.error ? <Typography.Text type="danger">{(q.error as Error).message}</Typography.Text> : d?.masked ? (
        <Alert type="info" showIcon message={t('support.aid.masked')} data-testid="support-aid-masked" />
      ) : !d || d.items.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('support.aid.empty')} /> : (
        <Table<AidGrantView>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={d.items}
          columns={[
            {
              title: t('support.aid.item'), key: 'item',
              render: (_, g) => (
                <Flex vertical>
                  <span>{g.itemLabel}{g.term ? <Typography.Text type="secondary">（{termLabel(g.term)}）</Typography.Text> : null}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {g.grantedOn} · {label('aidSource', g.source, g.sourceLabel)}·{label('aidMethod', g.method, g.methodLabel)}{g.note ? ` · ${g.note}` : ''}
                  </Typography.Text>
                  {g.status === 'revoked' && <span><Tag color="red">{label('aidStatus', g.status, g.statusLabel)}</Tag><Typography.Text type="secondary" style={{ fontSize: 12 }}>{g.revokedReason}</Typography.Text></span>}
                </Flex>
              ),
            },
            {
              title: t('support.aid.summaryTotal'), key: 'amount', align: 'right',
              render: (_, g) => <Typography.Text delete={g.status === 'revoked'} style={{ whiteSpace: 'nowrap' }} data-testid="support-aid-amount">{formatFen(g.amountFen)}</Typography.Text>,
            },
            ...(d.canEdit ? [{
              title: '', key: 'actions', width: 64,
              render: (_: unknown, g: AidGrantView) => g.status === 'granted' && (
                <Flex vertical gap={0}>
                  <Button size="small" type="link" onClick={() => open(g)}>{t('support.aid.edit')}</Button>
                  <Button size="small" type="link" danger onClick={() => { setRevoking(g); revokeForm.resetFields(); }} data-testid="support-aid-revoke">{t('support.aid.revoke')}</Button>
                </Flex>
              ),
            }] : []),
          ]}
          summary={() => (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}><Typography.Text strong>{t('support.aid.total')}</Typography.Text></Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right"><Typography.Text strong style={{ whiteSpace: 'nowrap' }} data-testid="support-aid-total">{formatFen(d.totalFen)}</Typography.Text></Table.Summary.Cell>
            </Table.Summary.Row>
          )}
        />
      )}
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('support.aid.addTitle') : t('support.aid.editTitle')}
        onCancel={() => setEditing(null)}
        okButtonProps={{ loading: save.isPending, 'data-testid': 'support-aid-ok' } as never}
        onOk={async () => { const v = await validValues(form); if (v) save.mutate(v); }}
        forceRender
      >
        <Form<Values> form={form} layout="vertical">
          <Form.Item name="itemKey" label={t('support.aid.item')} rules={[{ required: true, message: t('support.aid.itemRequired') }]}>
            <Select
              data-testid="support-aid-item"
              options={(items.data ?? []).map((i) => ({ value: i.key, label: i.label }))}
              onChange={(k: string) => {
                const item = items.data?.find((i) => i.key === k);
                if (item) form.setFieldsValue({ source: item.defaultSource, ...(item.period === 'once' ? { term: 0 as const } : {}) });
              }}
            />
          </Form.Item>
          <Flex gap={12} wrap>
            <Form.Item name="amount" label={t('support.aid.amount')} style={{ flex: 1, minWidth: 140 }}
              rules={[{ validator: async (_, v: string) => { if (!parseYuan(v ?? '').ok) throw new Error(t('support.aid.amountInvalid')); } }]}>
              <Input inputMode="decimal" prefix="¥" placeholder="1250.00" data-testid="support-aid-amount-input" />
            </Form.Item>
            <Form.Item name="grantedOn" label={t('support.aid.grantedOn')} rules={[{ required: true }]} style={{ flex: 1, minWidth: 140 }}>
              <DatePicker inputReadOnly allowClear={false} disabledDate={(x) => x.isAfter(dayjs(todayChina()), 'day')} style={{ width: '100%' }} />
            </Form.Item>
          </Flex>
          <Form.Item name="term" label={t('support.aid.term')}>
            <Radio.Group options={[{ value: 0, label: t('support.aid.termWhole') }, { value: 1, label: t('support.aid.term1') }, { value: 2, label: t('support.aid.term2') }]} />
          </Form.Item>
          <Flex gap={12} wrap>
            <Form.Item name="source" label={t('support.aid.source')} style={{ flex: 1, minWidth: 140 }} rules={[{ required: true }]}>
              <Select options={AID_SOURCES.map((s) => ({ value: s, label: label('aidSource', s) }))} />
            </Form.Item>
            <Form.Item name="method" label={t('support.aid.method')} style={{ flex: 1, minWidth: 140 }} rules={[{ required: true }]}>
              <Select options={AID_METHODS.map((m) => ({ value: m, label: label('aidMethod', m) }))} />
            </Form.Item>
          </Flex>
          <Form.Item name="note" label={t('support.aid.note')}>
            <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={500} />
          </Form.Item>
          {editing !== 'new' && editing !== null && (
            <Form.Item name="reason" label={t('support.aid.editReason')}>
              <Input maxLength={200} />
            </Form.Item>
          )}
        </Form>
      </Modal>
      <Modal
        open={revoking !== null}
        title={t('support.aid.revokeTitle')}
        onCancel={() => setRevoking(null)}
        okButtonProps={{ danger: true, loading: revoke.isPending, 'data-testid': 'support-aid-revoke-ok' } as never}
        onOk={async () => { const v = await validValues(revokeForm); if (v) revoke.mutate(v); }}
        forceRender
      >
        {revoking && <Typography.Paragraph>{revoking.itemLabel} {formatFen(revoking.amountFen)} · {revoking.grantedOn}</Typography.Paragraph>}
        <Form form={revokeForm} layout="vertical">
          <Form.Item name="reason" label={t('support.aid.revokeReason')} rules={[{ required: true, whitespace: true, min: 2, message: t('support.aid.revokeReasonRequired') }]}>
            <Input maxLength={200} data-testid="support-aid-revoke-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
