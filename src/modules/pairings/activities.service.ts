// Activity records against a pairing, their checks (accept / return with a comment, spot
// checks) and resubmission. Who may record: a teacher taking part (credited with a role they
// hold), or a pairing manager who sees the pairing (any role). Confidential records are masked
// by scope.activityContent; their text never goes into the audit log (a digest does).
import crypto from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { AppContext } from '../../server/context.js';
import { badRequest, conflict, forbidden, notFound } from '../../server/errors.js';
import type { Caller } from '../../server/http.js';
import { PAIRING_MANAGER_ROLES } from '../../shared/roles.js';
import type { Queryable } from '../../db/client.js';
import { auditValues, writeAudit, type AuditEntry } from '../audit/audit.repo.js';
import { validateActivityFields } from './activity-fields.js';
import {
  ACTIVITY_STATUS_LABELS,
  type ActivityTypeDef,
  type ActivityView,
  type AttachmentView,
  type activityListQuery,
  type recordActivityBody,
  type reviewBody,
  type updateActivityBody,
} from './pairings.schemas.js';
import { isCurrent, refOf, takesPartOn, today } from './pairings.service.js';
import * as repo from './pairings.repo.js';

type RecordBody = z.infer<typeof recordActivityBody>;

const isManager = (c: Caller) => !c.scope.readOnly && PAIRING_MANAGER_ROLES.includes(c.user.role);

export function activityView(row: repo.ActivityRow, programme: Pick<repo.ProgrammeRow, 'activityTypes' | 'roles'> | undefined): ActivityView {
  const type = programme?.activityTypes.find((t) => t.key === row.type);
  const role = programme?.roles.find((r) => r.key === row.role);
  return {
    id: row.id,
    pairingId: row.pairingId,
    programmeKey: row.programmeKey,
    type: row.type,
    typeLabel: type?.label ?? row.type,
    date: row.date,
    role: row.role,
    roleLabel: role?.label ?? row.role,
    personIds: row.personIds,
    content: row.readable ? row.content : null,
    fields: row.readable ? row.fields : null,
    attachments: row.readable ? row.attachments : null,
    confidential: row.confidential,
    masked: !row.readable,
    status: row.status,
    statusLabel: ACTIVITY_STATUS_LABELS[row.status],
    revision: row.revision,
    recordedBy: { id: row.recordedBy, name: row.recordedByName },
    lastCheck: row.lastCheck,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** What the audit log keeps of a record: everything, except a confidential record's text and fields (a digest instead). */
export function auditImage(a: { type: string; date: string; role: string; personIds: string[]; content: string; fields: Record<string, unknown>; confidential: boolean; status?: string }) {
  const base = { type: a.type, date: a.date, role: a.role, personIds: a.personIds, confidential: a.confidential, ...(a.status ? { status: a.status } : {}) };
  if (!a.confidential) return { ...base, content: a.content, fields: a.fields };
  const digest = crypto.createHash('sha256').update(JSON.stringify([a.content, a.fields])).digest('hex');
  return { ...base, contentDigest: digest, contentLength: a.content.length };
}

function confidentialOf(type: ActivityTypeDef, requested: boolean | undefined, current = false): boolean {
  if (type.confidential === 'always') return true;
  if (type.confidential === 'never') {
    if (requested) throw badRequest(`“${type.label}”记录不能设为保密`);
    return false;
  }
  return requested ?? current;
}

function checkFields(type: ActivityTypeDef, values: Record<string, unknown>): Record<string, unknown> {
  const r = validateActivityFields(type.fields, values);
  if (!r.ok) throw badRequest(`“${type.label}”的填写有误：${r.problems.join('；')}`, { problems: r.problems });
  return r.value;
}

/** Everyone who took part on the day must be a participant of the pairing then. */
function checkPersonIds(personIds: readonly string[], participants: readonly Pick<repo.ParticipantRef, 'kind' | 'personId' | 'from' | 'to'>[], date: string): string[] {
  const unique = [...new Set(personIds)];
  const onDay = new Set(participants.filter((p) => takesPartOn(p, date)).map((p) => refOf(p.kind, p.personId)));
  const strangers = unique.filter((id) => !onDay.has(id));
  if (strangers.length > 0) throw badRequest(`参与人员不是该结对在 ${date} 的参与方：${strangers.join('、')}`);
  return unique;
}

function checkDate(date: string, pairing: Pick<repo.PairingRow, 'start' | 'end'>) {
  if (date > today()) throw badRequest('活动日期不能晚于今天');
  if (date < pairing.start) throw badRequest(`活动日期早于结对开始日期（${pairing.start}）`);
  if (pairing.end && date > pairing.end) throw badRequest(`活动日期晚于结对结束日期（${pairing.end}）`);
}

/**
 * Records an activity. Three round trips in all (the session, then this): one query reads the
 * pairing with the caller's scope, its programme's definition and participants, and takes the new
 * record's id; the checks run here; one statement inserts the record with its audit row(s). The
 * answer is built from what was written (the author always reads their own record; it has no
 * checks yet), so there is no read-back. Saves arriving at the same moment share both statements
 * (src/db/batch.ts): one read with each caller's own scope condition, one insert of all their
 * records and audit rows; the checks run per caller in between, so a refused save never reaches
 * the insert, and a failed shared insert is retried one save at a time (docs/pairings.md, Record save).
 */
export async function recordActivity(ctx: AppContext, c: Caller, body: RecordBody) {
  const loaded = await repo.pairingForRecord(ctx.db, body.pairingId, c.scope.pairingViewer);
  if (!loaded) throw notFound('结对');
  const { pairing, programme, participants } = loaded;
  if (pairing.status !== 'active') throw conflict('只能为进行中的结对记录活动');
  const day = today();
  const myRoles = c.user.teacherId == null ? [] : participants
    .filter((p) => p.kind === 'teacher' && p.personId === c.user.teacherId && isCurrent(p, day))
    .map((p) => p.role);
  const manager = isManager(c);
  if (myRoles.length === 0 && !manager) throw forbidden('只有结对的参与教师或学校管理人员可以记录');

  const type = programme.activityTypes.find((t) => t.key === body.type);
  if (!type) throw badRequest(`“${programme.name}”没有活动类型“${body.type}”`);
  const allowed = type.roles ?? programme.roles.map((r) => r.key);
  let role = body.role;
  if (!role) {
    const mine = myRoles.filter((r) => allowed.includes(r));
    const labelOf = (key: string) => programme.roles.find((r) => r.key === key)?.label ?? key;
    if (mine.length === 1) role = mine[0];
    else if (mine.length === 0 && !manager) throw badRequest(`“${type.label}”不能记在“${myRoles.map(labelOf).join('、')}”名下`);
    else if (allowed.length === 1) role = allowed[0];
    else throw badRequest('请指定记录哪一方（role）完成的活动');
  }
  if (!programme.roles.some((r) => r.key === role)) throw badRequest(`本项目没有角色“${role}”`);
  if (!allowed.includes(role!)) throw badRequest(`“${type.label}”不能记在“${programme.roles.find((r) => r.key === role)!.label}”名下`);
  if (!manager && !myRoles.includes(role!)) throw forbidden('您只能记录自己所担任角色的活动');
  checkDate(body.date, pairing);
  if (!participants.some((p) => p.role === role && takesPartOn(p, body.date))) throw badRequest(`${body.date} 该结对没有担任此角色的参与方`);
  const personIds = checkPersonIds(body.personIds ?? [], participants, body.date);
  const fields = checkFields(type, body.fields);
  const confidential = confidentialOf(type, body.confidential);
  const content = body.content.trim();
  const id = loaded.nextActivityId;
  const audit: AuditEntry[] = [{
    action: 'activity.recorded',
    entityType: 'activity',
    entityId: id,
    schoolId: pairing.schoolId,
    after: { pairingId: pairing.id, ...auditImage({ type: type.key, date: body.date, role: role!, personIds, content, fields, confidential }) },
  }];
  // the answer shows the author their confidential record: a read of its content, audited like any other (auditConfidentialReads)
  if (confidential) audit.push(confidentialViewEntry(c, [id]));
  const stamps = await repo.insertActivityAudited(ctx.db, {
    id, pairingId: pairing.id, type: type.key, date: body.date, role: role!, personIds, content, fields, confidential, recordedBy: c.user.id, recordedByName: c.actor.name,
    audit: auditValues(c.actor, audit),
  });
  const row: repo.ActivityRow = {
    id, pairingId: pairing.id, programmeKey: pairing.programmeKey, type: type.key, date: body.date, role: role!, personIds, content, fields, attachments: [],
    confidential, readable: true, status: 'submitted', revision: 1, recordedBy: c.user.id, recordedByName: c.actor.name, ...stamps, lastCheck: null,
  };
  return { ...activityView(row, programme), checks: [] };
}

async function visibleActivity(q: Queryable, c: Caller, id: number, forUpdate = false) {
  const row = await repo.getActivity(q, id, c.scope.activities('a'), c.scope.activityContent('a'), forUpdate);
  if (!row) throw notFound('活动记录');
  return row;
}

/**
 * Every read of a confidential record's content (psychological notes …) is audited, in the read's
 * transaction: 'activity.confidential_view' with the records read (docs/support.md).
 */
async function auditConfidentialReads(tx: Queryable, c: Caller, list: readonly repo.ActivityRow[]) {
  const read = list.filter((r) => r.confidential && r.readable).map((r) => r.id);
  if (read.length === 0) return;
  await writeAudit(tx, c.actor, confidentialViewEntry(c, read));
}

const confidentialViewEntry = (c: Caller, read: number[]): AuditEntry => ({
  action: 'activity.confidential_view', entityType: 'activity', entityId: read.length === 1 ? read[0] : null, schoolId: c.user.schoolId, after: { activityIds: read },
});

export async function getActivity(ctx: AppContext, c: Caller, id: number) {
  return ctx.db.transaction(async (tx) => {
    const row = await visibleActivity(tx, c, id);
    const programme = await repo.getProgramme(tx, { key: row.programmeKey });
    await auditConfidentialReads(tx, c, [row]);
    return { ...activityView(row, programme), checks: await repo.checksOf(tx, id) };
  });
}

export async function listActivities(ctx: AppContext, c: Caller, f: z.infer<typeof activityListQuery>) {
  const conds: SQL[] = [c.scope.activities('a')];
  if (f.pairingId) conds.push(sql`a.pairing_id = ${f.pairingId}`);
  if (f.status) conds.push(sql`a.status = ${f.status}`);
  if (f.type) conds.push(sql`a.type = ${f.type}`);
  if (f.programme) conds.push(sql`pr.key = ${f.programme}`);
  if (f.schoolId) {
    conds.push(sql`(pg.school_id = ${f.schoolId} OR EXISTS (SELECT 1 FROM pairing_participants lp WHERE lp.pairing_id = pg.id AND lp.school_id = ${f.schoolId}))`);
  }
  if (f.teacherId) conds.push(sql`EXISTS (SELECT 1 FROM users ru WHERE ru.id = a.recorded_by AND ru.teacher_id = ${f.teacherId})`);
  if (f.mine) conds.push(sql`a.recorded_by = ${c.user.id}`);
  if (f.from) conds.push(sql`a.date >= ${f.from}`);
  if (f.to) conds.push(sql`a.date <= ${f.to}`);
  return ctx.db.transaction(async (tx) => {
    const res = await repo.listActivities(tx, sql.join(conds, sql` AND `), c.scope.activityContent('a'), f.page, f.pageSize);
    const programmes = new Map((await repo.listProgrammes(tx)).map((p) => [p.key, p]));
    await auditConfidentialReads(tx, c, res.items);
    return { total: res.total, page: f.page, pageSize: f.pageSize, items: res.items.map((r) => activityView(r, programmes.get(r.programmeKey))) };
  });
}

/** The author edits a record that is waiting (submitted) or was sent back (returned): it becomes submitted again, revision + 1. */
export async function updateActivity(ctx: AppContext, c: Caller, id: number, body: z.infer<typeof updateActivityBody>) {
  await ctx.db.transaction(async (tx) => {
    const visible = await visibleActivity(tx, c, id, true);
    const raw = (await repo.activityRaw(tx, id))!;
    if (raw.recordedBy !== c.user.id) throw forbidden('只有记录人可以修改记录');
    if (raw.status === 'accepted') throw conflict('记录已审核通过，不能再修改');
    const pairing = (await repo.getPairing(tx, raw.pairingId, sql`TRUE`))!;
    if (pairing.status !== 'active' && pairing.status !== 'completed') throw conflict('结对已解除，不能再修改记录');
    const programme = (await repo.getProgramme(tx, { id: pairing.programmeId }))!;
    const type = programme.activityTypes.find((t) => t.key === raw.type);
    if (!type) throw conflict(`项目已没有活动类型“${raw.type}”`);
    const date = body.date ?? raw.date;
    checkDate(date, pairing);
    const participants = await repo.participantsOf(tx, [pairing.id]);
    const next = {
      date,
      personIds: checkPersonIds(body.personIds ?? raw.personIds, participants, date),
      content: body.content === undefined ? raw.content : body.content.trim(),
      fields: checkFields(type, body.fields ?? raw.fields),
      confidential: confidentialOf(type, body.confidential, raw.confidential),
      status: 'submitted',
      revision: raw.revision + 1,
    };
    await repo.updateActivity(tx, id, next);
    await writeAudit(tx, c.actor, {
      action: raw.status === 'returned' ? 'activity.resubmitted' : 'activity.updated',
      entityType: 'activity',
      entityId: id,
      schoolId: pairing.schoolId,
      before: { ...auditImage({ ...raw, status: raw.status }), revision: raw.revision },
      after: { ...auditImage({ type: raw.type, role: raw.role, ...next }), revision: next.revision },
    });
    return visible;
  });
  return getActivity(ctx, c, id);
}

/**
 * A check: a manager of the pairing accepts a submitted record or returns it with a comment.
 * An accepted record can be checked again only as a spot check (抽查), which may return it. A
 * returned record waits for its author to resubmit. Nobody checks their own record.
 */
export async function reviewActivity(ctx: AppContext, c: Caller, id: number, body: z.infer<typeof reviewBody>) {
  await ctx.db.transaction(async (tx) => {
    await visibleActivity(tx, c, id, true);
    const raw = (await repo.activityRaw(tx, id))!;
    const managed = await repo.isTrue(tx, sql`EXISTS (SELECT 1 FROM pairings pg WHERE pg.id = ${raw.pairingId} AND ${c.scope.managedPairings('pg')})`);
    if (!managed) throw forbidden('您不能审核该结对的记录');
    if (raw.recordedBy === c.user.id) throw forbidden('不能审核自己填写的记录');
    if (raw.status === 'returned') throw conflict('记录已退回，等待记录人修改后重新提交');
    if (raw.status === 'accepted' && !body.spotCheck) throw conflict('记录已审核通过；如需再查，请以抽查方式审核');
    const comment = body.comment?.trim() || null;
    const checkId = await repo.insertCheck(tx, {
      activityId: id, revision: raw.revision, reviewerId: c.user.id, reviewerName: c.actor.name, verdict: body.verdict, comment, spotCheck: body.spotCheck,
    });
    if (raw.status !== body.verdict) await repo.setActivityStatus(tx, id, body.verdict);
    const pairing = (await repo.getPairing(tx, raw.pairingId, sql`TRUE`))!;
    await writeAudit(tx, c.actor, {
      action: 'activity.reviewed',
      entityType: 'activity',
      entityId: id,
      schoolId: pairing.schoolId,
      before: { status: raw.status, revision: raw.revision },
      after: { status: body.verdict, checkId, spotCheck: body.spotCheck, comment },
    });
  });
  return getActivity(ctx, c, id);
}

// ───────────────────────────── attachments ─────────────────────────────

export const MAX_ATTACHMENTS_PER_ACTIVITY = 9;

/** The author adds a stored file to their record while it is not yet accepted. Returns the attachment. */
export async function addAttachment(ctx: AppContext, c: Caller, id: number, file: Omit<AttachmentView, 'id' | 'uploadedAt'>): Promise<AttachmentView> {
  return ctx.db.transaction(async (tx) => {
    await visibleActivity(tx, c, id, true);
    const raw = (await repo.activityRaw(tx, id))!;
    if (raw.recordedBy !== c.user.id) throw forbidden('只有记录人可以上传附件');
    if (raw.status === 'accepted') throw conflict('记录已审核通过，不能再添加附件');
    if (raw.attachments.length >= MAX_ATTACHMENTS_PER_ACTIVITY) throw badRequest(`每条记录至多 ${MAX_ATTACHMENTS_PER_ACTIVITY} 个附件`);
    const attachment: AttachmentView = { id: crypto.randomUUID(), ...file, uploadedAt: new Date().toISOString() };
    await repo.appendAttachment(tx, id, attachment);
    const pairing = (await repo.getPairing(tx, raw.pairingId, sql`TRUE`))!;
    await writeAudit(tx, c.actor, {
      action: 'activity.attachment_added',
      entityType: 'activity',
      entityId: id,
      schoolId: pairing.schoolId,
      after: { attachmentId: attachment.id, mime: attachment.mime, size: attachment.size, sha256: attachment.sha256, ...(raw.confidential ? {} : { name: attachment.name }) },
    });
    return attachment;
  });
}

/** An attachment of a record the caller may read in full (a masked confidential record has none to give). */
export async function findAttachment(ctx: AppContext, c: Caller, id: number, attachmentId: string): Promise<AttachmentView> {
  const row = await visibleActivity(ctx.db, c, id);
  const found = row.readable ? row.attachments?.find((a) => a.id === attachmentId) : undefined;
  if (!found) throw notFound('附件');
  return found;
}
