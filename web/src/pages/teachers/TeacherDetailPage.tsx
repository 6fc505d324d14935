import { Card, Descriptions, Empty, Space, Table, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import type { TeacherDetail } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { useI18n } from '../../i18n/I18nProvider';
import { useLabel } from '../../i18n/useLabel';

export default function TeacherDetailPage() {
  const { id } = useParams();
  const { t } = useI18n();
  const label = useLabel();
  const query = useQuery({ queryKey: ['teacher', id], queryFn: () => api.get<TeacherDetail>(`/api/teachers/${id}`) });

  return (
    <QueryState query={query}>
      {(x) => (
        <>
          <PageHeader back title={x.name} subTitle={x.schoolName} />
          <Card style={{ marginBottom: 16 }}>
            <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
              <Descriptions.Item label={t('common.sex')}>{label('sex', x.sex)}</Descriptions.Item>
              <Descriptions.Item label={t('common.school')}><Link to={`/schools/${x.schoolId}`}>{x.schoolName}</Link></Descriptions.Item>
              <Descriptions.Item label={t('teachers.subjects')}>{(x.subjects ?? []).join('、') || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('teachers.teachingGroup')}>{x.teachingGroup ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('teachers.title')}>{x.title ? label('teacherTitle', x.title) : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('teachers.backbone')}>{x.backboneLevel ? label('backboneLevel', x.backboneLevel) : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('teachers.yearsOfService')}>{x.yearsOfService ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('teachers.position')}>
                <Space size={4}>{x.position ?? '—'}{x.isLeader && <Tag color="gold">{t('teachers.leader')}</Tag>}</Space>
              </Descriptions.Item>
              <Descriptions.Item label={t('common.phone')}>{x.phone ? <a href={`tel:${x.phone}`}>{x.phone}</a> : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('common.idNumber')}><span className="mono">{x.idNumberMasked ?? '—'}</span></Descriptions.Item>
            </Descriptions>
          </Card>
          <Card title={t('teachers.classes')}>
            {(x.headOf ?? []).length > 0 && (
              <div style={{ marginBottom: 12 }}>
                {t('teachers.headOf')}：{x.headOf.map((c) => <Link key={c.classId} to={`/students?classId=${c.classId}`} style={{ marginInlineEnd: 8 }}><Tag color="green">{c.className}</Tag></Link>)}
              </div>
            )}
            {(x.classes ?? []).length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> : (
              <Table
                size="small"
                rowKey={(c) => `${c.classId}-${c.subject}`}
                pagination={false}
                dataSource={x.classes}
                columns={[
                  { title: t('schools.className'), dataIndex: 'className', render: (v: string, c) => <Link to={`/students?classId=${c.classId}`}>{v}</Link> },
                  { title: t('teachers.subject'), dataIndex: 'subject' },
                ]}
              />
            )}
          </Card>
        </>
      )}
    </QueryState>
  );
}
