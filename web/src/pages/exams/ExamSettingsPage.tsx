// The bureau's 后20% settings: targets per grade and school year, the reward table, the
// analysis options — checked in the browser with the API's zod schemas — and re-running the
// analysis of an exam so that changes take effect. Other roles see them read-only.
import { useEffect, useState, type ReactNode } from 'react';
import {
  Alert, Button, Card, Checkbox, Col, Divider, Empty, Flex, Form, Input, InputNumber, Radio, Row, Select, Space, Switch, Tabs, Typography, message,
} from 'antd';
import { DeleteOutlined, PlusOutlined, SyncOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import type { z } from 'zod';
import { analysisOptions as analysisOptionsSchema, rewardTable as rewardTableSchema, targetsBody } from '@modules/exams/exam-settings.schemas';
import { SUBJECTS } from '@shared/registry';
import { termOf } from '@shared/school-year';
import { api, request } from '../../api/client';
import { useCurrentUser } from '../../api/session';
import type { Exam, ExamSettings, ExamTargets, Paged } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { ErrorResult, PageSpinner } from '../../components/QueryState';
import { useIsMobile } from '../../components/useIsMobile';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n';
import { TOTAL, isBureau, useGradeName, useTermLabel } from './shared';
import { validValues } from '../../components/formRules';

type RewardTable = z.infer<typeof rewardTableSchema>;
type AwardRule = RewardTable['rules'][number];
type AnalysisOptions = z.infer<typeof analysisOptionsSchema>;
type TargetRule = ExamTargets['rules'][number];

const SUBJECT_OPTIONS = [TOTAL, ...SUBJECTS].map((s) => ({ value: s, label: s }));
const firstIssue = (e: z.ZodError) => e.issues.map((i) => `${i.path.length ? i.path.join('.') + '：' : ''}${i.message}`)[0] ?? '';

function yearsAround(): string[] {
  const cur = Number(termOf(new Date()).schoolYear.slice(0, 4));
  return [cur + 1, cur, cur - 1, cur - 2].map((y) => `${y}-${y + 1}`);
}

export default function ExamSettingsPage() {
  const { t } = useI18n();
  const me = useCurrentUser();
  const readOnly = !isBureau(me);
  const settings = useQuery({ queryKey: ['exam-settings'], queryFn: () => api.get<ExamSettings>('/api/exam-settings') });

  return (
    <>
      <PageHeader back title={t('exams.settings.title')} />
      {readOnly && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('exams.settings.readOnly')} />}
      <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('exams.settings.reanalyseHint')} />
      <Tabs
        items={[
          { key: 'targets', label: t('exams.settings.targets'), children: <TargetsTab readOnly={readOnly} /> },
          {
            key: 'rewards', label: t('exams.settings.rewards'),
            children: settings.isLoading ? <PageSpinner /> : settings.data ? <RewardsTab settings={settings.data} readOnly={readOnly} /> : <ErrorResult error={settings.error} retry={() => settings.refetch()} />,
          },
          {
            key: 'options', label: t('exams.settings.options'),
            children: settings.isLoading ? <PageSpinner /> : settings.data ? <OptionsTab settings={settings.data} readOnly={readOnly} /> : <ErrorResult error={settings.error} retry={() => settings.refetch()} />,
          },
        ]}
      />
      {!readOnly && <Reanalyse />}
    </>
  );
}

function Saved({ at, by }: { at: string | null; by: string | null }) {
  const { t } = useI18n();
  if (!at) return <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('exams.settings.defaultsInUse')}</Typography.Text>;
  return <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('exams.settings.savedBy', { at: new Date(at).toLocaleString(), by: by ?? '' })}</Typography.Text>;
}

// ---------------------------------------------------------------- targets

interface TargetRuleForm {
  kind: TargetRule['kind'];
  subjects: string[];
  pointsPerSemester?: number;
  maxRank?: number;
  /** percent in the form, a fraction in the API */
  maxRatioPct?: number;
  rankLevels?: ('school' | 'class' | 'teacher')[];
}
interface TargetsForm {
  baselineOn: boolean;
  baselineYear?: string;
  baselineTerm?: 1 | 2;
  rules: TargetRuleForm[];
}

function toTargetsForm(d: ExamTargets): TargetsForm {
  return {
    baselineOn: !!d.baseline,
    baselineYear: d.baseline?.schoolYear ?? d.schoolYear,
    baselineTerm: (d.baseline?.term as 1 | 2 | undefined) ?? 1,
    rules: d.rules.map((r) => (r.kind === 'relative_to_baseline'
      ? { kind: r.kind, subjects: r.subjects, pointsPerSemester: r.pointsPerSemester }
      : { kind: r.kind, subjects: r.subjects, maxRank: r.maxRank, maxRatioPct: Math.round(r.maxRatio * 10000) / 100, rankLevels: r.rankLevels ?? ['school'] })), // the engine's default, shown
  };
}

function fromTargetsForm(v: TargetsForm): z.input<typeof targetsBody> {
  return {
    baseline: v.baselineOn && v.baselineYear && v.baselineTerm ? { schoolYear: v.baselineYear, term: v.baselineTerm } : null,
    rules: (v.rules ?? []).map((r): TargetRule => (r.kind === 'relative_to_baseline'
      ? { kind: r.kind, subjects: r.subjects ?? [], pointsPerSemester: r.pointsPerSemester ?? 0 }
      : {
          kind: r.kind, subjects: r.subjects ?? [], maxRank: r.maxRank ?? 1, maxRatio: (r.maxRatioPct ?? 0) / 100,
          ...(r.rankLevels?.length ? { rankLevels: r.rankLevels } : {}),
        })),
  };
}

/**
 * The save of a settings tab: the body is checked with the server's own zod schema first (its first
 * complaint shown in Chinese), then PUT; `onSaved` stores the answer in the query cache.
 */
function useValidatedSave() {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async <S extends z.ZodTypeAny, R>(schema: S, body: unknown, put: (valid: z.output<S>) => Promise<R>, onSaved: (saved: R) => unknown) => {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      setError(firstIssue(parsed.error));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSaved(await put(parsed.data));
      void message.success(t('common.saved'));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, save };
}

function TargetsTab({ readOnly }: { readOnly: boolean }) {
  const { t } = useI18n();
  const termLabel = useTermLabel();
  const gradeName = useGradeName();
  const client = useQueryClient();
  const [params] = useSearchParams();
  const now = termOf(new Date());
  const [year, setYear] = useState(/^\d{4}-\d{4}$/.test(params.get('schoolYear') ?? '') ? params.get('schoolYear')! : now.schoolYear);
  const [grade, setGrade] = useState(Number(params.get('grade')) || 7);
  const [form] = Form.useForm<TargetsForm>();
  const { busy, error, setError, save: validatedSave } = useValidatedSave();
  const q = useQuery({ queryKey: ['exam-targets', year, grade], queryFn: () => api.get<ExamTargets>(`/api/exam-targets/${year}/${grade}`) });
  useEffect(() => {
    if (q.data) form.setFieldsValue(toTargetsForm(q.data));
    setError(null);
  }, [q.data, form]);
  const baselineOn = Form.useWatch('baselineOn', form);

  const save = async () => {
    const v = await validValues(form);
    if (!v) return;
    await validatedSave(targetsBody, fromTargetsForm(v), (body) => request<ExamTargets>('PUT', `/api/exam-targets/${year}/${grade}`, body), async (saved) => {
      client.setQueryData(['exam-targets', year, grade], saved);
      await client.invalidateQueries({ queryKey: ['exams'] });
    });
  };

  return (
    <Card size="small">
      <Flex wrap gap={8} align="center" style={{ marginBottom: 12 }}>
        <Select value={year} onChange={setYear} style={{ width: 130 }} options={yearsAround().map((y) => ({ value: y, label: y }))} aria-label={t('exams.schoolYear')} data-testid="targets-year" />
        <Select value={grade} onChange={setGrade} style={{ width: 110 }} options={[1, 2, 3, 4, 5, 6, 7, 8, 9].map((g) => ({ value: g, label: gradeName(g) }))} aria-label={t('exams.grade')} data-testid="targets-grade" />
        {q.data && <Saved at={q.data.updatedAt} by={q.data.updatedBy} />}
      </Flex>
      {q.error ? <ErrorResult error={q.error} retry={() => q.refetch()} /> : !q.data ? <PageSpinner /> : (
        <Form<TargetsForm> form={form} layout="vertical" disabled={readOnly} key={`${year}/${grade}`}>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('exams.settings.targetsIntro')}</Typography.Paragraph>
          <Flex wrap gap={12} align="end">
            <Form.Item name="baselineOn" label={t('exams.settings.baseline')} valuePropName="checked">
              <Switch />
            </Form.Item>
            {baselineOn && (
              <>
                <Form.Item name="baselineYear" label={t('exams.schoolYear')} rules={[{ required: true }]}>
                  <Select style={{ width: 130 }} options={yearsAround().map((y) => ({ value: y, label: y }))} />
                </Form.Item>
                <Form.Item name="baselineTerm" label={t('exams.term')} rules={[{ required: true }]}>
                  <Select style={{ width: 120 }} options={[1, 2].map((v) => ({ value: v, label: termLabel(v) }))} />
                </Form.Item>
              </>
            )}
          </Flex>
          <Form.List name="rules">
            {(fields, { add, remove }) => (
              <Flex vertical gap={8}>
                {fields.map((f) => (
                  <Card key={f.key} size="small" type="inner" extra={!readOnly && <Button type="text" size="small" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('exams.settings.removeRule')} />}
                    title={
                      <Form.Item name={[f.name, 'kind']} noStyle>
                        <Select size="small" style={{ width: 200, maxWidth: '100%' }} options={[
                          { value: 'relative_to_baseline', label: t('exams.settings.rule.relative_to_baseline') },
                          { value: 'rank_and_ratio', label: t('exams.settings.rule.rank_and_ratio') },
                        ]} />
                      </Form.Item>
                    }
                  >
                    <Form.Item name={[f.name, 'subjects']} label={t('exams.subjects')} rules={[{ required: true, message: t('exams.settings.subjectsRequired') }]}>
                      <Select mode="tags" options={SUBJECT_OPTIONS} />
                    </Form.Item>
                    <Form.Item noStyle shouldUpdate>
                      {() => form.getFieldValue(['rules', f.name, 'kind']) === 'relative_to_baseline' ? (
                        <Form.Item name={[f.name, 'pointsPerSemester']} label={t('exams.settings.pointsPerSemester')} rules={[{ required: true }]} extra={t('exams.settings.pointsPerSemesterHint')}>
                          <InputNumber min={0} max={100} step={0.5} addonAfter={t('exams.settings.pp')} style={{ width: 180 }} />
                        </Form.Item>
                      ) : (
                        <Flex wrap gap={12}>
                          <Form.Item name={[f.name, 'maxRank']} label={t('exams.settings.maxRank')} rules={[{ required: true }]}>
                            <InputNumber min={1} max={10000} style={{ width: 120 }} />
                          </Form.Item>
                          <Form.Item name={[f.name, 'maxRatioPct']} label={t('exams.settings.maxRatio')} rules={[{ required: true }]}>
                            <InputNumber min={0} max={100} step={1} addonAfter="%" style={{ width: 140 }} />
                          </Form.Item>
                          <Form.Item name={[f.name, 'rankLevels']} label={t('exams.settings.rankLevels')}>
                            <Checkbox.Group options={[{ value: 'school', label: t('common.school') }, { value: 'class', label: t('exams.class') }, { value: 'teacher', label: t('exams.teacher') }]} />
                          </Form.Item>
                        </Flex>
                      )}
                    </Form.Item>
                  </Card>
                ))}
                {!readOnly && (
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ kind: 'rank_and_ratio', subjects: [TOTAL], maxRank: 8, maxRatioPct: 20 })}>{t('exams.settings.addRule')}</Button>
                )}
              </Flex>
            )}
          </Form.List>
          {error && <Alert type="error" showIcon message={error} style={{ marginTop: 12 }} />}
          {!readOnly && <Button type="primary" loading={busy} onClick={save} style={{ marginTop: 16 }} data-testid="targets-save">{t('common.save')}</Button>}
        </Form>
      )}
    </Card>
  );
}

// ---------------------------------------------------------------- rewards

type RuleForm = {
  kind: AwardRule['kind'];
  name: string;
  minDropPoints?: number | null;
  maxRank?: number | null;
  amount?: number;
  recipients?: ('teacher' | 'class')[];
  amountPerStudent?: number;
  amountPerPlace?: number;
  maxAmount?: number | null;
  tiers?: { minDropPoints: number; amount: number }[];
};

function fromRuleForm(r: RuleForm): AwardRule {
  const recipients = r.recipients ?? ['teacher', 'class'];
  switch (r.kind) {
    case 'single_subject':
    case 'class':
      return { kind: r.kind, name: r.name, minDropPoints: r.minDropPoints ?? null, maxRank: r.maxRank ?? null, amount: r.amount ?? 0 };
    case 'count_reduction':
      return { kind: r.kind, name: r.name, recipients, amountPerStudent: r.amountPerStudent ?? 0, maxAmount: r.maxAmount ?? null };
    case 'rank_rise':
      return { kind: r.kind, name: r.name, recipients, amountPerPlace: r.amountPerPlace ?? 0, maxAmount: r.maxAmount ?? null };
    case 'same_rank_ratio_drop':
      return { kind: r.kind, name: r.name, recipients, tiers: r.tiers ?? [] };
  }
}

const RULE_KINDS: AwardRule['kind'][] = ['single_subject', 'class', 'count_reduction', 'rank_rise', 'same_rank_ratio_drop'];

function RewardsTab({ settings, readOnly }: { settings: ExamSettings; readOnly: boolean }) {
  const { t } = useI18n();
  const isMobile = useIsMobile();
  const client = useQueryClient();
  const [form] = Form.useForm<{ rankScope: RewardTable['rankScope']; classSubject: string; rules: RuleForm[] }>();
  const { busy, error, save: validatedSave } = useValidatedSave();

  const save = async () => {
    const v = await validValues(form);
    if (!v) return;
    const table = { rankScope: v.rankScope, classSubject: v.classSubject, rules: (v.rules ?? []).map(fromRuleForm) };
    await validatedSave(rewardTableSchema, table, (rewardTable) => request<ExamSettings>('PUT', '/api/exam-settings', { rewardTable }), (saved) => client.setQueryData(['exam-settings'], saved));
  };

  const money = (name: (string | number)[], label: ReactNode, nullable = false) => (
    <Form.Item name={name} label={label} rules={nullable ? [] : [{ required: true }]}>
      <InputNumber min={0} max={1_000_000} step={10} addonBefore="¥" style={{ width: 150 }} placeholder={nullable ? t('exams.settings.noLimit') : undefined} />
    </Form.Item>
  );

  return (
    <Card size="small">
      <Form form={form} layout="vertical" disabled={readOnly} initialValues={settings.rewardTable as { rankScope: RewardTable['rankScope']; classSubject: string; rules: RuleForm[] }}>
        <Flex wrap gap={12} align="end">
          <Form.Item name="rankScope" label={t('exams.settings.rankScope')}>
            <Radio.Group options={[{ value: 'county', label: t('exams.settings.rankScopeCounty') }, { value: 'school', label: t('exams.settings.rankScopeSchool') }]} />
          </Form.Item>
          <Form.Item name="classSubject" label={t('exams.settings.classSubject')} rules={[{ required: true }]}>
            <Select style={{ width: 140 }} options={SUBJECT_OPTIONS} showSearch />
          </Form.Item>
        </Flex>
        <div style={{ marginBottom: 8 }}><Saved at={settings.updatedAt} by={settings.updatedBy} /></div>
        <Form.List name="rules">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8}>
              {fields.map((f) => (
                <Card key={f.key} size="small" type="inner"
                  title={
                    <Form.Item name={[f.name, 'kind']} noStyle>
                      <Select size="small" style={{ width: isMobile ? 170 : 220 }} options={RULE_KINDS.map((k) => ({ value: k, label: t(`exams.settings.award.${k}` as MessageKey) }))} />
                    </Form.Item>
                  }
                  extra={!readOnly && <Button type="text" size="small" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('exams.settings.removeRule')} />}
                >
                  <Form.Item name={[f.name, 'name']} label={t('exams.settings.awardName')} rules={[{ required: true }]}>
                    <Input maxLength={60} style={{ maxWidth: 320 }} />
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate>
                    {() => {
                      const kind = form.getFieldValue(['rules', f.name, 'kind']) as AwardRule['kind'];
                      const recipients = (
                        <Form.Item name={[f.name, 'recipients']} label={t('exams.settings.recipients')} rules={[{ required: true, type: 'array', min: 1 }]}>
                          <Checkbox.Group options={[{ value: 'teacher', label: t('exams.teacher') }, { value: 'class', label: t('exams.class') }]} />
                        </Form.Item>
                      );
                      if (kind === 'single_subject' || kind === 'class') {
                        return (
                          <Flex wrap gap={12}>
                            <Form.Item name={[f.name, 'minDropPoints']} label={t('exams.settings.minDropPoints')}>
                              <InputNumber min={0} max={100} step={0.5} addonAfter={t('exams.settings.pp')} style={{ width: 150 }} placeholder={t('exams.settings.noLimit')} />
                            </Form.Item>
                            <Form.Item name={[f.name, 'maxRank']} label={t('exams.settings.orMaxRank')}>
                              <InputNumber min={1} style={{ width: 120 }} placeholder={t('exams.settings.noLimit')} />
                            </Form.Item>
                            {money([f.name, 'amount'], t('exams.settings.amount'))}
                          </Flex>
                        );
                      }
                      if (kind === 'count_reduction') {
                        return <Flex wrap gap={12}>{recipients}{money([f.name, 'amountPerStudent'], t('exams.settings.amountPerStudent'))}{money([f.name, 'maxAmount'], t('exams.settings.maxAmount'), true)}</Flex>;
                      }
                      if (kind === 'rank_rise') {
                        return <Flex wrap gap={12}>{recipients}{money([f.name, 'amountPerPlace'], t('exams.settings.amountPerPlace'))}{money([f.name, 'maxAmount'], t('exams.settings.maxAmount'), true)}</Flex>;
                      }
                      return (
                        <>
                          {recipients}
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('exams.settings.tiersHint')}</Typography.Text>
                          <Form.List name={[f.name, 'tiers']}>
                            {(tiers, tierOps) => (
                              <Flex vertical gap={4} style={{ marginTop: 8 }}>
                                {tiers.map((tier) => (
                                  <Space key={tier.key} wrap align="baseline">
                                    <Form.Item name={[tier.name, 'minDropPoints']} rules={[{ required: true }]} style={{ marginBottom: 4 }}>
                                      <InputNumber min={0} max={100} step={0.5} addonBefore="≥" addonAfter={t('exams.settings.pp')} style={{ width: 200 }} />
                                    </Form.Item>
                                    <Form.Item name={[tier.name, 'amount']} rules={[{ required: true }]} style={{ marginBottom: 4 }}>
                                      <InputNumber min={0} max={1_000_000} step={10} addonBefore="¥" style={{ width: 130 }} />
                                    </Form.Item>
                                    {!readOnly && <Button type="text" size="small" icon={<DeleteOutlined />} onClick={() => tierOps.remove(tier.name)} aria-label={t('exams.settings.removeTier')} />}
                                  </Space>
                                ))}
                                {!readOnly && <Button size="small" type="dashed" icon={<PlusOutlined />} style={{ width: 'fit-content' }} onClick={() => tierOps.add({ minDropPoints: 1, amount: 50 })}>{t('exams.settings.addTier')}</Button>}
                              </Flex>
                            )}
                          </Form.List>
                        </>
                      );
                    }}
                  </Form.Item>
                </Card>
              ))}
              {!readOnly && (
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ kind: 'single_subject', name: '', minDropPoints: 3, maxRank: 8, amount: 200, recipients: ['teacher', 'class'], tiers: [{ minDropPoints: 1, amount: 50 }] })}>
                  {t('exams.settings.addAward')}
                </Button>
              )}
            </Flex>
          )}
        </Form.List>
      </Form>
      {error && <Alert type="error" showIcon message={error} style={{ marginTop: 12 }} />}
      {!readOnly && (
        <Flex gap={8} style={{ marginTop: 16 }}>
          <Button type="primary" loading={busy} onClick={save} data-testid="rewards-save">{t('common.save')}</Button>
          <Button onClick={() => form.setFieldsValue(settings.defaults.rewardTable as never)}>{t('exams.settings.restoreDefaults')}</Button>
        </Flex>
      )}
    </Card>
  );
}

// ---------------------------------------------------------------- analysis options

interface OptionsForm {
  bottomPct: number;
  passPct: number;
  excellencePct: number;
  scoreDecimals: number;
  meanAbsent: AnalysisOptions['meanAbsent'];
  compositeWeights: AnalysisOptions['compositeWeights'];
  candidates: boolean;
  includeMultiSubjectCandidates: boolean;
  registeredMissingAsAbsent: boolean;
}

const round2 = (v: number) => Math.round(v * 10000) / 100;
function toOptionsForm(o: AnalysisOptions): OptionsForm {
  return {
    bottomPct: round2(o.bottomFraction), passPct: round2(o.passFraction), excellencePct: round2(o.excellenceFraction), scoreDecimals: o.scoreDecimals,
    meanAbsent: o.meanAbsent, compositeWeights: o.compositeWeights, candidates: o.candidates,
    includeMultiSubjectCandidates: o.includeMultiSubjectCandidates, registeredMissingAsAbsent: o.registeredMissingAsAbsent,
  };
}

function OptionsTab({ settings, readOnly }: { settings: ExamSettings; readOnly: boolean }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [form] = Form.useForm<OptionsForm>();
  const { busy, error, save: validatedSave } = useValidatedSave();

  const save = async () => {
    const v = await validValues(form);
    if (!v) return;
    const options: AnalysisOptions = {
      bottomFraction: v.bottomPct / 100, passFraction: v.passPct / 100, excellenceFraction: v.excellencePct / 100, scoreDecimals: v.scoreDecimals,
      meanAbsent: v.meanAbsent, compositeWeights: v.compositeWeights, candidates: v.candidates,
      includeMultiSubjectCandidates: v.includeMultiSubjectCandidates, registeredMissingAsAbsent: v.registeredMissingAsAbsent,
    };
    await validatedSave(analysisOptionsSchema, options, (analysisOptions) => request<ExamSettings>('PUT', '/api/exam-settings', { analysisOptions }), (saved) => client.setQueryData(['exam-settings'], saved));
  };

  const pctInput = (name: keyof OptionsForm, label: string, extra?: string, min = 1) => (
    <Col xs={24} sm={12} lg={8}>
      <Form.Item name={name} label={label} extra={extra} rules={[{ required: true }]}>
        <InputNumber min={min} max={100} step={1} addonAfter="%" style={{ width: 160 }} />
      </Form.Item>
    </Col>
  );

  return (
    <Card size="small">
      <Form<OptionsForm> form={form} layout="vertical" disabled={readOnly} initialValues={toOptionsForm(settings.analysisOptions)}>
        <Row gutter={16}>
          {pctInput('bottomPct', t('exams.settings.bottomFraction'), t('exams.settings.bottomFractionHint'))}
          {pctInput('passPct', t('exams.settings.passFraction'), t('exams.settings.ofFullMarks'))}
          {pctInput('excellencePct', t('exams.settings.excellenceFraction'), t('exams.settings.ofFullMarks'))}
          <Col xs={24} sm={12} lg={8}>
            <Form.Item name="meanAbsent" label={t('exams.settings.meanAbsent')}>
              <Radio.Group options={[{ value: 'zero', label: t('exams.settings.meanAbsentZero') }, { value: 'exclude', label: t('exams.settings.meanAbsentExclude') }]} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={8}>
            <Form.Item name="scoreDecimals" label={t('exams.settings.scoreDecimals')} rules={[{ required: true }]}>
              <InputNumber min={0} max={4} style={{ width: 100 }} />
            </Form.Item>
          </Col>
        </Row>
        <Divider orientation="left" plain style={{ marginTop: 0 }}>{t('exams.settings.compositeWeights')}</Divider>
        <Flex wrap gap={12}>
          {(['mean', 'pass', 'excellence'] as const).map((k) => (
            <Form.Item key={k} name={['compositeWeights', k]} label={t(`exams.settings.weight.${k}`)} rules={[{ required: true }]}>
              <InputNumber min={0} max={1000} style={{ width: 110 }} />
            </Form.Item>
          ))}
        </Flex>
        <Divider orientation="left" plain style={{ marginTop: 0 }}>{t('exams.settings.population')}</Divider>
        {([
          ['registeredMissingAsAbsent', 'exams.settings.registeredMissingAsAbsent', 'exams.settings.registeredMissingAsAbsentHint'],
          ['candidates', 'exams.settings.candidates', 'exams.settings.candidatesHint'],
          ['includeMultiSubjectCandidates', 'exams.settings.multiSubject', 'exams.settings.multiSubjectHint'],
        ] as const).map(([name, label, hint]) => (
          <Flex key={name} gap={12} align="start" style={{ marginBottom: 12 }}>
            <Form.Item name={name} valuePropName="checked" noStyle><Switch /></Form.Item>
            <div>
              <div>{t(label)}</div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t(hint)}</Typography.Text>
            </div>
          </Flex>
        ))}
      </Form>
      <Saved at={settings.updatedAt} by={settings.updatedBy} />
      {error && <Alert type="error" showIcon message={error} style={{ marginTop: 12 }} />}
      {!readOnly && (
        <Flex gap={8} style={{ marginTop: 16 }}>
          <Button type="primary" loading={busy} onClick={save} data-testid="options-save">{t('common.save')}</Button>
          <Button onClick={() => form.setFieldsValue(toOptionsForm(settings.defaults.analysisOptions))}>{t('exams.settings.restoreDefaults')}</Button>
        </Flex>
      )}
    </Card>
  );
}

// ---------------------------------------------------------------- re-run an analysis

function Reanalyse() {
  const { t } = useI18n();
  const client = useQueryClient();
  const [examId, setExamId] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const exams = useQuery({ queryKey: ['exams', 'list', { pageSize: 100 }], queryFn: () => api.get<Paged<Exam>>('/api/exams', { pageSize: 100 }) });
  const options = (exams.data?.items ?? []).filter((e) => e.status !== 'created').map((e) => ({ value: e.id, label: e.name }));
  const run = async () => {
    if (!examId) return;
    setBusy(true);
    try {
      const r = await api.post<{ ms: number }>(`/api/exams/${examId}/analyse`);
      void message.success(t('exams.overview.reanalysed', { ms: r.ms }));
      await client.invalidateQueries({ queryKey: ['exams', examId] });
    } catch (e) {
      void message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={t('exams.overview.reanalyse')} style={{ marginTop: 16 }}>
      {exams.data && options.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> : (
        <Flex wrap gap={8}>
          <Select showSearch optionFilterProp="label" style={{ minWidth: 240, flex: 1, maxWidth: 480 }} placeholder={t('exams.settings.pickExam')} options={options} value={examId} onChange={setExamId} loading={exams.isLoading} />
          <Button type="primary" icon={<SyncOutlined />} disabled={!examId} loading={busy} onClick={run}>{t('exams.overview.reanalyse')}</Button>
        </Flex>
      )}
    </Card>
  );
}
