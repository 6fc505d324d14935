// Programmes (roles, activity types, quotas as data) and the bureau's school calendar (校历).
// Both are bureau settings: every signed-in user reads them, PROGRAMME_ADMIN_ROLES change them,
// always validated and audited in the same transaction.
import type { AppContext } from '../../server/context.js';
import { badRequest, conflict, forbidden, notFound } from '../../server/errors.js';
import type { Caller } from '../../server/http.js';
import { PROGRAMME_ADMIN_ROLES } from '../../shared/roles.js';
import { writeAudit } from '../audit/audit.repo.js';
import type { Queryable } from '../../db/client.js';
import { calendarOf, validateSchoolYearCalendar } from './school-calendar.js';
import { chinaDateOf } from './engine/dates.js';
import type { SchoolCalendar } from './engine/calendar.js';
import { validateProgramme } from './programmes.js';
import type { ProgrammeDefinition, ProgrammeView, SchoolYearCalendar } from './pairings.schemas.js';
import * as repo from './pairings.repo.js';

function assertAdmin(c: Caller) {
  if (c.scope.readOnly || !PROGRAMME_ADMIN_ROLES.includes(c.user.role)) throw forbidden('只有教育局可以设置帮扶项目和校历');
}

function checkDefinition(def: Pick<ProgrammeDefinition, 'roles' | 'activityTypes' | 'quotas'>) {
  const problems = validateProgramme(def);
  if (problems.length > 0) throw badRequest(`项目设置有误：${problems.join('；')}`, { problems });
}

export async function listProgrammes(ctx: AppContext): Promise<ProgrammeView[]> {
  return repo.listProgrammes(ctx.db);
}

export async function getProgramme(ctx: AppContext, key: string): Promise<ProgrammeView> {
  const p = await repo.getProgramme(ctx.db, { key });
  if (!p) throw notFound('帮扶项目');
  return p;
}

export async function createProgramme(ctx: AppContext, c: Caller, def: ProgrammeDefinition): Promise<ProgrammeView> {
  assertAdmin(c);
  checkDefinition(def);
  return ctx.db.transaction(async (tx) => {
    const id = await repo.insertProgramme(tx, def, c.user.id);
    if (!id) throw conflict(`项目编号“${def.key}”已存在`);
    await writeAudit(tx, c.actor, { action: 'programme.created', entityType: 'programme', entityId: def.key, after: def });
    return (await repo.getProgramme(tx, { id }))!;
  });
}

/**
 * Replaces a programme's definition. Its active pairings are evaluated against the new quotas from
 * now on (standings are computed, not stored); a role or activity type still used by a pairing or a
 * record cannot be removed.
 */
export async function updateProgramme(ctx: AppContext, c: Caller, key: string, def: Omit<ProgrammeDefinition, 'key'>): Promise<ProgrammeView> {
  assertAdmin(c);
  checkDefinition(def);
  return ctx.db.transaction(async (tx) => {
    const before = await repo.getProgramme(tx, { key }, true);
    if (!before) throw notFound('帮扶项目');
    const used = await repo.usedRolesAndTypes(tx, before.id);
    const roleKeys = new Set(def.roles.map((r) => r.key));
    const typeKeys = new Set(def.activityTypes.map((t) => t.key));
    const lostRoles = used.roles.filter((r) => !roleKeys.has(r));
    const lostTypes = used.types.filter((t) => !typeKeys.has(t));
    if (lostRoles.length > 0 || lostTypes.length > 0) {
      throw conflict(`已有结对或记录在使用，不能删除：${[...lostRoles.map((r) => `角色 ${r}`), ...lostTypes.map((t) => `活动类型 ${t}`)].join('、')}`);
    }
    const changedKind = def.roles.filter((r) => {
      const old = before.roles.find((o) => o.key === r.key);
      return old && used.roles.includes(r.key) && (old.kind !== r.kind || old.side !== r.side);
    });
    if (changedKind.length > 0) throw conflict(`已有结对在使用的角色不能改变人员类别或所属方：${changedKind.map((r) => r.key).join('、')}`);
    await repo.updateProgramme(tx, before.id, def, c.user.id);
    const { id: _id, activePairings: _a, updatedAt: _u, builtin: _b, ...beforeDef } = before;
    await writeAudit(tx, c.actor, { action: 'programme.updated', entityType: 'programme', entityId: key, before: beforeDef, after: { key, ...def } });
    return (await repo.getProgramme(tx, { id: before.id }))!;
  });
}

// ───────────────────────────── school calendar ─────────────────────────────

/** The engine's calendar from every stored school year (defaults where nothing is stored). */
export async function loadCalendar(q: Queryable): Promise<SchoolCalendar> {
  return calendarOf(await repo.listSchoolCalendars(q));
}

/** Stored years, plus the current school year (defaults) if it is not stored, with the teaching dates in force. */
export async function listSchoolCalendars(ctx: AppContext) {
  const stored = await repo.listSchoolCalendars(ctx.db);
  const calendar = calendarOf(stored);
  const current = calendar.schoolYearOn(chinaDateOf(new Date()));
  const years = [...new Set([...stored.map((s) => s.schoolYear), current])].sort();
  return years.map((schoolYear) => {
    const row = stored.find((s) => s.schoolYear === schoolYear);
    return {
      schoolYear,
      config: row?.config ?? null,
      semesters: ([1, 2] as const).map((term) => {
        const s = calendar.semester(schoolYear, term);
        return { term, start: s.start, end: s.end };
      }),
      updatedAt: row?.updatedAt ?? null,
    };
  });
}

export async function setSchoolCalendar(ctx: AppContext, c: Caller, schoolYear: string, config: SchoolYearCalendar) {
  assertAdmin(c);
  const normalised: SchoolYearCalendar = {
    ...(config.first ? { first: config.first } : {}),
    ...(config.second ? { second: config.second } : {}),
    closures: [...(config.closures ?? [])].sort((a, b) => a.from.localeCompare(b.from)),
    makeUpDays: [...(config.makeUpDays ?? [])].sort(),
  };
  await ctx.db.transaction(async (tx) => {
    const stored = await repo.listSchoolCalendars(tx);
    const problems = validateSchoolYearCalendar(schoolYear, normalised, stored);
    if (problems.length > 0) throw badRequest(`校历有误：${problems.join('；')}`, { problems });
    const before = stored.find((s) => s.schoolYear === schoolYear)?.config ?? null;
    await repo.upsertSchoolCalendar(tx, schoolYear, normalised, c.user.id);
    await writeAudit(tx, c.actor, { action: 'school_calendar.updated', entityType: 'school_calendar', entityId: schoolYear, before, after: normalised });
  });
  return (await listSchoolCalendars(ctx)).find((y) => y.schoolYear === schoolYear)!;
}
