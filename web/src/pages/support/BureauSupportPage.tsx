// 全县帮扶: coverage and quota standing by school and category, for the bureau — a table and a
// stacked bar chart (with / without a teacher per school, or teachers on track / behind / short).
import { Suspense, lazy, useMemo, useState } from 'react';
import { Card, Segmented, Spin, Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { SUPPORT_CATEGORIES } from '@modules/support/support.schemas';
import { api } from '../../api/client';
import type { Paged, SchoolListItem, SupportCompliance, SupportComplianceRow, SupportCoverageRow } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { ErrorResult, PageSpinner } from '../../components/QueryState';
import { useI18n } from '../../i18n/I18nProvider';
import { useSupportLinks } from './SupportLinks';
import { AidSummaryCard } from './AidSummaryCard';

const StackedBarChart = lazy(() => import('./charts').then((m) => ({ default: m.StackedBarChart })));

interface SchoolRow {
  school: string;
  schoolName: string;
  confirmed: number;
  withTeacher: number;
  withoutTeacher: number;
  teachers: number;
  onTrack: number;
  behind: number;
  short: number;
}

export default function BureauSupportPage() {
  const { t, tx } = useI18n();
  const [category, setCategory] = useState<string>('all');
  const [chart, setChart] = useState<'coverage' | 'compliance'>('coverage');
  const links = useSupportLinks();
  const coverage = useQuery({
    queryKey: ['support', 'coverage', 'all'],
    queryFn: () => api.get<{ schoolYear: string; rows: SupportCoverageRow[] }>('/api/support/coverage'),
  });
  // the report rows name schools by 学校标识码; the school page takes the id
  const schools = useQuery({ queryKey: ['schools', 'all-ids'], queryFn: () => api.get<Paged<SchoolListItem>>('/api/schools', { pageSize: 200 }), staleTime: 5 * 60_000 });
  const ids = useMemo(() => new Map((schools.data?.items ?? []).map((s) => [s.code, s.id])), [schools.data]);
  const compliance = useQuery({ queryKey: ['support', 'compliance', 'all'], queryFn: () => api.get<SupportCompliance>('/api/support/compliance') });

  const rows = useMemo<SchoolRow[]>(() => {
    const bySchool = new Map<string, SchoolRow>();
    for (const r of coverage.data?.rows ?? []) {
      if (r.category !== category) continue;
      bySchool.set(r.school, { school: r.school, schoolName: r.schoolName, confirmed: r.confirmed, withTeacher: r.withTeacher, withoutTeacher: r.withoutTeacher, teachers: 0, onTrack: 0, behind: 0, short: 0 });
    }
    // a school's teachers by their worst rule: the school rows carry per-rule counts; take the rule with the most behind/short
    const worstRule = new Map<string, SupportComplianceRow>();
    for (const r of compliance.data?.rows ?? []) {
      if (r.teacher !== '') continue;
      const prev = worstRule.get(r.school);
      if (!prev || r.behind + r.short > prev.behind + prev.short) worstRule.set(r.school, r);
    }
    for (const [school, r] of worstRule) {
      const row = bySchool.get(school) ?? { school, schoolName: r.schoolName, confirmed: 0, withTeacher: 0, withoutTeacher: 0, teachers: 0, onTrack: 0, behind: 0, short: 0 };
      Object.assign(row, { teachers: r.teachers, onTrack: r.onTrack, behind: r.behind, short: r.short });
      bySchool.set(school, row);
    }
    return [...bySchool.values()].sort((a, b) => b.withoutTeacher - a.withoutTeacher || b.short + b.behind - (a.short + a.behind) || b.confirmed - a.confirmed || a.schoolName.localeCompare(b.schoolName, 'zh'));
  }, [coverage.data, compliance.data, category]);

  if (coverage.isLoading) return <PageSpinner />;
  if (coverage.error || !coverage.data) return <ErrorResult error={coverage.error} retry={() => coverage.refetch()} />;
  const total = rows.reduce((s, r) => ({ confirmed: s.confirmed + r.confirmed, without: s.without + r.withoutTeacher }), { confirmed: 0, without: 0 });

  return (
    <>
      <PageHeader title={t('support.bureau.title')} subTitle={`${coverage.data.schoolYear} · ${compliance.data?.period ?? ''}`} extra={links} />
      <Typography.Paragraph data-testid="support-bureau-total">{t('support.bureau.total', { confirmed: total.confirmed, without: total.without, schools: rows.length })}</Typography.Paragraph>
      <Segmented
        style={{ marginBottom: 12, maxWidth: '100%', overflowX: 'auto' }}
        value={category}
        onChange={(v) => setCategory(String(v))}
        options={['all', ...SUPPORT_CATEGORIES].map((c) => ({ value: c, label: tx(`support.category.${c}`, c) }))}
      />
      <Card
        size="small"
        style={{ marginBottom: 12 }}
        extra={<Segmented size="small" value={chart} onChange={(v) => setChart(v as typeof chart)} options={[{ value: 'coverage', label: t('support.bureau.chartCoverage') }, { value: 'compliance', label: t('support.bureau.chartCompliance') }]} />}
        title={t('support.bureau.chart')}
      >
        <Suspense fallback={<Spin />}>
          <div data-testid="support-chart">
            {chart === 'coverage' ? (
              <StackedBarChart names={rows.map((r) => r.schoolName)} series={[
                { name: t('support.coverage.withTeacher'), values: rows.map((r) => r.withTeacher), color: '#52c41a' },
                { name: t('support.coverage.withoutTeacher'), values: rows.map((r) => r.withoutTeacher), color: '#ff4d4f' },
              ]} />
            ) : (
              <StackedBarChart names={rows.map((r) => r.schoolName)} series={[
                { name: t('support.status.on_track'), values: rows.map((r) => r.onTrack), color: '#52c41a' },
                { name: t('support.status.behind'), values: rows.map((r) => r.behind), color: '#fa8c16' },
                { name: t('support.status.short'), values: rows.map((r) => r.short), color: '#ff4d4f' },
              ]} />
            )}
          </div>
        </Suspense>
      </Card>
      <Table<SchoolRow>
        size="small"
        rowKey="school"
        scroll={{ x: true }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        dataSource={rows}
        data-testid="support-bureau-table"
        columns={[
          { title: t('support.bureau.school'), dataIndex: 'schoolName', fixed: 'left', render: (v: string, r) => (ids.get(r.school) ? <Link to={`/support/school?schoolId=${ids.get(r.school)}`}>{v}</Link> : v) },
          { title: t('support.coverage.confirmed'), dataIndex: 'confirmed', align: 'right', sorter: (a, b) => a.confirmed - b.confirmed },
          { title: t('support.coverage.withTeacher'), dataIndex: 'withTeacher', align: 'right' },
          { title: t('support.coverage.withoutTeacher'), dataIndex: 'withoutTeacher', align: 'right', sorter: (a, b) => a.withoutTeacher - b.withoutTeacher, render: (v: number) => (v > 0 ? <Typography.Text type="danger" strong>{v}</Typography.Text> : v) },
          { title: t('support.bureau.teachers'), dataIndex: 'teachers', align: 'right' },
          { title: t('support.status.on_track'), dataIndex: 'onTrack', align: 'right' },
          { title: t('support.status.behind'), dataIndex: 'behind', align: 'right', sorter: (a, b) => a.behind - b.behind },
          { title: t('support.status.short'), dataIndex: 'short', align: 'right', sorter: (a, b) => a.short - b.short, render: (v: number) => (v > 0 ? <Typography.Text type="danger">{v}</Typography.Text> : v) },
        ]}
      />
      <AidSummaryCard />
    </>
  );
}

