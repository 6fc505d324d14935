// Assigning teachers to support cases: the configurable rules (settings 'support.assignmentRules'),
// the school's violations, a suggestion that fills the gaps, and accepting it — which creates
// 师生结对 pairings in the general engine (subject_ref → the case) in one transaction with the
// case's move to 'active'. Peer pairs (一帮一) are 生生结对 pairings.
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { one, readAll, type Queryable } from '../../db/client.js';
import type { AppContext } from '../../server/context.js';
import { badRequest, forbidden, notFound } from '../../server/errors.js';
import type { Caller } from '../../server/http.js';
import { PROGRAMME_ADMIN_ROLES } from '../../shared/roles.js';
import { writeAudit } from '../audit/audit.repo.js';
import { createPairingIn, today } from '../pairings/pairings.service.js';
import { acceptProblems, checkAssignments, DEFAULT_ASSIGNMENT_RULES, suggestAssignments, type AssignCase, type AssignTeacher } from './assignment.js';
import { assignmentRules, type acceptAssignmentsBody, type AssignmentRules, type CaseDetail, type peerPairBody } from './support.schemas.js';
import { assertManager, currentSchoolYear, getCase, schoolFor } from './support.service.js';
import * as repo from './support.repo.js';

const RULES_KEY = 'support.assignmentRules';

export async function loadRules(q: Queryable): Promise<AssignmentRules> {
  const r = await one<{ value: unknown }>(q, sql`SELECT value FROM settings WHERE key = ${RULES_KEY}`);
  const parsed = assignmentRules.safeParse(r?.value);
  return parsed.success ? parsed.data : DEFAULT_ASSIGNMENT_RULES;
}

export async function putRules(ctx: AppContext, c: Caller, rules: AssignmentRules): Promise<AssignmentRules> {
  if (c.scope.readOnly || !PROGRAMME_ADMIN_ROLES.includes(c.user.role)) throw forbidden('只有教育局可以设置结对规则');
  await ctx.db.transaction(async (tx) => {
    const before = await loadRules(tx);
    await tx.execute(sql`INSERT INTO settings (key, value, updated_by, updated_at) VALUES (${RULES_KEY}, ${JSON.stringify(rules)}::jsonb, ${c.user.id}, now())
      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()`);
    await writeAudit(tx, c.actor, { action: 'support.rules_updated', entityType: 'settings', entityId: RULES_KEY, before, after: rules });
  });
  return rules;
}

interface Loaded {
  rules: AssignmentRules;
  teachers: (AssignTeacher & { name: string })[];
  cases: (AssignCase & { studentName: string })[];
  links: { teacherId: number; studentId: number }[];
}

async function load(q: Queryable, schoolId: number, schoolYear: string): Promise<Loaded> {
  const [rules, teachers, cases, links] = await readAll(q, [
    () => loadRules(q),
    () => repo.schoolTeachers(q, schoolId, schoolYear),
    () => repo.casesForAssignment(q, schoolId, schoolYear),
    () => repo.schoolLinks(q, schoolId, schoolYear, today()),
  ]);
  return { rules, teachers, cases, links };
}

/** School roles and the bureau (not teachers): the assignment views are management views. */
function assertViewer(c: Caller) {
  if (c.scope.level !== 'region' && c.scope.level !== 'school') throw forbidden('只有学校管理人员或教育局可以查看结对分配');
}

export async function checkSchool(ctx: AppContext, c: Caller, f: { schoolId?: number; schoolYear?: string }) {
  assertViewer(c);
  const schoolId = schoolFor(c, f.schoolId);
  const schoolYear = f.schoolYear ?? currentSchoolYear();
  const d = await load(ctx.db, schoolId, schoolYear);
  const violations = checkAssignments(d.rules, d.teachers, d.cases, d.links);
  const listed = d.cases.filter((x) => ['confirmed', 'active', 'reviewed'].includes(x.status));
  const covered = new Set(d.links.map((l) => l.studentId));
  return {
    schoolId,
    schoolYear,
    rules: d.rules,
    violations,
    counts: {
      teachers: d.teachers.length,
      cases: listed.length,
      withTeacher: listed.filter((x) => covered.has(x.studentId)).length,
      errors: violations.filter((v) => v.severity === 'error').length,
      warnings: violations.filter((v) => v.severity === 'warning').length,
    },
  };
}

export async function suggest(ctx: AppContext, c: Caller, f: { schoolId?: number; schoolYear?: string }) {
  const schoolId = schoolFor(c, f.schoolId);
  assertManager(c, schoolId);
  const schoolYear = f.schoolYear ?? currentSchoolYear();
  const d = await load(ctx.db, schoolId, schoolYear);
  const s = suggestAssignments(d.rules, d.teachers, d.cases, d.links);
  const teacherName = new Map(d.teachers.map((t) => [t.id, t.name]));
  const studentName = new Map(d.cases.map((x) => [x.id, x.studentName]));
  return {
    schoolId,
    schoolYear,
    items: s.items.map((i) => ({ ...i, studentName: studentName.get(i.caseId) ?? '', teacherName: teacherName.get(i.teacherId) ?? '' })),
    unassigned: s.unassigned.map((u) => ({ ...u, studentName: studentName.get(u.caseId) ?? '' })),
    violationsAfter: s.violationsAfter,
  };
}

/**
 * Accepts a suggestion as a person left it: one active 师生结对 pairing per item (the engine's rules,
 * scope checks and 'pairing.created' audit), subject_ref → the case; a confirmed case becomes active.
 * All or nothing. Refused when an item breaks a hard rule (acceptProblems).
 */
export async function acceptAssignments(ctx: AppContext, c: Caller, body: z.infer<typeof acceptAssignmentsBody>) {
  const schoolId = schoolFor(c, body.schoolId);
  assertManager(c, schoolId);
  const schoolYear = currentSchoolYear();
  const start = body.start ?? today();
  return ctx.db.transaction(async (tx) => {
    const d = await load(tx, schoolId, schoolYear);
    const problems = acceptProblems(d.rules, d.teachers, d.cases, d.links, body.items);
    if (problems.length > 0) throw badRequest(`不能按此分配：${problems.join('；')}`, { problems });
    const caseOf = new Map(d.cases.map((x) => [x.id, x]));
    const made: { caseId: number; teacherId: number; pairingId: number }[] = [];
    for (const it of body.items) {
      const kase = caseOf.get(it.caseId)!;
      const pairing = await createPairingIn(tx, c, {
        programme: 'teacher_student',
        start,
        status: 'active',
        plan: body.plan ?? null,
        participants: [
          { role: 'helper', kind: 'teacher', personId: it.teacherId },
          { role: 'helped', kind: 'student', personId: kase.studentId },
        ],
        subjectRef: { kind: 'support_case', id: kase.id },
      });
      made.push({ caseId: kase.id, teacherId: it.teacherId, pairingId: pairing.id });
      if (kase.status === 'confirmed') {
        await repo.updateCase(tx, kase.id, { status: 'active' });
        await repo.insertHistory(tx, {
          caseId: kase.id, event: 'status', from: 'confirmed', to: 'active', categories: [...kase.categories],
          note: `分配帮扶教师：${d.teachers.find((t) => t.id === it.teacherId)?.name ?? it.teacherId}`, actorUserId: c.actor.userId, actorName: c.actor.name,
        });
        kase.status = 'active';
      }
    }
    await writeAudit(tx, c.actor, { action: 'support.assignments_accepted', entityType: 'support_case', entityId: null, schoolId, after: { start, pairings: made } });
    const links = [...d.links, ...made.map((m) => ({ teacherId: m.teacherId, studentId: caseOf.get(m.caseId)!.studentId }))];
    return { pairings: made, violations: checkAssignments(d.rules, d.teachers, d.cases, links) };
  });
}

/** 一帮一: a good student or class cadre helps the case's student (a 生生结对 pairing, subject_ref → the case). */
export async function pairPeer(ctx: AppContext, c: Caller, caseId: number, body: z.infer<typeof peerPairBody>): Promise<CaseDetail> {
  await ctx.db.transaction(async (tx) => {
    const row = await repo.getCase(tx, caseId, c.scope.supportCases('x'), today(), true);
    if (!row) throw notFound('帮扶对象');
    assertManager(c, row.schoolId);
    if (row.status === 'closed') throw badRequest('帮扶对象已结案');
    if (body.helperStudentId === row.studentId) throw badRequest('帮扶学生不能是受助学生本人');
    const pairing = await createPairingIn(tx, c, {
      programme: 'peer',
      start: body.start ?? today(),
      status: 'active',
      plan: body.plan ?? null,
      participants: [
        { role: 'helper', kind: 'student', personId: body.helperStudentId },
        { role: 'helped', kind: 'student', personId: row.studentId },
      ],
      subjectRef: { kind: 'support_case', id: caseId },
    });
    await writeAudit(tx, c.actor, { action: 'support.peer_paired', entityType: 'support_case', entityId: caseId, schoolId: row.schoolId, after: { pairingId: pairing.id, helperStudentId: body.helperStudentId } });
  });
  return getCase(ctx, c, caseId);
}
