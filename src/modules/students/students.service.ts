import { sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../../server/context.js';
import { forbidden, notFound } from '../../server/errors.js';
import type { Caller } from '../../server/http.js';
import { normalizeIdNumber, parseIdNumber } from '../../shared/id-number.js';
import { ETHNICITIES, FAMILY_FLAGS, type FamilyFlag } from '../../shared/registry.js';
import { REVEAL_ROLES } from '../../shared/roles.js';
import { schoolYearOf } from '../../shared/school-year.js';
import { nameMatches } from '../../lib/name-search.js';
import { writeAudit } from '../audit/audit.repo.js';
import * as repo from './students.repo.js';
import type { z } from 'zod';
import type { StudentDetail, studentListQuery } from './students.schemas.js';

type ListQuery = z.infer<typeof studentListQuery>;

/** Search text: a name (characters or pinyin), a 学籍号 or an ID number (each matched by its keyed hash). */
function studentSearch(ctx: AppContext, q: string): SQL | undefined {
  const extra: SQL[] = [];
  const compact = normalizeIdNumber(q);
  if (/^[0-9A-Z]{6,}$/i.test(compact)) extra.push(sql`st.student_no_hash = ${ctx.sealer.studentNoHash(compact)}`);
  const id = parseIdNumber(compact);
  if (id.ok) extra.push(sql`st.id_number_hash = ${ctx.sealer.hash(id.value.id)}`);
  return nameMatches(q, { name: sql`st.name`, pinyin: sql`st.name_pinyin`, initials: sql`st.name_initials` }, extra);
}

export async function listStudents(ctx: AppContext, { scope }: Caller, f: ListQuery) {
  const conds: SQL[] = [scope.students('st')];
  if (f.q) {
    const s = studentSearch(ctx, f.q);
    if (s) conds.push(s);
  }
  if (f.schoolId) conds.push(sql`st.school_id = ${f.schoolId}`);
  if (f.schoolCode) conds.push(sql`sc.code = ${f.schoolCode}`);
  if (f.grade) conds.push(sql`c.grade = ${f.grade}`);
  if (f.classId) conds.push(sql`c.id = ${f.classId}`);
  if (f.status) conds.push(sql`st.status = ${f.status}`);
  const res = await repo.listStudents(ctx.db, sql.join(conds, sql` AND `), schoolYearOf(), f.page, f.pageSize);
  return { total: res.total, items: res.items, page: f.page, pageSize: f.pageSize };
}

const labelFlags = (list: Awaited<ReturnType<typeof repo.studentFamilyFlags>>) =>
  list.map((f) => ({ ...f, label: FAMILY_FLAGS[f.flag as FamilyFlag] ?? f.flag }));

/** One student, masked. Outside the caller's scope it does not exist (404, never the record). */
export async function getStudent(ctx: AppContext, { scope, user }: Caller, id: number): Promise<StudentDetail> {
  const row = await repo.getStudent(ctx.db, id, scope.students('st'), schoolYearOf());
  if (!row) throw notFound('学生');
  const enrollments = await repo.studentEnrollments(ctx.db, id);
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));
  return {
    ...(row as unknown as StudentDetail),
    ethnicityName: row.ethnicity ? (ETHNICITIES[row.ethnicity as string] ?? null) : null,
    guardians: (row.guardians as StudentDetail['guardians']) ?? [],
    familyFlags: null,
    familyFlagsMasked: true,
    canReveal: REVEAL_ROLES.includes(user.role),
    enrollments,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

/** Shows a masked field. Allowed roles only, inside scope, with a reason; the view is audited in the same transaction. */
export async function revealStudentField(ctx: AppContext, c: Caller, id: number, field: 'idNumber' | 'familyFlags', reason: string) {
  if (!REVEAL_ROLES.includes(c.user.role)) throw forbidden('您的角色不能查看敏感信息');
  return ctx.db.transaction(async (tx) => {
    const row = await repo.getStudent(tx, id, c.scope.students('st'), schoolYearOf());
    if (!row) throw notFound('学生');
    let result: { idNumber?: string | null; studentNo?: string | null; familyFlags?: ReturnType<typeof labelFlags> };
    if (field === 'idNumber') {
      // the 全国学籍号 usually embeds the ID number: revealing one reveals the other
      const sealed = await repo.studentSealedId(tx, id);
      result = {
        idNumber: sealed?.enc ? ctx.sealer.open(sealed.enc) : null,
        studentNo: sealed?.studentNoEnc ? ctx.sealer.open(sealed.studentNoEnc) : null,
      };
    } else {
      result = { familyFlags: labelFlags(await repo.studentFamilyFlags(tx, id)) };
    }
    await writeAudit(tx, c.actor, { action: 'student.revealed', entityType: 'student', entityId: id, schoolId: row.schoolId, reason, after: { field } });
    return result;
  });
}
