// The status flow on the case page, for those who manage cases (教导处, principal, bureau):
// identified → confirmed → active → reviewed (each semester, with the findings) → … → closed
// (已转化 / 毕业 / 转学 / 其他, with a note). POST /api/support/cases/:id/transition; the server
// checks the rules (a teacher before 开始帮扶, one review a semester, closing ends the pairings).
import { useState } from 'react';
import { Button, DatePicker, Flex, Form, Input, Modal, Radio, message } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { CASE_TRANSITIONS, CLOSE_REASONS, type CaseStatus } from '@modules/support/support.schemas';
import { api } from '../../api/client';
import type { SupportCaseDetail } from '../../api/types';
import { useI18n } from '../../i18n/I18nProvider';
import { useLabel } from '../../i18n/useLabel';
import { todayChina } from './shared';
import { validValues } from '../../components/formRules';

type Target = Exclude<CaseStatus, 'identified'>;
/** the reasons a person may choose ('continued' is the yearly refresh's own) */
const PERSON_CLOSE_REASONS = CLOSE_REASONS.filter((r) => r !== 'continued');

interface Values { note?: string; closeReason?: (typeof PERSON_CLOSE_REASONS)[number]; date?: Dayjs }

export function CaseStatusActions({ detail }: { detail: SupportCaseDetail }) {
  const { t } = useI18n();
  const label = useLabel();
  const qc = useQueryClient();
  const [target, setTarget] = useState<Target | null>(null);
  const [form] = Form.useForm<Values>();
  const move = useMutation({
    mutationFn: (v: Values & { to: Target }) => api.post<SupportCaseDetail>(`/api/support/cases/${detail.id}/transition`, {
      to: v.to,
      ...(v.note?.trim() ? { note: v.note.trim() } : {}),
      ...(v.to === 'closed' ? { closeReason: v.closeReason, date: v.date?.format('YYYY-MM-DD') } : {}),
    }),
    onSuccess: (d) => {
      qc.setQueryData(['support', 'case', String(detail.id)], d);
      void qc.invalidateQueries({ queryKey: ['support'] });
      void message.success(<span data-testid="support-status-done">{label('caseStatus', d.status, d.statusLabel)}</span>);
      setTarget(null);
      form.resetFields();
    },
    onError: (e) => void message.error((e as Error).message),
  });
  const closeReason = Form.useWatch('closeReason', form);
  if (!detail.canManage) return null;
  const next = CASE_TRANSITIONS[detail.status] as readonly Target[];
  if (next.length === 0) return null;
  const noteRequired = target === 'reviewed' || (target === 'closed' && closeReason === 'other');

  return (
    <>
      <Flex wrap gap={8} data-testid="support-status-actions">
        {next.map((to) => (
          <Button key={to} danger={to === 'closed'} type={to === 'closed' ? 'default' : 'primary'} ghost={to !== 'closed'} onClick={() => setTarget(to)} data-testid={`support-status-${to}`}>
            {t(`support.transition.${to}`)}
          </Button>
        ))}
      </Flex>
      <Modal
        open={target !== null}
        title={target ? t(`support.transition.${target}`) : ''}
        onCancel={() => setTarget(null)}
        okText={t('support.transition.ok')}
        okButtonProps={{ loading: move.isPending, danger: target === 'closed', 'data-testid': 'support-status-ok' } as never}
        onOk={async () => {
          const v = await validValues(form);
          if (!v) return;
          move.mutate({ ...v, to: target! });
        }}
        destroyOnHidden
      >
        <Form<Values> form={form} layout="vertical" preserve={false} initialValues={{ date: dayjs(todayChina()) }}>
          {target === 'closed' && (
            <>
              <Form.Item name="closeReason" label={t('support.transition.closeReason')} rules={[{ required: true, message: t('support.transition.closeReasonRequired') }]}>
                <Radio.Group data-testid="support-status-reason">
                  <Flex vertical gap={6}>
                    {PERSON_CLOSE_REASONS.map((r) => <Radio key={r} value={r}>{label('closeReason', r)}</Radio>)}
                  </Flex>
                </Radio.Group>
              </Form.Item>
              <Form.Item name="date" label={t('support.transition.closedOn')} help={t('support.transition.closeHelp')}>
                <DatePicker inputReadOnly allowClear={false} disabledDate={(d) => d.isAfter(dayjs(todayChina()), 'day')} style={{ width: '100%' }} />
              </Form.Item>
            </>
          )}
          {target === 'active' && detail.teachers.length === 0 && <p>{t('support.transition.needsTeacher')}</p>}
          <Form.Item
            name="note"
            label={target === 'reviewed' ? t('support.transition.reviewNote') : t('support.transition.note')}
            rules={noteRequired ? [{ required: true, whitespace: true, min: 2, message: t('support.transition.noteRequired') }] : []}
          >
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={1000} data-testid="support-status-note" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
