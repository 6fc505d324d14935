import { z } from 'zod';

export const schoolListQuery = z.object({
  q: z.string().max(60).optional(),
  kind: z.string().max(20).optional(),
  locationType: z.string().max(10).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const schoolListItem = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  kind: z.string(),
  locationType: z.string(),
  flags: z.array(z.string()),
  town: z.string().nullable(),
  classCount: z.number().int(),
  teacherCount: z.number().int(),
  studentCount: z.number().int(),
});
export type SchoolListItem = z.infer<typeof schoolListItem>;

export const schoolDetail = schoolListItem.extend({
  address: z.string().nullable(),
  phone: z.string().nullable(),
  schoolYear: z.string(),
  classes: z.array(z.object({
    id: z.number().int(),
    grade: z.number().int(),
    classNo: z.number().int(),
    name: z.string(),
    headTeacher: z.object({ id: z.number().int(), name: z.string() }).nullable(),
    studentCount: z.number().int(),
  })),
});
export type SchoolDetail = z.infer<typeof schoolDetail>;

export const dashboardSchema = z.object({
  schoolYear: z.string(),
  schools: z.number().int(),
  classes: z.number().int(),
  teachers: z.number().int(),
  students: z.number().int(),
  /** aggregate counts only; individual flags stay masked */
  familyFlagCounts: z.record(z.string(), z.number().int()),
  schoolsByLocation: z.record(z.string(), z.number().int()),
  studentsByGrade: z.array(z.object({ grade: z.number().int(), n: z.number().int() })),
});
