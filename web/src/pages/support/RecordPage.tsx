// 记录: the form a teacher fills in on a phone in under 30 seconds. The student comes pre-selected
// from the caseload, the date is today (China time), and the activity types and their fields come
// from the programme definition (GET /api/programmes/teacher_student), so a change the bureau makes
// there shows up here: short choices (课内/课外 …) are big segmented controls, the rest inputs.
import { useMemo, useState } from 'react';
import { Button, Card, Checkbox, DatePicker, Flex, Form, Input, InputNumber, Segmented, Select, Switch, Typography, message } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearchParams } from 'react-router-dom';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../api/client';
import type { ActivityTypeDef, ActivityView, FieldDef } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { ErrorResult, PageSpinner } from '../../components/QueryState';
import { useIsMobile } from '../../components/useIsMobile';
import { useI18n } from '../../i18n/I18nProvider';
import { useLabel } from '../../i18n/useLabel';
import { studentOf, todayChina, useMyPairings, useProgramme } from './shared';

/** The usual order on the paper form: 辅导, 谈心, 家访, 电访, 学法指导, then the rest. */
const ORDER = ['tutoring', 'talk', 'home_visit', 'phone_visit', 'study_guidance'];
const SEGMENTED_MAX = 5;
const big = { minHeight: 48, fontSize: 16 };

/**
 * A segmented control that shows nothing chosen until the teacher picks (antd's Segmented
 * highlights the first option when its value is empty, which would look chosen but not be sent).
 */
function SegmentedField({ value, onChange, options, testId }: { value?: string; onChange?: (v: string) => void; options: string[]; testId: string }) {
  return <Segmented block size="large" options={options} value={value ?? ''} onChange={(v) => onChange?.(String(v))} data-testid={testId} />;
}

function fieldInput(f: FieldDef) {
  const testId = `support-field-${f.key}`;
  switch (f.type) {
    case 'select':
      return (f.options?.length ?? 0) <= SEGMENTED_MAX
        ? <SegmentedField options={f.options ?? []} testId={testId} />
        : <Select size="large" options={(f.options ?? []).map((o) => ({ value: o, label: o }))} data-testid={testId} allowClear />;
    case 'multiselect':
      return <Checkbox.Group options={f.options ?? []} data-testid={testId} />;
    case 'textarea':
      return <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={f.maxLength ?? 2000} data-testid={testId} style={{ fontSize: 16 }} />;
    case 'number':
    case 'integer':
      return <InputNumber size="large" min={f.min} max={f.max} precision={f.type === 'integer' ? 0 : undefined} style={{ width: '100%' }} data-testid={testId} />;
    case 'date':
      return <DatePicker size="large" style={{ width: '100%' }} inputReadOnly data-testid={testId} />;
    case 'boolean':
      return <Switch data-testid={testId} />;
    default:
      return <Input size="large" maxLength={f.maxLength ?? 200} data-testid={testId} style={{ fontSize: 16 }} />;
  }
}

interface Values {
  pairingId: number;
  date: Dayjs;
  content?: string;
  confidential?: boolean;
  fields?: Record<string, unknown>;
}

export default function RecordPage() {
  const { t } = useI18n();
  const label = useLabel();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [params] = useSearchParams();
  const programme = useProgramme();
  const pairings = useMyPairings();
  const [form] = Form.useForm<Values>();
  const isMobile = useIsMobile();
  const [type, setType] = useState<string | null>(params.get('type'));

  const types = useMemo(() => {
    const all = (programme.data?.activityTypes ?? []).filter((a) => !a.roles || a.roles.includes('helper'));
    const rank = (a: ActivityTypeDef) => (ORDER.includes(a.key) ? ORDER.indexOf(a.key) : ORDER.length);
    return [...all].sort((a, b) => rank(a) - rank(b));
  }, [programme.data]);
  const current = types.find((a) => a.key === (type ?? types[0]?.key));

  const save = useMutation({
    mutationFn: (v: Values) => {
      // only this type's fields (a value typed under another type before switching stays behind)
      const keys = new Set(current!.fields.map((f) => f.key));
      const fields = Object.fromEntries(Object.entries(v.fields ?? {}).filter(([k, x]) => keys.has(k) && x !== undefined && x !== null && x !== ''));
      for (const f of current?.fields ?? []) if (f.type === 'date' && fields[f.key]) fields[f.key] = (fields[f.key] as Dayjs).format('YYYY-MM-DD');
      return api.post<ActivityView>('/api/activities', {
        pairingId: v.pairingId,
        type: current!.key,
        date: v.date.format('YYYY-MM-DD'),
        content: v.content ?? '',
        fields,
        confidential: current!.confidential === 'always' ? true : current!.confidential === 'never' ? false : Boolean(v.confidential),
      });
    },
    onSuccess: async (r) => {
      void message.success({ content: <span data-testid="support-saved" data-activity={r.id}>{t('support.record.saved', { type: label('activityType', r.type, r.typeLabel) })}</span> });
      await qc.invalidateQueries({ queryKey: ['support'] });
      navigate('/support/mine');
    },
    onError: (e) => void message.error((e as Error).message),
  });

  if (programme.isLoading || pairings.isLoading) return <PageSpinner />;
  if (programme.error || !programme.data) return <ErrorResult error={programme.error} retry={() => programme.refetch()} />;
  if (pairings.error || !pairings.data) return <ErrorResult error={pairings.error} retry={() => pairings.refetch()} />;
  const active = pairings.data.filter((p) => p.status === 'active');
  const preset = Number(params.get('pairing')) || active[0]?.id;

  return (
    <div style={{ maxWidth: 560 }}>
      <PageHeader back title={t('support.record.title')} />
      <Card size="small" styles={{ body: { padding: isMobile ? 12 : 16 } }}>
      <Form<Values>
        form={form}
        layout="vertical"
        size="large"
        requiredMark={false}
        initialValues={{ pairingId: preset, date: dayjs(todayChina()) }}
        onFinish={(v) => save.mutate(v)}
        data-testid="support-record-form"
      >
        <Form.Item name="pairingId" label={t('support.record.student')} rules={[{ required: true, message: t('support.record.pickStudent') }]}>
          <Select
            data-testid="support-record-student"
            options={active.map((p) => ({ value: p.id, label: studentOf(p)?.name ?? `#${p.id}` }))}
            showSearch
            optionFilterProp="label"
          />
        </Form.Item>
        <Form.Item label={t('support.record.type')} required>
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 1fr)', gap: 8 }} role="radiogroup">
            {types.map((a) => (
              <Button
                key={a.key}
                type={current?.key === a.key ? 'primary' : 'default'}
                role="radio"
                aria-checked={current?.key === a.key}
                style={{ ...big, whiteSpace: 'normal', lineHeight: 1.2, height: 'auto', padding: '6px 4px' }}
                data-testid={`support-type-${a.key}`}
                onClick={() => setType(a.key)}
              >
                {label('activityType', a.key, a.label)}
              </Button>
            ))}
          </div>
        </Form.Item>
        <Form.Item name="date" label={t('support.record.date')} rules={[{ required: true }]}>
          <DatePicker style={{ width: '100%' }} inputReadOnly allowClear={false} disabledDate={(d) => d.isAfter(dayjs(todayChina()), 'day')} data-testid="support-record-date" />
        </Form.Item>
        {current?.fields.filter((f) => f.key !== 'result').map((f) => (
          <Form.Item key={`${current.key}.${f.key}`} name={['fields', f.key]} label={f.label} help={f.help} valuePropName={f.type === 'boolean' ? 'checked' : 'value'} rules={f.required ? [{ required: true, message: t('support.record.required', { field: f.label }) }] : []}>
            {fieldInput(f)}
          </Form.Item>
        ))}
        <Form.Item name="content" label={t('support.record.content')} rules={[{ required: true, whitespace: true, message: t('support.record.contentRequired') }]}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={10_000} style={{ fontSize: 16 }} data-testid="support-record-content" />
        </Form.Item>
        {current?.fields.filter((f) => f.key === 'result').map((f) => (
          <Form.Item key={`${current.key}.${f.key}`} name={['fields', f.key]} label={f.label} rules={f.required ? [{ required: true }] : []}>
            {fieldInput(f)}
          </Form.Item>
        ))}
        {current?.confidential === 'optional' && (
          <Form.Item name="confidential" valuePropName="checked" label={t('support.record.confidential')}>
            <Switch />
          </Form.Item>
        )}
        {current?.confidential === 'always' && <Typography.Paragraph type="secondary">{t('support.record.alwaysConfidential')}</Typography.Paragraph>}
        <Flex gap={8}>
          <Button type="primary" htmlType="submit" block loading={save.isPending} style={{ minHeight: 52, fontSize: 18 }} data-testid="support-record-submit">
            {t('support.record.submit')}
          </Button>
        </Flex>
      </Form>
      </Card>
    </div>
  );
}
