// 班级帮扶 for a head teacher (and the school's office, any class): the class's support cases, who
// has a responsible teacher and who does not, whose teacher is behind on the quotas, and the class's
// 后20% candidates of the latest analysed county exam that are not cases yet — those still to be
// decided (on the exam's class page) and the confirmed ones, which "生成帮扶对象" turns into cases
// (POST /api/support/cases/from-exam: every confirmed candidate of that exam the caller may edit).
import { useMemo } from 'react';
import { Alert, Button, Card, Empty, Flex, List, Select, Tag, Typography, message } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, Navigate, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { SUPPORT_EDITOR_ROLES } from '@shared/roles';
import { OPEN_CONFIRMED_STATUSES } from '@modules/support/support.schemas';
import { api } from '../../api/client';
import { useCurrentUser } from '../../api/session';
import type { ExamCandidates, Paged, SchoolDetail, Standings, SupportCase } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { ErrorResult, PageSpinner } from '../../components/QueryState';
import { useI18n } from '../../i18n/I18nProvider';
import { useLabel } from '../../i18n/useLabel';
import { ReasonTags } from '../exams/ExamClassPage';
import { PROGRAMME, StandingTag } from './shared';
import { useSupportLinks } from './SupportLinks';

interface ExamBrief { id: string; name: string; grade: number; schoolYear: string; status: string; examDate: string | null; createdAt: string }
const SCHOOL_WIDE = ['principal', 'academic_office', 'counsellor', 'bureau_admin', 'bureau_staff', 'inspector'];

export default function ClassSupportPage() {
  const me = useCurrentUser();
  const { t } = useI18n();
  const navigate = useNavigate();
  const { classId: param } = useParams();
  const [params] = useSearchParams();
  const schoolId = Number(params.get('schoolId')) || me.school?.id;
  const links = useSupportLinks();
  const school = useQuery({
    queryKey: ['schools', schoolId],
    queryFn: () => api.get<SchoolDetail>(`/api/schools/${schoolId}`),
    enabled: !!schoolId,
  });
  const classes = useMemo(() => {
    const all = school.data?.classes ?? [];
    return SCHOOL_WIDE.includes(me.role) ? all : all.filter((c) => c.headTeacher?.id === me.teacherId);
  }, [school.data, me]);

  if (!schoolId) return <Empty description={t('support.assign.pickSchool')} />;
  if (school.isLoading) return <PageSpinner />;
  if (school.error || !school.data) return <ErrorResult error={school.error} retry={() => school.refetch()} />;
  const current = classes.find((c) => String(c.id) === param);
  if (!param && classes.length === 1) return <Navigate to={`/support/class/${classes[0]!.id}`} replace />;

  const picker = classes.length > 1 && (
    <Select
      key="class"
      value={current?.id}
      placeholder={t('support.class.pick')}
      style={{ minWidth: 160 }}
      onChange={(v) => navigate(`/support/class/${v}${params.get('schoolId') ? `?schoolId=${schoolId}` : ''}`)}
      options={classes.map((c) => ({ value: c.id, label: c.name }))}
      data-testid="support-class-pick"
    />
  );
  return (
    <>
      <PageHeader title={<span data-testid="support-class-title">{current ? current.name : t('support.class.title')}</span>} subTitle={school.data.name} extra={[...links, ...(picker ? [picker] : [])]} />
      {classes.length === 0 ? <Empty description={t('support.class.none')} /> : !current ? (
        param ? <ErrorResult error={new Error(t('support.class.notYours'))} /> : <Empty description={t('support.class.pick')} />
      ) : (
        <ClassView classId={current.id} grade={current.grade} schoolId={schoolId} schoolYear={school.data.schoolYear} />
      )}
    </>
  );
}

function ClassView({ classId, grade, schoolId, schoolYear }: { classId: number; grade: number; schoolId: number; schoolYear: string }) {
  const { t } = useI18n();
  const label = useLabel();
  const cases = useQuery({
    queryKey: ['support', 'class-cases', classId],
    queryFn: () => api.get<Paged<SupportCase>>('/api/support/cases', { classId, schoolYear, pageSize: 200 }),
  });
  const standings = useQuery({
    queryKey: ['support', 'standings', 'school', schoolId],
    queryFn: () => api.get<Standings>('/api/pairings/standings', { groupBy: 'pairing', programme: PROGRAMME, schoolId }),
  });
  const worst = new Map((standings.data?.groups ?? []).map((g) => [g.key, g.worstCurrent ?? g.worst]));
  const standingOf = (c: SupportCase) => {
    const statuses = c.teachers.map((x) => worst.get(String(x.pairingId))).filter(Boolean) as string[];
    return statuses.find((s) => s === 'short' || s === 'missed') ?? statuses.find((s) => s === 'behind') ?? statuses[0] ?? null;
  };
  if (cases.isLoading) return <PageSpinner />;
  if (cases.error || !cases.data) return <ErrorResult error={cases.error} retry={() => cases.refetch()} />;
  const list = cases.data.items;
  const open = list.filter((c) => c.status !== 'closed');
  const listed = open.filter((c) => OPEN_CONFIRMED_STATUSES.includes(c.status));
  const without = listed.filter((c) => c.teachers.length === 0);
  const behind = open.filter((c) => ['behind', 'short', 'missed'].includes(standingOf(c) ?? ''));

  return (
    <>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Flex wrap gap={8} data-testid="support-class-summary">
          <Tag color="blue">{t('support.class.cases', { n: open.length })}</Tag>
          <Tag color="green">{t('support.class.withTeacher', { n: listed.length - without.length })}</Tag>
          <Tag color={without.length ? 'red' : 'default'} data-testid="support-class-without">{t('support.class.without', { n: without.length })}</Tag>
          <Tag color={behind.length ? 'orange' : 'default'}>{t('support.class.behind', { n: behind.length })}</Tag>
        </Flex>
      </Card>
      <Card size="small" title={t('support.school.cases')} style={{ marginBottom: 12 }}>
        <List
          size="small"
          dataSource={list}
          data-testid="support-class-cases"
          locale={{ emptyText: t('support.class.noCases') }}
          renderItem={(c) => (
            <List.Item data-testid="support-class-case" data-case={c.id} data-student={c.studentId}>
              <Flex vertical gap={2} style={{ width: '100%' }}>
                <Flex wrap justify="space-between" gap={8}>
                  <Link to={`/support/cases/${c.id}`} style={{ fontSize: 16 }}>{c.studentName}</Link>
                  <Flex gap={4} align="center">
                    <Tag style={{ marginInlineEnd: 0 }}>{label('caseStatus', c.status, c.statusLabel)}</Tag>
                    {c.teachers.length > 0 && <StandingTag status={standingOf(c)} />}
                  </Flex>
                </Flex>
                <Flex wrap gap={2}>{c.categories.map((k, i) => <Tag key={k} bordered={false}>{label('supportCategory', k, c.categoryLabels[i])}</Tag>)}</Flex>
                {c.teachers.length
                  ? <Typography.Text type="secondary">{t('support.case.teachers')}：{c.teachers.map((x) => x.name).join('、')}</Typography.Text>
                  : OPEN_CONFIRMED_STATUSES.includes(c.status) ? <Typography.Text type="danger" data-testid="support-class-case-noteacher">{t('support.case.noTeacher')}</Typography.Text> : null}
              </Flex>
            </List.Item>
          )}
        />
      </Card>
      <ExamCandidatesCard classId={classId} grade={grade} schoolYear={schoolYear} cases={list} />
    </>
  );
}

/** The class's candidates of the latest analysed county exam of its grade that are not cases yet. */
function ExamCandidatesCard({ classId, grade, schoolYear, cases }: { classId: number; grade: number; schoolYear: string; cases: SupportCase[] }) {
  const me = useCurrentUser();
  const { t } = useI18n();
  const qc = useQueryClient();
  const exams = useQuery({
    queryKey: ['exams', 'list', grade, schoolYear],
    queryFn: () => api.get<Paged<ExamBrief>>('/api/exams', { grade, schoolYear, pageSize: 50 }),
  });
  const exam = (exams.data?.items ?? []).filter((e) => e.status === 'analysed')
    .sort((a, b) => (b.examDate ?? b.createdAt).localeCompare(a.examDate ?? a.createdAt))[0];
  const candidates = useQuery({
    queryKey: ['exams', exam?.id, 'candidates', String(classId)],
    queryFn: () => api.get<ExamCandidates>(`/api/exams/${exam!.id}/candidates`, { classId, pageSize: 200 }),
    enabled: !!exam,
  });
  const make = useMutation({
    mutationFn: () => api.post<{ created: number; updated: number; unchanged: number }>('/api/support/cases/from-exam', { examId: exam!.id }),
    onSuccess: async (r) => {
      void message.success(<span data-testid="support-class-made">{t('support.class.made', r)}</span>);
      await qc.invalidateQueries({ queryKey: ['support'] });
    },
    onError: (e) => void message.error((e as Error).message),
  });
  if (exams.isLoading) return <PageSpinner />;
  if (!exam) return <Card size="small" title={t('support.class.candidates')}><Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('support.class.noExam')} /></Card>;
  const withCase = new Set(cases.map((c) => c.studentId));
  const items = (candidates.data?.items ?? []).filter((c) => !withCase.has(c.studentId) && c.status !== 'removed');
  const proposed = items.filter((c) => c.status === 'proposed');
  const confirmed = items.filter((c) => c.status === 'confirmed');
  const canMake = SUPPORT_EDITOR_ROLES.includes(me.role) && !me.readOnly;
  const examLink = `/exams/${exam.id}/classes/${classId}`;
  return (
    <Card
      size="small"
      title={t('support.class.candidates')}
      extra={<Link to={examLink} data-testid="support-class-exam-link">{t('support.class.toExam')}</Link>}
      data-testid="support-class-candidates"
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('support.class.candidatesNote', { exam: exam.name })}</Typography.Paragraph>
      {candidates.error ? <ErrorResult error={candidates.error} retry={() => candidates.refetch()} /> : (
        <>
          <Typography.Text strong>{t('support.class.confirmedNoCase', { n: confirmed.length })}</Typography.Text>
          <List
            size="small"
            dataSource={confirmed}
            loading={candidates.isFetching}
            locale={{ emptyText: t('support.class.noneConfirmed') }}
            renderItem={(c) => (
              <List.Item data-testid="support-class-candidate" data-student={c.studentId} data-status={c.status}>
                <Flex wrap justify="space-between" gap={8} style={{ width: '100%' }}><span>{c.studentName}</span><ReasonTags c={c} /></Flex>
              </List.Item>
            )}
          />
          {confirmed.length > 0 && canMake && (
            <Button type="primary" size="large" block style={{ margin: '8px 0 16px' }} loading={make.isPending} onClick={() => make.mutate()} data-testid="support-class-make">
              {t('support.class.make', { n: confirmed.length })}
            </Button>
          )}
          {proposed.length > 0 && (
            <Alert
              type="info"
              showIcon
              style={{ marginTop: 8 }}
              data-testid="support-class-proposed"
              message={t('support.class.proposed', { n: proposed.length })}
              description={<>{proposed.map((c) => c.studentName).join('、')} · <Link to={examLink}>{t('support.class.decide')}</Link></>}
            />
          )}
        </>
      )}
    </Card>
  );
}
