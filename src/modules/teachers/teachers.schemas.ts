import { z } from 'zod';

export const teacherListQuery = z.object({
  q: z.string().max(60).optional(),
  schoolId: z.coerce.number().int().optional(),
  subject: z.string().max(20).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const teacherListItem = z.object({
  id: z.number().int(),
  name: z.string(),
  sex: z.string(),
  schoolId: z.number().int(),
  schoolName: z.string(),
  subjects: z.array(z.string()),
  teachingGroup: z.string().nullable(),
  yearsOfService: z.number().int().nullable(),
  title: z.string().nullable(),
  backboneLevel: z.string(),
  position: z.string().nullable(),
  isLeader: z.boolean(),
});
export type TeacherListItem = z.infer<typeof teacherListItem>;

export const teacherDetail = teacherListItem.extend({
  phone: z.string().nullable(),
  idNumberMasked: z.string().nullable(),
  birthDate: z.string().nullable(),
  classes: z.array(z.object({ classId: z.number().int(), className: z.string(), subject: z.string() })),
  headOf: z.array(z.object({ classId: z.number().int(), className: z.string() })),
});
export type TeacherDetail = z.infer<typeof teacherDetail>;
