// The school calendar (校历) the quota engine counts in: school years, two semesters per
// year, ISO weeks (Monday first), fortnights of teaching weeks, months, closures (holidays)
// and make-up working days (调休上班). All dates are 'YYYY-MM-DD'; see dates.ts.
//
// Decisions (docs/quota-engine.md explains them):
// - A semester is its teaching dates (default 09-01 → 01-20 and 02-20 → 07-10); the breaks
//   between semesters belong to no semester.
// - A school year runs from its first semester's start to the day before the next year's
//   first semester starts, so it covers the winter and summer breaks too.
// - A week is Monday–Sunday and is never split: a week across a month end is one week.
//   Teaching weeks (第N周) are numbered from the week that holds the semester's first working day.
// - A fortnight (two_weeks) is teaching weeks 1–2, 3–4, … of a semester; the last one may be
//   a single week. Fortnights exist only inside semesters; weekend teaching dates before 第1周
//   (a semester that starts on a Saturday) join the first fortnight.
// - School days = working weekdays (Mon–Fri by default, plus make-up days) inside a
//   semester and not in a closure.
import {
  dayFromParts,
  dayOf,
  daysInMonth,
  isIsoDate,
  isoOf,
  isoWeekKey,
  mondayOf,
  monthDayLabel,
  partsOf,
  weekdayOf,
  type DayNumber,
  type IsoDate,
} from './dates.js';

/** 'MM-DD'. */
export type MonthDay = string;
export type PeriodKind = 'week' | 'two_weeks' | 'month' | 'semester' | 'school_year';
export const PERIOD_KINDS: readonly PeriodKind[] = ['week', 'two_weeks', 'month', 'semester', 'school_year'];
export const PERIOD_LABELS: Record<PeriodKind, string> = {
  week: '每周',
  two_weeks: '每两周',
  month: '每月',
  semester: '每学期',
  school_year: '每学年',
};

/** Inclusive date range. */
export interface DateRange {
  from: IsoDate;
  to: IsoDate;
}
export interface Closure extends DateRange {
  label: string;
}

export interface SchoolCalendarConfig {
  /** Default teaching dates of the first semester; an end before the start falls in the next year. Default 09-01 → 01-20. */
  firstSemester?: { start: MonthDay; end: MonthDay };
  /** Default teaching dates of the second semester (both in the second calendar year). Default 02-20 → 07-10. */
  secondSemester?: { start: MonthDay; end: MonthDay };
  /** Exact dates of a school year's semesters from the county's 校历, keyed by '2026-2027'. */
  overrides?: Record<string, { first?: DateRange; second?: DateRange }>;
  /** Closed days inside semesters (国庆, 清明, 劳动节, 端午, 中秋, 元旦, an emergency closure …). */
  closures?: Closure[];
  /** Weekend days that are working days (调休上班). A closure wins over a make-up day. */
  makeUpDays?: IsoDate[];
  /** ISO weekdays that are working days, 1 = Monday … 7 = Sunday. Default Monday–Friday. */
  workingWeekdays?: number[];
}

export const DEFAULT_FIRST_SEMESTER = { start: '09-01', end: '01-20' } as const;
export const DEFAULT_SECOND_SEMESTER = { start: '02-20', end: '07-10' } as const;

export interface Semester {
  schoolYear: string;
  term: 1 | 2;
  start: IsoDate;
  end: IsoDate;
}

/** A period of the calendar. Shared and frozen: the calendar hands out the same objects to every caller. */
export interface Period {
  readonly kind: PeriodKind;
  /** Stable key: '2026-W40', '2026-2027-1:W03-04', '2026-10', '2026-2027-1', '2026-2027'. */
  readonly key: string;
  /** Chinese label for screens. */
  readonly label: string;
  readonly start: IsoDate;
  readonly end: IsoDate;
  /** For semester and fortnight periods, and weeks that fall in a semester. */
  readonly schoolYear?: string;
  readonly term?: 1 | 2;
  /** Teaching weeks (第N周) covered, for weeks and fortnights inside a semester. */
  readonly teachingWeeks?: readonly [number, number];
}

export interface SchoolCalendar {
  readonly config: Readonly<SchoolCalendarConfig>;
  semester(schoolYear: string, term: 1 | 2): Semester;
  /** The semester whose teaching dates contain the date, or null in a break. */
  semesterOn(date: IsoDate): Semester | null;
  /** '2026-2027' for any date from the first semester's start to the day before the next one's. */
  schoolYearOn(date: IsoDate): string;
  /** First and last day of a school year (breaks included). */
  schoolYearRange(schoolYear: string): DateRange;
  /** 第N周 of the semester, or null outside any semester. */
  teachingWeekOn(date: IsoDate): { semester: Semester; week: number } | null;
  isWorkingDay(date: IsoDate): boolean;
  isClosed(date: IsoDate): boolean;
  isInSession(date: IsoDate): boolean;
  /** A working day inside a semester and not closed. */
  isSchoolDay(date: IsoDate): boolean;
  /** The closure containing the date, if any. */
  closureOn(date: IsoDate): Closure | null;
  /** Every period of a kind that overlaps [from, to] (inclusive), in date order. */
  periodsBetween(kind: PeriodKind, from: IsoDate, to: IsoDate): Period[];
  /** The period of a kind containing the date (null for semester/two_weeks in a break). */
  periodOn(kind: PeriodKind, date: IsoDate): Period | null;
  /** Day-number versions for the engine's inner loops. */
  dayFlags(day: DayNumber): number;
}

export const DAY_WORKING = 1;
export const DAY_IN_SESSION = 2;
export const DAY_CLOSED = 4;

const MONTH_DAY = /^(\d{2})-(\d{2})$/;
const SCHOOL_YEAR = /^(\d{4})-(\d{4})$/;
const TERM_NAMES = { 1: '第一学期', 2: '第二学期' } as const;

function parseMonthDay(value: string): { month: number; day: number } | null {
  const m = MONTH_DAY.exec(value);
  if (!m) return null;
  const month = Number(m[1]);
  const day = Number(m[2]);
  // 02-29 is allowed as a rule; in a common year it means 02-28 (see dayOfMonthDay).
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(2024, month)) return null;
  return { month, day };
}

/** The day of 'MM-DD' in a year; 02-29 in a common year becomes 02-28. */
export function dayOfMonthDay(year: number, monthDay: MonthDay): DayNumber {
  const md = parseMonthDay(monthDay);
  if (!md) throw new RangeError(`不是有效月日（应为 MM-DD）：${monthDay}`);
  return dayFromParts(year, md.month, Math.min(md.day, daysInMonth(year, md.month)));
}

export function isMonthDay(value: unknown): value is MonthDay {
  return typeof value === 'string' && parseMonthDay(value) !== null;
}

export function parseSchoolYear(schoolYear: string): number {
  const m = SCHOOL_YEAR.exec(schoolYear);
  if (!m || Number(m[2]) !== Number(m[1]) + 1) throw new RangeError(`不是有效学年（应为 2026-2027）：${schoolYear}`);
  return Number(m[1]);
}

export function schoolYearLabel(schoolYear: string): string {
  return `${schoolYear.replace('-', '—')}学年`;
}

/** Problems with a calendar configuration, in Chinese; empty when valid. */
export function validateCalendarConfig(config: SchoolCalendarConfig): string[] {
  const problems: string[] = [];
  for (const [name, sem] of [
    ['第一学期', config.firstSemester],
    ['第二学期', config.secondSemester],
  ] as const) {
    if (sem && (!isMonthDay(sem.start) || !isMonthDay(sem.end))) problems.push(`${name}的默认起止月日无效`);
  }
  if (config.secondSemester && isMonthDay(config.secondSemester.start) && isMonthDay(config.secondSemester.end)) {
    if (config.secondSemester.end < config.secondSemester.start) problems.push('第二学期的默认结束月日早于开始月日');
  }
  for (const [year, o] of Object.entries(config.overrides ?? {})) {
    if (!SCHOOL_YEAR.test(year) || Number(year.slice(5)) !== Number(year.slice(0, 4)) + 1) {
      problems.push(`校历学年格式无效：${year}`);
      continue;
    }
    for (const [name, r] of [
      ['第一学期', o.first],
      ['第二学期', o.second],
    ] as const) {
      if (!r) continue;
      if (!isIsoDate(r.from) || !isIsoDate(r.to)) problems.push(`${year}学年${name}的日期无效`);
      else if (r.to < r.from) problems.push(`${year}学年${name}的结束日期早于开始日期`);
    }
  }
  for (const c of config.closures ?? []) {
    if (!isIsoDate(c.from) || !isIsoDate(c.to)) problems.push(`停课日期无效：${c.label}`);
    else if (c.to < c.from) problems.push(`停课结束日期早于开始日期：${c.label}`);
  }
  for (const d of config.makeUpDays ?? []) if (!isIsoDate(d)) problems.push(`调休上班日期无效：${d}`);
  for (const w of config.workingWeekdays ?? []) {
    if (!Number.isInteger(w) || w < 1 || w > 7) problems.push(`工作日应为 1（周一）到 7（周日）：${w}`);
  }
  if (config.workingWeekdays && config.workingWeekdays.length === 0) problems.push('至少要有一个工作日');
  return problems;
}

export function createSchoolCalendar(config: SchoolCalendarConfig = {}): SchoolCalendar {
  const problems = validateCalendarConfig(config);
  if (problems.length > 0) throw new RangeError(problems.join('；'));

  const first = config.firstSemester ?? DEFAULT_FIRST_SEMESTER;
  const second = config.secondSemester ?? DEFAULT_SECOND_SEMESTER;
  const workingWeekdays = new Set(config.workingWeekdays ?? [1, 2, 3, 4, 5]);
  const makeUpDays = new Set((config.makeUpDays ?? []).map(dayOf));
  const closures = (config.closures ?? []).map((c) => ({ closure: c, from: dayOf(c.from), to: dayOf(c.to) }));

  const semesterCache = new Map<string, { first: Semester; second: Semester }>();
  function semestersOf(startYear: number): { first: Semester; second: Semester } {
    const schoolYear = `${startYear}-${startYear + 1}`;
    let cached = semesterCache.get(schoolYear);
    if (cached) return cached;
    const override = config.overrides?.[schoolYear];
    const firstStart = dayOfMonthDay(startYear, first.start);
    let firstEnd = dayOfMonthDay(startYear, first.end);
    if (firstEnd < firstStart) firstEnd = dayOfMonthDay(startYear + 1, first.end);
    const s1: Semester = override?.first
      ? { schoolYear, term: 1, start: override.first.from, end: override.first.to }
      : { schoolYear, term: 1, start: isoOf(firstStart), end: isoOf(firstEnd) };
    const s2: Semester = override?.second
      ? { schoolYear, term: 2, start: override.second.from, end: override.second.to }
      : {
          schoolYear,
          term: 2,
          start: isoOf(dayOfMonthDay(startYear + 1, second.start)),
          end: isoOf(dayOfMonthDay(startYear + 1, second.end)),
        };
    if (s1.end >= s2.start) throw new RangeError(`${schoolYear}学年第一学期与第二学期的日期重叠`);
    cached = { first: s1, second: s2 };
    semesterCache.set(schoolYear, cached);
    return cached;
  }

  function schoolYearStartOf(day: DayNumber): number {
    const { year } = partsOf(day);
    return day >= dayOf(semestersOf(year).first.start) ? year : year - 1;
  }

  function semesterOnDay(day: DayNumber): Semester | null {
    const sems = semestersOf(schoolYearStartOf(day));
    for (const s of [sems.first, sems.second]) {
      if (day >= dayOf(s.start) && day <= dayOf(s.end)) return s;
    }
    return null;
  }

  const flagCache = new Map<DayNumber, number>();
  function dayFlags(day: DayNumber): number {
    const cached = flagCache.get(day);
    if (cached !== undefined) return cached;
    if (flagCache.size >= 100_000) flagCache.clear();
    let flags = 0;
    if (workingWeekdays.has(weekdayOf(day)) || makeUpDays.has(day)) flags |= DAY_WORKING;
    if (semesterOnDay(day)) flags |= DAY_IN_SESSION;
    if (closures.some((c) => day >= c.from && day <= c.to)) flags |= DAY_CLOSED;
    flagCache.set(day, flags);
    return flags;
  }

  function schoolYearRangeOf(startYear: number): { from: DayNumber; to: DayNumber } {
    return { from: dayOf(semestersOf(startYear).first.start), to: dayOf(semestersOf(startYear + 1).first.start) - 1 };
  }

  /** Monday of 第1周: the week holding the semester's first working day (a semester starting on a Saturday begins teaching the Monday after). */
  function firstTeachingMonday(s: Semester): DayNumber {
    const start = dayOf(s.start);
    const end = dayOf(s.end);
    for (let d = start; d <= end && d < start + 7; d++) {
      if (workingWeekdays.has(weekdayOf(d)) || makeUpDays.has(d)) return mondayOf(d);
    }
    return mondayOf(start);
  }

  function teachingWeekOnDay(day: DayNumber): { semester: Semester; week: number } | null {
    // A week belongs to a semester when any of its days is a teaching date.
    const monday = mondayOf(day);
    for (let d = monday; d <= monday + 6; d++) {
      const s = semesterOnDay(d);
      if (!s) continue;
      const week = Math.floor((monday - firstTeachingMonday(s)) / 7) + 1;
      return week >= 1 ? { semester: s, week } : null;
    }
    return null;
  }

  function weekPeriod(monday: DayNumber): Period {
    const tw = teachingWeekOnDay(monday);
    const key = isoWeekKey(monday);
    const span = `${monthDayLabel(monday)}—${monthDayLabel(monday + 6)}`;
    const week = { kind: 'week', key, start: isoOf(monday), end: isoOf(monday + 6) } as const;
    if (!tw) return { ...week, label: `${key.slice(0, 4)}年第${Number(key.slice(6))}周（${span}）` };
    return {
      ...week,
      label: `第${tw.week}周（${span}）`,
      schoolYear: tw.semester.schoolYear,
      term: tw.semester.term,
      teachingWeeks: [tw.week, tw.week],
    };
  }

  function monthPeriod(year: number, month: number): Period {
    return {
      kind: 'month',
      key: `${year}-${String(month).padStart(2, '0')}`,
      label: `${year}年${month}月`,
      start: isoOf(dayFromParts(year, month, 1)),
      end: isoOf(dayFromParts(year, month, daysInMonth(year, month))),
    };
  }

  function semesterPeriod(s: Semester): Period {
    return {
      kind: 'semester',
      key: `${s.schoolYear}-${s.term}`,
      label: `${schoolYearLabel(s.schoolYear)}${TERM_NAMES[s.term]}`,
      start: s.start,
      end: s.end,
      schoolYear: s.schoolYear,
      term: s.term,
    };
  }

  function fortnightsOf(s: Semester): Period[] {
    const out: Period[] = [];
    const firstMonday = firstTeachingMonday(s);
    const end = dayOf(s.end);
    for (let monday = firstMonday, week = 1; monday <= end; monday += 14, week += 2) {
      const lastWeek = monday + 7 <= end ? week + 1 : week;
      const lastDay = monday + (lastWeek - week) * 7 + 6;
      // Weekend teaching dates before 第1周 (a Saturday start) join the first fortnight.
      const firstDay = week === 1 ? Math.min(monday, dayOf(s.start)) : monday;
      const weeks = lastWeek === week ? `第${week}周` : `第${week}—${lastWeek}周`;
      out.push({
        kind: 'two_weeks',
        key: `${s.schoolYear}-${s.term}:W${String(week).padStart(2, '0')}-${String(lastWeek).padStart(2, '0')}`,
        label: `${TERM_NAMES[s.term]}${weeks}（${monthDayLabel(firstDay)}—${monthDayLabel(lastDay)}）`,
        start: isoOf(firstDay),
        end: isoOf(lastDay),
        schoolYear: s.schoolYear,
        term: s.term,
        teachingWeeks: [week, lastWeek],
      });
    }
    return out;
  }

  function schoolYearPeriod(startYear: number): Period {
    const schoolYear = `${startYear}-${startYear + 1}`;
    const r = schoolYearRangeOf(startYear);
    return { kind: 'school_year', key: schoolYear, label: schoolYearLabel(schoolYear), start: isoOf(r.from), end: isoOf(r.to), schoolYear };
  }

  // Periods are rebuilt for every pairing × quota otherwise; most pairings share their dates.
  const periodCache = new Map<string, readonly Period[]>();
  function periodsBetween(kind: PeriodKind, fromDate: IsoDate, toDate: IsoDate): Period[] {
    const cacheKey = `${kind}|${fromDate}|${toDate}`;
    let periods = periodCache.get(cacheKey);
    if (!periods) {
      if (periodCache.size >= 10_000) periodCache.clear();
      periods = Object.freeze(buildPeriods(kind, fromDate, toDate).map((p) => Object.freeze(p)));
      periodCache.set(cacheKey, periods);
    }
    return [...periods];
  }

  function buildPeriods(kind: PeriodKind, fromDate: IsoDate, toDate: IsoDate): Period[] {
    const from = dayOf(fromDate);
    const to = dayOf(toDate);
    if (to < from) return [];
    const out: Period[] = [];
    const overlaps = (p: Period) => dayOf(p.start) <= to && dayOf(p.end) >= from;
    switch (kind) {
      case 'week':
        for (let monday = mondayOf(from); monday <= to; monday += 7) out.push(weekPeriod(monday));
        return out;
      case 'month': {
        let { year, month } = partsOf(from);
        while (dayFromParts(year, month, 1) <= to) {
          out.push(monthPeriod(year, month));
          month += 1;
          if (month === 13) {
            month = 1;
            year += 1;
          }
        }
        return out;
      }
      case 'semester':
      case 'two_weeks': {
        for (let y = schoolYearStartOf(from); y <= schoolYearStartOf(to); y++) {
          const sems = semestersOf(y);
          for (const s of [sems.first, sems.second]) {
            const candidates = kind === 'semester' ? [semesterPeriod(s)] : fortnightsOf(s);
            out.push(...candidates.filter(overlaps));
          }
        }
        return out;
      }
      case 'school_year':
        for (let y = schoolYearStartOf(from); y <= schoolYearStartOf(to); y++) out.push(schoolYearPeriod(y));
        return out;
    }
  }

  return {
    config,
    semester(schoolYear, term) {
      const sems = semestersOf(parseSchoolYear(schoolYear));
      return term === 1 ? sems.first : sems.second;
    },
    semesterOn: (date) => semesterOnDay(dayOf(date)),
    schoolYearOn(date) {
      const y = schoolYearStartOf(dayOf(date));
      return `${y}-${y + 1}`;
    },
    schoolYearRange(schoolYear) {
      const r = schoolYearRangeOf(parseSchoolYear(schoolYear));
      return { from: isoOf(r.from), to: isoOf(r.to) };
    },
    teachingWeekOn: (date) => teachingWeekOnDay(dayOf(date)),
    isWorkingDay: (date) => (dayFlags(dayOf(date)) & DAY_WORKING) !== 0,
    isClosed: (date) => (dayFlags(dayOf(date)) & DAY_CLOSED) !== 0,
    isInSession: (date) => (dayFlags(dayOf(date)) & DAY_IN_SESSION) !== 0,
    isSchoolDay: (date) => (dayFlags(dayOf(date)) & (DAY_WORKING | DAY_IN_SESSION | DAY_CLOSED)) === (DAY_WORKING | DAY_IN_SESSION),
    closureOn(date) {
      const day = dayOf(date);
      return closures.find((c) => day >= c.from && day <= c.to)?.closure ?? null;
    },
    periodsBetween,
    periodOn(kind, date) {
      return periodsBetween(kind, date, date)[0] ?? null;
    },
    dayFlags,
  };
}
