// Stored values shown to people (the registry's Chinese codes such as school kind '小学', and the
// English codes of support and pairings such as case status 'active') in the chosen language.
//
// One key per value: `value.<family>.<the value exactly as stored>`, e.g. `value.schoolKind.小学`,
// `value.sex.1`, `value.grade.7`, `value.activityType.talk` (case statuses and roles keep their older keys
// `support.caseStatus.<status>` and `role.<role>`: KEY_PREFIX). zh-CN.json holds the Chinese text shown
// today, en.json the English one (zh-TW is generated). A value without a key (a programme's own
// activity type, a value added on the server) shows its Chinese label from the lists below, or the
// label the server sent, or the value itself. tests/unit/web/values.test.ts checks that every value
// the server's lists can produce has a key in all three message files.
//
// Pure (no React): imported by the unit test through relative paths; pages use useLabel().
import { BACKBONE_LEVELS, FAMILY_FLAGS, GRADE_NAMES, LOCATION_TYPES, SCHOOL_FLAGS, SCHOOL_KINDS, SEX_LABELS, STUDENT_STATUSES, TEACHER_TITLES } from '../../../src/shared/registry.js';
import { ROLE_INFO } from '../../../src/shared/roles.js';
import { EXAM_KINDS } from '../../../src/modules/exams/exams.schemas.js';
import { CASE_STATUS_LABELS, CLOSE_REASON_LABELS, HISTORY_EVENT_LABELS, SOURCE_KIND_LABELS, SUPPORT_CATEGORY_LABELS } from '../../../src/modules/support/support.schemas.js';
import { AID_METHOD_LABELS, AID_SOURCE_LABELS, AID_STATUS_LABELS } from '../../../src/modules/support/aid/aid.schemas.js';
import { ACTIVITY_STATUS_LABELS, PAIRING_STATUS_LABELS } from '../../../src/modules/pairings/pairings.schemas.js';
import { ACTIVITY_TYPES } from '../../../src/modules/pairings/engine/quota.js';
import { DEFAULT_PROGRAMMES } from '../../../src/modules/pairings/programmes.js';

/** The activity (record) types of the default programmes, named and their own (辅导, 心理辅导 …). */
const activityTypes: Record<string, string> = { ...ACTIVITY_TYPES };
for (const p of DEFAULT_PROGRAMMES) for (const a of p.activityTypes) activityTypes[a.key] ??= a.label;

const same = (list: readonly string[]): Record<string, string> => Object.fromEntries(list.map((v) => [v, v]));

/** Each family: every value the server can produce → its Chinese label (the fallback). */
export const VALUE_FAMILIES = {
  sex: SEX_LABELS,
  grade: GRADE_NAMES as Record<string, string>,
  schoolKind: same(SCHOOL_KINDS),
  locationType: same(LOCATION_TYPES),
  schoolFlag: same(SCHOOL_FLAGS),
  teacherTitle: same(TEACHER_TITLES),
  backboneLevel: same(BACKBONE_LEVELS),
  studentStatus: same(STUDENT_STATUSES),
  familyFlag: FAMILY_FLAGS as Record<string, string>,
  examKind: same(EXAM_KINDS),
  supportCategory: SUPPORT_CATEGORY_LABELS as Record<string, string>,
  caseStatus: CASE_STATUS_LABELS as Record<string, string>,
  closeReason: CLOSE_REASON_LABELS as Record<string, string>,
  sourceKind: SOURCE_KIND_LABELS as Record<string, string>,
  historyEvent: HISTORY_EVENT_LABELS as Record<string, string>,
  activityType: activityTypes,
  activityStatus: ACTIVITY_STATUS_LABELS as Record<string, string>,
  pairingStatus: PAIRING_STATUS_LABELS as Record<string, string>,
  aidSource: AID_SOURCE_LABELS as Record<string, string>,
  aidMethod: AID_METHOD_LABELS as Record<string, string>,
  aidStatus: AID_STATUS_LABELS as Record<string, string>,
  role: Object.fromEntries(Object.entries(ROLE_INFO).map(([role, info]) => [role, info.label])),
} satisfies Record<string, Record<string, string>>;

export type ValueFamily = keyof typeof VALUE_FAMILIES;

/** Families whose keys predate this file. */
const KEY_PREFIX: Partial<Record<ValueFamily, string>> = { caseStatus: 'support.caseStatus', role: 'role' };

export function valueKey(family: ValueFamily, value: string | number): string {
  return `${KEY_PREFIX[family] ?? `value.${family}`}.${value}`;
}

/** The Chinese label of a value (what zh-CN shows); grades outside 1–9 read "10年级". */
export function chineseLabel(family: ValueFamily, value: string | number): string {
  const known = (VALUE_FAMILIES[family] as Record<string, string>)[String(value)];
  if (known) return known;
  return family === 'grade' ? `${value}年级` : String(value);
}

/**
 * A value in the chosen language: `tx` is useI18n().tx (or tOptional bound to a message table);
 * `serverLabel` is the label the server sent, used for a value the message files do not know.
 */
export function valueLabel(
  tx: (key: string, fallback: string) => string,
  family: ValueFamily,
  value: string | number,
  serverLabel?: string | null,
): string {
  const known = String(value) in VALUE_FAMILIES[family];
  return tx(valueKey(family, value), known ? chineseLabel(family, value) : serverLabel || chineseLabel(family, value));
}
