// Shared HTTP plumbing for route modules: the typed Fastify instance and request helpers.
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SessionUser } from '../modules/auth/auth.service.js';
import { compileScope, type Scope } from '../modules/scope/scope.js';
import type { Actor } from '../modules/audit/audit.repo.js';
import { AppError } from './errors.js';
import type { Role } from '../shared/roles.js';

export type Api = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

declare module 'fastify' {
  interface FastifyRequest {
    user: SessionUser | null;
  }
  interface FastifyContextConfig {
    /** reachable without a session */
    public?: boolean;
    /** reachable while the user still has to change the first password */
    allowWithPendingPasswordChange?: boolean;
    /** a state-changing route a read-only role (the inspector) may still call: its own session and password */
    allowReadOnly?: boolean;
  }
}

export interface Caller {
  user: SessionUser;
  scope: Scope;
  actor: Actor;
}

/** The signed-in caller with their compiled scope; 401 when there is none. */
export function caller(req: FastifyRequest, roles?: readonly Role[]): Caller {
  const user = req.user;
  if (!user) throw new AppError(401, 'UNAUTHENTICATED', '请先登录');
  if (roles && !roles.includes(user.role)) throw new AppError(403, 'FORBIDDEN', '没有权限执行此操作');
  return { user, scope: compileScope(user), actor: { userId: user.id, name: user.displayName, ip: req.ip } };
}

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const idParam = z.object({ id: z.coerce.number().int().positive() });

export const errorBody = z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() });

export function paged<T extends z.ZodType>(item: T) {
  return z.object({ total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), items: z.array(item) });
}
