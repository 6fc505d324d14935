// Support outcomes (docs/support.md "Outcomes"): a supported student's trajectory across the
// cohort's exams, progress awards computed from two exams, the comparison of supported students
// with similar unsupported ones (an estimate), and the mix of support (课内/课外 …).
// The rules are the pure files beside this one; here: reading, scope, and a small cache of each
// exam's standings (percentiles and bottom groups), keyed by the exam's analysis stamp.
import { readAll, type Queryable } from '../../../db/client.js';
import type { AppContext } from '../../../server/context.js';
import { badRequest, notFound } from '../../../server/errors.js';
import type { Caller } from '../../../server/http.js';
import { loadPackedScores, previousExamId, subjectStats } from '../../exams/exam-analysis.repo.js';
import { loadAnalysisSettings } from '../../exams/exam-settings.service.js';
import { cutOf } from '../../exams/exam-analysis.service.js';
import { parseIntColumn, parseNumberColumn } from '../../exams/score-columns.js';
import * as pairingsRepo from '../../pairings/pairings.repo.js';
import { getSetting } from '../../exams/exam-analysis.repo.js';
import { currentSchoolYear } from '../support.service.js';
import { compareGroups, DEFAULT_BAND_WIDTH, type ComparisonEntry, type ComparisonEstimate } from './comparison.js';
import { dimensionMix, dimensionsOf, helperOfRange, helperOn, typeMix, type DimensionCount, type HelperSpan } from './mix.js';
import {
  AWARD_KIND_LABELS,
  progressRulesSchema,
  type AwardLine,
  type AwardsView,
  type awardsQuery,
  type ComparisonView,
  type comparisonQuery,
  type MixUnit,
  type MixView,
  type mixQuery,
  type OutcomeExamRef,
  type TrajectoryView,
} from './outcomes.schemas.js';
import * as repo from './outcomes.repo.js';
import { classMonthlyAwards, DEFAULT_PROGRESS_RULES, schoolTermAwards, type ProgressEntry, type ProgressRules } from './progress-awards.js';
import { inBottom, percentileRanks, quantise, round2 } from './standing.js';
import type { z } from 'zod';

export const PROGRESS_RULES_KEY = 'support.progressRules';

// ───────────────────────────── standings of one exam ─────────────────────────────

export interface ExamStanding {
  exam: repo.OutcomeExamRow;
  /** population 应考: rows + registered students without a row (absent) */
  population: number;
  /** registered student → row */
  index: Map<number, number>;
  classIds: Int32Array;
  schoolIds: Int32Array;
  /** 总分 in points (NaN = absent) */
  total: Float64Array;
  percentile: Float64Array;
  bottomTotal: Uint8Array;
  /** subject names and, per subject, the bottom mask */
  subjects: string[];
  bottom: Uint8Array[];
}

const CACHE_SIZE = 32;
const caches = new WeakMap<object, Map<string, ExamStanding>>();

/** Percentiles and bottom groups of an exam, from its scores and stored cuts (cached by exam and stamp). */
export async function examStanding(q: Queryable, db: object, exam: repo.OutcomeExamRow, decimals: number): Promise<ExamStanding> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const key = `${exam.id}|${exam.stamp}|${decimals}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key); // LRU: most recent last
    cache.set(key, hit);
    return hit;
  }
  const subjects = exam.subjects;
  const [packed, stats, schools] = await readAll(q, [() => loadPackedScores(q, exam.id, subjects.length), () => subjectStats(q, exam.id), () => repo.studentSchools(q, exam.id)]);
  const n = packed.n;
  const studentIds = parseIntColumn(packed.studentIds, n);
  const classIds = parseIntColumn(packed.classIds, n);
  // the row's school (a student's row names it even when last year's class is not registered)
  const m = schools?.n ?? 0;
  const sIds = parseIntColumn(schools?.studentIds, m);
  const sSchools = parseIntColumn(schools?.schoolIds, m);
  const schoolOf = new Map<number, number>();
  for (let i = 0; i < m; i++) schoolOf.set(sIds[i]!, sSchools[i]!);
  const schoolIds = new Int32Array(n);
  for (let i = 0; i < n; i++) schoolIds[i] = schoolOf.get(studentIds[i]!) ?? -1;
  const cuts = new Map(stats.map((s) => [s.subject, cutOf(s)] as const));
  const totalCut = cutOf(stats.find((s) => s.isTotal) ?? { cut: null, cutIsAbsent: false });

  const totalQ = new Float64Array(n);
  let counted = 0;
  const bottom: Uint8Array[] = [];
  subjects.forEach((subject, k) => {
    const scores = parseNumberColumn(packed.scores[k], n);
    const mask = new Uint8Array(n);
    const cut = cuts.get(subject.name) ?? null;
    for (let i = 0; i < n; i++) {
      const qv = quantise(scores[i]!, decimals);
      if (cut != null && inBottom(qv, cut, decimals)) mask[i] = 1;
      if (subject.countsToTotal) totalQ[i]! += qv; // NaN (absent) propagates
    }
    if (subject.countsToTotal) counted++;
    bottom.push(mask);
  });
  if (counted === 0) totalQ.fill(NaN);
  const percentile = percentileRanks(totalQ, exam.missingCount);
  const bottomTotal = new Uint8Array(n);
  const total = new Float64Array(n);
  const scale = 10 ** decimals;
  for (let i = 0; i < n; i++) {
    total[i] = totalQ[i]! / scale;
    if (totalCut != null && inBottom(totalQ[i]!, totalCut, decimals)) bottomTotal[i] = 1;
  }
  const index = new Map<number, number>();
  for (let i = 0; i < n; i++) if (studentIds[i]! > 0 && !index.has(studentIds[i]!)) index.set(studentIds[i]!, i);
  const standing: ExamStanding = {
    exam, population: n + exam.missingCount, index, classIds, schoolIds, total, percentile, bottomTotal,
    subjects: subjects.map((s) => s.name), bottom,
  };
  cache.set(key, standing);
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return standing;
}

async function decimalsOf(q: Queryable): Promise<number> {
  return (await loadAnalysisSettings(q)).options.scoreDecimals;
}

/** The student's percentile at an exam; null without a row or when absent for the total. */
function measuredPercentile(s: ExamStanding, row: number | undefined): number | null {
  if (row === undefined) return null;
  const t = s.total[row]!;
  return t === t ? s.percentile[row]! : null;
}

const examRef = (e: repo.OutcomeExamRow): OutcomeExamRef => ({
  id: e.id, name: e.name, kind: e.kind, schoolYear: e.schoolYear, term: e.term, grade: e.grade, examDate: e.examDate,
});
const startOf = (schoolYear: string) => Number(schoolYear.slice(0, 4));

export const PERCENTILE_DEFINITION =
  '全县百分位 = 100 × (总分低于该生的人数 + 与该生总分相同的人数 ÷ 2) ÷ 应考人数。应考含缺考及登记在册但无成绩行的学生，缺考按最低分计；' +
  '总分按考试分析的小数位取整后比较。后20%按该科（或总分）已存储的划线判断：分数不高于划线（缺考始终在内；划线为“缺考”时仅缺考学生）。';

// ───────────────────────────── trajectory ─────────────────────────────

export async function trajectory(ctx: AppContext, c: Caller, caseId: number): Promise<TrajectoryView> {
  const kase = await repo.visibleCase(ctx.db, caseId, c.scope.supportCases('x'));
  if (!kase) throw notFound('帮扶对象');
  let cohort: number | null = kase.grade != null ? startOf(kase.schoolYear) - kase.grade : null;
  if (cohort == null) cohort = (await repo.cohortsSat(ctx.db, kase.studentId))[0]?.cohort ?? null;
  const exams = cohort == null ? [] : await repo.cohortExams(ctx.db, cohort);
  const decimals = await decimalsOf(ctx.db);
  const points = [];
  for (const exam of exams) {
    const s = await examStanding(ctx.db, ctx.db, exam, decimals);
    const row = s.index.get(kase.studentId);
    const sat = row !== undefined;
    const total = sat ? s.total[row]! : NaN;
    points.push({
      ...examRef(exam),
      sat,
      total: total === total ? total : null,
      absent: sat && total !== total,
      percentile: sat ? round2(s.percentile[row]!) : null,
      population: s.population,
      bottomTotal: sat && s.bottomTotal[row] === 1,
      bottomSubjects: sat ? s.subjects.filter((_, k) => s.bottom[k]![row] === 1) : [],
      inCaseYear: exam.schoolYear === kase.schoolYear,
    });
  }
  return { caseId: kase.id, studentId: kase.studentId, studentName: kase.studentName, schoolYear: kase.schoolYear, cohort, points, definition: PERCENTILE_DEFINITION };
}

// ───────────────────────────── progress awards ─────────────────────────────

export async function loadProgressRules(q: Queryable): Promise<ProgressRules> {
  const stored = await getSetting(q, PROGRESS_RULES_KEY);
  const parsed = stored ? progressRulesSchema.safeParse(stored.value) : null;
  return parsed?.success ? parsed.data : DEFAULT_PROGRESS_RULES;
}

export async function progressAwards(ctx: AppContext, c: Caller, query: z.infer<typeof awardsQuery>): Promise<AwardsView> {
  const exam = await repo.analysedExam(ctx.db, query.examId, c.scope.exams('e'));
  if (!exam) throw notFound('已分析的考试');
  const [prevId, rules, decimals] = await Promise.all([previousExamId(ctx.db, exam.id), loadProgressRules(ctx.db), decimalsOf(ctx.db)]);
  const prevExam = prevId ? await repo.examById(ctx.db, prevId) : undefined;
  const month = exam.examDate ? exam.examDate.slice(0, 7) : null;
  const empty: AwardsView = { exam: examRef(exam), previous: prevExam ? examRef(prevExam) : null, month, rules, items: [], counts: { class_monthly: 0, school_term: 0 } };
  if (!prevExam) return empty;
  const [cur, prev] = await Promise.all([examStanding(ctx.db, ctx.db, exam, decimals), examStanding(ctx.db, ctx.db, prevExam, decimals)]);

  const entries: ProgressEntry[] = [];
  for (const [studentId, row] of cur.index) {
    const prow = prev.index.get(studentId);
    entries.push({
      studentId,
      classId: cur.classIds[row]! > 0 ? cur.classIds[row]! : null,
      schoolId: cur.schoolIds[row]! > 0 ? cur.schoolIds[row]! : null,
      before: measuredPercentile(prev, prow),
      after: measuredPercentile(cur, row),
      bottomBefore: prow !== undefined && prev.bottomTotal[prow] === 1,
      bottomAfter: cur.bottomTotal[row] === 1,
    });
  }
  let awards = [
    ...(query.kind !== 'school_term' ? classMonthlyAwards(entries, rules.classMonthly) : []),
    ...(query.kind !== 'class_monthly' ? schoolTermAwards(exam.kind, entries, rules.schoolTerm) : []),
  ];
  if (query.schoolId) awards = awards.filter((a) => a.schoolId === query.schoolId);
  if (query.classId) awards = awards.filter((a) => a.classId === query.classId);
  const visible = await repo.studentsInScope(ctx.db, [...new Set(awards.map((a) => a.studentId))], c.scope.students('s'));
  awards = awards.filter((a) => visible.has(a.studentId));

  const [names, classNames, schools] = await Promise.all([
    repo.studentNames(ctx.db, [...visible]),
    repo.classNames(ctx.db, [...new Set(awards.map((a) => a.classId).filter((x): x is number => x != null))]),
    repo.schoolsList(ctx.db, c.scope.schools('s')),
  ]);
  const nameOf = new Map(names.map((n) => [n.id, n.name]));
  const classOf = new Map(classNames.map((n) => [n.id, n.name]));
  const schoolOf = new Map(schools.map((s) => [s.id, s.name]));
  const items: AwardLine[] = awards
    .map((a) => ({
      ...a,
      studentName: nameOf.get(a.studentId) ?? '',
      className: a.classId != null ? (classOf.get(a.classId) ?? null) : null,
      schoolName: a.schoolId != null ? (schoolOf.get(a.schoolId) ?? null) : null,
    }))
    .sort((a, b) => a.kind.localeCompare(b.kind) || (a.schoolId ?? 0) - (b.schoolId ?? 0) || (a.classId ?? 0) - (b.classId ?? 0) || a.rank - b.rank || a.studentId - b.studentId);
  return {
    ...empty,
    items,
    counts: { class_monthly: items.filter((i) => i.kind === 'class_monthly').length, school_term: items.filter((i) => i.kind === 'school_term').length },
  };
}
export { AWARD_KIND_LABELS };

// ───────────────────────────── comparison (estimate) ─────────────────────────────

export const COMPARISON_LABEL = '估计值，不是因果结论';

function comparisonMethod(bandWidth: number): string {
  return (
    `帮扶组：本学年被确认（已确认、帮扶中、已复查或已结案）为“学困生（后20%）”的学生；对照组：同一届、同一学校、基线考试总分百分位在同一 ${bandWidth} 分段内、` +
    '本学年没有任何帮扶对象记录的学生。每届的基线考试为本学年开始前该届最近一次已分析的全县统考（没有时取本学年第一次），比较考试为本学年最近一次。' +
    '变化 = 比较考试百分位 − 基线百分位；两次均需有成绩且总分未缺考。在每个“届×学校×分段”内取两组平均变化之差，按帮扶组人数加权平均；' +
    '分段内没有对照学生的帮扶学生不计入（单列人数）。标准误按各层两组样本方差计算，95%区间 = 估计 ± 1.96 × 标准误。' +
    '这是观察数据上的估计：两组在基线以外的差异（家庭、动机、其他帮扶）都没有被排除，不能据此断定帮扶的效果。'
  );
}

interface CohortPlan {
  cohort: number;
  grade: number;
  baseline: repo.OutcomeExamRow | null;
  latest: repo.OutcomeExamRow | null;
  position: Map<string, number>;
}

/** Per cohort of a school year: the baseline and latest exams (see comparisonMethod). */
async function cohortPlans(q: Queryable, schoolYear: string): Promise<CohortPlan[]> {
  const ofYear = await repo.examsOfYear(q, schoolYear);
  const cohorts = [...new Set(ofYear.map((e) => startOf(e.schoolYear) - e.grade))].sort((a, b) => b - a);
  const plans: CohortPlan[] = [];
  for (const cohort of cohorts) {
    const exams = await repo.cohortExams(q, cohort);
    const before = exams.filter((e) => e.schoolYear < schoolYear);
    const during = exams.filter((e) => e.schoolYear === schoolYear);
    const baseline = before.at(-1) ?? during[0] ?? null;
    const latest = during.at(-1) ?? null;
    plans.push({
      cohort, grade: startOf(schoolYear) - cohort, baseline, latest: latest && latest !== baseline ? latest : null,
      position: new Map(exams.map((e, i) => [e.id, i])),
    });
  }
  return plans;
}

export interface ChangeRow extends ComparisonEntry {
  studentId: number;
}

/** Every measured student of the year's cohorts: group, school at the baseline, change. Also the plans. */
export async function yearChanges(ctx: AppContext, schoolYear: string) {
  const [plans, cases, decimals] = await Promise.all([cohortPlans(ctx.db, schoolYear), repo.casesOfYear(ctx.db, schoolYear), decimalsOf(ctx.db)]);
  const caseOf = new Map(cases.map((x) => [x.studentId, x]));
  const rows: ChangeRow[] = [];
  const selectedAfter = new Map<number, number>();
  for (const plan of plans) {
    if (!plan.baseline || !plan.latest) continue;
    const [b, l] = await Promise.all([examStanding(ctx.db, ctx.db, plan.baseline, decimals), examStanding(ctx.db, ctx.db, plan.latest, decimals)]);
    const basePos = plan.position.get(plan.baseline.id)!;
    let after = 0;
    for (const [studentId, brow] of b.index) {
      const kase = caseOf.get(studentId);
      if (kase && !kase.supported) continue; // another kind of case, or not confirmed: in neither group
      const before = measuredPercentile(b, brow);
      const now = measuredPercentile(l, l.index.get(studentId));
      const schoolId = b.schoolIds[brow]!;
      if (before == null || now == null || schoolId <= 0) continue;
      rows.push({ studentId, cohort: plan.cohort, schoolId, supported: !!kase, before, after: now });
      if (kase && (kase.sourceExamIds ?? []).some((id) => (plan.position.get(id) ?? -1) > basePos)) after++;
    }
    selectedAfter.set(plan.cohort, after);
  }
  return { plans, rows, selectedAfter };
}

export async function comparison(ctx: AppContext, c: Caller, query: z.infer<typeof comparisonQuery>): Promise<ComparisonView> {
  const schoolYear = query.schoolYear ?? currentSchoolYear();
  const schoolId = query.schoolId ?? query.school;
  const bandWidth = query.bandWidth ?? DEFAULT_BAND_WIDTH;
  const schools = await repo.schoolsList(ctx.db, c.scope.schools('s'));
  if (schoolId && !schools.some((s) => s.id === schoolId)) throw notFound('学校');
  const { plans, rows, selectedAfter } = await yearChanges(ctx, schoolYear);

  const bySchool = new Map<number, ChangeRow[]>();
  for (const r of rows) {
    const list = bySchool.get(r.schoolId);
    if (list) list.push(r);
    else bySchool.set(r.schoolId, [r]);
  }
  const shown = schools.filter((s) => (schoolId ? s.id === schoolId : c.scope.level === 'region' || s.id === c.user.schoolId));
  const cohorts = plans.map((p) => {
    const n = selectedAfter.get(p.cohort) ?? 0;
    let note: string | null = null;
    if (!p.baseline) note = '该届没有已分析的全县统考';
    else if (!p.latest) note = '基线之后本学年还没有已分析的全县统考，暂不能比较';
    else if (n > 0) note = `${n} 名帮扶学生是根据基线之后的考试确定的（按结果选人），该届的比较偏向“帮扶组变差”，不可据此解读`;
    return { cohort: p.cohort, grade: p.grade, baseline: p.baseline ? examRef(p.baseline) : null, latest: p.latest ? examRef(p.latest) : null, selectedAfterBaseline: n, note };
  });
  const caveats = [
    '这是观察数据上的估计，不是因果结论：被确定为帮扶对象的学生与同分段的其他学生在基线以外可能本就不同。',
    '百分位变化有测量误差，分段越窄越可比，但可比的对照学生越少。',
  ];
  if (cohorts.some((x) => x.selectedAfterBaseline > 0)) {
    caveats.push('部分帮扶学生是在基线之后的考试中被选出的：选人依据了要比较的结果（均值回归），这部分的差值会系统性偏负。');
  }
  return {
    schoolYear,
    estimate: true,
    label: COMPARISON_LABEL,
    method: comparisonMethod(bandWidth),
    bandWidth,
    cohorts,
    caveats,
    county: compareGroups(rows, bandWidth),
    schools: shown.map((s) => ({ schoolId: s.id, schoolCode: s.code, schoolName: s.name, ...compareGroups(bySchool.get(s.id) ?? [], bandWidth) }))
      .filter((s) => schoolId || s.supportedN > 0 || s.unmatchedSupported > 0),
  };
}
export type { ComparisonEstimate };

// ───────────────────────────── mix ─────────────────────────────

const MIX_TYPE = 'tutoring';

export async function mix(ctx: AppContext, c: Caller, query: z.infer<typeof mixQuery>): Promise<MixView> {
  const schoolYear = query.schoolYear ?? currentSchoolYear();
  const start = startOf(schoolYear);
  const from = `${start}-09-01`;
  const to = `${start + 1}-08-31`;
  const schools = await repo.schoolsList(ctx.db, c.scope.schools('s'));
  if (query.schoolId && !schools.some((s) => s.id === query.schoolId)) throw notFound('学校');
  const programme = await pairingsRepo.getProgramme(ctx.db, { key: 'teacher_student' });
  if (!programme) throw badRequest('没有师生结对项目');
  const typeDef = programme.activityTypes.find((t) => t.key === MIX_TYPE);
  const dims = dimensionsOf(typeDef);
  const labels = new Map(programme.activityTypes.map((t) => [t.key, t.label]));
  const where = repo.recordsWhere(c.scope.activities('a'), query.schoolId);
  const keys = dims.map((d) => d.key);
  const readable = c.scope.activityContent('a');
  const [groups, changes] = await Promise.all([
    repo.recordGroups(ctx.db, { from, to, where, readable, dimType: MIX_TYPE, keys }),
    yearChanges(ctx, schoolYear),
  ]);
  // attribute each group of records to the pairing's helper teacher on the records' days
  const spans = new Map<number, HelperSpan[]>();
  for (const h of await repo.helperRows(ctx.db, [...new Set(groups.map((g) => g.pairingId))])) {
    const list = spans.get(h.pairingId);
    if (list) list.push(h);
    else spans.set(h.pairingId, [h]);
  }
  const counts: { schoolId: number | null; teacherId: number | null; type: string; values: (string | null)[] | null; n: number }[] = [];
  const perDay = new Set<number>();
  for (const g of groups) {
    const teacherId = helperOfRange(spans.get(g.pairingId) ?? [], g.first, g.last);
    if (teacherId === undefined) perDay.add(g.pairingId);
    else counts.push({ ...g, teacherId });
  }
  if (perDay.size > 0) {
    for (const g of await repo.recordGroups(ctx.db, { from, to, where, readable, dimType: MIX_TYPE, keys, byDay: [...perDay] })) {
      counts.push({ ...g, teacherId: helperOn(spans.get(g.pairingId) ?? [], g.first) });
    }
  }
  const typeCounts = counts;
  const dimCounts = counts
    .filter((r) => r.type === MIX_TYPE)
    .flatMap((r) => keys.map((key, k) => ({ schoolId: r.schoolId, teacherId: r.teacherId, key, value: r.values?.[k] ?? null, n: r.n })));
  const supportedChange = new Map(changes.rows.filter((r) => r.supported).map((r) => [r.studentId, r.after - r.before]));

  const unit = (pick: (r: { schoolId: number | null; teacherId: number | null }) => boolean, students: Iterable<number>): MixUnit => {
    const types = new Map<string, number>();
    for (const r of typeCounts) if (pick(r)) types.set(r.type, (types.get(r.type) ?? 0) + r.n);
    const counts: DimensionCount[] = dimCounts.filter(pick);
    const tutoring = types.get(MIX_TYPE) ?? 0;
    let sum = 0;
    let n = 0;
    for (const id of students) {
      const ch = supportedChange.get(id);
      if (ch !== undefined) {
        sum += ch;
        n++;
      }
    }
    return {
      tutoring,
      records: [...types.values()].reduce((a, b) => a + b, 0),
      dimensions: dimensionMix(dims, tutoring, counts),
      types: typeMix(labels, [...types.entries()].map(([type, k]) => ({ type, n: k }))),
      meanChange: n > 0 ? round2(sum / n) : null,
      changeN: n,
    };
  };

  const supportedBySchool = new Map<number, number[]>();
  for (const r of changes.rows) {
    if (!r.supported) continue;
    const list = supportedBySchool.get(r.schoolId);
    if (list) list.push(r.studentId);
    else supportedBySchool.set(r.schoolId, [r.studentId]);
  }
  const shownSchools = schools.filter((s) => (query.schoolId ? s.id === query.schoolId : c.scope.level === 'region' || s.id === c.user.schoolId));
  const shownIds = new Set(shownSchools.map((s) => s.id));
  const schoolUnits = shownSchools
    .map((s) => ({ schoolId: s.id, schoolCode: s.code, schoolName: s.name, ...unit((r) => r.schoolId === s.id, supportedBySchool.get(s.id) ?? []) }))
    .filter((s) => s.records > 0 || query.schoolId);

  // teachers: when one school is in view (a school's own people, or the bureau naming a school)
  let teacherUnits: MixView['teachers'] = [];
  if (query.schoolId || c.scope.level !== 'region') {
    const teacherIds = [...new Set(typeCounts.filter((r) => r.teacherId != null && r.schoolId != null && shownIds.has(r.schoolId)).map((r) => r.teacherId!))];
    const [names, helped] = await Promise.all([repo.teacherNames(ctx.db, teacherIds), repo.helpedStudents(ctx.db, from, to, teacherIds)]);
    const helpedBy = new Map<number, number[]>();
    for (const h of helped) {
      const list = helpedBy.get(h.teacherId);
      if (list) list.push(h.studentId);
      else helpedBy.set(h.teacherId, [h.studentId]);
    }
    teacherUnits = names
      .map((t) => ({ teacherId: t.id, teacherName: t.name, schoolId: t.schoolId, ...unit((r) => r.teacherId === t.id, helpedBy.get(t.id) ?? []) }))
      .sort((a, b) => b.records - a.records || a.teacherId - b.teacherId);
  }
  const countyStudents = c.scope.level === 'region' && !query.schoolId ? supportedChange.keys() : schoolUnits.flatMap((s) => supportedBySchool.get(s.schoolId) ?? []);
  return {
    schoolYear,
    from,
    to,
    focus: dims.find((d) => d.key === 'setting')?.key ?? dims[0]?.key ?? null,
    note:
      '份额按有该项取值的“辅导”记录计算（保密且无权查看内容的记录计入“未知”）；退回的记录不计。' +
      '平均百分位变化为这些单位帮扶学生（学困生）的基线到最近一次考试的变化，与份额并列只是描述，不说明哪种方式更有效。',
    county: unit((r) => query.schoolId ? r.schoolId === query.schoolId : true, countyStudents),
    schools: schoolUnits,
    teachers: teacherUnits,
  };
}
