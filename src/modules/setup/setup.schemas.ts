import { z } from 'zod';

export const setupStatusSchema = z.object({
  initialized: z.boolean(),
  bureau: z.object({ name: z.string(), regionCode: z.string() }).nullable(),
});

export const setupBody = z.object({
  bureauName: z.string().trim().min(2, '请填写教育局名称').max(60),
  regionCode: z.string().trim().regex(/^[1-9]\d{5}$/, '行政区划代码应为 6 位数字'),
  adminUsername: z.string().trim().regex(/^[A-Za-z][A-Za-z0-9_.-]{2,31}$/, '用户名为 3–32 位字母、数字或 _ . -，以字母开头'),
  adminDisplayName: z.string().trim().min(1).max(40),
  adminPassword: z.string().min(8).max(200),
});
export type SetupBody = z.infer<typeof setupBody>;
