// Quotas as data: "who must do which activity how often, in which period, optionally only in
// a calendar window". Every programme (师生结对, 师徒结对, 校校结对, 学习共同体, 家访 …) is a
// set of these rules plus its own screens; the engine (standing.ts) evaluates any of them.
import { isMonthDay, PERIOD_KINDS, PERIOD_LABELS, type MonthDay, type PeriodKind } from './calendar.js';
import { daysInMonth, partsOf, weekdayOf, type DayNumber } from './dates.js';

/** Who must do it: the pairing's helper side, its helped side, or a named role of the programme. */
export type QuotaRole = 'helper' | 'helped' | (string & {});

/**
 * Only these days count (and only these days are occasions to do it):
 * - months: e.g. [3,4,5,10,11,12] for 送教 in March–May and October–December;
 * - fromMonthDay/toMonthDay: inclusive, may wrap the new year ('12-01' → '02-28');
 * - nthWeekdayOfMonth: one day a month, e.g. { n: 2, weekday: 5 } = the second Friday; n = -1 is the last.
 */
export type QuotaWindow =
  | { months: readonly number[] }
  | { fromMonthDay: MonthDay; toMonthDay: MonthDay }
  | { nthWeekdayOfMonth: { n: 1 | 2 | 3 | 4 | 5 | -1; weekday: 1 | 2 | 3 | 4 | 5 | 6 | 7 } };

export interface Quota {
  id: string;
  /** Activity types that count; several when the rule says "phone or home visit" (电访或家访). */
  activityTypes: readonly string[];
  /** The role credited on the activity record (who did it). */
  role: QuotaRole;
  minCount: number;
  period: PeriodKind;
  window?: QuotaWindow;
  /** How many can happen on one occasion day, for "can it still be met?". Default 1 (lesson observations: several a day). */
  maxPerDay?: number;
  /** Which days are occasions to catch up: school days (default) or any day (phone calls, home visits at weekends). */
  occasions?: 'school_days' | 'any_day';
  /**
   * Evaluate separately for each participant holding this role, counting the activities that
   * name them: { role: 'helper', each: 'helped' } = the teacher must visit every student.
   */
  each?: QuotaRole;
  /** Chinese label, e.g. '谈心谈话（每两周1次）'. */
  label: string;
  /** Where the rule comes from. */
  source?: string;
}

/** Activity types named by the source documents, with their Chinese names. Programmes may add their own. */
export const ACTIVITY_TYPES = {
  talk: '谈心谈话',
  study_guidance: '学习方法指导',
  phone_visit: '电话家访',
  home_visit: '家访',
  reflection_essay: '帮扶心得体会',
  guidance: '业务指导',
  lesson_observation: '听课',
  public_lesson: '公开课',
  lesson_plan_check: '检查教案',
  midterm_evaluation: '期中教学评估',
  semester_summary: '学期阶段性总结',
  study_reflection: '学习心得体会',
  demonstration_lesson: '示范课/交流研讨课',
  observation_visit: '组织教师听课评课',
  management_lecture: '学校管理讲座',
  sending_teaching: '送教',
  joint_research: '教科研课题交流',
  manager_exchange: '管理干部交流',
  teacher_exchange: '教师交流',
  principals_meeting: '校长例会',
  collective_preparation: '集体备课',
  open_classroom_week: '骨干教师开放课堂周',
  art_pe_teaching: '音体美教师支教',
} as const satisfies Record<string, string>;
export type KnownActivityType = keyof typeof ACTIVITY_TYPES;

export const ROLE_LABELS: Record<string, string> = { helper: '帮扶方', helped: '受助方' };

const q = (quota: Quota): Quota => quota;

/**
 * The rules the source documents name, as data (ids are stable: saved standings refer to them).
 * Sources: seeds/000 教师的帮扶计划范文3、范文6; seeds/001 学校结对帮扶工作方案篇二、篇五、篇六;
 * seeds/003 中学贫困生帮扶工作计划范文第1篇、第5篇.
 */
export const DEFAULT_QUOTAS = {
  /** 师生结对 — 001 篇六 第5、6、8条. */
  teacherStudent: [
    // "每两周找帮扶学生谈话一次"
    q({ id: 'ts.talk.fortnight', activityTypes: ['talk'], role: 'helper', minCount: 1, period: 'two_weeks', label: '谈心谈话（每两周1次）', source: '001 篇六 第6条' }),
    // "一学期找学生谈话不少于10次，且有每次谈话记录"
    q({ id: 'ts.talk.semester', activityTypes: ['talk'], role: 'helper', minCount: 10, period: 'semester', label: '谈心谈话（每学期不少于10次）', source: '001 篇六 第6条' }),
    // "每位教师每月对学生的学习方法指导一次"
    q({ id: 'ts.study_guidance', activityTypes: ['study_guidance'], role: 'helper', minCount: 1, period: 'month', label: '学习方法指导（每月1次）', source: '001 篇六 第6条' }),
    // "全学期电访或家访不少于2次 … 做好家访工作记录"; calls and visits happen at weekends too
    q({ id: 'ts.home_contact', activityTypes: ['phone_visit', 'home_visit'], role: 'helper', minCount: 2, period: 'semester', occasions: 'any_day', label: '电访或家访（每学期不少于2次）', source: '001 篇六 第5条' }),
    // "帮扶领导和教师每学期要写一篇…帮扶转化心得体会"
    q({ id: 'ts.reflection', activityTypes: ['reflection_essay'], role: 'helper', minCount: 1, period: 'semester', occasions: 'any_day', label: '帮扶心得体会（每学期1篇）', source: '001 篇六 第8条' }),
  ],
  /** 师徒结对（青蓝工程） — 000 范文3. */
  mentoring: [
    // "进行业务指导每周不少于1次"
    q({ id: 'm.guidance', activityTypes: ['guidance'], role: 'helper', minCount: 1, period: 'week', label: '业务指导（每周不少于1次）', source: '000 范文3 青年教师第5条' }),
    // "要求双方互相听课每月不少于4节" — each way; several lessons can be observed in a day
    q({ id: 'm.observe.mentor_month', activityTypes: ['lesson_observation'], role: 'helper', minCount: 4, period: 'month', maxPerDay: 3, label: '师傅听徒弟的课（每月不少于4节）', source: '000 范文3 青年教师第5条' }),
    q({ id: 'm.observe.apprentice_month', activityTypes: ['lesson_observation'], role: 'helped', minCount: 4, period: 'month', maxPerDay: 3, label: '徒弟听师傅的课（每月不少于4节）', source: '000 范文3 青年教师第5条' }),
    // "每学期听课不少于25节"
    q({ id: 'm.observe.apprentice_semester', activityTypes: ['lesson_observation'], role: 'helped', minCount: 25, period: 'semester', maxPerDay: 3, label: '徒弟听课（每学期不少于25节）', source: '000 范文3 青年教师第6条' }),
    // "一学期至少上好一堂公开课"
    q({ id: 'm.public_lesson', activityTypes: ['public_lesson'], role: 'helped', minCount: 1, period: 'semester', label: '徒弟上公开课（每学期至少1节）', source: '000 范文3 青年教师第5条' }),
    // "每学期期中期末各有一份学习心得体会"
    q({ id: 'm.study_reflection', activityTypes: ['study_reflection'], role: 'helped', minCount: 2, period: 'semester', occasions: 'any_day', label: '徒弟学习心得体会（每学期期中、期末各1份）', source: '000 范文3 青年教师第3条' }),
    // "指导备课、上课、课后反思、每月检查教案等"
    q({ id: 'm.lesson_plan_check', activityTypes: ['lesson_plan_check'], role: 'helper', minCount: 1, period: 'month', label: '师傅检查教案（每月1次）', source: '000 范文3 指导老师第2条' }),
    // "指导老师对结对帮扶的教师有期中教学评估，学期结束时有阶段性总结"
    q({ id: 'm.midterm_evaluation', activityTypes: ['midterm_evaluation'], role: 'helper', minCount: 1, period: 'semester', label: '期中教学评估（每学期1次）', source: '000 范文3 指导老师第6条' }),
    q({ id: 'm.semester_summary', activityTypes: ['semester_summary'], role: 'helper', minCount: 1, period: 'semester', occasions: 'any_day', label: '学期阶段性总结（每学期1份）', source: '000 范文3 指导老师第6条' }),
  ],
  /** 师徒结对（特岗教师培养） — 000 范文6 第2条; the mentor also reviews every lesson plan (not a count). */
  mentoringSpecialPost: [
    // "每位师傅每学期须听徒弟的教研课不少于10节，每位徒弟听师傅的教研课不少于15节"
    q({ id: 'msp.observe.mentor', activityTypes: ['lesson_observation'], role: 'helper', minCount: 10, period: 'semester', maxPerDay: 3, label: '师傅听徒弟教研课（每学期不少于10节）', source: '000 范文6 第2条' }),
    q({ id: 'msp.observe.apprentice', activityTypes: ['lesson_observation'], role: 'helped', minCount: 15, period: 'semester', maxPerDay: 3, label: '徒弟听师傅教研课（每学期不少于15节）', source: '000 范文6 第2条' }),
  ],
  /** 校校结对 — 001 篇二、篇五; 003 范文第1篇. The 2-week 挂职 of managers is a duration, not a count. */
  schoolPairing: [
    // "每学期至少2次派出优秀教师到…上交流研讨课、示范课"
    q({ id: 'sp.demonstration_lesson', activityTypes: ['demonstration_lesson'], role: 'helper', minCount: 2, period: 'semester', label: '派教师上示范课（每学期至少2次）', source: '001 篇二' }),
    // "互派教师观摩，每学期至少2次组织教师听课、评课"
    q({ id: 'sp.observation_visit', activityTypes: ['observation_visit'], role: 'helped', minCount: 2, period: 'semester', label: '组织教师听课评课（每学期至少2次）', source: '001 篇二' }),
    // "校长每学年到结对学校开设2次有关学校管理经验的讲座"
    q({ id: 'sp.management_lecture', activityTypes: ['management_lecture'], role: 'helper', minCount: 2, period: 'school_year', label: '校长管理讲座（每学年2次）', source: '001 篇五 四.1' }),
    // "在每年3至5月份和10至12月份分别组织优秀教师送教活动" — once in each semester's window
    q({ id: 'sp.sending_teaching', activityTypes: ['sending_teaching'], role: 'helper', minCount: 1, period: 'semester', window: { months: [3, 4, 5, 10, 11, 12] }, label: '送教（3—5月、10—12月各1次）', source: '001 篇五 四.2' }),
    // "每年确定一至二个教科研课题进行交流切磋"
    q({ id: 'sp.joint_research', activityTypes: ['joint_research'], role: 'helper', minCount: 1, period: 'school_year', occasions: 'any_day', label: '教科研课题交流（每学年1—2个）', source: '001 篇五 四.3' }),
    // "每学年对等交换1名中层以上管理干部和不少于2名优秀教师" — both ways (对等)
    q({ id: 'sp.manager_exchange.helper', activityTypes: ['manager_exchange'], role: 'helper', minCount: 1, period: 'school_year', occasions: 'any_day', label: '派出管理干部交流（每学年1名）', source: '003 范文第1篇' }),
    q({ id: 'sp.manager_exchange.helped', activityTypes: ['manager_exchange'], role: 'helped', minCount: 1, period: 'school_year', occasions: 'any_day', label: '派出管理干部交流（每学年1名）', source: '003 范文第1篇' }),
    q({ id: 'sp.teacher_exchange.helper', activityTypes: ['teacher_exchange'], role: 'helper', minCount: 2, period: 'school_year', occasions: 'any_day', label: '派出优秀教师交流（每学年不少于2名）', source: '003 范文第1篇' }),
    q({ id: 'sp.teacher_exchange.helped', activityTypes: ['teacher_exchange'], role: 'helped', minCount: 2, period: 'school_year', occasions: 'any_day', label: '派出教师交流（每学年不少于2名）', source: '003 范文第1篇' }),
  ],
  /** 学习共同体 (龙头校 = helper, 成员校 = helped) — 003 范文第5篇. */
  learningCommunity: [
    // "中心校月初召开校长例会"
    q({ id: 'lc.principals_meeting', activityTypes: ['principals_meeting'], role: 'helper', minCount: 1, period: 'month', label: '校长例会（每月1次）', source: '003 范文第5篇' }),
    // "集体备课以中心校为单位，每月第二周的周五下午集中活动" — read as the month's second Friday
    q({ id: 'lc.collective_preparation', activityTypes: ['collective_preparation'], role: 'helper', minCount: 1, period: 'month', window: { nthWeekdayOfMonth: { n: 2, weekday: 5 } }, label: '集体备课（每月第二个周五下午）', source: '003 范文第5篇' }),
    // "各校的骨干教师每个学期对外开放课堂教学一周"
    q({ id: 'lc.open_classroom.helper', activityTypes: ['open_classroom_week'], role: 'helper', minCount: 1, period: 'semester', label: '骨干教师开放课堂一周（每学期）', source: '003 范文第5篇' }),
    q({ id: 'lc.open_classroom.helped', activityTypes: ['open_classroom_week'], role: 'helped', minCount: 1, period: 'semester', label: '骨干教师开放课堂一周（每学期）', source: '003 范文第5篇' }),
    // "要求…小学的音体美教师每周到所帮扶学校支教"
    q({ id: 'lc.art_pe_teaching', activityTypes: ['art_pe_teaching'], role: 'helper', minCount: 1, period: 'week', label: '音体美教师到成员校支教（每周）', source: '003 范文第5篇' }),
  ],
  /** 家校联系 — 003 范文第5篇: "保证每学期对每一名学生家访一次", with a visit form. */
  homeVisit: [
    q({ id: 'hv.each_student', activityTypes: ['home_visit'], role: 'helper', each: 'helped', minCount: 1, period: 'semester', occasions: 'any_day', label: '家访每一名学生（每学期1次）', source: '003 范文第5篇' }),
  ],
} as const satisfies Record<string, readonly Quota[]>;
export type DefaultQuotaSet = keyof typeof DEFAULT_QUOTAS;

/** Does the window let this day count? No window: every day. */
export function windowContains(window: QuotaWindow | undefined, day: DayNumber): boolean {
  if (!window) return true;
  const p = partsOf(day);
  if ('months' in window) return window.months.includes(p.month);
  if ('fromMonthDay' in window) {
    const md = `${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
    const { fromMonthDay: from, toMonthDay: to } = window;
    return from <= to ? md >= from && md <= to : md >= from || md <= to;
  }
  const { n, weekday } = window.nthWeekdayOfMonth;
  if (weekdayOf(day) !== weekday) return false;
  return n === -1 ? p.day + 7 > daysInMonth(p.year, p.month) : Math.ceil(p.day / 7) === n;
}

/** Problems with a quota, in Chinese; empty when valid. */
export function validateQuota(quota: Quota): string[] {
  const problems: string[] = [];
  const name = quota.label || quota.id || '（未命名）';
  if (!quota.id) problems.push('配额缺少编号');
  if (!quota.label) problems.push(`配额 ${quota.id} 缺少中文名称`);
  if (!Array.isArray(quota.activityTypes) || quota.activityTypes.length === 0 || quota.activityTypes.some((t) => !t)) {
    problems.push(`${name}：至少要指定一种活动类型`);
  }
  if (!quota.role) problems.push(`${name}：缺少由谁完成（角色）`);
  if (!Number.isInteger(quota.minCount) || quota.minCount < 1) problems.push(`${name}：最少次数应为正整数`);
  if (!PERIOD_KINDS.includes(quota.period)) problems.push(`${name}：周期无效`);
  if (quota.maxPerDay !== undefined && (!Number.isInteger(quota.maxPerDay) || quota.maxPerDay < 1)) {
    problems.push(`${name}：每天最多次数应为正整数`);
  }
  if (quota.occasions !== undefined && quota.occasions !== 'school_days' && quota.occasions !== 'any_day') {
    problems.push(`${name}：可补做的日子应为上课日或任意日`);
  }
  const w = quota.window;
  if (w) {
    if ('months' in w) {
      if (w.months.length === 0 || w.months.some((m) => !Number.isInteger(m) || m < 1 || m > 12)) problems.push(`${name}：时间窗口的月份应为 1—12`);
    } else if ('fromMonthDay' in w) {
      if (!isMonthDay(w.fromMonthDay) || !isMonthDay(w.toMonthDay)) problems.push(`${name}：时间窗口的起止月日无效（应为 MM-DD）`);
    } else if ('nthWeekdayOfMonth' in w) {
      const { n, weekday } = w.nthWeekdayOfMonth;
      if (![1, 2, 3, 4, 5, -1].includes(n) || !Number.isInteger(weekday) || weekday < 1 || weekday > 7) {
        problems.push(`${name}：每月第几个星期几的设置无效`);
      }
    } else {
      problems.push(`${name}：时间窗口无效`);
    }
  }
  return problems;
}

/** '每学期不少于10次' — the rule in words, for screens that list a programme's quotas. */
export function describeQuota(quota: Quota): string {
  return `${PERIOD_LABELS[quota.period]}不少于${quota.minCount}次`;
}
