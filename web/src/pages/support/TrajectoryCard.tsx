// 考试轨迹: a supported student's county percentile across the cohort's exams (line), and at each
// exam whether they were in the 总分 后20% group and in which subjects' groups. One line in CasePage.
import { Suspense, lazy } from 'react';
import { Card, Empty, List, Spin, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { TrajectoryView } from '@modules/support/outcomes/outcomes.schemas';
import { api } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { useLabel } from '../../i18n/useLabel';

const GRADE = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

const TrajectoryChart = lazy(() => import('./outcome-charts').then((m) => ({ default: m.TrajectoryChart })));

export function TrajectoryCard({ caseId }: { caseId: number }) {
  const { t } = useI18n();
  const label = useLabel();
  /** 七上期末 / G7 T1 Final: grade, term, kind — fits under a point on a phone (the full name is in the list). */
  const shortName = (p: { grade: number; term: number; kind: string }) => t('support.outcomes.examShort', {
    gradeShort: GRADE[p.grade] ?? p.grade, grade: p.grade, termShort: p.term === 1 ? '上' : '下', term: p.term, kind: label('examKind', p.kind),
  });
  const q = useQuery({ queryKey: ['support', 'trajectory', caseId], queryFn: () => api.get<TrajectoryView>(`/api/support/cases/${caseId}/trajectory`) });
  const points = q.data?.points ?? [];
  return (
    <Card size="small" title={t('support.outcomes.trajectory')} style={{ marginTop: 12 }} data-testid="support-case-trajectory" loading={q.isLoading}>
      {q.error ? <Typography.Text type="danger">{(q.error as Error).message}</Typography.Text> : points.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('support.outcomes.noExams')} />
      ) : (
        <>
          <Suspense fallback={<Spin />}>
            <TrajectoryChart
              labels={points.map(shortName)}
              values={points.map((p) => p.percentile)}
              bottom={points.map((p) => p.bottomTotal)}
              name={t('support.outcomes.percentile')}
              lineLabel={t('support.outcomes.line20')}
            />
          </Suspense>
          <List
            size="small"
            dataSource={points}
            renderItem={(p) => (
              <List.Item style={{ display: 'block' }}>
                <Typography.Text>{p.name}</Typography.Text>
                <div>
                  {!p.sat ? <Tag>{t('support.outcomes.noRow')}</Tag> : p.absent ? <Tag color="orange">{t('support.outcomes.absent')}</Tag> : (
                    <Typography.Text type="secondary">{t('support.outcomes.point', { total: p.total ?? '', percentile: p.percentile?.toFixed(1) ?? '', n: p.population })}</Typography.Text>
                  )}
                  {p.bottomTotal && <Tag color="red" style={{ marginLeft: 8 }}>{t('support.outcomes.bottomTotal')}</Tag>}
                  {p.bottomSubjects.length > 0 && <Tag style={{ marginLeft: 8, whiteSpace: 'normal' }}>{t('support.outcomes.bottomSubjects', { subjects: p.bottomSubjects.join('、') })}</Tag>}
                </div>
              </List.Item>
            )}
          />
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }} ellipsis={{ rows: 1, expandable: true, symbol: t('support.outcomes.more') }}>
            {q.data?.definition}
          </Typography.Paragraph>
        </>
      )}
    </Card>
  );
}
