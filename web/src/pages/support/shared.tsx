// Shared pieces of the support screens (帮扶对象): the data hooks on the pairings and support
// APIs, the quota status tag, China-time today.
import { Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../../api/client';
import type { DueView, Paged, PairingView, ProgrammeView, Standings, SupportCase } from '../../api/types';
import { useI18n } from '../../i18n/I18nProvider';

export const PROGRAMME = 'teacher_student';

/** Today in China (the schools' day), as YYYY-MM-DD, whatever the device's time zone. */
export function todayChina(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

export function monthChina(): string {
  return todayChina().slice(0, 7);
}

/** The engine's period statuses, worst last; the tags the screens show. */
const STATUS_COLORS: Record<string, string> = {
  done: 'green', on_track: 'green', behind: 'orange', short: 'red', missed: 'red', not_started: 'default', not_required: 'default',
};

export function StandingTag({ status, testId }: { status: string | null | undefined; testId?: string }) {
  const { t, tx } = useI18n();
  if (!status) return <Tag data-testid={testId}>{t('support.status.none')}</Tag>;
  return (
    <Tag color={STATUS_COLORS[status] ?? 'default'} data-testid={testId} data-status={status}>
      {tx(`support.status.${status}`, status)}
    </Tag>
  );
}

export const programmeKey = ['programmes', PROGRAMME] as const;

export function useProgramme() {
  return useQuery({ queryKey: programmeKey, queryFn: () => api.get<ProgrammeView>(`/api/programmes/${PROGRAMME}`), staleTime: 60_000 });
}

/** The caller's own teacher–student pairings (proposed or active): the caseload. */
export function useMyPairings() {
  return useQuery({
    queryKey: ['support', 'my-pairings'],
    queryFn: async () => {
      const page = await api.get<Paged<PairingView>>('/api/pairings', { programme: PROGRAMME, mine: true, pageSize: 200 });
      return page.items.filter((p) => p.status === 'active' || p.status === 'proposed');
    },
  });
}

/** Quota standing per pairing (worst current period wins). */
export function useMyStandings(teacherId: number | null) {
  return useQuery({
    queryKey: ['support', 'standings', teacherId],
    queryFn: () => api.get<Standings>('/api/pairings/standings', { groupBy: 'pairing', programme: PROGRAMME, teacherId: teacherId ?? undefined }),
  });
}

export function useDue(days = 7) {
  return useQuery({
    queryKey: ['support', 'due', days],
    queryFn: () => api.get<DueView>('/api/pairings/due', { programme: PROGRAMME, days }),
  });
}

/** The caller's cases as responsible teacher; empty when the support API is not there (404). */
export function useMyCases() {
  return useQuery({
    queryKey: ['support', 'my-cases'],
    queryFn: async () => {
      try {
        return (await api.get<Paged<SupportCase>>('/api/support/cases', { mine: true, pageSize: 200 })).items;
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return [];
        throw e;
      }
    },
    retry: false,
  });
}

/** The student participant of a teacher–student pairing. */
export function studentOf(p: PairingView) {
  return p.participants.find((x) => x.kind === 'student' && x.side === 'helped') ?? p.participants.find((x) => x.kind === 'student');
}

/** The case a pairing serves: its subjectRef, else the student's case. */
export function caseIdOf(p: PairingView, cases: SupportCase[] | undefined): number | null {
  if (p.subjectRef?.kind === 'support_case') return Number(p.subjectRef.id);
  const s = studentOf(p);
  return cases?.find((c) => c.studentId === s?.personId)?.id ?? null;
}
