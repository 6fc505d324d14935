// Finds the header of a score sheet in the wide layout (one row per student, a column per
// subject), below any title rows, and says what each column is: an identity column
// (学籍号, 身份证号, 姓名, 学校标识码, 学校名称, 班级 — the roster importer's aliases), a
// subject, or a column we ignore (考号, 序号, 总分, 名次, 性别 …). A header may span two
// rows: '成绩' merged over 语文 | 数学, or 语文 merged over 分数 | 名次.
import { matchHeader, normalizeHeaderText, type RosterField, type SheetRow } from '../../roster-import/header-detection.js';
import { ABSENT, parseScore } from './score-cell.js';
import { isKnownSubject, parseSubjectHeader } from './subjects.js';

export type IdentityField = 'seq' | 'studentNo' | 'idNumber' | 'name' | 'schoolCode' | 'schoolName' | 'class';
const IDENTITY_FIELDS = new Set<RosterField>(['seq', 'studentNo', 'idNumber', 'name', 'schoolCode', 'schoolName', 'class']);

export interface SubjectColumn {
  col: number;
  /** canonical subject name */
  name: string;
  fullMarksHint: number | null;
  /** the header text as in the file */
  header: string;
}

export interface ScoreHeaderFound {
  ok: true;
  /** index into the scanned rows of the (last) header row; data follows it */
  headerIndex: number;
  headerRowNo: number;
  /** one text per column (two-row headers joined), for the errors file */
  headerCells: string[];
  identity: Partial<Record<IdentityField, number>>;
  subjects: SubjectColumn[];
}

export interface ScoreHeaderMissing {
  ok: false;
  /** Chinese, for the user */
  message: string;
}

/** Rows scanned for the header (the same as the roster importer). */
export const SCORE_HEADER_SCAN_ROWS = 30;

/** Columns of exam sheets that are not subjects: exam numbers, totals we compute ourselves, ranks, grades. */
const IGNORED_EXACT = new Set([
  '考号', '准考证号', '准考号', '考生号', '考试号', '考籍号', '座位号', '座号', '考场', '考场号', '试场', '试室', '考点', '学号', '班内学号',
  '总分', '总成绩', '合计', '总计', '总分数', '成绩合计', '总和', '总分合计', '平均分', '均分', '等级', '等第', '备注', '说明',
]);
const IGNORED_PATTERN = /(名次|排名|排序|位次|校次|班次|县次|级次|市次|等级|等第|评价|评级|赋分|标准分|折算分?|百分比)$|^(总分|平均)/;

/** Words under a subject in a two-row header: the column with the score. */
const SCORE_WORDS = new Set(['分数', '成绩', '得分', '原始分', '卷面分', '卷面', '分']);
/** Group labels above the subjects in a two-row header. */
const GROUP_LABELS = /^(成绩|考试成绩|各科成绩|各科分数|科目|学科|考试科目|分数|学科成绩|单科成绩|科目成绩|各学科成绩|得分)$/;

type Label =
  | { kind: 'empty' }
  | { kind: 'identity'; field: IdentityField }
  | { kind: 'ignored' }
  | { kind: 'subject'; name: string; fullMarksHint: number | null; known: boolean };

/** What a header text means. */
export function classifyHeader(raw: string): Label {
  const text = normalizeHeaderText(raw);
  if (!text) return { kind: 'empty' };
  const m = matchHeader(raw);
  if (m) return m.kind === 'field' && IDENTITY_FIELDS.has(m.field) ? { kind: 'identity', field: m.field as IdentityField } : { kind: 'ignored' };
  if (IGNORED_EXACT.has(text) || IGNORED_PATTERN.test(text)) return { kind: 'ignored' };
  const s = parseSubjectHeader(raw);
  if (!s) return { kind: 'ignored' };
  // a bare number as header ('1', '2026') is no subject
  if (/^\d+$/.test(s.name)) return { kind: 'ignored' };
  return { kind: 'subject', name: s.name, fullMarksHint: s.fullMarksHint, known: isKnownSubject(s.name) };
}

/** How many columns of a header we recognise: identity fields and known subjects (distinct), exam columns. */
function recognised(labels: string[]): number {
  const seen = new Set<string>();
  let ignoredExam = 0;
  for (const l of labels) {
    if (!l) continue;
    const c = classifyHeader(l);
    if (c.kind === 'identity') seen.add('f:' + c.field);
    else if (c.kind === 'subject' && c.known) seen.add('s:' + c.name);
    else if (c.kind === 'ignored' && IGNORED_EXACT.has(normalizeHeaderText(l))) ignoredExam++;
  }
  return seen.size + Math.min(ignoredExam, 2);
}

/** True when the row has a name or identity column, or at least two known subjects. */
function plausible(labels: string[]): boolean {
  let subjects = 0;
  for (const l of labels) {
    if (!l) continue;
    const c = classifyHeader(l);
    if (c.kind === 'identity' && c.field !== 'seq') return true;
    if (c.kind === 'subject' && c.known) subjects++;
  }
  return subjects >= 2;
}

interface Combined {
  labels: string[];
  display: string[];
}

/**
 * Two header rows as one: a cell under a group label ('成绩' merged over the subjects)
 * or under nothing takes the lower text; '分数' under a subject is that subject's score
 * column, '名次' under it a rank column (ignored).
 */
function combine(top: string[], sub: string[]): Combined {
  const width = Math.max(top.length, sub.length);
  const labels: string[] = [];
  const display: string[] = [];
  let group = '';
  for (let col = 0; col < width; col++) {
    const t = (top[col] ?? '').trim();
    const u = (sub[col] ?? '').trim();
    if (t) group = t;
    if (!u) {
      labels.push(t);
      display.push(t);
      continue;
    }
    const un = normalizeHeaderText(u);
    const owner = t || group;
    if (SCORE_WORDS.has(un) && owner && !GROUP_LABELS.test(normalizeHeaderText(owner))) {
      labels.push(owner);
      display.push(`${owner}/${u}`);
    } else if (IGNORED_PATTERN.test(un) && owner) {
      labels.push('名次');
      display.push(`${owner}/${u}`);
    } else if (!t || GROUP_LABELS.test(normalizeHeaderText(t))) {
      labels.push(u);
      display.push(t ? `${t}/${u}` : u);
    } else {
      labels.push(t);
      display.push(t);
    }
  }
  return { labels, display };
}

/** A row made only of header words (分数 | 名次 | 语文 …), never of data. */
function headerWordsOnly(cells: string[]): boolean {
  let words = 0;
  for (const c of cells) {
    if (!c || !c.trim()) continue;
    const n = normalizeHeaderText(c);
    if (SCORE_WORDS.has(n) || IGNORED_PATTERN.test(n) || GROUP_LABELS.test(n)) {
      words++;
      continue;
    }
    const k = classifyHeader(c);
    if (k.kind === 'identity' || (k.kind === 'subject' && k.known)) {
      words++;
      continue;
    }
    return false;
  }
  return words > 0;
}

function columnLetter(col: number): string {
  let s = '';
  for (let n = col + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/**
 * Finds the header among the first rows (the row, or pair of rows, naming the most
 * columns we know) and maps its columns. An unknown header is a subject when the sample
 * rows under it hold scores (numbers or 缺考) in that column. `schoolImplied`: rows need no
 * school column (a school's own exam).
 */
export function detectScoreHeader(rows: SheetRow[], opts: { schoolImplied?: boolean } = {}): ScoreHeaderFound | ScoreHeaderMissing {
  const scan = rows.slice(0, SCORE_HEADER_SCAN_ROWS);
  let best = -1;
  let bestScore = 0;
  scan.forEach((r, i) => {
    if (!plausible(r.cells)) return;
    const s = recognised(r.cells);
    if (s > bestScore) {
      best = i;
      bestScore = s;
    }
  });
  if (best < 0 || bestScore < 2) {
    return { ok: false, message: `在前 ${SCORE_HEADER_SCAN_ROWS} 行中没有找到成绩表的表头：表头行应包含“姓名”“学籍号”或“身份证号”以及各科目（如“语文”“数学”）等列名` };
  }

  // one header row, or two: the row above (group labels over subjects) or below (分数 | 名次, or the subjects)
  let chosen: Combined = { labels: [...scan[best]!.cells], display: [...scan[best]!.cells] };
  let headerIndex = best;
  let usedRowAbove = false;
  if (best > 0) {
    const up = combine(scan[best - 1]!.cells, scan[best]!.cells);
    if (recognised(up.labels) > bestScore) {
      chosen = up;
      usedRowAbove = true;
    }
  }
  const next = scan[best + 1];
  if (next && !usedRowAbove) {
    const chosenScore = bestScore;
    const down = combine(scan[best]!.cells, next.cells);
    const s = recognised(down.labels);
    if (s > chosenScore || (s === chosenScore && headerWordsOnly(next.cells))) {
      chosen = down;
      headerIndex = best + 1;
    }
  }

  const headerRowNo = scan[headerIndex]!.rowNo;
  const sample = scan.slice(headerIndex + 1);
  const identity: Partial<Record<IdentityField, number>> = {};
  const subjects: SubjectColumn[] = [];
  const seenSubject = new Map<string, number>();
  for (let col = 0; col < chosen.labels.length; col++) {
    const raw = chosen.labels[col] ?? '';
    if (!raw.trim()) continue;
    const c = classifyHeader(raw);
    if (c.kind === 'identity') {
      if (identity[c.field] === undefined) identity[c.field] = col;
      continue;
    }
    if (c.kind !== 'subject') continue;
    if (!c.known && !holdsScores(sample, col)) continue;
    const prev = seenSubject.get(c.name);
    if (prev !== undefined) {
      return { ok: false, message: `表头（第 ${headerRowNo} 行）中科目“${c.name}”出现了两次（第 ${columnLetter(prev)} 列和第 ${columnLetter(col)} 列），请只保留一列` };
    }
    seenSubject.set(c.name, col);
    subjects.push({ col, name: c.name, fullMarksHint: c.fullMarksHint, header: chosen.display[col] || raw });
  }

  const missing: string[] = [];
  if (identity.name === undefined) missing.push('“姓名”');
  const anyIdentity = identity.studentNo !== undefined || identity.idNumber !== undefined;
  const anySchool = identity.schoolCode !== undefined || identity.schoolName !== undefined;
  if (!anyIdentity && !anySchool && !opts.schoolImplied) missing.push('“学籍号”或“身份证号”（或“学校标识码”“学校名称”）');
  if (missing.length) return { ok: false, message: `表头（第 ${headerRowNo} 行）缺少必需的列：${missing.join('、')}` };
  if (subjects.length === 0) {
    return { ok: false, message: `表头（第 ${headerRowNo} 行）中没有找到科目成绩列：科目列的列名应为科目名称，如“语文”“数学”“语文(120)”` };
  }
  const headerCells = chosen.display.map((d, i) => d || chosen.labels[i] || '');
  return { ok: true, headerIndex, headerRowNo, headerCells, identity, subjects };
}

/** An unknown column is a subject when its sample cells are scores or absences, and at least one is a number. */
function holdsScores(sample: SheetRow[], col: number): boolean {
  let numbers = 0;
  let other = 0;
  for (const r of sample) {
    const v = r.cells[col];
    if (v === undefined || v.trim() === '') continue;
    const p = parseScore(v);
    if (p >= 0) numbers++;
    else if (p !== ABSENT) other++;
  }
  return numbers > 0 && other <= numbers / 10;
}
