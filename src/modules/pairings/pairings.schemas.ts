// Zod schemas of the pairings API (programmes, school calendar, pairings, activities,
// checks, standings), shared with the web UI. Pure zod plus the pure engine's constants:
// the web may import this file. The stored model is described in docs/pairings.md.
import { z } from 'zod';
import type { PeriodKind } from './engine/calendar.js';
import { PAIRING_STATUS_LABELS, STATUS_LABELS, type PairingStatus, type PeriodStatus } from './engine/standing.js';

// ───────────────────────────── vocabulary ─────────────────────────────

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应写成“2026-09-01”').refine((v) => {
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}, '不是有效日期');

export const schoolYearString = z
  .string()
  .regex(/^\d{4}-\d{4}$/, '学年格式应为 2026-2027')
  .refine((v) => Number(v.slice(5)) === Number(v.slice(0, 4)) + 1, '学年的两个年份应相邻');

/** Who a participant is: a teacher, a student or a whole school (校校结对). */
export const PERSON_KINDS = ['teacher', 'student', 'school'] as const;
export type PersonKind = (typeof PERSON_KINDS)[number];
export const PERSON_KIND_LABELS: Record<PersonKind, string> = { teacher: '教师', student: '学生', school: '学校' };

/** Which side of the pairing a role is on: the engine's 'helper' and 'helped'. */
export const SIDES = ['helper', 'helped'] as const;
export type Side = (typeof SIDES)[number];
export const SIDE_LABELS: Record<Side, string> = { helper: '帮扶方', helped: '受助方' };

export const PAIRING_STATUSES = ['proposed', 'active', 'completed', 'cancelled'] as const satisfies readonly PairingStatus[];
export const pairingStatus = z.enum(PAIRING_STATUSES);
export { PAIRING_STATUS_LABELS };

/** proposed → active → completed | cancelled; proposed → cancelled. Completed and cancelled are final. */
export const PAIRING_TRANSITIONS: Record<PairingStatus, readonly PairingStatus[]> = {
  proposed: ['active', 'cancelled'],
  active: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

/** submitted (counts), accepted (counts), returned (sent back with a comment; does not count until resubmitted). */
export const ACTIVITY_STATUSES = ['submitted', 'accepted', 'returned'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];
export const activityStatus = z.enum(ACTIVITY_STATUSES);
export const ACTIVITY_STATUS_LABELS: Record<ActivityStatus, string> = { submitted: '待审核', accepted: '已通过', returned: '已退回' };
/** The statuses whose records count toward quotas. */
export const COUNTED_ACTIVITY_STATUSES: readonly ActivityStatus[] = ['submitted', 'accepted'];

export const VERDICTS = ['accepted', 'returned'] as const;
export type Verdict = (typeof VERDICTS)[number];

export { STATUS_LABELS as PERIOD_STATUS_LABELS };
export const PERIOD_STATUSES = ['done', 'on_track', 'behind', 'short', 'missed', 'not_started', 'not_required'] as const satisfies readonly PeriodStatus[];
const periodStatus = z.enum(PERIOD_STATUSES);

// ───────────────────────────── programme definitions ─────────────────────────────

const key = (what: string) => z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, `${what}只能由小写字母、数字和下划线组成，以字母开头（至多40个字符）`);
const label = z.string().trim().min(1, '名称不能为空').max(60, '名称至多60个字符');

export const FIELD_TYPES = ['text', 'textarea', 'number', 'integer', 'date', 'select', 'multiselect', 'boolean'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** One type-specific field of an activity record (e.g. the home-visit form's "who was met"). */
export const fieldDef = z.object({
  key: key('字段编号'),
  label,
  type: z.enum(FIELD_TYPES),
  required: z.boolean().optional(),
  /** select / multiselect */
  options: z.array(z.string().trim().min(1).max(60)).max(60).optional(),
  /** number / integer */
  min: z.number().optional(),
  max: z.number().optional(),
  /** text (default 200) / textarea (default 2000) */
  maxLength: z.number().int().min(1).max(10_000).optional(),
  help: z.string().max(200).optional(),
});
export type FieldDef = z.infer<typeof fieldDef>;

export const CONFIDENTIAL_MODES = ['never', 'optional', 'always'] as const;

/** An activity type of a programme: its label, who may be credited, its own fields, confidentiality. */
export const activityTypeDef = z.object({
  key: key('活动类型编号'),
  label,
  /** role keys that may be credited with it; absent = any role of the programme */
  roles: z.array(key('角色编号')).max(10).optional(),
  fields: z.array(fieldDef).max(30).default([]),
  /** may a record be marked 保密 (psychological notes …): never, optional (default), always */
  confidential: z.enum(CONFIDENTIAL_MODES).default('optional'),
});
export type ActivityTypeDef = z.infer<typeof activityTypeDef>;

/** A participant role of a programme: key (the engine's role, e.g. 'helper'), side, person kind, how many per pairing. */
export const programmeRole = z.object({
  key: key('角色编号'),
  label,
  side: z.enum(SIDES),
  kind: z.enum(PERSON_KINDS),
  min: z.number().int().min(0).max(200),
  max: z.number().int().min(1).max(200),
});
export type ProgrammeRole = z.infer<typeof programmeRole>;

const monthDay = z.string().regex(/^\d{2}-\d{2}$/, '月日应写成 MM-DD');
/** The engine's Quota (src/modules/pairings/engine/quota.ts) as JSON; validateQuota checks the rest. */
export const quotaDef = z.object({
  id: z.string().trim().min(1).max(60),
  activityTypes: z.array(z.string().min(1).max(40)).min(1, '至少要指定一种活动类型').max(10),
  role: z.string().min(1).max(40),
  minCount: z.number().int().min(1, '最少次数应为正整数').max(1000),
  period: z.enum(['week', 'two_weeks', 'month', 'semester', 'school_year'] as const satisfies readonly PeriodKind[], { error: '周期应为 week、two_weeks、month、semester 或 school_year' }),
  window: z
    .union([
      z.object({ months: z.array(z.number().int().min(1).max(12)).min(1).max(12) }),
      z.object({ fromMonthDay: monthDay, toMonthDay: monthDay }),
      z.object({
        nthWeekdayOfMonth: z.object({
          n: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(-1)]),
          weekday: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(6), z.literal(7)]),
        }),
      }),
    ])
    .optional(),
  maxPerDay: z.number().int().min(1).max(50).optional(),
  occasions: z.enum(['school_days', 'any_day']).optional(),
  each: z.string().min(1).max(40).optional(),
  label,
  source: z.string().max(200).optional(),
});

export const programmeDefinition = z.object({
  key: key('项目编号'),
  name: label,
  description: z.string().max(2000).nullable().optional(),
  roles: z.array(programmeRole).min(2, '至少要有帮扶方和受助方两个角色').max(8),
  activityTypes: z.array(activityTypeDef).max(60),
  quotas: z.array(quotaDef).max(60),
  active: z.boolean().default(true),
});
export type ProgrammeDefinition = z.infer<typeof programmeDefinition>;

export const programmeUpdate = programmeDefinition.omit({ key: true });

export const programmeView = programmeDefinition.extend({
  id: z.number().int(),
  description: z.string().nullable(),
  builtin: z.boolean(),
  /** the active pairings that follow it (changing its quotas changes their standing) */
  activePairings: z.number().int(),
  updatedAt: z.string(),
});
export type ProgrammeView = z.infer<typeof programmeView>;
export const programmeKeyParam = z.object({ key: z.string().min(1).max(40) });

// ───────────────────────────── school calendar ─────────────────────────────

const dateRange = z.object({ from: isoDate, to: isoDate });
/** One school year of the 校历: exact semester dates, closures, make-up working days (the engine's config, per year). */
export const schoolYearCalendar = z.object({
  first: dateRange.optional(),
  second: dateRange.optional(),
  closures: z.array(dateRange.extend({ label: z.string().trim().min(1, '请填写停课原因').max(40) })).max(100).default([]),
  makeUpDays: z.array(isoDate).max(60).default([]),
});
export type SchoolYearCalendar = z.infer<typeof schoolYearCalendar>;
export const schoolYearParam = z.object({ schoolYear: schoolYearString });
export const schoolCalendarView = z.object({
  schoolYear: z.string(),
  /** null: nothing stored, the defaults apply */
  config: schoolYearCalendar.nullable(),
  /** the teaching dates in force (stored or default) */
  semesters: z.array(z.object({ term: z.number().int(), start: z.string(), end: z.string() })),
  updatedAt: z.string().nullable(),
});

// ───────────────────────────── pairings ─────────────────────────────

export const participantInput = z.object({
  role: z.string().min(1).max(40),
  kind: z.enum(PERSON_KINDS),
  personId: z.number().int().positive(),
});

/** A later link, e.g. the support case (帮扶对象) the pairing serves: { kind: 'support_case', id: 17 }. */
export const subjectRef = z.object({ kind: z.string().min(1).max(40), id: z.union([z.number().int(), z.string().max(64)]) });

export const createPairingBody = z.object({
  programme: z.string().min(1).max(40),
  start: isoDate,
  /** planned end (optional) */
  end: isoDate.nullable().optional(),
  plan: z.string().max(10_000).nullable().optional(),
  participants: z.array(participantInput).min(2).max(100),
  /** start as proposed (default) or active at once */
  status: z.enum(['proposed', 'active']).default('proposed'),
  subjectRef: subjectRef.nullable().optional(),
});

export const updatePairingBody = z.object({
  plan: z.string().max(10_000).nullable().optional(),
  /** the planned end while proposed or active */
  end: isoDate.nullable().optional(),
  /** only while proposed */
  start: isoDate.optional(),
  reason: z.string().trim().max(500).optional(),
});

export const transitionBody = z.object({
  to: z.enum(['active', 'completed', 'cancelled']),
  /** active: the start (default: the planned start, or today if that has passed … see docs); completed/cancelled: the last day in force (default today) */
  date: isoDate.optional(),
  reason: z.string().trim().max(500).optional(),
});

export const addParticipantBody = participantInput.extend({
  from: isoDate.optional(),
  reason: z.string().trim().max(500).optional(),
});
export const endParticipantBody = z.object({
  /** the last day the participant takes part (default today) */
  to: isoDate.optional(),
  reason: z.string().trim().min(2, '请填写原因').max(500),
});
export const participantParam = z.object({ id: z.coerce.number().int().positive(), participantId: z.coerce.number().int().positive() });

export const pairingListQuery = z.object({
  programme: z.string().max(40).optional(),
  status: pairingStatus.optional(),
  schoolId: z.coerce.number().int().optional(),
  teacherId: z.coerce.number().int().optional(),
  studentId: z.coerce.number().int().optional(),
  /** the caller's own pairings (as a teacher participant) */
  mine: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const participantView = z.object({
  id: z.number().int(),
  role: z.string(),
  roleLabel: z.string(),
  side: z.enum(SIDES),
  kind: z.enum(PERSON_KINDS),
  personId: z.number().int(),
  /** the engine's participant id, e.g. 'student:5' (activities' personIds use it) */
  ref: z.string(),
  name: z.string(),
  schoolId: z.number().int().nullable(),
  schoolName: z.string().nullable(),
  from: z.string(),
  to: z.string().nullable(),
  endReason: z.string().nullable(),
});
export type ParticipantView = z.infer<typeof participantView>;

export const pairingView = z.object({
  id: z.number().int(),
  programme: z.object({ key: z.string(), name: z.string() }),
  status: pairingStatus,
  statusLabel: z.string(),
  start: z.string(),
  end: z.string().nullable(),
  plan: z.string().nullable(),
  schoolId: z.number().int().nullable(),
  schoolName: z.string().nullable(),
  subjectRef: subjectRef.nullable(),
  /** current participants */
  participants: z.array(participantView),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PairingView = z.infer<typeof pairingView>;

export const statusHistoryEntry = z.object({
  from: pairingStatus.nullable(),
  to: pairingStatus,
  effectiveDate: z.string().nullable(),
  reason: z.string().nullable(),
  actorName: z.string(),
  at: z.string(),
});

export const pairingDetail = pairingView.extend({
  /** every participant, former ones included (from/to) */
  participantHistory: z.array(participantView),
  history: z.array(statusHistoryEntry),
  /** may the caller transition / edit it, record activities on it */
  canManage: z.boolean(),
  canRecord: z.boolean(),
});
export type PairingDetail = z.infer<typeof pairingDetail>;

// ───────────────────────────── activities ─────────────────────────────

export const attachmentView = z.object({
  id: z.string(),
  name: z.string(),
  mime: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  uploadedAt: z.string(),
});
export type AttachmentView = z.infer<typeof attachmentView>;

export const recordActivityBody = z.object({
  pairingId: z.number().int().positive(),
  type: z.string().min(1).max(40),
  date: isoDate,
  /** the role credited; default: the caller's role in the pairing */
  role: z.string().min(1).max(40).optional(),
  /** participants who took part ('student:5' …); needed for `each` quotas when several share a role */
  personIds: z.array(z.string().max(40)).max(100).optional(),
  content: z.string().max(10_000).default(''),
  fields: z.record(z.string(), z.unknown()).default({}),
  confidential: z.boolean().optional(),
});

export const updateActivityBody = z.object({
  date: isoDate.optional(),
  personIds: z.array(z.string().max(40)).max(100).optional(),
  content: z.string().max(10_000).optional(),
  fields: z.record(z.string(), z.unknown()).optional(),
  confidential: z.boolean().optional(),
});

export const reviewBody = z
  .object({
    verdict: z.enum(VERDICTS),
    comment: z.string().trim().max(1000).optional(),
    /** 抽查: a check outside the regular queue (e.g. the bureau re-checking an accepted record) */
    spotCheck: z.boolean().default(false),
  })
  .refine((b) => b.verdict !== 'returned' || (b.comment ?? '').length >= 2, { message: '退回时请填写意见', path: ['comment'] });

export const checkView = z.object({
  id: z.number().int(),
  verdict: z.enum(VERDICTS),
  comment: z.string().nullable(),
  spotCheck: z.boolean(),
  reviewerName: z.string(),
  revision: z.number().int(),
  at: z.string(),
});

export const activityView = z.object({
  id: z.number().int(),
  pairingId: z.number().int(),
  programmeKey: z.string(),
  type: z.string(),
  typeLabel: z.string(),
  date: z.string(),
  role: z.string(),
  roleLabel: z.string(),
  personIds: z.array(z.string()),
  /** null when masked (a confidential record the caller may not read) */
  content: z.string().nullable(),
  fields: z.record(z.string(), z.unknown()).nullable(),
  attachments: z.array(attachmentView).nullable(),
  confidential: z.boolean(),
  masked: z.boolean(),
  status: activityStatus,
  statusLabel: z.string(),
  revision: z.number().int(),
  recordedBy: z.object({ id: z.number().int().nullable(), name: z.string() }),
  /** the latest check, if any (a returned record shows its comment here) */
  lastCheck: checkView.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ActivityView = z.infer<typeof activityView>;
export const activityDetail = activityView.extend({ checks: z.array(checkView) });

export const activityListQuery = z.object({
  pairingId: z.coerce.number().int().optional(),
  status: activityStatus.optional(),
  type: z.string().max(40).optional(),
  programme: z.string().max(40).optional(),
  schoolId: z.coerce.number().int().optional(),
  /** records made by the user of this teacher */
  teacherId: z.coerce.number().int().optional(),
  /** only the caller's own records */
  mine: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export const attachmentParam = z.object({ id: z.coerce.number().int().positive(), attachmentId: z.string().uuid() });

// ───────────────────────────── standings ─────────────────────────────

export const asOfQuery = z.object({ asOf: isoDate.optional() });

export const periodStandingView = z.object({
  key: z.string(),
  label: z.string(),
  kind: z.string(),
  start: z.string(),
  end: z.string(),
  from: z.string(),
  to: z.string(),
  required: z.number().int(),
  done: z.number().int(),
  expected: z.number().int(),
  stillNeeded: z.number().int(),
  remainingOccasions: z.number().int(),
  dueBy: z.string().nullable(),
  ended: z.boolean(),
  status: periodStatus,
  statusLabel: z.string(),
});

const rollUpView = z.object({
  total: z.number().int(),
  counts: z.record(z.string(), z.number().int()),
  worst: periodStatus.nullable(),
  worstCurrent: periodStatus.nullable(),
});

export const quotaStandingView = z.object({
  quotaId: z.string(),
  label: z.string(),
  role: z.string(),
  period: z.string(),
  minCount: z.number().int(),
  subjectId: z.string().nullable(),
  responsibleIds: z.array(z.string()),
  current: periodStandingView.nullable(),
  periods: z.array(periodStandingView),
  summary: rollUpView,
});

export const pairingStandingView = z.object({
  pairingId: z.number().int(),
  asOf: z.string(),
  pairingStatus: pairingStatus,
  evaluated: z.boolean(),
  quotas: z.array(quotaStandingView),
  summary: rollUpView,
  problems: z.array(z.string()),
});
export type PairingStandingView = z.infer<typeof pairingStandingView>;

export const standingsQuery = z.object({
  groupBy: z.enum(['person', 'unit', 'pairing']).default('person'),
  programme: z.string().max(40).optional(),
  schoolId: z.coerce.number().int().optional(),
  /** only the pairings this teacher takes or took part in */
  teacherId: z.coerce.number().int().optional(),
  asOf: isoDate.optional(),
});

export const groupStandingView = rollUpView.extend({
  /** 'teacher:12', 'school:3', or the pairing id */
  key: z.string(),
  name: z.string(),
  pairingIds: z.array(z.number().int()),
});
export const standingsView = z.object({ asOf: z.string(), groupBy: z.string(), groups: z.array(groupStandingView), problems: z.array(z.string()) });

export const dueQuery = z.object({
  days: z.coerce.number().int().min(1).max(62).default(7),
  programme: z.string().max(40).optional(),
  asOf: isoDate.optional(),
});
export const dueItemView = z.object({
  pairingId: z.number().int(),
  quotaId: z.string(),
  label: z.string(),
  subjectId: z.string().nullable(),
  responsibleIds: z.array(z.string()),
  periodKey: z.string(),
  periodLabel: z.string(),
  required: z.number().int(),
  done: z.number().int(),
  needed: z.number().int(),
  dueBy: z.string().nullable(),
  status: periodStatus,
});
export const dueView = z.object({ asOf: z.string(), days: z.number().int(), items: z.array(dueItemView) });
