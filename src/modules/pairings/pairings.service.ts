// Pairings: create (participants must exist, be in the caller's scope and fit the programme's
// roles), list and read through compileScope, edit the plan, change participants (a change ends
// a row and adds one: history stays), and move through proposed → active → completed | cancelled
// with every transition kept in pairing_status_history. Every change is audited in its transaction.
import { sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../../server/context.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../server/errors.js';
import type { Caller } from '../../server/http.js';
import { PAIRING_MANAGER_ROLES } from '../../shared/roles.js';
import type { Queryable } from '../../db/client.js';
import { writeAudit } from '../audit/audit.repo.js';
import { chinaDateOf } from './engine/dates.js';
import {
  PAIRING_STATUS_LABELS,
  PAIRING_TRANSITIONS,
  type PairingDetail,
  type PairingView,
  type ParticipantView,
  type PersonKind,
  type ProgrammeRole,
} from './pairings.schemas.js';
import type { z } from 'zod';
import type { addParticipantBody, createPairingBody, pairingListQuery, participantInput, transitionBody, updatePairingBody } from './pairings.schemas.js';
import * as repo from './pairings.repo.js';

type CreateBody = z.infer<typeof createPairingBody>;
type ListQuery = z.infer<typeof pairingListQuery>;
type ParticipantInput = z.infer<typeof participantInput>;

export const today = () => chinaDateOf(new Date());

/** The engine's id of a participant: 'teacher:12', 'student:5', 'school:3'. */
export const refOf = (kind: string, personId: number) => `${kind}:${personId}`;

export function participantView(p: repo.ParticipantRow, roles: readonly ProgrammeRole[]): ParticipantView {
  return {
    id: p.id,
    role: p.role,
    roleLabel: roles.find((r) => r.key === p.role)?.label ?? p.role,
    side: p.side,
    kind: p.kind,
    personId: p.personId,
    ref: refOf(p.kind, p.personId),
    name: p.name,
    schoolId: p.schoolId,
    schoolName: p.schoolName,
    from: p.from,
    to: p.to,
    endReason: p.endReason,
  };
}

/** Taking part on `day`: from ≤ day ≤ to (to = last day, inclusive; null = still). */
export const takesPartOn = (p: { from: string; to: string | null }, day: string) => p.from <= day && (p.to === null || p.to >= day);
/** Still taking part: not ended before today (a participant added with a later start already counts as current). */
export const isCurrent = (p: { to: string | null }, day: string) => p.to === null || p.to >= day;

function pairingView(row: repo.PairingRow, participants: repo.ParticipantRow[], roles: readonly ProgrammeRole[]): PairingView {
  const day = today();
  return {
    id: row.id,
    programme: { key: row.programmeKey, name: row.programmeName },
    status: row.status,
    statusLabel: PAIRING_STATUS_LABELS[row.status],
    start: row.start,
    end: row.end,
    plan: row.plan,
    schoolId: row.schoolId,
    schoolName: row.schoolName,
    subjectRef: row.subjectRef,
    participants: participants.filter((p) => p.pairingId === row.id && isCurrent(p, day)).map((p) => participantView(p, roles)),
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function assertManagerRole(c: Caller) {
  if (c.scope.readOnly || !PAIRING_MANAGER_ROLES.includes(c.user.role)) throw forbidden('您的角色不能管理结对');
}

/** Teachers, students and schools named as participants, each looked up inside the caller's scope. */
async function resolvePeople(q: Queryable, c: Caller, list: readonly Pick<ParticipantInput, 'kind' | 'personId'>[]) {
  const scopeOf: Record<PersonKind, SQL> = { teacher: c.scope.teachers('t'), student: c.scope.students('st'), school: c.scope.schools('sc') };
  const found = new Map<string, repo.PersonRow>();
  for (const kind of ['teacher', 'student', 'school'] as const) {
    const ids = [...new Set(list.filter((p) => p.kind === kind).map((p) => p.personId))];
    for (const row of await repo.peopleInScope(q, kind, ids, scopeOf[kind])) found.set(refOf(kind, row.id), row);
  }
  const missing = list.filter((p) => !found.has(refOf(p.kind, p.personId)));
  if (missing.length > 0) {
    const what = missing.map((m) => `${{ teacher: '教师', student: '学生', school: '学校' }[m.kind]} ${m.personId}`).join('、');
    throw badRequest(`参与方不存在或不在您的管理范围内：${what}`, { missing });
  }
  const inactive = [...found.values()].filter((p) => !p.active);
  if (inactive.length > 0) throw badRequest(`教师已不在职，不能结对：${inactive.map((p) => p.name).join('、')}`);
  return found;
}

/** The programme's role rules: known role, the right kind of person, no one twice, counts within min..max. */
function checkRoles(roles: readonly ProgrammeRole[], list: readonly Pick<ParticipantInput, 'role' | 'kind' | 'personId'>[], checkMin: boolean): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const p of list) {
    const role = roles.find((r) => r.key === p.role);
    if (!role) {
      problems.push(`本项目没有角色“${p.role}”`);
      continue;
    }
    if (role.kind !== p.kind) problems.push(`“${role.label}”应为${{ teacher: '教师', student: '学生', school: '学校' }[role.kind]}`);
    const ref = refOf(p.kind, p.personId);
    if (seen.has(ref)) problems.push(`同一${{ teacher: '教师', student: '学生', school: '学校' }[p.kind]}不能在一个结对中出现两次`);
    seen.add(ref);
  }
  for (const role of roles) {
    const n = list.filter((p) => p.role === role.key).length;
    if (n > role.max) problems.push(`“${role.label}”至多${role.max}个，现有${n}个`);
    if (checkMin && n < role.min) problems.push(`“${role.label}”至少${role.min}个，现有${n}个`);
  }
  return [...new Set(problems)];
}

export async function createPairing(ctx: AppContext, c: Caller, body: CreateBody): Promise<PairingDetail> {
  return ctx.db.transaction((tx) => createPairingIn(tx, c, body));
}

/** createPairing on the caller's transaction (the support module creates a case's pairings with its own change). */
export async function createPairingIn(tx: Queryable, c: Caller, body: CreateBody): Promise<PairingDetail> {
  assertManagerRole(c);
  if (body.end && body.end < body.start) throw badRequest('计划结束日期早于开始日期');
  {
    const programme = await repo.getProgramme(tx, { key: body.programme });
    if (!programme) throw badRequest(`帮扶项目“${body.programme}”不存在`);
    if (!programme.active) throw badRequest(`帮扶项目“${programme.name}”已停用`);
    const problems = checkRoles(programme.roles, body.participants, true);
    if (problems.length > 0) throw badRequest(`参与方不符合“${programme.name}”的规则：${problems.join('；')}`, { problems });
    const people = await resolvePeople(tx, c, body.participants);
    const units = [...new Set([...people.values()].map((p) => p.schoolId))];
    // school roles manage the pairings of their school; a bureau-made pairing within one school is that school's, across schools the bureau's
    const schoolId = c.scope.level === 'region' ? (units.length === 1 ? units[0]! : null) : c.user.schoolId;
    if (schoolId != null && !c.scope.canWriteSchool(schoolId)) throw forbidden();
    const pairingId = await repo.insertPairing(tx, {
      programmeId: programme.id,
      status: body.status,
      start: body.start,
      end: body.end ?? null,
      plan: body.plan ?? null,
      schoolId,
      subjectRef: body.subjectRef ?? null,
      createdBy: c.user.id,
    });
    for (const p of body.participants) {
      const role = programme.roles.find((r) => r.key === p.role)!;
      await repo.insertParticipant(tx, {
        pairingId,
        role: p.role,
        side: role.side,
        kind: p.kind,
        personId: p.personId,
        schoolId: people.get(refOf(p.kind, p.personId))!.schoolId,
        from: body.start,
        createdBy: c.user.id,
      });
    }
    await repo.insertStatusHistory(tx, { pairingId, from: null, to: body.status, effectiveDate: body.start, reason: null, actorUserId: c.actor.userId, actorName: c.actor.name });
    await writeAudit(tx, c.actor, {
      action: 'pairing.created',
      entityType: 'pairing',
      entityId: pairingId,
      schoolId,
      after: { programme: programme.key, status: body.status, start: body.start, end: body.end ?? null, plan: body.plan ?? null, participants: body.participants, subjectRef: body.subjectRef ?? null },
    });
    return detailOf(tx, c, pairingId);
  }
}

async function detailOf(q: Queryable, c: Caller, id: number): Promise<PairingDetail> {
  const row = await repo.getPairing(q, id, c.scope.pairings('pg'));
  if (!row) throw notFound('结对');
  const programme = (await repo.getProgramme(q, { id: row.programmeId }))!;
  const participants = await repo.participantsOf(q, [id]);
  const managed = await repo.isTrue(q, sql`EXISTS (SELECT 1 FROM pairings pg WHERE pg.id = ${id} AND ${c.scope.managedPairings('pg')})`);
  const day = today();
  const mine = c.user.teacherId != null && participants.some((p) => p.kind === 'teacher' && p.personId === c.user.teacherId && isCurrent(p, day));
  return {
    ...pairingView(row, participants, programme.roles),
    participantHistory: participants.map((p) => participantView(p, programme.roles)),
    history: (await repo.statusHistory(q, id)) as PairingDetail['history'],
    canManage: managed,
    canRecord: row.status === 'active' && (mine || (!c.scope.readOnly && PAIRING_MANAGER_ROLES.includes(c.user.role))),
  };
}

export function getPairing(ctx: AppContext, c: Caller, id: number): Promise<PairingDetail> {
  return detailOf(ctx.db, c, id);
}

export async function listPairings(ctx: AppContext, c: Caller, f: ListQuery) {
  const conds: SQL[] = [c.scope.pairings('pg')];
  const day = today();
  const currently = (cond: SQL) => sql`EXISTS (SELECT 1 FROM pairing_participants lp WHERE lp.pairing_id = pg.id AND (lp.to_date IS NULL OR lp.to_date >= ${day}) AND ${cond})`;
  if (f.programme) conds.push(sql`pr.key = ${f.programme}`);
  if (f.status) conds.push(sql`pg.status = ${f.status}`);
  if (f.schoolId) conds.push(sql`(pg.school_id = ${f.schoolId} OR ${currently(sql`lp.school_id = ${f.schoolId}`)})`);
  if (f.teacherId) conds.push(currently(sql`lp.person_kind = 'teacher' AND lp.person_id = ${f.teacherId}`));
  if (f.studentId) conds.push(currently(sql`lp.person_kind = 'student' AND lp.person_id = ${f.studentId}`));
  if (f.mine) conds.push(c.user.teacherId == null ? sql`FALSE` : currently(sql`lp.person_kind = 'teacher' AND lp.person_id = ${c.user.teacherId}`));
  const res = await repo.listPairings(ctx.db, sql.join(conds, sql` AND `), f.page, f.pageSize);
  const participants = await repo.participantsOf(ctx.db, res.items.map((i) => i.id));
  const programmes = new Map((await repo.listProgrammes(ctx.db)).map((p) => [p.id, p]));
  return {
    total: res.total,
    page: f.page,
    pageSize: f.pageSize,
    items: res.items.map((row) => pairingView(row, participants, programmes.get(row.programmeId)?.roles ?? [])),
  };
}

/** Locks a pairing the caller sees; 404 outside scope, 403 when they see it but may not manage it. */
async function managedForUpdate(q: Queryable, c: Caller, id: number) {
  assertManagerRole(c);
  const row = await repo.getPairing(q, id, c.scope.pairings('pg'), true);
  if (!row) throw notFound('结对');
  if (!(await repo.isTrue(q, sql`EXISTS (SELECT 1 FROM pairings pg WHERE pg.id = ${id} AND ${c.scope.managedPairings('pg')})`))) {
    throw forbidden('该结对由其他学校或教育局管理，您不能修改');
  }
  return row;
}

export async function updatePairing(ctx: AppContext, c: Caller, id: number, body: z.infer<typeof updatePairingBody>): Promise<PairingDetail> {
  return ctx.db.transaction(async (tx) => {
    const row = await managedForUpdate(tx, c, id);
    if (row.status === 'completed' || row.status === 'cancelled') throw conflict('结对已结束，不能再修改');
    if (body.start !== undefined && row.status !== 'proposed') throw conflict('结对已开始，不能再改开始日期');
    const start = body.start ?? row.start;
    const end = body.end === undefined ? row.end : body.end;
    if (end && end < start) throw badRequest('计划结束日期早于开始日期');
    const patch: { start?: string; end?: string | null; plan?: string | null } = {};
    if (body.start !== undefined && body.start !== row.start) patch.start = body.start;
    if (body.end !== undefined && body.end !== row.end) patch.end = body.end;
    if (body.plan !== undefined && body.plan !== row.plan) patch.plan = body.plan;
    if (Object.keys(patch).length === 0) return detailOf(tx, c, id);
    await repo.updatePairingFields(tx, id, patch);
    if (patch.start) {
      // participants of a proposed pairing start with it
      await tx.execute(sql`UPDATE pairing_participants SET from_date = ${patch.start} WHERE pairing_id = ${id} AND from_date = ${row.start}`);
    }
    const before = Object.fromEntries(Object.keys(patch).map((k) => [k, row[k as keyof typeof patch]]));
    await writeAudit(tx, c.actor, { action: 'pairing.updated', entityType: 'pairing', entityId: id, schoolId: row.schoolId, before, after: patch, reason: body.reason ?? null });
    return detailOf(tx, c, id);
  });
}

/**
 * proposed → active: `date` is the start (default: the planned start); the participants must fill every role's minimum.
 * active → completed | cancelled: `date` is the last day in force (default today; not before the start, not in the future).
 * proposed → cancelled: it never came into force; no end date, never evaluated. Cancelling needs a reason.
 */
export async function transitionPairing(ctx: AppContext, c: Caller, id: number, body: z.infer<typeof transitionBody>): Promise<PairingDetail> {
  return ctx.db.transaction((tx) => transitionPairingIn(tx, c, id, body));
}

/** transitionPairing on the caller's transaction (closing a support case completes its pairings in the same change). */
export async function transitionPairingIn(tx: Queryable, c: Caller, id: number, body: z.infer<typeof transitionBody>): Promise<PairingDetail> {
  {
    const row = await managedForUpdate(tx, c, id);
    if (!PAIRING_TRANSITIONS[row.status].includes(body.to)) {
      throw new AppError(409, 'INVALID_TRANSITION', `结对${PAIRING_STATUS_LABELS[row.status]}，不能改为${PAIRING_STATUS_LABELS[body.to]}`);
    }
    const reason = body.reason?.trim() || null;
    if (body.to === 'cancelled' && (!reason || reason.length < 2)) throw badRequest('解除结对须填写原因');
    const day = today();
    let effective: string | null;
    const patch: { status: string; start?: string; end?: string | null } = { status: body.to };
    if (body.to === 'active') {
      effective = body.date ?? row.start;
      if (row.end && row.end < effective) throw badRequest('开始日期晚于计划结束日期');
      const programme = (await repo.getProgramme(tx, { id: row.programmeId }))!;
      const current = (await repo.participantsOf(tx, [id])).filter((p) => isCurrent(p, day));
      const problems = checkRoles(programme.roles, current.map((p) => ({ role: p.role, kind: p.kind, personId: p.personId })), true);
      if (problems.length > 0) throw badRequest(`参与方不齐，不能开始：${problems.join('；')}`, { problems });
      if (effective !== row.start) {
        patch.start = effective;
        await tx.execute(sql`UPDATE pairing_participants SET from_date = ${effective} WHERE pairing_id = ${id} AND from_date = ${row.start}`);
      }
    } else if (row.status === 'proposed') {
      effective = null; // cancelled before it started
    } else {
      effective = body.date ?? day;
      if (effective < row.start) throw badRequest(`结束日期不能早于开始日期（${row.start}）`);
      if (effective > day) throw badRequest('结束日期不能晚于今天：尚未结束的结对请设置计划结束日期');
      patch.end = effective;
    }
    await repo.updatePairingFields(tx, id, patch);
    await repo.insertStatusHistory(tx, { pairingId: id, from: row.status, to: body.to, effectiveDate: effective, reason, actorUserId: c.actor.userId, actorName: c.actor.name });
    await writeAudit(tx, c.actor, {
      action: 'pairing.transitioned',
      entityType: 'pairing',
      entityId: id,
      schoolId: row.schoolId,
      before: { status: row.status, start: row.start, end: row.end },
      after: { status: body.to, start: patch.start ?? row.start, end: patch.end === undefined ? row.end : patch.end, effectiveDate: effective },
      reason,
    });
    return detailOf(tx, c, id);
  }
}

export async function addParticipant(ctx: AppContext, c: Caller, id: number, body: z.infer<typeof addParticipantBody>): Promise<PairingDetail> {
  return ctx.db.transaction(async (tx) => {
    const row = await managedForUpdate(tx, c, id);
    if (row.status !== 'proposed' && row.status !== 'active') throw conflict('结对已结束，不能再增加参与方');
    const day = today();
    const from = body.from ?? (row.status === 'proposed' ? row.start : day);
    if (from < row.start) throw badRequest(`参与开始日期不能早于结对开始日期（${row.start}）`);
    if (row.end && from > row.end) throw badRequest('参与开始日期晚于结对计划结束日期');
    const programme = (await repo.getProgramme(tx, { id: row.programmeId }))!;
    const current = (await repo.participantsOf(tx, [id])).filter((p) => isCurrent(p, day));
    if (current.some((p) => p.kind === body.kind && p.personId === body.personId)) throw conflict('此人已在结对中');
    const problems = checkRoles(programme.roles, [...current.map((p) => ({ role: p.role, kind: p.kind, personId: p.personId })), body], false);
    if (problems.length > 0) throw badRequest(`参与方不符合“${programme.name}”的规则：${problems.join('；')}`, { problems });
    const person = (await resolvePeople(tx, c, [body])).get(refOf(body.kind, body.personId))!;
    const role = programme.roles.find((r) => r.key === body.role)!;
    const participantId = await repo.insertParticipant(tx, {
      pairingId: id, role: body.role, side: role.side, kind: body.kind, personId: body.personId, schoolId: person.schoolId, from, createdBy: c.user.id,
    });
    await writeAudit(tx, c.actor, {
      action: 'pairing.participant_added',
      entityType: 'pairing',
      entityId: id,
      schoolId: row.schoolId,
      after: { participantId, role: body.role, kind: body.kind, personId: body.personId, from },
      reason: body.reason ?? null,
    });
    return detailOf(tx, c, id);
  });
}

export async function endParticipant(ctx: AppContext, c: Caller, id: number, participantId: number, body: { to?: string; reason: string }): Promise<PairingDetail> {
  return ctx.db.transaction(async (tx) => {
    const row = await managedForUpdate(tx, c, id);
    if (row.status !== 'proposed' && row.status !== 'active') throw conflict('结对已结束，参与方随之结束');
    const participant = (await repo.participantsOf(tx, [id])).find((p) => p.id === participantId);
    if (!participant) throw notFound('参与方');
    const day = today();
    if (!isCurrent(participant, day)) throw conflict('此参与方已结束');
    const to = body.to ?? day;
    if (to < participant.from) throw badRequest(`结束日期不能早于参与开始日期（${participant.from}）`);
    await repo.endParticipant(tx, participantId, to, body.reason);
    await writeAudit(tx, c.actor, {
      action: 'pairing.participant_ended',
      entityType: 'pairing',
      entityId: id,
      schoolId: row.schoolId,
      before: { participantId, role: participant.role, kind: participant.kind, personId: participant.personId, from: participant.from, to: null },
      after: { participantId, to },
      reason: body.reason,
    });
    return detailOf(tx, c, id);
  });
}
