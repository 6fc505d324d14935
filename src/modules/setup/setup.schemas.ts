import { z } from 'zod';
import { DEMO_STEPS } from '../demo/demo-progress.js';

export const setupStatusSchema = z.object({
  initialized: z.boolean(),
  bureau: z.object({ name: z.string(), regionCode: z.string() }).nullable(),
  /** the first-run page's demo load is running (the county is already in: the page stays until it ends) */
  demoLoading: z.boolean(),
});

export const setupBody = z.object({
  bureauName: z.string().trim().min(2, '请填写教育局名称').max(60),
  regionCode: z.string().trim().regex(/^[1-9]\d{5}$/, '行政区划代码应为 6 位数字'),
  adminUsername: z.string().trim().regex(/^[A-Za-z][A-Za-z0-9_.-]{2,31}$/, '用户名为 3–32 位字母、数字或 _ . -，以字母开头'),
  adminDisplayName: z.string().trim().min(1).max(40),
  adminPassword: z.string().min(8).max(200),
});
export type SetupBody = z.infer<typeof setupBody>;

export const demoAccountSchema = z.object({ role: z.string(), username: z.string(), password: z.string(), schoolCode: z.string().optional() });

/** The first-run page's demo load (POST /api/setup/demo, then GET /api/setup/demo/:jobId). */
export const demoJobSchema = z.object({
  status: z.enum(['running', 'done', 'failed']),
  step: z.enum(DEMO_STEPS),
  /** of the whole load, 0–100 */
  percent: z.number().int().min(0).max(100),
  /** within the step: students written, exams imported */
  done: z.number().int().optional(),
  total: z.number().int().optional(),
  /** the support step's part being written: cases, pairings, records, audit */
  part: z.string().optional(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** a failed load: the database was emptied again */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** the demo logins (as in demo-accounts.json), once done */
  accounts: z.array(demoAccountSchema).nullable(),
});
export type DemoJobView = z.infer<typeof demoJobSchema>;
