import { z } from 'zod';
import { isoDate } from '../pairings/pairings.schemas.js';

export const auditQuery = z.object({
  /** a whole action code (src/shared/audit-codes.ts) matches exactly, anything else as a prefix ('exam.') */
  action: z.string().max(60).optional(),
  entityType: z.string().max(40).optional(),
  entityId: z.string().max(40).optional(),
  actor: z.string().max(40).optional(),
  /** China calendar days (Asia/Shanghai), both included */
  from: isoDate.optional(),
  to: isoDate.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const auditItem = z.object({
  id: z.number().int(),
  at: z.string(),
  actorUserId: z.number().int().nullable(),
  actorName: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  schoolId: z.number().int().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  reason: z.string().nullable(),
  ip: z.string().nullable(),
});
