// 资助汇总: per school and aid item, the students aided, the grants and the amount this school year
// (GET /api/support/aid/summary — aggregates only). On 全县帮扶 (all schools) and 学校帮扶 (one school);
// hidden for roles the API refuses.
import { Card, Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { AidSummaryView } from '@modules/support/aid/aid.schemas';
import { formatFen } from '@modules/support/aid/money';
import { ApiError, api } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';

type Row = AidSummaryView['rows'][number];

export function AidSummaryCard({ schoolId }: { schoolId?: number }) {
  const { t } = useI18n();
  const q = useQuery({
    queryKey: ['support', 'aid-summary', schoolId ?? 'all'],
    queryFn: () => api.get<AidSummaryView>('/api/support/aid/summary', { schoolId }, { redirectOnAuth: false }),
    retry: false,
  });
  if (q.error instanceof ApiError && q.error.status === 403) return null;
  const d = q.data;
  return (
    <Card size="small" title={`${t('support.aid.summary')}${d ? ` · ${d.schoolYear}` : ''}`} style={{ marginTop: 12 }} loading={q.isLoading} data-testid="support-aid-summary">
      {q.error ? <Typography.Text type="danger">{(q.error as Error).message}</Typography.Text> : d && (
        <>
          <Typography.Paragraph data-testid="support-aid-summary-total">{t('support.aid.summaryAll', { students: d.students, total: formatFen(d.totalFen) })}</Typography.Paragraph>
          <Table<Row>
            size="small"
            rowKey={(r) => `${r.schoolId}:${r.itemKey}`}
            scroll={{ x: 'max-content' }}
            pagination={{ pageSize: 30, hideOnSinglePage: true }}
            dataSource={d.rows}
            columns={[
              ...(schoolId ? [] : [{ title: t('support.bureau.school'), dataIndex: 'schoolName' as const }]),
              { title: t('support.aid.item'), dataIndex: 'itemLabel' },
              { title: t('support.aid.summaryStudents'), dataIndex: 'students', align: 'right' },
              { title: t('support.aid.summaryGrants'), dataIndex: 'grants', align: 'right' },
              { title: t('support.aid.summaryTotal'), dataIndex: 'totalFen', align: 'right', render: (v: number) => formatFen(v) },
            ]}
          />
        </>
      )}
    </Card>
  );
}
