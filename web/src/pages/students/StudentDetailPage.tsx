import { useState } from 'react';
import { Button, Card, Descriptions, Empty, Flex, List, Table, Tag, Tooltip, Typography, message } from 'antd';
import { EyeOutlined, LockOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { REVEAL_ROLES } from '@shared/roles';
import { api } from '../../api/client';
import { hasRole, useCurrentUser } from '../../api/session';
import type { FamilyFlagEntry, RevealResponse, StudentDetail } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { RevealModal } from '../../components/RevealModal';
import { useI18n } from '../../i18n/I18nProvider';
import { useLabel } from '../../i18n/useLabel';

type Field = 'idNumber' | 'familyFlags';

export default function StudentDetailPage() {
  const { id } = useParams();
  // keyed by id: going from one student straight to another must not carry a revealed value over
  return <StudentDetailView key={id} id={id!} />;
}

function StudentDetailView({ id }: { id: string }) {
  const { t } = useI18n();
  const label = useLabel();
  const me = useCurrentUser();
  const query = useQuery({ queryKey: ['student', id], queryFn: () => api.get<StudentDetail>(`/api/students/${id}`) });
  // revealed values live only in this page's state: leaving the page masks them again
  const [revealedId, setRevealedId] = useState<string | null>(null);
  // the 学籍号 usually embeds the ID number: it is revealed together with it
  const [revealedNo, setRevealedNo] = useState<string | null>(null);
  const [revealedFlags, setRevealedFlags] = useState<FamilyFlagEntry[] | null>(null);
  const [asking, setAsking] = useState<Field | null>(null);

  const reveal = async (field: Field, reason: string) => {
    const res = await api.post<RevealResponse>(`/api/students/${id}/reveal`, { field, reason });
    if (field === 'idNumber') {
      setRevealedId(res.idNumber ?? '—');
      setRevealedNo(res.studentNo ?? null);
    } else setRevealedFlags(res.familyFlags ?? []);
    setAsking(null);
    void message.success(t('reveal.logged'));
  };

  const fieldLabel = asking === 'idNumber' ? t('common.idNumber') : t('students.familyFlags');

  return (
    <QueryState query={query}>
      {(s) => {
        const canReveal = s.canReveal ?? hasRole(me, REVEAL_ROLES);
        const flags = revealedFlags ?? (s.familyFlagsMasked ? null : s.familyFlags);
        const revealButton = (field: Field) => canReveal
          ? <Button size="small" icon={<EyeOutlined />} onClick={() => setAsking(field)} data-testid={`reveal-${field}`}>{t('reveal.button')}</Button>
          : <Tooltip title={t('reveal.notAllowed')}><LockOutlined style={{ color: '#bfbfbf' }} /></Tooltip>;
        return (
          <>
            <PageHeader back title={s.name} subTitle={`${s.schoolName}${s.className ? ' · ' + s.className : ''}`} extra={<Tag color={s.status === '在读' ? 'green' : 'default'}>{label('studentStatus', s.status)}</Tag>} />
            <Card title={t('students.basic')} style={{ marginBottom: 16 }}>
              <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
                <Descriptions.Item label={t('common.sex')}>{label('sex', s.sex)}</Descriptions.Item>
                <Descriptions.Item label={t('students.birthDate')}>{s.birthDate ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('students.ethnicity')}>{s.ethnicityName ?? s.ethnicity ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('common.idNumber')}>
                  <Flex gap={8} align="center" wrap>
                    <span className="mono" data-testid="student-id-number">{revealedId ?? s.idNumberMasked ?? '—'}</span>
                    {!revealedId && s.idNumberMasked && revealButton('idNumber')}
                  </Flex>
                </Descriptions.Item>
                <Descriptions.Item label={t('students.studentNo')}><span className="mono" data-testid="student-no">{revealedNo ?? s.studentNo ?? '—'}</span></Descriptions.Item>
                <Descriptions.Item label={t('common.school')}><Link to={`/schools/${s.schoolId}`}>{s.schoolName}</Link></Descriptions.Item>
                <Descriptions.Item label={t('students.class')}>{s.className ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('students.address')} span={{ xs: 1, sm: 2, lg: 2 }}>{s.address ?? '—'}</Descriptions.Item>
              </Descriptions>
            </Card>

            <Card title={t('students.familyFlags')} style={{ marginBottom: 16 }} data-testid="family-flags">
              {flags === null ? (
                <Flex gap={12} align="center" wrap>
                  <Typography.Text type="secondary" data-testid="family-flags-masked">{t('reveal.masked')}</Typography.Text>
                  {revealButton('familyFlags')}
                </Flex>
              ) : flags.length === 0 ? (
                <Typography.Text type="secondary">{t('students.noFamilyFlags')}</Typography.Text>
              ) : (
                <List
                  size="small"
                  dataSource={flags}
                  renderItem={(f) => (
                    <List.Item>
                      <Flex vertical gap={2}>
                        <span><Tag color="orange">{label('familyFlag', f.flag, f.label)}</Tag></span>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t('students.flagSource')}：{f.source} · {t('students.flagRecordedOn')}：{f.recordedOn}{f.note ? ` · ${f.note}` : ''}
                        </Typography.Text>
                      </Flex>
                    </List.Item>
                  )}
                />
              )}
            </Card>

            <Card title={t('students.guardians')} style={{ marginBottom: 16 }}>
              {(s.guardians ?? []).length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> : (
                <Table
                  size="small"
                  rowKey={(g) => `${g.name}-${g.phone ?? ''}`}
                  pagination={false}
                  dataSource={s.guardians}
                  columns={[
                    { title: t('common.name'), dataIndex: 'name' },
                    { title: t('students.relation'), dataIndex: 'relation', render: (v?: string | null) => v ?? '—' },
                    { title: t('common.phone'), dataIndex: 'phone', render: (v?: string | null) => (v ? <a href={`tel:${v}`}>{v}</a> : '—') },
                  ]}
                />
              )}
            </Card>

            <Card title={t('students.enrollments')}>
              {(s.enrollments ?? []).length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> : (
                <Table
                  size="small"
                  rowKey={(e) => `${e.schoolYear}-${e.className}`}
                  pagination={false}
                  dataSource={s.enrollments}
                  scroll={{ x: 'max-content' }}
                  columns={[
                    { title: t('students.schoolYear'), dataIndex: 'schoolYear' },
                    { title: t('common.school'), dataIndex: 'schoolName' },
                    { title: t('students.class'), dataIndex: 'className' },
                  ]}
                />
              )}
            </Card>

            <RevealModal
              open={asking !== null}
              fieldLabel={fieldLabel}
              onCancel={() => setAsking(null)}
              onReveal={(reason) => reveal(asking!, reason)}
            />
          </>
        );
      }}
    </QueryState>
  );
}
