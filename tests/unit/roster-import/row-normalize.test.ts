import { describe, expect, it } from 'vitest';
import {
  cleanText,
  excelSerialToDate,
  familyFlagOf,
  normalizeCode,
  normalizePersonName,
  parseClass,
  parseDate,
  parseEthnicity,
  parseFamilySituation,
  parseGrade,
  parseGuardian,
  parsePhone,
  parseSex,
  parseSmallNumber,
  parseYesNo,
} from '../../../src/modules/roster-import/row-normalize.js';
import { toHalfWidth } from '../../../src/shared/half-width.js';

const TODAY = new Date('2026-11-23T00:00:00Z');

describe('text clean-up', () => {
  it('turns full-width digits and letters into ASCII and trims', () => {
    expect(toHalfWidth('３６０１０２ＡＢｘ')).toBe('360102ABx');
    expect(cleanText('  张三\u3000 ')).toBe('张三');
    expect(cleanText('城关镇\n\n  1号')).toBe('城关镇 1号');
    expect(cleanText('\ufeff学校')).toBe('学校');
    expect(cleanText(null)).toBe('');
    // already clean text comes back as the same string
    expect(cleanText('王小明')).toBe('王小明');
  });

  it('drops the spaces that align two-character Chinese names, keeps minority-name separators', () => {
    expect(normalizePersonName('王  五')).toBe('王五');
    expect(normalizePersonName(' 阿依古丽•买买提 ')).toBe('阿依古丽·买买提');
    expect(normalizePersonName('John Smith')).toBe('John Smith');
  });

  it('normalises codes: full-width, spaces, quotes, upper case', () => {
    expect(normalizeCode(" 'g３６０１０２ 2012 ")).toBe('G3601022012');
  });
});

describe('parseDate', () => {
  const ok = (s: string | number | Date) => parseDate(s, TODAY);
  it.each([
    ['2012/3/5', '2012-03-05'],
    ['2012-03-05', '2012-03-05'],
    ['20120305', '2012-03-05'],
    ['2012.3.5', '2012-03-05'],
    ['2012年3月5日', '2012-03-05'],
    ['２０１２－０３－０５', '2012-03-05'],
    ['2012-03-05 00:00:00', '2012-03-05'],
    ['2012/3/5 0:00', '2012-03-05'],
    ['40973', '2012-03-05'],
  ])('%s → %s', (input, expected) => {
    expect(ok(input)).toEqual({ ok: true, date: expected });
  });

  it('reads Excel serial numbers (1900 system, with its phantom 1900-02-29)', () => {
    expect(excelSerialToDate(40973)).toBe('2012-03-05');
    expect(excelSerialToDate(1)).toBe('1900-01-01');
    expect(excelSerialToDate(61)).toBe('1900-03-01');
    expect(ok(40973)).toEqual({ ok: true, date: '2012-03-05' });
    expect(ok(40973.75)).toEqual({ ok: true, date: '2012-03-05' });
  });

  it('reads JS dates as exceljs gives them (UTC midnight)', () => {
    expect(ok(new Date(Date.UTC(2012, 2, 5)))).toEqual({ ok: true, date: '2012-03-05' });
  });

  it('keeps a year and month when that is all there is (出生年月)', () => {
    expect(ok('2012.03')).toEqual({ ok: true, yearMonth: '2012-03' });
    expect(ok('201203')).toEqual({ ok: true, yearMonth: '2012-03' });
    expect(ok('2012年3月')).toEqual({ ok: true, yearMonth: '2012-03' });
  });

  it('rejects impossible, future and unreadable dates; empty is no date', () => {
    expect(ok('2012-02-30')).toEqual({ ok: false });
    expect(ok('2030-01-01')).toEqual({ ok: false });
    expect(ok('2012')).toEqual({ ok: false });
    expect(ok('不详')).toEqual({ ok: false });
    expect(ok('')).toBeNull();
    expect(parseDate(null)).toBeNull();
  });
});

describe('sex, ethnicity, yes/no', () => {
  it('parses 男/女/1/2/M/F', () => {
    for (const s of ['男', '男性', 'M', 'm', '1', ' 男 ']) expect(parseSex(s)).toBe('1');
    for (const s of ['女', 'F', 'f', '2', '女性']) expect(parseSex(s)).toBe('2');
    expect(parseSex('')).toBeNull();
    expect(parseSex('未知')).toBe('invalid');
  });

  it('maps ethnicity names and codes to GB/T 3304', () => {
    expect(parseEthnicity('汉族')).toBe('01');
    expect(parseEthnicity('汉')).toBe('01');
    expect(parseEthnicity('1')).toBe('01');
    expect(parseEthnicity('06')).toBe('06');
    expect(parseEthnicity('苗族')).toBe('06');
    expect(parseEthnicity('蒙古')).toBe('02');
    expect(parseEthnicity('土家族')).toBe('15');
    expect(parseEthnicity('')).toBeNull();
    expect(parseEthnicity('火星族')).toBe('invalid');
    expect(parseEthnicity('99')).toBe('invalid');
  });

  it('reads yes/no cells', () => {
    for (const s of ['是', 'Y', '1', '√', '有']) expect(parseYesNo(s)).toBe(true);
    for (const s of ['否', 'N', '0', '无', '×']) expect(parseYesNo(s)).toBe(false);
    expect(parseYesNo('')).toBeNull();
    expect(parseYesNo('也许')).toBe('invalid');
  });
});

describe('grade and class', () => {
  it('reads Chinese numerals', () => {
    expect(parseSmallNumber('三')).toBe(3);
    expect(parseSmallNumber('十')).toBe(10);
    expect(parseSmallNumber('十二')).toBe(12);
    expect(parseSmallNumber('二十')).toBe(20);
    expect(parseSmallNumber('二十三')).toBe(23);
    expect(parseSmallNumber('一二')).toBeNull();
  });

  it.each([
    ['七年级', 7], ['初一', 7], ['初二', 8], ['初三', 9], ['初中一年级', 7], ['7', 7], ['７', 7],
    ['一年级', 1], ['小学三年级', 3], ['9年级', 9], ['六年', 6],
  ])('grade %s → %i', (input, n) => {
    expect(parseGrade(input)).toBe(n);
  });

  it('rejects grades outside 1–9', () => {
    expect(parseGrade('高一')).toBe('invalid');
    expect(parseGrade('十年级')).toBe('invalid');
    expect(parseGrade('')).toBeNull();
  });

  it.each([
    ['3班', null, 3], ['(3)班', null, 3], ['（3）班', null, 3], ['３', null, 3], ['三班', null, 3], ['十二班', null, 12],
    ['七年级3班', 7, 3], ['七年级(3)班', 7, 3], ['七(3)班', 7, 3], ['初一3班', 7, 3], ['一年级二班', 1, 2], ['7.3', 7, 3],
  ] as const)('class %s → grade %s, class %i', (input, grade, classNo) => {
    expect(parseClass(input)).toEqual({ grade, classNo });
  });

  it('reads 703 as grade 7 class 3 only when the grade is known to be 7', () => {
    expect(parseClass('703', 7)).toEqual({ grade: 7, classNo: 3 });
    expect(parseClass('0703', 7)).toEqual({ grade: 7, classNo: 3 });
    expect(parseClass('703')).toBe('invalid');
    expect(parseClass('803', 7)).toBe('invalid');
  });

  it('rejects what is no class', () => {
    expect(parseClass('重点班')).toBe('invalid');
    expect(parseClass('')).toBeNull();
  });
});

describe('phone, guardian, family situation', () => {
  it('keeps the first phone number, cleaned', () => {
    expect(parsePhone('138 0013 8000')).toBe('13800138000');
    expect(parsePhone('１３８００１３８０００')).toBe('13800138000');
    expect(parsePhone('+86 13800138000')).toBe('13800138000');
    expect(parsePhone('13800138000/13900139000')).toBe('13800138000');
    expect(parsePhone('13800138000 13900139000')).toBe('13800138000');
    expect(parsePhone('0791-88881234')).toBe('0791-88881234');
    expect(parsePhone('无')).toBeNull();
    expect(parsePhone('')).toBeNull();
  });

  it('splits a guardian cell into name and relation', () => {
    expect(parseGuardian('张三（父亲）')).toEqual({ name: '张三', relation: '父亲' });
    expect(parseGuardian('父亲：张三')).toEqual({ name: '张三', relation: '父亲' });
    expect(parseGuardian('张 三')).toEqual({ name: '张三', relation: null });
    expect(parseGuardian('')).toBeNull();
  });

  it('maps family-situation words to FAMILY_FLAGS', () => {
    expect(familyFlagOf('低保户')).toBe('dibao');
    expect(familyFlagOf('建档立卡户')).toBe('poverty_registered');
    expect(familyFlagOf('脱贫户')).toBe('poverty_registered');
    expect(familyFlagOf('防返贫监测对象')).toBe('poverty_monitored');
    expect(familyFlagOf('孤儿')).toBe('orphan');
    expect(familyFlagOf('留守儿童')).toBe('left_behind');
    expect(familyFlagOf('事实无人抚养儿童')).toBe('unattended');
    expect(familyFlagOf('一般')).toBeNull();
    expect(parseFamilySituation('低保、孤儿')).toEqual({ flags: ['dibao', 'orphan'], unknown: [] });
    expect(parseFamilySituation('建档立卡户/留守儿童 父母离异')).toEqual({ flags: ['poverty_registered', 'left_behind'], unknown: ['父母离异'] });
    expect(parseFamilySituation('无')).toEqual({ flags: [], unknown: [] });
  });
});
