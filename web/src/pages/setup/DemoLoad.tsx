// The first-run page's 载入演示县: starts the background load (POST /api/setup/demo), follows its
// steps (GET /api/setup/demo/:jobId, once a second) and ends with the demo logins. The job id is
// kept in sessionStorage, so a reload of the page during the load follows the same job.
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Progress, Steps, Typography } from 'antd';
import { DEMO_STEPS, type DemoStep } from '@modules/demo/demo-progress';
import type { DemoJobView } from '@modules/setup/setup.schemas';
import { api, ApiError } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n';

const JOB_KEY = 'bangfu.setup.demoJob';

const STEP_TEXT: Record<DemoStep, [MessageKey, MessageKey]> = {
  county: ['setup.demo.step.county', 'setup.demo.step.countyHint'],
  exams: ['setup.demo.step.exams', 'setup.demo.step.examsHint'],
  support: ['setup.demo.step.support', 'setup.demo.step.supportHint'],
  finish: ['setup.demo.step.finish', 'setup.demo.step.finishHint'],
};
const PART_TEXT: Record<string, MessageKey> = {
  cases: 'setup.demo.part.cases',
  pairings: 'setup.demo.part.pairings',
  records: 'setup.demo.part.records',
  audit: 'setup.demo.part.audit',
};

function storedJob(): string | null {
  try {
    return sessionStorage.getItem(JOB_KEY);
  } catch {
    return null;
  }
}
function storeJob(id: string | null) {
  try {
    if (id) sessionStorage.setItem(JOB_KEY, id);
    else sessionStorage.removeItem(JOB_KEY);
  } catch {
    // private mode: a reload then loses the job, nothing else
  }
}

/** Seconds since `running` became true: the load takes minutes, a ticking clock says it still works. */
function useElapsedSeconds(running: boolean): number {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    if (!running) return;
    setSeconds(0);
    const started = Date.now();
    const timer = setInterval(() => setSeconds(Math.floor((Date.now() - started) / 1000)), 500);
    return () => clearInterval(timer);
  }, [running]);
  return seconds;
}

export function useDemoJob() {
  const [jobId, setJobId] = useState<string | null>(storedJob);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const job = useQuery({
    queryKey: ['setup-demo-job', jobId],
    queryFn: () => api.get<DemoJobView>(`/api/setup/demo/${encodeURIComponent(jobId!)}`, undefined, { redirectOnAuth: false }),
    enabled: !!jobId,
    refetchInterval: (q) => (q.state.data?.status === 'running' || !q.state.data ? 1000 : false),
    retry: (n, e) => !(e instanceof ApiError && e.status === 404) && n < 5,
  });
  // a job the server no longer knows (restarted): forget it
  useEffect(() => {
    if (job.error instanceof ApiError && job.error.status === 404) {
      storeJob(null);
      setJobId(null);
    }
  }, [job.error]);
  useEffect(() => {
    if (job.data && job.data.status !== 'running') storeJob(null);
  }, [job.data]);

  const start = async () => {
    setStarting(true);
    setStartError(null);
    try {
      const res = await api.post<{ jobId: string }>('/api/setup/demo', {}, { redirectOnAuth: false, csrf: false });
      storeJob(res.jobId);
      setJobId(res.jobId);
    } catch (e) {
      setStartError((e as Error).message);
    } finally {
      setStarting(false);
    }
  };
  const view = jobId ? job.data : undefined;
  const running = starting || (!!jobId && (!view || view.status === 'running'));
  return { start, running, view, startError };
}

/** The load's steps, its percentage and what it is writing now. */
export function DemoProgressView({ view, running }: { view: DemoJobView | undefined; running: boolean }) {
  const { t } = useI18n();
  const elapsed = useElapsedSeconds(running);
  const failed = view?.status === 'failed';
  const current = view ? DEMO_STEPS.indexOf(view.step) : 0;
  let detail: string | null = null;
  if (view?.status === 'running') {
    if (view.step === 'county' && view.total) detail = t('setup.demo.detail.students', { done: view.done ?? 0, total: view.total });
    else if (view.step === 'exams' && view.total) detail = t('setup.demo.detail.exams', { done: view.done ?? 0, total: view.total });
    else if (view.step === 'support' && view.part && PART_TEXT[view.part]) detail = t(PART_TEXT[view.part]!);
  }
  return (
    <div role="status" aria-live="polite" data-testid="demo-progress" data-step={view?.step ?? 'county'} data-percent={view?.percent ?? 0} style={{ marginBottom: 16 }}>
      <Steps
        direction="vertical"
        size="small"
        current={current}
        status={failed ? 'error' : view?.status === 'done' ? 'finish' : 'process'}
        items={DEMO_STEPS.map((s) => ({ title: t(STEP_TEXT[s][0]), description: t(STEP_TEXT[s][1]) }))}
        data-testid="demo-steps"
      />
      <Progress percent={view?.percent ?? 0} status={failed ? 'exception' : running ? 'active' : 'normal'} data-testid="demo-percent" />
      {detail && <Typography.Text data-testid="demo-detail">{detail}</Typography.Text>}
      {running && <div><Typography.Text type="secondary">{t('setup.demo.loading', { s: elapsed })}</Typography.Text></div>}
    </div>
  );
}
