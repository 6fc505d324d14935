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

export type SnapshotIndex = Map<string, UnitSnapshot>;

export function snapshotKey(subject: string, level: UnitLevel, key: string): string {
  return `${subject}\u0000${level}\u0000${key}`;
}

/** Index an exam's snapshot rows for matching; a duplicate unit is a caller error. */
export function indexSnapshot(rows: Iterable<UnitSnapshot>): SnapshotIndex {
  const index: SnapshotIndex = new Map();
  for (const row of rows) {
    const k = snapshotKey(row.subject, row.level, row.key);
    if (index.has(k)) throw new Error(`同一单位在一次考试中出现两次: ${row.subject}/${row.level}/${row.key}`);
    index.set(k, row);
  }
  return index;
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
  if (!other || current.enrolled <= 0) return null;
  const then = other.get(snapshotKey(current.subject, current.level, current.key));
  if (!then || then.enrolled <= 0) return null;
  const rankNow = current.rankInSchool ?? 0;
  const rankThen = then.rankInSchool ?? 0;
  return {
    bottom: then.bottom,
    enrolled: then.enrolled,
    ratio: then.bottom / then.enrolled,
    rank: then.rank,
    rankInSchool: rankThen,
    points: changeInPoints(current.bottom, current.enrolled, then.bottom, then.enrolled),
    bottomChange: current.bottom - then.bottom,
    rankRise: current.rank > 0 && then.rank > 0 ? then.rank - current.rank : null,
    rankInSchoolRise: rankNow > 0 && rankThen > 0 ? rankThen - rankNow : null,
  };
}
