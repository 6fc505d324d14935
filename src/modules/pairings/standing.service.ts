// Quota standings from stored data: the pure engine (evaluatePairing, rollUpBy…, dueSoon) run on
// the stored pairings, their participants, the records that count (submitted or accepted), the
// programme's quotas and the bureau's calendar. Nothing here re-states a quota rule.
import { sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../../server/context.js';
import { notFound } from '../../server/errors.js';
import type { Caller } from '../../server/http.js';
import { readAll, type Queryable } from '../../db/client.js';
import type { SchoolCalendar } from './engine/calendar.js';
import {
  dueSoon,
  evaluatePairing,
  rollUp,
  rollUpBy,
  rollUpByPerson,
  rollUpByUnit,
  STATUS_LABELS,
  type ActivityRecord,
  type PairingInput,
  type PairingStanding,
  type PeriodStanding,
} from './engine/standing.js';
import type { PairingStandingView } from './pairings.schemas.js';
import { loadCalendar } from './programmes.service.js';
import { calendarOf } from './school-calendar.js';
import { refOf, takesPartOn, today } from './pairings.service.js';
import * as repo from './pairings.repo.js';

const unitRef = (schoolId: number | null) => (schoolId == null ? null : `school:${schoolId}`);

/** The day whose participants count: asOf, kept inside the pairing's span. */
type StandingPairing = Pick<repo.PairingRow, 'id' | 'programmeId' | 'programmeName' | 'status' | 'start' | 'end'>;

function referenceDay(p: StandingPairing, asOf: string): string {
  let d = asOf;
  if (p.end && d > p.end) d = p.end;
  if (d < p.start) d = p.start;
  return d;
}

/** Never in force: cancelled while still proposed (no end date). Proposed ones are passed on (the engine does not evaluate them). */
const neverInForce = (p: Pick<StandingPairing, 'status' | 'end'>) => p.status === 'cancelled' && !p.end;

interface Loaded {
  inputs: PairingInput[];
  names: Map<string, string>;
}

// ── Counted records, kept in memory per database ──────────────────────────────────────────
// A county report evaluates thousands of pairings; reading their ~150,000 records on every request
// cost more than the engine. The records that count (ActivityRecord fields) are kept per pairing and
// re-read only for the pairings `activity_changes` (migration 0014, statement triggers on
// activities: insert, update, delete, truncate) logged since the last look. Participants, pairing
// dates and status, quotas and the calendar are read on every request (they are small).
interface RecordCache {
  /** pg_snapshot_xmin of the last look; null before the first */
  horizon: string | null;
  byPairing: Map<number, ActivityRecord[]>;
  /** looks run one at a time, so an older read never overwrites a newer one */
  queue: Promise<unknown>;
  /** looks so far, and pairings whose records they read (for benchmarks) */
  stats: { looks: number; reread: number };
}
const recordCaches = new WeakMap<object, RecordCache>();
const recordOf = (a: { id: number; type: string; date: string; role: string; personIds: string[] }): ActivityRecord => ({ id: String(a.id), type: a.type, date: a.date, role: a.role, personIds: a.personIds });
const RECORD_CACHE_MAX_PAIRINGS = 200_000;

/** How often the record cache of a database looked for changes, and how many pairings' records it read (benchmarks). */
export function recordCacheStats(db: Queryable): { looks: number; reread: number } {
  const stats = recordCaches.get(db)?.stats;
  return stats ? { ...stats } : { looks: 0, reread: 0 };
}

/** The counted records (submitted, accepted) of the pairings, from the cache brought up to date. */
function countedRecords(db: Queryable, ids: readonly number[]): Promise<Map<number, readonly ActivityRecord[]>> {
  let cache = recordCaches.get(db);
  if (!cache) recordCaches.set(db, (cache = { horizon: null, byPairing: new Map(), queue: Promise.resolve(), stats: { looks: 0, reread: 0 } }));
  const c = cache;
  const run = c.queue.then(async () => {
    const changes = await repo.activityChangesSince(db, c.horizon);
    if (c.horizon === null || changes.all || c.byPairing.size > RECORD_CACHE_MAX_PAIRINGS) c.byPairing.clear();
    else for (const id of changes.pairingIds) c.byPairing.delete(id);
    const missing = ids.filter((id) => !c.byPairing.has(id));
    c.stats.looks += 1;
    c.stats.reread += missing.length;
    if (missing.length > 0) {
      const loaded = new Map<number, ActivityRecord[]>(missing.map((id) => [id, []]));
      for (const a of await repo.countedActivities(db, missing)) {
        loaded.get(a.pairingId)!.push(recordOf(a));
      }
      for (const [id, list] of loaded) c.byPairing.set(id, list);
    }
    c.horizon = changes.xmin;
    return new Map(ids.map((id) => [id, c.byPairing.get(id)!]));
  });
  c.queue = run.catch(() => undefined);
  return run;
}

// ── Standings, kept per pairing while nothing they depend on changed ────────────────────
// The key is everything evaluatePairing reads except the records, which are compared by identity
// (the record cache replaces a pairing's list when it changes): asOf, the calendar, the quotas,
// the pairing's status and dates, its participants on the reference day.
const standingCaches = new WeakMap<object, Map<number, { key: string; records: readonly ActivityRecord[]; standing: PairingStanding }>>();
const calendars = new Map<string, SchoolCalendar>();

/** The bureau's calendar, one object per stored configuration (the engine caches its day classes per calendar object). */
async function calendarFor(q: Queryable): Promise<{ calendar: SchoolCalendar; key: string }> {
  const years = await repo.listSchoolCalendars(q);
  const key = JSON.stringify(years.map((y) => [y.schoolYear, y.config]));
  let calendar = calendars.get(key);
  if (!calendar) {
    if (calendars.size >= 8) calendars.clear();
    calendars.set(key, (calendar = calendarOf(years)));
  }
  return { calendar, key };
}

/**
 * The engine's inputs for stored pairings: participants taking part on the reference day, counted
 * records, programme quotas; with `names`, the participants' and their schools' names. Records come
 * from the cache when `q` is the database itself (not a transaction).
 */
async function engineInputs(q: Queryable, pairings: readonly StandingPairing[], asOf: string, opts: { names?: boolean; cached?: boolean } = {}): Promise<Loaded> {
  const live = pairings.filter((p) => !neverInForce(p));
  const ids = live.map((p) => p.id);
  // independent reads: in parallel on PostgreSQL's pool (PGlite runs them one after another)
  const [programmes, participants, cachedRecords] = await readAll(q, [
    () => repo.programmeQuotas(q),
    () => (opts.names ? repo.participantsOf(q, ids) : repo.participantsForEngine(q, ids)),
    async () => (opts.cached ? countedRecords(q, ids) : null),
  ]);
  const quotas = new Map(programmes.map((p) => [p.id, p.quotas]));
  const names = new Map<string, string>();
  if (opts.names) {
    for (const pt of participants as repo.ParticipantRow[]) {
      names.set(refOf(pt.kind, pt.personId), pt.name);
      if (pt.schoolId != null && pt.schoolName) names.set(unitRef(pt.schoolId)!, pt.schoolName);
    }
  }
  const byPairing = <T extends { pairingId: number }>(list: readonly T[]) => {
    const m = new Map<number, T[]>();
    for (const x of list) (m.get(x.pairingId) ?? m.set(x.pairingId, []).get(x.pairingId)!).push(x);
    return m;
  };
  const pts = byPairing(participants);
  let records: Map<number, readonly ActivityRecord[]>;
  if (cachedRecords) records = cachedRecords;
  else {
    records = new Map(ids.map((id) => [id, []]));
    for (const a of await repo.countedActivities(q, ids)) {
      (records.get(a.pairingId) as ActivityRecord[]).push(recordOf(a));
    }
  }
  const inputs = live.map((p): PairingInput => {
    const day = referenceDay(p, asOf);
    return {
      id: String(p.id),
      status: p.status,
      start: p.start,
      end: p.end,
      participants: (pts.get(p.id) ?? []).filter((pt) => takesPartOn(pt, day)).map((pt) => ({ id: refOf(pt.kind, pt.personId), role: pt.role, unitId: unitRef(pt.schoolId) })),
      quotas: quotas.get(p.programmeId) ?? [],
      activities: records.get(p.id) ?? [],
    };
  });
  return { inputs, names };
}

/** evaluatePairing over many pairings, reusing a pairing's standing while its inputs are unchanged (the database's cache). */
function evaluateAll(db: Queryable, inputs: readonly PairingInput[], asOf: string, calendar: { calendar: SchoolCalendar; key: string }): PairingStanding[] {
  let cache = standingCaches.get(db);
  if (!cache) standingCaches.set(db, (cache = new Map()));
  if (cache.size > RECORD_CACHE_MAX_PAIRINGS) cache.clear();
  const quotaKeys = new Map<readonly unknown[], string>();
  return inputs.map((p) => {
    let quotaKey = quotaKeys.get(p.quotas);
    if (quotaKey === undefined) quotaKeys.set(p.quotas, (quotaKey = JSON.stringify(p.quotas)));
    const key = [asOf, calendar.key, quotaKey, p.status, p.start, p.end ?? '', p.participants.map((x) => `${x.id}/${x.role}/${x.unitId ?? ''}`).join(',')].join('|');
    const id = Number(p.id);
    const hit = cache.get(id);
    if (hit && hit.key === key && hit.records === p.activities) return hit.standing;
    const standing = evaluatePairing(p, asOf, calendar.calendar);
    cache.set(id, { key, records: p.activities, standing });
    return standing;
  });
}

function periodView(p: PeriodStanding) {
  return {
    key: p.period.key,
    label: p.period.label,
    kind: p.period.kind,
    start: p.period.start,
    end: p.period.end,
    from: p.from,
    to: p.to,
    required: p.required,
    done: p.done,
    expected: p.expected,
    stillNeeded: p.stillNeeded,
    remainingOccasions: p.remainingOccasions,
    dueBy: p.dueBy,
    ended: p.ended,
    status: p.status,
    statusLabel: STATUS_LABELS[p.status],
  };
}

function standingView(s: PairingStanding, asOf: string): PairingStandingView {
  return {
    pairingId: Number(s.pairingId),
    asOf,
    pairingStatus: s.pairingStatus,
    evaluated: s.evaluated,
    quotas: s.quotas.map((q) => ({
      quotaId: q.quota.id,
      label: q.quota.label,
      role: q.quota.role,
      period: q.quota.period,
      minCount: q.quota.minCount,
      subjectId: q.subjectId ?? null,
      responsibleIds: q.responsibleIds,
      current: q.current ? periodView(q.current) : null,
      periods: q.periods.map(periodView),
      summary: rollUp(q.periods),
    })),
    summary: s.summary,
    problems: s.problems,
  };
}

export async function pairingStanding(ctx: AppContext, c: Caller, id: number, asOfParam?: string): Promise<PairingStandingView> {
  const asOf = asOfParam ?? today();
  const pairing = await repo.getPairing(ctx.db, id, c.scope.pairings('pg'));
  if (!pairing) throw notFound('结对');
  if (neverInForce(pairing)) {
    return { pairingId: id, asOf, pairingStatus: pairing.status, evaluated: false, quotas: [], summary: rollUp([]), problems: ['结对在开始前已解除，不作评价'] };
  }
  const calendar = await loadCalendar(ctx.db);
  const { inputs } = await engineInputs(ctx.db, [pairing], asOf);
  return standingView(evaluatePairing(inputs[0]!, asOf, calendar), asOf);
}

/** Pairings in force at some time in asOf's school year, up to asOf, that the caller sees. */
function standingsWhere(c: Caller, calendar: SchoolCalendar, asOf: string, f: { programme?: string; schoolId?: number; teacherId?: number }): SQL {
  const yearStart = calendar.schoolYearRange(calendar.schoolYearOn(asOf)).from;
  const conds: SQL[] = [
    c.scope.pairings('pg'),
    sql`(pg.status = 'active' OR (pg.status IN ('completed', 'cancelled') AND pg.end_date IS NOT NULL))`,
    sql`pg.start_date <= ${asOf}`,
    sql`(pg.end_date IS NULL OR pg.status = 'active' OR pg.end_date >= ${yearStart})`,
  ];
  const takesPart = (cond: SQL) => sql`EXISTS (SELECT 1 FROM pairing_participants lp WHERE lp.pairing_id = pg.id AND ${cond})`;
  if (f.programme) conds.push(sql`pr.key = ${f.programme}`);
  if (f.schoolId) conds.push(sql`(pg.school_id = ${f.schoolId} OR ${takesPart(sql`lp.school_id = ${f.schoolId}`)})`);
  if (f.teacherId) conds.push(takesPart(sql`lp.person_kind = 'teacher' AND lp.person_id = ${f.teacherId}`));
  return sql.join(conds, sql` AND `);
}

/**
 * The engine's standing of every pairing standings() rolls up (visible, in force at some time of asOf's
 * school year up to asOf), with the inputs and participants' names: for reports that need per-quota
 * numbers (the support module's compliance report and check queue).
 */
export async function evaluateStandings(
  ctx: AppContext,
  c: Caller,
  f: { programme?: string; schoolId?: number; teacherId?: number; asOf?: string; names?: boolean; /** read every record and evaluate anew (no cache): tests compare the two */ fresh?: boolean },
) {
  const asOf = f.asOf ?? today();
  const cal = await calendarFor(ctx.db);
  const calendar = cal.calendar;
  const pairings = await repo.pairingsForStandings(ctx.db, standingsWhere(c, calendar, asOf, f));
  const { inputs, names } = await engineInputs(ctx.db, pairings, asOf, { names: f.names === true, cached: !f.fresh });
  const evaluated = f.fresh ? inputs.map((p) => evaluatePairing(p, asOf, calendar)) : evaluateAll(ctx.db, inputs, asOf, cal);
  return { asOf, calendar, pairings, inputs, names, evaluated };
}

/** Roll-ups per person who must do the work, per unit (school), or per pairing. */
export async function standings(
  ctx: AppContext,
  c: Caller,
  f: { groupBy: 'person' | 'unit' | 'pairing'; programme?: string; schoolId?: number; teacherId?: number; asOf?: string },
) {
  const { asOf, pairings, inputs, names, evaluated } = await evaluateStandings(ctx, c, { ...f, names: true });
  const groups =
    f.groupBy === 'person' ? rollUpByPerson(evaluated) : f.groupBy === 'unit' ? rollUpByUnit(evaluated) : rollUpBy(evaluated, (q) => [q.pairingId]);
  const pairingName = (id: string) => {
    const p = pairings.find((x) => String(x.id) === id);
    const helped = inputs.find((x) => x.id === id)?.participants.map((pt) => names.get(pt.id) ?? pt.id).join('—');
    return `${p?.programmeName ?? ''} ${helped ?? ''}`.trim();
  };
  return {
    asOf,
    groupBy: f.groupBy,
    groups: groups
      .map((g) => ({
        key: g.key,
        name: f.groupBy === 'pairing' ? pairingName(g.key) : (names.get(g.key) ?? g.key),
        pairingIds: g.pairingIds.map(Number),
        total: g.total,
        counts: g.counts,
        worst: g.worst,
        worstCurrent: g.worstCurrent,
      }))
      .sort((a, b) => a.key.localeCompare(b.key)),
    problems: evaluated.flatMap((s) => s.problems.map((p) => `结对 ${s.pairingId}：${p}`)),
  };
}

/** What must happen in the next `days` days (asOf included) in the caller's active pairings. */
export async function due(ctx: AppContext, c: Caller, f: { days: number; programme?: string; asOf?: string }) {
  const asOf = f.asOf ?? today();
  const calendar = await loadCalendar(ctx.db);
  const conds: SQL[] = [c.scope.pairings('pg'), sql`pg.status = 'active'`];
  if (f.programme) conds.push(sql`pr.key = ${f.programme}`);
  const pairings = await repo.pairingsForStandings(ctx.db, sql.join(conds, sql` AND `));
  const { inputs } = await engineInputs(ctx.db, pairings, asOf, { cached: true });
  return {
    asOf,
    days: f.days,
    items: dueSoon(inputs, asOf, f.days, calendar).map((d) => ({
      pairingId: Number(d.pairingId),
      quotaId: d.quota.id,
      label: d.quota.label,
      subjectId: d.subjectId ?? null,
      responsibleIds: d.responsibleIds,
      periodKey: d.period.key,
      periodLabel: d.period.label,
      required: d.required,
      done: d.done,
      needed: d.needed,
      dueBy: d.dueBy,
      status: d.status,
    })),
  };
}
