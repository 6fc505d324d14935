// Zod schemas and vocabulary of the aid module (资助: 资助项目 and 受助情况, docs/support.md section
// 资助), shared with the web UI (pure zod). Amounts are integer fen; the API takes yuan as typed.
import { z } from 'zod';
import { PAIRING_MANAGER_ROLES, REVEAL_ROLES, type Role } from '../../../shared/roles.js';
import { isoDate, schoolYearString } from '../../pairings/pairings.schemas.js';

export const AID_SOURCES = ['central', 'province', 'county', 'school', 'social'] as const;
export type AidSource = (typeof AID_SOURCES)[number];
export const AID_SOURCE_LABELS: Record<AidSource, string> = { central: '中央', province: '省级', county: '县级', school: '学校', social: '社会' };

export const AID_METHODS = ['card', 'cash', 'in_kind'] as const;
export type AidMethod = (typeof AID_METHODS)[number];
export const AID_METHOD_LABELS: Record<AidMethod, string> = { card: '打卡发放', cash: '现金', in_kind: '实物' };

export const AID_STATUSES = ['granted', 'revoked'] as const;
export type AidStatus = (typeof AID_STATUSES)[number];
export const AID_STATUS_LABELS: Record<AidStatus, string> = { granted: '已发放', revoked: '已撤销' };

/** year / semester / once / day: what an item's standard is per. */
export const AID_PERIODS = ['year', 'semester', 'once', 'day'] as const;
export type AidPeriod = (typeof AID_PERIODS)[number];
export const AID_PERIOD_LABELS: Record<AidPeriod, string> = { year: '学年', semester: '学期', once: '一次性', day: '天' };

/**
 * Who sees aid amounts: the roles that may see the family situation (REVEAL_ROLES). Others (学科教师,
 * 督导) get the list masked. Every list read by them is audited ('support.aid_viewed').
 */
export const AID_READER_ROLES: readonly Role[] = REVEAL_ROLES;
/** Who records, edits and revokes aid: the school's managers (校长, 教导处) for their school, the bureau for all. */
export const AID_EDITOR_ROLES: readonly Role[] = PAIRING_MANAGER_ROLES;
/** Who edits the catalogue of items: the bureau. */
export const AID_CATALOGUE_ROLES: readonly Role[] = ['bureau_admin', 'bureau_staff'];

export const amountInput = z.union([z.number().nonnegative(), z.string().trim().min(1).max(30)])
  .describe('金额（元），如 1250 或 "1,250.00"；存为分');
const term = z.union([z.literal(1), z.literal(2)]).nullable();

export const aidItemView = z.object({
  key: z.string(),
  label: z.string(),
  defaultSource: z.enum(AID_SOURCES),
  standardFen: z.number().int().nullable(),
  period: z.enum(AID_PERIODS),
  standardNote: z.string().nullable(),
  active: z.boolean(),
  sortOrder: z.number().int(),
});
export type AidItemView = z.infer<typeof aidItemView>;

export const aidItemBody = z.object({
  label: z.string().trim().min(2).max(60),
  defaultSource: z.enum(AID_SOURCES),
  standardFen: z.number().int().min(0).max(100_000_000).nullable().optional(),
  period: z.enum(AID_PERIODS),
  standardNote: z.string().trim().max(200).nullable().optional(),
  active: z.boolean().default(true),
  sortOrder: z.number().int().min(0).max(10_000).default(100),
});
export const aidItemKeyParam = z.object({ key: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, '项目代码：小写字母开头，字母、数字、下划线') });

export const createAidBody = z.object({
  studentId: z.number().int().positive(),
  itemKey: z.string().min(1).max(40),
  amount: amountInput,
  grantedOn: isoDate,
  /** default: the school year of grantedOn */
  schoolYear: schoolYearString.optional(),
  /** 1 上学期 / 2 下学期; null (default) for the whole year or a one-off */
  term: term.optional(),
  /** default: the item's usual source */
  source: z.enum(AID_SOURCES).optional(),
  method: z.enum(AID_METHODS),
  note: z.string().trim().max(500).nullable().optional(),
});
export type CreateAidBody = z.infer<typeof createAidBody>;

export const updateAidBody = createAidBody.omit({ studentId: true }).partial().extend({
  /** why a recorded aid is changed (kept in the audit row) */
  reason: z.string().trim().max(200).optional(),
});
export type UpdateAidBody = z.infer<typeof updateAidBody>;

export const revokeAidBody = z.object({ reason: z.string().trim().min(2, '撤销须填写原因').max(200) });

export const aidListQuery = z.object({
  studentId: z.coerce.number().int().positive().optional(),
  schoolId: z.coerce.number().int().positive().optional(),
  schoolYear: schoolYearString.optional(),
  itemKey: z.string().max(40).optional(),
  status: z.enum(AID_STATUSES).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type AidListQuery = z.infer<typeof aidListQuery>;

export const aidGrantView = z.object({
  id: z.number().int(),
  studentId: z.number().int(),
  studentName: z.string(),
  schoolId: z.number().int(),
  schoolName: z.string(),
  schoolYear: z.string(),
  term: z.number().int().nullable(),
  itemKey: z.string(),
  itemLabel: z.string(),
  amountFen: z.number().int(),
  grantedOn: z.string(),
  source: z.enum(AID_SOURCES),
  sourceLabel: z.string(),
  method: z.enum(AID_METHODS),
  methodLabel: z.string(),
  note: z.string().nullable(),
  status: z.enum(AID_STATUSES),
  statusLabel: z.string(),
  revokedReason: z.string().nullable(),
  revokedAt: z.string().nullable(),
  recordedByName: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AidGrantView = z.infer<typeof aidGrantView>;

export const aidListView = z.object({
  /** true: the caller's role may not see family-economy data — no rows, no totals */
  masked: z.boolean(),
  /** may the caller record aid here (for a student: at the student's school) */
  canEdit: z.boolean(),
  total: z.number().int(),
  /** the granted (not revoked) rows' sum, in fen */
  totalFen: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  items: z.array(aidGrantView),
});
export type AidListView = z.infer<typeof aidListView>;

export const aidSummaryQuery = z.object({
  schoolYear: schoolYearString.optional(),
  schoolId: z.coerce.number().int().positive().optional(),
});
export const aidSummaryRow = z.object({
  schoolId: z.number().int(),
  schoolName: z.string(),
  itemKey: z.string(),
  itemLabel: z.string(),
  students: z.number().int(),
  grants: z.number().int(),
  totalFen: z.number().int(),
});
export const aidSummaryView = z.object({ schoolYear: z.string(), rows: z.array(aidSummaryRow), students: z.number().int(), totalFen: z.number().int() });
export type AidSummaryView = z.infer<typeof aidSummaryView>;
