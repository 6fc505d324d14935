// 新学年名单更新 (yearly refresh): the proposed list for a school year — who is new, who stays
// (last year's open case carried over), who left — previewed from GET /api/support/refresh and
// stored with POST (idempotent; last year's case of a continuing student is closed as 'continued').
// The bureau sees every school's changes from the stored lists (GET /api/support/year-changes) and
// opens a school's students; it may preview and apply for one school or the whole county.
import { useState } from 'react';
import { Alert, Button, Card, Empty, Flex, Popconfirm, Select, Table, Tabs, Tag, Typography, message } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router-dom';
import type { z } from 'zod';
import { schoolYearOf } from '@shared/school-year';
import { type refreshPreview, type refreshResult, type SupportCategory, type yearChangesView } from '@modules/support/support.schemas';
import { api } from '../../api/client';
import { useCurrentUser } from '../../api/session';
import { PageHeader } from '../../components/PageHeader';
import { ErrorResult, PageSpinner } from '../../components/QueryState';
import { SchoolSelect } from '../../components/RemoteSelect';
import { useI18n } from '../../i18n/I18nProvider';
import { useLabel } from '../../i18n/useLabel';
import { ResponsiveTable } from '../exams/shared';
import { useSupportLinks } from './SupportLinks';

type Preview = z.infer<typeof refreshPreview>;
type Result = z.infer<typeof refreshResult>;
type YearChanges = z.infer<typeof yearChangesView>;
const MANAGERS = ['bureau_admin', 'bureau_staff', 'principal', 'academic_office'];

const shiftYear = (y: string, n: number) => `${Number(y.slice(0, 4)) + n}-${Number(y.slice(0, 4)) + n + 1}`;
function Categories({ list }: { list: readonly SupportCategory[] }) {
  const label = useLabel();
  return <Flex wrap gap={2}>{list.map((c) => <Tag key={c} style={{ marginInlineEnd: 0 }}>{label('supportCategory', c)}</Tag>)}</Flex>;
}

export default function RefreshPage() {
  const me = useCurrentUser();
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const current = schoolYearOf();
  const schoolYear = params.get('schoolYear') ?? current;
  const bureau = !me.school;
  const links = useSupportLinks();
  const schoolId = bureau ? Number(params.get('schoolId')) || undefined : me.school!.id;
  const set = (k: string, v: string | undefined) => setParams((p) => { if (v) p.set(k, v); else p.delete(k); return p; }, { replace: true });

  return (
    <>
      <PageHeader
        back
        title={t('support.refresh.title')}
        extra={[
          ...links,
          <Select key="y" value={schoolYear} onChange={(v) => set('schoolYear', v)} style={{ width: 130 }} data-testid="support-refresh-year"
            options={[shiftYear(current, -1), current, shiftYear(current, 1)].map((y) => ({ value: y, label: t('support.refresh.year', { year: y }) }))} />,
          ...(bureau ? [<SchoolSelect key="s" value={schoolId} onChange={(v) => set('schoolId', v ? String(v) : undefined)} />] : []),
        ]}
      />
      {bureau && <CountyChanges schoolYear={schoolYear} onOpen={(id) => set('schoolId', String(id))} />}
      {schoolId && <SchoolChanges schoolYear={schoolYear} schoolId={schoolId} />}
      {MANAGERS.includes(me.role) && !me.readOnly && <PreviewCard schoolYear={schoolYear} schoolId={schoolId} />}
    </>
  );
}

/** The bureau's table: per school, new / continuing / left, from the stored lists. */
function CountyChanges({ schoolYear, onOpen }: { schoolYear: string; onOpen: (schoolId: number) => void }) {
  const { t } = useI18n();
  const changes = useQuery({ queryKey: ['support', 'year-changes', schoolYear], queryFn: () => api.get<YearChanges>('/api/support/year-changes', { schoolYear }) });
  if (changes.isLoading) return <PageSpinner />;
  if (changes.error || !changes.data) return <ErrorResult error={changes.error} retry={() => changes.refetch()} />;
  const total = changes.data.schools.reduce((s, r) => ({ new: s.new + r.new, continuing: s.continuing + r.continuing, left: s.left + r.left }), { new: 0, continuing: 0, left: 0 });
  return (
    <Card size="small" style={{ marginBottom: 12 }} title={t('support.refresh.county', { year: schoolYear, previous: changes.data.previousYear })}>
      <Typography.Paragraph data-testid="support-refresh-county-total">{t('support.refresh.counts', total)}</Typography.Paragraph>
      <Table
        size="small"
        rowKey="schoolId"
        scroll={{ x: true }}
        dataSource={changes.data.schools}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        data-testid="support-refresh-county"
        columns={[
          { title: t('support.bureau.school'), dataIndex: 'schoolName', render: (v: string, r) => <Typography.Link onClick={() => onOpen(r.schoolId)}>{v}</Typography.Link> },
          { title: t('support.refresh.new'), dataIndex: 'new', align: 'right', sorter: (a, b) => a.new - b.new },
          { title: t('support.refresh.continuing'), dataIndex: 'continuing', align: 'right' },
          { title: t('support.refresh.left'), dataIndex: 'left', align: 'right', sorter: (a, b) => a.left - b.left },
        ]}
      />
    </Card>
  );
}

/** One school's stored changes: the students who are new, stay and left. */
function SchoolChanges({ schoolYear, schoolId }: { schoolYear: string; schoolId: number }) {
  const { t } = useI18n();
  const changes = useQuery({ queryKey: ['support', 'year-changes', schoolYear, schoolId], queryFn: () => api.get<YearChanges>('/api/support/year-changes', { schoolYear, schoolId }) });
  if (changes.error) return <ErrorResult error={changes.error} retry={() => changes.refetch()} />;
  const s = changes.data?.students;
  const row = changes.data?.schools[0];
  const list = (items: { caseId: number; studentName: string; categories: SupportCategory[]; reason?: string }[]) => (
    <ResponsiveTable
      items={items}
      rowKey={(x) => x.caseId}
      columns={[
        { title: t('support.record.student'), dataIndex: 'studentName', render: (v: string, x) => <Link to={`/support/cases/${x.caseId}`}>{v}</Link> },
        { title: t('support.case.categories'), key: 'c', render: (_: unknown, x) => <Categories list={x.categories} /> },
        ...(items.some((x) => x.reason) ? [{ title: t('support.refresh.reason'), dataIndex: 'reason' }] : []),
      ]}
      renderCard={(x) => (
        <Flex vertical gap={4}>
          <Link to={`/support/cases/${x.caseId}`}>{x.studentName}</Link>
          <Categories list={x.categories} />
          {x.reason && <Typography.Text type="secondary">{x.reason}</Typography.Text>}
        </Flex>
      )}
    />
  );
  return (
    <Card size="small" loading={changes.isLoading} style={{ marginBottom: 12 }} title={t('support.refresh.stored', { school: row?.schoolName ?? '', year: schoolYear })} data-testid="support-refresh-stored">
      {!s || (s.new.length + s.continuing.length + s.left.length === 0) ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('support.refresh.nothingStored')} /> : (
        <Tabs
          items={[
            { key: 'new', label: `${t('support.refresh.new')} ${s.new.length}`, children: list(s.new) },
            { key: 'continuing', label: `${t('support.refresh.continuing')} ${s.continuing.length}`, children: list(s.continuing) },
            { key: 'left', label: `${t('support.refresh.left')} ${s.left.length}`, children: list(s.left) },
          ]}
        />
      )}
    </Card>
  );
}

/** The proposal (nothing stored yet) and the button that stores it. */
function PreviewCard({ schoolYear, schoolId }: { schoolYear: string; schoolId?: number }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [asked, setAsked] = useState(false);
  const preview = useQuery({
    queryKey: ['support', 'refresh-preview', schoolYear, schoolId],
    queryFn: () => api.get<Preview>('/api/support/refresh', { schoolYear, schoolId }),
    enabled: asked,
  });
  const apply = useMutation({
    mutationFn: () => api.post<Result>('/api/support/refresh', { schoolYear, ...(schoolId ? { schoolId } : {}) }),
    onSuccess: async (r) => {
      void message.success(<span data-testid="support-refresh-done">{t('support.refresh.done', r)}</span>);
      await qc.invalidateQueries({ queryKey: ['support'] });
    },
    onError: (e) => void message.error((e as Error).message),
  });
  const p = preview.data;
  const newItems = p?.items.filter((i) => i.change === 'new') ?? [];
  const continuing = p?.items.filter((i) => i.change === 'continuing') ?? [];
  type Item = Preview['items'][number];
  const list = (items: Item[]) => (
    <ResponsiveTable<Item>
      items={items}
      rowKey={(x) => x.studentId}
      rowTestId="support-refresh-item"
      columns={[
        { title: t('support.record.student'), dataIndex: 'studentName', render: (v: string, x) => (x.existingCaseId ? <Link to={`/support/cases/${x.existingCaseId}`}>{v}</Link> : v) },
        { title: t('support.school.class'), dataIndex: 'className' },
        { title: t('support.case.categories'), key: 'c', render: (_: unknown, x) => <Categories list={x.categories} /> },
        { title: t('support.refresh.storedYet'), key: 's', render: (_: unknown, x) => (x.existingCaseId ? <Tag color="green">{t('support.refresh.isStored')}</Tag> : <Tag>{t('support.refresh.notStored')}</Tag>) },
      ]}
      renderCard={(x) => (
        <Flex vertical gap={4}>
          <Flex justify="space-between"><span>{x.studentName} <Typography.Text type="secondary">{x.className}</Typography.Text></span>{x.existingCaseId ? <Tag color="green">{t('support.refresh.isStored')}</Tag> : <Tag>{t('support.refresh.notStored')}</Tag>}</Flex>
          <Categories list={x.categories} />
        </Flex>
      )}
    />
  );
  return (
    <Card size="small" title={t('support.refresh.preview', { year: schoolYear })} data-testid="support-refresh-preview">
      {!asked ? (
        <Flex vertical gap={8} align="start">
          <Typography.Text type="secondary">{t('support.refresh.explain')}</Typography.Text>
          <Button type="primary" onClick={() => setAsked(true)} data-testid="support-refresh-load">{t('support.refresh.load')}</Button>
        </Flex>
      ) : preview.error ? <ErrorResult error={preview.error} retry={() => preview.refetch()} /> : !p ? <PageSpinner /> : (
        <>
          <Flex wrap justify="space-between" align="center" gap={8} style={{ marginBottom: 8 }}>
            <Typography.Text data-testid="support-refresh-counts">{t('support.refresh.counts', { new: newItems.length, continuing: continuing.length, left: p.left.length })}</Typography.Text>
            <Popconfirm title={t('support.refresh.confirm', { year: schoolYear })} onConfirm={() => apply.mutate()} okButtonProps={{ 'data-testid': 'support-refresh-apply-ok' } as never}>
              <Button type="primary" loading={apply.isPending} disabled={p.items.length === 0} data-testid="support-refresh-apply">{t('support.refresh.apply')}</Button>
            </Popconfirm>
          </Flex>
          {p.left.some((l) => !l.reason.startsWith('已结案')) && <Alert type="warning" showIcon style={{ marginBottom: 8 }} message={t('support.refresh.closeLeft')} />}
          <Tabs
            items={[
              { key: 'new', label: `${t('support.refresh.new')} ${newItems.length}`, children: list(newItems) },
              { key: 'continuing', label: `${t('support.refresh.continuing')} ${continuing.length}`, children: list(continuing) },
              {
                key: 'left', label: `${t('support.refresh.left')} ${p.left.length}`,
                children: (
                  <ResponsiveTable
                    items={p.left}
                    rowKey={(x) => x.caseId}
                    columns={[
                      { title: t('support.record.student'), dataIndex: 'studentName', render: (v: string, x) => <Link to={`/support/cases/${x.caseId}`}>{v}</Link> },
                      { title: t('support.case.categories'), key: 'c', render: (_: unknown, x) => <Categories list={x.categories} /> },
                      { title: t('support.refresh.reason'), dataIndex: 'reason' },
                    ]}
                    renderCard={(x) => (
                      <Flex vertical gap={4}>
                        <Link to={`/support/cases/${x.caseId}`}>{x.studentName}</Link>
                        <Categories list={x.categories} />
                        <Typography.Text type="secondary">{x.reason}</Typography.Text>
                      </Flex>
                    )}
                  />
                ),
              },
            ]}
          />
        </>
      )}
    </Card>
  );
}
