import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { AppContext } from '../../server/context.js';
import { notFound } from '../../server/errors.js';
import type { Caller } from '../../server/http.js';
import { schoolYearOf } from '../../shared/school-year.js';
import { nameMatches } from '../../lib/name-search.js';
import * as repo from './schools.repo.js';
import type { SchoolDetail, schoolListQuery } from './schools.schemas.js';

export async function listSchools(ctx: AppContext, { scope }: Caller, f: z.infer<typeof schoolListQuery>) {
  const conds: SQL[] = [scope.schools('sc')];
  if (f.q) {
    const m = nameMatches(f.q, { name: sql`sc.name`, pinyin: sql`sc.name_pinyin`, initials: sql`sc.name_initials` }, [sql`sc.code = ${f.q.trim()}`]);
    if (m) conds.push(m);
  }
  if (f.kind) conds.push(sql`sc.kind = ${f.kind}`);
  if (f.locationType) conds.push(sql`sc.location_type = ${f.locationType}`);
  const res = await repo.listSchools(ctx.db, sql.join(conds, sql` AND `), schoolYearOf(), f.page, f.pageSize);
  return { ...res, page: f.page, pageSize: f.pageSize };
}

export async function getSchool(ctx: AppContext, { scope }: Caller, id: number): Promise<SchoolDetail> {
  const schoolYear = schoolYearOf();
  const school = await repo.getSchool(ctx.db, id, scope.schools('sc'), schoolYear);
  if (!school) throw notFound('学校');
  const classes = await repo.schoolClasses(ctx.db, id, schoolYear);
  return {
    ...school,
    schoolYear,
    classes: classes.map(({ headTeacherId, headTeacherName, ...c }) => ({
      ...c,
      headTeacher: headTeacherId == null ? null : { id: headTeacherId, name: headTeacherName ?? '' },
    })),
  };
}

export async function dashboard(ctx: AppContext, { scope }: Caller) {
  const schoolYear = schoolYearOf();
  const d = await repo.dashboardCounts(ctx.db, {
    schools: scope.schools('sc'), classes: scope.classes('c'), teachers: scope.teachers('t'), students: scope.students('st'),
  }, schoolYear);
  return {
    schoolYear,
    ...d.totals,
    familyFlagCounts: Object.fromEntries(d.flags.map((f) => [f.flag, f.n])),
    schoolsByLocation: Object.fromEntries(d.byLocation.map((l) => [l.loc, l.n])),
    studentsByGrade: d.byGrade,
  };
}
