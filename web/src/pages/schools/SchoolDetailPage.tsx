import { Card, Collapse, Descriptions, Empty, Flex, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import type { SchoolClass, SchoolDetail } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { useIsMobile } from '../../components/useIsMobile';
import { useI18n } from '../../i18n/I18nProvider';
import { useLabel } from '../../i18n/useLabel';

export default function SchoolDetailPage() {
  const { id } = useParams();
  const { t } = useI18n();
  const label = useLabel();
  const isMobile = useIsMobile();
  const query = useQuery({ queryKey: ['school', id], queryFn: () => api.get<SchoolDetail>(`/api/schools/${id}`) });

  return (
    <QueryState query={query}>
      {(s) => {
        const byGrade = new Map<number, SchoolClass[]>();
        for (const c of [...(s.classes ?? [])].sort((a, b) => a.grade - b.grade || a.classNo - b.classNo)) {
          byGrade.set(c.grade, [...(byGrade.get(c.grade) ?? []), c]);
        }
        return (
          <>
            <PageHeader back title={s.name} subTitle={<span className="mono">{s.code}</span>} />
            <Card style={{ marginBottom: 16 }}>
              <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
                <Descriptions.Item label={t('schools.kind')}>{label('schoolKind', s.kind)}</Descriptions.Item>
                <Descriptions.Item label={t('schools.locationType')}>{label('locationType', s.locationType)}</Descriptions.Item>
                <Descriptions.Item label={t('schools.town')}>{s.town ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('schools.flags')}>{(s.flags ?? []).length ? s.flags.map((f) => <Tag key={f}>{label('schoolFlag', f)}</Tag>) : '—'}</Descriptions.Item>
                <Descriptions.Item label={t('schools.classCount')}>{s.classCount}</Descriptions.Item>
                <Descriptions.Item label={t('schools.teacherCount')}>
                  <Link to={`/teachers?schoolId=${s.id}`}>{s.teacherCount}</Link>
                </Descriptions.Item>
                <Descriptions.Item label={t('schools.studentCount')}>
                  <Link to={`/students?schoolId=${s.id}`}>{s.studentCount}</Link>
                </Descriptions.Item>
              </Descriptions>
            </Card>
            <Card title={t('schools.classes')}>
              {byGrade.size === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> : (
                <Collapse
                  defaultActiveKey={isMobile ? [] : [...byGrade.keys()].map(String)}
                  items={[...byGrade.entries()].map(([grade, classes]) => ({
                    key: String(grade),
                    label: (
                      <Flex justify="space-between">
                        <span>{label('grade', grade)}</span>
                        <Typography.Text type="secondary">
                          {t('schools.gradeSummary', { classes: classes.length, students: classes.reduce((n, c) => n + c.studentCount, 0) })}
                        </Typography.Text>
                      </Flex>
                    ),
                    children: (
                      <Table<SchoolClass>
                        size="small"
                        rowKey="id"
                        pagination={false}
                        dataSource={classes}
                        scroll={{ x: 'max-content' }}
                        columns={[
                          { title: t('schools.className'), dataIndex: 'name', render: (v: string, c) => <Link to={`/students?schoolId=${s.id}&classId=${c.id}`}>{v}</Link> },
                          { title: t('schools.headTeacher'), dataIndex: 'headTeacher', render: (h: SchoolClass['headTeacher']) => (h ? <Link to={`/teachers/${h.id}`}>{h.name}</Link> : '—') },
                          { title: t('schools.studentCount'), dataIndex: 'studentCount', align: 'right' },
                        ]}
                      />
                    ),
                  }))}
                />
              )}
            </Card>
          </>
        );
      }}
    </QueryState>
  );
}
