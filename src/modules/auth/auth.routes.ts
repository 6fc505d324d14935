import { z } from 'zod';
import type { AppContext } from '../../server/context.js';
import { caller, errorBody, type Api } from '../../server/http.js';
import { ROLE_INFO } from '../../shared/roles.js';
import { changePassword, login, logout, SESSION_COOKIE } from './auth.service.js';
import { meSchema } from './auth.schemas.js';

export async function authRoutes(app: Api, ctx: AppContext) {
  app.post('/auth/login', {
    config: { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
    schema: {
      tags: ['auth'], summary: '登录',
      body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) }),
      response: { 200: z.object({ ok: z.literal(true) }), 401: errorBody, 403: errorBody, 429: errorBody },
    },
  }, async (req, reply) => {
    const { token, maxAgeSeconds } = await login(ctx, req.body.username, req.body.password, req.ip);
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/', httpOnly: true, sameSite: 'strict', secure: ctx.config.secureCookies, maxAge: maxAgeSeconds,
    });
    return { ok: true as const };
  });

  app.post('/auth/logout', {
    config: { allowWithPendingPasswordChange: true, allowReadOnly: true },
    schema: { tags: ['auth'], summary: '退出登录', response: { 200: z.object({ ok: z.literal(true) }) } },
  }, async (req, reply) => {
    const { user } = caller(req);
    await logout(ctx, user, req.ip);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });

  app.post('/auth/password', {
    config: { allowWithPendingPasswordChange: true, allowReadOnly: true, rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: {
      tags: ['auth'], summary: '修改密码（首次登录必须修改）',
      body: z.object({ currentPassword: z.string().min(1), newPassword: z.string().min(1).max(200) }),
      response: { 200: z.object({ ok: z.literal(true) }), 400: errorBody },
    },
  }, async (req) => {
    const { user } = caller(req);
    await changePassword(ctx, user, req.body.currentPassword, req.body.newPassword, req.ip);
    return { ok: true as const };
  });

  app.get('/me', {
    config: { allowWithPendingPasswordChange: true },
    schema: { tags: ['auth'], summary: '当前用户、角色、范围与 CSRF 令牌', response: { 200: meSchema } },
  }, async (req) => {
    const { user, scope } = caller(req);
    const school = user.schoolId == null ? null : (await ctx.db.query.schools.findFirst({ where: (s, { eq }) => eq(s.id, user.schoolId!) })) ?? null;
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      roleLabel: ROLE_INFO[user.role].label,
      scopeLevel: scope.level,
      readOnly: scope.readOnly,
      school: school ? { id: school.id, code: school.code, name: school.name } : null,
      teacherId: user.teacherId,
      mustChangePassword: user.mustChangePassword,
      csrfToken: user.csrfToken,
      locale: user.locale,
    };
  });
}
