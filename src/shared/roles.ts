// Roles and what kind of scope each one has. The SQL that enforces scope lives in
// src/modules/scope/scope.ts; this file is shared with the web UI (menus, labels).

export const ROLES = [
  'bureau_admin',
  'bureau_staff',
  'inspector',
  'principal',
  'academic_office',
  'head_teacher',
  'teacher',
  'counsellor',
] as const;
export type Role = (typeof ROLES)[number];

export type ScopeLevel = 'region' | 'school' | 'classes' | 'own_students';

export const ROLE_INFO: Record<Role, { label: string; scope: ScopeLevel; readOnly: boolean; needsSchool: boolean; needsTeacher: boolean }> = {
  bureau_admin: { label: '教育局管理员', scope: 'region', readOnly: false, needsSchool: false, needsTeacher: false },
  bureau_staff: { label: '教育局工作人员', scope: 'region', readOnly: false, needsSchool: false, needsTeacher: false },
  inspector: { label: '督导（只读）', scope: 'region', readOnly: true, needsSchool: false, needsTeacher: false },
  principal: { label: '校长', scope: 'school', readOnly: false, needsSchool: true, needsTeacher: false },
  academic_office: { label: '教导处/德育处', scope: 'school', readOnly: false, needsSchool: true, needsTeacher: false },
  head_teacher: { label: '班主任', scope: 'classes', readOnly: false, needsSchool: true, needsTeacher: true },
  teacher: { label: '学科教师', scope: 'own_students', readOnly: false, needsSchool: true, needsTeacher: true },
  counsellor: { label: '心理辅导教师', scope: 'school', readOnly: false, needsSchool: true, needsTeacher: true },
};

/** Roles that may manage user accounts (bureau-wide, or for their own school). */
export const ACCOUNT_ADMIN_ROLES: readonly Role[] = ['bureau_admin', 'principal'];
/** Roles that may import rosters. */
export const IMPORT_ROLES: readonly Role[] = ['bureau_admin', 'bureau_staff', 'principal', 'academic_office'];
/** Roles that may search the audit log. */
export const AUDIT_READER_ROLES: readonly Role[] = ['bureau_admin', 'inspector', 'principal'];
/** Roles that may reveal masked sensitive fields (always with a reason, always logged). */
export const REVEAL_ROLES: readonly Role[] = ['bureau_admin', 'bureau_staff', 'principal', 'academic_office', 'head_teacher', 'counsellor'];
/** Roles that set the 后20% targets, reward table and analysis options, re-run an analysis and review awards. */
export const EXAM_BUREAU_ROLES: readonly Role[] = ['bureau_admin', 'bureau_staff'];
/** Roles that may create exams and import their scores: county exams the bureau roles; a school's own exam also its principal and 教导处. */
export const EXAM_MANAGER_ROLES: readonly Role[] = ['bureau_admin', 'bureau_staff', 'principal', 'academic_office'];
/** School roles that may confirm or remove any 帮扶 candidate of their school (teachers: their classes, see exam-analysis.service). */
export const CANDIDATE_SCHOOL_ROLES: readonly Role[] = ['principal', 'academic_office'];
/** Roles that define programmes (roles, activity types, quotas) and the bureau's school calendar (校历). */
export const PROGRAMME_ADMIN_ROLES: readonly Role[] = ['bureau_admin', 'bureau_staff'];
/** Roles that create and manage pairings inside their scope, record activities on a pairing's behalf and check records (see docs/pairings.md). */
export const PAIRING_MANAGER_ROLES: readonly Role[] = ['bureau_admin', 'bureau_staff', 'principal', 'academic_office'];
/** Roles that put students on the support list (帮扶对象), edit a case's categories and cause analysis, inside their scope (docs/support.md). */
export const SUPPORT_EDITOR_ROLES: readonly Role[] = ['bureau_admin', 'bureau_staff', 'principal', 'academic_office', 'head_teacher', 'counsellor'];
/** Roles that confirm, review and close support cases, run the yearly refresh and assign teachers (the pairing managers). */
export const SUPPORT_MANAGER_ROLES: readonly Role[] = PAIRING_MANAGER_ROLES;
