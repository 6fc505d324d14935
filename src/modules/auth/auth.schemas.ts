import { z } from 'zod';
import { ROLES } from '../../shared/roles.js';

export const meSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  roleLabel: z.string(),
  scopeLevel: z.enum(['region', 'school', 'classes', 'own_students']),
  readOnly: z.boolean(),
  school: z.object({ id: z.number().int(), code: z.string(), name: z.string() }).nullable(),
  teacherId: z.number().int().nullable(),
  mustChangePassword: z.boolean(),
  csrfToken: z.string(),
  locale: z.string(),
});
export type Me = z.infer<typeof meSchema>;
