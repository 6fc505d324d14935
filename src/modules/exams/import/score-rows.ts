// The rows of a score sheet, parsed and kept compactly in memory: column arrays (typed
// arrays for numbers, interned schools and classes), not one object per row, so 300,000
// students × 9 subjects stay small. Identities are hashed as they are read (the keyed hash
// of the privacy module, passed in); a plain 学籍号 or ID number is never kept, except the
// ID of a row that also has a 学籍号, in memory only, hashed only if that 学籍号 matches
// nobody. Pure: no I/O.
import { countIdCell, idCellOf, idColumnStoredAsNumbers, idProblemMessage, maskIdNumber, maskStudentNo, parseIdNumber, type IdColumnCounts } from '../../../shared/id-number.js';
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

const BLOCK_BITS = 13;
/** Rows per block of scores and masked identities (blocks never move: growing copies nothing). */
const BLOCK = 1 << BLOCK_BITS;
/** A masked identity is ASCII of at most 32 characters (the 学籍号 check allows no more). */
const MASK_SLOT = 33;

/** The accepted rows of a file, column by column. Index i is the i-th accepted row. */
export class ScoreTable {
  n = 0;
  private cap = 1024;
  rowNo = new Int32Array(this.cap);
  /** blocks of BLOCK rows × subjects, row-major, exam subject order; NaN = absent */
  private readonly scoreBlocks: Float64Array[] = [];
  /** blocks of BLOCK slots: a length byte, then the masked 学籍号 or ID number in latin1 (length 0 = none) */
  private readonly maskBlocks: Buffer[] = [];
  name: string[] = [];
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

  constructor(readonly subjectCount: number) {}

  /** Makes room for one more row; returns its index. */
  add(rowNo: number): number {
    if (this.n === this.cap) {
      this.cap *= 2;
      this.rowNo = grow(this.rowNo, this.cap);
      this.schoolRef = grow(this.schoolRef, this.cap);
      this.classRef = grow(this.classRef, this.cap);
      this.status = grow(this.status, this.cap);
    }
    const i = this.n++;
    if ((i & (BLOCK - 1)) === 0 && this.scoreBlocks.length === i >> BLOCK_BITS) {
      this.scoreBlocks.push(new Float64Array(BLOCK * this.subjectCount));
      this.maskBlocks.push(Buffer.alloc(BLOCK * MASK_SLOT));
    }
    this.rowNo[i] = rowNo;
    return i;
  }

  /** The block holding row i's scores, and where they start in it. */
  scoresOf(i: number): { block: Float64Array; base: number } {
    return { block: this.scoreBlocks[i >> BLOCK_BITS]!, base: (i & (BLOCK - 1)) * this.subjectCount };
  }

  score(i: number, j: number): number {
    return this.scoreBlocks[i >> BLOCK_BITS]![(i & (BLOCK - 1)) * this.subjectCount + j]!;
  }

  setMasked(i: number, masked: string | null): void {
    const b = this.maskBlocks[i >> BLOCK_BITS]!;
    const at = (i & (BLOCK - 1)) * MASK_SLOT;
    if (masked == null) b[at] = 0;
    else b[at] = b.write(masked, at + 1, MASK_SLOT - 1, 'latin1');
  }

  masked(i: number): string | null {
    const b = this.maskBlocks[i >> BLOCK_BITS]!;
    const at = (i & (BLOCK - 1)) * MASK_SLOT;
    return b[at] === 0 ? null : b.toString('latin1', at + 1, at + 1 + b[at]!);
  }

  reject(i: number, reason: string): void {
    this.status[i] = REJECTED;
    this.reasons.set(i, reason);
  }

  /** Same student, school, class and scores: the same row typed twice. */
  sameContent(a: number, b: number): boolean {
    if (this.name[a] !== this.name[b] || this.masked(a) !== this.masked(b)) return false;
    if (this.schoolRef[a] !== this.schoolRef[b] || this.classRef[a] !== this.classRef[b]) return false;
    for (let j = 0; j < this.subjectCount; j++) {
      const x = this.score(a, j);
      const y = this.score(b, j);
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
  /** the file's ID cells, for the whole-file rule on IDs Excel stored as numbers (idColumnStoredAsNumbers) */
  readonly ids: IdColumnCounts = { withId: 0, zerosValid: 0, zerosInvalid: 0 };
  /** rows whose ID ends in 000 and passes its checks: table indices of accepted rows, indices into rejected of the others */
  private readonly zeroIds: { accepted: number[]; rejected: number[] } = { accepted: [], rejected: [] };
  private readonly schoolCells = new Map<string, Map<string, SchoolCell>>();
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
    // two levels (code, then name): no string is built per row to look the pair up
    let byName = this.schoolCells.get(code);
    if (!byName) this.schoolCells.set(code, (byName = new Map()));
    let s = byName.get(name);
    if (s) return s;
    const c = normalizeCode(code);
    const n = cleanText(name);
    if (c && !/^\d{10}$/.test(c)) s = { ref: -1, error: `学校标识码“${code.trim()}”不正确（应为10位数字）` };
    else if (!c && !n) s = { ref: -1, error: null };
    else {
      const known = this.table.schools.findIndex((x) => x.code === (c || null) && x.name === (n || null));
      if (known >= 0) s = { ref: known, error: null };
      else {
        this.table.schools.push({ code: c || null, name: n || null });
        s = { ref: this.table.schools.length - 1, error: null };
      }
    }
    byName.set(name, s);
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

    // most rows have no problem: the list of reasons is made only for those that do
    let reasons: string[] | null = null;
    const name = plainName(rawName) ? rawName : normalizePersonName(rawName);
    if (!name) (reasons ??= []).push('缺少姓名');
    else if (name.length > 40) (reasons ??= []).push('姓名过长（超过40个字符）');

    // identity: the 学籍号 first, else the ID number
    let studentNo: string | null = null;
    if (rawNo) {
      if (plainCode(rawNo)) studentNo = rawNo;
      else {
        const no = normalizeCode(rawNo);
        if (/^\d(\.\d+)?E\+?\d+$/.test(no) || /^\d+\.\d+$/.test(no)) (reasons ??= []).push(SCIENTIFIC_STUDENT_NO);
        else if (!/^[A-Z0-9][A-Z0-9-]{3,31}$/.test(no)) (reasons ??= []).push(`学籍号“${rawNo}”格式不正确`);
        else studentNo = no;
      }
    }
    let idNumber: string | null = null;
    let zerosValid = false;
    if (rawId) {
      const parsed = parseIdNumber(rawId, this.today);
      const cell = idCellOf(rawId, parsed);
      countIdCell(this.ids, cell);
      zerosValid = cell === 'zeros-valid';
      if (parsed.ok) idNumber = parsed.value.id;
      else (reasons ??= []).push(parsed.problem === 'scientific' ? idProblemMessage('scientific') : `${idProblemMessage(parsed.problem)}：“${rawId}”`);
    }

    const school = this.school(col.schoolCode >= 0 ? (cells[col.schoolCode] ?? '') : '', col.schoolName >= 0 ? (cells[col.schoolName] ?? '') : '');
    if (school.error) (reasons ??= []).push(school.error);
    else if (!rawNo && !rawId && school.ref < 0 && !this.opts.schoolImplied) {
      (reasons ??= []).push('该行没有学籍号或身份证号，也没有学校标识码或学校名称：无法确定学生，也无法归入学校');
    }

    // scores, into the table's next slot (rolled back if the row is rejected)
    const t = this.table;
    const subjects = this.opts.subjects;
    const S = subjects.length;
    const i = t.add(row.rowNo);
    const { block: scores, base } = t.scoresOf(i);
    for (let j = 0; j < S; j++) {
      const sp = subjects[j]!;
      const raw = cells[sp.col];
      const v = parseScore(raw);
      if (v >= 0 && v <= sp.fullMarks) scores[base + j] = v;
      else if (v === ABSENT) scores[base + j] = NaN;
      else (reasons ??= []).push(scoreProblem(sp.name, raw ?? '', v, sp.fullMarks)!);
    }

    if (reasons) {
      t.n--;
      if (zerosValid) this.zeroIds.rejected.push(this.rejected.length);
      this.rejected.push({ rowNo: row.rowNo, reason: reasons.join('；') });
      return;
    }
    if (zerosValid) this.zeroIds.accepted.push(i);
    t.name.push(name);
    t.schoolRef[i] = school.ref;
    t.classRef[i] = col.class >= 0 ? this.classRef(cells[col.class] ?? '') : -1;
    t.status[i] = OK;
    if (studentNo) {
      t.noHash.push(this.opts.studentNoHash(studentNo));
      t.idHash.push(null);
      // a copy: the ID may be a slice of the file's text, which it would keep alive
      t.laterId.push(idNumber == null ? null : JSON.parse(`"${idNumber}"`));
      t.setMasked(i, maskStudentNo(studentNo));
    } else if (idNumber) {
      t.noHash.push(null);
      t.idHash.push(this.opts.idHash(idNumber));
      t.laterId.push(null);
      t.setMasked(i, maskIdNumber(idNumber));
    } else {
      t.noHash.push(null);
      t.idHash.push(null);
      t.laterId.push(null);
      t.setMasked(i, null);
    }
  }

  /**
   * After the last row: when the file's IDs show that Excel stored the ID column as numbers
   * (idColumnStoredAsNumbers), every ID ending in 000 has lost its last digits, even one whose
   * checksum passes (it would match the wrong student, or nobody): those rows are rejected with
   * the per-row reason for a truncated ID. Returns how many accepted rows that rejected.
   */
  rejectIdsStoredAsNumbers(): number {
    if (!idColumnStoredAsNumbers(this.ids)) return 0;
    const reason = idProblemMessage('scientific');
    for (const k of this.zeroIds.rejected) this.rejected[k]!.reason += `；${reason}`;
    for (const i of this.zeroIds.accepted) this.table.reject(i, reason);
    return this.zeroIds.accepted.length;
  }
}

/** A name of Chinese characters only (most rows): normalizePersonName would not change it. */
function plainName(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 40) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x3400 || c > 0x9fff) return false;
  }
  return true;
}

/** A 学籍号 already clean: 4–32 of A–Z, 0–9 and '-', not starting with '-' (normalizeCode would not change it). */
function plainCode(s: string): boolean {
  const n = s.length;
  if (n < 4 || n > 32) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c === 45 && i > 0))) return false;
  }
  return true;
}

/**
 * Rows of the same student (same key): exact repeats are kept once (the later ones marked
 * DUPLICATE); otherwise every differing row is rejected and names the others' row numbers.
 * Only rows still OK take part. Returns how many rows were rejected.
 */
export function resolveSameStudent(t: ScoreTable, keyOf: (i: number) => string | null, reasonFor: (others: string, group: number[]) => string): number {
  const first = new Map<string, number>();
  const groups = new Map<number, number[]>();
  for (let i = 0; i < t.n; i++) {
    if (t.status[i] !== OK) continue;
    const k = keyOf(i);
    if (k === null) continue;
    const f = first.get(k);
    if (f === undefined) first.set(k, i);
    else addToGroup(groups, f, i);
  }
  return settleGroups(t, groups, reasonFor);
}

/**
 * The same as resolveSameStudent for integer keys (registered student ids; 0 = none),
 * without a map entry per row: a typed array indexed by the key when the keys are small.
 */
export function resolveSameStudentId(t: ScoreTable, keys: Int32Array, reasonFor: (others: string, group: number[]) => string): number {
  let max = 0;
  for (let i = 0; i < t.n; i++) if (keys[i]! > max) max = keys[i]!;
  const groups = new Map<number, number[]>();
  if (max <= 1 << 24) {
    const first = new Int32Array(max + 1).fill(-1);
    for (let i = 0; i < t.n; i++) {
      const k = keys[i]!;
      if (k <= 0 || t.status[i] !== OK) continue;
      const f = first[k]!;
      if (f < 0) first[k] = i;
      else addToGroup(groups, f, i);
    }
  } else {
    const first = new Map<number, number>();
    for (let i = 0; i < t.n; i++) {
      const k = keys[i]!;
      if (k <= 0 || t.status[i] !== OK) continue;
      const f = first.get(k);
      if (f === undefined) first.set(k, i);
      else addToGroup(groups, f, i);
    }
  }
  return settleGroups(t, groups, reasonFor);
}

/** Groups keyed by their first row. */
function addToGroup(groups: Map<number, number[]>, first: number, i: number): void {
  const g = groups.get(first);
  if (g) g.push(i);
  else groups.set(first, [first, i]);
}

function settleGroups(t: ScoreTable, groups: Map<number, number[]>, reasonFor: (others: string, group: number[]) => string): number {
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
      t.reject(i, reasonFor(shown, reps));
      rejected++;
    }
  }
  return rejected;
}
