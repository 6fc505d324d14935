// Programmes as data: the defaults pass their own checks and carry the engine's quota sets
// unchanged; the cross-reference checks catch what the zod shapes cannot.
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUOTAS } from '../../../src/modules/pairings/engine/index.js';
import { programmeDefinition, type ProgrammeDefinition } from '../../../src/modules/pairings/pairings.schemas.js';
import { DEFAULT_PROGRAMMES, validateProgramme } from '../../../src/modules/pairings/programmes.js';

const byKey = (k: string) => DEFAULT_PROGRAMMES.find((p) => p.key === k)!;

describe('the default programmes', () => {
  it('are valid: zod shape and cross-references', () => {
    for (const p of DEFAULT_PROGRAMMES) {
      expect(programmeDefinition.safeParse(p).success, p.key).toBe(true);
      expect(validateProgramme(p), p.key).toEqual([]);
    }
  });

  it('have unique keys and include the programmes of the documents', () => {
    const keys = DEFAULT_PROGRAMMES.map((p) => p.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(expect.arrayContaining(['teacher_student', 'peer', 'mentoring', 'school_pairing', 'dispatch', 'learning_community', 'home_visit']));
  });

  it("carry the engine's DEFAULT_QUOTAS sets as they are (not re-written)", () => {
    expect(byKey('teacher_student').quotas).toEqual(DEFAULT_QUOTAS.teacherStudent);
    expect(byKey('mentoring').quotas).toEqual(DEFAULT_QUOTAS.mentoring);
    expect(byKey('mentoring_special_post').quotas).toEqual(DEFAULT_QUOTAS.mentoringSpecialPost);
    expect(byKey('school_pairing').quotas).toEqual(DEFAULT_QUOTAS.schoolPairing);
    expect(byKey('learning_community').quotas).toEqual(DEFAULT_QUOTAS.learningCommunity);
    expect(byKey('home_visit').quotas).toEqual(DEFAULT_QUOTAS.homeVisit);
    // copies: editing a programme never edits the engine's constants
    expect(byKey('teacher_student').quotas[0]).not.toBe(DEFAULT_QUOTAS.teacherStudent[0]);
  });

  it('a dispatch programme uses named roles, not helper/helped', () => {
    expect(byKey('dispatch').roles.map((r) => [r.key, r.side, r.kind])).toEqual([
      ['dispatched_teacher', 'helper', 'teacher'],
      ['recipient_school', 'helped', 'school'],
    ]);
  });
});

describe('validateProgramme', () => {
  const base = (): ProgrammeDefinition => structuredClone(byKey('teacher_student'));

  it('refuses a quota on an activity type the programme does not have', () => {
    const p = base();
    p.quotas[0]!.activityTypes = ['dance'];
    expect(validateProgramme(p)).toContainEqual(expect.stringContaining('活动类型“dance”不在本项目的活动类型中'));
  });

  it('refuses a quota for a role nobody in the programme holds, and an unknown `each` role', () => {
    const p = base();
    p.quotas[0]!.role = 'mentor';
    p.quotas[1]!.each = 'parent';
    const problems = validateProgramme(p);
    expect(problems).toContainEqual(expect.stringContaining('角色“mentor”不是本项目的角色'));
    expect(problems).toContainEqual(expect.stringContaining('逐一考核的角色“parent”不是本项目的角色'));
  });

  it('refuses a quota that can never be met because its role may not record the type', () => {
    const p = base();
    p.quotas[0]!.role = 'helped';
    expect(validateProgramme(p)).toContainEqual(expect.stringContaining('此配额永远无法完成'));
  });

  it("passes the engine's own quota checks through", () => {
    const p = base();
    p.quotas[0]!.minCount = 0;
    expect(validateProgramme(p)).toContainEqual(expect.stringContaining('最少次数应为正整数'));
  });

  it('needs a helper and a helped side, unique keys, min ≤ max, options for a select', () => {
    const p = base();
    p.roles = [p.roles[0]!, { ...p.roles[0]!, min: 3, max: 2 }];
    p.activityTypes.push({ ...p.activityTypes[0]! });
    p.activityTypes[1]!.fields = [{ key: 'mood', label: '情绪', type: 'select' }];
    p.quotas.push({ ...p.quotas[0]! });
    const problems = validateProgramme(p);
    expect(problems).toEqual(expect.arrayContaining([
      '角色编号重复：helper',
      '角色“帮扶教师”的最少人数大于最多人数',
      '至少要有一个受助方角色',
      '活动类型编号重复：talk',
      '字段“情绪”是选择题，须列出选项',
      '配额编号重复：ts.talk.fortnight',
    ]));
  });
});
