// 帮扶成效: supported students against similar unsupported ones (an estimate, labelled so, with the
// method and caveats), the mix of support (课内/课外 … as the documents' reflection asks), and the
// progress awards of an exam. Definitions: docs/support.md "Outcomes".
import { Suspense, lazy, useMemo, useState } from 'react';
import { Alert, Card, Empty, Flex, List, Segmented, Select, Spin, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { schoolYearOf } from '@shared/school-year';
import type { AwardLine, AwardsView, ComparisonEstimateView, ComparisonView, MixUnit, MixView } from '@modules/support/outcomes/outcomes.schemas';
import { api } from '../../api/client';
import { useCurrentUser } from '../../api/session';
import type { Paged } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { ErrorResult, PageSpinner } from '../../components/QueryState';
import { SchoolSelect } from '../../components/RemoteSelect';
import { useI18n } from '../../i18n/I18nProvider';
import { useLabel } from '../../i18n/useLabel';
import { useSupportLinks } from './SupportLinks';

const DifferenceChart = lazy(() => import('./outcome-charts').then((m) => ({ default: m.DifferenceChart })));
const StackedBarChart = lazy(() => import('./charts').then((m) => ({ default: m.StackedBarChart })));

type EstimateRow = ComparisonEstimateView & { key: string; name: string };
const fmt = (v: number | null | undefined, digits = 2) => (v == null ? '—' : v.toFixed(digits));
const pct = (v: number | null | undefined) => (v == null ? '—' : `${(v * 100).toFixed(1)}%`);

export default function OutcomesPage() {
  const { t } = useI18n();
  const label = useLabel();
  const me = useCurrentUser();
  const links = useSupportLinks();
  const region = me.scopeLevel === 'region';
  const thisYear = schoolYearOf(new Date());
  const start = Number(thisYear.slice(0, 4));
  const [schoolYear, setSchoolYear] = useState(thisYear);
  const [schoolId, setSchoolId] = useState<number | undefined>();
  const [bandWidth, setBandWidth] = useState(5);
  const query = { schoolYear, schoolId, bandWidth };
  const comparison = useQuery({ queryKey: ['support', 'outcomes', 'comparison', query], queryFn: () => api.get<ComparisonView>('/api/support/outcomes/comparison', query) });
  const mix = useQuery({ queryKey: ['support', 'outcomes', 'mix', schoolYear, schoolId], queryFn: () => api.get<MixView>('/api/support/outcomes/mix', { schoolYear, schoolId }) });

  if (comparison.isLoading) return <PageSpinner />;
  if (comparison.error || !comparison.data) return <ErrorResult error={comparison.error} retry={() => comparison.refetch()} />;
  const c = comparison.data;
  const rows: EstimateRow[] = [
    { key: 'county', name: t('support.outcomes.county'), ...c.county },
    ...c.schools.map((s) => ({ ...s, key: String(s.schoolId), name: s.schoolName })),
  ];
  const charted = rows.filter((r) => r.difference != null);

  return (
    <>
      <PageHeader title={t('support.outcomes.title')} subTitle={schoolYear} extra={links} />
      <Flex wrap gap={8} style={{ marginBottom: 12 }}>
        <Select
          value={schoolYear}
          onChange={setSchoolYear}
          style={{ width: 130 }}
          data-testid="support-outcomes-year"
          options={[0, 1, 2].map((k) => `${start - k}-${start - k + 1}`).map((y) => ({ value: y, label: y }))}
        />
        {region && <SchoolSelect value={schoolId} onChange={setSchoolId} width={220} />}
        <Select
          value={bandWidth}
          onChange={setBandWidth}
          style={{ width: 150 }}
          options={[5, 10, 20].map((w) => ({ value: w, label: t('support.outcomes.band', { w }) }))}
        />
      </Flex>

      <Card size="small" title={t('support.outcomes.comparison')} style={{ marginBottom: 12 }} data-testid="support-outcomes-comparison">
        <Alert type="warning" showIcon message={c.label} description={t('support.outcomes.estimateNote')} style={{ marginBottom: 12 }} data-testid="support-outcomes-estimate" />
        {c.cohorts.map((k) => (
          <Typography.Paragraph key={k.cohort} style={{ marginBottom: 4 }}>
            <Tag>{label('grade', k.grade)}</Tag>{' '}
            {k.baseline && k.latest ? `${k.baseline.name} → ${k.latest.name}` : ''}
            {k.note && <Typography.Text type="danger"> {k.note}</Typography.Text>}
          </Typography.Paragraph>
        ))}
        {charted.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('support.outcomes.noEstimate')} /> : (
          <Suspense fallback={<Spin />}>
            <DifferenceChart names={charted.map((r) => r.name)} values={charted.map((r) => r.difference)} ci={charted.map((r) => r.ci95)} name={t('support.outcomes.difference')} />
          </Suspense>
        )}
        <Table<EstimateRow>
          size="small"
          rowKey="key"
          scroll={{ x: 'max-content' }}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          dataSource={rows}
          columns={[
            { title: t('support.outcomes.unit'), dataIndex: 'name', fixed: 'left' },
            { title: t('support.outcomes.supported'), align: 'right', render: (_, r) => `${fmt(r.supportedMean)}（n=${r.supportedN}）` },
            { title: t('support.outcomes.similar'), align: 'right', render: (_, r) => `${fmt(r.comparisonMean)}（n=${r.comparisonN}）` },
            { title: t('support.outcomes.difference'), dataIndex: 'difference', align: 'right', render: (v: number | null) => fmt(v) },
            { title: t('support.outcomes.ci'), align: 'right', render: (_, r) => (r.ci95 ? `${fmt(r.ci95[0])} ~ ${fmt(r.ci95[1])}` : '—') },
            { title: t('support.outcomes.unmatched'), dataIndex: 'unmatchedSupported', align: 'right' },
          ]}
        />
        <List size="small" dataSource={c.caveats} renderItem={(x) => <List.Item><Typography.Text type="secondary">{x}</Typography.Text></List.Item>} />
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }} ellipsis={{ rows: 2, expandable: true, symbol: t('support.outcomes.more') }}>
          {t('support.outcomes.method')}：{c.method}
        </Typography.Paragraph>
      </Card>

      <MixCard data={mix.data} loading={mix.isLoading} error={mix.error as Error | null} />
      <AwardsCard schoolYear={schoolYear} schoolId={schoolId} />
    </>
  );
}

function focusOf(u: MixUnit, key: string | null) {
  return u.dimensions.find((d) => d.key === key) ?? u.dimensions[0];
}

function MixCard({ data, loading, error }: { data?: MixView; loading: boolean; error: Error | null }) {
  const { t } = useI18n();
  const label = useLabel();
  if (loading) return <Card size="small" loading title={t('support.outcomes.mix')} />;
  if (error || !data) return <Card size="small" title={t('support.outcomes.mix')}><Typography.Text type="danger">{error?.message}</Typography.Text></Card>;
  const county = focusOf(data.county, data.focus);
  const units: { name: string; u: MixUnit }[] = data.teachers.length
    ? data.teachers.map((x) => ({ name: x.teacherName, u: x }))
    : data.schools.map((x) => ({ name: x.schoolName, u: x }));
  const [first, second] = county?.options ?? [];
  return (
    <Card size="small" title={t('support.outcomes.mix')} style={{ marginBottom: 12 }} data-testid="support-outcomes-mix">
      <Typography.Paragraph>
        {county && first && second ? t('support.outcomes.mixSummary', { label: county.label, a: first.value, sa: pct(first.share), b: second.value, sb: pct(second.share), n: county.sessions }) : t('support.outcomes.noRecords')}
      </Typography.Paragraph>
      <Flex wrap gap={6} style={{ marginBottom: 8 }}>
        {data.county.dimensions.map((d) => (
          <Tag key={d.key}>{d.label}：{d.options.map((o) => `${o.value} ${pct(o.share)}`).join(' / ')}</Tag>
        ))}
      </Flex>
      <Flex wrap gap={6} style={{ marginBottom: 8 }}>
        {data.county.types.map((x) => <Tag key={x.type} color="blue">{label('activityType', x.type, x.label)} {pct(x.share)}</Tag>)}
      </Flex>
      {units.length > 0 && first && second && (
        <Suspense fallback={<Spin />}>
          <StackedBarChart names={units.map((x) => x.name)} series={[
            { name: first.value, values: units.map((x) => focusOf(x.u, data.focus)?.options[0]?.n ?? 0), color: '#52c41a' },
            { name: second.value, values: units.map((x) => focusOf(x.u, data.focus)?.options[1]?.n ?? 0), color: '#fa8c16' },
          ]} />
        </Suspense>
      )}
      <Table<{ name: string; u: MixUnit }>
        size="small"
        rowKey="name"
        scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        dataSource={units}
        columns={[
          { title: data.teachers.length ? t('support.outcomes.teacher') : t('support.outcomes.unit'), dataIndex: 'name', fixed: 'left' },
          { title: t('support.outcomes.tutoring'), align: 'right', render: (_, r) => r.u.tutoring },
          { title: first ? t('support.outcomes.share', { v: first.value }) : '', align: 'right', render: (_, r) => pct(focusOf(r.u, data.focus)?.options[0]?.share) },
          { title: t('support.outcomes.meanChange'), align: 'right', render: (_, r) => (r.u.changeN ? `${fmt(r.u.meanChange)}（n=${r.u.changeN}）` : '—') },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }}>{data.note}</Typography.Paragraph>
    </Card>
  );
}

interface ExamItem { id: string; name: string; status: string; schoolYear: string }

function AwardsCard({ schoolYear, schoolId }: { schoolYear: string; schoolId?: number }) {
  const { t, tx } = useI18n();
  const exams = useQuery({ queryKey: ['exams', 'analysed', schoolYear], queryFn: () => api.get<Paged<ExamItem>>('/api/exams', { schoolYear, pageSize: 100 }) });
  const analysed = useMemo(() => (exams.data?.items ?? []).filter((e) => e.status === 'analysed'), [exams.data]);
  const [picked, setPicked] = useState<string | undefined>();
  const examId = picked ?? analysed[0]?.id;
  const [kind, setKind] = useState<'all' | AwardLine['kind']>('all');
  const awards = useQuery({
    queryKey: ['support', 'outcomes', 'awards', examId, kind, schoolId],
    queryFn: () => api.get<AwardsView>('/api/support/outcomes/awards', { examId, kind: kind === 'all' ? undefined : kind, schoolId }),
    enabled: !!examId,
  });
  return (
    <Card size="small" title={t('support.outcomes.awards')} data-testid="support-outcomes-awards">
      <Flex wrap gap={8} style={{ marginBottom: 8 }}>
        <Select style={{ minWidth: 240, maxWidth: '100%' }} value={examId} onChange={setPicked} placeholder={t('support.outcomes.pickExam')} options={analysed.map((e) => ({ value: e.id, label: e.name }))} />
        {/* three long award names are wider than a phone: the control scrolls, the page does not */}
        <div style={{ maxWidth: '100%', overflowX: 'auto' }}>
          <Segmented value={kind} onChange={(v) => setKind(v as typeof kind)} options={[
            { value: 'all', label: t('support.outcomes.allAwards') },
            { value: 'class_monthly', label: t('support.outcomes.award.class_monthly') },
            { value: 'school_term', label: t('support.outcomes.award.school_term') },
          ]} />
        </div>
      </Flex>
      {awards.data && (
        <Typography.Paragraph type="secondary">
          {awards.data.previous ? t('support.outcomes.against', { prev: awards.data.previous.name, a: awards.data.counts.class_monthly, b: awards.data.counts.school_term }) : t('support.outcomes.noPrevious')}
        </Typography.Paragraph>
      )}
      <Table<AwardLine>
        size="small"
        loading={awards.isLoading && !!examId}
        rowKey={(r) => `${r.kind}-${r.studentId}`}
        scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 30, hideOnSinglePage: true }}
        dataSource={awards.data?.items ?? []}
        columns={[
          { title: t('support.outcomes.student'), dataIndex: 'studentName', fixed: 'left' },
          { title: t('support.outcomes.kind'), dataIndex: 'kind', render: (v: string) => tx(`support.outcomes.award.${v}`, v) },
          { title: t('support.outcomes.class'), render: (_, r) => [r.schoolName, r.className].filter(Boolean).join(' ') },
          { title: t('support.outcomes.percentile'), align: 'right', render: (_, r) => `${fmt(r.before, 1)} → ${fmt(r.after, 1)}` },
          { title: t('support.outcomes.rise'), dataIndex: 'rise', align: 'right', render: (v: number, r) => <>{fmt(v, 1)}{r.leftBottom && <Tag color="green" style={{ marginLeft: 6 }}>{t('support.outcomes.leftBottom')}</Tag>}</> },
          { title: t('support.outcomes.rank'), dataIndex: 'rank', align: 'right' },
        ]}
      />
    </Card>
  );
}
