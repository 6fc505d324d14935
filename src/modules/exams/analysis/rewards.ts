/**
 * The reward scheme of the bottom-20% programme (后20%学生帮扶成效奖励制度).
 *
 * 000 范文1 describes its structure, not its figures: "既有学科单向奖也有班级综合奖;
 * 既有人数减少奖也有名次上升奖,且梯度不同奖励额也不同;名次若无变化,比例有下降,
 * 则根据下降的幅度设置不同的奖励额". So the table is a list of configurable rules
 * of five kinds, one per phrase:
 * - single_subject (学科单项奖): a subject teacher whose bottom ratio fell by at
 *   least X points against the previous exam, or whose rank is within K;
 * - class (班级综合奖): the same test on a class's total (总分) row;
 * - count_reduction (人数减少奖): amount × students fewer in the bottom group;
 * - rank_rise (名次上升奖): amount × places risen;
 * - same_rank_ratio_drop (名次不变、比例下降奖): when the rank did not change but
 *   the ratio fell, the highest tier whose minimum drop is reached.
 * Awards stack: a teacher who qualifies under several rules gets several lines.
 *
 * {@link DEFAULT_REWARD_TABLE}'s amounts are PLACEHOLDERS (范文1 gives none):
 * the thresholds reuse the document's own numbers (−3 points a semester; top 8),
 * the money must be set by the school or the bureau before use.
 *
 * Thresholds in points are compared exactly (integer cross-multiplication,
 * rational.ts), so a fall of exactly 3.00 points qualifies for "≥ 3".
 */
import type { RatioChange } from './change.js';
import { fellByAtLeast, signedPoints } from './rational.js';

export type Recipient = 'teacher' | 'class';

export type AwardRule =
  | {
      kind: 'single_subject';
      name: string;
      /** qualifies when the ratio fell by at least this many points; null = not used */
      minDropPoints: number | null;
      /** or when the rank is at most this; null = not used */
      maxRank: number | null;
      amount: number;
    }
  | {
      kind: 'class';
      name: string;
      minDropPoints: number | null;
      maxRank: number | null;
      amount: number;
    }
  | {
      kind: 'count_reduction';
      name: string;
      recipients: Recipient[];
      amountPerStudent: number;
      /** cap per line; null = no cap */
      maxAmount: number | null;
    }
  | {
      kind: 'rank_rise';
      name: string;
      recipients: Recipient[];
      amountPerPlace: number;
      maxAmount: number | null;
    }
  | {
      kind: 'same_rank_ratio_drop';
      name: string;
      recipients: Recipient[];
      /** the highest tier whose minDropPoints is reached applies */
      tiers: Array<{ minDropPoints: number; amount: number }>;
    };

export interface RewardTable {
  /** which rank the rules read: the county rank among units of the level (default), or the rank within the school */
  rankScope: 'county' | 'school';
  /** the subject row a class is judged on; default 总分 (班级综合) */
  classSubject: string;
  rules: AwardRule[];
}

/** See the module comment: structure from 范文1, amounts are placeholders in 元. */
export const DEFAULT_REWARD_TABLE: RewardTable = {
  rankScope: 'county',
  classSubject: '总分',
  rules: [
    { kind: 'single_subject', name: '学科单项奖', minDropPoints: 3, maxRank: 8, amount: 200 },
    { kind: 'class', name: '班级综合奖', minDropPoints: 3, maxRank: 8, amount: 300 },
    { kind: 'count_reduction', name: '人数减少奖', recipients: ['teacher', 'class'], amountPerStudent: 20, maxAmount: 200 },
    { kind: 'rank_rise', name: '名次上升奖', recipients: ['teacher', 'class'], amountPerPlace: 10, maxAmount: 200 },
    {
      kind: 'same_rank_ratio_drop',
      name: '名次不变比例下降奖',
      recipients: ['teacher', 'class'],
      tiers: [
        { minDropPoints: 1, amount: 50 },
        { minDropPoints: 2, amount: 100 },
        { minDropPoints: 3, amount: 150 },
      ],
    },
  ],
};

/** A teacher's subject row or a class's row, with its comparison to the previous exam. */
export interface RewardUnit {
  recipient: Recipient;
  key: string;
  name: string;
  subject: string;
  bottom: number;
  enrolled: number;
  /** county rank among units of the level; 0 = unranked */
  rank: number;
  /** rank within the school; 0 = unranked */
  rankInSchool: number;
  /** against the previous comparable exam (change.ts); null = not measurable */
  previous: RatioChange | null;
}

export interface AwardLine {
  recipient: Recipient;
  key: string;
  name: string;
  subject: string;
  kind: AwardRule['kind'];
  ruleName: string;
  amount: number;
  /** 中文理由 */
  reason: string;
}

/** Whether the ratio fell by at least `points` percentage points against the previous exam, decided exactly. */
export function droppedAtLeast(unit: { bottom: number; enrolled: number }, previous: RatioChange, points: number): boolean {
  return fellByAtLeast(unit.bottom, unit.enrolled, previous.bottom, previous.enrolled, points);
}

/** Award lines for the given units under a table. */
export function computeAwards(units: Iterable<RewardUnit>, table: RewardTable = DEFAULT_REWARD_TABLE): AwardLine[] {
  const lines: AwardLine[] = [];
  const scopeZh = table.rankScope === 'county' ? '全县' : '校内';
  for (const unit of units) {
    if (unit.enrolled <= 0) continue;
    const isClassRow = unit.recipient === 'class';
    if (isClassRow && unit.subject !== table.classSubject) continue;
    const prev = unit.previous;
    const rank = table.rankScope === 'county' ? unit.rank : unit.rankInSchool;
    const rise = prev ? (table.rankScope === 'county' ? prev.rankRise : prev.rankInSchoolRise) : null;
    const dropText = prev ? `比例变化 ${signedPoints(prev.points)} 个百分点` : '';
    const add = (rule: AwardRule, amount: number, reason: string) => {
      if (amount > 0) lines.push({ recipient: unit.recipient, key: unit.key, name: unit.name, subject: unit.subject, kind: rule.kind, ruleName: rule.name, amount, reason });
    };
    for (const rule of table.rules) {
      switch (rule.kind) {
        case 'single_subject':
        case 'class': {
          if ((rule.kind === 'class') !== isClassRow) break;
          const byDrop = rule.minDropPoints !== null && prev !== null && droppedAtLeast(unit, prev, rule.minDropPoints);
          const byRank = rule.maxRank !== null && rank > 0 && rank <= rule.maxRank;
          if (byDrop || byRank) {
            const why = [
              byDrop ? `${dropText}（≥ ${rule.minDropPoints} 个百分点的下降）` : '',
              byRank ? `${scopeZh}名次 ${rank}（前 ${rule.maxRank} 名）` : '',
            ].filter(Boolean);
            add(rule, rule.amount, `${unit.subject}：${why.join('，')}`);
          }
          break;
        }
        case 'count_reduction': {
          if (!rule.recipients.includes(unit.recipient) || !prev || prev.bottomChange >= 0) break;
          const fewer = -prev.bottomChange;
          const amount = cap(fewer * rule.amountPerStudent, rule.maxAmount);
          add(rule, amount, `${unit.subject}：后20%人数由 ${prev.bottom} 人减至 ${unit.bottom} 人，减少 ${fewer} 人`);
          break;
        }
        case 'rank_rise': {
          if (!rule.recipients.includes(unit.recipient) || rise === null || rise <= 0) break;
          const amount = cap(rise * rule.amountPerPlace, rule.maxAmount);
          add(rule, amount, `${unit.subject}：${scopeZh}名次由 ${rank + rise} 升至 ${rank}，上升 ${rise} 名`);
          break;
        }
        case 'same_rank_ratio_drop': {
          if (!rule.recipients.includes(unit.recipient) || !prev || rise !== 0 || prev.points >= 0) break;
          let best: { minDropPoints: number; amount: number } | null = null;
          for (const tier of rule.tiers) {
            if (droppedAtLeast(unit, prev, tier.minDropPoints) && (!best || tier.minDropPoints > best.minDropPoints)) best = tier;
          }
          if (best) add(rule, best.amount, `${unit.subject}：${scopeZh}名次 ${rank} 未变，${dropText}（达到 ≥ ${best.minDropPoints} 个百分点档）`);
          break;
        }
      }
    }
  }
  return lines;
}

function cap(amount: number, max: number | null): number {
  return max === null ? amount : Math.min(amount, max);
}
