/**
 * Change of a unit's bottom-20% standing against another exam (the previous
 * comparable exam, or the grade's baseline exam).
 *
 * Units are matched by (subject, level, key): the key is opaque here (学校标识码
 * for a school, the class id that follows the cohort from 初一 to 初三, the
 * teacher id). A unit missing from either exam — a new class, a teacher who did
 * not teach the subject then — is "not measurable": the change is null, never
 * a guess.
 *
 * Sign convention: points = ratio now − ratio then, in percentage points, so a
 * NEGATIVE change is an improvement (fewer students in the bottom group);
 * rankRise = rank then − rank now, so a POSITIVE value is places risen.
 */
import { changeInPoints } from './rational.js';

export type UnitLevel = 'school' | 'class' | 'teacher';

/** What an exam keeps per unit for later comparison (what the database stores). */
export interface UnitSnapshot {
  subject: string;
  level: UnitLevel;
  key: string;
  bottom: number;
  enrolled: number;
  /** county rank among units of the same level; 0 = unranked */
  rank: number;
  /** rank within the school (classes); 0 or absent = not ranked in school */
  rankInSchool?: number;
}

/** Snapshot rows by (subject, level), then by unit key: one map lookup per unit, no key strings built per row. */
export type SnapshotIndex = Map<string, Map<string, UnitSnapshot>>;

function groupKey(subject: string, level: UnitLevel): string {
  return `${subject}\u0000${level}`;
}

/** Index an exam's snapshot rows for matching; a duplicate unit is a caller error. */
export function indexSnapshot(rows: Iterable<UnitSnapshot>): SnapshotIndex {
  const index: SnapshotIndex = new Map();
  for (const row of rows) {
    const g = groupKey(row.subject, row.level);
    let units = index.get(g);
    if (!units) index.set(g, (units = new Map()));
    if (units.has(row.key)) throw new Error(`同一单位在一次考试中出现两次: ${row.subject}/${row.level}/${row.key}`);
    units.set(row.key, row);
  }
  return index;
}

/** The other exam's units of one subject and level (undefined: none there). */
export function unitsOf(index: SnapshotIndex | null | undefined, subject: string, level: UnitLevel): Map<string, UnitSnapshot> | undefined {
  return index?.get(groupKey(subject, level));
}

export interface RatioChange {
  /** the other exam's values */
  bottom: number;
  enrolled: number;
  ratio: number;
  rank: number;
  rankInSchool: number;
  /** ratio now − ratio then, in percentage points (negative = improved) */
  points: number;
  /** bottom count now − then (negative = fewer students in the bottom group) */
  bottomChange: number;
  /** county rank then − now (positive = places risen); null if either is unranked */
  rankRise: number | null;
  /** rank-in-school then − now; null if either is unranked */
  rankInSchoolRise: number | null;
}

/** Compare one unit against another exam; null when not measurable. */
export function compareUnit(current: UnitSnapshot, other: SnapshotIndex | null | undefined): RatioChange | null {
  return compareCounts(current.bottom, current.enrolled, current.rank, current.rankInSchool ?? 0, unitsOf(other, current.subject, current.level)?.get(current.key));
}

/** The comparison itself, from a unit's numbers now and its row then (undefined = missing: null). */
export function compareCounts(bottom: number, enrolled: number, rank: number, rankInSchool: number, then: UnitSnapshot | undefined): RatioChange | null {
  if (!then || enrolled <= 0 || then.enrolled <= 0) return null;
  const rankThen = then.rankInSchool ?? 0;
  return {
    bottom: then.bottom,
    enrolled: then.enrolled,
    ratio: then.bottom / then.enrolled,
    rank: then.rank,
    rankInSchool: rankThen,
    points: changeInPoints(bottom, enrolled, then.bottom, then.enrolled),
    bottomChange: bottom - then.bottom,
    rankRise: rank > 0 && then.rank > 0 ? then.rank - rank : null,
    rankInSchoolRise: rankInSchool > 0 && rankThen > 0 ? rankThen - rankInSchool : null,
  };
}
