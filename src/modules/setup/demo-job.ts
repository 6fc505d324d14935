// The first-run page's 载入演示县 as a background job: the full demo (loadFullDemo, as `npx bangfu
// demo` loads it) takes ~45 s on PGlite, too long for one request. One job at a time per server;
// the page polls GET /api/setup/demo/:jobId for its step and percentage. The job id is a random
// secret handed only to the caller that started it: the finished job carries the demo logins.
import crypto from 'node:crypto';
import type { AppContext } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import { demoCanLoad, loadFullDemo, type DemoProgress, type LoadDemoOptions, type LoadDemoResult } from '../demo/demo.service.js';
import type { DemoJobView } from './setup.schemas.js';

type Loader = (ctx: AppContext, opts: Omit<LoadDemoOptions, 'plan' | 'skipStudents'>) => Promise<LoadDemoResult>;

interface Job {
  id: string;
  view: DemoJobView;
}

/** The server's demo job (one per context: the tests run several servers in one process). */
const jobs = new WeakMap<AppContext, Job>();

export function demoJobRunning(ctx: AppContext): boolean {
  return jobs.get(ctx)?.view.status === 'running';
}

/**
 * Starts loading the full demo in the background and returns the job's id. Refused (409) while a
 * job runs and once the database holds a bureau, a school, an account or a student. `load` is
 * loadFullDemo; the tests pass one that fails on purpose.
 */
export async function startDemoJob(ctx: AppContext, load: Loader = loadFullDemo): Promise<{ jobId: string }> {
  const previous = jobs.get(ctx);
  if (previous?.view.status === 'running') throw new AppError(409, 'DEMO_RUNNING', '演示县正在载入，请稍候');
  const id = crypto.randomBytes(18).toString('base64url');
  const job: Job = { id, view: { status: 'running', step: 'county', percent: 0, startedAt: new Date().toISOString(), finishedAt: null, error: null, accounts: null } };
  // claimed before the first await: a second request in the meantime sees it running
  jobs.set(ctx, job);
  try {
    if (!(await demoCanLoad(ctx))) throw new AppError(409, 'ALREADY_INITIALIZED', '系统已初始化');
  } catch (err) {
    if (previous) jobs.set(ctx, previous);
    else jobs.delete(ctx);
    throw err;
  }
  const onProgress = (p: DemoProgress) => {
    job.view = { ...job.view, step: p.step, percent: p.percent, done: p.done, total: p.total, part: p.part };
  };
  void load(ctx, { ...(ctx.config.demoStudents ? { students: ctx.config.demoStudents } : {}), onProgress }).then(
    (res) => {
      job.view = { ...job.view, status: 'done', step: 'finish', percent: 100, finishedAt: new Date().toISOString(), accounts: res.accounts, done: undefined, total: undefined, part: undefined };
    },
    (err: unknown) => {
      const e = err instanceof AppError ? { code: err.code, message: err.message } : { code: 'DEMO_FAILED', message: err instanceof Error ? err.message : String(err) };
      job.view = { ...job.view, status: 'failed', finishedAt: new Date().toISOString(), error: e };
    },
  );
  return { jobId: id };
}

/** The job's state, for the caller that holds its id (null: no such job). */
export function demoJob(ctx: AppContext, id: string): DemoJobView | null {
  const job = jobs.get(ctx);
  if (!job) return null;
  const a = Buffer.from(job.id);
  const b = Buffer.from(id);
  if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) return null;
  return job.view;
}
