import { describe, expect, it } from 'vitest';
import { compareUnit, indexSnapshot, type UnitSnapshot } from '../../../src/modules/exams/analysis/change.js';
import { computeAwards, DEFAULT_REWARD_TABLE, droppedAtLeast, type RewardTable, type RewardUnit } from '../../../src/modules/exams/analysis/rewards.js';
import { analyseExam, snapshotOf } from '../../../src/modules/exams/analysis/analyse.js';
import { fixtureInput } from './fixture.js';

/** A unit now (bottom/enrolled, rank) against a previous (bottom/enrolled, rank). */
function unit(recipient: 'teacher' | 'class', now: [number, number, number], then: [number, number, number] | null, subject = recipient === 'class' ? '总分' : '数学'): RewardUnit {
  const level = recipient === 'class' ? 'class' : 'teacher';
  const snap: UnitSnapshot = { subject, level, key: 'K', bottom: now[0], enrolled: now[1], rank: now[2], rankInSchool: now[2] };
  const previous = then ? compareUnit(snap, indexSnapshot([{ ...snap, bottom: then[0], enrolled: then[1], rank: then[2], rankInSchool: then[2] }])) : null;
  return { recipient, key: 'K', name: '某某', subject, bottom: now[0], enrolled: now[1], rank: now[2], rankInSchool: now[2], previous };
}
const summary = (lines: ReturnType<typeof computeAwards>) => lines.map((l) => [l.ruleName, l.amount]);

describe('computeAwards with the default (范文1-shaped) table', () => {
  it('teacher: ratio 20 % → 14 % (−6 points), 3 fewer, rank 5 → 3', () => {
    // single-subject: −6 ≥ 3 points → 200; count reduction 3 × 20 = 60; rank rise 2 × 10 = 20
    const lines = computeAwards([unit('teacher', [7, 50, 3], [10, 50, 5])]);
    expect(summary(lines)).toEqual([['学科单项奖', 200], ['人数减少奖', 60], ['名次上升奖', 20]]);
    expect(lines[0]!.reason).toBe('数学：比例变化 -6.00 个百分点（≥ 3 个百分点的下降），全县名次 3（前 8 名）');
    expect(lines[1]!.reason).toBe('数学：后20%人数由 10 人减至 7 人，减少 3 人');
    expect(lines[2]!.reason).toBe('数学：全县名次由 5 升至 3，上升 2 名');
  });

  it('class: rank unchanged at 12, ratio 20 % → 17.5 % (−2.5 points) → the ≥ 2 points tier', () => {
    // class award: −2.5 < 3 and rank 12 > 8 → none; count reduction 1 × 20; same-rank tier ≥ 2 → 100
    const lines = computeAwards([unit('class', [7, 40, 12], [8, 40, 12])]);
    expect(summary(lines)).toEqual([['人数减少奖', 20], ['名次不变比例下降奖', 100]]);
    expect(lines[1]!.reason).toBe('总分：全县名次 12 未变，比例变化 -2.50 个百分点（达到 ≥ 2 个百分点档）');
  });

  it('decides "fell by at least 3 points" exactly (20 % → 17 %)', () => {
    // 5/25 − 17/100 = 0.03 exactly; in floating point 0.2 − 0.17 = 0.030000000000000027, so do it in integers
    const u = unit('class', [17, 100, 12], [5, 25, 12]);
    expect(droppedAtLeast(u, u.previous!, 3)).toBe(true);
    expect(droppedAtLeast(u, u.previous!, 3.001)).toBe(false);
    // class award (−3 ≥ 3) 300; count reduction: 17 vs 5 is MORE students (bigger class) → none; same rank tier ≥ 3 → 150
    expect(summary(computeAwards([u]))).toEqual([['班级综合奖', 300], ['名次不变比例下降奖', 150]]);
  });

  it('caps count reduction and rank rise at 200', () => {
    // 15 fewer × 20 = 300 → 200; 40 places × 10 = 400 → 200; −15 points → single-subject 200
    expect(summary(computeAwards([unit('teacher', [5, 100, 10], [20, 100, 50])]))).toEqual([['学科单项奖', 200], ['人数减少奖', 200], ['名次上升奖', 200]]);
  });

  it('without a previous exam only the rank-based single-subject award can apply', () => {
    expect(summary(computeAwards([unit('teacher', [1, 50, 8], null), unit('teacher', [1, 50, 9], null)]))).toEqual([['学科单项奖', 200]]);
  });

  it('gives nothing when things got worse; class rows of other subjects are ignored', () => {
    expect(computeAwards([unit('teacher', [12, 50, 20], [10, 50, 15])])).toEqual([]);
    expect(computeAwards([unit('class', [1, 50, 1], [10, 50, 9], '语文')])).toEqual([]);
  });

  it('follows a configured table: in-school ranks and other tiers', () => {
    const table: RewardTable = {
      rankScope: 'school',
      classSubject: '总分',
      rules: [{ kind: 'same_rank_ratio_drop', name: '进步奖', recipients: ['class'], tiers: [{ minDropPoints: 0.5, amount: 30 }, { minDropPoints: 5, amount: 80 }] }],
    };
    // −1 point, in-school rank 2 → 2: tier ≥ 0.5 → 30; teachers are not recipients of this rule
    expect(summary(computeAwards([unit('class', [9, 100, 2], [10, 100, 2]), unit('teacher', [9, 100, 2], [10, 100, 2])], table))).toEqual([['进步奖', 30]]);
  });
});

describe('awards through analyseExam', () => {
  it('rewards class A1 and its 数学 teacher after s0 improves (see analyse.test.ts for the arithmetic)', () => {
    const first = analyseExam(fixtureInput());
    const input = fixtureInput({ previous: snapshotOf(first), rewards: DEFAULT_REWARD_TABLE });
    const maths = Float64Array.from(input.subjects[1]!.scores);
    maths[0] = 75;
    maths[13] = 80;
    input.subjects[1]!.scores = maths;
    const r = analyseExam(input);
    const a1 = r.awards.filter((l) => l.key === 'A1').map((l) => [l.ruleName, l.amount]);
    // A1 总分: 2/6 (rank 3) → 1/6 (rank 1): −16.67 points → class award 300 (also rank 1 ≤ 8); 1 fewer → 20; 2 places → 20
    expect(a1).toEqual([['班级综合奖', 300], ['人数减少奖', 20], ['名次上升奖', 20]]);
    // T3 (数学, A1): the 数学 cut moved to 55.5, so s2 replaced s0 in the group: 2/6 → 2/6, rank 3 → 3.
    // No change-based award; only the single-subject award by rank (3 ≤ 8) in this tiny county
    const t3 = r.awards.filter((l) => l.key === 'T3');
    expect(t3.map((l) => [l.ruleName, l.amount, l.reason])).toEqual([['学科单项奖', 200, '数学：全县名次 3（前 8 名）']]);
  });
});
