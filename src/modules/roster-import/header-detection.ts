// Finds the header row of a roster (below any title rows) and maps its columns to
// roster fields by their Chinese names and the variants schools actually use.
import type { FamilyFlag } from '../../shared/registry.js';
import { familyFlagOf } from './row-normalize.js';

export type RosterField =
  | 'seq'
  | 'name'
  | 'sex'
  | 'idNumber'
  | 'studentNo'
  | 'birthDate'
  | 'ethnicity'
  | 'grade'
  | 'class'
  | 'schoolCode'
  | 'schoolName'
  | 'address'
  | 'guardianName'
  | 'guardianRelation'
  | 'phone'
  | 'fatherName'
  | 'fatherPhone'
  | 'motherName'
  | 'motherPhone'
  | 'familySituation'
  | 'remark';

/** Header texts (after normalizeHeaderText) for each field. */
const ALIASES: Record<RosterField, string[]> = {
  seq: ['序号', '编号', '顺序号', 'no', 'no.'],
  name: ['姓名', '学生姓名', '名字'],
  sex: ['性别', '学生性别'],
  idNumber: ['身份证号', '身份证号码', '身份证件号', '身份证件号码', '证件号码', '证件号', '公民身份号码', '公民身份证号', '公民身份证号码', '学生身份证号', '学生身份证号码', '身份证'],
  studentNo: ['学籍号', '全国学籍号', '学籍号码', '全国学籍号码', '国家学籍号', '学生学籍号', '学籍编号', '个人标识码'],
  birthDate: ['出生日期', '出生年月', '出生年月日', '生日', '出生时间'],
  ethnicity: ['民族', '民族代码'],
  grade: ['年级', '所在年级', '年级名称', '就读年级', '当前年级'],
  class: ['班级', '班级名称', '所在班级', '班别', '班号', '班', '就读班级'],
  schoolCode: ['学校标识码', '学校代码', '学校编码', '学校识别码', '学校编号', '学校标识'],
  schoolName: ['学校名称', '学校', '所在学校', '就读学校', '学校全称', '学校名'],
  address: ['家庭住址', '家庭地址', '现住址', '住址', '居住地址', '家庭现住址', '现居住地址', '家庭详细地址', '通讯地址', '地址'],
  guardianName: ['监护人', '监护人姓名', '家长姓名', '家长', '第一监护人', '监护人1', '监护人1姓名', '联系人', '联系人姓名'],
  guardianRelation: ['监护人关系', '与学生关系', '关系', '与本人关系', '监护人与学生关系', '家长与学生关系'],
  phone: ['联系电话', '联系方式', '监护人电话', '监护人联系电话', '监护人联系方式', '家长电话', '家长联系电话', '家长联系方式', '手机号', '手机号码', '电话', '电话号码', '联系人电话', '家庭电话', '监护人手机', '监护人手机号'],
  fatherName: ['父亲姓名', '父亲'],
  fatherPhone: ['父亲电话', '父亲联系电话', '父亲手机', '父亲手机号', '父亲联系方式'],
  motherName: ['母亲姓名', '母亲'],
  motherPhone: ['母亲电话', '母亲联系电话', '母亲手机', '母亲手机号', '母亲联系方式'],
  familySituation: ['家庭情况', '家庭类型', '困难类型', '家庭经济情况', '家庭困难类型', '特殊情况', '学生类别', '资助对象类别', '特殊群体类型'],
  remark: ['备注', '说明'],
};

const ALIAS_INDEX = new Map<string, RosterField>();
for (const [field, list] of Object.entries(ALIASES) as [RosterField, string[]][]) {
  for (const alias of list) ALIAS_INDEX.set(alias, field);
}

/** Group labels of a two-row header: 监护人 over 姓名 | 电话 | 关系. */
const GUARDIAN_GROUPS = new Set(['监护人', '监护人信息', '家长', '家长信息', '监护人情况', '第一监护人', '联系人']);

/**
 * A header cell as comparable text: full-width to ASCII (NFKC), notes in brackets
 * dropped ('身份证号（必填）'), spaces, line breaks, stars and colons removed.
 */
export function normalizeHeaderText(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/\(.*?\)|\[.*?\]|【.*?】|〔.*?〕|<.*?>|〈.*?〉|《.*?》/g, '')
    .replace(/[\s*★☆※:：#'"“”‘’]/g, '')
    .replace(/^(必填|选填)|(必填|选填)$/g, '')
    .toLowerCase();
}

export type ColumnTarget = { kind: 'field'; field: RosterField } | { kind: 'flag'; flag: FamilyFlag };

/** What a header cell means, or null when it is no roster column we know. */
export function matchHeader(raw: string): ColumnTarget | null {
  const text = normalizeHeaderText(raw);
  if (!text) return null;
  const direct = ALIAS_INDEX.get(text) ?? ALIAS_INDEX.get(text.replace(/^学生/, ''));
  if (direct) return { kind: 'field', field: direct };
  // 是否留守儿童, 是否建档立卡户, 是否低保 …: one yes/no column per family flag
  const yesNo = /^是否(为|属于|是)?(.+?)(户|家庭|学生)?$/.exec(text);
  if (yesNo) {
    const flag = familyFlagOf(yesNo[2]!) ?? familyFlagOf(yesNo[2]! + (yesNo[3] ?? ''));
    if (flag) return { kind: 'flag', flag };
  }
  return null;
}

export interface SheetRow {
  /** 1-based row number in the spreadsheet (or record number in a CSV) */
  rowNo: number;
  cells: string[];
}

export interface ColumnMap {
  fields: Partial<Record<RosterField, number>>;
  /** yes/no columns of family flags, by column index */
  flags: { flag: FamilyFlag; col: number }[];
}

export interface HeaderFound {
  ok: true;
  /** index into the scanned rows of the (last) header row; data follows it */
  headerIndex: number;
  headerRowNo: number;
  /** the header texts, one per column (two-row headers joined), for the errors file */
  headerCells: string[];
  columns: ColumnMap;
}

export interface HeaderMissing {
  ok: false;
  /** Chinese, for the user */
  message: string;
}

/** Rows scanned for the header. */
export const HEADER_SCAN_ROWS = 30;

function scoreRow(cells: string[]): number {
  const seen = new Set<string>();
  for (const c of cells) {
    const m = c ? matchHeader(c) : null;
    if (m) seen.add(m.kind === 'field' ? m.field : 'flag:' + m.flag);
  }
  return seen.size;
}

function mapColumns(cells: string[]): ColumnMap {
  const fields: Partial<Record<RosterField, number>> = {};
  const flags: { flag: FamilyFlag; col: number }[] = [];
  cells.forEach((c, col) => {
    const m = c ? matchHeader(c) : null;
    if (!m) return;
    if (m.kind === 'flag') {
      if (!flags.some((f) => f.flag === m.flag)) flags.push({ flag: m.flag, col });
    } else if (fields[m.field] === undefined) {
      // the first column of a kind wins (e.g. 联系电话 before 手机号码)
      fields[m.field] = col;
    }
  });
  return { fields, flags };
}

/**
 * Finds the header among the first rows: the row matching the most known column names
 * (title rows, merged across the sheet, match none). A second header row under it
 * (监护人 merged over 姓名 | 电话) is folded in. Reports missing required columns in Chinese.
 */
export function detectHeader(rows: SheetRow[]): HeaderFound | HeaderMissing {
  const scan = rows.slice(0, HEADER_SCAN_ROWS);
  let best = -1;
  let bestScore = 0;
  scan.forEach((r, i) => {
    const s = scoreRow(r.cells);
    if (s > bestScore) {
      best = i;
      bestScore = s;
    }
  });
  if (best < 0 || bestScore < 2) {
    return { ok: false, message: `在前 ${HEADER_SCAN_ROWS} 行中没有找到表头：表头行应包含“姓名”“身份证号”或“学籍号”“年级”“班级”等列名` };
  }
  const header = scan[best]!;
  const headerCells = [...header.cells];
  const columns = mapColumns(header.cells);
  let headerIndex = best;

  // A second header row: known names directly under the header, in columns the first
  // row left empty (a merged group cell) or labelled with a group such as 监护人.
  const next = scan[best + 1];
  if (next && scoreRow(next.cells) >= 2 && !next.cells.some((c) => /\d{6,}/.test(c))) {
    let group = '';
    const width = Math.max(header.cells.length, next.cells.length);
    for (let col = 0; col < width; col++) {
      const top = header.cells[col] ?? '';
      if (top) group = normalizeHeaderText(top);
      const sub = next.cells[col] ?? '';
      const m = sub ? matchHeader(sub) : null;
      if (!m) continue;
      const underGuardian = GUARDIAN_GROUPS.has(group);
      const topTarget = top ? matchHeader(top) : null;
      // a top cell that already names a column keeps it, unless it is only the 监护人 group label
      if (topTarget && !underGuardian) continue;
      if (m.kind === 'flag') {
        if (!columns.flags.some((fl) => fl.flag === m.flag)) columns.flags.push({ flag: m.flag, col });
      } else {
        const field: RosterField = underGuardian && m.field === 'name' ? 'guardianName' : m.field;
        if (columns.fields.guardianName === col && field !== 'guardianName') delete columns.fields.guardianName;
        if (columns.fields[field] === undefined) columns.fields[field] = col;
      }
      headerCells[col] = top && normalizeHeaderText(top) !== normalizeHeaderText(sub) ? `${top}/${sub}` : sub;
      if (!top && group) headerCells[col] = `${group}/${sub}`;
    }
    headerIndex = best + 1;
  }

  const f = columns.fields;
  const missing: string[] = [];
  if (f.name === undefined) missing.push('姓名');
  if (f.idNumber === undefined && f.studentNo === undefined) missing.push('身份证号或学籍号');
  if (f.class === undefined) missing.push('班级');
  if (missing.length) {
    return { ok: false, message: `表头（第 ${header.rowNo} 行）缺少必需的列：${missing.join('、')}` };
  }
  return { ok: true, headerIndex, headerRowNo: scan[headerIndex]!.rowNo, headerCells, columns };
}
