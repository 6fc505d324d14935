// The bureau's 校历 is stored one school year per row (school_calendars); the engine takes one
// SchoolCalendarConfig. This merges the rows and checks one year's entry. Pure.
import { createSchoolCalendar, validateCalendarConfig, type SchoolCalendar, type SchoolCalendarConfig } from './engine/calendar.js';
import { weekdayOf, dayOf } from './engine/dates.js';
import type { SchoolYearCalendar } from './pairings.schemas.js';

export interface StoredSchoolYear {
  schoolYear: string;
  config: SchoolYearCalendar;
}

/** One engine config from the stored years: their semester dates as overrides, all closures and make-up days. */
export function calendarConfigOf(years: readonly StoredSchoolYear[]): SchoolCalendarConfig {
  const overrides: NonNullable<SchoolCalendarConfig['overrides']> = {};
  const closures: NonNullable<SchoolCalendarConfig['closures']> = [];
  const makeUpDays: string[] = [];
  for (const y of years) {
    const o: { first?: { from: string; to: string }; second?: { from: string; to: string } } = {};
    if (y.config.first) o.first = y.config.first;
    if (y.config.second) o.second = y.config.second;
    if (o.first || o.second) overrides[y.schoolYear] = o;
    closures.push(...(y.config.closures ?? []));
    makeUpDays.push(...(y.config.makeUpDays ?? []));
  }
  return { overrides, closures, makeUpDays };
}

export function calendarOf(years: readonly StoredSchoolYear[]): SchoolCalendar {
  return createSchoolCalendar(calendarConfigOf(years));
}

/**
 * Problems (in Chinese) with one school year's entry, given the other stored years: the engine's
 * own checks, overlapping semesters, closures and make-up days outside the school year, make-up
 * days that are already working days.
 */
export function validateSchoolYearCalendar(schoolYear: string, entry: SchoolYearCalendar, others: readonly StoredSchoolYear[]): string[] {
  const years = [...others.filter((y) => y.schoolYear !== schoolYear), { schoolYear, config: entry }];
  const config = calendarConfigOf(years);
  const problems = validateCalendarConfig(config);
  if (problems.length > 0) return problems;
  let calendar: SchoolCalendar;
  try {
    calendar = createSchoolCalendar(config);
    // builds both semesters of this year and the next one's first (the year's end), which checks they do not overlap
    calendar.schoolYearRange(schoolYear);
  } catch (err) {
    return [(err as Error).message];
  }
  const range = calendar.schoolYearRange(schoolYear);
  const inYear = (d: string) => d >= range.from && d <= range.to;
  for (const c of entry.closures ?? []) {
    if (!inYear(c.from) || !inYear(c.to)) problems.push(`停课“${c.label}”（${c.from}—${c.to}）不在${schoolYear}学年（${range.from}—${range.to}）内`);
  }
  const seen = new Set<string>();
  for (const d of entry.makeUpDays ?? []) {
    if (seen.has(d)) problems.push(`调休上班日重复：${d}`);
    seen.add(d);
    if (!inYear(d)) problems.push(`调休上班日 ${d} 不在${schoolYear}学年（${range.from}—${range.to}）内`);
    else if (weekdayOf(dayOf(d)) <= 5) problems.push(`调休上班日 ${d} 本来就是工作日（应为周六或周日）`);
  }
  return problems;
}
