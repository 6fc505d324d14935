// Every action code and entity type the server writes to the audit log: the one list that types
// writeAudit's entries (src/modules/audit/audit.repo.ts), that the audit page's filters offer, grouped
// by module (web/src/pages/audit/AuditPage.tsx), and that must have a label in each message file
// (`audit.action.<code>`, `audit.entity.<type>`, `audit.group.<group>`; tests/unit/shared/audit-codes.test.ts).
// A new action: add it here, and its labels to web/src/i18n/zh-CN.json and en.json.

export const AUDIT_ACTION_GROUPS = [
  { key: 'auth', prefix: 'auth.', actions: ['auth.login', 'auth.login_failed', 'auth.logout', 'auth.password_changed'] },
  { key: 'account', prefix: 'account.', actions: ['account.created', 'account.updated', 'account.disabled', 'account.password_reset'] },
  {
    key: 'registry', prefix: null,
    actions: ['school.created', 'student.created', 'student.updated', 'student.revealed', 'import.roster', 'import.errors_downloaded'],
  },
  {
    key: 'exam', prefix: 'exam.',
    actions: [
      'exam.created', 'exam.deleted', 'exam.scores_import', 'exam.scores_replace', 'exam.analysed', 'exam.settings.updated', 'exam.targets.updated',
      'exam.candidate.proposed', 'exam.candidate.confirmed', 'exam.candidate.removed',
      'exam.award.computed', 'exam.award.approved', 'exam.award.rejected',
    ],
  },
  {
    key: 'pairing', prefix: null,
    actions: [
      'programme.created', 'programme.updated', 'school_calendar.updated',
      'pairing.created', 'pairing.updated', 'pairing.transitioned', 'pairing.participant_added', 'pairing.participant_ended',
      'activity.recorded', 'activity.updated', 'activity.resubmitted', 'activity.reviewed', 'activity.attachment_added', 'activity.confidential_view',
    ],
  },
  {
    key: 'support', prefix: null,
    actions: [
      'support.case_created', 'support.case_updated', 'support.case_transitioned', 'support.cases_from_exam', 'support.cases_from_flags',
      'support.analysis_updated', 'support.rules_updated', 'support.assignments_accepted', 'support.peer_paired',
      'support.psych_view', 'support.psych_updated', 'support.refresh_applied', 'support.archive_printed', 'support.handbook_printed',
    ],
  },
  {
    key: 'aid', prefix: 'support.aid_',
    actions: ['support.aid_granted', 'support.aid_updated', 'support.aid_revoked', 'support.aid_viewed', 'support.aid_item_created', 'support.aid_item_updated'],
  },
  { key: 'system', prefix: null, actions: ['setup.bureau_created', 'demo.loaded', 'demo.failed'] },
] as const;

export type AuditAction = (typeof AUDIT_ACTION_GROUPS)[number]['actions'][number];
export type AuditActionGroup = (typeof AUDIT_ACTION_GROUPS)[number]['key'];
export const AUDIT_ACTIONS: readonly AuditAction[] = AUDIT_ACTION_GROUPS.flatMap((g) => g.actions);

export const AUDIT_ENTITY_TYPES = [
  'user', 'bureau', 'school', 'teacher', 'student', 'import',
  'exam', 'exam_targets', 'exam_candidate', 'exam_award', 'settings',
  'programme', 'school_calendar', 'pairing', 'activity',
  'support_case', 'aid_grant', 'aid_item',
] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];

export function isAuditAction(s: string): s is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(s);
}
