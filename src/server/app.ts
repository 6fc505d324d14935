import fs from 'node:fs';
import path from 'node:path';
import Fastify, { LogController } from 'fastify';
import pino from 'pino';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { SESSION_COOKIE, userForToken } from '../modules/auth/auth.service.js';
import { authRoutes } from '../modules/auth/auth.routes.js';
import { setupRoutes } from '../modules/setup/setup.routes.js';
import { schoolRoutes } from '../modules/schools/schools.routes.js';
import { teacherRoutes } from '../modules/teachers/teachers.routes.js';
import { studentRoutes } from '../modules/students/students.routes.js';
import { accountRoutes } from '../modules/accounts/accounts.routes.js';
import { auditRoutes } from '../modules/audit/audit.routes.js';
import { rosterImportRoutes } from '../modules/roster-import/roster-import.routes.js';
import { examRoutes } from '../modules/exams/exams.routes.js';
import { examAnalysisRoutes } from '../modules/exams/exam-analysis.routes.js';
import { examSettingsRoutes } from '../modules/exams/exam-settings.routes.js';
import { pairingRoutes } from '../modules/pairings/pairings.routes.js';
import { supportRoutes } from '../modules/support/support.routes.js';
import { supportOutcomeRoutes } from '../modules/support/outcomes/outcomes.routes.js';
import { printablesRoutes } from '../modules/support/printables/printables.routes.js';
import { aidRoutes } from '../modules/support/aid/aid.routes.js';
import { projectPath } from '../shared/project-root.js';
import { ROLE_INFO } from '../shared/roles.js';
import type { AppContext } from './context.js';
import { AppError } from './errors.js';
import type { Api } from './http.js';

const WEB_DIST = projectPath('web/dist');
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The request log: one line per request, when it is answered (with the request), instead of one on arrival and one on answer. */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(...args: Parameters<LogController['requestCompleted']>): void {
    const [error, request, reply] = args;
    if (this.isLogDisabled(request)) return;
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

export async function buildApp(ctx: AppContext, opts: { logger?: boolean } = {}) {
  const app = Fastify({
    // the request log: one line per request (written when it is answered), through a buffered asynchronous
    // stdout (flushed at exit) instead of two synchronous writes per request
    logger: opts.logger ? { stream: pino.destination({ dest: 1, sync: false, minLength: 4096 }) } : false,
    logController: new OneLinePerRequest(),
    // X-Forwarded-For is believed only from configured proxies (BANGFU_TRUST_PROXY): otherwise any client could
    // name its own address and escape the per-address login throttle, and the audit log would record its choice
    trustProxy: ctx.config.trustProxy,
    bodyLimit: 2 * 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>() as Api;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, { limits: { fileSize: 512 * 1024 * 1024, files: 1 } });
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'bangfu 帮扶 API', description: '教育结对帮扶平台 REST API。登录后以 Cookie 会话访问；修改类请求须带 x-csrf-token 头（值见 GET /api/me）。', version: '0.1.0' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  app.decorateRequest('user', null);

  // Who is calling, and may they: session, pending password change, CSRF.
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/') || req.url.startsWith('/api/docs')) return;
    const token = req.cookies[SESSION_COOKIE];
    req.user = token ? await userForToken(ctx, token) : null;
    const config = req.routeOptions.config;
    if (config?.public) return;
    if (!req.user) throw new AppError(401, 'UNAUTHENTICATED', '请先登录');
    if (req.user.mustChangePassword && !config?.allowWithPendingPasswordChange) {
      throw new AppError(403, 'PASSWORD_CHANGE_REQUIRED', '首次登录须先修改密码');
    }
    if (!SAFE_METHODS.has(req.method) && req.headers['x-csrf-token'] !== req.user.csrfToken) {
      throw new AppError(403, 'CSRF', '页面已过期，请刷新后重试');
    }
    // a read-only role changes nothing, whatever the route's own checks say
    if (!SAFE_METHODS.has(req.method) && ROLE_INFO[req.user.role].readOnly && !config?.allowReadOnly) {
      throw new AppError(403, 'READ_ONLY', '只读账号不能修改数据');
    }
  });

  app.setErrorHandler((err, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({ path: v.instancePath, message: v.message }));
      return reply.status(400).send({ code: 'VALIDATION', message: '请求参数不正确：' + details.map((d) => `${d.path || '请求'} ${d.message}`).join('；'), details });
    }
    if (err instanceof AppError) {
      return reply.status(err.status).send({ code: err.code, message: err.message, details: err.details });
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 429) return reply.status(429).send({ code: 'RATE_LIMITED', message: '请求过于频繁，请稍后再试' });
    if (status && status < 500) return reply.status(status).send({ code: (err as { code?: string }).code ?? 'BAD_REQUEST', message: (err as Error).message });
    req.log.error(err);
    return reply.status(500).send({ code: 'INTERNAL', message: '服务器内部错误，请稍后再试' });
  });

  await app.register(async (api) => {
    const a = api as unknown as Api;
    await setupRoutes(a, ctx);
    await authRoutes(a, ctx);
    await schoolRoutes(a, ctx);
    await teacherRoutes(a, ctx);
    await studentRoutes(a, ctx);
    await accountRoutes(a, ctx);
    await auditRoutes(a, ctx);
    await rosterImportRoutes(a, ctx);
    await examRoutes(a, ctx);
    await examAnalysisRoutes(a, ctx);
    await examSettingsRoutes(a, ctx);
    await pairingRoutes(a, ctx);
    await supportRoutes(a, ctx);
    await supportOutcomeRoutes(a, ctx);
    await printablesRoutes(a, ctx);
    await aidRoutes(a, ctx);
  }, { prefix: '/api' });

  if (fs.existsSync(path.join(WEB_DIST, 'index.html'))) {
    // wildcard: files are looked up per request, so a rebuilt web UI is served without a restart
    await app.register(fastifyStatic, { root: WEB_DIST, wildcard: true });
  }
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || !fs.existsSync(path.join(WEB_DIST, 'index.html'))) {
      return reply.status(404).send({ code: 'NOT_FOUND', message: '接口不存在' });
    }
    // the web app routes on the client: every other GET gets index.html
    return reply.type('text/html').sendFile('index.html');
  });

  return app;
}
