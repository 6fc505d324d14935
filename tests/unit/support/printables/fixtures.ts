// Facts for the printables' layout tests: one student with a case, records of every kind.
import type { CaseFacts, RecordFacts, StudentFacts } from '../../../../src/modules/support/printables/layout.js';

export const ID = '360428201301110031';

export const student = (over: Partial<StudentFacts> = {}): StudentFacts => ({
  name: '张伟',
  sex: '1',
  birthDate: '2013-01-11',
  studentNoMasked: 'G360428********0031',
  idNumberMasked: '360428********0031',
  schoolName: '城关一小',
  grade: 7,
  className: '七年级(1)班',
  address: '城关镇和平路 12 号',
  guardians: [{ name: '张大山', relation: '父亲', phone: '13812345678' }],
  familyFlags: null,
  ...over,
});

export const record = (over: Partial<RecordFacts> = {}): RecordFacts => ({
  date: '2026-10-12',
  type: 'tutoring',
  typeLabel: '辅导',
  recordedByName: '王芳',
  confidential: false,
  content: '一元一次方程面批',
  fields: { subject: '数学', setting: '课内', result: '能独立解题' },
  fieldLabels: { subject: '学科', setting: '课内/课外', result: '效果', met: '见到的家长', home_situation: '家庭情况', agreed: '商定事项' },
  statusLabel: '已通过',
  ...over,
});

export const caseFacts = (over: Partial<CaseFacts> = {}): CaseFacts => ({
  id: 41,
  schoolYear: '2026-2027',
  categoryLabels: ['学困生（后20%）', '贫困生'],
  statusLabel: '帮扶中',
  closeReasonLabel: null,
  closedOn: null,
  weakSubjects: ['数学'],
  causes: [{ label: '家庭', note: '父母外出务工' }],
  strategies: { teaching: ['在校完成作业辅导'], moral: ['家访电访，共育'] },
  analysedBy: '城关一小教导处',
  teachers: [{ name: '王芳', phone: '13900001111', subjects: ['语文', '数学'], position: null, since: '2026-09-01' }],
  peers: [],
  history: [
    { at: '2026-09-02T01:00:00.000Z', eventLabel: '认定', fromLabel: null, toLabel: '已识别', categoryLabels: ['学困生（后20%）'], reason: null, note: null, semester: null, actorName: '教导处' },
  ],
  records: [
    record(),
    record({ date: '2026-10-20', type: 'home_visit', typeLabel: '家访', content: '到家中走访', fields: { met: '张大山', home_situation: '父亲在家务农', agreed: '每周检查作业' } }),
    record({ date: '2026-10-22', type: 'psych_support', typeLabel: '心理辅导', confidential: true, content: '焦虑情绪疏导', fields: { topic: '焦虑' } }),
    record({ date: '2026-10-25', type: 'tutoring', confidential: true, content: null, fields: null }),
  ],
  ...over,
});
