import { z } from 'zod';
import { ROLES } from '../../shared/roles.js';

export const accountListQuery = z.object({
  q: z.string().max(60).optional(),
  role: z.enum(ROLES).optional(),
  schoolId: z.coerce.number().int().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const accountItem = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  roleLabel: z.string(),
  schoolId: z.number().int().nullable(),
  schoolName: z.string().nullable(),
  teacherId: z.number().int().nullable(),
  teacherName: z.string().nullable(),
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  lastLoginAt: z.string().nullable(),
});
export type AccountItem = z.infer<typeof accountItem>;

export const usernameRule = z.string().trim().regex(/^[A-Za-z][A-Za-z0-9_.-]{2,31}$/, '用户名为 3–32 位字母、数字或 _ . -，以字母开头');

export const createAccountBody = z.object({
  username: usernameRule,
  displayName: z.string().trim().min(1).max(40),
  role: z.enum(ROLES),
  schoolId: z.number().int().nullish(),
  teacherId: z.number().int().nullish(),
});

export const updateAccountBody = z.object({
  displayName: z.string().trim().min(1).max(40).optional(),
  role: z.enum(ROLES).optional(),
  schoolId: z.number().int().nullish(),
  teacherId: z.number().int().nullish(),
  disabled: z.boolean().optional(),
});

export const initialPasswordResponse = z.object({ id: z.number().int(), initialPassword: z.string() });
