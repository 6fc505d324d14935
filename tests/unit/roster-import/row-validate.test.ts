import { describe, expect, it } from 'vitest';
import { detectHeader, type ColumnMap } from '../../../src/modules/roster-import/header-detection.js';
import { checkRow, SCIENTIFIC_STUDENT_NO } from '../../../src/modules/roster-import/row-validate.js';
import { idCheckChar, idProblemMessage, makeIdNumber } from '../../../src/shared/id-number.js';

const TODAY = new Date('2026-11-23T00:00:00Z');
const HEADER = ['序号', '学校标识码', '学校名称', '姓名', '性别', '出生日期', '身份证号', '学籍号', '民族', '年级', '班级', '家庭住址', '监护人', '联系电话', '家庭情况', '是否留守儿童'];
const found = detectHeader([{ rowNo: 1, cells: HEADER }]);
if (!found.ok) throw new Error(found.message);
const columns: ColumnMap = found.columns;

const ID = makeIdNumber('360102', '2012-03-05', 123, '1'); // a boy born 2012-03-05

function row(over: Partial<Record<(typeof HEADER)[number], string>> = {}): string[] {
  const base: Record<string, string> = {
    序号: '1', 学校标识码: '3136000001', 学校名称: '城关第一小学', 姓名: '张三', 性别: '男', 出生日期: '2012-03-05', 身份证号: ID,
    学籍号: 'G' + ID, 民族: '汉族', 年级: '七年级', 班级: '3班', 家庭住址: '城关镇1号', 监护人: '张大山（父亲）', 联系电话: '13800138000',
    家庭情况: '', 是否留守儿童: '否',
  };
  const merged = { ...base, ...over };
  return HEADER.map((h) => merged[h] ?? '');
}

const check = (cells: string[], opts: { defaultSchoolCode?: string; idColumnAsNumbers?: boolean } = {}) => checkRow(cells, columns, { today: TODAY, ...opts });
const reasons = (cells: string[]) => {
  const r = check(cells);
  if (r.kind !== 'rejected') throw new Error(`expected a rejection, got ${r.kind}`);
  return r.reasons;
};

describe('checkRow', () => {
  it('accepts a good row and normalises it', () => {
    const r = check(row({ 身份证号: ` ${ID.slice(0, 17).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))}${ID[17]} ` }));
    expect(r).toEqual({
      kind: 'ok',
      idCell: 'other',
      row: {
        schoolCode: '3136000001', schoolName: '城关第一小学', studentNo: 'G' + ID, idNumber: ID, name: '张三', sex: '1', birthDate: '2012-03-05',
        ethnicity: '01', address: '城关镇1号', guardians: [{ name: '张大山', relation: '父亲', phone: '13800138000' }], grade: 7, classNo: 3,
        flagsOn: [], flagsOff: ['left_behind'],
      },
    });
  });

  it('accepts a lowercase x check character', () => {
    // find an ID whose check character is X
    let idX = '';
    for (let seq = 0; !idX; seq += 2) {
      const id = makeIdNumber('360102', '2012-03-05', seq + 1, '1');
      if (id.endsWith('X')) idX = id;
    }
    const r = check(row({ 身份证号: idX.toLowerCase(), 学籍号: '' }));
    expect(r.kind === 'ok' && r.row.idNumber).toBe(idX);
  });

  it('skips blank rows, rows with only a 序号 and notes under the table', () => {
    expect(check(HEADER.map(() => ''))).toEqual({ kind: 'skip' });
    expect(check(HEADER.map(() => '  '))).toEqual({ kind: 'skip' });
    expect(check(row({}).map((c, i) => (i === 0 ? '17' : '')))).toEqual({ kind: 'skip' });
    expect(check(HEADER.map((_, i) => (i === 0 ? '制表人：李老师' : '')))).toEqual({ kind: 'skip' });
  });

  it('says exactly that an ID stored as a number by Excel has lost its last digits', () => {
    expect(reasons(row({ 身份证号: '3.60102E+17' }))).toEqual([idProblemMessage('scientific')]);
    expect(reasons(row({ 身份证号: '3.60102201203051E+17' }))).toEqual([idProblemMessage('scientific')]);
    expect(idProblemMessage('scientific')).toContain('后几位已经丢失');
    expect(reasons(row({ 学籍号: '3.60102E+18' }))).toEqual([SCIENTIFIC_STUDENT_NO]);
  });

  it('rejects a bad checksum', () => {
    const bad = ID.slice(0, 17) + (ID[17] === '0' ? '1' : '0');
    expect(reasons(row({ 身份证号: bad }))[0]).toContain('校验位错误');
  });

  it('checks sex and birth date against the ID', () => {
    expect(reasons(row({ 性别: '女' }))).toEqual(['性别（女）与身份证号不一致（身份证号第17位表示男）']);
    expect(reasons(row({ 出生日期: '2012/3/6' }))).toEqual(['出生日期（2012-03-06）与身份证号中的出生日期（2012-03-05）不一致']);
    expect(check(row({ 出生日期: '20120305' })).kind).toBe('ok');
    expect(check(row({ 出生日期: '40973' })).kind).toBe('ok');
    expect(check(row({ 出生日期: '2012.03' })).kind).toBe('ok');
    expect(reasons(row({ 出生日期: '2012.04' }))[0]).toContain('不一致');
  });

  it('takes sex and birth date from the ID when the cells are empty', () => {
    const r = check(row({ 性别: '', 出生日期: '' }));
    expect(r.kind === 'ok' && [r.row.sex, r.row.birthDate]).toEqual(['1', '2012-03-05']);
  });

  it('needs a name, and a 学籍号 or an ID', () => {
    expect(reasons(row({ 姓名: '' }))).toEqual(['缺少姓名']);
    expect(reasons(row({ 身份证号: '', 学籍号: '' }))).toContain('缺少身份证号和学籍号（至少填写一项）');
    const onlyNo = check(row({ 身份证号: '' }));
    expect(onlyNo.kind === 'ok' && onlyNo.row).toMatchObject({ idNumber: null, studentNo: 'G' + ID, birthDate: '2012-03-05', sex: '1' });
    expect(reasons(row({ 身份证号: '', 性别: '' }))).toEqual(['缺少性别']);
  });

  it('reads the grade from the class when needed, and catches a disagreement', () => {
    const r = check(row({ 年级: '', 班级: '八年级2班' }));
    expect(r.kind === 'ok' && [r.row.grade, r.row.classNo]).toEqual([8, 2]);
    expect(reasons(row({ 年级: '七年级', 班级: '八年级2班' }))[0]).toContain('不一致');
    expect(reasons(row({ 年级: '', 班级: '2班' }))[0]).toContain('缺少年级');
    expect(reasons(row({ 班级: '' }))).toEqual(['缺少班级']);
    expect(reasons(row({ 年级: '高三' }))[0]).toContain('无法识别的年级');
  });

  it('uses the default school when the row names none, and needs one', () => {
    const none = { 学校标识码: '', 学校名称: '' };
    const r = check(row(none), { defaultSchoolCode: '3136000009' });
    expect(r.kind === 'ok' && r.row.schoolCode).toBe('3136000009');
    expect(reasons(row(none))[0]).toContain('未指定学校');
    expect(reasons(row({ 学校标识码: '31360' }))[0]).toContain('应为10位数字');
  });

  it('collects family flags from 家庭情况 and 是否 columns', () => {
    const r = check(row({ 家庭情况: '低保户、孤儿', 是否留守儿童: '是' }));
    expect(r.kind === 'ok' && [r.row.flagsOn, r.row.flagsOff]).toEqual([['dibao', 'left_behind', 'orphan'], []]);
    expect(reasons(row({ 是否留守儿童: '不清楚' }))[0]).toContain('是否留守儿童');
  });

  it('reports every problem of a row at once', () => {
    const r = reasons(row({ 姓名: '', 民族: '火星族', 班级: '' }));
    expect(r).toEqual(['缺少姓名', '无法识别的民族“火星族”', '缺少班级']);
  });
});

describe('checkRow: IDs ending in 000 (what Excel leaves of an ID stored as a number)', () => {
  /** A real ID whose last three digits, replaced by 000, still pass the checksum (about 1 in 11 do). */
  function passingTruncation(sex: '1' | '2'): { birth: string; truncated: string } {
    for (let day = 1; day <= 28; day++) {
      const birth = `2012-03-${String(day).padStart(2, '0')}`;
      for (let seq = 0; seq < 1000; seq += 10) {
        const truncated = makeIdNumber('360102', birth, seq + (sex === '1' ? 1 : 0), sex).slice(0, 15) + '000';
        if (idCheckChar(truncated.slice(0, 17)) === '0') return { birth, truncated };
      }
    }
    throw new Error('none found');
  }

  it('tells the ID cell apart: none, other, ending in 000 and valid, ending in 000 and not', () => {
    expect(check(row())).toMatchObject({ kind: 'ok', idCell: 'other' });
    expect(check(row({ 身份证号: '' }))).toMatchObject({ kind: 'ok', idCell: 'none' });
    expect(check(row({ 身份证号: '3.60102E+17' }))).toMatchObject({ kind: 'rejected', idCell: 'other' });
    // the checksum fails: rejected per row already, with the Excel reason
    const failing = ID.slice(0, 15) + '000';
    expect(idCheckChar(failing.slice(0, 17))).not.toBe('0');
    expect(check(row({ 身份证号: failing }))).toEqual({ kind: 'rejected', idCell: 'zeros-invalid', reasons: [idProblemMessage('scientific')] });
    const girl = passingTruncation('2');
    expect(check(row({ 身份证号: girl.truncated, 性别: '女', 出生日期: girl.birth, 学籍号: '' }))).toMatchObject({ kind: 'ok', idCell: 'zeros-valid' });
    // an old 15-digit ID whose computed 18-digit form happens to end in 000 is not Excel's doing
    let old15 = '';
    for (let seq = 0; !old15 && seq < 1000; seq += 100) {
      for (let d = 1; !old15 && d <= 28; d++) {
        const first17 = `360102198503${String(d).padStart(2, '0')}${String(seq).padStart(3, '0')}`;
        if (idCheckChar(first17) === '0') old15 = first17.slice(0, 6) + first17.slice(8);
      }
    }
    const r15 = check(row({ 身份证号: old15, 性别: '女', 出生日期: '', 学籍号: '' }));
    expect(r15).toMatchObject({ kind: 'ok', idCell: 'other' });
  });

  it('with the column read as Excel numbers, an ID ending in 000 is rejected with the Excel reason even when its checksum passes', () => {
    const girl = passingTruncation('2');
    const cells = row({ 身份证号: girl.truncated, 性别: '女', 出生日期: girl.birth, 学籍号: '' });
    expect(check(cells, { idColumnAsNumbers: true })).toEqual({ kind: 'rejected', idCell: 'zeros-valid', reasons: [idProblemMessage('scientific')] });
    // a boy: the truncated 17th digit (0) says female; per row that is a sex mismatch, for the
    // file it is the Excel reason alone, with the row's other problems kept
    const boy = passingTruncation('1');
    const boyCells = row({ 身份证号: boy.truncated, 性别: '男', 出生日期: boy.birth, 学籍号: '', 民族: '火星族' });
    expect(reasons(boyCells)).toEqual([expect.stringContaining('性别（男）与身份证号不一致'), '无法识别的民族“火星族”']);
    expect(check(boyCells, { idColumnAsNumbers: true })).toEqual({ kind: 'rejected', idCell: 'zeros-valid', reasons: [idProblemMessage('scientific'), '无法识别的民族“火星族”'] });
    // other IDs are not touched by it
    expect(check(row(), { idColumnAsNumbers: true }).kind).toBe('ok');
  });
});
