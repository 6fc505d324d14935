import { sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/client.js';
import { isAuditAction, type AuditAction, type AuditEntityType } from '../../shared/audit-codes.js';

export interface AuditEntry {
  /** one of the codes in src/shared/audit-codes.ts, each with a label in the web's message files */
  action: AuditAction;
  entityType: AuditEntityType;
  entityId?: string | number | null;
  schoolId?: number | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

export interface Actor {
  userId: number | null;
  name: string;
  ip?: string | null;
}

/** Writes audit rows on the caller's transaction, so the change and its record commit together. */
export async function writeAudit(tx: Queryable, actor: Actor, entries: AuditEntry | AuditEntry[]): Promise<void> {
  const insert = auditInsert(actor, Array.isArray(entries) ? entries : [entries]);
  if (insert) await tx.execute(insert);
}

/**
 * The INSERT of audit rows as SQL, for a statement that makes the change and writes its audit rows at
 * once (a data-modifying WITH: one round trip, atomic without a transaction block). Null for none.
 */
export function auditInsert(actor: Actor, list: readonly AuditEntry[]): SQL | null {
  return auditInsertArrays(auditValues(actor, list));
}

/** An audit row as the values of its columns (before and after as JSON text). */
export interface AuditValues {
  actorUserId: number | null;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string | null;
  schoolId: number | null;
  before: string | null;
  after: string | null;
  reason: string | null;
  ip: string | null;
}

/** The audit rows of entries by one actor, as values (several actors' rows can go into one statement). */
export function auditValues(actor: Actor, list: readonly AuditEntry[]): AuditValues[] {
  return list.map((e) => ({
    actorUserId: actor.userId,
    actorName: actor.name,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId == null ? null : String(e.entityId),
    schoolId: e.schoolId ?? null,
    before: e.before === undefined ? null : JSON.stringify(e.before),
    after: e.after === undefined ? null : JSON.stringify(e.after),
    reason: e.reason ?? null,
    ip: actor.ip ?? null,
  }));
}

/**
 * The INSERT of audit rows (of one actor or several) as one array per column: the statement's text is the same
 * however many rows, so PostgreSQL parses ten parameters instead of ten per row, and no row count reaches the
 * protocol's limit of 65,535 parameters.
 */
export function auditInsertArrays(list: readonly AuditValues[]): SQL | null {
  if (list.length === 0) return null;
  const col = <K extends keyof AuditValues>(k: K) => sql.param(list.map((v) => v[k]));
  return sql`INSERT INTO audit_log (actor_user_id, actor_name, action, entity_type, entity_id, school_id, before, after, reason, ip)
    SELECT actor_user_id, actor_name, action, entity_type, entity_id, school_id, before::jsonb, after::jsonb, reason, ip
    FROM unnest(${col('actorUserId')}::int[], ${col('actorName')}::text[], ${col('action')}::text[], ${col('entityType')}::text[], ${col('entityId')}::text[],
      ${col('schoolId')}::int[], ${col('before')}::text[], ${col('after')}::text[], ${col('reason')}::text[], ${col('ip')}::text[])
      AS t(actor_user_id, actor_name, action, entity_type, entity_id, school_id, before, after, reason, ip)`;
}

export interface AuditQuery {
  action?: string;
  entityType?: string;
  entityId?: string;
  actor?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

interface AuditRow {
  id: number; at: Date | string; actorUserId: number | null; actorName: string; action: string; entityType: string;
  entityId: string | null; schoolId: number | null; before: unknown; after: unknown; reason: string | null; ip: string | null;
}

export async function searchAudit(q: Queryable, scopeCond: SQL, f: AuditQuery) {
  const conds: SQL[] = [scopeCond];
  // a whole code matches itself alone ('auth.login' is not also 'auth.login_failed'); anything else is a prefix
  if (f.action) conds.push(isAuditAction(f.action) ? sql`a.action = ${f.action}` : sql`a.action LIKE ${f.action + '%'}`);
  if (f.entityType) conds.push(sql`a.entity_type = ${f.entityType}`);
  if (f.entityId) conds.push(sql`a.entity_id = ${f.entityId}`);
  if (f.actor) conds.push(sql`a.actor_name LIKE ${'%' + f.actor + '%'}`);
  // China calendar days, whatever the session's time zone: [from 00:00, to + 1 day 00:00) in Asia/Shanghai
  if (f.from) conds.push(sql`a.at >= (${f.from}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`);
  if (f.to) conds.push(sql`a.at < ((${f.to}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`);
  const where = sql.join(conds, sql` AND `);
  const [count] = await rows<{ n: number }>(q, sql`SELECT count(*)::int AS n FROM audit_log a WHERE ${where}`);
  const items = await rows<AuditRow>(
    q,
    sql`SELECT a.id::int AS id, a.at, a.actor_user_id AS "actorUserId", a.actor_name AS "actorName", a.action,
          a.entity_type AS "entityType", a.entity_id AS "entityId", a.school_id AS "schoolId", a.before, a.after, a.reason, a.ip
        FROM audit_log a WHERE ${where} ORDER BY a.at DESC, a.id DESC LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
  );
  // both drivers give a timestamptz as a Date; the API speaks ISO strings
  return { total: count?.n ?? 0, items: items.map((i) => ({ ...i, at: new Date(i.at).toISOString() })) };
}
