// What the exam pages share: the queries, number formats, the subject selector, tags, and a
// table that turns into cards on a phone.
import { lazy, Suspense, type Key, type ReactNode } from 'react';
import { Card, Empty, Flex, List, Spin, Table, Tabs, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import { EXAM_BUREAU_ROLES, EXAM_MANAGER_ROLES } from '@shared/roles';
import { api } from '../../api/client';
import { hasRole } from '../../api/session';
import type { Exam, ExamSettings, ExamSubjects, Me } from '../../api/types';
import { useIsMobile } from '../../components/useIsMobile';
import { useI18n } from '../../i18n/I18nProvider';
import { useLabel } from '../../i18n/useLabel';
import type { MessageKey } from '../../i18n';

// ECharts (~180 KB gzipped) arrives after the figures
export const RatioBarChart = lazy(() => import('./charts').then((m) => ({ default: m.RatioBarChart })));
export const DistributionChart = lazy(() => import('./charts').then((m) => ({ default: m.DistributionChart })));
export const TrendChart = lazy(() => import('./charts').then((m) => ({ default: m.TrendChart })));

export function ChartSlot({ height = 240, children }: { height?: number; children: ReactNode }) {
  return (
    <Suspense fallback={<div style={{ height, display: 'flex', alignItems: 'center', justifyContent: 'center' }}><Spin /></div>}>
      <div data-testid="exam-chart">{children}</div>
    </Suspense>
  );
}

export const TOTAL = '总分';

// ---------------------------------------------------------------- queries (keys under ['exams', id])

export function useExam(id: string | undefined) {
  return useQuery({ queryKey: ['exams', id, 'exam'], queryFn: () => api.get<Exam>(`/api/exams/${id}`), enabled: !!id });
}

export function useExamSubjects(id: string | undefined, enabled = true) {
  return useQuery({
    queryKey: ['exams', id, 'subjects'],
    queryFn: () => api.get<ExamSubjects>(`/api/exams/${id}/analysis/subjects`),
    enabled: !!id && enabled,
  });
}

/** The settings (bottom fraction for the marked line, etc.); rarely change. */
export function useExamSettings() {
  return useQuery({ queryKey: ['exam-settings'], queryFn: () => api.get<ExamSettings>('/api/exam-settings'), staleTime: 5 * 60_000 });
}

export const canManageExams = (me: Me) => hasRole(me, EXAM_MANAGER_ROLES);
export const isBureau = (me: Me) => hasRole(me, EXAM_BUREAU_ROLES);

/** Whether the user may upload scores of this exam (the server checks again). */
export function canUploadScores(me: Me, exam: Pick<Exam, 'scope' | 'schoolId' | 'pairingSchoolIds'>): boolean {
  if (isBureau(me)) return true;
  if (!canManageExams(me) || me.school == null) return false;
  if (exam.scope === 'school') return exam.schoolId === me.school.id;
  return exam.scope === 'pairing' && exam.pairingSchoolIds.includes(me.school.id);
}

/** The scope as shown: 全县统考, the school's name, or the pairing's schools. */
export function scopeLabel(t: (k: 'exams.scope.county' | 'exams.scope.school' | 'exams.scope.pairing') => string, exam: Pick<Exam, 'scope'> & { schoolName?: string | null; pairingName?: string | null }): string {
  if (exam.scope === 'county') return t('exams.scope.county');
  if (exam.scope === 'pairing') return exam.pairingName ? `${t('exams.scope.pairing')}：${exam.pairingName}` : t('exams.scope.pairing');
  return exam.schoolName ?? t('exams.scope.school');
}

// ---------------------------------------------------------------- formats

export const pct = (v: number | null | undefined, digits = 1) => (v == null ? '—' : `${(v * 100).toFixed(digits)}%`);
export const num = (v: number | null | undefined, digits = 1) => (v == null ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(digits));

/** Percentage points against an earlier exam: a fall is good (green), a rise bad (red). */
export function PointsChange({ value, testId }: { value: number | null | undefined; testId?: string }) {
  if (value == null) return <Typography.Text type="secondary">—</Typography.Text>;
  const rounded = Math.round(value * 10) / 10;
  if (rounded === 0) return <span data-testid={testId}>0.0</span>;
  const good = rounded < 0;
  return (
    <span style={{ color: good ? '#389e0d' : '#cf1322', whiteSpace: 'nowrap' }} data-testid={testId}>
      {good ? '↓' : '↑'}{Math.abs(rounded).toFixed(1)}
    </span>
  );
}

export function CutValue({ cut }: { cut: number | 'absent' | null | undefined }) {
  const { t } = useI18n();
  if (cut === 'absent') return <Tooltip title={t('exams.cutAbsentHint')}><Tag color="orange" style={{ marginInlineEnd: 0 }}>{t('exams.cutAbsent')}</Tag></Tooltip>;
  return <>{cut == null ? '—' : String(Math.round(cut * 100) / 100)}</>;
}

const TARGET_COLOR = { met: 'success', not_met: 'error', not_measurable: 'default' } as const;

export function TargetTag({ status, note }: { status: keyof typeof TARGET_COLOR | null; note?: string | null }) {
  const { t } = useI18n();
  if (!status) return <Typography.Text type="secondary">—</Typography.Text>;
  const tag = <Tag color={TARGET_COLOR[status]} style={{ marginInlineEnd: 0, cursor: note ? 'help' : undefined }}>{t(`exams.target.${status}` as MessageKey)}</Tag>;
  return note ? <Tooltip title={note}>{tag}</Tooltip> : tag;
}

export function useTermLabel() {
  const { t } = useI18n();
  return (term: number) => (term === 1 ? t('exams.term1') : term === 2 ? t('exams.term2') : String(term));
}

/** 七年级 / Grade 7: one name for a grade everywhere (i18n/values.ts). */
export function useGradeName() {
  const label = useLabel();
  return (g: number) => label('grade', g);
}

const STATUS_COLOR: Record<string, string> = { created: 'default', imported: 'processing', analysed: 'success' };

export function ExamStatusTag({ status }: { status: string }) {
  const { tx } = useI18n();
  return <Tag color={STATUS_COLOR[status] ?? 'default'} style={{ marginInlineEnd: 0 }} data-testid="exam-status">{tx(`exams.status.${status}`, status)}</Tag>;
}

/** grade · school year · term · kind · scope, as tags. */
export function ExamMeta({ exam }: { exam: Pick<Exam, 'grade' | 'schoolYear' | 'term' | 'kind' | 'scope'> & { schoolName?: string | null; pairingName?: string | null } }) {
  const { t } = useI18n();
  const term = useTermLabel();
  const label = useLabel();
  return (
    <Flex wrap gap={4}>
      <Tag>{label('grade', exam.grade)}</Tag>
      <Tag>{exam.schoolYear} {term(exam.term)}</Tag>
      <Tag>{label('examKind', exam.kind)}</Tag>
      <Tag color={exam.scope === 'county' ? 'blue' : exam.scope === 'pairing' ? 'cyan' : 'purple'}>{scopeLabel(t, exam)}</Tag>
    </Flex>
  );
}

// ---------------------------------------------------------------- subject selector

/** Subject names of an analysis, 总分 first, then in the exam's order. */
export function subjectOrder(stats: ExamSubjects['subjects']): string[] {
  return [...stats].sort((a, b) => Number(b.isTotal) - Number(a.isTotal) || a.ord - b.ord).map((s) => s.subject);
}

/** The chosen subject lives in the URL (?subject=), 总分 by default. */
export function useSubjectParam(): [string, (s: string) => void] {
  const [params, setParams] = useSearchParams();
  const subject = params.get('subject') || TOTAL;
  const set = (s: string) => setParams((prev) => {
    const next = new URLSearchParams(prev);
    if (s === TOTAL) next.delete('subject'); else next.set('subject', s);
    return next;
  }, { replace: true });
  return [subject, set];
}

export function SubjectTabs({ subjects, value, onChange }: { subjects: string[]; value: string; onChange: (s: string) => void }) {
  return (
    <Tabs
      size="small"
      activeKey={value}
      onChange={onChange}
      items={subjects.map((s) => ({ key: s, label: <span data-testid={`subject-tab-${s}`}>{s}</span> }))}
      style={{ marginBottom: 8 }}
      data-testid="subject-tabs"
    />
  );
}

// ---------------------------------------------------------------- a table that is cards on a phone

export function ResponsiveTable<T extends object>({ columns, items, rowKey, renderCard, onOpen, rowTestId, loading, empty }: {
  columns: TableColumnsType<T>;
  items: T[];
  rowKey: (item: T) => Key;
  renderCard: (item: T) => ReactNode;
  /** tapping a row or card opens this item (undefined: not openable) */
  onOpen?: (item: T) => (() => void) | undefined;
  rowTestId?: string;
  loading?: boolean;
  empty?: ReactNode;
}) {
  const isMobile = useIsMobile();
  const { t } = useI18n();
  const emptyText = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty ?? t('list.empty')} />;
  if (isMobile) {
    return (
      <List
        loading={loading}
        dataSource={items}
        locale={{ emptyText }}
        renderItem={(item) => {
          const open = onOpen?.(item);
          return (
            <List.Item key={rowKey(item)} style={{ padding: '4px 0', border: 'none' }}>
              <Card size="small" hoverable={!!open} style={{ width: '100%' }} data-testid={rowTestId} onClick={open}>
                {renderCard(item)}
              </Card>
            </List.Item>
          );
        }}
      />
    );
  }
  return (
    <Table<T>
      size="small"
      columns={columns}
      dataSource={items}
      rowKey={rowKey}
      loading={loading}
      pagination={items.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText }}
      onRow={(item) => {
        const open = onOpen?.(item);
        return {
          'data-testid': rowTestId,
          style: open ? { cursor: 'pointer' } : undefined,
          onClick: open
            ? (e: React.MouseEvent) => {
                if ((e.target as HTMLElement).closest('a,button,input,.ant-select,.ant-tag')) return;
                open();
              }
            : undefined,
        } as React.HTMLAttributes<HTMLElement>;
      }}
    />
  );
}

/** A label and value in a phone card. */
export function CardField({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <Flex vertical style={{ minWidth: 0 }}>
      <Typography.Text type="secondary" style={{ fontSize: 11 }}>{label}</Typography.Text>
      <span style={{ fontSize: 13 }}>{children}</span>
    </Flex>
  );
}

export function downloadHref(path: string, query?: Record<string, string>) {
  const q = query ? `?${new URLSearchParams(query).toString()}` : '';
  return `${path}${q}`;
}
