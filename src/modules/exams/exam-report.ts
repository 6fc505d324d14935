// The 后20% report from STORED rows (exam_unit_results + exam_subject_stats): CSV, JSON and
// .xlsx, for the CLI (`bangfu report bottom20`) and the export endpoints.
//
// CSV headers (lines end with \n, no BOM; ratio = bottom ÷ enrolled in JavaScript's shortest
// exact form, computed from the stored integers exactly as the engine does; cut = the cut
// score in points, `absent` when absentees alone fill the bottom group):
//   --by school   subject,school,enrolled,bottom,ratio,rank,cut            (= bottom20SchoolCsv)
//   --by class    subject,school,class,class_name,head_teacher,enrolled,bottom,ratio,rank,rank_in_school,cut
//   --by teacher  subject,school,teacher,teacher_name,enrolled,bottom,ratio,rank,rank_in_school,cut
// school = 学校标识码 (a teacher of several schools: empty); class = the stable class key
// (学校标识码/入学年份/班号); teacher = the teacher id. Rows: subjects in exam order, 总分 last;
// then schools by code, classes by class number, teachers by id.
import { toCsv, type ReportRow } from '../../lib/report-output.js';
import type { UnitLevelName, UnitRow } from './exam-analysis.schemas.js';

export type Cut = number | 'absent' | null;

export const CSV_HEADERS: Record<UnitLevelName, string[]> = {
  school: ['subject', 'school', 'enrolled', 'bottom', 'ratio', 'rank', 'cut'],
  class: ['subject', 'school', 'class', 'class_name', 'head_teacher', 'enrolled', 'bottom', 'ratio', 'rank', 'rank_in_school', 'cut'],
  teacher: ['subject', 'school', 'teacher', 'teacher_name', 'enrolled', 'bottom', 'ratio', 'rank', 'rank_in_school', 'cut'],
};

export type { ReportRow };

/** Report rows of a level from stored unit rows; `cuts` by subject. */
export function reportRows(level: UnitLevelName, rows: readonly UnitRow[], cuts: ReadonlyMap<string, Cut>): ReportRow[] {
  return rows.map((r): ReportRow => {
    const ratio = r.bottom / r.enrolled; // the engine's own expression: the same bits
    const cut = cuts.get(r.subject) ?? null;
    const school = level === 'teacher' ? r.schoolCode : (r.schoolCode ?? r.unitKey);
    if (level === 'school') return { subject: r.subject, school, enrolled: r.enrolled, bottom: r.bottom, ratio, rank: r.rank, cut };
    if (level === 'class') {
      return {
        subject: r.subject, school, class: r.unitKey, class_name: r.unitName, head_teacher: r.headTeacher,
        enrolled: r.enrolled, bottom: r.bottom, ratio, rank: r.rank, rank_in_school: r.rankInSchool, cut,
      };
    }
    return {
      subject: r.subject, school, teacher: r.unitKey, teacher_name: r.unitName,
      enrolled: r.enrolled, bottom: r.bottom, ratio, rank: r.rank, rank_in_school: r.rankInSchool, cut,
    };
  });
}

/** The CSV text: header, one line per row, \n line ends, no BOM. */
export function reportCsv(level: UnitLevelName, rows: readonly ReportRow[]): string {
  return toCsv(CSV_HEADERS[level], rows);
}

const LEVEL_ZH: Record<UnitLevelName, string> = { school: '学校', class: '班级', teacher: '教师' };
const STATUS_ZH: Record<string, string> = { met: '达标', not_met: '未达标', not_measurable: '暂无法评价' };

export interface SubjectHeader {
  subject: string;
  cut: Cut;
  n: number;
  absent: number;
  position: number;
  bottom: number;
}

/**
 * The spreadsheet: one sheet per subject (总分 last), a title line with the cut score, then
 * one row per unit with Chinese headers. Percentages are stored as fractions with a % format.
 */
export async function reportXlsx(level: UnitLevelName, examName: string, subjects: readonly SubjectHeader[], rows: readonly UnitRow[]): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const bySubject = new Map<string, UnitRow[]>();
  for (const r of rows) {
    let list = bySubject.get(r.subject);
    if (!list) bySubject.set(r.subject, (list = []));
    list.push(r);
  }
  const used = new Set<string>();
  for (const s of subjects) {
    const list = bySubject.get(s.subject) ?? [];
    let sheetName = s.subject.replace(/[*?:\\/[\]]/g, '_').slice(0, 31) || '科目';
    while (used.has(sheetName)) sheetName = `${sheetName.slice(0, 29)}_${used.size}`;
    used.add(sheetName);
    const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 2 }] });
    const cutText = s.cut === 'absent' ? '缺考（缺考人数已占满后20%）' : s.cut === null ? '—' : String(s.cut);
    const title = ws.addRow([`${examName} ${s.subject} 后20%（按${LEVEL_ZH[level]}） 分数线：${cutText}；应考 ${s.n} 人，缺考 ${s.absent} 人，第 ${s.position} 名为分数线，后20%共 ${s.bottom} 人`]);
    title.font = { bold: true };
    const head =
      level === 'school'
        ? ['科目', '学校标识码', '学校', '应考人数', '后20%人数', '比例', '全县名次']
        : level === 'class'
          ? ['科目', '学校标识码', '学校', '班级', '班主任', '应考人数', '后20%人数', '比例', '全县名次', '校内名次']
          : ['科目', '学校标识码', '学校', '教师', '应考人数', '后20%人数', '比例', '全县名次', '校内名次'];
    const tail = ['分数线', '缺考人数', '人平分', '合格率', '优生率', '综合分', '比上次（百分点）', '比基准（百分点）', '目标', '目标说明'];
    const headRow = ws.addRow([...head, ...tail]);
    headRow.font = { bold: true };
    for (const r of list) {
      const lead =
        level === 'school'
          ? [r.subject, r.schoolCode ?? r.unitKey, r.schoolName ?? r.unitName, r.enrolled, r.bottom, r.bottom / r.enrolled, r.rank]
          : level === 'class'
            ? [r.subject, r.schoolCode ?? '', r.schoolName ?? '', r.unitName, r.headTeacher ?? '', r.enrolled, r.bottom, r.bottom / r.enrolled, r.rank, r.rankInSchool || '']
            : [r.subject, r.schoolCode ?? '', r.schoolName ?? '', r.unitName, r.enrolled, r.bottom, r.bottom / r.enrolled, r.rank, r.rankInSchool || ''];
      const row = ws.addRow([
        ...lead,
        s.cut === 'absent' ? '缺考' : s.cut,
        r.absent,
        r.mean === null ? '' : round(r.mean, 2),
        r.passRate ?? '',
        r.excellenceRate ?? '',
        r.composite === null ? '' : round(r.composite, 2),
        r.pointsVsPrevious === null ? '' : round(r.pointsVsPrevious, 2),
        r.pointsVsBaseline === null ? '' : round(r.pointsVsBaseline, 2),
        r.targetStatus ? STATUS_ZH[r.targetStatus] : '',
        r.targetNote ?? '',
      ]);
      const ratioCol = head.indexOf('比例') + 1;
      row.getCell(ratioCol).numFmt = '0.00%';
      row.getCell(head.length + 4).numFmt = '0.00%';
      row.getCell(head.length + 5).numFmt = '0.00%';
    }
    ws.columns.forEach((col, k) => {
      col.width = k === head.length + tail.length - 1 ? 60 : k < head.length && (head[k] === '学校' || head[k] === '班级') ? 20 : 12;
    });
  }
  if (subjects.length === 0) wb.addWorksheet('无数据').addRow(['该考试尚未分析']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export interface AwardExportRow {
  level: 'class' | 'teacher';
  unitName: string;
  schoolName: string | null;
  subject: string;
  rule: string;
  amount: number;
  reason: string;
  status: string;
  reviewedBy: { name: string } | null;
  reviewNote: string | null;
}

const AWARD_STATUS_ZH: Record<string, string> = { computed: '待审核', approved: '已通过', rejected: '未通过' };

export async function awardsXlsx(examName: string, rows: readonly AwardExportRow[]): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('奖励', { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.addRow([`${examName} 后20%帮扶成效奖励（金额单位：元）`]).font = { bold: true };
  ws.addRow(['学校', '对象', '类别', '科目', '奖项', '金额', '理由', '审核状态', '审核人', '审核意见']).font = { bold: true };
  for (const r of rows) {
    ws.addRow([r.schoolName ?? '', r.unitName, r.level === 'class' ? '班级' : '教师', r.subject, r.rule, r.amount, r.reason,
      AWARD_STATUS_ZH[r.status] ?? r.status, r.reviewedBy?.name ?? '', r.reviewNote ?? '']);
  }
  const total = rows.filter((r) => r.status !== 'rejected').reduce((a, r) => a + r.amount, 0);
  ws.addRow(['合计（不含未通过）', '', '', '', '', total]).font = { bold: true };
  ws.columns.forEach((col, k) => {
    col.width = k === 6 ? 60 : k === 0 || k === 1 ? 20 : 12;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
