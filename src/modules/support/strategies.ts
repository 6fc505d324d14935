// Strategy follows cause (000 范文1 三(三)2(3) 对策落实): the suggested measures for each cause of
// the analysis scale (分析量表), on the teaching line (教学线) and the moral-education line (德育线).
// Pure; the school edits what it keeps (support_cases.analysis.strategies).
//
//   智力 → "小步子迈进"                        行为习惯 → "多关注学习习惯的培养"
//   心理 → "多关注其性格，并实时进行心理辅导"    家庭 → "多注意学生与教师、学生与家长、教师与家长之间的沟通"
//   品德 → "通过生活化、系列化的德育活动去改变"
// with the measures the other documents add (001 篇四: 分层作业, 面批, 课上多提问课下多辅导, 一帮一;
// 001 篇六: 谈心, 电访或家访; 000 范文1: 多鼓励少批评、允许反复, 德育小组, 回归课堂).
import { CAUSES, type Cause, type StrategyItem, type StrategyLists } from './support.schemas.js';

const s = (cause: Cause, line: StrategyItem['line'], n: number, text: string): StrategyItem => ({ key: `${cause}.${line}.${n}`, cause, line, text });

export const STRATEGIES: Record<Cause, readonly StrategyItem[]> = {
  intelligence: [
    s('intelligence', 'teaching', 1, '小步子迈进：降低起点、分解目标，每次只要求前进一小步'),
    s('intelligence', 'teaching', 2, '分层作业、分层要求，作业优先批改并尽量面批'),
    s('intelligence', 'teaching', 3, '课上多提问、多关注，课后及时辅导，回顾基础知识'),
    s('intelligence', 'moral', 1, '多鼓励、少批评，允许反复，及时肯定点滴进步'),
  ],
  psychology: [
    s('psychology', 'teaching', 1, '课堂上关注其情绪与参与，提问从易到难，帮助建立信心'),
    s('psychology', 'moral', 1, '关注性格特点，定期谈心，实时进行心理辅导（必要时转介心理辅导教师）'),
    s('psychology', 'moral', 2, '安排班级心理委员或同伴关心，营造接纳的班级氛围'),
  ],
  family: [
    s('family', 'teaching', 1, '在校内完成作业辅导，弥补家庭辅导的缺失'),
    s('family', 'moral', 1, '加强学生与教师、学生与家长、教师与家长之间的沟通（家访、电访每学期不少于2次）'),
    s('family', 'moral', 2, '关心生活困难，协调资助与关爱资源，形成“在校老师帮、在家家长促”的共育局面'),
  ],
  habits: [
    s('habits', 'teaching', 1, '培养学习习惯：课前预习、课后复习、按时独立完成作业'),
    s('habits', 'teaching', 2, '每月指导学习方法，检查落实情况'),
    s('habits', 'moral', 1, '行为规范养成训练，与家长约定在家学习常规'),
    s('habits', 'moral', 2, '结成“一帮一、一对红”学习对子，同伴督促'),
  ],
  conduct: [
    s('conduct', 'teaching', 1, '在学科教学中渗透德育，明确学习目的'),
    s('conduct', 'moral', 1, '通过生活化、系列化的德育活动引导转变（德育小组、主题班会、志愿服务）'),
    s('conduct', 'moral', 2, '定期谈心，了解思想动态，及时表扬进步'),
  ],
};

/** The suggested strategies for the causes found, per line, in cause order; each once. */
export function suggestStrategies(causes: readonly Cause[]): { teaching: StrategyItem[]; moral: StrategyItem[] } {
  const found = CAUSES.filter((c) => causes.includes(c));
  const all = found.flatMap((c) => STRATEGIES[c]);
  return { teaching: all.filter((x) => x.line === 'teaching'), moral: all.filter((x) => x.line === 'moral') };
}

/** The suggestion as the editable text lists stored on a case. */
export function suggestedLists(causes: readonly Cause[]): StrategyLists {
  const s = suggestStrategies(causes);
  return { teaching: s.teaching.map((x) => x.text), moral: s.moral.map((x) => x.text) };
}
