// Parsing data rows into the compact table: identities hashed (never kept plain), scores
// in exam order, absent as NaN, rejected rows with their row number and Chinese reasons,
// blank and summary rows skipped, the same student twice.
import { describe, expect, it } from 'vitest';
import { DUPLICATE, OK, REJECTED, ScoreRowParser, resolveSameStudent, resolveSameStudentId } from '../../../src/modules/exams/import/score-rows.js';
import { idCheckChar, idProblemMessage, makeIdNumber } from '../../../src/shared/id-number.js';

const ID1 = makeIdNumber('360102', '2013-05-01', 12, '1');
const ID2 = makeIdNumber('360102', '2013-06-02', 14, '2');

function parser(opts: { schoolImplied?: boolean } = {}) {
  // columns: 0 学籍号, 1 身份证号, 2 姓名, 3 学校标识码, 4 学校名称, 5 班级, 6 语文, 7 数学
  return new ScoreRowParser({
    identity: { studentNo: 0, idNumber: 1, name: 2, schoolCode: 3, schoolName: 4, class: 5 },
    subjects: [{ name: '数学', fullMarks: 120, col: 7 }, { name: '语文', fullMarks: 120, col: 6 }],
    studentNoHash: (no) => `no#${no}`,
    idHash: (id) => `id#${id}`,
    ...opts,
  });
}

describe('ScoreRowParser', () => {
  it('keeps accepted rows in column arrays, scores in exam order, absent as NaN, identities hashed and masked', () => {
    const p = parser();
    p.push({ rowNo: 3, cells: ['G' + ID1, ID1, '张 三', '3636000001', '城关一中', '七(1)班', '98.5', '缺考'] });
    p.push({ rowNo: 4, cells: ['', ID2, '李四', '', '城关一中', '1班', '', '１１０'] });
    p.push({ rowNo: 5, cells: ['', '', '王五', '3636000002', '', '', '60', '70'] });
    const t = p.table;
    expect(t.n).toBe(3);
    expect(Array.from(t.rowNo.subarray(0, 3))).toEqual([3, 4, 5]);
    expect([t.score(0, 0), t.score(0, 1)]).toEqual([NaN, 98.5]);
    expect([t.score(1, 0), t.score(1, 1)]).toEqual([110, NaN]);
    expect(t.name).toEqual(['张三', '李四', '王五']);
    // 学籍号 first; the ID of that row waits, unhashed, in memory
    expect(t.noHash).toEqual(['no#G' + ID1, null, null]);
    expect(t.idHash).toEqual([null, 'id#' + ID2, null]);
    expect(t.laterId).toEqual([ID1, null, null]);
    expect([t.masked(0), t.masked(1), t.masked(2)]).toEqual(['G' + ID1.slice(0, 6) + '********' + ID1.slice(-4), ID2.slice(0, 6) + '********' + ID2.slice(-4), null]);
    expect(t.schools).toEqual([{ code: '3636000001', name: '城关一中' }, { code: null, name: '城关一中' }, { code: '3636000002', name: null }]);
    expect(Array.from(t.schoolRef.subarray(0, 3))).toEqual([0, 1, 2]);
    expect(t.classLabels).toEqual(['七(1)班', '1班']);
    expect(Array.from(t.classRef.subarray(0, 3))).toEqual([0, 1, -1]);
    expect(p.rejected).toEqual([]);
    expect(p.dataRows).toBe(3);
  });

  it('rejects rows with every reason, naming subject and value; skips blank, note, summary and repeated header rows', () => {
    const p = parser();
    p.push({ rowNo: 10, cells: ['G' + ID1, '', '甲', '3636000001', '', '', '121', '-2'] });
    p.push({ rowNo: 11, cells: [] });
    p.push({ rowNo: 12, cells: ['', '', '', '', '', '', '', ''] });
    p.push({ rowNo: 13, cells: ['G' + ID2, '', '乙', '', '', '', '优', '90'] });
    p.push({ rowNo: 14, cells: ['', '', '丙', '', '', '', '90', '90'] });
    p.push({ rowNo: 15, cells: ['3.60102E+17', '', '丁', '3636000001', '', '', '90', '90'] });
    p.push({ rowNo: 16, cells: ['', '123', '戊', '3636000001', '', '', '90', '90'] });
    p.push({ rowNo: 17, cells: ['', '', '平均分', '', '', '', '88.5', '90.1'] });
    p.push({ rowNo: 18, cells: ['制表人：张老师'] });
    p.push({ rowNo: 19, cells: ['学籍号', '身份证号', '姓名', '学校标识码', '学校名称', '班级', '语文', '数学'] });
    p.push({ rowNo: 20, cells: ['G' + ID2, '', '', '3636000001', '', '', '90', '90'] });
    p.push({ rowNo: 21, cells: ['', '', '', '', '', '', '90', ''] });
    p.push({ rowNo: 22, cells: ['', '', '己', '36360001', '', '', '90', '90'] });
    expect(p.table.n).toBe(0);
    expect(p.rejected).toEqual([
      { rowNo: 10, reason: '数学成绩“-2”不能为负数；语文成绩“121”超过满分 120 分' },
      { rowNo: 13, reason: '语文成绩“优”不是有效的分数（缺考请填“缺考”或留空）' },
      { rowNo: 14, reason: '该行没有学籍号或身份证号，也没有学校标识码或学校名称：无法确定学生，也无法归入学校' },
      { rowNo: 15, reason: expect.stringContaining('学籍号被 Excel 存成了数字') },
      { rowNo: 16, reason: expect.stringContaining('身份证号格式不正确') },
      { rowNo: 20, reason: '缺少姓名' },
      { rowNo: 21, reason: '缺少姓名；该行没有学籍号或身份证号，也没有学校标识码或学校名称：无法确定学生，也无法归入学校' },
      { rowNo: 22, reason: '学校标识码“36360001”不正确（应为10位数字）' },
    ]);
    expect(p.dataRows).toBe(8);
  });

  it('a school exam needs no school column', () => {
    const p = parser({ schoolImplied: true });
    p.push({ rowNo: 2, cells: ['', '', '丙', '', '', '3班', '90', '90'] });
    expect(p.table.n).toBe(1);
  });
});

describe('ScoreRowParser: IDs Excel stored as numbers (the whole file decides)', () => {
  const SCIENTIFIC = idProblemMessage('scientific');
  /** what Excel keeps of an 18-digit number: 15 significant digits */
  const truncate = (id: string) => id.slice(0, 15) + '000';
  const passes = (id: string) => idCheckChar(id.slice(0, 17)) === id[17];
  const idOf = (k: number) => makeIdNumber('360102', new Date(Date.UTC(2013, 0, 1 + k)).toISOString().slice(0, 10), 10 + k, k % 2 ? '1' : '2');
  const row = (rowNo: number, id: string, math = '90') => ({ rowNo, cells: ['', id, `学生${rowNo}`, '3636000001', '', '', '90', math] });

  it('rejects every ID ending in 000 of a truncated column, checksums that pass included', () => {
    const failing: string[] = [];
    const passing: string[] = [];
    for (let k = 0; failing.length < 8 || passing.length < 2; k++) {
      const t = truncate(idOf(k));
      if (idOf(k).endsWith('X')) continue;
      if (passes(t)) {
        if (passing.length < 2) passing.push(t);
      } else if (failing.length < 8) failing.push(t);
    }
    const p = parser();
    failing.forEach((id, k) => p.push(row(2 + k, id)));
    p.push(row(10, passing[0]!)); // per row: a valid ID, and it could match another student
    p.push(row(11, passing[1]!, '130')); // rejected anyway (score), and for its ID too
    p.push(row(12, ID1)); // an ID Excel kept (ends in X or not truncated): imported
    expect(p.ids).toEqual({ withId: 11, zerosValid: 2, zerosInvalid: 8 });
    expect(p.table.n).toBe(2);

    expect(p.rejectIdsStoredAsNumbers()).toBe(1);
    expect(p.table.status[0]).toBe(REJECTED);
    expect(p.table.reasons.get(0)).toBe(SCIENTIFIC);
    expect(p.table.status[1]).toBe(OK);
    expect(p.rejected.map((r) => r.rowNo)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 11]);
    for (const r of p.rejected.slice(0, 8)) expect(r.reason).toBe(SCIENTIFIC);
    expect(p.rejected[8]!.reason).toBe(`数学成绩“130”超过满分 120 分；${SCIENTIFIC}`);
  });

  it('leaves genuine IDs ending in 000 alone: they never fail their checks', () => {
    const zeros: string[] = [];
    for (let d = 0; zeros.length < 3; d++) {
      const id = makeIdNumber('360121', new Date(Date.UTC(2012, 0, 1 + d)).toISOString().slice(0, 10), 300, '2');
      if (id.endsWith('000')) zeros.push(id);
    }
    const p = parser();
    zeros.forEach((id, k) => p.push(row(2 + k, id)));
    expect(p.ids).toEqual({ withId: 3, zerosValid: 3, zerosInvalid: 0 });
    expect(p.rejectIdsStoredAsNumbers()).toBe(0);
    expect(Array.from(p.table.status.subarray(0, 3))).toEqual([OK, OK, OK]);
    expect(p.rejected).toEqual([]);
  });
});

describe('resolveSameStudent', () => {
  it('an exact repeat counts once; differing rows of one student are all rejected, each naming the others', () => {
    const p = parser();
    const row = (rowNo: number, no: string, math: string) => p.push({ rowNo, cells: [no, '', '甲', '3636000001', '', '1班', '90', math] });
    row(2, 'G0001', '80');
    row(3, 'G0002', '80');
    row(4, 'G0001', '80'); // exact repeat of row 2
    row(5, 'G0002', '81'); // differs from row 3
    row(6, 'G0002', '82');
    row(7, 'G0003', '70');
    const t = p.table;
    const n = resolveSameStudent(t, (i) => t.noHash[i] ?? null, (o) => `与第 ${o} 行的学籍号相同`);
    expect(n).toBe(3);
    expect(Array.from(t.status.subarray(0, 6))).toEqual([OK, REJECTED, DUPLICATE, REJECTED, REJECTED, OK]);
    expect(t.reasons.get(1)).toBe('与第 5、6 行的学籍号相同');
    expect(t.reasons.get(3)).toBe('与第 3、6 行的学籍号相同');
    expect(t.reasons.get(4)).toBe('与第 3、5 行的学籍号相同');
  });

  it('by registered student id (0 = none), with the group to choose the reason', () => {
    const p = parser();
    const row = (rowNo: number, no: string, math: string) => p.push({ rowNo, cells: [no, '', '甲', '3636000001', '', '1班', '90', math] });
    row(2, 'G0001', '80');
    row(3, 'G0002', '81');
    row(4, 'G0003', '80');
    row(5, 'G0004', '80');
    const t = p.table;
    const ids = Int32Array.from([7, 7, 0, 0]);
    const n = resolveSameStudentId(t, ids, (o, group) => `与第 ${o} 行（${group.length} 行）`);
    expect(n).toBe(2);
    expect(Array.from(t.status.subarray(0, 4))).toEqual([REJECTED, REJECTED, OK, OK]);
    expect(t.reasons.get(0)).toBe('与第 3 行（2 行）');
  });
});
