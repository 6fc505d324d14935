import { sql, type SQL } from 'drizzle-orm';
import { one, rows, type Queryable } from '../../db/client.js';

export interface AccountRow {
  id: number; username: string; displayName: string; role: string; schoolId: number | null; schoolName: string | null;
  teacherId: number | null; teacherName: string | null; disabled: boolean; mustChangePassword: boolean; lastLoginAt: string | Date | null;
}

const COLS = sql`u.id, u.username, u.display_name AS "displayName", u.role, u.school_id AS "schoolId", sc.name AS "schoolName",
  u.teacher_id AS "teacherId", t.name AS "teacherName", u.disabled, u.must_change_password AS "mustChangePassword", u.last_login_at AS "lastLoginAt"`;
const FROM = sql`FROM users u LEFT JOIN schools sc ON sc.id = u.school_id LEFT JOIN teachers t ON t.id = u.teacher_id`;

export async function listAccounts(q: Queryable, where: SQL, page: number, pageSize: number) {
  const [count] = await rows<{ n: number }>(q, sql`SELECT count(*)::int AS n ${FROM} WHERE ${where}`);
  const items = await rows<AccountRow>(q, sql`SELECT ${COLS} ${FROM} WHERE ${where} ORDER BY u.school_id NULLS FIRST, u.role, u.username
    LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`);
  return { total: count?.n ?? 0, items };
}

export function getAccount(q: Queryable, id: number, where: SQL) {
  return one<AccountRow>(q, sql`SELECT ${COLS} ${FROM} WHERE u.id = ${id} AND ${where}`);
}

export function usernameTaken(q: Queryable, username: string) {
  return one(q, sql`SELECT 1 FROM users WHERE lower(username) = lower(${username})`);
}

export function teacherOfSchool(q: Queryable, teacherId: number, schoolId: number) {
  return one<{ id: number; name: string }>(q, sql`SELECT id, name FROM teachers WHERE id = ${teacherId} AND school_id = ${schoolId}`);
}

export function schoolExists(q: Queryable, schoolId: number) {
  return one(q, sql`SELECT 1 FROM schools WHERE id = ${schoolId}`);
}

export async function insertAccount(q: Queryable, a: { username: string; displayName: string; passwordHash: string; role: string; schoolId: number | null; teacherId: number | null }) {
  const r = await one<{ id: number }>(q, sql`INSERT INTO users (username, display_name, password_hash, role, school_id, teacher_id, must_change_password)
    VALUES (${a.username}, ${a.displayName}, ${a.passwordHash}, ${a.role}, ${a.schoolId}, ${a.teacherId}, true) RETURNING id`);
  return r!.id;
}

export async function updateAccount(q: Queryable, id: number, a: { displayName: string; role: string; schoolId: number | null; teacherId: number | null; disabled: boolean }) {
  await q.execute(sql`UPDATE users SET display_name = ${a.displayName}, role = ${a.role}, school_id = ${a.schoolId},
    teacher_id = ${a.teacherId}, disabled = ${a.disabled} WHERE id = ${id}`);
}

export async function setPassword(q: Queryable, id: number, hash: string) {
  await q.execute(sql`UPDATE users SET password_hash = ${hash}, must_change_password = true, failed_logins = 0, locked_until = NULL WHERE id = ${id}`);
}

export async function endSessions(q: Queryable, userId: number) {
  await q.execute(sql`DELETE FROM sessions WHERE user_id = ${userId}`);
}
