// The score sheet's header: found below title rows, two-row headers folded, identity
// columns by the roster's aliases, subjects by name or by the scores under them, and the
// columns we ignore (考号, 序号, 总分, 名次 …).
import { describe, expect, it } from 'vitest';
import type { SheetRow } from '../../../src/modules/roster-import/header-detection.js';
import { detectScoreHeader, type ScoreHeaderFound } from '../../../src/modules/exams/import/score-header.js';

const sheet = (...rows: string[][]): SheetRow[] => rows.map((cells, i) => ({ rowNo: i + 1, cells }));
const found = (r: ReturnType<typeof detectScoreHeader>): ScoreHeaderFound => {
  if (!r.ok) throw new Error(r.message);
  return r;
};
const subjects = (h: ScoreHeaderFound) => h.subjects.map((s) => [s.name, s.col, s.fullMarksHint]);

describe('detectScoreHeader', () => {
  it('finds the header under title rows and maps identity, subjects and ignored columns', () => {
    const h = found(detectScoreHeader(sheet(
      ['2026-2027学年第一学期七年级期末统考成绩表'],
      ['', '', '', '', '填表日期：2027年1月20日'],
      ['序号', '考号', '学籍号', '姓名', '学校标识码', '学校名称', '班级', '语文(120)', '数学（满分120）', '英语', '道法', '总分', '班级名次', '县名次', '备注'],
      ['1', '0701001', 'G360102201201011234', '张三', '3636000001', '城关一中', '七(1)班', '98', '100.5', '缺考', '80', '278.5', '3', '120', ''],
    )));
    expect(h.headerIndex).toBe(2);
    expect(h.headerRowNo).toBe(3);
    expect(h.identity).toEqual({ seq: 0, studentNo: 2, name: 3, schoolCode: 4, schoolName: 5, class: 6 });
    expect(subjects(h)).toEqual([['语文', 7, 120], ['数学', 8, 120], ['英语', 9, null], ['道德与法治', 10, null]]);
    expect(h.headerCells[7]).toBe('语文(120)');
  });

  it('folds a group label merged over the subjects (成绩 over 语文 | 数学), whichever row scores higher', () => {
    const h = found(detectScoreHeader(sheet(
      ['城关一中七年级月考成绩'],
      ['身份证号', '姓名', '班级', '成绩', '', '', ''],
      ['', '', '', '语文', '数学', '英语', '科学'],
      ['360102201201011234', '李四', '2班', '90', '88', '77', '66'],
    )));
    expect(h.headerIndex).toBe(2);
    expect(h.headerRowNo).toBe(3);
    expect(h.identity).toEqual({ idNumber: 0, name: 1, class: 2 });
    expect(subjects(h)).toEqual([['语文', 3, null], ['数学', 4, null], ['英语', 5, null], ['科学', 6, null]]);
    expect(h.headerCells.slice(3)).toEqual(['成绩/语文', '数学', '英语', '科学']);
  });

  it('folds a subject merged over 分数 | 名次: the score column is the subject, the rank column is ignored', () => {
    const h = found(detectScoreHeader(sheet(
      ['学籍号', '姓名', '语文', '', '数学', '', '总分'],
      ['', '', '分数', '名次', '得分', '排名', ''],
      ['G1234567', '王五', '99', '3', '100', '1', '199'],
    )));
    expect(h.headerIndex).toBe(1);
    expect(subjects(h)).toEqual([['语文', 2, null], ['数学', 4, null]]);
    expect(h.headerCells.slice(2, 6)).toEqual(['语文/分数', '语文/名次', '数学/得分', '数学/排名']);
  });

  it('an unknown header is a subject when its column holds scores, and ignored when it holds text', () => {
    const h = found(detectScoreHeader(sheet(
      ['学籍号', '姓名', '学校', '语文', '口语测试', '家长签名', '特长'],
      ['G1234567', '甲', '一中', '90', '18.5', '', '唱歌'],
      ['G1234568', '乙', '一中', '80', '缺考', '', '画画'],
      ['G1234569', '丙', '一中', '70', '20', '', ''],
    )));
    expect(subjects(h)).toEqual([['语文', 3, null], ['口语测试', 4, null]]);
  });

  it('says in Chinese what is missing', () => {
    const noHeader = detectScoreHeader(sheet(['成绩表'], ['a', 'b'], ['1', '2']));
    expect(noHeader).toEqual({ ok: false, message: expect.stringContaining('没有找到成绩表的表头') });
    const noName = detectScoreHeader(sheet(['学籍号', '语文', '数学'], ['G1234567', '1', '2']));
    expect(noName).toEqual({ ok: false, message: '表头（第 1 行）缺少必需的列：“姓名”' });
    const noIdentity = detectScoreHeader(sheet(['姓名', '班级', '语文', '数学'], ['甲', '1班', '1', '2']));
    expect(noIdentity.ok).toBe(false);
    expect(!noIdentity.ok && noIdentity.message).toContain('“学籍号”或“身份证号”');
    // a school's own exam needs no identity or school column
    expect(detectScoreHeader(sheet(['姓名', '班级', '语文', '数学'], ['甲', '1班', '1', '2']), { schoolImplied: true }).ok).toBe(true);
    const noSubject = detectScoreHeader(sheet(['学籍号', '姓名', '班级', '总分'], ['G1234567', '甲', '1班', '99']));
    expect(!noSubject.ok && noSubject.message).toContain('没有找到科目成绩列');
    const twice = detectScoreHeader(sheet(['学籍号', '姓名', '语文', '语文（120）'], ['G1234567', '甲', '1', '2']));
    expect(twice).toEqual({ ok: false, message: '表头（第 1 行）中科目“语文”出现了两次（第 C 列和第 D 列），请只保留一列' });
  });
});
