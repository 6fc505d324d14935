// One roster row → a clean student record, or the Chinese reasons it cannot be imported.
// Pure: what needs the database (schools, existing students, scope) is checked at merge time.
import { idCellOf, idProblemMessage, parseIdNumber, type IdCell } from '../../shared/id-number.js';
import { FAMILY_FLAGS, GRADE_NAMES, SEX_LABELS, type FamilyFlag } from '../../shared/registry.js';
import type { ColumnMap, RosterField } from './header-detection.js';
import {
  cleanText,
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
  parseYesNo,
} from './row-normalize.js';

export interface Guardian {
  name: string;
  relation: string | null;
  phone: string | null;
}

export interface ValidRow {
  /** 学校标识码 from the row, or the import's default school; null when only a name is given */
  schoolCode: string | null;
  schoolName: string | null;
  studentNo: string | null;
  /** the 18-character ID (15-digit ones upgraded), or null */
  idNumber: string | null;
  name: string;
  sex: '1' | '2';
  birthDate: string | null;
  ethnicity: string | null;
  address: string | null;
  /** null when the row says nothing about guardians (the stored ones stay) */
  guardians: Guardian[] | null;
  grade: number;
  classNo: number;
  /** flags the row asserts, and flags a 是否… column explicitly denies */
  flagsOn: FamilyFlag[];
  flagsOff: FamilyFlag[];
}

export type { IdCell };

export type RowCheck =
  | { kind: 'skip' }
  | { kind: 'ok'; row: ValidRow; idCell: IdCell }
  | { kind: 'rejected'; reasons: string[]; idCell: IdCell };

export interface CheckRowOptions {
  defaultSchoolCode?: string | null;
  today?: Date;
  /**
   * The file's ID column was stored as numbers (decided on the whole file): an ID ending in 000
   * is then read as truncated by Excel, with the same reason as one whose checksum fails, even
   * when its checksum passes.
   */
  idColumnAsNumbers?: boolean;
}

export const SCIENTIFIC_STUDENT_NO = '学籍号被 Excel 存成了数字（科学计数法），后几位已经丢失，无法还原；请把该列设为“文本”后重新填写';

const NOTE = /^(注|说明|备注|合计|总计|共计|制表|填表|审核|负责人|单位|日期)|[:：]/;

function cellOf(cells: string[], col: number | undefined): string {
  return col === undefined ? '' : (cells[col] ?? '');
}

/**
 * Checks one data row. Blank rows, rows with only a 序号, and lone notes under the table
 * ('制表人：…', '合计：300人') are skipped rather than reported.
 */
export function checkRow(cells: string[], columns: ColumnMap, opts: CheckRowOptions = {}): RowCheck {
  const f = columns.fields;
  const clean = cells.map(cleanText);
  const get = (field: RosterField) => cellOf(clean, f[field]);
  let filled = 0;
  let only = -1;
  let onlySeqOrRemark = true;
  clean.forEach((c, i) => {
    if (c === '') return;
    filled++;
    only = i;
    if (i !== f.seq && i !== f.remark) onlySeqOrRemark = false;
  });
  if (filled === 0 || onlySeqOrRemark) return { kind: 'skip' };
  if (filled === 1 && only !== f.name && NOTE.test(clean[only]!)) return { kind: 'skip' };

  const reasons: string[] = [];
  const today = opts.today ?? new Date();

  // school
  let schoolCode: string | null = normalizeCode(get('schoolCode')) || null;
  const schoolName = get('schoolName') || null;
  if (schoolCode && !/^\d{10}$/.test(schoolCode)) reasons.push(`学校标识码“${get('schoolCode')}”不正确（应为10位数字）`);
  if (!schoolCode && !schoolName) {
    schoolCode = opts.defaultSchoolCode ?? null;
    if (!schoolCode) reasons.push('未指定学校：该行没有学校标识码或学校名称，导入时也没有选择学校');
  }

  // identity
  const name = normalizePersonName(get('name'));
  if (!name) reasons.push('缺少姓名');
  else if (/\d/.test(name)) reasons.push(`姓名“${name}”中含有数字`);
  else if (name.length > 40) reasons.push('姓名过长（超过40个字符）');

  const rawId = get('idNumber');
  let idNumber: string | null = null;
  let idBirth: string | null = null;
  let idSex: '1' | '2' | null = null;
  let idCell: IdCell = 'none';
  if (rawId) {
    const parsed = parseIdNumber(rawId, today);
    idCell = idCellOf(rawId, parsed);
    if (parsed.ok && !(idCell === 'zeros-valid' && opts.idColumnAsNumbers)) {
      idNumber = parsed.value.id;
      idBirth = parsed.value.birthDate;
      idSex = parsed.value.sex;
    } else {
      const problem = parsed.ok ? 'scientific' : parsed.problem;
      reasons.push(problem === 'scientific' ? idProblemMessage('scientific') : `${idProblemMessage(problem)}：“${rawId}”`);
    }
  }

  const rawNo = get('studentNo');
  let studentNo: string | null = null;
  if (rawNo) {
    const no = normalizeCode(rawNo);
    if (/^\d(\.\d+)?E\+?\d+$/.test(no) || /^\d+\.\d+$/.test(no)) reasons.push(SCIENTIFIC_STUDENT_NO);
    else if (!/^[A-Z0-9][A-Z0-9-]{3,31}$/.test(no)) reasons.push(`学籍号“${rawNo}”格式不正确`);
    else studentNo = no;
  }
  if (!rawId && !rawNo) reasons.push('缺少身份证号和学籍号（至少填写一项）');

  // sex and birth date, checked against the ID
  const rawSex = get('sex');
  const sexParsed = parseSex(rawSex);
  let sex: '1' | '2' | null = null;
  if (sexParsed === 'invalid') reasons.push(`无法识别的性别“${rawSex}”（应为男或女）`);
  else if (sexParsed && idSex && sexParsed !== idSex) {
    reasons.push(`性别（${SEX_LABELS[sexParsed]}）与身份证号不一致（身份证号第17位表示${SEX_LABELS[idSex]}）`);
  } else sex = sexParsed ?? idSex;
  if (!sex && sexParsed === null && !rawId) reasons.push('缺少性别');

  const rawBirth = get('birthDate');
  const birth = parseDate(rawBirth, today);
  let birthDate: string | null = idBirth;
  if (birth && !birth.ok) reasons.push(`无法识别的出生日期“${rawBirth}”`);
  else if (birth?.ok) {
    const given = 'date' in birth ? birth.date : birth.yearMonth;
    if (idBirth && !idBirth.startsWith(given)) reasons.push(`出生日期（${given}）与身份证号中的出生日期（${idBirth}）不一致`);
    else if (!idBirth && 'date' in birth) birthDate = birth.date;
  }

  const rawEth = get('ethnicity');
  const eth = parseEthnicity(rawEth);
  if (eth === 'invalid') reasons.push(`无法识别的民族“${rawEth}”`);

  // grade and class
  const rawGrade = get('grade');
  const gradeParsed = parseGrade(rawGrade);
  if (gradeParsed === 'invalid') reasons.push(`无法识别的年级“${rawGrade}”（应为1–9年级，如“七年级”“初一”“7”）`);
  const gradeCol = typeof gradeParsed === 'number' ? gradeParsed : null;
  const rawClass = get('class');
  const klass = parseClass(rawClass, gradeCol);
  let grade: number | null = gradeCol;
  let classNo: number | null = null;
  if (klass === null) reasons.push('缺少班级');
  else if (klass === 'invalid' || klass.classNo > 99) reasons.push(`无法识别的班级“${rawClass}”（应如“3班”“(3)班”“七年级3班”）`);
  else {
    classNo = klass.classNo;
    if (klass.grade != null && gradeCol != null && klass.grade !== gradeCol) {
      reasons.push(`年级（${GRADE_NAMES[gradeCol]}）与班级“${rawClass}”中的年级不一致`);
    }
    grade = gradeCol ?? klass.grade;
    if (grade == null && gradeParsed === null) reasons.push('缺少年级（文件没有“年级”列时，班级须写成“七年级3班”的形式）');
  }

  // guardians: the main guardian, then father and mother columns
  const guardians: Guardian[] = [];
  const main = parseGuardian(get('guardianName'));
  const mainPhone = parsePhone(get('phone'));
  const mainRelation = get('guardianRelation') || null;
  if (main || mainPhone) guardians.push({ name: main?.name ?? '', relation: mainRelation ?? main?.relation ?? null, phone: mainPhone });
  for (const [nameField, phoneField, relation] of [['fatherName', 'fatherPhone', '父亲'], ['motherName', 'motherPhone', '母亲']] as const) {
    const n = normalizePersonName(get(nameField));
    const p = parsePhone(get(phoneField));
    if (!n && !p) continue;
    const same = guardians.find((g) => g.name && g.name === n);
    if (same) {
      same.relation ??= relation;
      same.phone ??= p;
    } else guardians.push({ name: n, relation, phone: p });
  }

  // family situation
  const flagsOn: FamilyFlag[] = [];
  const flagsOff: FamilyFlag[] = [];
  if (f.familySituation !== undefined) flagsOn.push(...parseFamilySituation(get('familySituation')).flags);
  for (const { flag, col } of columns.flags) {
    const raw = cellOf(clean, col);
    const yes = parseYesNo(raw);
    if (yes === 'invalid') reasons.push(`“是否${FAMILY_FLAGS[flag]}”一栏的“${raw}”无法识别（应为是或否）`);
    else if (yes === true && !flagsOn.includes(flag)) flagsOn.push(flag);
    else if (yes === false) flagsOff.push(flag);
  }

  if (reasons.length || !sex || grade == null || classNo == null) {
    return { kind: 'rejected', reasons: reasons.length ? reasons : ['该行数据不完整'], idCell };
  }
  return {
    kind: 'ok',
    idCell,
    row: {
      schoolCode,
      schoolName,
      studentNo,
      idNumber,
      name,
      sex,
      birthDate,
      ethnicity: eth === 'invalid' ? null : eth,
      address: get('address') || null,
      guardians: guardians.length ? guardians : null,
      grade,
      classNo,
      flagsOn: flagsOn.sort(),
      flagsOff: flagsOff.filter((x) => !flagsOn.includes(x)).sort(),
    },
  };
}
