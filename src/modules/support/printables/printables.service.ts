// The printables' rules: who may print what, what is loaded (through compileScope), the audit row
// written in the read's transaction (if it cannot be written, nothing is printed), then the
// layout (layout.ts, pure) drawn as a PDF (pdf.ts) outside the transaction.
//
// - archive: GET /api/support/cases/:id/archive.pdf — whoever sees the case (scope.supportCases).
// - handbook: GET /api/support/teachers/:teacherId/handbook.pdf — the teacher themself; the
//   school's managers (principal, 教导处) for their school's teachers; the bureau for all.
// Family flags are printed only on request (familyFlags=true with a reason) by REVEAL_ROLES, and the
// reveal is part of the audit row. ID numbers are printed masked only; psychological notes and
// confidential records never.
import { sql } from 'drizzle-orm';
import { readAll, type Queryable } from '../../../db/client.js';
import type { AppContext } from '../../../server/context.js';
import { badRequest, forbidden, notFound } from '../../../server/errors.js';
import type { Caller } from '../../../server/http.js';
import { FAMILY_FLAGS, type FamilyFlag } from '../../../shared/registry.js';
import { PAIRING_MANAGER_ROLES, REVEAL_ROLES } from '../../../shared/roles.js';
import { writeAudit } from '../../audit/audit.repo.js';
import { STATUS_LABELS } from '../../pairings/engine/standing.js';
import * as pairingsRepo from '../../pairings/pairings.repo.js';
import { ACTIVITY_STATUS_LABELS } from '../../pairings/pairings.schemas.js';
import { today } from '../../pairings/pairings.service.js';
import { compliance } from '../support-report.service.js';
import { CASE_STATUS_LABELS, CAUSE_LABELS, CLOSE_REASON_LABELS, HISTORY_EVENT_LABELS, SUPPORT_CATEGORY_LABELS, type HistoryEntry } from '../support.schemas.js';
import * as supportRepo from '../support.repo.js';
import { currentSchoolYear, semesterKeyOn } from '../support.service.js';
import { archiveDoc, handbookDoc, printableRecords, type CaseFacts, type RecordFacts, type StudentFacts, type TeacherFacts } from './layout.js';
import { renderPdf } from './pdf.js';
import { AID_METHOD_LABELS, AID_SOURCE_LABELS } from '../aid/aid.schemas.js';
import * as aidRepo from '../aid/aid.repo.js';
import { canReadAid } from '../aid/aid.service.js';
import * as repo from './printables.repo.js';

export interface PrintOptions {
  /** print the family flags (REVEAL_ROLES only, with a reason) */
  familyFlags?: boolean;
  reason?: string;
}

export interface Printed {
  bytes: Buffer;
  filename: string;
  /** where the time went (ms): the quota standing, the read + audit transaction, layout + PDF */
  timings: { standing: number; load: number; render: number };
}

/** 2026-12-02 16:05 on the China calendar (UTC+8). */
export function chinaTimestamp(d: Date = new Date()): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

const yearRange = (schoolYear: string) => ({ from: `${schoolYear.slice(0, 4)}-09-01`, to: `${schoolYear.slice(5, 9)}-08-31` });

function revealReason(c: Caller, o: PrintOptions): string | null {
  if (!o.familyFlags) return null;
  if (!REVEAL_ROLES.includes(c.user.role)) throw forbidden('您的角色不能打印家庭情况');
  const reason = o.reason?.trim() ?? '';
  if (reason.length < 2) throw badRequest('打印家庭情况须填写原因（reason）');
  return reason;
}

const teacherFacts = (t: repo.TeacherRow, since: string | null): TeacherFacts => ({ name: t.name, phone: t.phone, subjects: t.subjects, position: t.position, since });

/** Everything the layout needs about a batch of cases, read on `q` (the caller's transaction). */
async function loadCases(q: Queryable, c: Caller, cases: supportRepo.CaseRow[], o: { revealFlags: boolean; helperTeacherId?: number }) {
  if (cases.length === 0) return { facts: [] as { student: StudentFacts; case: CaseFacts }[], printed: 0, aidRows: 0 };
  const studentIds = [...new Set(cases.map((x) => x.studentId))];
  const years = [...new Set(cases.map((x) => x.schoolYear))].sort();
  const from = yearRange(years[0]!).from;
  const to = yearRange(years[years.length - 1]!).to;
  const [students, flags, history, helpers] = await readAll(q, [
    () => repo.studentsByIds(q, studentIds),
    () => (o.revealFlags ? repo.familyFlagsOf(q, studentIds) : Promise.resolve([])),
    () => repo.historyOfCases(q, cases.map((x) => x.id)),
    () => repo.helpersOfStudents(q, studentIds, from, to),
  ]);
  const teachers = new Map((await repo.teachersByIds(q, [...new Set(helpers.map((h) => h.teacherId))])).map((t) => [t.id, t]));
  // records: the caller's record scope; confidential ones come without content (never printed)
  const readable = sql`(NOT a.confidential AND ${c.scope.activityContent('a')})`;
  const helping = await repo.pairingsHelping(q, studentIds, o.helperTeacherId);
  const helpedOf = new Map(helping.map((x) => [x.pairingId, x.studentId]));
  const records = helping.length
    ? await repo.printRecords(q, repo.recordsWhere([...helpedOf.keys()], from, to, c.scope.activities('a')), readable)
    : [];
  const programmes = new Map((await pairingsRepo.listProgrammes(q)).map((pr) => [pr.key, pr]));
  // 受助情况 (the aid module): family-economy data, only for the roles that see it
  const showAid = canReadAid(c);
  const aid: (Awaited<ReturnType<typeof aidRepo.grantsForPrint>>[number] & { schoolYear: string })[] = [];
  // one after another: `q` may be the transaction's single connection
  for (const y of showAid ? years : []) for (const g of await aidRepo.grantsForPrint(q, studentIds, y)) aid.push({ ...g, schoolYear: y });
  const fieldLabels: Record<string, string> = {};
  for (const key of ['teacher_student', 'peer']) {
    for (const t of programmes.get(key)?.activityTypes ?? []) for (const f of t.fields) fieldLabels[f.key] ??= f.label;
  }
  const byId = new Map(students.map((s) => [s.id, s]));
  const facts = cases.map((x) => {
    const s = byId.get(x.studentId)!;
    const range = yearRange(x.schoolYear);
    const student: StudentFacts = {
      name: s.name,
      sex: s.sex,
      birthDate: s.birthDate,
      studentNoMasked: s.studentNoMasked,
      idNumberMasked: s.idNumberMasked,
      schoolName: x.schoolName,
      grade: x.grade,
      className: x.className,
      address: s.address,
      guardians: s.guardians ?? [],
      familyFlags: o.revealFlags ? flags.filter((f) => f.studentId === s.id).map((f) => FAMILY_FLAGS[f.flag as FamilyFlag] ?? f.flag) : null,
    };
    const recordFacts: RecordFacts[] = records
      .filter((r) => helpedOf.get(r.pairingId) === x.studentId && r.date >= range.from && r.date <= range.to)
      .map((r) => ({
        date: r.date,
        type: r.type,
        typeLabel: programmes.get(r.programmeKey)?.activityTypes.find((t) => t.key === r.type)?.label ?? r.type,
        recordedByName: r.recordedByName,
        confidential: r.confidential,
        content: r.content,
        fields: r.fields,
        fieldLabels,
        statusLabel: ACTIVITY_STATUS_LABELS[r.status],
      }));
    const facts: CaseFacts = {
      id: x.id,
      schoolYear: x.schoolYear,
      categoryLabels: x.categories.map((k) => SUPPORT_CATEGORY_LABELS[k] ?? k),
      statusLabel: CASE_STATUS_LABELS[x.status],
      closeReasonLabel: x.closeReason ? CLOSE_REASON_LABELS[x.closeReason] : null,
      closedOn: x.closedOn,
      weakSubjects: x.weakSubjects,
      causes: (x.analysis?.causes ?? []).map((k) => ({ label: CAUSE_LABELS[k.cause], note: k.note ?? null })),
      strategies: x.analysis?.strategies ?? null,
      analysedBy: x.analysis?.analysedBy ?? null,
      teachers: helpers.filter((h) => h.studentId === x.studentId && teachers.has(h.teacherId)).map((h) => teacherFacts(teachers.get(h.teacherId)!, h.since)),
      peers: x.peers.map((p) => p.name),
      history: history.filter((h) => h.caseId === x.id).map((h) => ({
        at: new Date(h.at).toISOString(),
        eventLabel: HISTORY_EVENT_LABELS[h.event as HistoryEntry['event']] ?? h.event,
        fromLabel: h.from ? CASE_STATUS_LABELS[h.from as keyof typeof CASE_STATUS_LABELS] : null,
        toLabel: CASE_STATUS_LABELS[h.to as keyof typeof CASE_STATUS_LABELS],
        categoryLabels: h.categories.map((k) => SUPPORT_CATEGORY_LABELS[k as keyof typeof SUPPORT_CATEGORY_LABELS] ?? k),
        reason: h.reason && CLOSE_REASON_LABELS[h.reason as keyof typeof CLOSE_REASON_LABELS] ? CLOSE_REASON_LABELS[h.reason as keyof typeof CLOSE_REASON_LABELS] : h.reason,
        note: h.note,
        semester: h.semester,
        actorName: h.actorName,
      })),
      records: recordFacts,
      aid: {
        hidden: !showAid,
        rows: aid.filter((g) => g.studentId === x.studentId && g.schoolYear === x.schoolYear).map((g) => ({
          itemLabel: g.itemLabel, standardNote: g.standardNote, term: g.term, grantedOn: g.grantedOn, amountFen: g.amountFen,
          sourceLabel: AID_SOURCE_LABELS[g.source] ?? g.source, methodLabel: AID_METHOD_LABELS[g.method] ?? g.method, note: g.note,
        })),
      },
    };
    return { student, case: facts };
  });
  // what the audit row counts: the records printed (never a 心理辅导 one) and the aid rows printed
  return {
    facts,
    printed: facts.reduce((n, f) => n + printableRecords(f.case.records).length, 0),
    aidRows: facts.reduce((n, f) => n + (f.case.aid?.rows.length ?? 0), 0),
  };
}

/** The student's archive (学生帮扶档案) of one case, as an A4 PDF; the print is audited ('support.archive_printed'). */
export async function printArchive(ctx: AppContext, c: Caller, caseId: number, o: PrintOptions = {}): Promise<Printed> {
  const reason = revealReason(c, o);
  const t0 = performance.now();
  const { doc, name } = await ctx.db.transaction(async (tx) => {
    const row = await supportRepo.getCase(tx, caseId, c.scope.supportCases('x'), today());
    if (!row) throw notFound('帮扶对象');
    const { facts, printed, aidRows } = await loadCases(tx, c, [row], { revealFlags: reason != null });
    await writeAudit(tx, c.actor, {
      action: 'support.archive_printed', entityType: 'support_case', entityId: caseId, schoolId: row.schoolId, reason,
      after: { studentId: row.studentId, schoolYear: row.schoolYear, records: printed, aidRows, familyFlags: reason != null },
    });
    return { doc: archiveDoc({ ...facts[0]!, printedBy: c.actor.name, printedAt: chinaTimestamp() }), name: row.studentName };
  });
  const t1 = performance.now();
  const bytes = await renderPdf(doc);
  return { bytes, filename: `学生帮扶档案-${name}-${caseId}.pdf`, timings: { standing: 0, load: t1 - t0, render: performance.now() - t1 } };
}

/**
 * A teacher's 帮扶手册 for a school year (default the current one), as an A4 PDF: the students they
 * helped in a 师生结对 pairing that year, each with their case, and the semester's quota standing
 * (current year only). Audited ('support.handbook_printed').
 */
export async function printHandbook(ctx: AppContext, c: Caller, teacherId: number, o: PrintOptions & { schoolYear?: string } = {}): Promise<Printed> {
  const reason = revealReason(c, o);
  const schoolYear = o.schoolYear ?? currentSchoolYear();
  const teacher = await repo.teacherInScope(ctx.db, teacherId, c.scope.teachers('t'));
  if (!teacher) throw notFound('教师');
  const own = c.user.teacherId === teacherId;
  const manager = c.scope.level === 'region' || PAIRING_MANAGER_ROLES.includes(c.user.role); // school managers: scope.teachers kept them to their school
  if (!own && !manager) throw forbidden('只能打印本人的帮扶手册');
  // the quota standing (the compliance report's rows of this teacher), this school year only
  const t0 = performance.now();
  let standing: Parameters<typeof handbookDoc>[0]['standing'] = null;
  if (schoolYear === currentSchoolYear()) {
    const r = await compliance(ctx, c, { schoolId: teacher.schoolId, period: await semesterKeyOn(ctx.db, today()) });
    standing = {
      period: r.period,
      asOf: r.asOf,
      rows: r.rows.filter((x) => x.teacher === String(teacherId)).map((x) => ({ ruleLabel: x.ruleLabel, required: x.required, done: x.done, statusLabel: STATUS_LABELS[x.status] })),
    };
  }
  const t1 = performance.now();
  const { doc } = await ctx.db.transaction(async (tx) => {
    const { from, to } = yearRange(schoolYear);
    const ids = (await repo.handbookCaseIds(tx, teacherId, schoolYear, from, to, c.scope.supportCases('x'))).map((x) => x.id);
    const cases = ids.length ? (await supportRepo.listCases(tx, sql`x.id = ANY(${sql.param(ids)}::int[])`, today(), 1, ids.length)).items : [];
    const order = new Map(ids.map((id, i) => [id, i]));
    cases.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    const { facts, printed, aidRows } = await loadCases(tx, c, cases, { revealFlags: reason != null, helperTeacherId: teacherId });
    await writeAudit(tx, c.actor, {
      action: 'support.handbook_printed', entityType: 'teacher', entityId: teacherId, schoolId: teacher.schoolId, reason,
      after: { schoolYear, caseIds: ids, records: printed, aidRows, familyFlags: reason != null },
    });
    return {
      doc: handbookDoc({
        schoolName: teacher.schoolName, teacher: { ...teacherFacts(teacher, null), schoolName: teacher.schoolName }, schoolYear,
        students: facts, standing, printedBy: c.actor.name, printedAt: chinaTimestamp(),
      }),
    };
  });
  const t2 = performance.now();
  const bytes = await renderPdf(doc);
  return { bytes, filename: `帮扶手册-${teacher.name}-${schoolYear}.pdf`, timings: { standing: t1 - t0, load: t2 - t1, render: performance.now() - t2 } };
}
