// 我的帮扶: a teacher's caseload (their teacher–student pairings), the quota standing per student,
// and what is due in the next seven days. One big "记录" button per student: the phone form.
import { Alert, Button, Card, Empty, Flex, List, Tag, Typography } from 'antd';
import { EditOutlined, PrinterOutlined } from '@ant-design/icons';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { useCurrentUser } from '../../api/session';
import { PageHeader } from '../../components/PageHeader';
import { ErrorResult, PageSpinner } from '../../components/QueryState';
import { useIsMobile } from '../../components/useIsMobile';
import { useI18n } from '../../i18n/I18nProvider';
import { useLabel } from '../../i18n/useLabel';
import { useSupportLinks } from './SupportLinks';
import { StandingTag, caseIdOf, studentOf, useDue, useMyCases, useMyPairings, useMyStandings } from './shared';

const SCHOOL_ROLES = ['principal', 'academic_office'];
const BUREAU_ROLES = ['bureau_admin', 'bureau_staff', 'inspector'];

/** /support lands on each role's own screen; /support/mine is always the caseload. */
export default function MyStudentsPage() {
  const me = useCurrentUser();
  const { pathname } = useLocation();
  if (pathname !== '/support/mine') {
    if (SCHOOL_ROLES.includes(me.role)) return <Navigate to="/support/school" replace />;
    if (BUREAU_ROLES.includes(me.role)) return <Navigate to="/support/bureau" replace />;
  }
  return <Caseload />;
}

function Caseload() {
  const me = useCurrentUser();
  const { t } = useI18n();
  const label = useLabel();
  const isMobile = useIsMobile();
  const navigate = useNavigate();
  const pairings = useMyPairings();
  const standings = useMyStandings(me.teacherId);
  const due = useDue(7);
  const cases = useMyCases();
  const extra = useSupportLinks();

  if (pairings.isLoading) return <PageSpinner />;
  if (pairings.error || !pairings.data) return <ErrorResult error={pairings.error} retry={() => pairings.refetch()} />;
  const list = pairings.data;
  const worst = new Map((standings.data?.groups ?? []).map((g) => [g.key, g.worstCurrent ?? g.worst]));
  const dueItems = (due.data?.items ?? []).filter((i) => i.needed > 0);
  const nameOf = (pairingId: number) => {
    const p = list.find((x) => x.id === pairingId);
    return p ? studentOf(p)?.name ?? '' : '';
  };


  return (
    <>
      <PageHeader
        title={t('support.my.title')}
        subTitle={t('support.my.count', { n: list.length })}
        extra={[
          ...extra,
          me.teacherId != null ? (
            <Button key="print" icon={<PrinterOutlined />} href={`/api/support/teachers/${me.teacherId}/handbook.pdf`} target="_blank" title={t('support.print.hint')} data-testid="support-handbook-print">
              {t('support.print.handbook')}
            </Button>
          ) : null,
        ]}
      />
      {list.length === 0 ? (
        <Empty description={t('support.my.empty')} />
      ) : (
        <List
          data-testid="support-caseload"
          grid={isMobile ? { column: 1 } : { gutter: 12, column: 2 }}
          dataSource={list}
          renderItem={(p) => {
            const s = studentOf(p);
            const c = cases.data?.find((x) => x.studentId === s?.personId);
            const caseId = caseIdOf(p, cases.data);
            return (
              <List.Item style={{ marginBottom: 12 }}>
                <Card size="small" data-testid="support-student" data-pairing={p.id}>
                  <Flex justify="space-between" align="center" gap={8}>
                    <Flex vertical style={{ minWidth: 0 }}>
                      <Typography.Text strong style={{ fontSize: 16 }}>
                        {caseId ? <Link to={`/support/cases/${caseId}`}>{s?.name}</Link> : s?.name}
                      </Typography.Text>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {c?.className ?? s?.schoolName ?? ''} · {label('pairingStatus', p.status, p.statusLabel)}
                      </Typography.Text>
                      <Flex wrap gap={4} style={{ marginTop: 4 }}>
                        {c?.categories.map((k, i) => <Tag key={k}>{label('supportCategory', k, c.categoryLabels[i])}</Tag>)}
                        <StandingTag status={worst.get(String(p.id))} testId="support-student-standing" />
                      </Flex>
                    </Flex>
                    <Button
                      type="primary"
                      size="large"
                      icon={<EditOutlined />}
                      style={{ minHeight: 48, minWidth: 88 }}
                      data-testid="support-record-open"
                      disabled={p.status !== 'active'}
                      onClick={() => navigate(`/support/record?pairing=${p.id}`)}
                    >
                      {t('support.record.action')}
                    </Button>
                  </Flex>
                </Card>
              </List.Item>
            );
          }}
        />
      )}
      <Card size="small" title={t('support.my.due')} style={{ marginTop: 8 }} data-testid="support-due">
        {due.error ? <Alert type="warning" message={(due.error as Error).message} /> : dueItems.length === 0 ? (
          <Typography.Text type="secondary">{t('support.my.nothingDue')}</Typography.Text>
        ) : (
          <List
            size="small"
            dataSource={dueItems}
            renderItem={(i) => (
              <List.Item data-testid="support-due-item">
                <Flex wrap justify="space-between" gap={8} style={{ width: '100%' }}>
                  <span><Typography.Text strong>{nameOf(i.pairingId)}</Typography.Text> {i.label}</span>
                  <span>
                    {t('support.my.needed', { n: i.needed, done: i.done, required: i.required })}
                    {i.dueBy && <Typography.Text type="secondary"> · {t('support.my.dueBy', { date: i.dueBy })}</Typography.Text>}{' '}
                    <StandingTag status={i.status} />
                  </span>
                </Flex>
              </List.Item>
            )}
          />
        )}
      </Card>
    </>
  );
}
