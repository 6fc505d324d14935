// The aid module's rules (资助: what each student received; docs/support.md section 资助):
// - who: the school's managers record, edit and revoke aid for their school's students, the bureau
//   for all (AID_EDITOR_ROLES, canWriteSchool); the catalogue is the bureau's.
// - scope: a grant is seen with its student (compileScope's students condition: the region all, a
//   school its own, a head teacher the class, a teacher the students they teach or help).
// - privacy: amounts are family-economy data. Roles that may not see the family situation
//   (AID_READER_ROLES = REVEAL_ROLES) get the list masked; each list read that returns rows is audited.
// - every create, update and revoke writes its audit row in the same transaction.
// - the same aid twice (same student, item, school year, overlapping term, still granted) is refused
//   for items paid per year or per semester: "none paid twice".
import { sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../../../server/context.js';
import { badRequest, conflict, forbidden, notFound } from '../../../server/errors.js';
import type { Caller } from '../../../server/http.js';
import { schoolYearOf } from '../../../shared/school-year.js';
import { writeAudit } from '../../audit/audit.repo.js';
import { today } from '../../pairings/pairings.service.js';
import {
  AID_CATALOGUE_ROLES, AID_EDITOR_ROLES, AID_METHOD_LABELS, AID_READER_ROLES, AID_SOURCE_LABELS, AID_STATUS_LABELS,
  type AidGrantView, type AidListQuery, type AidListView, type AidSummaryView, type CreateAidBody, type UpdateAidBody,
} from './aid.schemas.js';
import * as repo from './aid.repo.js';
import { parseYuan } from './money.js';
import type { z } from 'zod';
import type { aidItemBody } from './aid.schemas.js';

export const canReadAid = (c: Caller) => AID_READER_ROLES.includes(c.user.role);
const canEditRole = (c: Caller) => AID_EDITOR_ROLES.includes(c.user.role) && !c.scope.readOnly;

const view = (r: repo.GrantRow): AidGrantView => ({
  ...r,
  sourceLabel: AID_SOURCE_LABELS[r.source] ?? r.source,
  methodLabel: AID_METHOD_LABELS[r.method] ?? r.method,
  statusLabel: AID_STATUS_LABELS[r.status] ?? r.status,
});

/** The catalogue (active items only unless `all`). */
export const listItems = (ctx: AppContext, all = false) => repo.listItems(ctx.db, !all);

/** Adds or changes a catalogue item (the bureau); audited. Items are retired (active false), never deleted. */
export async function putItem(ctx: AppContext, c: Caller, key: string, body: z.infer<typeof aidItemBody>) {
  if (!AID_CATALOGUE_ROLES.includes(c.user.role)) throw forbidden('只有教育局可以维护资助项目');
  return ctx.db.transaction(async (tx) => {
    const before = await repo.getItem(tx, key);
    const after = await repo.upsertItem(tx, key, { ...body, standardFen: body.standardFen ?? null, standardNote: body.standardNote ?? null });
    await writeAudit(tx, c.actor, { action: before ? 'support.aid_item_updated' : 'support.aid_item_created', entityType: 'aid_item', entityId: key, before: before ?? undefined, after });
    return after!;
  });
}

/** Aid grants the caller sees (with their student), newest first; masked for roles without family-situation rights. */
export async function listAid(ctx: AppContext, c: Caller, f: AidListQuery): Promise<AidListView> {
  let canEdit = canEditRole(c);
  if (f.studentId) {
    const s = await repo.studentInScope(ctx.db, f.studentId, c.scope.students('st'));
    if (!s) throw notFound('学生');
    canEdit &&= c.scope.canWriteSchool(s.schoolId);
  }
  const empty = { total: 0, totalFen: 0, page: f.page, pageSize: f.pageSize, items: [] };
  if (!canReadAid(c)) return { masked: true, canEdit: false, ...empty };
  const conds: SQL[] = [c.scope.students('st')];
  if (f.studentId) conds.push(sql`g.student_id = ${f.studentId}`);
  if (f.schoolId) conds.push(sql`g.school_id = ${f.schoolId}`);
  if (f.schoolYear) conds.push(sql`g.school_year = ${f.schoolYear}`);
  if (f.itemKey) conds.push(sql`g.item_key = ${f.itemKey}`);
  if (f.status) conds.push(sql`g.status = ${f.status}`);
  return ctx.db.transaction(async (tx) => {
    const res = await repo.listGrants(tx, sql.join(conds, sql` AND `), f.page, f.pageSize);
    if (res.items.length > 0) {
      // a view of family-economy data is logged, in the read's transaction
      await writeAudit(tx, c.actor, {
        action: 'support.aid_viewed', entityType: f.studentId ? 'student' : 'aid_grant', entityId: f.studentId ?? null,
        schoolId: f.studentId ? res.items[0]!.schoolId : (f.schoolId ?? c.user.schoolId ?? null),
        after: { studentId: f.studentId ?? null, schoolId: f.schoolId ?? null, schoolYear: f.schoolYear ?? null, rows: res.items.length },
      });
    }
    return { masked: false, canEdit, ...res, page: f.page, pageSize: f.pageSize, items: res.items.map(view) };
  });
}

function amountFen(input: string | number, method: string): number {
  const p = parseYuan(input);
  if (!p.ok) throw badRequest(p.message);
  if (p.fen === 0 && method !== 'in_kind') throw badRequest('金额应大于 0（实物发放可填 0 并在备注写明数量）');
  return p.fen;
}

/** Checks of a grant's values against the catalogue, the calendar and the rows already recorded. */
async function checkValues(q: Parameters<typeof repo.getItem>[0], v: repo.GrantValues & { studentId: number }, exceptId?: number) {
  const item = await repo.getItem(q, v.itemKey);
  if (!item) throw badRequest(`资助项目“${v.itemKey}”不存在`);
  if (!item.active && exceptId == null) throw badRequest(`资助项目“${item.label}”已停用`);
  if (v.grantedOn > today()) throw badRequest('发放日期不能晚于今天');
  if (v.grantedOn < `${v.schoolYear.slice(0, 4)}-09-01`) throw badRequest(`发放日期早于 ${v.schoolYear} 学年开始`);
  if (item.period === 'year' || item.period === 'semester') {
    const dup = await repo.overlappingGrant(q, v, exceptId);
    if (dup) throw conflict(`该生 ${v.schoolYear} 学年${v.term ? `第${v.term}学期` : ''}已有“${item.label}”（${dup.schoolName}，${dup.grantedOn}），不能重复发放`);
  }
  return item;
}

/** Records an aid grant for a student (at the student's school); audited 'support.aid_granted'. */
export async function createAid(ctx: AppContext, c: Caller, b: CreateAidBody): Promise<AidGrantView> {
  if (!canEditRole(c)) throw forbidden('您的角色不能登记资助');
  return ctx.db.transaction(async (tx) => {
    const s = await repo.studentInScope(tx, b.studentId, c.scope.students('st'));
    if (!s) throw notFound('学生');
    if (!c.scope.canWriteSchool(s.schoolId)) throw forbidden('只能登记本校学生的资助');
    await repo.lockStudentAid(tx, s.id); // two saves of the same aid at once: the second sees the first
    const item = await repo.getItem(tx, b.itemKey);
    const values: repo.GrantValues = {
      schoolYear: b.schoolYear ?? schoolYearOf(new Date(`${b.grantedOn}T12:00:00+08:00`)),
      term: b.term ?? null,
      itemKey: b.itemKey,
      amountFen: amountFen(b.amount, b.method),
      grantedOn: b.grantedOn,
      source: b.source ?? item?.defaultSource ?? 'county',
      method: b.method,
      note: b.note?.trim() || null,
    };
    await checkValues(tx, { ...values, studentId: s.id });
    const id = await repo.insertGrant(tx, { ...values, studentId: s.id, schoolId: s.schoolId, recordedBy: c.user.id });
    await writeAudit(tx, c.actor, { action: 'support.aid_granted', entityType: 'aid_grant', entityId: id, schoolId: s.schoolId, after: { studentId: s.id, ...values } });
    return view((await repo.getGrant(tx, id, sql`TRUE`))!);
  });
}

const editable = async (tx: Parameters<typeof repo.getGrant>[0], c: Caller, id: number) => {
  if (!canEditRole(c)) throw forbidden('您的角色不能修改资助记录');
  const row = await repo.getGrant(tx, id, c.scope.students('st'), true);
  if (!row) throw notFound('资助记录');
  if (!c.scope.canWriteSchool(row.schoolId)) throw forbidden('只能修改本校登记的资助');
  if (row.status === 'revoked') throw conflict('已撤销的资助记录不能修改');
  return row;
};

/** Changes a grant (not a revoked one); audited with before and after. */
export async function updateAid(ctx: AppContext, c: Caller, id: number, b: UpdateAidBody): Promise<AidGrantView> {
  return ctx.db.transaction(async (tx) => {
    const row = await editable(tx, c, id);
    await repo.lockStudentAid(tx, row.studentId);
    const method = b.method ?? row.method;
    const grantedOn = b.grantedOn ?? row.grantedOn;
    const values: repo.GrantValues = {
      schoolYear: b.schoolYear ?? (b.grantedOn ? schoolYearOf(new Date(`${grantedOn}T12:00:00+08:00`)) : row.schoolYear),
      term: b.term !== undefined ? b.term : row.term,
      itemKey: b.itemKey ?? row.itemKey,
      amountFen: b.amount !== undefined ? amountFen(b.amount, method) : row.amountFen,
      grantedOn,
      source: b.source ?? row.source,
      method,
      note: b.note !== undefined ? (b.note?.trim() || null) : row.note,
    };
    await checkValues(tx, { ...values, studentId: row.studentId }, id);
    const before = { schoolYear: row.schoolYear, term: row.term, itemKey: row.itemKey, amountFen: row.amountFen, grantedOn: row.grantedOn, source: row.source, method: row.method, note: row.note };
    await repo.updateGrant(tx, id, values);
    await writeAudit(tx, c.actor, { action: 'support.aid_updated', entityType: 'aid_grant', entityId: id, schoolId: row.schoolId, reason: b.reason || null, before, after: values });
    return view((await repo.getGrant(tx, id, sql`TRUE`))!);
  });
}

/** Revokes a grant (recorded by mistake, returned, paid elsewhere) with a reason; the row stays; audited. */
export async function revokeAid(ctx: AppContext, c: Caller, id: number, reason: string): Promise<AidGrantView> {
  return ctx.db.transaction(async (tx) => {
    const row = await editable(tx, c, id);
    await repo.revokeGrant(tx, id, reason, c.user.id);
    await writeAudit(tx, c.actor, {
      action: 'support.aid_revoked', entityType: 'aid_grant', entityId: id, schoolId: row.schoolId, reason,
      before: { status: row.status, amountFen: row.amountFen, itemKey: row.itemKey }, after: { status: 'revoked' },
    });
    return view((await repo.getGrant(tx, id, sql`TRUE`))!);
  });
}

/** Per school and item: students, grants, amount — the roles that see aid, and the inspector (aggregates only). */
export async function aidSummary(ctx: AppContext, c: Caller, f: { schoolYear?: string; schoolId?: number }): Promise<AidSummaryView> {
  if (!canReadAid(c) && c.user.role !== 'inspector') throw forbidden('您的角色不能查看资助汇总');
  const schoolYear = f.schoolYear ?? schoolYearOf();
  const conds: SQL[] = [c.scope.students('st')];
  if (f.schoolId) conds.push(sql`g.school_id = ${f.schoolId}`);
  return { schoolYear, ...(await repo.summary(ctx.db, schoolYear, sql.join(conds, sql` AND `))) };
}
