// The printables' content, pure: what goes in which section of the student's archive (学生帮扶档案)
// and of a teacher's 帮扶手册, in Chinese, modelled on the paper forms of the source documents
// (学生基本情况, 家庭情况, 帮扶教师, 联系方式, 资助项目, 受助情况, 帮扶记录, 家访记录, 学期复查). The input
// is already scoped and masked by the service; this file masks again what must never be printed in
// full (ID numbers anywhere in free text, guardians' phones) and leaves out psychological material.
// The PDF writer (pdf.ts) only draws the blocks.
import { maskIdNumber } from '../../../shared/id-number.js';
import { GRADE_NAMES, SEX_LABELS } from '../../../shared/registry.js';
import { SUPPORT_CATEGORY_LABELS } from '../support.schemas.js';
import { fenToYuanText } from '../aid/money.js';

// ───────────────────────────── the document model ─────────────────────────────

export interface Column {
  label: string;
  /** relative width */
  width: number;
}

export type Block =
  | { kind: 'title'; text: string; sub?: string }
  | { kind: 'heading'; text: string }
  /** a bordered form grid: `cols` label/value pairs per row; an item may span several pairs */
  | { kind: 'fields'; cols: number; items: { label: string; value: string; span?: number }[] }
  /** a bordered table; `blankRows` empty rows to fill by hand after the data (or in place of none) */
  | { kind: 'table'; columns: Column[]; rows: string[][]; empty?: string; blankRows?: number }
  | { kind: 'paragraph'; text: string; muted?: boolean }
  | { kind: 'list'; items: string[] }
  | { kind: 'signatures'; items: string[] }
  | { kind: 'cover'; title: string; sub: string; lines: [string, string][] }
  | { kind: 'pageBreak' };

export interface PrintDoc {
  /** PDF title and the running header's right side */
  title: string;
  /** the running header's left side: the school */
  header: string;
  /** printed in every footer beside the print time */
  footerNote: string;
  printedAt: string;
  author: string;
  blocks: Block[];
}

export const CONFIDENTIAL_NOTE = '内部资料 注意保密';
const NONE = '—';

// ───────────────────────────── masking ─────────────────────────────

/** 138****1234 for a mobile number; other numbers keep their last four. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const digits = phone.replace(/\s|-/g, '');
  if (/^1\d{10}$/.test(digits)) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.length <= 4) return '*'.repeat(digits.length);
  return '*'.repeat(digits.length - 4) + digits.slice(-4);
}

/** Any 18-character (or old 15-digit) ID number typed into free text, masked (360428********123X). */
export function scrubIdNumbers(text: string): string {
  return text
    .replace(/(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g, (m) => maskIdNumber(m.toUpperCase()))
    .replace(/(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])/g, (m) => maskIdNumber(m));
}

const clean = (v: string | null | undefined) => (v == null || v.trim() === '' ? NONE : scrubIdNumbers(v.trim()));

// ───────────────────────────── facts (what the service loads) ─────────────────────────────

export interface StudentFacts {
  name: string;
  sex: string | null;
  birthDate: string | null;
  /** masked 全国学籍号 (as stored) */
  studentNoMasked: string | null;
  idNumberMasked: string | null;
  schoolName: string;
  grade: number | null;
  className: string | null;
  address: string | null;
  guardians: { name: string; relation?: string | null; phone?: string | null }[];
  /** labels of the family flags, or null while masked (the caller may not or did not reveal them) */
  familyFlags: string[] | null;
}

export interface TeacherFacts {
  name: string;
  phone: string | null;
  subjects: string[];
  position: string | null;
  since: string | null;
}

export interface RecordFacts {
  date: string;
  type: string;
  typeLabel: string;
  recordedByName: string;
  confidential: boolean;
  /** null when the caller may not read it */
  content: string | null;
  fields: Record<string, unknown> | null;
  fieldLabels: Record<string, string>;
  statusLabel: string;
}

export interface HistoryFacts {
  at: string;
  eventLabel: string;
  fromLabel: string | null;
  toLabel: string;
  categoryLabels: string[];
  reason: string | null;
  note: string | null;
  semester: string | null;
  actorName: string;
}

export interface CaseFacts {
  id: number;
  schoolYear: string;
  categoryLabels: string[];
  statusLabel: string;
  closeReasonLabel: string | null;
  closedOn: string | null;
  weakSubjects: string[];
  causes: { label: string; note: string | null }[];
  strategies: { teaching: string[]; moral: string[] } | null;
  analysedBy: string | null;
  teachers: TeacherFacts[];
  peers: string[];
  history: HistoryFacts[];
  records: RecordFacts[];
  /** the aid granted in the case's school year (the aid module); absent: not loaded; `hidden`: the caller may not see it */
  aid?: AidFacts;
}

/** 受助情况 from the aid module (src/modules/support/aid): granted rows only, amounts in fen. */
export interface AidFacts {
  hidden: boolean;
  rows: { itemLabel: string; standardNote: string | null; term: number | null; grantedOn: string; amountFen: number; sourceLabel: string; methodLabel: string; note: string | null }[];
}

export interface ArchiveInput {
  student: StudentFacts;
  case: CaseFacts;
  printedBy: string;
  printedAt: string;
}

export interface HandbookInput {
  schoolName: string;
  teacher: TeacherFacts & { schoolName: string };
  schoolYear: string;
  students: { student: StudentFacts; case: CaseFacts }[];
  /** the teacher's quota standing this semester (compliance rows of the teacher) */
  standing: { period: string; asOf: string; rows: { ruleLabel: string; required: number; done: number; statusLabel: string }[] } | null;
  printedBy: string;
  printedAt: string;
}

// ───────────────────────────── pieces ─────────────────────────────

/** 学段 of a grade (九年一贯 numbering). */
export function stageOf(grade: number | null): string {
  if (grade == null) return NONE;
  if (grade <= 6) return '小学';
  if (grade <= 9) return '初中';
  return '高中';
}

const gradeClass = (s: StudentFacts) =>
  s.className ?? (s.grade != null ? (GRADE_NAMES[s.grade] ?? `${s.grade}年级`) : NONE);

const guardiansText = (s: StudentFacts) =>
  s.guardians.length === 0
    ? NONE
    : s.guardians.map((g) => [g.relation ? `${g.relation}：` : '', g.name, g.phone ? ` ${maskPhone(g.phone)}` : ''].join('')).join('；');

const familyText = (s: StudentFacts) =>
  s.familyFlags == null ? '（已隐藏：须有查看权限并填写原因后打印）' : s.familyFlags.length === 0 ? '无' : s.familyFlags.join('、');

const teachersText = (c: CaseFacts) => (c.teachers.length === 0 ? '（尚未安排）' : c.teachers.map((t) => t.name).join('、'));
const teacherPhones = (c: CaseFacts) => (c.teachers.length === 0 ? NONE : c.teachers.map((t) => `${t.name} ${t.phone ?? NONE}`).join('；'));

/** 学生基本情况 (and 家庭情况) as a form grid. */
export function studentFields(s: StudentFacts, c: CaseFacts): Block {
  return {
    kind: 'fields',
    cols: 2,
    items: [
      { label: '姓名', value: s.name },
      { label: '性别', value: s.sex ? (SEX_LABELS[s.sex] ?? s.sex) : NONE },
      { label: '学校', value: s.schoolName },
      { label: '学段', value: stageOf(s.grade) },
      { label: '年级班级', value: gradeClass(s) },
      { label: '出生日期', value: s.birthDate ?? NONE },
      { label: '全国学籍号', value: s.studentNoMasked ?? NONE },
      { label: '身份证号', value: s.idNumberMasked ?? NONE },
      { label: '家庭住址', value: clean(s.address), span: 2 },
      { label: '监护人及电话', value: guardiansText(s), span: 2 },
      { label: '家庭情况', value: familyText(s), span: 2 },
      { label: '帮扶类别', value: c.categoryLabels.join('、') || NONE },
      { label: '薄弱学科', value: c.weakSubjects.join('、') || NONE },
      { label: '帮扶教师', value: teachersText(c) },
      { label: '状态', value: c.closeReasonLabel ? `${c.statusLabel}（${c.closeReasonLabel}${c.closedOn ? `，${c.closedOn}` : ''}）` : c.statusLabel },
      { label: '教师联系电话', value: teacherPhones(c), span: 2 },
      ...(c.peers.length ? [{ label: '结对同学', value: c.peers.join('、'), span: 2 }] : []),
    ],
  };
}

/** 成因分析 and 帮扶措施 (教学线, 德育线). Psychological notes never appear here: they live in the sealed psych note. */
export function analysisBlocks(c: CaseFacts): Block[] {
  if (c.causes.length === 0 && !c.strategies) return [{ kind: 'paragraph', text: '尚未进行成因分析。', muted: true }];
  const out: Block[] = [{
    kind: 'table',
    columns: [{ label: '成因', width: 1 }, { label: '分析', width: 5 }],
    rows: c.causes.map((x) => [x.label, clean(x.note)]),
    empty: '未填写成因',
  }];
  if (c.strategies) {
    out.push({
      kind: 'table',
      columns: [{ label: '帮扶策略', width: 1 }, { label: '措施', width: 5 }],
      rows: [
        ['教学线', c.strategies.teaching.map(scrubIdNumbers).join('；') || NONE],
        ['德育线', c.strategies.moral.map(scrubIdNumbers).join('；') || NONE],
      ],
    });
  }
  if (c.analysedBy) out.push({ kind: 'paragraph', text: `分析人：${c.analysedBy}`, muted: true });
  return out;
}

/** The record types shown as 家访记录 rather than in the activity table. */
const VISIT_TYPES = new Set(['home_visit', 'phone_visit']);
/** Never printed, whoever prints: psychological support is read only through the audited psych view. */
const NEVER_PRINTED = new Set(['psych_support']);

/** The printed text of a record: the content, then its fields (without the result, which has its own column). */
export function recordText(r: RecordFacts, skip: readonly string[] = ['result']): string {
  if (r.confidential || r.content == null) return '（保密记录，内容不打印）';
  const parts = [r.content.trim()];
  for (const [k, v] of Object.entries(r.fields ?? {})) {
    if (skip.includes(k) || v == null || v === '' || v === false) continue;
    const label = r.fieldLabels[k] ?? k;
    parts.push(v === true ? label : `${label}：${String(v)}`);
  }
  return scrubIdNumbers(parts.filter(Boolean).join('；'));
}

const fieldOf = (r: RecordFacts, key: string) => (r.confidential || r.fields == null || r.fields[key] == null ? '' : scrubIdNumbers(String(r.fields[key])));

/** Records that may be printed, oldest first. */
export function printableRecords(records: readonly RecordFacts[]): RecordFacts[] {
  return records.filter((r) => !NEVER_PRINTED.has(r.type)).slice().sort((a, b) => a.date.localeCompare(b.date));
}

/** 帮扶记录 (activities) and 家访记录 (home and phone visits) tables. */
export function recordBlocks(records: readonly RecordFacts[], opts: { blankRows?: number } = {}): Block[] {
  const list = printableRecords(records);
  const visits = list.filter((r) => VISIT_TYPES.has(r.type));
  const others = list.filter((r) => !VISIT_TYPES.has(r.type));
  return [
    { kind: 'heading', text: '帮扶记录' },
    {
      kind: 'table',
      columns: [{ label: '日期', width: 1.25 }, { label: '方式', width: 1.3 }, { label: '帮扶内容', width: 4.2 }, { label: '效果', width: 2.2 }, { label: '记录人', width: 1 }, { label: '审核', width: 0.9 }],
      rows: others.map((r) => [r.date, r.typeLabel, recordText(r), fieldOf(r, 'result'), r.recordedByName, r.statusLabel]),
      empty: '暂无帮扶记录',
      ...(opts.blankRows ? { blankRows: opts.blankRows } : {}),
    },
    { kind: 'heading', text: '家访记录' },
    {
      kind: 'table',
      columns: [{ label: '日期', width: 1.25 }, { label: '方式', width: 1.1 }, { label: '对象', width: 1.2 }, { label: '家庭情况', width: 3 }, { label: '商定事项', width: 2.6 }, { label: '记录人', width: 1 }],
      rows: visits.map((r) => [r.date, r.typeLabel, fieldOf(r, 'met'), fieldOf(r, 'home_situation') || recordText(r, ['met', 'home_situation', 'agreed']), fieldOf(r, 'agreed'), r.recordedByName]),
      empty: '暂无家访记录',
      ...(opts.blankRows ? { blankRows: Math.min(2, opts.blankRows) } : {}),
    },
  ];
}

/**
 * 资助项目 and 受助情况: the aid module's grants of the case's school year with a total, then rows to
 * fill by hand; when the caller may not see family-economy data (or nothing was loaded), only the rows to fill.
 */
export function aidBlock(s: StudentFacts, c: CaseFacts, blankRows = 4): Block[] {
  const basis = s.familyFlags == null ? (c.categoryLabels.includes(SUPPORT_CATEGORY_LABELS.poverty) ? `${SUPPORT_CATEGORY_LABELS.poverty}（家庭情况已隐藏）` : NONE) : s.familyFlags.join('、') || '无';
  const rule: Block = { kind: 'paragraph', text: '受助情况由帮扶教师按实际发放情况填写并告知家长；资助未落实的，写明原因及责任人。', muted: true };
  if (!c.aid || c.aid.hidden) {
    return [
      { kind: 'paragraph', text: `资助依据：${basis}` },
      ...(c.aid?.hidden ? [{ kind: 'paragraph', text: '系统中的受助明细属家庭经济信息，您的角色无权查看，本次未打印。', muted: true } as Block] : []),
      {
        kind: 'table',
        columns: [{ label: '资助项目', width: 2.4 }, { label: '资助标准', width: 1.6 }, { label: '受助时间', width: 1.4 }, { label: '金额/数量', width: 1.3 }, { label: '告知家长（签字）', width: 1.8 }],
        rows: [],
        blankRows,
      },
      rule,
    ];
  }
  const list = c.aid.rows;
  const total = list.reduce((n, r) => n + r.amountFen, 0);
  const rows = list.map((r) => [
    r.term ? `${r.itemLabel}（第${r.term === 1 ? '一' : '二'}学期）` : r.itemLabel,
    clean(r.standardNote),
    r.grantedOn,
    fenToYuanText(r.amountFen),
    `${r.sourceLabel}·${r.methodLabel}${r.note ? `（${clean(r.note)}）` : ''}`,
    '',
  ]);
  if (list.length > 0) rows.push([`合计（${list.length} 项）`, '', '', fenToYuanText(total), '', '']);
  return [
    { kind: 'paragraph', text: `资助依据：${basis}` },
    {
      kind: 'table',
      columns: [{ label: '资助项目', width: 2.4 }, { label: '资助标准', width: 1.7 }, { label: '受助时间', width: 1.2 }, { label: '金额（元）', width: 1.1 }, { label: '来源·方式', width: 1.4 }, { label: '告知家长（签字）', width: 1.3 }],
      rows,
      empty: `${c.schoolYear} 学年系统中暂无受助记录`,
      blankRows: Math.min(2, blankRows),
    },
    rule,
  ];
}

/** 学期复查 (reviews) and the status history, oldest first. */
export function historyBlock(c: CaseFacts): Block {
  return {
    kind: 'table',
    columns: [{ label: '日期', width: 1.25 }, { label: '事项', width: 1.3 }, { label: '状态', width: 1.6 }, { label: '原因/说明', width: 4.3 }, { label: '经办人', width: 1.2 }],
    rows: c.history.map((h) => [
      h.at.slice(0, 10),
      h.eventLabel,
      h.fromLabel && h.fromLabel !== h.toLabel ? `${h.fromLabel} → ${h.toLabel}` : h.toLabel,
      [h.semester ? `${h.semester} 学期` : '', h.reason ? clean(h.reason) : '', h.note ? clean(h.note) : '', h.eventLabel.includes('类别') ? h.categoryLabels.join('、') : '']
        .filter(Boolean).join('；') || NONE,
      h.actorName,
    ]),
    empty: '无',
  };
}

const reviews = (c: CaseFacts) => c.history.filter((h) => h.semester && h.note);

// ───────────────────────────── the two documents ─────────────────────────────

/** The student's archive: one case, A4. */
export function archiveDoc(a: ArchiveInput): PrintDoc {
  const s = a.student;
  const c = a.case;
  return {
    title: '学生帮扶档案',
    header: s.schoolName,
    footerNote: CONFIDENTIAL_NOTE,
    printedAt: a.printedAt,
    author: a.printedBy,
    blocks: [
      { kind: 'title', text: '学生帮扶档案', sub: `${c.schoolYear} 学年 · 档案编号 ${c.id}` },
      { kind: 'heading', text: '一、学生基本情况' },
      studentFields(s, c),
      { kind: 'heading', text: '二、成因分析与帮扶措施' },
      ...analysisBlocks(c),
      { kind: 'heading', text: '三、资助项目及受助情况' },
      ...aidBlock(s, c),
      ...recordBlocks(c.records).map((b) => (b.kind === 'heading' ? { ...b, text: b.text === '帮扶记录' ? '四、帮扶记录' : '五、家访记录' } : b)),
      { kind: 'heading', text: '六、认定、复查与结案' },
      historyBlock(c),
      { kind: 'heading', text: '七、学期总结（成效）' },
      ...(reviews(c).length
        ? [{ kind: 'list', items: reviews(c).map((h) => `${h.semester} 学期：${clean(h.note)}`) } as Block]
        : [{ kind: 'paragraph', text: '（尚无学期复查；可手写）', muted: true } as Block]),
      { kind: 'signatures', items: ['班主任', '帮扶教师', '教导处', '家长'] },
    ],
  };
}

/** A teacher's 帮扶手册: a cover, the quota standing, then one section per student. */
export function handbookDoc(h: HandbookInput): PrintDoc {
  const t = h.teacher;
  const blocks: Block[] = [
    {
      kind: 'cover',
      title: '帮扶手册',
      sub: `${h.schoolYear} 学年`,
      lines: [
        ['学校', t.schoolName],
        ['帮扶教师', t.name],
        ['任教学科', t.subjects.join('、') || NONE],
        ['联系电话', t.phone ?? NONE],
        ['学年', h.schoolYear],
        ['帮扶学生', `${h.students.length} 人`],
      ],
    },
    { kind: 'pageBreak' },
    { kind: 'heading', text: '帮扶学生一览' },
    {
      kind: 'table',
      columns: [{ label: '序号', width: 0.7 }, { label: '姓名', width: 1.2 }, { label: '学段', width: 0.8 }, { label: '班级', width: 1.8 }, { label: '类别', width: 2.4 }, { label: '状态', width: 1 }, { label: '记录数', width: 0.9 }],
      rows: h.students.map((x, i) => [String(i + 1), x.student.name, stageOf(x.student.grade), gradeClass(x.student), x.case.categoryLabels.join('、'), x.case.statusLabel, String(printableRecords(x.case.records).length)]),
      empty: '本学年没有帮扶学生',
    },
    { kind: 'heading', text: '帮扶任务完成情况（本学期）' },
    ...(h.standing && h.standing.rows.length
      ? [
          { kind: 'table', columns: [{ label: '要求', width: 4 }, { label: '应完成', width: 1 }, { label: '已完成', width: 1 }, { label: '状态', width: 1.2 }], rows: h.standing.rows.map((r) => [r.ruleLabel, String(r.required), String(r.done), r.statusLabel]) } as Block,
          { kind: 'paragraph', text: `学期 ${h.standing.period}，统计至 ${h.standing.asOf}。`, muted: true } as Block,
        ]
      : [{ kind: 'paragraph', text: '本学期暂无配额统计。', muted: true } as Block]),
  ];
  h.students.forEach((x, i) => {
    const s = x.student;
    const c = x.case;
    blocks.push(
      { kind: 'pageBreak' },
      { kind: 'title', text: `${i + 1}. ${s.name}`, sub: `${c.categoryLabels.join('、')} · ${c.statusLabel}` },
      {
        kind: 'fields',
        cols: 2,
        items: [
          { label: '学校', value: s.schoolName },
          { label: '学段', value: stageOf(s.grade) },
          { label: '年级班级', value: gradeClass(s) },
          { label: '性别', value: s.sex ? (SEX_LABELS[s.sex] ?? s.sex) : NONE },
          { label: '家庭住址', value: clean(s.address), span: 2 },
          { label: '监护人及电话', value: guardiansText(s), span: 2 },
          { label: '帮扶教师', value: teachersText(c) },
          { label: '联系电话', value: t.phone ?? NONE },
          { label: '家庭情况', value: familyText(s), span: 2 },
        ],
      },
      { kind: 'heading', text: '资助项目及受助情况' },
      ...aidBlock(s, c, 3),
      { kind: 'heading', text: '帮扶计划' },
      ...analysisBlocks(c),
      ...recordBlocks(c.records, { blankRows: 2 }),
      { kind: 'heading', text: '学期总结（成效）' },
      ...(reviews(c).length
        ? [{ kind: 'list', items: reviews(c).map((r) => `${r.semester} 学期：${clean(r.note)}`) } as Block]
        : [{ kind: 'table', columns: [{ label: '学期总结（手写）', width: 1 }], rows: [], blankRows: 3 } as Block]),
      { kind: 'signatures', items: ['帮扶教师', '家长', '教导处'] },
    );
  });
  return { title: '帮扶手册', header: t.schoolName, footerNote: CONFIDENTIAL_NOTE, printedAt: h.printedAt, author: h.printedBy, blocks };
}

/** Every string a document prints (tests: nothing sensitive, the expected text). */
export function docText(d: PrintDoc): string {
  const out: string[] = [d.title, d.header, d.footerNote];
  for (const b of d.blocks) {
    switch (b.kind) {
      case 'title': out.push(b.text, b.sub ?? ''); break;
      case 'heading': case 'paragraph': out.push(b.text); break;
      case 'fields': for (const i of b.items) out.push(i.label, i.value); break;
      case 'table': out.push(...b.columns.map((c) => c.label), ...b.rows.flat(), b.empty ?? ''); break;
      case 'list': out.push(...b.items); break;
      case 'signatures': out.push(...b.items); break;
      case 'cover': out.push(b.title, b.sub, ...b.lines.flat()); break;
      case 'pageBreak': break;
    }
  }
  return out.join('\n');
}
