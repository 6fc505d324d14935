import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { AppContext } from '../../server/context.js';
import { notFound } from '../../server/errors.js';
import type { Caller } from '../../server/http.js';
import { schoolYearOf } from '../../shared/school-year.js';
import { nameMatches } from '../../lib/name-search.js';
import * as repo from './teachers.repo.js';
import type { TeacherDetail, teacherListQuery } from './teachers.schemas.js';

export async function listTeachers(ctx: AppContext, { scope }: Caller, f: z.infer<typeof teacherListQuery>) {
  const conds: SQL[] = [scope.teachers('t'), sql`t.active`];
  if (f.q) {
    const m = nameMatches(f.q, { name: sql`t.name`, pinyin: sql`t.name_pinyin`, initials: sql`t.name_initials` });
    if (m) conds.push(m);
  }
  if (f.schoolId) conds.push(sql`t.school_id = ${f.schoolId}`);
  if (f.subject) conds.push(sql`${f.subject} = ANY(t.subjects)`);
  const res = await repo.listTeachers(ctx.db, sql.join(conds, sql` AND `), f.page, f.pageSize);
  return { ...res, page: f.page, pageSize: f.pageSize };
}

export async function getTeacher(ctx: AppContext, { scope }: Caller, id: number): Promise<TeacherDetail> {
  const t = await repo.getTeacher(ctx.db, id, scope.teachers('t'));
  if (!t) throw notFound('教师');
  const schoolYear = schoolYearOf();
  const [classes, headOf] = [await repo.teacherClasses(ctx.db, id, schoolYear), await repo.teacherHeadOf(ctx.db, id, schoolYear)];
  return { ...t, classes, headOf };
}
