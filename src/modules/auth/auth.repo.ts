import { sql } from 'drizzle-orm';
import { one, rows, type Queryable } from '../../db/client.js';
import { batchedQuery } from '../../db/batch.js';
import type { Role } from '../../shared/roles.js';

export interface UserRow {
  id: number;
  username: string;
  displayName: string;
  passwordHash: string;
  role: Role;
  schoolId: number | null;
  teacherId: number | null;
  mustChangePassword: boolean;
  disabled: boolean;
  failedLogins: number;
  lockedUntil: Date | string | null;
  locale: string;
}

const USER_COLS = sql`u.id, u.username, u.display_name AS "displayName", u.password_hash AS "passwordHash", u.role,
  u.school_id AS "schoolId", u.teacher_id AS "teacherId", u.must_change_password AS "mustChangePassword",
  u.disabled, u.failed_logins AS "failedLogins", u.locked_until AS "lockedUntil", u.locale`;

export function findUserByUsername(q: Queryable, username: string) {
  return one<UserRow>(q, sql`SELECT ${USER_COLS} FROM users u WHERE lower(u.username) = lower(${username})`);
}

export function findUserById(q: Queryable, id: number) {
  return one<UserRow>(q, sql`SELECT ${USER_COLS} FROM users u WHERE u.id = ${id}`);
}

export type SessionUserRow = UserRow & { csrfToken: string; expiresAt: string };

async function findSessionUsers(q: Queryable, sessionIds: readonly string[]): Promise<(SessionUserRow | undefined)[]> {
  const found = await rows<SessionUserRow & { sessionId: string }>(
    q,
    sql`SELECT ${USER_COLS}, s.id AS "sessionId", s.csrf_token AS "csrfToken", s.expires_at AS "expiresAt"
        FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = ANY(${sql.param([...sessionIds])}::text[]) AND s.expires_at > now() AND NOT u.disabled`,
  );
  const byId = new Map(found.map(({ sessionId, ...r }) => [sessionId, r]));
  return sessionIds.map((id) => byId.get(id));
}

const findSessionUserBatched = batchedQuery(findSessionUsers);

/**
 * The session's user, if the session is live and the account enabled. Read afresh for every request
 * (nothing is cached); the requests of the same moment share one query (src/db/batch.ts).
 */
export function findSessionUser(q: Queryable, sessionId: string): Promise<SessionUserRow | undefined> {
  return findSessionUserBatched(q, sessionId);
}

export async function recordFailedLogin(q: Queryable, userId: number, maxFailures: number, lockMinutes: number) {
  await q.execute(sql`UPDATE users SET failed_logins = failed_logins + 1,
      locked_until = CASE WHEN failed_logins + 1 >= ${maxFailures} THEN now() + make_interval(mins => ${lockMinutes}) ELSE locked_until END
    WHERE id = ${userId}`);
}

export async function unknownNameLocked(q: Queryable, nameHash: string): Promise<boolean> {
  return !!(await one(q, sql`SELECT 1 AS locked FROM unknown_login_failures WHERE name_hash = ${nameHash} AND locked_until > now()`));
}

/**
 * recordFailedLogin's rule for a name that is no account: the count runs on (it never has a
 * success to reset it). Names idle for a day, and not locked, are forgotten, so the table stays
 * as small as one day's mistyped names.
 */
export async function recordUnknownNameFailure(q: Queryable, nameHash: string, maxFailures: number, lockMinutes: number) {
  await q.execute(sql`INSERT INTO unknown_login_failures AS f (name_hash, failures, locked_until, last_failure_at)
    VALUES (${nameHash}, 1, CASE WHEN 1 >= ${maxFailures} THEN now() + make_interval(mins => ${lockMinutes}) END, now())
    ON CONFLICT (name_hash) DO UPDATE SET failures = f.failures + 1, last_failure_at = now(),
      locked_until = CASE WHEN f.failures + 1 >= ${maxFailures} THEN now() + make_interval(mins => ${lockMinutes}) ELSE f.locked_until END`);
  await q.execute(sql`DELETE FROM unknown_login_failures
    WHERE last_failure_at < now() - interval '1 day' AND (locked_until IS NULL OR locked_until < now())`);
}

export async function recordSuccessfulLogin(q: Queryable, userId: number) {
  await q.execute(sql`UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = now() WHERE id = ${userId}`);
}

export async function insertSession(q: Queryable, s: { id: string; userId: number; csrfToken: string; ttlHours: number }) {
  await q.execute(sql`INSERT INTO sessions (id, user_id, csrf_token, expires_at)
    VALUES (${s.id}, ${s.userId}, ${s.csrfToken}, now() + make_interval(hours => ${s.ttlHours}))`);
}

export async function deleteSession(q: Queryable, id: string) {
  await q.execute(sql`DELETE FROM sessions WHERE id = ${id}`);
}

export async function deleteUserSessions(q: Queryable, userId: number, exceptId?: string) {
  await q.execute(sql`DELETE FROM sessions WHERE user_id = ${userId} AND id <> ${exceptId ?? ''}`);
}

export async function updatePassword(q: Queryable, userId: number, hash: string, mustChange: boolean) {
  await q.execute(sql`UPDATE users SET password_hash = ${hash}, must_change_password = ${mustChange} WHERE id = ${userId}`);
}
