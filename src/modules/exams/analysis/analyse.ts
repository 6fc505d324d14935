/**
 * One entry point for the bottom-20% analysis of a county unified exam
 * (全县统考后20%分析): cut scores, per-unit indicators, changes, targets,
 * candidate lists and awards — pure, no database, no HTTP.
 *
 * Data layout (why): the county has up to ~300 000 students × 9 subjects and the
 * analysis must take well under a second, so students are columns, not objects:
 * one Float64Array of scores per subject (NaN = absent) and Int32Array unit
 * indexes (class per student; teacher per class, or per student for 走班).
 * Per subject the work is one quantisation pass (into a reused buffer, folded
 * into the running total), one O(n) selection for the cut, one mask pass and
 * one counting pass at class level; schools (and teachers given per class) are
 * sums of their classes. Objects are allocated per unit (school, class,
 * teacher), never per student, except for the candidate lists.
 *
 * Exactness (why): scores are quantised to integer hundredths of a point
 * (option `scoreDecimals`, default 2) before anything else, so half points and
 * totals of them are exact integers; ties at the cut are real ties. Values in
 * the result are converted back to points.
 *
 * Every rule choice is an option with the DOMAIN default; see
 * docs/exams-analysis.md for the rules as implemented and worked examples.
 */
import { csvValue } from '../../../lib/csv.js';
import { bottomMask, computeCut, type Cut } from './cut-score.js';
import { classCandidates, type Candidate } from './candidates.js';
import { compareCounts, indexSnapshot, unitsOf, type RatioChange, type SnapshotIndex, type UnitLevel, type UnitSnapshot } from './change.js';
import { computeAwards, type AwardLine, type RewardTable, type RewardUnit } from './rewards.js';
import { evaluateTargets, type ExamTerm, type TargetConfig, type TargetResult } from './targets.js';
import { addToTotal } from './total.js';
import {
  DEFAULT_COMPOSITE_WEIGHTS,
  aggregateUnits,
  competitionRank,
  compositeScores,
  countUnits,
  unitRates,
  type CompositeWeights,
  type MeanAbsentRule,
  type UnitCounts,
} from './unit-stats.js';

export interface AnalysisOptions {
  /** share of the population in the bottom group; DOMAIN: 0.2 */
  bottomFraction: number;
  /** scores are rounded to this many decimals before analysis; default 2 (half points are exact) */
  scoreDecimals: number;
  /** pass line 合格 as a fraction of full marks, score ≥ line; default 0.6 */
  passFraction: number;
  /** excellence line 优秀 as a fraction of full marks, score ≥ line; default 0.8 */
  excellenceFraction: number;
  /** absentees in 人平分: 'zero' (counted as 0 over the denominator, default) or 'exclude' */
  meanAbsent: MeanAbsentRule;
  /** composite weights; default 40 / 30 / 30 */
  compositeWeights: CompositeWeights;
  /** name of the total; default 总分 */
  totalName: string;
  /** build the per-class candidate lists; default true */
  candidates: boolean;
  /** candidates bottom in ≥ 2 subjects but not the total are listed; default true (see candidates.ts) */
  includeMultiSubjectCandidates: boolean;
}

export const DEFAULT_ANALYSIS_OPTIONS: AnalysisOptions = {
  bottomFraction: 0.2,
  scoreDecimals: 2,
  passFraction: 0.6,
  excellenceFraction: 0.8,
  meanAbsent: 'zero',
  compositeWeights: DEFAULT_COMPOSITE_WEIGHTS,
  totalName: '总分',
  candidates: true,
  includeMultiSubjectCandidates: true,
};

export interface UnitRef {
  /** stable key: 学校标识码 for schools, the class id, the teacher id */
  key: string;
  name: string;
}

export interface ClassRef extends UnitRef {
  /** index into `schools` */
  school: number;
  /** 班主任 key, shown on the class rows */
  headTeacher?: string | null;
}

export interface SubjectInput {
  name: string;
  fullMarks: number;
  /** whether the subject is summed into the total */
  countsToTotal: boolean;
  /** one score per student, in points; NaN = absent (缺考) */
  scores: Float64Array;
  /** the subject teacher of each class (index into `teachers`, −1 = none): the usual case */
  classTeacher?: Int32Array;
  /** or the teacher of each student (−1 = none), when classes are split (走班); not both */
  teacher?: Int32Array;
}

export interface ExamInput {
  /** the exam's semester; required when `targets` is given */
  exam?: ExamTerm;
  schools: UnitRef[];
  classes: ClassRef[];
  teachers?: UnitRef[];
  /** class index per student; every student of the grade at the exam is enrolled */
  studentClass: Int32Array;
  subjects: SubjectInput[];
  /**
   * Per-unit denominators of 人平分/合格率/优生率 (起始年级人数 + 正常转入 − 正常转出),
   * by unit key; units not listed use their enrolled count.
   */
  denominators?: {
    schools?: Record<string, number>;
    classes?: Record<string, number>;
    /** by subject name, then teacher key */
    teachers?: Record<string, Record<string, number>>;
  };
  /** the previous comparable exam's snapshot (see {@link snapshotOf}) */
  previous?: UnitSnapshot[] | null;
  /** the grade's baseline exam's snapshot */
  baseline?: UnitSnapshot[] | null;
  /** the grade's targets for this school year */
  targets?: TargetConfig | null;
  /** the reward table; awards need `previous` for everything but rank-based awards */
  rewards?: RewardTable | null;
  options?: Partial<AnalysisOptions>;
}

export interface UnitRow {
  level: UnitLevel;
  subject: string;
  key: string;
  name: string;
  /** the unit's school (for a teacher: when all their students are in one school) */
  schoolKey: string | null;
  /** 班主任 (class rows) */
  headTeacher: string | null;
  enrolled: number;
  absent: number;
  bottom: number;
  /** bottom ÷ enrolled */
  ratio: number;
  /** county rank among units of this level, ratio ascending, competition ranking */
  rank: number;
  /** rank within the school (classes; teachers of one school); 0 = not ranked */
  rankInSchool: number;
  denominator: number;
  mean: number | null;
  passRate: number | null;
  excellenceRate: number | null;
  /** county composite among units of this level */
  composite: number | null;
  /** against the previous comparable exam; null = not measurable */
  previous: RatioChange | null;
  /** against the grade's baseline exam; null = not measurable */
  baseline: RatioChange | null;
  /** null = no target set for this subject */
  target: TargetResult | null;
}

export interface CountySummary {
  enrolled: number;
  absent: number;
  bottom: number;
  ratio: number | null;
  denominator: number;
  mean: number | null;
  passRate: number | null;
  excellenceRate: number | null;
}

export interface SubjectResult {
  subject: string;
  isTotal: boolean;
  fullMarks: number;
  countsToTotal: boolean;
  /** population 应考 */
  n: number;
  absent: number;
  /** 1-based position ⌈fraction·n⌉ of the cut */
  position: number;
  /** cut score in points, 'absent', or null for an empty exam */
  cut: Cut | null;
  bottomCount: number;
  county: CountySummary;
  schools: UnitRow[];
  classes: UnitRow[];
  teachers: UnitRow[];
  /** every student's score in points (NaN = absent): the input array itself for a
   * subject (not copied), the computed total for 总分 */
  scores: Float64Array;
  /** 1 = the student is in the bottom group */
  bottom: Uint8Array;
}

export interface ClassCandidateList {
  classKey: string;
  className: string;
  schoolKey: string;
  headTeacher: string | null;
  candidates: Candidate[];
}

export interface ExamAnalysis {
  options: AnalysisOptions;
  studentCount: number;
  /** input subjects in order, then the total (when any subject counts to it) */
  subjects: SubjectResult[];
  candidates: ClassCandidateList[];
  awards: AwardLine[];
}

/** Analyse one exam. Throws RangeError (中文) on malformed input; data checks belong to the importer. */
export function analyseExam(input: ExamInput): ExamAnalysis {
  const options: AnalysisOptions = { ...DEFAULT_ANALYSIS_OPTIONS, ...input.options };
  const scale = 10 ** options.scoreDecimals;
  const { schools, classes, studentClass } = input;
  const teachers = input.teachers ?? [];
  const n = studentClass.length;

  if (input.targets && !input.exam) throw new RangeError('设置了目标时必须提供考试学期');
  for (const s of input.subjects) if (s.name === options.totalName) throw new RangeError(`科目名与总分名称冲突: ${s.name}`);

  // school per student, derived from the class so the two can never disagree
  const classSchool = new Int32Array(classes.length);
  classes.forEach((c, k) => {
    if (!(c.school >= 0 && c.school < schools.length)) throw new RangeError(`班级 ${c.name} 的学校序号无效: ${c.school}`);
    classSchool[k] = c.school;
  });
  const studentSchool = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = studentClass[i]!;
    if (!(c >= 0 && c < classes.length)) throw new RangeError(`第 ${i + 1} 名学生的班级序号无效: ${c}`);
    studentSchool[i] = classSchool[c]!;
  }

  const previous = input.previous ? indexSnapshot(input.previous) : null;
  const baseline = input.baseline ? indexSnapshot(input.baseline) : null;
  const schoolDenominators = keyedDenominators(schools, input.denominators?.schools);
  const classDenominators = keyedDenominators(classes, input.denominators?.classes);
  const scratch = new Float64Array(n);
  const context: SubjectContext = {
    options, scale, schools, classes, teachers, studentClass, studentSchool, classSchool,
    schoolDenominators, classDenominators, previous, baseline, targets: input.targets ?? null, exam: input.exam ?? null, scratch,
  };

  const results: SubjectResult[] = [];
  const quantised = new Float64Array(n); // reused by every subject
  const counted = input.subjects.filter((s) => s.countsToTotal);
  const totalQuantised = counted.length > 0 ? new Float64Array(n) : null; // zeros: the running total
  for (const subject of input.subjects) {
    if (subject.scores.length !== n) throw new RangeError(`${subject.name} 的成绩人数 ${subject.scores.length} 与学生人数 ${n} 不一致`);
    if (subject.teacher && subject.classTeacher) throw new RangeError(`${subject.name}: 任课教师只能按班级或按学生给出一种`);
    if (subject.teacher && subject.teacher.length !== n) throw new RangeError(`${subject.name} 的任课教师人数与学生人数不一致`);
    if (subject.classTeacher && subject.classTeacher.length !== classes.length) throw new RangeError(`${subject.name} 的班级任课教师数与班级数不一致`);
    quantiseInto(subject.scores, quantised, subject.fullMarks, scale, subject.name);
    if (totalQuantised && subject.countsToTotal) addToTotal(totalQuantised, quantised);
    const teachersOf: TeacherAssignment =
      subject.classTeacher ? { perClass: subject.classTeacher } : subject.teacher ? { perStudent: subject.teacher } : null;
    results.push(
      analyseSubject(context, subject.name, subject.fullMarks, subject.countsToTotal, false, quantised, subject.scores, teachersOf, input.denominators?.teachers?.[subject.name]),
    );
  }
  if (totalQuantised) {
    const totalFullMarks = counted.reduce((a, s) => a + s.fullMarks, 0);
    const totalPoints = new Float64Array(n);
    for (let i = 0; i < n; i++) totalPoints[i] = totalQuantised[i]! / scale;
    results.push(analyseSubject(context, options.totalName, totalFullMarks, false, true, totalQuantised, totalPoints, null, undefined));
  }

  const totalResult = results.find((r) => r.isTotal) ?? null;
  const candidates: ClassCandidateList[] = [];
  if (options.candidates) {
    const perClass = classCandidates({
      classOf: studentClass,
      classCount: classes.length,
      totalBottom: totalResult ? totalResult.bottom : null,
      subjects: results.filter((r) => !r.isTotal).map((r) => ({ subject: r.subject, bottom: r.bottom })),
      includeMultiSubject: options.includeMultiSubjectCandidates,
    });
    classes.forEach((c, k) => {
      candidates.push({ classKey: c.key, className: c.name, schoolKey: schools[c.school]!.key, headTeacher: c.headTeacher ?? null, candidates: perClass[k]! });
    });
  }

  const awards = input.rewards ? computeAwards(rewardUnits(results, input.rewards), input.rewards) : [];
  return { options, studentCount: n, subjects: results, candidates, awards };
}

interface SubjectContext {
  options: AnalysisOptions;
  scale: number;
  schools: UnitRef[];
  classes: ClassRef[];
  teachers: UnitRef[];
  studentClass: Int32Array;
  studentSchool: Int32Array;
  classSchool: Int32Array;
  schoolDenominators: Float64Array;
  classDenominators: Float64Array;
  previous: SnapshotIndex | null;
  baseline: SnapshotIndex | null;
  targets: TargetConfig | null;
  exam: ExamTerm | null;
  scratch: Float64Array;
}

type TeacherAssignment = { perClass: Int32Array } | { perStudent: Int32Array } | null;

function analyseSubject(
  ctx: SubjectContext,
  name: string,
  fullMarks: number,
  countsToTotal: boolean,
  isTotal: boolean,
  quantised: Float64Array,
  scores: Float64Array,
  teacherOf: TeacherAssignment,
  teacherDenominatorsByKey: Record<string, number> | undefined,
): SubjectResult {
  const { options, scale } = ctx;
  const cut = computeCut(quantised, options.bottomFraction, ctx.scratch);
  const bottom = bottomMask(quantised, cut.cut);
  const countOptions = {
    fullMarks: Math.round(fullMarks * scale),
    passFraction: options.passFraction,
    excellenceFraction: options.excellenceFraction,
  };

  // one pass over the students at class level; schools are sums of their classes
  const classCounts = countUnits(quantised, bottom, ctx.studentClass, ctx.classes.length, countOptions);
  const schoolCounts = aggregateUnits(classCounts, ctx.classSchool, ctx.schools.length);
  const schools = buildRows(ctx, 'school', name, schoolCounts, ctx.schoolDenominators, null, (k) => ({
    ref: ctx.schools[k]!,
    schoolKey: ctx.schools[k]!.key,
    headTeacher: null,
  }));

  const classes = buildRows(ctx, 'class', name, classCounts, ctx.classDenominators, ctx.classSchool, (k) => ({
    ref: ctx.classes[k]!,
    schoolKey: ctx.schools[ctx.classes[k]!.school]!.key,
    headTeacher: ctx.classes[k]!.headTeacher ?? null,
  }));

  let teachers: UnitRow[] = [];
  if (teacherOf) {
    const t = ctx.teachers.length;
    // a teacher's school, when all their students of this subject are in one school (−1 otherwise)
    const teacherSchool = new Int32Array(t).fill(-2);
    const owner = 'perClass' in teacherOf ? teacherOf.perClass : teacherOf.perStudent;
    const schoolOfOwner = 'perClass' in teacherOf ? ctx.classSchool : ctx.studentSchool;
    for (let i = 0; i < owner.length; i++) {
      const k = owner[i]!;
      if (k < 0) continue;
      if (k >= t) throw new RangeError(`${name} 的教师序号无效: ${k}`);
      const s = schoolOfOwner[i]!;
      const seen = teacherSchool[k]!;
      if (seen === -2) teacherSchool[k] = s;
      else if (seen !== s) teacherSchool[k] = -1;
    }
    const teacherCounts =
      'perClass' in teacherOf
        ? aggregateUnits(classCounts, teacherOf.perClass, t)
        : countUnits(quantised, bottom, teacherOf.perStudent, t, countOptions);
    const denominators = keyedDenominators(ctx.teachers, teacherDenominatorsByKey);
    teachers = buildRows(ctx, 'teacher', name, teacherCounts, denominators, teacherSchool, (k) => {
      const s = teacherSchool[k]!;
      return { ref: ctx.teachers[k]!, schoolKey: s >= 0 ? ctx.schools[s]!.key : null, headTeacher: null };
    });
  }

  // county summary from the school counts (every student has a school)
  let enrolled = 0, absent = 0, bottomTotal = 0, sum = 0, pass = 0, excellent = 0, denominator = 0;
  for (let k = 0; k < ctx.schools.length; k++) {
    const e = schoolCounts.enrolled[k]!;
    if (e === 0) continue;
    enrolled += e;
    absent += schoolCounts.absent[k]!;
    bottomTotal += schoolCounts.bottom[k]!;
    sum += schoolCounts.sum[k]!;
    pass += schoolCounts.pass[k]!;
    excellent += schoolCounts.excellent[k]!;
    const d = ctx.schoolDenominators[k]!;
    denominator += d === d ? d : e;
  }
  const meanDenominator = options.meanAbsent === 'zero' ? denominator : denominator - absent;
  const county: CountySummary = {
    enrolled,
    absent,
    bottom: bottomTotal,
    ratio: enrolled > 0 ? bottomTotal / enrolled : null,
    denominator,
    mean: meanDenominator > 0 ? sum / scale / meanDenominator : null,
    passRate: denominator > 0 ? pass / denominator : null,
    excellenceRate: denominator > 0 ? excellent / denominator : null,
  };

  return {
    subject: name,
    isTotal,
    fullMarks,
    countsToTotal,
    n: cut.n,
    absent: cut.absent,
    position: cut.position,
    cut: typeof cut.cut === 'number' ? cut.cut / scale : cut.cut,
    bottomCount: cut.bottomCount,
    county,
    schools,
    classes,
    teachers,
    scores,
    bottom,
  };
}

function buildRows(
  ctx: SubjectContext,
  level: UnitLevel,
  subject: string,
  counts: UnitCounts,
  denominators: Float64Array,
  schoolGroup: Int32Array | null,
  describe: (k: number) => { ref: UnitRef; schoolKey: string | null; headTeacher: string | null },
): UnitRow[] {
  const rates = unitRates(counts, denominators, ctx.options.meanAbsent);
  const rank = competitionRank(counts.bottom, counts.enrolled);
  // schools have no rank "in school": 0 there, like any unranked unit
  const rankInSchool = schoolGroup ? competitionRank(counts.bottom, counts.enrolled, schoolGroup) : new Int32Array(counts.unitCount);
  const composite = compositeScores(rates, counts.enrolled, ctx.options.compositeWeights);
  const previousUnits = unitsOf(ctx.previous, subject, level);
  const baselineUnits = unitsOf(ctx.baseline, subject, level);
  const rows: UnitRow[] = [];
  for (let k = 0; k < counts.unitCount; k++) {
    const enrolled = counts.enrolled[k]!;
    if (enrolled === 0) continue; // a unit without students did not sit this exam
    const { ref, schoolKey, headTeacher } = describe(k);
    const bottom = counts.bottom[k]!;
    const previous = compareCounts(bottom, enrolled, rank[k]!, rankInSchool[k]!, previousUnits?.get(ref.key));
    const baseline = compareCounts(bottom, enrolled, rank[k]!, rankInSchool[k]!, baselineUnits?.get(ref.key));
    const target =
      ctx.targets && ctx.exam ? evaluateTargets(ctx.targets, { level, subject, bottom, enrolled, rank: rank[k]!, baseline }, ctx.exam) : null;
    rows.push({
      level,
      subject,
      key: ref.key,
      name: ref.name,
      schoolKey,
      headTeacher,
      enrolled,
      absent: counts.absent[k]!,
      bottom,
      ratio: bottom / enrolled,
      rank: rank[k]!,
      rankInSchool: rankInSchool[k]!,
      denominator: rates.denominator[k]!,
      // means are over quantised scores: back to points
      mean: finite(rates.mean[k]! / ctx.scale),
      passRate: finite(rates.passRate[k]!),
      excellenceRate: finite(rates.excellenceRate[k]!),
      composite: finite(composite[k]!),
      previous,
      baseline,
      target,
    });
  }
  return rows;
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** Scores in points → integer hundredths (by default) into `out`, validated against full marks. */
function quantiseInto(scores: Float64Array, out: Float64Array, fullMarks: number, scale: number, subject: string): void {
  if (!(fullMarks > 0)) throw new RangeError(`${subject} 的满分必须大于 0: ${fullMarks}`);
  const max = Math.round(fullMarks * scale);
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (s !== s) {
      out[i] = NaN;
      continue;
    }
    const q = Math.round(s * scale);
    if (!(q >= 0 && q <= max)) throw new RangeError(`${subject} 第 ${i + 1} 名学生的成绩 ${s} 不在 0–${fullMarks} 之间`);
    out[i] = q;
  }
}

function keyedDenominators(units: UnitRef[], byKey: Record<string, number> | undefined): Float64Array {
  const out = new Float64Array(units.length).fill(NaN);
  if (!byKey) return out;
  units.forEach((u, k) => {
    const d = byKey[u.key];
    if (d !== undefined) {
      if (!(Number.isFinite(d) && d >= 0)) throw new RangeError(`${u.name} 的人数基数无效: ${d}`);
      out[k] = d;
    }
  });
  return out;
}

function* rewardUnits(results: SubjectResult[], table: RewardTable): Generator<RewardUnit> {
  for (const r of results) {
    for (const row of r.teachers) yield { recipient: 'teacher', ...pickReward(row) };
    if (r.subject === table.classSubject) for (const row of r.classes) yield { recipient: 'class', ...pickReward(row) };
  }
}

function pickReward(row: UnitRow): Omit<RewardUnit, 'recipient'> {
  return {
    key: row.key,
    name: row.name,
    subject: row.subject,
    bottom: row.bottom,
    enrolled: row.enrolled,
    rank: row.rank,
    rankInSchool: row.rankInSchool,
    previous: row.previous,
  };
}

/** The per-unit rows to store and feed back as `previous` / `baseline` of a later exam. */
export function snapshotOf(result: ExamAnalysis): UnitSnapshot[] {
  const out: UnitSnapshot[] = [];
  for (const s of result.subjects) {
    for (const row of [...s.schools, ...s.classes, ...s.teachers]) {
      out.push({ subject: row.subject, level: row.level, key: row.key, bottom: row.bottom, enrolled: row.enrolled, rank: row.rank, rankInSchool: row.rankInSchool });
    }
  }
  return out;
}

/**
 * The county's school table as CSV, header `subject,school,enrolled,bottom,ratio,rank,cut`:
 * one row per subject (总分 included) per school, school = 学校标识码, ratio a
 * decimal fraction (shortest exact round-trip form of bottom ÷ enrolled), cut
 * the score in points or `absent`. Lines end with \n, no BOM: the HTTP layer
 * adds a BOM for Excel downloads if it wants one.
 */
export function bottom20SchoolCsv(result: ExamAnalysis): string {
  const lines = ['subject,school,enrolled,bottom,ratio,rank,cut'];
  for (const s of result.subjects) {
    const cut = s.cut === null ? '' : String(s.cut);
    for (const row of s.schools) {
      lines.push([csvValue(s.subject), csvValue(row.key), row.enrolled, row.bottom, String(row.ratio), row.rank, cut].join(','));
    }
  }
  return lines.join('\n') + '\n';
}
