import { lazy, Suspense, type ReactNode } from 'react';
import { Card, Col, Empty, Row, Spin, Statistic } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api/client';
import { useCurrentUser } from '../../api/session';
import type { Dashboard } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { useIsMobile } from '../../components/useIsMobile';
import { useI18n } from '../../i18n/I18nProvider';
import { useLabel } from '../../i18n/useLabel';

// ECharts is ~180 KB gzipped: the numbers show at once, the charts follow when it arrives
const BarChartView = lazy(() => import('./charts').then((m) => ({ default: m.BarChartView })));
const PieChartView = lazy(() => import('./charts').then((m) => ({ default: m.PieChartView })));

function ChartSlot({ height = 280, children }: { height?: number; children: ReactNode }) {
  return <Suspense fallback={<div style={{ height, display: 'flex', alignItems: 'center', justifyContent: 'center' }}><Spin /></div>}>{children}</Suspense>;
}

export default function DashboardPage() {
  const { t } = useI18n();
  const label = useLabel();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const query = useQuery({ queryKey: ['dashboard'], queryFn: () => api.get<Dashboard>('/api/dashboard') });

  return (
    <>
      <PageHeader title={t('nav.dashboard')} subTitle={me.school?.name} />
      <QueryState query={query}>
        {(d) => {
          const stats = [
            { key: 'schools', label: t('dashboard.schools'), value: d.schools, to: '/schools' },
            { key: 'classes', label: t('dashboard.classes'), value: d.classes },
            { key: 'teachers', label: t('dashboard.teachers'), value: d.teachers, to: '/teachers' },
            { key: 'students', label: t('dashboard.students'), value: d.students, to: '/students' },
          ];
          const location = Object.entries(d.schoolsByLocation ?? {}).filter(([, n]) => n > 0).map(([name, value]) => ({ name: label('locationType', name), value }));
          const grades = [...(d.studentsByGrade ?? [])].sort((a, b) => a.grade - b.grade);
          const flags = Object.entries(d.familyFlagCounts ?? {}).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
          return (
            <Row gutter={[16, 16]}>
              {stats.map((s) => (
                <Col xs={12} md={6} key={s.key}>
                  <Card hoverable={!!s.to} onClick={s.to ? () => navigate(s.to) : undefined} data-testid={`stat-${s.key}`}>
                    <Statistic title={s.label} value={s.value} />
                  </Card>
                </Col>
              ))}
              <Col xs={24} lg={14}>
                <Card title={t('dashboard.studentsByGrade')}>
                  {grades.length ? (
                    <ChartSlot>
                      <BarChartView narrow={isMobile} name={t('dashboard.students')} categories={grades.map((g) => label('grade', g.grade))} values={grades.map((g) => g.n)} />
                    </ChartSlot>
                  ) : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
                </Card>
              </Col>
              <Col xs={24} lg={10}>
                <Card title={t('dashboard.schoolsByLocation')}>
                  {location.length ? <ChartSlot><PieChartView data={location} /></ChartSlot> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
                </Card>
              </Col>
              {flags.length > 0 && (
                <Col xs={24}>
                  <Card title={t('dashboard.familyFlags')} extra={<span style={{ color: '#8c8c8c', fontSize: 12 }}>{t('dashboard.familyFlagsNote')}</span>}>
                    <ChartSlot height={Math.max(160, flags.length * 32)}>
                      <BarChartView
                        horizontal
                        height={Math.max(160, flags.length * 32)}
                        name={t('dashboard.students')}
                        categories={flags.map(([f]) => label('familyFlag', f))}
                        values={flags.map(([, n]) => n)}
                      />
                    </ChartSlot>
                  </Card>
                </Col>
              )}
            </Row>
          );
        }}
      </QueryState>
    </>
  );
}
