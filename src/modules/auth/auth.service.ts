import crypto from 'node:crypto';
import type { AppContext } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import { passwordProblem } from '../../shared/password-policy.js';
import { writeAudit, type Actor } from '../audit/audit.repo.js';
import type { UserContext } from '../scope/scope.js';
import * as repo from './auth.repo.js';
import { hashPassword, verifyPassword } from './password.js';

export const SESSION_COOKIE = 'bangfu_sid';
const SESSION_HOURS = 12;
const MAX_FAILURES = 5;
const LOCK_MINUTES = 15;
// verified against when the username is unknown, so timing does not reveal which usernames exist
const DUMMY_HASH = hashPassword('not-a-real-password-1');

/**
 * Failed log-ins under usernames that are no account lock like real accounts: if only real
 * accounts answered ACCOUNT_LOCKED after MAX_FAILURES, five wrong tries would tell anyone which
 * usernames exist. Counted in the database (unknown_login_failures), so every server on one
 * database and a restarted one count the same, under a keyed hash of the name (letter case
 * ignored, as usernames match), never the name itself.
 */
const unknownNameKey = (ctx: AppContext, username: string) => ctx.sealer.hash(`login-name\0${username.toLowerCase()}`);

const accountLocked = () => new AppError(429, 'ACCOUNT_LOCKED', `连续登录失败次数过多，账号已临时锁定 ${LOCK_MINUTES} 分钟，请稍后再试`);

export const sessionIdOf = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

export interface SessionUser extends UserContext {
  mustChangePassword: boolean;
  csrfToken: string;
  sessionId: string;
  locale: string;
}

export async function login(ctx: AppContext, username: string, password: string, ip: string) {
  const name = username.trim();
  const user = await repo.findUserByUsername(ctx.db, name);
  const invalid = new AppError(401, 'INVALID_CREDENTIALS', '用户名或密码错误');
  if (!user) {
    const key = unknownNameKey(ctx, name);
    if (await repo.unknownNameLocked(ctx.db, key)) throw accountLocked();
    await verifyPassword(password, await DUMMY_HASH);
    await repo.recordUnknownNameFailure(ctx.db, key, MAX_FAILURES, LOCK_MINUTES);
    throw invalid;
  }
  if (user.lockedUntil && new Date(user.lockedUntil) > new Date()) throw accountLocked();
  const ok = await verifyPassword(password, user.passwordHash);
  const actor: Actor = { userId: user.id, name: user.displayName, ip };
  if (!ok) {
    await ctx.db.transaction(async (tx) => {
      await repo.recordFailedLogin(tx, user.id, MAX_FAILURES, LOCK_MINUTES);
      await writeAudit(tx, actor, { action: 'auth.login_failed', entityType: 'user', entityId: user.id, schoolId: user.schoolId });
    });
    throw invalid;
  }
  if (user.disabled) throw new AppError(403, 'ACCOUNT_DISABLED', '该账号已停用，请联系管理员');
  const token = crypto.randomBytes(32).toString('base64url');
  const csrfToken = crypto.randomBytes(24).toString('base64url');
  await ctx.db.transaction(async (tx) => {
    await repo.recordSuccessfulLogin(tx, user.id);
    await repo.insertSession(tx, { id: sessionIdOf(token), userId: user.id, csrfToken, ttlHours: SESSION_HOURS });
    await writeAudit(tx, actor, { action: 'auth.login', entityType: 'user', entityId: user.id, schoolId: user.schoolId });
  });
  return { token, maxAgeSeconds: SESSION_HOURS * 3600 };
}

export async function userForToken(ctx: AppContext, token: string): Promise<SessionUser | null> {
  const sessionId = sessionIdOf(token);
  const row = await repo.findSessionUser(ctx.db, sessionId);
  if (!row) return null;
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    schoolId: row.schoolId,
    teacherId: row.teacherId,
    mustChangePassword: row.mustChangePassword,
    csrfToken: row.csrfToken,
    locale: row.locale,
    sessionId,
  };
}

export async function logout(ctx: AppContext, user: SessionUser, ip: string) {
  await ctx.db.transaction(async (tx) => {
    await repo.deleteSession(tx, user.sessionId);
    await writeAudit(tx, { userId: user.id, name: user.displayName, ip }, { action: 'auth.logout', entityType: 'user', entityId: user.id, schoolId: user.schoolId });
  });
}

export async function changePassword(ctx: AppContext, user: SessionUser, current: string, next: string, ip: string) {
  const row = await repo.findUserById(ctx.db, user.id);
  if (!row || !(await verifyPassword(current, row.passwordHash))) throw new AppError(400, 'WRONG_PASSWORD', '当前密码不正确');
  const problem = passwordProblem(next, row.username);
  if (problem) throw new AppError(400, 'WEAK_PASSWORD', problem);
  if (await verifyPassword(next, row.passwordHash)) throw new AppError(400, 'SAME_PASSWORD', '新密码不能与当前密码相同');
  const hash = await hashPassword(next);
  await ctx.db.transaction(async (tx) => {
    await repo.updatePassword(tx, user.id, hash, false);
    // other sessions of this user end: whoever knew the old password is out
    await repo.deleteUserSessions(tx, user.id, user.sessionId);
    await writeAudit(tx, { userId: user.id, name: user.displayName, ip }, { action: 'auth.password_changed', entityType: 'user', entityId: user.id, schoolId: user.schoolId });
  });
}
