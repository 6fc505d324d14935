// Quota standings from stored data: the pure engine (evaluatePairing, rollUpBy…, dueSoon) run on
// the stored pairings, their participants, the records that count (submitted or accepted), the
// programme's quotas and the bureau's calendar. Nothing here re-states a quota rule.
import { sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../../server/context.js';
import { notFound } from '../../server/errors.js';
import type { Caller } from '../../server/http.js';
import type { Queryable } from '../../db/client.js';
import type { SchoolCalendar } from './engine/calendar.js';
import {
  dueSoon,
  evaluatePairing,
  rollUp,
  rollUpBy,
  rollUpByPerson,
  rollUpByUnit,
  STATUS_LABELS,
  type PairingInput,
  type PairingStanding,
  type PeriodStanding,
} from './engine/standing.js';
import type { PairingStandingView } from './pairings.schemas.js';
import { loadCalendar } from './programmes.service.js';
import { refOf, takesPartOn, today } from './pairings.service.js';
import * as repo from './pairings.repo.js';

const unitRef = (schoolId: number | null) => (schoolId == null ? null : `school:${schoolId}`);

/** The day whose participants count: asOf, kept inside the pairing's span. */
function referenceDay(p: repo.PairingRow, asOf: string): string {
  let d = asOf;
  if (p.end && d > p.end) d = p.end;
  if (d < p.start) d = p.start;
  return d;
}

/** Never in force: cancelled while still proposed (no end date). Proposed ones are passed on (the engine does not evaluate them). */
const neverInForce = (p: repo.PairingRow) => p.status === 'cancelled' && !p.end;

interface Loaded {
  inputs: PairingInput[];
  names: Map<string, string>;
}

/** The engine's inputs for stored pairings: participants taking part on the reference day, counted records, programme quotas. */
async function engineInputs(q: Queryable, pairings: readonly repo.PairingRow[], asOf: string): Promise<Loaded> {
  const live = pairings.filter((p) => !neverInForce(p));
  const ids = live.map((p) => p.id);
  const programmes = new Map((await repo.listProgrammes(q)).map((p) => [p.id, p]));
  const participants = await repo.participantsOf(q, ids);
  const activities = await repo.countedActivities(q, ids);
  const names = new Map<string, string>();
  for (const pt of participants) {
    names.set(refOf(pt.kind, pt.personId), pt.name);
    if (pt.schoolId != null && pt.schoolName) names.set(unitRef(pt.schoolId)!, pt.schoolName);
  }
  const byPairing = <T extends { pairingId: number }>(list: T[]) => {
    const m = new Map<number, T[]>();
    for (const x of list) (m.get(x.pairingId) ?? m.set(x.pairingId, []).get(x.pairingId)!).push(x);
    return m;
  };
  const pts = byPairing(participants);
  const acts = byPairing(activities);
  const inputs = live.map((p): PairingInput => {
    const day = referenceDay(p, asOf);
    return {
      id: String(p.id),
      status: p.status,
      start: p.start,
      end: p.end,
      participants: (pts.get(p.id) ?? []).filter((pt) => takesPartOn(pt, day)).map((pt) => ({ id: refOf(pt.kind, pt.personId), role: pt.role, unitId: unitRef(pt.schoolId) })),
      quotas: programmes.get(p.programmeId)?.quotas ?? [],
      activities: (acts.get(p.id) ?? []).map((a) => ({ id: String(a.id), type: a.type, date: a.date, role: a.role, personIds: a.personIds })),
    };
  });
  return { inputs, names };
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
export async function evaluateStandings(ctx: AppContext, c: Caller, f: { programme?: string; schoolId?: number; teacherId?: number; asOf?: string }) {
  const asOf = f.asOf ?? today();
  const calendar = await loadCalendar(ctx.db);
  const pairings = await repo.pairingsWhere(ctx.db, standingsWhere(c, calendar, asOf, f));
  const { inputs, names } = await engineInputs(ctx.db, pairings, asOf);
  const evaluated = inputs.map((p) => evaluatePairing(p, asOf, calendar));
  return { asOf, calendar, pairings, inputs, names, evaluated };
}

/** Roll-ups per person who must do the work, per unit (school), or per pairing. */
export async function standings(
  ctx: AppContext,
  c: Caller,
  f: { groupBy: 'person' | 'unit' | 'pairing'; programme?: string; schoolId?: number; teacherId?: number; asOf?: string },
) {
  const { asOf, pairings, inputs, names, evaluated } = await evaluateStandings(ctx, c, f);
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
  const pairings = await repo.pairingsWhere(ctx.db, sql.join(conds, sql` AND `));
  const { inputs } = await engineInputs(ctx.db, pairings, asOf);
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
