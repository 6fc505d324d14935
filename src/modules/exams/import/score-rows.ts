// The rows of a score sheet, parsed and kept compactly in memory: column arrays (typed
// arrays for numbers, interned schools and classes), not one object per row, so 300,000
// students × 9 subjects stay small. Identities are hashed as they are read (the keyed hash
// of the privacy module, passed in); a plain 学籍号 or ID number is never kept, except the
// ID of a row that also has a 学籍号, in memory only, hashed only if that 学籍号 matches
// nobody. Pure: no I/O.
import { idProblemMessage, maskIdNumber, maskStudentNo, parseIdNumber } from '../../../shared/id-number.js';
import type { SheetRow } from '../../roster-import/header-detection.js';
import { cleanText, normalizeCode, normalizePersonName } from '../../roster-import/row-normalize.js';
import { SCIENTIFIC_STUDENT_NO } from '../../roster-import/row-validate.js';
import { ABSENT, parseScore, scoreProblem } from './score-cell.js';
import type { IdentityField } from './score-header.js';

/** One exam subject as the parser reads it: its file column and full marks (exam order). */
export interface SubjectPlan {
  name: string;
  fullMarks: number;
  col: number;
}

export interface SchoolRef {
  /** 学校标识码 as written (normalised), or null */
  code: string | null;
  /** 学校名称 as written, or null */
  name: string | null;
}

/** Row status in the table. */
export const OK = 0;
export const REJECTED = 1;
/** an exact repeat of an earlier row: counted once, not reported */
export const DUPLICATE = 2;

function grow<T extends Int32Array | Float64Array | Uint8Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

/** The accepted rows of a file, column by column. Index i is the i-th accepted row. */
export class ScoreTable {
  n = 0;
  private cap = 1024;
  rowNo = new Int32Array(this.cap);
  /** n × subjects, row-major, exam subject order; NaN = absent */
  scores: Float64Array;
  name: string[] = [];
  /** the masked 学籍号 or ID number, or null */
  masked: (string | null)[] = [];
  /** keyed hash of the 学籍号 */
  noHash: (string | null)[] = [];
  /** keyed hash of the ID number (rows without a 学籍号, or hashed later) */
  idHash: (string | null)[] = [];
  /** the ID of a row that also has a 学籍号: in memory only, hashed if the 学籍号 matches nobody */
  laterId: (string | null)[] = [];
  /** index into schools, or -1 */
  schoolRef = new Int32Array(this.cap);
  /** index into classLabels, or -1 */
  classRef = new Int32Array(this.cap);
  status = new Uint8Array(this.cap);
  /** reasons of rows rejected after parsing (by index) */
  reasons = new Map<number, string>();
  readonly schools: SchoolRef[] = [];
  readonly classLabels: string[] = [];

  constructor(readonly subjectCount: number) {
    this.scores = new Float64Array(this.cap * subjectCount);
  }

  /** Makes room for one more row; returns its index. */
  add(rowNo: number): number {
    if (this.n === this.cap) {
      this.cap *= 2;
      this.rowNo = grow(this.rowNo, this.cap);
      this.scores = grow(this.scores, this.cap * this.subjectCount);
      this.schoolRef = grow(this.schoolRef, this.cap);
      this.classRef = grow(this.classRef, this.cap);
      this.status = grow(this.status, this.cap);
    }
    const i = this.n++;
    this.rowNo[i] = rowNo;
    return i;
  }

  score(i: number, j: number): number {
    return this.scores[i * this.subjectCount + j]!;
  }

  reject(i: number, reason: string): void {
    this.status[i] = REJECTED;
    this.reasons.set(i, reason);
  }

  /** Same student, school, class and scores: the same row typed twice. */
  sameContent(a: number, b: number): boolean {
    if (this.name[a] !== this.name[b] || this.masked[a] !== this.masked[b]) return false;
    if (this.schoolRef[a] !== this.schoolRef[b] || this.classRef[a] !== this.classRef[b]) return false;
    const s = this.subjectCount;
    for (let j = 0; j < s; j++) {
      const x = this.scores[a * s + j]!;
      const y = this.scores[b * s + j]!;
      if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return false;
    }
    return true;
  }
}

/** Rows of totals and averages under the table ('平均分', '合计'): not students. */
const SUMMARY_NAMES = new Set(['平均分', '平均', '合计', '总计', '小计', '最高分', '最低分', '及格率', '优秀率', '优生率', '合格率', '参考人数', '实考人数', '缺考人数', '应考人数', '及格人数', '优秀人数', '人数']);
/** A lone note under the table ('制表人：…', '注：…'). */
const NOTE = /^(注|说明|备注|合计|总计|制表|填表|审核|负责人|单位|日期|统计)|[:：]/;
/** The name column's header, repeated inside the data (a header on every printed page). */
const NAME_HEADERS = new Set(['姓名', '学生姓名', '名字', '姓 名']);

export interface ParseOptions {
  identity: Partial<Record<IdentityField, number>>;
  subjects: SubjectPlan[];
  /** keyed hashes of the privacy module (IdSealer.studentNoHash / hash) */
  studentNoHash(no: string): string;
  idHash(id: string): string;
  /** rows need no school (a school's own exam: the exam's school) */
  schoolImplied?: boolean;
  today?: Date;
}

interface SchoolCell {
  ref: number;
  error: string | null;
}

/** Reads data rows one at a time into a ScoreTable; rejected rows keep their row number and Chinese reasons. */
export class ScoreRowParser {
  readonly table: ScoreTable;
  /** rows rejected while parsing, in row order */
  readonly rejected: { rowNo: number; reason: string }[] = [];
  /** data rows seen (blank rows and notes not counted) */
  dataRows = 0;
  private readonly schoolCells = new Map<string, SchoolCell>();
  private readonly classCells = new Map<string, number>();
  private readonly col: Record<IdentityField, number>;
  private readonly today: Date;

  constructor(private readonly opts: ParseOptions) {
    this.table = new ScoreTable(opts.subjects.length);
    const f = opts.identity;
    this.col = {
      seq: f.seq ?? -1, studentNo: f.studentNo ?? -1, idNumber: f.idNumber ?? -1, name: f.name ?? -1,
      schoolCode: f.schoolCode ?? -1, schoolName: f.schoolName ?? -1, class: f.class ?? -1,
    };
    this.today = opts.today ?? new Date();
  }

  /** True when the row is no student: blank, only a 序号, a note, a repeated header, a line of averages. */
  private skip(cells: string[], rawName: string, hasIdentity: boolean): boolean {
    let filled = 0;
    let last = -1;
    for (let c = 0; c < cells.length; c++) {
      const v = cells[c];
      if (v === undefined || v === '' || v.trim() === '') continue;
      filled++;
      last = c;
    }
    if (filled === 0) return true;
    if (filled === 1 && (last === this.col.seq || (last !== this.col.name && NOTE.test(cells[last]!.trim())))) return true;
    const nameText = rawName.trim();
    // the header repeated on every printed page
    if (NAME_HEADERS.has(nameText)) return true;
    if (!hasIdentity) {
      if (nameText && SUMMARY_NAMES.has(nameText.replace(/\s+/g, ''))) return true;
      if (!nameText) {
        // school or class cells only, no name, no scores: nothing to import
        let scores = 0;
        for (const s of this.opts.subjects) if (cells[s.col] !== undefined && cells[s.col]!.trim() !== '') scores++;
        if (scores === 0) return true;
      }
    }
    return false;
  }

  private school(code: string, name: string): SchoolCell {
    const key = code + '\u0001' + name;
    let s = this.schoolCells.get(key);
    if (s) return s;
    const c = normalizeCode(code);
    const n = cleanText(name);
    if (c && !/^\d{10}$/.test(c)) s = { ref: -1, error: `学校标识码“${code.trim()}”不正确（应为10位数字）` };
    else if (!c && !n) s = { ref: -1, error: null };
    else {
      this.table.schools.push({ code: c || null, name: n || null });
      s = { ref: this.table.schools.length - 1, error: null };
    }
    this.schoolCells.set(key, s);
    return s;
  }

  private classRef(raw: string): number {
    let r = this.classCells.get(raw);
    if (r !== undefined) return r;
    const label = cleanText(raw);
    if (!label) r = -1;
    else {
      r = this.table.classLabels.indexOf(label);
      if (r < 0) {
        this.table.classLabels.push(label);
        r = this.table.classLabels.length - 1;
      }
    }
    this.classCells.set(raw, r);
    return r;
  }

  push(row: SheetRow): void {
    const cells = row.cells;
    const col = this.col;
    const rawName = col.name >= 0 ? (cells[col.name] ?? '') : '';
    const rawNo = col.studentNo >= 0 ? (cells[col.studentNo] ?? '').trim() : '';
    const rawId = col.idNumber >= 0 ? (cells[col.idNumber] ?? '').trim() : '';
    if (this.skip(cells, rawName, rawNo !== '' || rawId !== '')) return;
    this.dataRows++;

    const reasons: string[] = [];
    const name = normalizePersonName(rawName);
    if (!name) reasons.push('缺少姓名');
    else if (name.length > 40) reasons.push('姓名过长（超过40个字符）');

    // identity: the 学籍号 first, else the ID number
    let studentNo: string | null = null;
    if (rawNo) {
      const no = normalizeCode(rawNo);
      if (/^\d(\.\d+)?E\+?\d+$/.test(no) || /^\d+\.\d+$/.test(no)) reasons.push(SCIENTIFIC_STUDENT_NO);
      else if (!/^[A-Z0-9][A-Z0-9-]{3,31}$/.test(no)) reasons.push(`学籍号“${rawNo}”格式不正确`);
      else studentNo = no;
    }
    let idNumber: string | null = null;
    if (rawId) {
      const parsed = parseIdNumber(rawId, this.today);
      if (parsed.ok) idNumber = parsed.value.id;
      else reasons.push(parsed.problem === 'scientific' ? idProblemMessage('scientific') : `${idProblemMessage(parsed.problem)}：“${rawId}”`);
    }

    const school = this.school(col.schoolCode >= 0 ? (cells[col.schoolCode] ?? '') : '', col.schoolName >= 0 ? (cells[col.schoolName] ?? '') : '');
    if (school.error) reasons.push(school.error);
    else if (!rawNo && !rawId && school.ref < 0 && !this.opts.schoolImplied) {
      reasons.push('该行没有学籍号或身份证号，也没有学校标识码或学校名称：无法确定学生，也无法归入学校');
    }

    // scores, into the table's next slot (rolled back if the row is rejected)
    const t = this.table;
    const subjects = this.opts.subjects;
    const S = subjects.length;
    const i = t.add(row.rowNo);
    const base = i * S;
    for (let j = 0; j < S; j++) {
      const sp = subjects[j]!;
      const raw = cells[sp.col];
      const v = parseScore(raw);
      if (v >= 0 && v <= sp.fullMarks) t.scores[base + j] = v;
      else if (v === ABSENT) t.scores[base + j] = NaN;
      else reasons.push(scoreProblem(sp.name, raw ?? '', v, sp.fullMarks)!);
    }

    if (reasons.length) {
      t.n--;
      this.rejected.push({ rowNo: row.rowNo, reason: reasons.join('；') });
      return;
    }
    t.name.push(name);
    t.schoolRef[i] = school.ref;
    t.classRef[i] = col.class >= 0 ? this.classRef(cells[col.class] ?? '') : -1;
    t.status[i] = OK;
    if (studentNo) {
      t.noHash.push(this.opts.studentNoHash(studentNo));
      t.idHash.push(null);
      t.laterId.push(idNumber);
      t.masked.push(maskStudentNo(studentNo));
    } else if (idNumber) {
      t.noHash.push(null);
      t.idHash.push(this.opts.idHash(idNumber));
      t.laterId.push(null);
      t.masked.push(maskIdNumber(idNumber));
    } else {
      t.noHash.push(null);
      t.idHash.push(null);
      t.laterId.push(null);
      t.masked.push(null);
    }
  }
}

/**
 * Rows of the same student (same key): exact repeats are kept once (the later ones marked
 * DUPLICATE); otherwise every differing row is rejected and names the others' row numbers.
 * Only rows still OK take part. `what` names the key in the reason ('学籍号', '身份证号').
 */
export function resolveSameStudent(t: ScoreTable, keyOf: (i: number) => string | number | null, reasonFor: (others: string) => string): number {
  const first = new Map<string | number, number>();
  let groups: Map<string | number, number[]> | null = null;
  for (let i = 0; i < t.n; i++) {
    if (t.status[i] !== OK) continue;
    const k = keyOf(i);
    if (k === null) continue;
    const f = first.get(k);
    if (f === undefined) {
      first.set(k, i);
      continue;
    }
    groups ??= new Map();
    let g = groups.get(k);
    if (!g) groups.set(k, (g = [f]));
    g.push(i);
  }
  if (!groups) return 0;
  let rejected = 0;
  for (const g of groups.values()) {
    const reps: number[] = [];
    for (const i of g) {
      if (reps.some((r) => t.sameContent(r, i))) t.status[i] = DUPLICATE;
      else reps.push(i);
    }
    if (reps.length < 2) continue;
    for (const i of reps) {
      const others = reps.filter((r) => r !== i).map((r) => t.rowNo[r]!);
      const shown = others.slice(0, 5).join('、') + (others.length > 5 ? ' 等' : '');
      t.reject(i, reasonFor(shown));
      rejected++;
    }
  }
  return rejected;
}
