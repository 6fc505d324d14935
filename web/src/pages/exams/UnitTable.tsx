// School / class / teacher rows of one subject: a table on a desktop, cards on a phone.
import { Flex, Tag, Typography } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import type { ExamUnitRow } from '../../api/types';
import { useI18n } from '../../i18n/I18nProvider';
import { CardField, PointsChange, ResponsiveTable, TargetTag, num, pct } from './shared';

/** School / class / teacher rows of one subject: the figures, changes and target. */
export function UnitTable({ rows, loading, kind, href, testId, bySubject = false }: {
  rows: ExamUnitRow[];
  loading?: boolean;
  kind: 'school' | 'class' | 'teacher';
  /** one unit's rows, one per subject: the first column names the subject */
  bySubject?: boolean;
  href?: (r: ExamUnitRow) => string | undefined;
  testId?: string;
}) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const nameTitle = bySubject ? t('exams.subject') : kind === 'school' ? t('common.school') : kind === 'class' ? t('exams.class') : t('exams.teacher');
  const rankTitle = kind === 'school' ? t('exams.rank') : t('exams.rankCounty');
  const name = (r: ExamUnitRow) => {
    if (bySubject) return r.subject;
    const to = href?.(r);
    return to ? <Link to={to} data-testid={`${testId}-link`}>{r.unitName}</Link> : r.unitName;
  };
  return (
    <ResponsiveTable<ExamUnitRow>
      items={rows}
      loading={loading}
      rowKey={(r) => `${r.subject}/${r.unitKey}`}
      rowTestId={testId}
      onOpen={(r) => { const to = href?.(r); return to ? () => navigate(to) : undefined; }}
      columns={[
        { title: nameTitle, key: 'name', fixed: 'left', render: (_: unknown, r) => name(r) },
        ...(kind === 'class' && !bySubject ? [{ title: t('exams.headTeacher'), dataIndex: 'headTeacher', render: (v: string | null) => v ?? '—' }] : []),
        ...(kind === 'teacher' && !bySubject ? [{ title: t('exams.subject'), dataIndex: 'subject' }] : []),
        { title: t('exams.enrolled'), dataIndex: 'enrolled', align: 'right' as const },
        { title: t('exams.bottom'), dataIndex: 'bottom', align: 'right' as const },
        { title: t('exams.ratio'), dataIndex: 'ratio', align: 'right' as const, render: (v: number) => <span data-testid="unit-ratio">{pct(v)}</span>, sorter: (a: ExamUnitRow, b: ExamUnitRow) => a.ratio - b.ratio },
        { title: rankTitle, dataIndex: 'rank', align: 'right' as const, sorter: (a: ExamUnitRow, b: ExamUnitRow) => a.rank - b.rank },
        ...(kind !== 'school' ? [{ title: t('exams.rankInSchool'), dataIndex: 'rankInSchool', align: 'right' as const, render: (v: number) => (v > 0 ? v : '—') }] : []),
        { title: <span title={t('exams.ppHint')}>{t('exams.vsPrevious')}</span>, dataIndex: 'pointsVsPrevious', align: 'right' as const, render: (v: number | null) => <PointsChange value={v} /> },
        { title: <span title={t('exams.ppHint')}>{t('exams.vsBaseline')}</span>, dataIndex: 'pointsVsBaseline', align: 'right' as const, render: (v: number | null) => <PointsChange value={v} /> },
        { title: t('exams.mean'), dataIndex: 'mean', align: 'right' as const, render: (v: number | null) => num(v, 1) },
        { title: t('exams.passRate'), dataIndex: 'passRate', align: 'right' as const, render: (v: number | null) => pct(v) },
        { title: t('exams.excellenceRate'), dataIndex: 'excellenceRate', align: 'right' as const, render: (v: number | null) => pct(v) },
        { title: t('exams.composite'), dataIndex: 'composite', align: 'right' as const, render: (v: number | null) => num(v, 1) },
        // a level without targets (teachers, usually) does not show an empty column
        ...(rows.some((r) => r.targetStatus !== null) ? [{ title: t('exams.targetLabel'), dataIndex: 'targetStatus', render: (_: unknown, r: ExamUnitRow) => <TargetTag status={r.targetStatus} note={r.targetNote} /> }] : []),
      ]}
      renderCard={(r) => (
        <Flex vertical gap={6}>
          <Flex justify="space-between" align="center" gap={8}>
            <span style={{ fontWeight: 500, minWidth: 0 }}>{name(r)}{kind === 'class' && !bySubject && r.headTeacher ? <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 6 }}>{r.headTeacher}</Typography.Text> : null}{kind === 'teacher' && !bySubject ? <Tag style={{ marginInlineStart: 6 }}>{r.subject}</Tag> : null}</span>
            {r.targetStatus !== null && <TargetTag status={r.targetStatus} note={r.targetNote} />}
          </Flex>
          <Flex justify="space-between" gap={8}>
            <CardField label={t('exams.ratio')}><b>{pct(r.ratio)}</b></CardField>
            <CardField label={t('exams.bottomOfEnrolled')}>{r.bottom}/{r.enrolled}</CardField>
            <CardField label={rankTitle}>{r.rank}</CardField>
            <CardField label={t('exams.vsPrevious')}><PointsChange value={r.pointsVsPrevious} /></CardField>
            <CardField label={t('exams.vsBaseline')}><PointsChange value={r.pointsVsBaseline} /></CardField>
          </Flex>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('exams.mean')} {num(r.mean, 1)} · {t('exams.passRate')} {pct(r.passRate)} · {t('exams.excellenceRate')} {pct(r.excellenceRate)} · {t('exams.composite')} {num(r.composite, 1)}
          </Typography.Text>
        </Flex>
      )}
    />
  );
}
