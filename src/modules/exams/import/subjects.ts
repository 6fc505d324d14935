// Subject names and full marks of score sheets: what a header such as '语文(120)' or
// '语文（满分120）' means, the canonical name of a subject however schools abbreviate it,
// and the default full marks when neither the exam nor the header gives them.
// Pure functions: no I/O.

/** Canonical subject names we recognise in headers (others are accepted when their column holds scores). */
export const KNOWN_SUBJECTS = [
  '语文', '数学', '英语', '物理', '化学', '生物', '历史', '地理', '道德与法治', '科学',
  '音乐', '体育', '美术', '信息技术', '心理健康', '综合', '理综', '文综', '日语', '俄语',
] as const;

/** Variants (after normalisation) → canonical name. */
const SUBJECT_ALIASES: Record<string, string> = {
  语: '语文', 数: '数学', 英: '英语', 外语: '英语', 英文: '英语', 物: '物理', 化: '化学', 生: '生物', 生物学: '生物',
  史: '历史', 地: '地理', 政: '道德与法治', 政治: '道德与法治', 道法: '道德与法治', 思品: '道德与法治', 思想品德: '道德与法治',
  思想政治: '道德与法治', 道德与法制: '道德与法治', 德法: '道德与法治', 品德: '道德与法治', 品德与社会: '道德与法治',
  体育与健康: '体育', 信息: '信息技术', 信息科技: '信息技术', 心理: '心理健康', 理科综合: '理综', 文科综合: '文综',
};

const KNOWN = new Set<string>(KNOWN_SUBJECTS);

/** Words after a subject name that say "its score": 语文成绩, 数学分数. */
const SCORE_SUFFIX = /(成绩|分数|得分|卷面分|卷面成绩|原始分|考试成绩)$/;

/** Full-width to ASCII (NFKC), whitespace and decoration removed. */
function compact(raw: string): string {
  return raw.normalize('NFKC').replace(/[\s*★☆※'"“”‘’]/g, '');
}

/**
 * The canonical name of a subject written as `raw` (no full-marks hint in it):
 * '道法' → '道德与法治', '语文成绩' → '语文', '日语' stays '日语'.
 */
export function canonicalSubject(raw: string): string {
  let s = compact(raw);
  if (s.length > 2) s = s.replace(SCORE_SUFFIX, '');
  return SUBJECT_ALIASES[s] ?? s;
}

export function isKnownSubject(name: string): boolean {
  return KNOWN.has(name);
}

export interface SubjectHeader {
  /** canonical name */
  name: string;
  /** full marks written in the header ('语文(120)', '语文（满分120）', '语文/120分'), else null */
  fullMarksHint: number | null;
}

const BRACKETS = /[(\[【〔{<](.*?)[)\]】〕}>]/g;
const HINT_IN_BRACKETS = /^(?:满分|总分|卷面|分值)?[:=]?(\d{1,4}(?:\.\d+)?)分?$|^(?:满分|总分|分值)[:=]?(\d{1,4}(?:\.\d+)?)分?/;

/**
 * A subject header: its canonical name and the full marks it mentions.
 * '语文(120)', '语文（满分120）', '语文（满分:120分）', '语文/120', '语文120分', '语文成绩(120)' → 语文, 120.
 * Bracketed notes without a number ('数学(A卷)') are dropped. Returns null when nothing is left.
 */
export function parseSubjectHeader(raw: string): SubjectHeader | null {
  let s = compact(raw);
  if (!s) return null;
  let hint: number | null = null;
  s = s.replace(BRACKETS, (_all, inner: string) => {
    const m = HINT_IN_BRACKETS.exec(inner);
    if (m && hint == null) hint = Number(m[1] ?? m[2]);
    return '';
  });
  // '语文/120', '语文-120', '语文_120分', '语文120', '语文满分120'
  const tail = /^(.*?\D)[/\\_\-:]?(?:满分|总分)?[:=]?(\d{2,4}(?:\.\d+)?)分?$/.exec(s);
  if (tail && tail[1]) {
    if (hint == null) hint = Number(tail[2]);
    s = tail[1].replace(/[/\\_\-:=]$/, '');
  }
  if (!s) return null;
  const name = canonicalSubject(s);
  if (!name) return null;
  const full = hint != null && Number.isFinite(hint) && (hint as number) > 0 && (hint as number) <= 1000 ? (hint as number) : null;
  return { name, fullMarksHint: full };
}

/** 语文, 数学 and 英语 are worth 120 in junior grades (7–9), 100 otherwise; every other subject 100. */
export const DEFAULT_FULL_MARKS_NOTE = '语文、数学、英语在七至九年级默认满分 120，其他年级 100；其他科目默认 100';

/** The default full marks of a subject in a grade (see DEFAULT_FULL_MARKS_NOTE). */
export function defaultFullMarks(subject: string, grade: number): number {
  if ((subject === '语文' || subject === '数学' || subject === '英语') && grade >= 7 && grade <= 9) return 120;
  return 100;
}
