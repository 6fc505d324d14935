// One school in one exam: its figures, its classes and subject teachers (per subject), and
// its trend across exams as lines (ratio and rank; the school and each class).
import { useState } from 'react';
import { Alert, Card, Col, Empty, Flex, Row, Segmented, Statistic, Typography } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { useCurrentUser } from '../../api/session';
import { ROLE_INFO } from '@shared/roles';
import type { Exam, ExamTrend, ExamUnits } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { ErrorResult, PageSpinner } from '../../components/QueryState';
import { useIsMobile } from '../../components/useIsMobile';
import { useI18n } from '../../i18n/I18nProvider';
import { UnitTable } from './UnitTable';
import {
  ChartSlot, CutValue, PointsChange, SubjectTabs, TOTAL, TargetTag, TrendChart, pct, subjectOrder, useExam, useExamSettings, useExamSubjects,
  useGradeName, useSubjectParam, useTermLabel,
} from './shared';

const startYear = (schoolYear: string) => Number(schoolYear.slice(0, 4));

export default function ExamSchoolPage() {
  const { id, code } = useParams();
  const { t } = useI18n();
  // head teachers and subject teachers see their own classes' and their own rows only (scope.ts examUnits)
  const ownRowsOnly = ['classes', 'own_students'].includes(ROLE_INFO[useCurrentUser().role]?.scope ?? '');
  const exam = useExam(id);
  const subjects = useExamSubjects(id);
  const [subject, setSubject] = useSubjectParam();
  const q = (level: 'school' | 'class' | 'teacher', sub?: string) => ({
    queryKey: ['exams', id, 'units', level, sub ?? '*', code],
    queryFn: () => api.get<ExamUnits>(`/api/exams/${id}/analysis/units`, { level, subject: sub, schoolCode: code }),
    placeholderData: keepPreviousData,
  });
  const school = useQuery(q('school', subject));
  const classes = useQuery(q('class', subject));
  // 总分 has no teacher of its own: show every subject's teachers then
  const teachers = useQuery(q('teacher', subject === TOTAL ? undefined : subject));

  if (exam.isLoading || subjects.isLoading) return <PageSpinner />;
  if (exam.error || !exam.data) return <ErrorResult error={exam.error} retry={() => exam.refetch()} />;
  if (subjects.error || !subjects.data) return <ErrorResult error={subjects.error} retry={() => subjects.refetch()} />;
  const e = exam.data;
  const row = school.data?.items.find((r) => r.subject === subject);
  const name = row?.unitName ?? classes.data?.items[0]?.schoolName ?? code;
  const cut = school.data?.cuts.find((c) => c.subject === subject)?.cut;

  return (
    <>
      <PageHeader back title={<span data-testid="exam-school-title">{name}</span>} />
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}><Link to={`/exams/${e.id}`}>{e.name}</Link></Typography.Paragraph>
      <SubjectTabs subjects={subjectOrder(subjects.data.subjects)} value={subject} onChange={setSubject} />
      {school.error ? <ErrorResult error={school.error} retry={() => school.refetch()} /> : row ? (
        <Row gutter={[8, 8]}>
          {[
            { key: 'ratio', title: t('exams.ratio'), value: pct(row.ratio) },
            { key: 'bottom', title: t('exams.bottomOfEnrolled'), value: `${row.bottom}/${row.enrolled}` },
            { key: 'rank', title: t('exams.rank'), value: row.rank },
            { key: 'prev', title: t('exams.vsPrevious'), value: <PointsChange value={row.pointsVsPrevious} /> },
            { key: 'base', title: t('exams.vsBaseline'), value: <PointsChange value={row.pointsVsBaseline} /> },
            { key: 'cut', title: t('exams.countyCut'), value: <CutValue cut={cut} /> },
            { key: 'target', title: t('exams.targetLabel'), value: <TargetTag status={row.targetStatus} note={row.targetNote} /> },
          ].map((i) => (
            <Col xs={12} sm={8} lg={3} key={i.key} flex="auto">
              <Card size="small" styles={{ body: { padding: 10 } }}>
                <Statistic title={i.title} valueRender={() => <span data-testid={`school-stat-${i.key}`}>{i.value}</span>} valueStyle={{ fontSize: 18 }} />
              </Card>
            </Col>
          ))}
        </Row>
      ) : !school.isFetching && <Empty description={t('exams.school.noRow')} />}

      {ownRowsOnly && <Alert type="info" showIcon style={{ marginTop: 16 }} message={t('exams.school.ownOnly')} data-testid="exam-own-rows-only" />}
      <Card title={t('exams.school.classes')} style={{ marginTop: 16 }} size="small">
        {classes.error ? <ErrorResult error={classes.error} retry={() => classes.refetch()} /> : (
          <UnitTable
            rows={(classes.data?.items ?? []).filter((r) => r.subject === subject).sort((a, b) => a.unitName.localeCompare(b.unitName, 'zh'))}
            loading={classes.isFetching}
            kind="class"
            href={(r) => (r.classId ? `/exams/${e.id}/classes/${r.classId}` : undefined)}
            testId="exam-class-row"
          />
        )}
      </Card>
      <Card title={t('exams.school.teachers')} style={{ marginTop: 16 }} size="small">
        {teachers.error ? <ErrorResult error={teachers.error} retry={() => teachers.refetch()} /> : (
          <UnitTable
            rows={[...(teachers.data?.items ?? [])].sort((a, b) => subjectIndex(subjects.data.subjects, a.subject) - subjectIndex(subjects.data.subjects, b.subject) || a.rank - b.rank)}
            loading={teachers.isFetching}
            kind="teacher"
            testId="exam-teacher-row"
          />
        )}
      </Card>
      {code && <SchoolTrend exam={e} code={code} subject={subject} />}
    </>
  );
}

function subjectIndex(stats: { subject: string; ord: number }[], subject: string) {
  return stats.find((s) => s.subject === subject)?.ord ?? 99;
}

/** Ratio and rank across exams: the same students (cohort) or every exam of this grade. */
function SchoolTrend({ exam, code, subject }: { exam: Exam; code: string; subject: string }) {
  const { t } = useI18n();
  const isMobile = useIsMobile();
  const termLabel = useTermLabel();
  const gradeName = useGradeName();
  const settings = useExamSettings();
  const [mode, setMode] = useState<'cohort' | 'grade'>('cohort');
  const [measure, setMeasure] = useState<'ratio' | 'rank'>('ratio');
  const trend = useQuery({
    queryKey: ['exams', exam.id, 'trend', code, subject, mode],
    // exams comparable with this one only (county with county, the same school's or pairing's own)
    queryFn: () => api.get<ExamTrend>(`/api/schools/${code}/exam-trend`, { subject, grade: mode === 'grade' ? exam.grade : undefined, comparableTo: exam.id }),
    placeholderData: keepPreviousData,
  });
  const cohort = startYear(exam.schoolYear) - exam.grade;
  const keep = (p: { schoolYear: string; grade: number }) => mode === 'grade' || startYear(p.schoolYear) - p.grade === cohort;

  let body;
  if (trend.error) body = <ErrorResult error={trend.error} retry={() => trend.refetch()} />;
  else if (!trend.data) body = <div style={{ height: 280 }} />;
  else {
    const points = trend.data.school.filter(keep);
    const ids = points.map((p) => p.examId);
    const label = (p: (typeof points)[number]) => `${p.schoolYear.slice(2, 4)}-${p.schoolYear.slice(7, 9)} ${termLabel(p.term)}\n${gradeName(p.grade)}${p.examDate ? ` ${p.examDate.slice(5)}` : ''}`;
    const value = (p: { ratio: number; rank: number } | undefined) => (p ? (measure === 'ratio' ? p.ratio : p.rank) : null);
    const series = [
      { name: `${trend.data.schoolName}`, data: points.map((p) => value(p)), emphasis: true },
      ...trend.data.classes
        .map((c) => ({ name: c.name, data: ids.map((eid) => value(c.points.find((p) => p.examId === eid))) }))
        .filter((s) => s.data.some((v) => v !== null)),
    ];
    body = points.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('exams.trend.none')} /> : (
      <>
        <ChartSlot height={320}>
          <TrendChart
            kind={measure}
            categories={points.map(label)}
            titles={points.map((p) => p.examName)}
            series={series}
            height={320}
            narrow={isMobile}
            line={measure === 'ratio' ? { value: settings.data?.analysisOptions.bottomFraction ?? 0.2, label: pct(settings.data?.analysisOptions.bottomFraction ?? 0.2, 0) } : undefined}
          />
        </ChartSlot>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }}>
          {measure === 'rank' ? t('exams.trend.rankNote') : t('exams.trend.ratioNote')}
          {points.length === 1 ? ` ${t('exams.trend.onlyOne')}` : ''}
        </Typography.Paragraph>
      </>
    );
  }

  return (
    <Card
      title={t('exams.trend.title', { subject })}
      style={{ marginTop: 16 }}
      size="small"
      data-testid="exam-trend"
      extra={!isMobile && <TrendControls mode={mode} setMode={setMode} measure={measure} setMeasure={setMeasure} />}
    >
      {isMobile && <div style={{ marginBottom: 8 }}><TrendControls mode={mode} setMode={setMode} measure={measure} setMeasure={setMeasure} /></div>}
      {body}
    </Card>
  );
}

function TrendControls({ mode, setMode, measure, setMeasure }: {
  mode: 'cohort' | 'grade'; setMode: (m: 'cohort' | 'grade') => void; measure: 'ratio' | 'rank'; setMeasure: (m: 'ratio' | 'rank') => void;
}) {
  const { t } = useI18n();
  return (
    <Flex wrap gap={8}>
      <Segmented size="small" value={measure} onChange={(v) => setMeasure(v as 'ratio' | 'rank')}
        options={[{ value: 'ratio', label: t('exams.ratio') }, { value: 'rank', label: t('exams.rank') }]} />
      <Segmented size="small" value={mode} onChange={(v) => setMode(v as 'cohort' | 'grade')}
        options={[{ value: 'cohort', label: t('exams.trend.cohort') }, { value: 'grade', label: t('exams.trend.grade') }]} />
    </Flex>
  );
}
