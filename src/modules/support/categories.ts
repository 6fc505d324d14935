// Categories of a support case from the registry's family flags, and merging categories and
// sources without losing any. Pure: no database.
import { FAMILY_FLAGS, type FamilyFlag } from '../../shared/registry.js';
import { SAN_KUN, SUPPORT_CATEGORIES, type CaseSource, type SupportCategory } from './support.schemas.js';

/**
 * Which family flags put a student in which category. 贫困生: the lists of 扶贫办 (建档立卡/脱贫户,
 * 防返贫监测对象) and 民政局 (低保, 特困供养, 孤儿, 事实无人抚养儿童) (DOMAIN.md 精准资助);
 * 特殊家庭: 单亲, 孤儿, 事实无人抚养, 残疾 (000 范文1 "特殊家庭学生偏多（贫困、单亲、留守）");
 * 留守儿童: its own flag. 随迁子女 alone makes no case.
 */
export const FLAG_CATEGORIES: Record<FamilyFlag, readonly SupportCategory[]> = {
  poverty_registered: ['poverty'],
  poverty_monitored: ['poverty'],
  dibao: ['poverty'],
  tekun: ['poverty'],
  orphan: ['poverty', 'special_family'],
  unattended: ['poverty', 'special_family'],
  disabled: ['special_family'],
  single_parent: ['special_family'],
  left_behind: ['left_behind'],
  migrant: [],
};

/** Categories in their canonical order, each once. */
export function sortCategories(list: Iterable<string>): SupportCategory[] {
  const set = new Set(list);
  return SUPPORT_CATEGORIES.filter((c) => set.has(c));
}

/** The categories a student's family flags give, with one source per (category, flag). Unknown flags are ignored. */
export function categoriesFromFlags(flags: readonly string[], at: string): { categories: SupportCategory[]; sources: CaseSource[] } {
  const sources: CaseSource[] = [];
  for (const flag of [...new Set(flags)].sort()) {
    for (const category of FLAG_CATEGORIES[flag as FamilyFlag] ?? []) {
      sources.push({ kind: 'family_flag', category, flag, note: FAMILY_FLAGS[flag as FamilyFlag], at });
    }
  }
  return { categories: sortCategories(sources.map((s) => s.category)), sources };
}

/** Same source (ignoring when it was noted)? */
export function sameSource(a: CaseSource, b: CaseSource): boolean {
  return a.kind === b.kind && a.category === b.category && (a.examId ?? null) === (b.examId ?? null) && (a.flag ?? null) === (b.flag ?? null)
    && (a.previousCaseId ?? null) === (b.previousCaseId ?? null);
}

/**
 * A case's categories and sources after adding new ones: nothing is removed (a category leaves a
 * case only by a person's decision), a source already there is not added twice.
 */
export function mergeInto(
  current: { categories: readonly string[]; sources: readonly CaseSource[]; weakSubjects: readonly string[] },
  add: { categories: readonly string[]; sources: readonly CaseSource[]; weakSubjects?: readonly string[] },
): { categories: SupportCategory[]; sources: CaseSource[]; weakSubjects: string[]; changed: boolean; categoriesChanged: boolean } {
  const categories = sortCategories([...current.categories, ...add.categories]);
  const sources = [...current.sources];
  for (const s of add.sources) if (!sources.some((x) => sameSource(x, s))) sources.push(s);
  const weakSubjects = [...new Set([...current.weakSubjects, ...(add.weakSubjects ?? [])])];
  const categoriesChanged = categories.length !== current.categories.length;
  const changed = categoriesChanged || sources.length !== current.sources.length || weakSubjects.length !== current.weakSubjects.length;
  return { categories, sources, weakSubjects, changed, categoriesChanged };
}

/** 三困生: learning, poverty and psychological at once. */
export const isSanKun = (categories: readonly string[]) => SAN_KUN.every((c) => categories.includes(c));
