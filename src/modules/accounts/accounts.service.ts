import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import type { AppContext } from '../../server/context.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../server/errors.js';
import type { Caller } from '../../server/http.js';
import { ROLE_INFO, type Role } from '../../shared/roles.js';
import { writeAudit } from '../audit/audit.repo.js';
import { generatePassword, hashPassword } from '../auth/password.js';
import * as repo from './accounts.repo.js';
import type { AccountItem, accountListQuery, createAccountBody, updateAccountBody } from './accounts.schemas.js';

/** Roles a principal may hand out inside their own school. */
const SCHOOL_GRANTABLE: readonly Role[] = ['academic_office', 'head_teacher', 'teacher', 'counsellor'];

const toItem = (r: repo.AccountRow): AccountItem => ({
  ...r,
  role: r.role as Role,
  roleLabel: ROLE_INFO[r.role as Role]?.label ?? r.role,
  lastLoginAt: r.lastLoginAt == null ? null : new Date(r.lastLoginAt).toISOString(),
});

export async function listAccounts(ctx: AppContext, { scope }: Caller, f: z.infer<typeof accountListQuery>) {
  const conds: SQL[] = [scope.accounts('u')];
  if (f.q) conds.push(sql`(u.username ILIKE ${'%' + f.q + '%'} OR u.display_name LIKE ${'%' + f.q + '%'})`);
  if (f.role) conds.push(sql`u.role = ${f.role}`);
  if (f.schoolId) conds.push(sql`u.school_id = ${f.schoolId}`);
  const res = await repo.listAccounts(ctx.db, sql.join(conds, sql` AND `), f.page, f.pageSize);
  return { total: res.total, items: res.items.map(toItem), page: f.page, pageSize: f.pageSize };
}

/** Checks that the role, school and teacher fit together and that the caller may grant them. */
async function checkGrant(q: Queryable, c: Caller, role: Role, schoolId: number | null, teacherId: number | null) {
  const info = ROLE_INFO[role];
  if (c.user.role === 'principal') {
    if (!SCHOOL_GRANTABLE.includes(role)) throw forbidden('校长只能创建本校教导处、班主任、教师和心理辅导教师账号');
    if (schoolId !== c.user.schoolId) throw forbidden('只能管理本校账号');
  }
  if (info.needsSchool) {
    if (schoolId == null) throw badRequest(`角色「${info.label}」须指定学校`);
    if (!(await repo.schoolExists(q, schoolId))) throw badRequest('学校不存在');
  } else if (schoolId != null) {
    throw badRequest(`角色「${info.label}」不属于某一学校`);
  }
  if (info.needsTeacher) {
    if (teacherId == null) throw badRequest(`角色「${info.label}」须关联一名本校教师`);
    if (!(await repo.teacherOfSchool(q, teacherId, schoolId!))) throw badRequest('所选教师不属于该学校');
  }
}

export async function createAccount(ctx: AppContext, c: Caller, body: z.infer<typeof createAccountBody>) {
  const schoolId = body.schoolId ?? null;
  const teacherId = ROLE_INFO[body.role].needsTeacher ? (body.teacherId ?? null) : null;
  const initialPassword = generatePassword();
  const passwordHash = await hashPassword(initialPassword);
  const id = await ctx.db.transaction(async (tx) => {
    await checkGrant(tx, c, body.role, schoolId, teacherId);
    if (await repo.usernameTaken(tx, body.username)) throw conflict('用户名已被使用');
    const id = await repo.insertAccount(tx, { username: body.username, displayName: body.displayName, passwordHash, role: body.role, schoolId, teacherId });
    await writeAudit(tx, c.actor, { action: 'account.created', entityType: 'user', entityId: id, schoolId, after: { username: body.username, displayName: body.displayName, role: body.role, schoolId, teacherId } });
    return id;
  });
  return { id, initialPassword };
}

export async function updateAccount(ctx: AppContext, c: Caller, id: number, body: z.infer<typeof updateAccountBody>) {
  return ctx.db.transaction(async (tx) => {
    const before = await repo.getAccount(tx, id, c.scope.accounts('u'));
    if (!before) throw notFound('账号');
    if (id === c.user.id && (body.disabled || (body.role && body.role !== before.role))) {
      throw new AppError(400, 'SELF_CHANGE', '不能停用自己的账号或修改自己的角色');
    }
    const role = (body.role ?? before.role) as Role;
    const schoolId = body.schoolId !== undefined ? body.schoolId : before.schoolId;
    const teacherId = ROLE_INFO[role].needsTeacher ? (body.teacherId !== undefined ? body.teacherId : before.teacherId) : null;
    await checkGrant(tx, c, role, schoolId ?? null, teacherId ?? null);
    const next = { displayName: body.displayName ?? before.displayName, role, schoolId: schoolId ?? null, teacherId: teacherId ?? null, disabled: body.disabled ?? before.disabled };
    await repo.updateAccount(tx, id, next);
    // a disabled account or a changed role ends every open session of that user
    if (next.disabled || next.role !== before.role || next.schoolId !== before.schoolId) await repo.endSessions(tx, id);
    const pick = (o: typeof next) => ({ displayName: o.displayName, role: o.role, schoolId: o.schoolId, teacherId: o.teacherId, disabled: o.disabled });
    await writeAudit(tx, c.actor, { action: next.disabled && !before.disabled ? 'account.disabled' : 'account.updated', entityType: 'user', entityId: id, schoolId: next.schoolId, before: pick({ ...before, role: before.role as Role }), after: pick(next) });
    return toItem((await repo.getAccount(tx, id, sql`TRUE`))!);
  });
}

export async function resetPassword(ctx: AppContext, c: Caller, id: number) {
  const initialPassword = generatePassword();
  const hash = await hashPassword(initialPassword);
  await ctx.db.transaction(async (tx) => {
    const acc = await repo.getAccount(tx, id, c.scope.accounts('u'));
    if (!acc) throw notFound('账号');
    await repo.setPassword(tx, id, hash);
    await repo.endSessions(tx, id);
    await writeAudit(tx, c.actor, { action: 'account.password_reset', entityType: 'user', entityId: id, schoolId: acc.schoolId });
  });
  return { id, initialPassword };
}
