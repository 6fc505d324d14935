// SQL of the pairings module: programmes, school calendars, pairings, participants, status
// history, activities and checks. Scope conditions come in from the service (compileScope).
import { sql, type SQL } from 'drizzle-orm';
import { one, rows, type Queryable } from '../../db/client.js';
import { batchedQuery } from '../../db/batch.js';
import { auditInsertArrays, type AuditValues } from '../audit/audit.repo.js';
import { pairingsOfViewers, type PairingViewer } from '../scope/scope.js';
import type { Quota } from './engine/quota.js';
import type { AttachmentView, PersonKind, ProgrammeDefinition, SchoolYearCalendar } from './pairings.schemas.js';

const p = (v: unknown) => sql.param(v);
/** timestamptz as ISO text: a Date from the drivers, a string inside json_build_object */
const iso = (v: unknown) => new Date(v as string | Date).toISOString();

// ───────────────────────────── programmes ─────────────────────────────

export interface ProgrammeRow extends ProgrammeDefinition {
  id: number;
  description: string | null;
  builtin: boolean;
  activePairings: number;
  updatedAt: string;
}

const PROGRAMME_COLS = sql`pr.id, pr.key, pr.name, pr.description, pr.roles, pr.activity_types AS "activityTypes", pr.quotas, pr.active, pr.builtin,
  pr.updated_at AS "updatedAt",
  (SELECT count(*)::int FROM pairings x WHERE x.programme_id = pr.id AND x.status = 'active') AS "activePairings"`;

const programmeOut = (r: ProgrammeRow): ProgrammeRow => ({ ...r, updatedAt: iso(r.updatedAt) });

export async function listProgrammes(q: Queryable): Promise<ProgrammeRow[]> {
  return (await rows<ProgrammeRow>(q, sql`SELECT ${PROGRAMME_COLS} FROM programmes pr ORDER BY pr.id`)).map(programmeOut);
}

export async function getProgramme(q: Queryable, by: { key: string } | { id: number }, forUpdate = false): Promise<ProgrammeRow | undefined> {
  const where = 'key' in by ? sql`pr.key = ${by.key}` : sql`pr.id = ${by.id}`;
  const r = await one<ProgrammeRow>(q, sql`SELECT ${PROGRAMME_COLS} FROM programmes pr WHERE ${where} ${forUpdate ? sql`FOR UPDATE` : sql``}`);
  return r && programmeOut(r);
}

export async function insertProgramme(q: Queryable, d: ProgrammeDefinition, userId: number | null): Promise<number> {
  const r = await one<{ id: number }>(q, sql`INSERT INTO programmes (key, name, description, roles, activity_types, quotas, active, updated_by)
    VALUES (${d.key}, ${d.name}, ${d.description ?? null}, ${JSON.stringify(d.roles)}::jsonb, ${JSON.stringify(d.activityTypes)}::jsonb,
            ${JSON.stringify(d.quotas)}::jsonb, ${d.active}, ${userId})
    ON CONFLICT (key) DO NOTHING RETURNING id`);
  return r?.id ?? 0;
}

export async function updateProgramme(q: Queryable, id: number, d: Omit<ProgrammeDefinition, 'key'>, userId: number | null): Promise<void> {
  await q.execute(sql`UPDATE programmes SET name = ${d.name}, description = ${d.description ?? null}, roles = ${JSON.stringify(d.roles)}::jsonb,
    activity_types = ${JSON.stringify(d.activityTypes)}::jsonb, quotas = ${JSON.stringify(d.quotas)}::jsonb, active = ${d.active},
    updated_by = ${userId}, updated_at = now() WHERE id = ${id}`);
}

/** Role keys held by participants and activity types recorded in the programme's pairings (they cannot be removed from it). */
export async function usedRolesAndTypes(q: Queryable, programmeId: number): Promise<{ roles: string[]; types: string[] }> {
  const r = await one<{ roles: string[]; types: string[] }>(q, sql`SELECT
      ARRAY(SELECT DISTINCT pt.role FROM pairing_participants pt JOIN pairings x ON x.id = pt.pairing_id WHERE x.programme_id = ${programmeId}) AS roles,
      ARRAY(SELECT DISTINCT a.type FROM activities a JOIN pairings x ON x.id = a.pairing_id WHERE x.programme_id = ${programmeId}) AS types`);
  return { roles: r?.roles ?? [], types: r?.types ?? [] };
}

// ───────────────────────────── school calendars ─────────────────────────────

export async function listSchoolCalendars(q: Queryable) {
  const list = await rows<{ schoolYear: string; config: SchoolYearCalendar; updatedAt: unknown }>(
    q,
    sql`SELECT school_year AS "schoolYear", config, updated_at AS "updatedAt" FROM school_calendars ORDER BY school_year`,
  );
  return list.map((r) => ({ ...r, updatedAt: iso(r.updatedAt) }));
}

export async function upsertSchoolCalendar(q: Queryable, schoolYear: string, config: SchoolYearCalendar, userId: number | null): Promise<void> {
  await q.execute(sql`INSERT INTO school_calendars (school_year, config, updated_by) VALUES (${schoolYear}, ${JSON.stringify(config)}::jsonb, ${userId})
    ON CONFLICT (school_year) DO UPDATE SET config = EXCLUDED.config, updated_by = EXCLUDED.updated_by, updated_at = now()`);
}

// ───────────────────────────── people (participants to be) ─────────────────────────────

export interface PersonRow {
  id: number;
  name: string;
  schoolId: number;
  active: boolean;
}

/** The teachers, students or schools among `ids` that the scope condition lets the caller see. */
export function peopleInScope(q: Queryable, kind: PersonKind, ids: number[], scopeCond: SQL): Promise<PersonRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  if (kind === 'teacher') {
    return rows<PersonRow>(q, sql`SELECT t.id, t.name, t.school_id AS "schoolId", t.active FROM teachers t WHERE t.id = ANY(${p(ids)}::int[]) AND ${scopeCond}`);
  }
  if (kind === 'student') {
    return rows<PersonRow>(q, sql`SELECT st.id, st.name, st.school_id AS "schoolId", true AS active FROM students st WHERE st.id = ANY(${p(ids)}::int[]) AND ${scopeCond}`);
  }
  return rows<PersonRow>(q, sql`SELECT sc.id, sc.name, sc.id AS "schoolId", true AS active FROM schools sc WHERE sc.id = ANY(${p(ids)}::int[]) AND ${scopeCond}`);
}

// ───────────────────────────── pairings ─────────────────────────────

export interface PairingRow {
  id: number;
  programmeId: number;
  programmeKey: string;
  programmeName: string;
  status: 'proposed' | 'active' | 'completed' | 'cancelled';
  start: string;
  end: string | null;
  plan: string | null;
  schoolId: number | null;
  schoolName: string | null;
  subjectRef: { kind: string; id: number | string } | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

const PAIRING_COLS = sql`pg.id, pg.programme_id AS "programmeId", pr.key AS "programmeKey", pr.name AS "programmeName", pg.status,
  pg.start_date AS start, pg.end_date AS "end", pg.plan, pg.school_id AS "schoolId", sc.name AS "schoolName", pg.subject_ref AS "subjectRef",
  u.display_name AS "createdBy", pg.created_at AS "createdAt", pg.updated_at AS "updatedAt"`;
const PAIRING_FROM = sql`FROM pairings pg JOIN programmes pr ON pr.id = pg.programme_id
  LEFT JOIN schools sc ON sc.id = pg.school_id LEFT JOIN users u ON u.id = pg.created_by`;
const pairingOut = (r: PairingRow): PairingRow => ({ ...r, createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt) });

export async function insertPairing(
  q: Queryable,
  v: { programmeId: number; status: string; start: string; end: string | null; plan: string | null; schoolId: number | null; subjectRef: unknown; createdBy: number | null },
): Promise<number> {
  const r = await one<{ id: number }>(q, sql`INSERT INTO pairings (programme_id, status, start_date, end_date, plan, school_id, subject_ref, created_by)
    VALUES (${v.programmeId}, ${v.status}, ${v.start}, ${v.end}, ${v.plan}, ${v.schoolId}, ${v.subjectRef == null ? null : JSON.stringify(v.subjectRef)}::jsonb, ${v.createdBy})
    RETURNING id`);
  return r!.id;
}

/** One pairing if the scope condition (on alias `pg`) lets the caller see it; FOR UPDATE locks it for a change. */
export async function getPairing(q: Queryable, id: number, scopeCond: SQL, forUpdate = false): Promise<PairingRow | undefined> {
  const r = await one<PairingRow>(q, sql`SELECT ${PAIRING_COLS} ${PAIRING_FROM} WHERE pg.id = ${id} AND ${scopeCond} ${forUpdate ? sql`FOR UPDATE OF pg` : sql``}`);
  return r && pairingOut(r);
}

export async function isTrue(q: Queryable, cond: SQL): Promise<boolean> {
  const r = await one<{ ok: boolean }>(q, sql`SELECT (${cond}) AS ok`);
  return r?.ok === true;
}

export async function listPairings(q: Queryable, where: SQL, page: number, pageSize: number) {
  const [count] = await rows<{ n: number }>(q, sql`SELECT count(*)::int AS n ${PAIRING_FROM} WHERE ${where}`);
  const items = await rows<PairingRow>(q, sql`SELECT ${PAIRING_COLS} ${PAIRING_FROM} WHERE ${where}
    ORDER BY pg.id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`);
  return { total: count?.n ?? 0, items: items.map(pairingOut) };
}

/** Every pairing the condition selects (alias `pg`), for standings; no paging. */
export async function pairingsWhere(q: Queryable, where: SQL): Promise<PairingRow[]> {
  return (await rows<PairingRow>(q, sql`SELECT ${PAIRING_COLS} ${PAIRING_FROM} WHERE ${where} ORDER BY pg.id`)).map(pairingOut);
}

/** The pairings the condition selects (aliases `pg`, `pr`), with only what standings need: cheaper than pairingsWhere for thousands. */
export function pairingsForStandings(q: Queryable, where: SQL) {
  return rows<Pick<PairingRow, 'id' | 'programmeId' | 'programmeName' | 'status' | 'start' | 'end'>>(
    q,
    sql`SELECT pg.id, pg.programme_id AS "programmeId", pr.name AS "programmeName", pg.status, pg.start_date AS start, pg.end_date AS "end"
      FROM pairings pg JOIN programmes pr ON pr.id = pg.programme_id WHERE ${where} ORDER BY pg.id`,
  );
}

export async function updatePairingFields(q: Queryable, id: number, v: { status?: string; start?: string; end?: string | null; plan?: string | null }): Promise<void> {
  const sets: SQL[] = [sql`updated_at = now()`];
  if (v.status !== undefined) sets.push(sql`status = ${v.status}`);
  if (v.start !== undefined) sets.push(sql`start_date = ${v.start}`);
  if (v.end !== undefined) sets.push(sql`end_date = ${v.end}`);
  if (v.plan !== undefined) sets.push(sql`plan = ${v.plan}`);
  await q.execute(sql`UPDATE pairings SET ${sql.join(sets, sql`, `)} WHERE id = ${id}`);
}

export async function insertStatusHistory(
  q: Queryable,
  v: { pairingId: number; from: string | null; to: string; effectiveDate: string | null; reason: string | null; actorUserId: number | null; actorName: string },
): Promise<void> {
  await q.execute(sql`INSERT INTO pairing_status_history (pairing_id, from_status, to_status, effective_date, reason, actor_user_id, actor_name)
    VALUES (${v.pairingId}, ${v.from}, ${v.to}, ${v.effectiveDate}, ${v.reason}, ${v.actorUserId}, ${v.actorName})`);
}

export async function statusHistory(q: Queryable, pairingId: number) {
  const list = await rows<{ from: string | null; to: string; effectiveDate: string | null; reason: string | null; actorName: string; at: unknown }>(
    q,
    sql`SELECT from_status AS "from", to_status AS "to", effective_date AS "effectiveDate", reason, actor_name AS "actorName", at
      FROM pairing_status_history WHERE pairing_id = ${pairingId} ORDER BY id`,
  );
  return list.map((h) => ({ ...h, at: iso(h.at) }));
}

// ───────────────────────────── participants ─────────────────────────────

export interface ParticipantRow {
  id: number;
  pairingId: number;
  role: string;
  side: 'helper' | 'helped';
  kind: PersonKind;
  personId: number;
  name: string;
  schoolId: number | null;
  schoolName: string | null;
  from: string;
  to: string | null;
  endReason: string | null;
}

export async function insertParticipant(
  q: Queryable,
  v: { pairingId: number; role: string; side: string; kind: PersonKind; personId: number; schoolId: number | null; from: string; createdBy: number | null },
): Promise<number> {
  const r = await one<{ id: number }>(q, sql`INSERT INTO pairing_participants (pairing_id, role, side, person_kind, person_id, school_id, from_date, created_by)
    VALUES (${v.pairingId}, ${v.role}, ${v.side}, ${v.kind}, ${v.personId}, ${v.schoolId}, ${v.from}, ${v.createdBy}) RETURNING id`);
  return r!.id;
}

export async function endParticipant(q: Queryable, id: number, to: string, reason: string): Promise<void> {
  await q.execute(sql`UPDATE pairing_participants SET to_date = ${to}, end_reason = ${reason} WHERE id = ${id}`);
}

/** Participants of the pairings (all of them, former included), with names; `onDay` keeps those taking part that day. */
export function participantsOf(q: Queryable, pairingIds: number[], onDay?: SQL): Promise<ParticipantRow[]> {
  if (pairingIds.length === 0) return Promise.resolve([]);
  return rows<ParticipantRow>(q, sql`SELECT pt.id, pt.pairing_id AS "pairingId", pt.role, pt.side, pt.person_kind AS kind, pt.person_id AS "personId",
      coalesce(CASE pt.person_kind WHEN 'teacher' THEN t.name WHEN 'student' THEN st.name ELSE ps.name END, '') AS name,
      pt.school_id AS "schoolId", sc.name AS "schoolName", pt.from_date AS "from", pt.to_date AS "to", pt.end_reason AS "endReason"
    FROM pairing_participants pt
      LEFT JOIN teachers t ON pt.person_kind = 'teacher' AND t.id = pt.person_id
      LEFT JOIN students st ON pt.person_kind = 'student' AND st.id = pt.person_id
      LEFT JOIN schools ps ON pt.person_kind = 'school' AND ps.id = pt.person_id
      LEFT JOIN schools sc ON sc.id = pt.school_id
    WHERE pt.pairing_id = ANY(${p(pairingIds)}::int[]) ${onDay ? sql`AND ${onDay}` : sql``}
    ORDER BY pt.pairing_id, (pt.side = 'helper') DESC, pt.id`);
}

// ───────────────────────────── activities ─────────────────────────────

export interface ActivityRow {
  id: number;
  pairingId: number;
  programmeKey: string;
  type: string;
  date: string;
  role: string;
  personIds: string[];
  content: string | null;
  fields: Record<string, unknown> | null;
  attachments: AttachmentView[] | null;
  confidential: boolean;
  readable: boolean;
  status: 'submitted' | 'accepted' | 'returned';
  revision: number;
  recordedBy: number | null;
  recordedByName: string;
  createdAt: string;
  updatedAt: string;
  lastCheck: { id: number; verdict: 'accepted' | 'returned'; comment: string | null; spotCheck: boolean; reviewerName: string; revision: number; at: string } | null;
}

/** Columns of an activity; content, fields and attachments are NULL where `readable` (scope.activityContent) is false. */
const activityCols = (readable: SQL) => sql`a.id, a.pairing_id AS "pairingId", pr.key AS "programmeKey", a.type, a.date, a.role, a.person_ids AS "personIds",
  CASE WHEN ${readable} THEN a.content END AS content, CASE WHEN ${readable} THEN a.fields END AS fields,
  CASE WHEN ${readable} THEN a.attachments END AS attachments, a.confidential, (${readable}) AS readable,
  a.status, a.revision, a.recorded_by AS "recordedBy", a.recorded_by_name AS "recordedByName", a.created_at AS "createdAt", a.updated_at AS "updatedAt",
  (SELECT json_build_object('id', c.id, 'verdict', c.verdict, 'comment', c.comment, 'spotCheck', c.spot_check, 'reviewerName', c.reviewer_name,
          'revision', c.revision, 'at', c.at)
     FROM activity_checks c WHERE c.activity_id = a.id ORDER BY c.id DESC LIMIT 1) AS "lastCheck"`;
const ACTIVITY_FROM = sql`FROM activities a JOIN pairings pg ON pg.id = a.pairing_id JOIN programmes pr ON pr.id = pg.programme_id`;
const activityOut = (r: ActivityRow): ActivityRow => ({
  ...r,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
  lastCheck: r.lastCheck ? { ...r.lastCheck, at: iso(r.lastCheck.at) } : null,
});

export async function insertActivity(
  q: Queryable,
  v: { pairingId: number; type: string; date: string; role: string; personIds: string[]; content: string; fields: Record<string, unknown>; confidential: boolean; recordedBy: number | null; recordedByName: string },
): Promise<number> {
  const r = await one<{ id: number }>(q, sql`INSERT INTO activities (pairing_id, type, date, role, person_ids, content, fields, confidential, recorded_by, recorded_by_name)
    VALUES (${v.pairingId}, ${v.type}, ${v.date}, ${v.role}, ${p(v.personIds)}::text[], ${v.content}, ${JSON.stringify(v.fields)}::jsonb, ${v.confidential},
            ${v.recordedBy}, ${v.recordedByName}) RETURNING id`);
  return r!.id;
}

/** A participant as the record checks need it (no names). */
export interface ParticipantRef {
  role: string;
  side: 'helper' | 'helped';
  kind: PersonKind;
  personId: number;
  from: string;
  to: string | null;
}

// ─── a record's save: batched across the requests of the same moment (src/db/batch.ts) ───

/** What a record's save needs of its pairing. */
export type RecordPairingRef = Pick<PairingRow, 'id' | 'programmeId' | 'programmeKey' | 'programmeName' | 'status' | 'start' | 'end' | 'schoolId'>;
type RecordPairingRow = RecordPairingRef & Partial<Pick<ProgrammeDefinition, 'roles' | 'activityTypes'>> & { i: number; participants: ParticipantRef[]; nextActivityId: number };
export interface RecordPairing {
  pairing: RecordPairingRef;
  programme: { name: string } & Pick<ProgrammeDefinition, 'roles' | 'activityTypes'>;
  participants: ParticipantRef[];
  nextActivityId: number;
}

/**
 * The pairings of several callers' saves in one query: each item's pairing with its programme's
 * definition and participants, and a new record id — only if that item's own caller may see it
 * (the scope's pairings rule with each caller given as columns: item i's row must pass item i's
 * viewer). One statement text for any number of callers, with one array parameter per column, so
 * PostgreSQL plans it in well under a millisecond; a programme's definition (kilobytes of JSON) comes
 * once per programme, on its first row.
 */
async function pairingsForRecord(q: Queryable, items: readonly { id: number; viewer: PairingViewer }[]): Promise<(RecordPairing | undefined)[]> {
  const col = <T>(f: (it: { id: number; viewer: PairingViewer }, i: number) => T) => p(items.map(f));
  const found = await rows<RecordPairingRow>(q, sql`WITH x AS (
      SELECT c.i, pg.id FROM unnest(${col((_, i) => i)}::int[], ${col((it) => it.id)}::int[], ${col((it) => it.viewer.level)}::text[],
          ${col((it) => it.viewer.schoolId)}::int[], ${col((it) => it.viewer.teacherId)}::int[], ${col((it) => it.viewer.today)}::date[])
        AS c(i, pairing_id, level, school_id, teacher_id, today)
      JOIN pairings pg ON pg.id = c.pairing_id
      WHERE ${pairingsOfViewers('pg', 'c')})
    SELECT x.i, pg.id, pg.programme_id AS "programmeId", pr.key AS "programmeKey", pr.name AS "programmeName", pg.status,
      pg.start_date AS start, pg.end_date AS "end", pg.school_id AS "schoolId",
      CASE WHEN row_number() OVER w = 1 THEN pr.roles END AS roles, CASE WHEN row_number() OVER w = 1 THEN pr.activity_types END AS "activityTypes",
      (SELECT coalesce(json_agg(json_build_object('role', pt.role, 'side', pt.side, 'kind', pt.person_kind, 'personId', pt.person_id,
          'from', pt.from_date, 'to', pt.to_date) ORDER BY pt.id), '[]'::json)
        FROM pairing_participants pt WHERE pt.pairing_id = pg.id) AS participants,
      nextval(pg_get_serial_sequence('activities', 'id'))::int AS "nextActivityId"
    FROM x JOIN pairings pg ON pg.id = x.id JOIN programmes pr ON pr.id = pg.programme_id
    WINDOW w AS (PARTITION BY pr.id ORDER BY x.i)`);
  const definitions = new Map(found.filter((r) => r.activityTypes).map((r) => [r.programmeId, { roles: r.roles!, activityTypes: r.activityTypes! }]));
  const byItem = new Map(found.map((r) => [Number(r.i), r]));
  return items.map((_, i) => {
    const r = byItem.get(i);
    if (!r) return undefined;
    const { i: _i, roles: _r, activityTypes: _t, participants, nextActivityId, ...pairing } = r;
    return { pairing, programme: { name: pairing.programmeName, ...definitions.get(pairing.programmeId)! }, participants, nextActivityId };
  });
}

const pairingForRecordBatched = batchedQuery(pairingsForRecord);

/**
 * A pairing for a record's save, if the caller (as a pairings viewer, Scope.pairingViewer) may see it:
 * with its programme's definition, its participants and the new record's id. Saves at the same moment
 * share one query (each checked as its own caller).
 */
export function pairingForRecord(q: Queryable, id: number, viewer: PairingViewer): Promise<RecordPairing | undefined> {
  return pairingForRecordBatched(q, { id, viewer });
}

export interface ActivityInsert {
  id: number; pairingId: number; type: string; date: string; role: string; personIds: string[]; content: string; fields: Record<string, unknown>;
  confidential: boolean; recordedBy: number | null; recordedByName: string;
  /** the record's audit rows (auditValues): written by the same statement */
  audit: AuditValues[];
}

/**
 * Inserts records with the ids pairingForRecord took and, in the same statement, their audit rows:
 * atomic without a transaction block, one round trip and one commit for all. One array parameter
 * per column (the statement's text does not grow with the batch). Returns their times.
 */
async function insertActivities(q: Queryable, list: readonly ActivityInsert[]): Promise<{ createdAt: string; updatedAt: string }[]> {
  const col = <T>(f: (v: ActivityInsert) => T) => p(list.map(f));
  const audit = auditInsertArrays(list.flatMap((v) => v.audit));
  const r = await rows<{ id: number; createdAt: unknown; updatedAt: unknown }>(q, sql`WITH a AS (
      INSERT INTO activities (id, pairing_id, type, date, role, person_ids, content, fields, confidential, recorded_by, recorded_by_name)
      OVERRIDING SYSTEM VALUE
      SELECT id, pairing_id, type, date, role, ARRAY(SELECT jsonb_array_elements_text(person_ids::jsonb)), content, fields::jsonb, confidential, recorded_by, recorded_by_name
      FROM unnest(${col((v) => v.id)}::int[], ${col((v) => v.pairingId)}::int[], ${col((v) => v.type)}::text[], ${col((v) => v.date)}::date[], ${col((v) => v.role)}::text[],
          ${col((v) => JSON.stringify(v.personIds))}::text[], ${col((v) => v.content)}::text[], ${col((v) => JSON.stringify(v.fields))}::text[],
          ${col((v) => v.confidential)}::boolean[], ${col((v) => v.recordedBy)}::int[], ${col((v) => v.recordedByName)}::text[])
        AS t(id, pairing_id, type, date, role, person_ids, content, fields, confidential, recorded_by, recorded_by_name)
      RETURNING id, created_at, updated_at)
    ${audit ? sql`, w AS (${audit})` : sql``}
    SELECT id, created_at AS "createdAt", updated_at AS "updatedAt" FROM a`);
  const byId = new Map(r.map((x) => [Number(x.id), x]));
  return list.map((v) => {
    const x = byId.get(v.id);
    if (!x) throw new Error(`activity ${v.id} was not inserted`);
    return { createdAt: iso(x.createdAt), updatedAt: iso(x.updatedAt) };
  });
}

const insertActivityBatched = batchedQuery(insertActivities);

/**
 * Inserts a record with the id pairingForRecord took and its audit rows in one statement. Saves at
 * the same moment share the statement (group commit); if it fails, each is inserted alone, so one
 * save's failure is its own.
 */
export function insertActivityAudited(q: Queryable, v: ActivityInsert): Promise<{ createdAt: string; updatedAt: string }> {
  return insertActivityBatched(q, v);
}

export async function getActivity(q: Queryable, id: number, scopeCond: SQL, readable: SQL, forUpdate = false): Promise<ActivityRow | undefined> {
  const r = await one<ActivityRow>(q, sql`SELECT ${activityCols(readable)} ${ACTIVITY_FROM} WHERE a.id = ${id} AND ${scopeCond} ${forUpdate ? sql`FOR UPDATE OF a` : sql``}`);
  return r && activityOut(r);
}

/** The stored record in full, for the service's own checks and audit (never returned to a caller as is). */
export function activityRaw(q: Queryable, id: number) {
  return one<{ id: number; pairingId: number; type: string; date: string; role: string; personIds: string[]; content: string; fields: Record<string, unknown>;
    attachments: AttachmentView[]; confidential: boolean; status: string; revision: number; recordedBy: number | null }>(
    q,
    sql`SELECT id, pairing_id AS "pairingId", type, date, role, person_ids AS "personIds", content, fields, attachments, confidential, status, revision,
      recorded_by AS "recordedBy" FROM activities WHERE id = ${id}`,
  );
}

export async function listActivities(q: Queryable, where: SQL, readable: SQL, page: number, pageSize: number) {
  const [count] = await rows<{ n: number }>(q, sql`SELECT count(*)::int AS n ${ACTIVITY_FROM} WHERE ${where}`);
  const items = await rows<ActivityRow>(q, sql`SELECT ${activityCols(readable)} ${ACTIVITY_FROM} WHERE ${where}
    ORDER BY a.date DESC, a.id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`);
  return { total: count?.n ?? 0, items: items.map(activityOut) };
}

export async function updateActivity(
  q: Queryable,
  id: number,
  v: { date: string; personIds: string[]; content: string; fields: Record<string, unknown>; confidential: boolean; status: string; revision: number },
): Promise<void> {
  await q.execute(sql`UPDATE activities SET date = ${v.date}, person_ids = ${p(v.personIds)}::text[], content = ${v.content},
    fields = ${JSON.stringify(v.fields)}::jsonb, confidential = ${v.confidential}, status = ${v.status}, revision = ${v.revision}, updated_at = now()
    WHERE id = ${id}`);
}

export async function setActivityStatus(q: Queryable, id: number, status: string): Promise<void> {
  await q.execute(sql`UPDATE activities SET status = ${status}, updated_at = now() WHERE id = ${id}`);
}

export async function appendAttachment(q: Queryable, id: number, a: AttachmentView): Promise<void> {
  await q.execute(sql`UPDATE activities SET attachments = attachments || ${JSON.stringify([a])}::jsonb, updated_at = now() WHERE id = ${id}`);
}

export async function insertCheck(
  q: Queryable,
  v: { activityId: number; revision: number; reviewerId: number | null; reviewerName: string; verdict: string; comment: string | null; spotCheck: boolean },
): Promise<number> {
  const r = await one<{ id: number }>(q, sql`INSERT INTO activity_checks (activity_id, revision, reviewer_id, reviewer_name, verdict, comment, spot_check)
    VALUES (${v.activityId}, ${v.revision}, ${v.reviewerId}, ${v.reviewerName}, ${v.verdict}, ${v.comment}, ${v.spotCheck}) RETURNING id`);
  return r!.id;
}

export async function checksOf(q: Queryable, activityId: number) {
  const list = await rows<{ id: number; verdict: 'accepted' | 'returned'; comment: string | null; spotCheck: boolean; reviewerName: string; revision: number; at: unknown }>(
    q,
    sql`SELECT id, verdict, comment, spot_check AS "spotCheck", reviewer_name AS "reviewerName", revision, at FROM activity_checks WHERE activity_id = ${activityId} ORDER BY id`,
  );
  return list.map((c) => ({ ...c, at: iso(c.at) }));
}

/** The records that count toward quotas (submitted or accepted) of the pairings: the engine's ActivityRecord fields only. */
export function countedActivities(q: Queryable, pairingIds: number[]) {
  if (pairingIds.length === 0) return Promise.resolve([]);
  return rows<{ pairingId: number; id: number; type: string; date: string; role: string; personIds: string[] }>(
    q,
    sql`SELECT a.pairing_id AS "pairingId", a.id, a.type, a.date, a.role, a.person_ids AS "personIds" FROM activities a
      WHERE a.pairing_id = ANY(${p(pairingIds)}::int[]) AND a.status IN ('submitted', 'accepted')`,
  );
}

/**
 * What changed in `activities` since `horizon` (a transaction id from an earlier call; null = the
 * first call): the pairings touched by transactions from `horizon` on, whether a TRUNCATE cleared
 * them all, and the new horizon — the oldest transaction still running now (pg_snapshot_xmin), so a
 * transaction that commits later, even one that began before this call, is seen by the next one.
 */
export async function activityChangesSince(q: Queryable, horizon: string | null): Promise<{ xmin: string; pairingIds: number[]; all: boolean }> {
  const r = await one<{ xmin: string; pairingIds: number[] | null; all: boolean | null }>(
    q,
    horizon === null
      ? sql`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin, NULL AS "pairingIds", false AS "all"`
      : sql`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin, array_agg(DISTINCT c.pairing_id) FILTER (WHERE c.pairing_id IS NOT NULL) AS "pairingIds",
          bool_or(c.pairing_id IS NULL) AS "all" FROM activity_changes c WHERE c.xid >= ${horizon}::xid8`,
  );
  return { xmin: r!.xmin, pairingIds: r!.pairingIds ?? [], all: r!.all === true };
}

/** Participants of the pairings (former included) without names: what the engine needs. */
export function participantsForEngine(q: Queryable, pairingIds: number[]) {
  if (pairingIds.length === 0) return Promise.resolve([]);
  return rows<{ pairingId: number; role: string; kind: PersonKind; personId: number; schoolId: number | null; from: string; to: string | null }>(
    q,
    sql`SELECT pt.pairing_id AS "pairingId", pt.role, pt.person_kind AS kind, pt.person_id AS "personId", pt.school_id AS "schoolId",
        pt.from_date AS "from", pt.to_date AS "to"
      FROM pairing_participants pt WHERE pt.pairing_id = ANY(${p(pairingIds)}::int[]) ORDER BY pt.pairing_id, (pt.side = 'helper') DESC, pt.id`,
  );
}

/** Every programme's quotas (no counts: cheap), for standings. */
export function programmeQuotas(q: Queryable) {
  return rows<{ id: number; quotas: Quota[]; updatedAt: unknown }>(q, sql`SELECT pr.id, pr.quotas, pr.updated_at AS "updatedAt" FROM programmes pr`);
}
