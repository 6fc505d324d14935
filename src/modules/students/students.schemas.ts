import { z } from 'zod';

export const studentListQuery = z.object({
  q: z.string().max(60).optional(),
  schoolCode: z.string().max(20).optional(),
  schoolId: z.coerce.number().int().optional(),
  grade: z.coerce.number().int().min(1).max(12).optional(),
  classId: z.coerce.number().int().optional(),
  status: z.string().max(10).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const studentListItem = z.object({
  id: z.number().int(),
  name: z.string(),
  sex: z.string(),
  birthDate: z.string().nullable(),
  /** masked (the stored value is sealed); the plain one only through reveal */
  studentNo: z.string().nullable(),
  idNumberMasked: z.string().nullable(),
  schoolId: z.number().int(),
  schoolName: z.string(),
  schoolCode: z.string(),
  grade: z.number().int().nullable(),
  classId: z.number().int().nullable(),
  className: z.string().nullable(),
  status: z.string(),
});
export type StudentListItem = z.infer<typeof studentListItem>;

export const familyFlagEntry = z.object({ flag: z.string(), label: z.string(), source: z.string(), recordedOn: z.string(), note: z.string().nullable() });

export const studentDetail = studentListItem.extend({
  ethnicity: z.string().nullable(),
  ethnicityName: z.string().nullable(),
  address: z.string().nullable(),
  guardians: z.array(z.object({ name: z.string(), relation: z.string().nullish(), phone: z.string().nullish() })),
  /** null while masked: the caller must reveal with a reason */
  familyFlags: z.array(familyFlagEntry).nullable(),
  familyFlagsMasked: z.boolean(),
  canReveal: z.boolean(),
  enrollments: z.array(z.object({ schoolYear: z.string(), schoolName: z.string(), className: z.string(), grade: z.number().int() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type StudentDetail = z.infer<typeof studentDetail>;

export const revealBody = z.object({
  field: z.enum(['idNumber', 'familyFlags']),
  reason: z.string().trim().min(2, '请填写查看原因').max(200),
});
export const revealResponse = z.object({
  idNumber: z.string().nullable().optional(),
  /** the plain 全国学籍号, returned with idNumber */
  studentNo: z.string().nullable().optional(),
  familyFlags: z.array(familyFlagEntry).optional(),
});
