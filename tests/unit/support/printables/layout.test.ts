// What goes in which section of the archive and the 帮扶手册, and what is never printed.
import { describe, expect, it } from 'vitest';
import {
  aidBlock, archiveDoc, docText, handbookDoc, maskPhone, printableRecords, recordBlocks, recordText, scrubIdNumbers, stageOf, studentFields, type Block,
} from '../../../../src/modules/support/printables/layout.js';
import { caseFacts, ID, record, student } from './fixtures.js';

const at = '2026-12-02 16:00';
const fieldsOf = (b: Block) => (b.kind === 'fields' ? Object.fromEntries(b.items.map((i) => [i.label, i.value])) : {});
const headings = (blocks: Block[]) => blocks.filter((b) => b.kind === 'heading').map((b) => (b as { text: string }).text);

describe('masking', () => {
  it('phones keep the first three and last four digits of a mobile, the last four otherwise', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('138 1234 5678')).toBe('138****5678');
    expect(maskPhone('0797-1234567')).toBe('*******4567');
    expect(maskPhone('')).toBe('');
    expect(maskPhone(null)).toBe('');
  });

  it('ID numbers typed into free text are masked (18 with X, 15 digits); other numbers stay', () => {
    expect(scrubIdNumbers(`身份证 ${ID} 已核对`)).toBe('身份证 360428********0031 已核对');
    expect(scrubIdNumbers('36042820130111003x')).toBe('360428********003X');
    expect(scrubIdNumbers('旧证 360428130111003')).toBe('旧证 360428*****1003');
    expect(scrubIdNumbers('电话 13812345678，第 2 次')).toBe('电话 13812345678，第 2 次');
  });
});

describe('student facts', () => {
  it('学生基本情况: school, stage, class, masked numbers, masked guardian phone, teacher contact', () => {
    const f = fieldsOf(studentFields(student(), caseFacts()));
    expect(f).toMatchObject({
      姓名: '张伟', 性别: '男', 学校: '城关一小', 学段: '初中', 年级班级: '七年级(1)班', 全国学籍号: 'G360428********0031', 身份证号: '360428********0031',
      家庭住址: '城关镇和平路 12 号', 监护人及电话: '父亲：张大山 138****5678', 帮扶类别: '学困生（后20%）、贫困生', 帮扶教师: '王芳', 教师联系电话: '王芳 13900001111',
    });
    expect(f['家庭情况']).toContain('已隐藏');
  });

  it('family flags when revealed; none when there are none', () => {
    expect(fieldsOf(studentFields(student({ familyFlags: ['低保', '留守儿童'] }), caseFacts()))['家庭情况']).toBe('低保、留守儿童');
    expect(fieldsOf(studentFields(student({ familyFlags: [] }), caseFacts()))['家庭情况']).toBe('无');
  });

  it('stages by grade; a case without a teacher says so', () => {
    expect([stageOf(1), stageOf(6), stageOf(7), stageOf(9), stageOf(null)]).toEqual(['小学', '小学', '初中', '初中', '—']);
    expect(fieldsOf(studentFields(student(), caseFacts({ teachers: [] })))['帮扶教师']).toBe('（尚未安排）');
  });

  it('the aid basis: the revealed flags, else the poverty category, with rows to fill by hand', () => {
    const [basis, table] = aidBlock(student(), caseFacts());
    expect(basis).toEqual({ kind: 'paragraph', text: '资助依据：贫困生（家庭情况已隐藏）' });
    expect(table).toMatchObject({ kind: 'table', rows: [], blankRows: 4 });
    expect(aidBlock(student({ familyFlags: ['建档立卡/脱贫户'] }), caseFacts())[0]).toMatchObject({ text: '资助依据：建档立卡/脱贫户' });
  });
});

describe('records', () => {
  it('psychological support is never printed; confidential content is not printed; oldest first', () => {
    const list = printableRecords(caseFacts().records);
    expect(list.map((r) => r.type)).toEqual(['tutoring', 'home_visit', 'tutoring']);
    expect(recordText(list[2]!)).toBe('（保密记录，内容不打印）');
    expect(recordText(record({ confidential: true }))).toBe('（保密记录，内容不打印）');
  });

  it('a record\'s text: the content, then its fields by label (the result has its own column)', () => {
    expect(recordText(record())).toBe('一元一次方程面批；学科：数学；课内/课外：课内');
    expect(recordText(record({ content: `核对 ${ID}`, fields: {} }))).toBe('核对 360428********0031');
  });

  it('visits go to 家访记录 with who was met, the family situation and what was agreed', () => {
    const blocks = recordBlocks(caseFacts().records);
    expect(headings(blocks)).toEqual(['帮扶记录', '家访记录']);
    const [, activities, , visits] = blocks as [Block, Extract<Block, { kind: 'table' }>, Block, Extract<Block, { kind: 'table' }>];
    expect(activities.rows.map((r) => [r[0], r[1], r[3]])).toEqual([['2026-10-12', '辅导', '能独立解题'], ['2026-10-25', '辅导', '']]);
    expect(visits.rows).toEqual([['2026-10-20', '家访', '张大山', '父亲在家务农', '每周检查作业', '王芳']]);
  });
});

describe('documents', () => {
  it('the archive: its seven sections in order, signature lines, the confidentiality note; nothing sensitive', () => {
    const d = archiveDoc({ student: student(), case: caseFacts(), printedBy: '王芳', printedAt: at });
    expect(d).toMatchObject({ title: '学生帮扶档案', header: '城关一小', footerNote: '内部资料 注意保密', printedAt: at });
    expect(headings(d.blocks)).toEqual(['一、学生基本情况', '二、成因分析与帮扶措施', '三、资助项目及受助情况', '四、帮扶记录', '五、家访记录', '六、认定、复查与结案', '七、学期总结（成效）']);
    expect(d.blocks.at(-1)).toEqual({ kind: 'signatures', items: ['班主任', '帮扶教师', '教导处', '家长'] });
    const text = docText(d);
    expect(text).not.toContain(ID);
    expect(text).not.toContain('13812345678');
    expect(text).not.toContain('焦虑');
  });

  it('semester reviews become the summary', () => {
    const c = caseFacts({ history: [{ at: '2027-01-15T02:00:00.000Z', eventLabel: '状态变更', fromLabel: '帮扶中', toLabel: '已复查', categoryLabels: [], reason: null, note: '数学及格', semester: '2026-2027-1', actorName: '教导处' }] });
    const d = archiveDoc({ student: student(), case: c, printedBy: '王芳', printedAt: at });
    expect(d.blocks).toContainEqual({ kind: 'list', items: ['2026-2027-1 学期：数学及格'] });
  });

  it('the handbook: a cover (school, teacher, year), the overview and standing, then one section per student', () => {
    const d = handbookDoc({
      schoolName: '城关一小',
      teacher: { name: '王芳', phone: '13900001111', subjects: ['语文'], position: null, since: null, schoolName: '城关一小' },
      schoolYear: '2026-2027',
      students: [{ student: student(), case: caseFacts() }, { student: student({ name: '刘洋', grade: 3, className: '三年级(2)班' }), case: caseFacts({ id: 42 }) }],
      standing: { period: '2026-2027-1', asOf: '2026-12-02', rows: [{ ruleLabel: '谈心', required: 6, done: 5, statusLabel: '进度落后' }] },
      printedBy: '王芳',
      printedAt: at,
    });
    expect(d.blocks[0]).toMatchObject({ kind: 'cover', title: '帮扶手册', lines: expect.arrayContaining([['学校', '城关一小'], ['帮扶教师', '王芳'], ['学年', '2026-2027'], ['帮扶学生', '2 人']]) });
    const overview = d.blocks.find((b) => b.kind === 'table') as Extract<Block, { kind: 'table' }>;
    expect(overview.rows.map((r) => r.slice(0, 4))).toEqual([['1', '张伟', '初中', '七年级(1)班'], ['2', '刘洋', '小学', '三年级(2)班']]);
    expect(d.blocks.filter((b) => b.kind === 'title').map((b) => (b as { text: string }).text)).toEqual(['1. 张伟', '2. 刘洋']);
    const sections = d.blocks.filter((b) => b.kind === 'fields').map(fieldsOf);
    expect(sections[1]).toMatchObject({ 学校: '城关一小', 学段: '小学', 帮扶教师: '王芳', 联系电话: '13900001111' });
    expect(docText(d)).toContain('进度落后');
    expect(d.blocks.filter((b) => b.kind === 'signatures')).toHaveLength(2);
  });
});
