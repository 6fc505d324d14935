// Stored values shown in the UI (web/src/i18n/values.ts): every value the server's own lists can
// produce has a text in each message file, English in en.json and today's Chinese in zh-CN.json.
// A value added on the server without a translation fails here.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BACKBONE_LEVELS, FAMILY_FLAGS, GRADES_ALLOWED_BY_KIND, GRADE_NAMES, LOCATION_TYPES, SCHOOL_FLAGS, SCHOOL_KINDS, SEX_LABELS,
  STUDENT_STATUSES, TEACHER_TITLES,
} from '../../../src/shared/registry.js';
import { ROLES } from '../../../src/shared/roles.js';
import { EXAM_KINDS } from '../../../src/modules/exams/exams.schemas.js';
import { CASE_STATUSES, CLOSE_REASONS, HISTORY_EVENTS, SOURCE_KINDS, SUPPORT_CATEGORIES } from '../../../src/modules/support/support.schemas.js';
import { AID_METHODS, AID_SOURCES, AID_STATUSES } from '../../../src/modules/support/aid/aid.schemas.js';
import { ACTIVITY_STATUSES, PAIRING_STATUSES } from '../../../src/modules/pairings/pairings.schemas.js';
import { ACTIVITY_TYPES } from '../../../src/modules/pairings/engine/quota.js';
import { DEFAULT_PROGRAMMES } from '../../../src/modules/pairings/programmes.js';
import { chineseLabel, valueKey, valueLabel, VALUE_FAMILIES, type ValueFamily } from '../../../web/src/i18n/values.js';

const root = path.resolve(import.meta.dirname, '../../..');
const read = (f: string) => JSON.parse(fs.readFileSync(path.join(root, 'web/src/i18n', f), 'utf8')) as Record<string, string>;
const en = read('en.json');
const cn = read('zh-CN.json');
const tw = read('zh-TW.json');

/** What the server can store or send, per family, taken from the server's own lists. */
const SERVER_VALUES: Record<ValueFamily, readonly (string | number)[]> = {
  sex: Object.keys(SEX_LABELS),
  grade: [...new Set(Object.values(GRADES_ALLOWED_BY_KIND).flat())] as number[],
  schoolKind: SCHOOL_KINDS,
  locationType: LOCATION_TYPES,
  schoolFlag: SCHOOL_FLAGS,
  teacherTitle: TEACHER_TITLES,
  backboneLevel: BACKBONE_LEVELS,
  studentStatus: STUDENT_STATUSES,
  familyFlag: Object.keys(FAMILY_FLAGS),
  examKind: EXAM_KINDS,
  supportCategory: SUPPORT_CATEGORIES,
  caseStatus: CASE_STATUSES,
  closeReason: CLOSE_REASONS,
  sourceKind: SOURCE_KINDS,
  historyEvent: HISTORY_EVENTS,
  activityType: [...new Set([...Object.keys(ACTIVITY_TYPES), ...DEFAULT_PROGRAMMES.flatMap((p) => p.activityTypes.map((a) => a.key))])],
  activityStatus: ACTIVITY_STATUSES,
  pairingStatus: PAIRING_STATUSES,
  aidSource: AID_SOURCES,
  aidMethod: AID_METHODS,
  aidStatus: AID_STATUSES,
  role: ROLES,
};

const CJK = /[\u3400-\u9fff\uff08\uff09\uff1a]/;

describe.each(Object.keys(SERVER_VALUES) as ValueFamily[])('%s', (family) => {
  it.each(SERVER_VALUES[family].map(String))('%s has an English text and today\'s Chinese one', (value) => {
    const key = valueKey(family, value);
    expect(en[key], `${key} in en.json`).toBeTruthy();
    expect(en[key], `${key} in en.json is English`).not.toMatch(CJK);
    expect(tw[key], `${key} in zh-TW.json`).toBeTruthy();
    // zh-CN renders what the server's label (or the stored value) showed before
    expect(cn[key], `${key} in zh-CN.json`).toBe(chineseLabel(family, value));
    expect(value in VALUE_FAMILIES[family], `${family} lists ${value}`).toBe(true);
  });
});

it('every family of the helper is checked against the server', () => {
  expect(Object.keys(SERVER_VALUES).sort()).toEqual(Object.keys(VALUE_FAMILIES).sort());
});

it('grades have one name: 七年级 in Chinese, Grade 7 in English', () => {
  const tx = (m: Record<string, string>) => (key: string, fallback: string) => m[key] ?? fallback;
  expect(valueLabel(tx(cn), 'grade', 7)).toBe(GRADE_NAMES[7]);
  expect(valueLabel(tx(en), 'grade', 7)).toBe('Grade 7');
  expect(valueLabel(tx(en), 'schoolKind', '小学')).toBe('Primary school');
  expect(valueLabel(tx(en), 'caseStatus', 'active')).toBe(en['support.caseStatus.active']);
  // a value the files do not know shows the server's label, else itself
  expect(valueLabel(tx(en), 'activityType', 'new_kind', '新类型')).toBe('新类型');
  expect(valueLabel(tx(en), 'schoolKind', '特殊教育学校')).toBe('特殊教育学校');
  expect(valueLabel(tx(cn), 'grade', 10)).toBe('10年级');
});
