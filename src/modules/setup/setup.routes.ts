import { z } from 'zod';
import type { AppContext } from '../../server/context.js';
import { errorBody, type Api } from '../../server/http.js';
import { AppError } from '../../server/errors.js';
import { loadDemoCounty } from '../demo/demo.service.js';
import { setupBody, setupStatusSchema } from './setup.schemas.js';
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
      tags: ['setup'], summary: '首次设置：载入演示县（仅限空库）',
      response: { 200: z.object({ accounts: z.array(z.object({ role: z.string(), username: z.string(), password: z.string(), schoolCode: z.string().optional() })) }), 409: errorBody },
    },
  }, async () => {
    if ((await setupStatus(ctx)).initialized) throw new AppError(409, 'ALREADY_INITIALIZED', '系统已初始化');
    return loadDemoCounty(ctx, {});
  });
}
