// Categories from family flags, strategies from causes, the cross-check, the yearly refresh and
// the compliance roll-up: the pure rules of the support module.
import { describe, expect, it } from 'vitest';
import { categoriesFromFlags, isSanKun, mergeInto } from '../../../src/modules/support/categories.js';
import { complianceRows } from '../../../src/modules/support/compliance.js';
import { crossCheck } from '../../../src/modules/support/cross-check.js';
import { proposeRefresh } from '../../../src/modules/support/refresh.js';
import { suggestStrategies, suggestedLists } from '../../../src/modules/support/strategies.js';
import { createSchoolCalendar, DEFAULT_QUOTAS, evaluatePairing } from '../../../src/modules/pairings/engine/index.js';

const AT = '2026-09-01T00:00:00.000Z';

describe('categories from family flags', () => {
  it('maps the bureau lists to 贫困生, 特殊家庭 and 留守儿童', () => {
    expect(categoriesFromFlags(['dibao'], AT).categories).toEqual(['poverty']);
    expect(categoriesFromFlags(['orphan', 'left_behind', 'migrant', 'unknown'], AT)).toEqual({
      categories: ['poverty', 'left_behind', 'special_family'],
      sources: [
        { kind: 'family_flag', category: 'left_behind', flag: 'left_behind', note: '留守儿童', at: AT },
        { kind: 'family_flag', category: 'poverty', flag: 'orphan', note: '孤儿', at: AT },
        { kind: 'family_flag', category: 'special_family', flag: 'orphan', note: '孤儿', at: AT },
      ],
    });
    expect(categoriesFromFlags(['migrant'], AT).categories).toEqual([]);
    for (const f of ['poverty_registered', 'poverty_monitored', 'dibao', 'tekun', 'orphan', 'unattended']) {
      expect(categoriesFromFlags([f], AT).categories).toContain('poverty');
    }
  });

  it('merging adds, never removes, and notices nothing new', () => {
    const cur = { categories: ['learning'], sources: [{ kind: 'manual' as const, category: 'learning' as const, at: AT }], weakSubjects: ['数学'] };
    const m = mergeInto(cur, categoriesFromFlags(['dibao'], AT));
    expect(m).toMatchObject({ categories: ['learning', 'poverty'], changed: true, categoriesChanged: true, weakSubjects: ['数学'] });
    const again = mergeInto(m, categoriesFromFlags(['dibao'], '2027-01-01T00:00:00.000Z'));
    expect(again.changed).toBe(false);
    expect(isSanKun(['psychological', 'learning', 'poverty'])).toBe(true);
    expect(isSanKun(['learning', 'poverty'])).toBe(false);
  });
});

describe('strategies follow causes (000 范文1)', () => {
  it('two lines, in cause order, each once', () => {
    const s = suggestStrategies(['family', 'intelligence']);
    expect(s.teaching.map((x) => x.key)).toEqual(['intelligence.teaching.1', 'intelligence.teaching.2', 'intelligence.teaching.3', 'family.teaching.1']);
    expect(s.moral.map((x) => x.key)).toEqual(['intelligence.moral.1', 'family.moral.1', 'family.moral.2']);
    expect(s.teaching[0]!.text).toContain('小步子');
    expect(suggestStrategies(['habits']).teaching[0]!.text).toContain('学习习惯');
    expect(suggestStrategies(['psychology']).moral[0]!.text).toContain('心理辅导');
    expect(suggestStrategies(['family']).moral[0]!.text).toContain('教师与家长');
    expect(suggestStrategies(['conduct']).moral[0]!.text).toContain('德育活动');
    expect(suggestStrategies([])).toEqual({ teaching: [], moral: [] });
    expect(suggestedLists(['conduct']).moral).toHaveLength(2);
  });
});

describe('cross-check (核对)', () => {
  it('matches by day, kind and subject; lists what one side alone recorded', () => {
    const r = crossCheck(
      [
        { id: 1, type: 'tutoring', date: '2026-10-12', subject: '数学' },
        { id: 2, type: 'talk', date: '2026-10-12', subject: null },
        { id: 3, type: 'tutoring', date: '2026-10-13', subject: '语文' },
        { id: 4, type: 'reflection_essay', date: '2026-10-13', subject: null },
      ],
      [
        { id: 9, date: '2026-10-12', kind: '辅导', subject: '数学' },
        { id: 8, date: '2026-10-12', kind: '谈心', subject: '' },
        { id: 7, date: '2026-10-13', kind: '辅导', subject: '英语' },
      ],
    );
    expect(r.matched).toEqual([
      { date: '2026-10-12', kind: '辅导', subject: '数学', teacherRecordId: 1, studentRecordId: 9 },
      { date: '2026-10-12', kind: '谈心', subject: null, teacherRecordId: 2, studentRecordId: 8 },
    ]);
    expect(r.teacherOnly).toEqual([{ date: '2026-10-13', kind: '辅导', subject: '语文', recordId: 3 }]);
    expect(r.studentOnly).toEqual([{ date: '2026-10-13', kind: '辅导', subject: '英语', recordId: 7 }]);
  });
});

describe('yearly refresh', () => {
  const enrolled = [
    { studentId: 1, name: '甲', schoolId: 5, classId: 50, className: '八年级(1)班' },
    { studentId: 2, name: '乙', schoolId: 5, classId: 50, className: '八年级(1)班' },
    { studentId: 3, name: '丙', schoolId: 5, classId: 50, className: '八年级(1)班' },
    { studentId: 4, name: '丁', schoolId: 5, classId: 51, className: '八年级(2)班' },
  ];
  it('carries open cases, adds flags and confirmed candidates, and lists who left', () => {
    const r = proposeRefresh({
      schoolYear: '2027-2028',
      at: AT,
      enrolled,
      flags: new Map([[2, ['dibao']], [4, ['migrant']]]),
      candidates: [{ studentId: 3, examId: 'e1', examName: '期末', subjects: ['数学'] }, { studentId: 1, examId: 'e1', examName: '期末', subjects: ['语文'] }],
      previous: [
        { id: 11, studentId: 1, name: '甲', schoolId: 5, categories: ['psychological'], status: 'active', closeReason: null, weakSubjects: [] },
        { id: 12, studentId: 2, name: '乙', schoolId: 5, categories: ['learning'], status: 'closed', closeReason: 'improved', weakSubjects: ['数学'] },
        { id: 13, studentId: 9, name: '壬', schoolId: 5, categories: ['poverty'], status: 'confirmed', closeReason: null, weakSubjects: [] },
        { id: 14, studentId: 4, name: '丁', schoolId: 5, categories: ['learning'], status: 'closed', closeReason: 'improved', weakSubjects: [] },
      ],
      existing: new Map(),
      withTeacher: new Set([1]),
    });
    expect(r.items.map((i) => [i.studentId, i.change, i.categories, i.previousCaseId, i.status, i.weakSubjects])).toEqual([
      [1, 'continuing', ['learning', 'psychological'], 11, 'active', ['语文']],
      [2, 'continuing', ['poverty'], 12, 'identified', []],
      [3, 'new', ['learning'], null, 'identified', ['数学']],
    ]);
    expect(r.items[0]!.sources.map((s) => s.kind)).toEqual(['carried_over', 'exam']);
    expect(r.left).toEqual([
      { caseId: 13, studentId: 9, studentName: '壬', schoolId: 5, categories: ['poverty'], reason: '未在新学年注册在读（毕业、转学或休学），请结案' },
      { caseId: 14, studentId: 4, studentName: '丁', schoolId: 5, categories: ['learning'], reason: '已结案：已转化（进步明显）' },
    ]);
  });
});

describe('compliance from the engine', () => {
  it('per teacher and rule, then per school; done capped per period; worst status', () => {
    const calendar = createSchoolCalendar();
    const quotas = DEFAULT_QUOTAS.teacherStudent.filter((q) => q.id === 'ts.talk.fortnight' || q.id === 'ts.talk.semester');
    const pairing = (id: string, teacher: string, talks: string[]) => evaluatePairing({
      id, status: 'active', start: '2026-09-01',
      participants: [{ id: teacher, role: 'helper', unitId: 'school:1' }, { id: `student:${id}`, role: 'helped' }],
      quotas,
      activities: talks.map((date) => ({ type: 'talk', role: 'helper', date })),
    }, '2026-09-30', calendar);
    // 第1—2周 (08-31 → 09-13), 3—4 (09-14 → 09-27), 5—6 (09-28 → …): the 3rd fortnight is running
    const a = pairing('1', 'teacher:1', ['2026-09-02', '2026-09-03', '2026-09-15']);
    const b = pairing('2', 'teacher:1', ['2026-09-02']);
    const rows = complianceRows({
      standings: [a, b],
      semester: { start: '2026-09-01', end: '2027-01-20' },
      teachers: new Map([['teacher:1', { id: 1, name: '李明', schoolId: 1 }]]),
      schools: new Map([[1, { code: '3636000001', name: '一小' }]]),
      rules: quotas.map((q) => ({ id: q.id, label: q.label })),
    });
    expect(rows.map((r) => [r.teacher, r.rule, r.required, r.done, r.status])).toEqual([
      // fortnights: a = 1+1+0 of 3, b = 1+0+0 of 3 (b missed 第3—4周 → short)
      ['1', 'ts.talk.fortnight', 6, 3, 'short'],
      // semester: 10 + 10 required, 3 + 1 done; b behind (1 of an expected 2 by 09-30)
      ['1', 'ts.talk.semester', 20, 4, 'behind'],
      ['', 'ts.talk.fortnight', 6, 3, 'short'],
      ['', 'ts.talk.semester', 20, 4, 'behind'],
    ]);
    expect(rows[2]).toMatchObject({ school: '3636000001', teacherName: '', teachers: 1, short: 1, onTrack: 0 });
  });
});
