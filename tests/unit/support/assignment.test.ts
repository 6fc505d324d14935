// The assignment rules and the suggestion, on hand-made schools.
import { describe, expect, it } from 'vitest';
import { acceptProblems, checkAssignments, DEFAULT_ASSIGNMENT_RULES, suggestAssignments, type AssignCase, type AssignTeacher } from '../../../src/modules/support/assignment.js';

const R = DEFAULT_ASSIGNMENT_RULES;
const teacher = (id: number, name: string, subjects: string[], teaches: [number, string][] = [], isLeader = false): AssignTeacher => ({
  id, name, isLeader, subjects, teaches: teaches.map(([classId, subject]) => ({ classId, subject })),
});
const kase = (id: number, studentId: number, name: string, categories: AssignCase['categories'], extra: Partial<AssignCase> = {}): AssignCase => ({
  id, studentId, studentName: name, classId: 1, categories, status: 'confirmed', weakSubjects: [], ...extra,
});

describe('checkAssignments', () => {
  it('reports every rule in Chinese, in rule order', () => {
    const teachers = [teacher(1, '李明', ['数学']), teacher(2, '王芳', ['语文']), teacher(3, '张校长', ['语文'], [], true), teacher(4, '赵老师', ['英语'])];
    const cases = [
      kase(10, 100, '甲', ['poverty']),
      kase(11, 101, '乙', ['learning']),
      kase(12, 102, '丙', ['learning']),
      kase(13, 103, '丁', ['poverty', 'learning']),
      kase(14, 104, '戊', ['learning'], { status: 'identified' }), // not on the list yet: no rule applies
      kase(15, 105, '己', ['learning']),
    ];
    const links = [
      { teacherId: 1, studentId: 101 }, { teacherId: 1, studentId: 102 }, { teacherId: 1, studentId: 103 }, // 李明 3 > 2
      { teacherId: 2, studentId: 103 }, // 丁 poor with two teachers
    ];
    const v = checkAssignments(R, teachers, cases, links);
    expect(v.map((x) => [x.rule, x.severity, x.message])).toEqual([
      ['teacher_max', 'error', '教师李明帮扶3名学生，超过每人2名的上限'],
      ['teacher_min', 'warning', '教师张校长帮扶0名学生，少于每人1名'],
      ['teacher_min', 'warning', '教师赵老师帮扶0名学生，少于每人1名'],
      ['leader_poor', 'error', '学校领导张校长帮扶贫困生0名，应至少1名'],
      ['poor_one_teacher', 'error', '贫困生甲还没有帮扶教师'],
      ['poor_one_teacher', 'error', '贫困生丁有2名帮扶教师，应一对一只有一名'],
      ['none_without_teacher', 'error', '己（学困生（后20%））已确认为帮扶对象，还没有帮扶教师'],
    ]);
    expect(v[4]).toMatchObject({ caseId: 10, studentId: 100, teacherId: null });
  });

  it('rules can be turned off or changed', () => {
    const teachers = [teacher(1, '李明', ['数学'], [], true)];
    const cases = [kase(10, 100, '甲', ['poverty'])];
    const off = { teacherMin: 0, teacherMax: 3, leaderMinPoor: 0, poorExactlyOne: false, noneWithoutTeacher: false };
    expect(checkAssignments(off, teachers, cases, [])).toEqual([]);
    // with poorExactlyOne off, a poor student without a teacher is reported by 一个不漏
    expect(checkAssignments({ ...off, noneWithoutTeacher: true }, teachers, cases, []).map((x) => x.rule)).toEqual(['none_without_teacher']);
    // a leader helping a poor student satisfies the leader rule; a closed case is not on the list
    const closed = [kase(10, 100, '甲', ['poverty'], { status: 'closed' })];
    expect(checkAssignments(R, teachers, closed, []).map((x) => x.rule)).toEqual(['teacher_min', 'leader_poor']);
    expect(checkAssignments(R, teachers, cases, [{ teacherId: 1, studentId: 100 }])).toEqual([]);
  });
});

describe('suggestAssignments', () => {
  it('leaders take a poor student first; then class and weak subject, then load; deterministic', () => {
    // class 1: 李明 teaches 数学, 王芳 语文; 陈静 teaches class 2 数学; 校长 (leader) teaches nothing
    const teachers = [
      teacher(4, '校长', ['语文'], [], true),
      teacher(1, '李明', ['数学'], [[1, '数学']]),
      teacher(2, '王芳', ['语文'], [[1, '语文']]),
      teacher(3, '陈静', ['数学'], [[2, '数学']]),
    ];
    const cases = [
      kase(10, 100, '甲', ['learning'], { weakSubjects: ['数学'] }),
      kase(11, 101, '乙', ['poverty']),
      kase(12, 102, '丙', ['learning'], { weakSubjects: ['语文'] }),
      kase(13, 103, '丁', ['learning'], { classId: 3, weakSubjects: ['数学'] }),
      kase(14, 104, '戊', ['poverty', 'learning'], { weakSubjects: ['数学'] }),
    ];
    const s = suggestAssignments(R, teachers, cases, []);
    expect(s.items.map((i) => [i.caseId, i.teacherId, i.reasons])).toEqual([
      // the leader takes the first poor case in order (poor, more categories, id): 戊
      [14, 4, ['学校领导帮扶贫困生', '现帮扶0名']],
      // 乙 (poor, class 1, no weak subject): a class-1 teacher; 李明 and 王芳 tie → lower id
      [11, 1, ['任教该班数学', '现帮扶0名']],
      // 甲 weak in 数学: 李明 teaches it in class 1 (load 1 < max 2)
      [10, 1, ['任教该班数学（薄弱学科）', '现帮扶1名']],
      // 丙 weak in 语文: 王芳
      [12, 2, ['任教该班语文（薄弱学科）', '现帮扶0名']],
      // 丁 (class 3, weak 数学): nobody teaches class 3; 陈静 teaches 数学 (李明 is full)
      [13, 3, ['学科对口：数学', '现帮扶0名']],
    ]);
    expect(s.unassigned).toEqual([]);
    expect(s.violationsAfter).toEqual([]);
    // the input order does not matter
    const again = suggestAssignments(R, [...teachers].reverse(), [...cases].reverse(), []);
    expect(again.items).toEqual(s.items);
  });

  it('keeps existing pairings, never gives a teacher more than the maximum, and says what it could not fill', () => {
    const teachers = [teacher(1, '李明', ['数学'], [[1, '数学']])];
    const cases = [kase(10, 100, '甲', ['learning']), kase(11, 101, '乙', ['learning']), kase(12, 102, '丙', ['learning'])];
    const s = suggestAssignments(R, teachers, cases, [{ teacherId: 1, studentId: 100 }]);
    expect(s.items.map((i) => [i.caseId, i.teacherId])).toEqual([[11, 1]]);
    expect(s.unassigned).toEqual([{ caseId: 12, reason: '没有可分配的教师：每名教师都已帮扶2名学生' }]);
    expect(s.violationsAfter.map((v) => v.message)).toEqual(['丙（学困生（后20%））已确认为帮扶对象，还没有帮扶教师']);
    expect(suggestAssignments(R, [], cases, []).unassigned[0]!.reason).toBe('本校没有在职教师');
  });
});

describe('acceptProblems', () => {
  const teachers = [teacher(1, '李明', ['数学']), teacher(2, '王芳', ['语文'])];
  const cases = [kase(10, 100, '甲', ['poverty']), kase(11, 101, '乙', ['learning']), kase(12, 102, '丙', ['learning']), kase(13, 103, '丁', ['learning'], { status: 'identified' })];
  it('accepts a valid edited suggestion', () => {
    expect(acceptProblems(R, teachers, cases, [], [{ caseId: 10, teacherId: 1 }, { caseId: 11, teacherId: 2 }])).toEqual([]);
  });
  it('refuses what would break a hard rule', () => {
    expect(acceptProblems(R, teachers, cases, [{ teacherId: 2, studentId: 100 }], [
      { caseId: 10, teacherId: 1 }, // poor student would have two teachers
      { caseId: 11, teacherId: 1 },
      { caseId: 12, teacherId: 1 }, // 李明's third
      { caseId: 13, teacherId: 2 }, // not confirmed
      { caseId: 99, teacherId: 2 },
      { caseId: 11, teacherId: 9 },
    ])).toEqual([
      '贫困生甲只能有一名帮扶教师',
      '教师李明将帮扶3名学生，超过每人2名的上限',
      '丁尚未确认为帮扶对象或已结案，不能分配教师',
      '帮扶对象 99 不存在或不属于本校本学年',
      '教师 9 不是本校在职教师',
    ]);
    expect(acceptProblems(R, teachers, cases, [{ teacherId: 1, studentId: 101 }], [{ caseId: 11, teacherId: 1 }])).toEqual(['李明已是乙的帮扶教师']);
  });
});
