// Creating an exam: name, school year and term, kind, scope (county / one school / the schools of a pairing), grade,
// subjects with full marks and whether each counts toward 总分, date. Checked in the browser
// with the API's own zod schema (examCreate), so both reject the same input the same way.
import { useState } from 'react';
import { Alert, Button, Col, DatePicker, Flex, Form, Input, InputNumber, Modal, Row, Select, Switch, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { EXAM_KINDS, examCreate, type ExamCreate } from '@modules/exams/exams.schemas';
import { termOf } from '@shared/school-year';
import { api } from '../../api/client';
import { useCurrentUser } from '../../api/session';
import type { Exam, PairingView, Paged } from '../../api/types';
import { zodRule, validValues } from '../../components/formRules';
import { SchoolSelect } from '../../components/RemoteSelect';
import { useIsMobile } from '../../components/useIsMobile';
import { useI18n } from '../../i18n/I18nProvider';
import { useLabel } from '../../i18n/useLabel';
import { isBureau, useGradeName, useTermLabel } from './shared';

/** Programmes whose pairings join schools (a 联考 of their schools makes sense). */
const SCHOOL_PAIRING_PROGRAMMES = ['school_pairing', 'learning_community'];

interface FormValues {
  name: string;
  schoolYear: string;
  term: 1 | 2;
  kind: (typeof EXAM_KINDS)[number];
  scope: 'county' | 'school' | 'pairing';
  schoolId?: number;
  pairingId?: number;
  grade: number;
  examDate?: Dayjs | null;
  subjects: { name: string; fullMarks: number; countsToTotal: boolean }[];
}

/** The usual subjects of a county exam (junior school: 语数英 out of 120). */
function usualSubjects(grade: number): FormValues['subjects'] {
  const s = (name: string, fullMarks: number) => ({ name, fullMarks, countsToTotal: true });
  if (grade <= 6) return [s('语文', 100), s('数学', 100), ...(grade >= 3 ? [s('英语', 100), s('科学', 100)] : [])];
  return [
    s('语文', 120), s('数学', 120), s('英语', 120), s('道德与法治', 100), s('历史', 100), s('地理', 100), s('生物', 100),
    ...(grade >= 8 ? [s('物理', 100)] : []), ...(grade >= 9 ? [s('化学', 100)] : []),
  ];
}


export function ExamCreateModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (exam: Exam) => void }) {
  const { t } = useI18n();
  const me = useCurrentUser();
  const isMobile = useIsMobile();
  const termLabel = useTermLabel();
  const gradeName = useGradeName();
  const label = useLabel();
  const bureau = isBureau(me);
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const scope = Form.useWatch('scope', form);

  const now = termOf(new Date());
  const years = (() => {
    const cur = Number(now.schoolYear.slice(0, 4));
    return [cur + 1, cur, cur - 1, cur - 2].map((y) => `${y}-${y + 1}`);
  })();

  const submit = async () => {
    const v = await validValues(form);
    if (!v) return;
    const body: ExamCreate = {
      name: v.name.trim(),
      schoolYear: v.schoolYear,
      term: v.term,
      kind: v.kind,
      scope: v.scope,
      schoolId: v.scope === 'school' ? (bureau ? v.schoolId ?? null : me.school?.id ?? null) : null,
      pairingId: v.scope === 'pairing' ? v.pairingId ?? null : null,
      grade: v.grade,
      examDate: v.examDate ? v.examDate.format('YYYY-MM-DD') : null,
      subjects: (v.subjects ?? []).filter((s) => s?.name?.trim()).map((s) => ({ name: s.name.trim(), fullMarks: s.fullMarks, countsToTotal: s.countsToTotal !== false })),
    };
    const parsed = examCreate.safeParse(body);
    if (!parsed.success) {
      setError(parsed.error.issues.map((i) => i.message).join('；'));
      return;
    }
    const names = body.subjects!.map((s) => s.name);
    if (new Set(names).size !== names.length) {
      setError(t('exams.create.duplicateSubject'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const exam = await api.post<Exam>('/api/exams', body);
      form.resetFields();
      onCreated(exam);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('exams.create.title')}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={submit}
      onCancel={() => { setError(null); onClose(); }}
      width={isMobile ? '100%' : 720}
      style={isMobile ? { top: 8, maxWidth: 'calc(100vw - 16px)' } : undefined}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'exam-create-submit' }}
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ schoolYear: now.schoolYear, term: now.term, kind: '期中', scope: bureau ? 'county' : 'school', grade: 7, subjects: usualSubjects(7) }}
        requiredMark="optional"
      >
        <Form.Item name="name" label={t('exams.name')} rules={[{ required: true, message: t('exams.create.nameRequired') }, zodRule(examCreate.shape.name)]}>
          <Input maxLength={100} placeholder={t('exams.create.namePlaceholder')} data-testid="exam-create-name" />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={12} sm={8}>
            <Form.Item name="schoolYear" label={t('exams.schoolYear')} rules={[{ required: true }]}>
              <Select options={years.map((y) => ({ value: y, label: y }))} data-testid="exam-create-year" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="term" label={t('exams.term')} rules={[{ required: true }]}>
              <Select options={[1, 2].map((v) => ({ value: v, label: termLabel(v) }))} data-testid="exam-create-term" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="kind" label={t('exams.kind')} rules={[{ required: true }]}>
              <Select options={EXAM_KINDS.map((k) => ({ value: k, label: label('examKind', k) }))} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="grade" label={t('exams.grade')} rules={[{ required: true }]}>
              <Select
                data-testid="exam-create-grade"
                options={[1, 2, 3, 4, 5, 6, 7, 8, 9].map((g) => ({ value: g, label: gradeName(g) }))}
                onChange={(g: number) => form.setFieldValue('subjects', usualSubjects(g))}
              />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="examDate" label={t('exams.date')}>
              <DatePicker style={{ width: '100%' }} inputReadOnly={isMobile} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="scope" label={t('exams.scopeLabel')} rules={[{ required: true }]}>
              <Select
                data-testid="exam-create-scope"
                options={[
                  ...(bureau ? [{ value: 'county', label: t('exams.scope.county') }] : []),
                  { value: 'school', label: bureau ? t('exams.scope.school') : me.school?.name ?? t('exams.scope.school') },
                  { value: 'pairing', label: t('exams.scope.pairing') },
                ]}
              />
            </Form.Item>
          </Col>
          {scope === 'pairing' && (
            <Col xs={24}>
              <Form.Item name="pairingId" label={t('exams.create.pairing')} rules={[{ required: true, message: t('exams.create.pairingRequired') }]}
                extra={t('exams.create.pairingHint')}>
                <SchoolPairingSelect />
              </Form.Item>
            </Col>
          )}
          {bureau && scope === 'school' && (
            <Col xs={24}>
              <Form.Item name="schoolId" label={t('common.school')} rules={[{ required: true, message: t('exams.create.schoolRequired') }]}>
                <SchoolSelect width="100%" />
              </Form.Item>
            </Col>
          )}
        </Row>
        {!bureau && scope !== 'pairing' && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('exams.create.schoolExamHint', { school: me.school?.name ?? '' })} />}

        <Flex justify="space-between" align="baseline" style={{ marginBottom: 8 }}>
          <Typography.Text strong>{t('exams.subjects')}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('exams.create.subjectsHint')}</Typography.Text>
        </Flex>
        <Form.List name="subjects">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Flex key={f.key} gap={8} align="start" wrap={false} data-testid="exam-create-subject">
                  <Form.Item name={[f.name, 'name']} style={{ flex: 2, minWidth: 0, marginBottom: 8 }} rules={[{ required: true, message: t('exams.create.subjectRequired') }]}>
                    <Input placeholder={t('exams.subject')} maxLength={20} aria-label={t('exams.subject')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'fullMarks']} style={{ flex: 1, minWidth: 72, marginBottom: 8 }} rules={[{ required: true, message: t('exams.create.fullMarksRequired') }]}>
                    <InputNumber min={1} max={1000} step={10} placeholder={t('exams.fullMarks')} aria-label={t('exams.fullMarks')} style={{ width: '100%' }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'countsToTotal']} valuePropName="checked" style={{ marginBottom: 8 }}>
                    <Switch checkedChildren={t('exams.countsToTotal')} unCheckedChildren={t('exams.notInTotal')} aria-label={t('exams.countsToTotal')} />
                  </Form.Item>
                  <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('exams.create.removeSubject')} />
                </Flex>
              ))}
              <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ name: '', fullMarks: 100, countsToTotal: true })}>
                {t('exams.create.addSubject')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
      {error && <Alert type="error" showIcon message={error} style={{ marginTop: 12 }} data-testid="exam-create-error" />}
    </Modal>
  );
}

/** The school-to-school pairings the user can see (校际结对, 集团化办学), named by their schools. */
function SchoolPairingSelect(props: { value?: number; onChange?: (v: number | undefined) => void }) {
  const { t } = useI18n();
  const q = useQuery({
    queryKey: ['pairings', 'school-pairings-for-exams'],
    queryFn: async () => {
      const lists = await Promise.all(SCHOOL_PAIRING_PROGRAMMES.map((programme) =>
        api.get<Paged<PairingView>>('/api/pairings', { programme, pageSize: 200 })));
      return lists.flatMap((l) => l.items).filter((p) => p.status !== 'cancelled');
    },
  });
  return (
    <Select
      value={props.value}
      onChange={props.onChange}
      loading={q.isLoading}
      showSearch
      optionFilterProp="label"
      placeholder={t('exams.create.pairingPlaceholder')}
      notFoundContent={q.isLoading ? undefined : t('exams.create.noPairing')}
      data-testid="exam-create-pairing"
      options={(q.data ?? []).map((p) => ({
        value: p.id,
        label: `${p.programme.name}：${p.participants.filter((x) => x.kind === 'school').map((x) => x.name).join('、')}`,
      }))}
    />
  );
}
