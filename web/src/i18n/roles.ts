import { ROLE_INFO, type Role } from '@shared/roles';

/**
 * A role's name in the chosen language (`role.<role>` in the message files), falling back to the
 * server's label (Chinese) and then to the shared table, so a role added on the server still shows.
 */
export function roleName(tx: (key: string, fallback: string) => string, role: string, serverLabel?: string | null): string {
  const fallback = serverLabel || (role in ROLE_INFO ? ROLE_INFO[role as Role].label : role);
  return tx(`role.${role}`, fallback);
}
