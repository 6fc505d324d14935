// Where each pairing, person and unit stands against its quotas on a given day. Pure: the
// caller passes the pairing, its activities, the calendar and the day ("asOf"); nothing here
// reads the clock or a database. The point is to flag "behind" and "short" while there is
// still time, not to report "missed" afterwards. Definitions: docs/quota-engine.md.
import { DAY_CLOSED, DAY_IN_SESSION, DAY_WORKING, type Period, type SchoolCalendar } from './calendar.js';
import { dayOf, isoOf, type DayNumber, type IsoDate } from './dates.js';
import { validateQuota, windowContains, type Quota } from './quota.js';

export type PeriodStatus = 'done' | 'on_track' | 'behind' | 'short' | 'missed' | 'not_started' | 'not_required';

export const STATUS_LABELS: Record<PeriodStatus, string> = {
  done: '已完成',
  on_track: '进度正常',
  behind: '进度落后',
  short: '已无法完成',
  missed: '未完成',
  not_started: '未开始',
  not_required: '本期不要求',
};

/** Higher is worse; "worst status wins" in roll-ups. */
export const STATUS_SEVERITY: Record<PeriodStatus, number> = {
  not_required: 0,
  done: 1,
  not_started: 2,
  on_track: 3,
  behind: 4,
  short: 5,
  missed: 6,
};

export interface ActivityRecord {
  id?: string;
  type: string;
  date: IsoDate;
  /** Role credited: who did it (helper, helped or a named role). */
  role: string;
  /** Everyone who took part; needed to tell apart several people holding a quota's `each` role. */
  personIds?: readonly string[];
}

/** The days a pairing is in force: start and end inclusive; no end = still running. */
export interface PairingSpan {
  start: IsoDate;
  end?: IsoDate | null;
}

export interface PeriodStanding {
  period: Period;
  /** The days that count: the period clipped to the pairing's span. */
  from: IsoDate;
  to: IsoDate;
  required: number;
  done: number;
  /** Linear pace: what should be done by the start of asOf, rounded down. */
  expected: number;
  stillNeeded: number;
  /** How many more can still happen from asOf (inclusive) to `to`: occasion days × maxPerDay. */
  remainingOccasions: number;
  /** The last occasion day in the period (in the window, within the span), or null if there is none. */
  dueBy: IsoDate | null;
  /** asOf is after `to`: nothing more can count. */
  ended: boolean;
  status: PeriodStatus;
}

export interface QuotaStanding {
  quota: Quota;
  /** For an `each` quota: the participant this standing is about. */
  subjectId?: string;
  periods: PeriodStanding[];
  /** The period containing asOf, if the pairing is running then. */
  current: PeriodStanding | null;
}

interface Measure {
  from: DayNumber;
  to: DayNumber;
  required: number;
  done: number;
  expected: number;
  /** Pace-expected count at the start of the horizon day (for dueSoon). */
  expectedAtHorizon: number;
  remainingOccasions: number;
  firstCountingDay: DayNumber | null;
  dueBy: DayNumber | null;
}

/**
 * Counts the days of one period for one quota. Day classes (calendar.ts): working = a working
 * weekday or make-up day; in session = inside a semester's teaching dates; open = working, in
 * session and not closed. Only days in the quota's window take part.
 *   base  = working days of the whole period (semester and school year: in-session ones only)
 *   avail = working, in-session days of the period within the pairing's span
 *   open  = open days of the period within the span
 *   required = open == 0 ? 0 : ceil(minCount × avail / base)
 * Closures do not lower a count (the documents set "10 a semester" knowing 国庆 exists); a
 * period with no open day at all demands nothing.
 */
function measure(
  quota: Quota,
  period: Period,
  span: { from: DayNumber; to: DayNumber },
  activityDays: readonly DayNumber[],
  asOf: DayNumber,
  calendar: SchoolCalendar,
  horizon: DayNumber = asOf,
): Measure | null {
  const from = Math.max(dayOf(period.start), span.from);
  const to = Math.min(dayOf(period.end), span.to);
  if (from > to) return null;
  const days = periodDays(quota, period, from, to, asOf, horizon, calendar);
  const required = days.open === 0 || days.base === 0 ? 0 : Math.ceil((quota.minCount * days.avail) / days.base);
  const countUntil = Math.min(to, asOf);
  let done = 0;
  for (const d of activityDays) {
    if (d >= from && d <= countUntil && windowContains(quota.window, d)) done++;
  }
  const pace = (elapsed: number) => (days.open === 0 ? 0 : Math.floor((required * elapsed) / days.open));
  return {
    from,
    to,
    required,
    done,
    expected: pace(days.openBefore),
    expectedAtHorizon: pace(days.openBeforeHorizon),
    remainingOccasions: days.remainingOccasions,
    firstCountingDay: days.firstCountingDay,
    dueBy: days.dueBy,
  };
}

/** The day counts of one period for one quota: they depend on the calendar, the quota, the span clip and asOf, never on the records. */
interface PeriodDays {
  base: number;
  avail: number;
  open: number;
  openBefore: number;
  openBeforeHorizon: number;
  remainingOccasions: number;
  firstCountingDay: DayNumber | null;
  dueBy: DayNumber | null;
}

// Pairings that share a span share these counts (a county's pairings mostly start on the semester's first
// day): computed once per calendar, quota object, period, clip, asOf and horizon. Bounded per quota.
const periodDaysCache = new WeakMap<SchoolCalendar, WeakMap<Quota, Map<string, PeriodDays>>>();
const PERIOD_DAYS_CACHE_MAX = 20_000;

function periodDays(quota: Quota, period: Period, from: DayNumber, to: DayNumber, asOf: DayNumber, horizon: DayNumber, calendar: SchoolCalendar): PeriodDays {
  let byQuota = periodDaysCache.get(calendar);
  if (!byQuota) periodDaysCache.set(calendar, (byQuota = new WeakMap()));
  let cache = byQuota.get(quota);
  if (!cache) byQuota.set(quota, (cache = new Map()));
  const key = `${period.kind}|${period.start}|${period.end}|${from}|${to}|${asOf}|${horizon}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const pFrom = dayOf(period.start);
  const pTo = dayOf(period.end);
  const sessionOnlyBase = period.kind === 'semester' || period.kind === 'school_year';
  const anyDay = quota.occasions === 'any_day';
  const perDay = quota.maxPerDay ?? 1;
  const out: PeriodDays = { base: 0, avail: 0, open: 0, openBefore: 0, openBeforeHorizon: 0, remainingOccasions: 0, firstCountingDay: null, dueBy: null };
  for (let d = pFrom; d <= pTo; d++) {
    if (!windowContains(quota.window, d)) continue;
    const flags = calendar.dayFlags(d);
    const working = (flags & DAY_WORKING) !== 0;
    const inSession = (flags & DAY_IN_SESSION) !== 0;
    const closed = (flags & DAY_CLOSED) !== 0;
    if (working && (inSession || !sessionOnlyBase)) out.base++;
    if (d < from || d > to) continue;
    out.firstCountingDay ??= d;
    const isOpen = working && inSession && !closed;
    if (working && inSession) out.avail++;
    if (isOpen) {
      out.open++;
      if (d < asOf) out.openBefore++;
      if (d < horizon) out.openBeforeHorizon++;
    }
    if (anyDay || isOpen) {
      out.dueBy = d;
      if (d >= asOf) out.remainingOccasions += perDay;
    }
  }
  if (cache.size >= PERIOD_DAYS_CACHE_MAX) cache.clear();
  cache.set(key, out);
  return out;
}

/**
 * The status of one period on asOf, first match wins:
 *   not_required  required is 0 (no open day of the period falls in the span and window)
 *   done          done ≥ required
 *   missed        the period (clipped to the span) ended before asOf
 *   short         remaining occasions < still needed: it cannot be met any more
 *   not_started   the first day that can count (window, span) is after asOf
 *   on_track      done ≥ linear pace
 *   behind        below pace, still achievable
 */
function statusOf(m: Measure, asOf: DayNumber): PeriodStatus {
  if (m.required === 0) return 'not_required';
  if (m.done >= m.required) return 'done';
  if (asOf > m.to) return 'missed';
  if (m.remainingOccasions < m.required - m.done) return 'short';
  if (m.firstCountingDay !== null && asOf < m.firstCountingDay) return 'not_started';
  return m.done >= m.expected ? 'on_track' : 'behind';
}

function toStanding(period: Period, m: Measure, asOf: DayNumber): PeriodStanding {
  return {
    period,
    from: isoOf(m.from),
    to: isoOf(m.to),
    required: m.required,
    done: m.done,
    expected: m.expected,
    stillNeeded: Math.max(0, m.required - m.done),
    remainingOccasions: m.remainingOccasions,
    dueBy: m.dueBy === null ? null : isoOf(m.dueBy),
    ended: asOf > m.to,
    status: statusOf(m, asOf),
  };
}

function spanDays(span: PairingSpan): { from: DayNumber; to: DayNumber } {
  const from = dayOf(span.start);
  const to = span.end ? dayOf(span.end) : Number.POSITIVE_INFINITY;
  if (to < from) throw new RangeError(`结对结束日期早于开始日期：${span.start} → ${span.end}`);
  return { from, to };
}

function matchingDays(quota: Quota, activities: readonly ActivityRecord[]): DayNumber[] {
  const out: DayNumber[] = [];
  for (const a of activities) {
    if (a.role === quota.role && quota.activityTypes.includes(a.type)) out.push(dayOf(a.date));
  }
  return out;
}

/**
 * Every period of the quota that overlaps the pairing's span up to asOf, with its standing.
 * `activities` are the pairing's records (already narrowed to one subject for `each` quotas);
 * those of other types or roles, outside the span or window, or after asOf do not count.
 */
export function evaluateQuota(
  quota: Quota,
  activities: readonly ActivityRecord[],
  pairing: PairingSpan,
  asOf: IsoDate,
  calendar: SchoolCalendar,
): QuotaStanding {
  const span = spanDays(pairing);
  const today = dayOf(asOf);
  const last = Math.min(today, span.to);
  const periods: PeriodStanding[] = [];
  let current: PeriodStanding | null = null;
  if (last >= span.from) {
    const days = matchingDays(quota, activities);
    for (const period of calendar.periodsBetween(quota.period, isoOf(span.from), isoOf(last))) {
      const m = measure(quota, period, span, days, today, calendar);
      if (!m) continue;
      const standing = toStanding(period, m, today);
      periods.push(standing);
      if (today >= m.from && today <= m.to) current = standing;
    }
  }
  return { quota, periods, current };
}

// ---------------------------------------------------------------------------------------
// Pairings, people, units

export type PairingStatus = 'proposed' | 'active' | 'completed' | 'cancelled';

export const PAIRING_STATUS_LABELS: Record<PairingStatus, string> = {
  proposed: '拟结对',
  active: '进行中',
  completed: '已结束',
  cancelled: '已解除',
};

/** A party to a pairing: a person (teacher, student) or a unit (a school in 校校结对). */
export interface Participant {
  id: string;
  role: string;
  /** The unit (school) the participant belongs to, for per-unit roll-ups. */
  unitId?: string | null;
}

export interface PairingInput {
  id: string;
  status: PairingStatus;
  start: IsoDate;
  /** Planned end while active; the day it ended (inclusive) once completed or cancelled. */
  end?: IsoDate | null;
  participants: readonly Participant[];
  quotas: readonly Quota[];
  activities: readonly ActivityRecord[];
}

export interface PairingQuotaStanding extends QuotaStanding {
  pairingId: string;
  /** Participants holding the quota's role: who must do it. */
  responsibleIds: string[];
  /** Their units. */
  unitIds: string[];
}

export interface RollUp {
  /** Periods counted. */
  total: number;
  counts: Record<PeriodStatus, number>;
  /** Worst status over every period (history included). */
  worst: PeriodStatus | null;
  /** Worst status over the periods still running on asOf: what needs attention now. */
  worstCurrent: PeriodStatus | null;
}

export interface PairingStanding {
  pairingId: string;
  pairingStatus: PairingStatus;
  /** False for a proposed pairing: quotas apply only once it is active. */
  evaluated: boolean;
  quotas: PairingQuotaStanding[];
  summary: RollUp;
  /** Configuration problems (in Chinese), e.g. a quota whose role nobody holds. */
  problems: string[];
}

/** The days the pairing was or is in force; null while proposed. */
export function pairingSpan(pairing: Pick<PairingInput, 'id' | 'status' | 'start' | 'end'>): PairingSpan | null {
  if (pairing.status === 'proposed') return null;
  if ((pairing.status === 'completed' || pairing.status === 'cancelled') && !pairing.end) {
    throw new RangeError(`结对 ${pairing.id} 已${PAIRING_STATUS_LABELS[pairing.status]}，但缺少结束日期`);
  }
  return { start: pairing.start, end: pairing.end ?? null };
}

interface QuotaTarget {
  quota: Quota;
  subjectId?: string;
  activities: readonly ActivityRecord[];
  responsibleIds: string[];
  unitIds: string[];
}

/**
 * The (quota, subject) pairs to evaluate. For an `each` quota, an activity counts for a
 * participant it names in personIds; an activity naming nobody counts only when a single
 * participant holds the `each` role (a one-to-one pairing needs no names).
 */
function targetsOf(pairing: PairingInput, problems: string[]): QuotaTarget[] {
  const targets: QuotaTarget[] = [];
  for (const quota of pairing.quotas) {
    const invalid = validateQuota(quota);
    if (invalid.length > 0) {
      problems.push(...invalid);
      continue;
    }
    const responsible = pairing.participants.filter((p) => p.role === quota.role);
    if (responsible.length === 0) {
      problems.push(`${quota.label}：结对中没有担任“${quota.role}”的一方`);
      continue;
    }
    const responsibleIds = responsible.map((p) => p.id);
    const unitIds = [...new Set(responsible.map((p) => p.unitId).filter((u): u is string => !!u))];
    if (!quota.each) {
      targets.push({ quota, activities: pairing.activities, responsibleIds, unitIds });
      continue;
    }
    const subjects = pairing.participants.filter((p) => p.role === quota.each);
    if (subjects.length === 0) {
      problems.push(`${quota.label}：结对中没有担任“${quota.each}”的一方`);
      continue;
    }
    for (const subject of subjects) {
      const activities = pairing.activities.filter((a) =>
        a.personIds && a.personIds.length > 0 ? a.personIds.includes(subject.id) : subjects.length === 1,
      );
      targets.push({ quota, subjectId: subject.id, activities, responsibleIds, unitIds });
    }
  }
  return targets;
}

/** Every quota of one pairing on asOf, with a roll-up. A proposed pairing is not evaluated. */
export function evaluatePairing(pairing: PairingInput, asOf: IsoDate, calendar: SchoolCalendar): PairingStanding {
  const problems: string[] = [];
  const span = pairingSpan(pairing);
  const quotas: PairingQuotaStanding[] = [];
  if (span) {
    for (const t of targetsOf(pairing, problems)) {
      const qs = evaluateQuota(t.quota, t.activities, span, asOf, calendar);
      quotas.push({
        ...qs,
        ...(t.subjectId !== undefined ? { subjectId: t.subjectId } : {}),
        pairingId: pairing.id,
        responsibleIds: t.responsibleIds,
        unitIds: t.unitIds,
      });
    }
  }
  return {
    pairingId: pairing.id,
    pairingStatus: pairing.status,
    evaluated: span !== null,
    quotas,
    summary: rollUp(quotas.flatMap((q) => q.periods)),
    problems,
  };
}

function emptyCounts(): Record<PeriodStatus, number> {
  return { done: 0, on_track: 0, behind: 0, short: 0, missed: 0, not_started: 0, not_required: 0 };
}

function worse(a: PeriodStatus | null, b: PeriodStatus): PeriodStatus {
  return a === null || STATUS_SEVERITY[b] > STATUS_SEVERITY[a] ? b : a;
}

/** Counts and worst status over a set of periods (worst status wins). */
export function rollUp(periods: readonly PeriodStanding[]): RollUp {
  const counts = emptyCounts();
  let worst: PeriodStatus | null = null;
  let worstCurrent: PeriodStatus | null = null;
  for (const p of periods) {
    counts[p.status]++;
    worst = worse(worst, p.status);
    if (!p.ended) worstCurrent = worse(worstCurrent, p.status);
  }
  return { total: periods.length, counts, worst, worstCurrent };
}

export interface GroupRollUp extends RollUp {
  key: string;
  pairingIds: string[];
  /** The quota standings behind the numbers, to drill down. */
  quotas: PairingQuotaStanding[];
}

/** Groups quota standings by the keys a function gives (a person, a unit …) and rolls each group up. */
export function rollUpBy(
  standings: readonly PairingStanding[],
  keysOf: (q: PairingQuotaStanding) => readonly string[],
): GroupRollUp[] {
  const groups = new Map<string, PairingQuotaStanding[]>();
  for (const s of standings) {
    for (const q of s.quotas) {
      for (const key of new Set(keysOf(q))) {
        let list = groups.get(key);
        if (!list) groups.set(key, (list = []));
        list.push(q);
      }
    }
  }
  return [...groups.entries()].map(([key, quotas]) => ({
    key,
    pairingIds: [...new Set(quotas.map((q) => q.pairingId))],
    quotas,
    ...rollUp(quotas.flatMap((q) => q.periods)),
  }));
}

/** Per person who must do the work (the participants holding each quota's role). */
export function rollUpByPerson(standings: readonly PairingStanding[]): GroupRollUp[] {
  return rollUpBy(standings, (q) => q.responsibleIds);
}

/** Per unit (school) of the people who must do the work. */
export function rollUpByUnit(standings: readonly PairingStanding[]): GroupRollUp[] {
  return rollUpBy(standings, (q) => q.unitIds);
}

// ---------------------------------------------------------------------------------------
// What must happen soon

export interface DueItem {
  pairingId: string;
  quota: Quota;
  subjectId?: string;
  responsibleIds: string[];
  period: Period;
  required: number;
  done: number;
  /** How many more the pace asks for by the end of the horizon (all that is still needed if the period's last occasion falls inside it). */
  needed: number;
  dueBy: IsoDate | null;
  status: PeriodStatus;
}

/**
 * What must happen in the `days` days from asOf (asOf included): for every running pairing,
 * quota and period overlapping that horizon, the activities the linear pace expects by the
 * end of the horizon but not yet done. Periods that are done, not required, already short or
 * missed are left out (roll-ups report those). Sorted by due date.
 */
export function dueSoon(
  pairings: readonly PairingInput[],
  asOf: IsoDate,
  days: number,
  calendar: SchoolCalendar,
): DueItem[] {
  if (!Number.isInteger(days) || days < 1) throw new RangeError('天数应为正整数');
  const today = dayOf(asOf);
  const horizon = today + days; // first day after the horizon
  const items: DueItem[] = [];
  for (const pairing of pairings) {
    const span = pairingSpan(pairing);
    if (!span) continue;
    const sd = spanDays(span);
    const from = Math.max(today, sd.from);
    const to = Math.min(horizon - 1, sd.to);
    if (from > to) continue;
    for (const t of targetsOf(pairing, [])) {
      const activityDays = matchingDays(t.quota, t.activities);
      for (const period of calendar.periodsBetween(t.quota.period, isoOf(from), isoOf(to))) {
        const m = measure(t.quota, period, sd, activityDays, today, calendar, horizon);
        if (!m) continue;
        const status = statusOf(m, today);
        if (status !== 'on_track' && status !== 'behind' && status !== 'not_started') continue;
        const needed = m.expectedAtHorizon - m.done;
        if (needed <= 0) continue;
        items.push({
          pairingId: pairing.id,
          quota: t.quota,
          ...(t.subjectId !== undefined ? { subjectId: t.subjectId } : {}),
          responsibleIds: t.responsibleIds,
          period,
          required: m.required,
          done: m.done,
          needed,
          dueBy: m.dueBy === null ? null : isoOf(m.dueBy),
          status,
        });
      }
    }
  }
  return items.sort((a, b) => (a.dueBy ?? '9999').localeCompare(b.dueBy ?? '9999') || a.pairingId.localeCompare(b.pairingId));
}
