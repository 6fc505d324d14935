// Programmes as data: the default ones (seeded by migration 0006, see docs/pairings.md) and
// the checks every programme definition must pass. Pure: no database, no HTTP.
import { ACTIVITY_TYPES, DEFAULT_QUOTAS, validateQuota, type Quota } from './engine/quota.js';
import type { ActivityTypeDef, FieldDef, ProgrammeDefinition, ProgrammeRole } from './pairings.schemas.js';

const t = (key: keyof typeof ACTIVITY_TYPES, roles?: string[], fields: FieldDef[] = [], confidential: ActivityTypeDef['confidential'] = 'optional'): ActivityTypeDef => ({
  key,
  label: ACTIVITY_TYPES[key],
  ...(roles ? { roles } : {}),
  fields,
  confidential,
});

const text = (key: string, label: string, required = false): FieldDef => ({ key, label, type: 'text', ...(required ? { required } : {}) });
const area = (key: string, label: string, required = false): FieldDef => ({ key, label, type: 'textarea', ...(required ? { required } : {}) });

// The visit form the documents ask for (001 篇六 第5条 "做好家访工作记录"; issue 4: who was met, the home situation, what was agreed).
const VISIT_FORM: FieldDef[] = [
  text('met', '见到的家长/监护人', true),
  area('home_situation', '家庭情况'),
  area('agreed', '商定事项'),
];
const LESSON: FieldDef[] = [text('subject', '学科'), text('lesson_title', '课题'), text('class_name', '班级')];

const pick = (key: string, label: string, options: string[], required = false): FieldDef => ({ key, label, type: 'select', options, ...(required ? { required } : {}) });

/**
 * 师生结对 record forms (issue 4; 000 范文1 "课内帮扶与课外帮扶、校内帮扶与校外帮扶、生活上的帮扶与学习上的帮扶、
 * 习惯帮扶与心理帮扶、作业帮扶与能力帮扶"; "帮扶的学科教师与被帮扶的学生都有记录，便于进行跟踪、核对").
 * The student's side (student_record) is credited to the helped role: entered by 教导处 from the
 * student's weekly record book, never by the teacher whose work it checks.
 */
export const TEACHER_STUDENT_TYPES: ActivityTypeDef[] = [
  t('talk', ['helper'], [text('topic', '谈话主题'), area('result', '效果')]),
  {
    key: 'tutoring',
    label: '辅导',
    roles: ['helper'],
    fields: [
      text('subject', '学科', true),
      pick('setting', '课内/课外', ['课内', '课外'], true),
      pick('place', '校内/校外', ['校内', '校外']),
      pick('area', '学习/生活', ['学习', '生活']),
      pick('aspect', '习惯/心理', ['习惯', '心理']),
      pick('focus', '作业/能力', ['作业', '能力']),
      area('result', '效果'),
    ],
    confidential: 'optional',
  },
  t('study_guidance', ['helper'], [text('subject', '学科'), text('method', '指导的学习方法')]),
  t('phone_visit', ['helper'], [text('met', '通话对象', true), area('home_situation', '家庭情况'), area('agreed', '商定事项')]),
  t('home_visit', ['helper'], VISIT_FORM),
  { key: 'psych_support', label: '心理辅导', roles: ['helper'], fields: [text('topic', '主题')], confidential: 'always' },
  {
    key: 'student_record',
    label: '学生帮扶记录（核对）',
    roles: ['helped'],
    fields: [pick('kind', '帮扶方式', ['辅导', '谈心', '学习方法指导', '家访/电访', '其他'], true), text('subject', '学科')],
    confidential: 'never',
  },
  t('reflection_essay', ['helper']),
];

const teacherStudentRoles: ProgrammeRole[] = [
  { key: 'helper', label: '帮扶教师', side: 'helper', kind: 'teacher', min: 1, max: 1 },
  { key: 'helped', label: '帮扶学生', side: 'helped', kind: 'student', min: 1, max: 1 },
];
const mentoringRoles: ProgrammeRole[] = [
  { key: 'helper', label: '指导教师（师傅）', side: 'helper', kind: 'teacher', min: 1, max: 1 },
  { key: 'helped', label: '青年教师（徒弟）', side: 'helped', kind: 'teacher', min: 1, max: 1 },
];
/** A mutable copy of a default set (the stored JSON is edited by the bureau, the engine's constants never are). */
const quotas = (list: readonly Quota[]): ProgrammeDefinition['quotas'] => list.map((q) => structuredClone(q) as ProgrammeDefinition['quotas'][number]);

/**
 * The programmes of the source documents (DOMAIN.md, "The one idea under everything"), with the
 * engine's DEFAULT_QUOTAS. Migration 0006 inserts exactly these (tests/integration/pairings-programmes.test.ts
 * compares); a bureau edits them afterwards through PUT /api/programmes/:key.
 */
export const DEFAULT_PROGRAMMES: ProgrammeDefinition[] = [
  {
    key: 'teacher_student',
    name: '师生结对帮扶',
    description: '每位教师结对帮扶1—2名学生（学困生、贫困生、留守儿童等），一对一：一个结对即一名教师与一名学生。规则见 001 篇四、篇六。',
    roles: teacherStudentRoles,
    // migration 0009 (support cases) brought the stored definition to this one: the support session
    // with the five dimensions, the visit form on phone visits too, 心理辅导 (always confidential)
    // and the student's own record for cross-checking (docs/support.md)
    activityTypes: TEACHER_STUDENT_TYPES,
    quotas: quotas(DEFAULT_QUOTAS.teacherStudent),
    active: true,
  },
  {
    key: 'peer',
    name: '生生结对（一帮一）',
    description: '品学兼优的学生或班干部与学习困难的学生一帮一、一对红，假期通过电话、网络继续。文件未规定次数：配额由教育局按需设置。',
    roles: [
      { key: 'helper', label: '帮扶学生', side: 'helper', kind: 'student', min: 1, max: 1 },
      { key: 'helped', label: '受助学生', side: 'helped', kind: 'student', min: 1, max: 1 },
    ],
    activityTypes: [
      { key: 'peer_tutoring', label: '结对辅导', fields: [text('subject', '学科'), { key: 'online', label: '电话/网络辅导', type: 'boolean' }], confidential: 'never' },
    ],
    quotas: [],
    active: true,
  },
  {
    key: 'mentoring',
    name: '师徒结对（青蓝工程）',
    description: '指导教师与教龄三年以内的青年教师结对，双向选择，最好在同一教研组；一名师傅带多名徒弟即多个结对。规则见 000 范文3。',
    roles: mentoringRoles,
    activityTypes: [
      t('guidance', ['helper']),
      t('lesson_observation', ['helper', 'helped'], LESSON, 'never'),
      t('public_lesson', ['helped'], LESSON, 'never'),
      t('study_reflection', ['helped']),
      t('lesson_plan_check', ['helper']),
      t('midterm_evaluation', ['helper']),
      t('semester_summary', ['helper']),
    ],
    quotas: quotas(DEFAULT_QUOTAS.mentoring),
    active: true,
  },
  {
    key: 'mentoring_special_post',
    name: '师徒结对（特岗教师培养）',
    description: '特岗教师的师徒结对：师傅听徒弟教研课、徒弟听师傅教研课。规则见 000 范文6。',
    roles: mentoringRoles,
    activityTypes: [t('lesson_observation', ['helper', 'helped'], LESSON, 'never')],
    quotas: quotas(DEFAULT_QUOTAS.mentoringSpecialPost),
    active: true,
  },
  {
    key: 'school_pairing',
    name: '校校结对',
    description: '支援学校（城区、优质学校）与受援学校（农村、薄弱学校）结对；一对多即多个结对。规则见 001 篇二、篇五，003 范文第1篇。',
    roles: [
      { key: 'helper', label: '支援学校', side: 'helper', kind: 'school', min: 1, max: 1 },
      { key: 'helped', label: '受援学校', side: 'helped', kind: 'school', min: 1, max: 1 },
    ],
    activityTypes: [
      t('demonstration_lesson', ['helper'], [text('teachers', '授课教师'), ...LESSON.slice(0, 2)], 'never'),
      t('observation_visit', ['helped'], [{ key: 'people', label: '参加人数', type: 'integer', min: 1, max: 1000 }], 'never'),
      t('management_lecture', ['helper'], [text('topic', '讲座题目')], 'never'),
      t('sending_teaching', ['helper'], [text('teachers', '送教教师'), text('subject', '学科')], 'never'),
      t('joint_research', ['helper', 'helped'], [text('topic', '课题名称')], 'never'),
      t('manager_exchange', ['helper', 'helped'], [text('person', '交流人员', true)], 'never'),
      t('teacher_exchange', ['helper', 'helped'], [text('person', '交流人员', true)], 'never'),
    ],
    quotas: quotas(DEFAULT_QUOTAS.schoolPairing),
    active: true,
  },
  {
    key: 'learning_community',
    name: '学习共同体',
    description: '一所龙头校带若干成员校，捆绑式考核：成员校一方的配额合并计数。规则见 003 范文第5篇。',
    roles: [
      { key: 'helper', label: '龙头校', side: 'helper', kind: 'school', min: 1, max: 1 },
      { key: 'helped', label: '成员校', side: 'helped', kind: 'school', min: 1, max: 10 },
    ],
    activityTypes: [
      t('principals_meeting', ['helper'], [text('topic', '议题')], 'never'),
      t('collective_preparation', ['helper'], [text('subject', '学科')], 'never'),
      t('open_classroom_week', ['helper', 'helped'], [text('teachers', '开放课堂的教师')], 'never'),
      t('art_pe_teaching', ['helper'], [text('teacher', '支教教师'), text('subject', '学科')], 'never'),
    ],
    quotas: quotas(DEFAULT_QUOTAS.learningCommunity),
    active: true,
  },
  {
    key: 'home_visit',
    name: '家校联系（家访）',
    description: '教师每学期对每一名学生家访一次，并填写家访表。一个结对即一名教师与其负责的学生。规则见 003 范文第5篇。',
    roles: [
      { key: 'helper', label: '家访教师', side: 'helper', kind: 'teacher', min: 1, max: 1 },
      { key: 'helped', label: '学生', side: 'helped', kind: 'student', min: 1, max: 100 },
    ],
    activityTypes: [t('home_visit', ['helper'], VISIT_FORM)],
    quotas: quotas(DEFAULT_QUOTAS.homeVisit),
    active: true,
  },
  {
    key: 'dispatch',
    name: '支教',
    description: '优质学校教师到农村受援学校支教一学期或一学年。文件未规定次数：配额由教育局按需设置。',
    roles: [
      { key: 'dispatched_teacher', label: '支教教师', side: 'helper', kind: 'teacher', min: 1, max: 1 },
      { key: 'recipient_school', label: '受援学校', side: 'helped', kind: 'school', min: 1, max: 1 },
    ],
    activityTypes: [
      { key: 'dispatch_teaching', label: '支教上课', roles: ['dispatched_teacher'], fields: [...LESSON, { key: 'lessons', label: '课时数', type: 'integer', min: 1, max: 20 }], confidential: 'never' },
      t('demonstration_lesson', ['dispatched_teacher'], LESSON, 'never'),
      t('semester_summary', ['dispatched_teacher']),
    ],
    quotas: [],
    active: true,
  },
];

/** Problems with a programme definition, in Chinese; empty when valid. The zod schema checks shapes; this the cross-references. */
export function validateProgramme(def: Pick<ProgrammeDefinition, 'roles' | 'activityTypes' | 'quotas'>): string[] {
  const problems: string[] = [];
  const roleKeys = new Set<string>();
  for (const r of def.roles) {
    if (roleKeys.has(r.key)) problems.push(`角色编号重复：${r.key}`);
    roleKeys.add(r.key);
    if (r.min > r.max) problems.push(`角色“${r.label}”的最少人数大于最多人数`);
  }
  if (!def.roles.some((r) => r.side === 'helper')) problems.push('至少要有一个帮扶方角色');
  if (!def.roles.some((r) => r.side === 'helped')) problems.push('至少要有一个受助方角色');

  const typeKeys = new Set<string>();
  for (const ty of def.activityTypes) {
    if (typeKeys.has(ty.key)) problems.push(`活动类型编号重复：${ty.key}`);
    typeKeys.add(ty.key);
    for (const r of ty.roles ?? []) if (!roleKeys.has(r)) problems.push(`活动类型“${ty.label}”引用了不存在的角色：${r}`);
    const fieldKeys = new Set<string>();
    for (const f of ty.fields) {
      if (fieldKeys.has(f.key)) problems.push(`活动类型“${ty.label}”的字段编号重复：${f.key}`);
      fieldKeys.add(f.key);
      if ((f.type === 'select' || f.type === 'multiselect') && !(f.options && f.options.length > 0)) {
        problems.push(`字段“${f.label}”是选择题，须列出选项`);
      }
      if (f.options && new Set(f.options).size !== f.options.length) problems.push(`字段“${f.label}”的选项重复`);
      if (f.min !== undefined && f.max !== undefined && f.min > f.max) problems.push(`字段“${f.label}”的最小值大于最大值`);
    }
  }

  const quotaIds = new Set<string>();
  for (const q of def.quotas) {
    const name = q.label || q.id;
    if (quotaIds.has(q.id)) problems.push(`配额编号重复：${q.id}`);
    quotaIds.add(q.id);
    problems.push(...validateQuota(q));
    for (const ty of q.activityTypes) if (!typeKeys.has(ty)) problems.push(`${name}：活动类型“${ty}”不在本项目的活动类型中`);
    if (q.role && !roleKeys.has(q.role)) problems.push(`${name}：角色“${q.role}”不是本项目的角色`);
    if (q.each !== undefined && !roleKeys.has(q.each)) problems.push(`${name}：逐一考核的角色“${q.each}”不是本项目的角色`);
    const creditable = q.activityTypes.map((ty) => def.activityTypes.find((x) => x.key === ty)).filter((x) => x?.roles);
    if (q.role && creditable.length > 0 && creditable.every((x) => !x!.roles!.includes(q.role))) {
      problems.push(`${name}：角色“${q.role}”不能记录这些活动类型，此配额永远无法完成`);
    }
  }
  return problems;
}
