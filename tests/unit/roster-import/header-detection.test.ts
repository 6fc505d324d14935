import { describe, expect, it } from 'vitest';
import { detectHeader, matchHeader, normalizeHeaderText, type SheetRow } from '../../../src/modules/roster-import/header-detection.js';

const rows = (...r: string[][]): SheetRow[] => r.map((cells, i) => ({ rowNo: i + 1, cells }));

describe('header cell matching', () => {
  it('ignores notes in brackets, spaces, line breaks, stars and full-width forms', () => {
    expect(normalizeHeaderText('身份证号（必填）')).toBe('身份证号');
    expect(normalizeHeaderText('* 姓 名')).toBe('姓名');
    expect(normalizeHeaderText('出生\n日期')).toBe('出生日期');
    expect(normalizeHeaderText('联系电话【手机】：')).toBe('联系电话');
  });

  it.each([
    ['身份证号', 'idNumber'], ['身份证件号', 'idNumber'], ['证件号码', 'idNumber'], ['公民身份号码', 'idNumber'], ['学生身份证号', 'idNumber'],
    ['学籍号', 'studentNo'], ['全国学籍号', 'studentNo'], ['学校标识码', 'schoolCode'], ['学校代码', 'schoolCode'],
    ['学校名称', 'schoolName'], ['学生姓名', 'name'], ['出生年月', 'birthDate'], ['家庭住址', 'address'], ['监护人', 'guardianName'],
    ['联系电话', 'phone'], ['班级', 'class'], ['年级', 'grade'], ['民族', 'ethnicity'], ['性别', 'sex'], ['家庭情况', 'familySituation'],
  ])('%s → %s', (text, field) => {
    expect(matchHeader(text)).toEqual({ kind: 'field', field });
  });

  it('reads 是否… columns as family flags', () => {
    expect(matchHeader('是否留守儿童')).toEqual({ kind: 'flag', flag: 'left_behind' });
    expect(matchHeader('是否建档立卡户')).toEqual({ kind: 'flag', flag: 'poverty_registered' });
    expect(matchHeader('是否低保')).toEqual({ kind: 'flag', flag: 'dibao' });
    expect(matchHeader('是否孤儿')).toEqual({ kind: 'flag', flag: 'orphan' });
    expect(matchHeader('是否住校')).toBeNull();
  });

  it('does not take a title for a header', () => {
    expect(matchHeader('城关第一小学2025年秋季学生花名册')).toBeNull();
  });
});

describe('detectHeader', () => {
  it('finds the header below title rows (a merged title leaves the other cells empty)', () => {
    const found = detectHeader(rows(
      ['XX县城关第一小学2025年秋季学生花名册', '', '', ''],
      ['填报单位：城关第一小学', '', '填报日期：2025-09-10', ''],
      [],
      ['序号', '姓名', '性别', '身份证号（必填）', '年级', '班级'],
      ['1', '张三', '男', '360102201203051234', '七年级', '3班'],
    ));
    expect(found.ok).toBe(true);
    if (!found.ok) return;
    expect(found.headerRowNo).toBe(4);
    expect(found.headerIndex).toBe(3);
    expect(found.columns.fields).toMatchObject({ seq: 0, name: 1, sex: 2, idNumber: 3, grade: 4, class: 5 });
    expect(found.headerCells[3]).toBe('身份证号（必填）');
  });

  it('keeps the first of two columns that mean the same', () => {
    const found = detectHeader(rows(['姓名', '联系电话', '手机号码', '学籍号', '班级']));
    expect(found.ok && found.columns.fields.phone).toBe(1);
  });

  it('folds a second header row under a merged 监护人 group', () => {
    const found = detectHeader(rows(
      ['姓名', '身份证号', '班级', '监护人', ''],
      ['', '', '', '姓名', '联系电话'],
      ['张三', '360102201203051234', '3班', '张大山', '13800138000'],
    ));
    expect(found.ok).toBe(true);
    if (!found.ok) return;
    expect(found.headerIndex).toBe(1);
    expect(found.columns.fields).toMatchObject({ name: 0, idNumber: 1, class: 2, guardianName: 3, phone: 4 });
    expect(found.headerCells[4]).toBe('监护人/联系电话');
  });

  it('does not mistake the first data row for a second header row', () => {
    const found = detectHeader(rows(
      ['姓名', '身份证号', '班级', '监护人关系', '父亲姓名'],
      ['张三', '360102201203051234', '3班', '父亲', '母亲'],
    ));
    expect(found.ok && found.headerIndex).toBe(0);
  });

  it('reports missing required columns in Chinese', () => {
    const found = detectHeader(rows(['序号', '姓名', '性别', '民族']));
    expect(found).toEqual({ ok: false, message: '表头（第 1 行）缺少必需的列：身份证号或学籍号、班级' });
  });

  it('says so when no header is found at all', () => {
    const found = detectHeader(rows(['a', 'b'], ['1', '2']));
    expect(found.ok).toBe(false);
    if (!found.ok) expect(found.message).toContain('没有找到表头');
  });
});
