// SQL of the aid module (资助): the catalogue (aid_items) and the grants (aid_grants). Scope
// conditions come in from the service (compileScope's students condition on `st`).
import { sql, type SQL } from 'drizzle-orm';
import { one, rows, type Queryable } from '../../../db/client.js';
import type { AidItemView, AidMethod, AidPeriod, AidSource, AidStatus } from './aid.schemas.js';

const iso = (v: unknown) => (v == null ? null : new Date(v as string | Date).toISOString());

// ───────────────────────────── catalogue ─────────────────────────────

const ITEM_COLS = sql`key, label, default_source AS "defaultSource", standard_fen AS "standardFen", period,
  standard_note AS "standardNote", active, sort_order AS "sortOrder"`;

export function listItems(q: Queryable, activeOnly = false) {
  return rows<AidItemView>(q, sql`SELECT ${ITEM_COLS} FROM aid_items ${activeOnly ? sql`WHERE active` : sql``} ORDER BY sort_order, key`);
}

export function getItem(q: Queryable, key: string) {
  return one<AidItemView>(q, sql`SELECT ${ITEM_COLS} FROM aid_items WHERE key = ${key}`);
}

export function upsertItem(q: Queryable, key: string, v: { label: string; defaultSource: AidSource; standardFen: number | null; period: AidPeriod; standardNote: string | null; active: boolean; sortOrder: number }) {
  return one<AidItemView>(q, sql`INSERT INTO aid_items (key, label, default_source, standard_fen, period, standard_note, active, sort_order)
    VALUES (${key}, ${v.label}, ${v.defaultSource}, ${v.standardFen}, ${v.period}, ${v.standardNote}, ${v.active}, ${v.sortOrder})
    ON CONFLICT (key) DO UPDATE SET label = EXCLUDED.label, default_source = EXCLUDED.default_source, standard_fen = EXCLUDED.standard_fen,
      period = EXCLUDED.period, standard_note = EXCLUDED.standard_note, active = EXCLUDED.active, sort_order = EXCLUDED.sort_order, updated_at = now()
    RETURNING ${ITEM_COLS}`);
}

// ───────────────────────────── grants ─────────────────────────────

/** A student the caller sees (`scopeCond` on `st`), with the school that would grant aid now. */
export function studentInScope(q: Queryable, id: number, scopeCond: SQL) {
  return one<{ id: number; name: string; schoolId: number }>(q, sql`SELECT st.id, st.name, st.school_id AS "schoolId" FROM students st WHERE st.id = ${id} AND ${scopeCond}`);
}

/** Serializes changes of one student's aid (the "none twice" check then the write): a row lock that FK checks do not wait for. */
export async function lockStudentAid(q: Queryable, studentId: number) {
  await q.execute(sql`SELECT id FROM students WHERE id = ${studentId} FOR NO KEY UPDATE`);
}

export interface GrantRow {
  id: number; studentId: number; studentName: string; schoolId: number; schoolName: string; schoolYear: string; term: number | null;
  itemKey: string; itemLabel: string; amountFen: number; grantedOn: string; source: AidSource; method: AidMethod; note: string | null;
  status: AidStatus; revokedReason: string | null; revokedAt: string | null; recordedByName: string | null; createdAt: string; updatedAt: string;
}

const GRANT_SELECT = sql`SELECT g.id, g.student_id AS "studentId", st.name AS "studentName", g.school_id AS "schoolId", sc.name AS "schoolName",
    g.school_year AS "schoolYear", g.term::int AS term, g.item_key AS "itemKey", it.label AS "itemLabel", g.amount_fen AS "amountFen",
    g.granted_on::text AS "grantedOn", g.source, g.method, g.note, g.status, g.revoked_reason AS "revokedReason", g.revoked_at AS "revokedAt",
    u.display_name AS "recordedByName", g.created_at AS "createdAt", g.updated_at AS "updatedAt"
  FROM aid_grants g JOIN students st ON st.id = g.student_id JOIN schools sc ON sc.id = g.school_id
    JOIN aid_items it ON it.key = g.item_key LEFT JOIN users u ON u.id = g.recorded_by`;

const mapGrant = (r: GrantRow): GrantRow => ({ ...r, revokedAt: iso(r.revokedAt), createdAt: iso(r.createdAt)!, updatedAt: iso(r.updatedAt)! });

/** Grants matching `where` (on g, st), newest first; the count and the granted rows' sum. */
export async function listGrants(q: Queryable, where: SQL, page: number, pageSize: number) {
  const [agg] = await rows<{ n: number; fen: string | number | null }>(q, sql`SELECT count(*)::int AS n,
      COALESCE(sum(g.amount_fen) FILTER (WHERE g.status = 'granted'), 0)::bigint AS fen
    FROM aid_grants g JOIN students st ON st.id = g.student_id WHERE ${where}`);
  const items = await rows<GrantRow>(q, sql`${GRANT_SELECT} WHERE ${where}
    ORDER BY g.school_year DESC, g.granted_on DESC, g.id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`);
  return { total: agg?.n ?? 0, totalFen: Number(agg?.fen ?? 0), items: items.map(mapGrant) };
}

export async function getGrant(q: Queryable, id: number, scopeCond: SQL, forUpdate = false) {
  const r = await one<GrantRow>(q, sql`${GRANT_SELECT} WHERE g.id = ${id} AND ${scopeCond} ${forUpdate ? sql`FOR UPDATE OF g` : sql``}`);
  return r ? mapGrant(r) : undefined;
}

/**
 * A granted row of the same student, item and school year that overlaps `term` (null = the whole
 * year overlaps every term), other than `exceptId`: the same aid recorded twice.
 */
export function overlappingGrant(q: Queryable, v: { studentId: number; itemKey: string; schoolYear: string; term: number | null }, exceptId?: number) {
  return one<{ id: number; grantedOn: string; schoolName: string }>(q, sql`SELECT g.id, g.granted_on::text AS "grantedOn", sc.name AS "schoolName"
    FROM aid_grants g JOIN schools sc ON sc.id = g.school_id
    WHERE g.student_id = ${v.studentId} AND g.item_key = ${v.itemKey} AND g.school_year = ${v.schoolYear} AND g.status = 'granted'
      AND (${v.term}::int IS NULL OR g.term IS NULL OR g.term = ${v.term}::int) ${exceptId ? sql`AND g.id <> ${exceptId}` : sql``}
    ORDER BY g.id LIMIT 1`);
}

export interface GrantValues {
  schoolYear: string; term: number | null; itemKey: string; amountFen: number; grantedOn: string;
  source: AidSource; method: AidMethod; note: string | null;
}

export async function insertGrant(q: Queryable, v: GrantValues & { studentId: number; schoolId: number; recordedBy: number }) {
  const r = await one<{ id: number }>(q, sql`INSERT INTO aid_grants (student_id, school_id, school_year, term, item_key, amount_fen, granted_on, source, method, note, recorded_by)
    VALUES (${v.studentId}, ${v.schoolId}, ${v.schoolYear}, ${v.term}, ${v.itemKey}, ${v.amountFen}, ${v.grantedOn}, ${v.source}, ${v.method}, ${v.note}, ${v.recordedBy})
    RETURNING id`);
  return r!.id;
}

export async function updateGrant(q: Queryable, id: number, v: GrantValues) {
  await q.execute(sql`UPDATE aid_grants SET school_year = ${v.schoolYear}, term = ${v.term}, item_key = ${v.itemKey}, amount_fen = ${v.amountFen},
    granted_on = ${v.grantedOn}, source = ${v.source}, method = ${v.method}, note = ${v.note}, updated_at = now() WHERE id = ${id}`);
}

export async function revokeGrant(q: Queryable, id: number, reason: string, by: number) {
  await q.execute(sql`UPDATE aid_grants SET status = 'revoked', revoked_reason = ${reason}, revoked_at = now(), revoked_by = ${by}, updated_at = now() WHERE id = ${id}`);
}

/** The granted rows of these students in one school year, for the printables (item order, then date). */
export function grantsForPrint(q: Queryable, studentIds: number[], schoolYear: string) {
  if (studentIds.length === 0) return Promise.resolve([]);
  return rows<{ studentId: number; itemLabel: string; standardNote: string | null; term: number | null; amountFen: number; grantedOn: string; source: AidSource; method: AidMethod; note: string | null }>(q, sql`
    SELECT g.student_id AS "studentId", it.label AS "itemLabel", it.standard_note AS "standardNote", g.term::int AS term, g.amount_fen AS "amountFen",
      g.granted_on::text AS "grantedOn", g.source, g.method, g.note
    FROM aid_grants g JOIN aid_items it ON it.key = g.item_key
    WHERE g.student_id = ANY(${sql.param(studentIds)}::int[]) AND g.school_year = ${schoolYear} AND g.status = 'granted'
    ORDER BY g.student_id, it.sort_order, g.granted_on, g.id`);
}

/** Per school and item: students, grants and the amount (granted rows only) of a school year. */
export async function summary(q: Queryable, schoolYear: string, where: SQL) {
  const list = await rows<{ schoolId: number; schoolName: string; itemKey: string; itemLabel: string; students: number; grants: number; totalFen: string | number }>(q, sql`
    SELECT g.school_id AS "schoolId", sc.name AS "schoolName", g.item_key AS "itemKey", it.label AS "itemLabel",
      count(DISTINCT g.student_id)::int AS students, count(*)::int AS grants, sum(g.amount_fen)::bigint AS "totalFen"
    FROM aid_grants g JOIN students st ON st.id = g.student_id JOIN schools sc ON sc.id = g.school_id JOIN aid_items it ON it.key = g.item_key
    WHERE g.school_year = ${schoolYear} AND g.status = 'granted' AND ${where}
    GROUP BY g.school_id, sc.name, sc.code, g.item_key, it.label, it.sort_order
    ORDER BY sc.code, it.sort_order, g.item_key`);
  const [all] = await rows<{ students: number }>(q, sql`SELECT count(DISTINCT g.student_id)::int AS students
    FROM aid_grants g JOIN students st ON st.id = g.student_id WHERE g.school_year = ${schoolYear} AND g.status = 'granted' AND ${where}`);
  const out = list.map((r) => ({ ...r, totalFen: Number(r.totalFen) }));
  return { rows: out, students: all?.students ?? 0, totalFen: out.reduce((n, r) => n + r.totalFen, 0) };
}
