import { z } from 'zod';
import type { AppContext } from '../../server/context.js';
import { errorBody, type Api } from '../../server/http.js';
import { notFound } from '../../server/errors.js';
import { demoJob, startDemoJob } from './demo-job.js';
import { demoJobSchema, setupBody, setupStatusSchema } from './setup.schemas.js';
import { initializeBureau, setupStatus } from './setup.service.js';

export async function setupRoutes(app: Api, ctx: AppContext) {
  app.get('/setup/status', {
    config: { public: true },
    schema: { tags: ['setup'], summary: '是否已完成首次设置', response: { 200: setupStatusSchema } },
  }, async () => setupStatus(ctx));

  app.post('/setup', {
    config: { public: true, rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: { tags: ['setup'], summary: '首次设置：创建教育局与管理员', body: setupBody, response: { 200: z.object({ ok: z.literal(true) }), 400: errorBody, 409: errorBody } },
  }, async (req) => {
    await initializeBureau(ctx, req.body, req.ip);
    return { ok: true as const };
  });

  app.post('/setup/demo', {
    config: { public: true, rateLimit: { max: 3, timeWindow: '1 minute' } },
    schema: {
      tags: ['setup'],
      summary: '首次设置：开始载入完整演示县（县域、统考、帮扶数据；仅限空库，同时只能有一个）',
      description: '后台任务：返回任务号，用 GET /api/setup/demo/{jobId} 查看进度；完成后其中有演示账号。正在载入或库已非空时返回 409。',
      response: { 202: z.object({ jobId: z.string() }), 409: errorBody },
    },
  }, async (_req, reply) => {
    const job = await startDemoJob(ctx);
    return reply.code(202).send(job);
  });

  app.get('/setup/demo/:jobId', {
    config: { public: true },
    schema: {
      tags: ['setup'], summary: '演示县载入进度（步骤、百分比；完成后含演示账号）',
      params: z.object({ jobId: z.string().max(64) }), response: { 200: demoJobSchema, 404: errorBody },
    },
  }, async (req) => {
    const job = demoJob(ctx, req.params.jobId);
    if (!job) throw notFound('演示县载入任务');
    return job;
  });
}
