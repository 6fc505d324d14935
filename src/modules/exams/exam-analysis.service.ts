// The 后20% analysis wired to the database: analyseAndStore (load → pure engine → store, one
// transaction), and the scoped reads, decisions and reviews behind the API and the CLI.
// The rules themselves live in ./analysis (pure, unit-tested); nothing here re-implements them.
import { sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../../server/context.js';
import { badRequest, conflict, forbidden, notFound } from '../../server/errors.js';
import type { Caller } from '../../server/http.js';
import { CANDIDATE_SCHOOL_ROLES, EXAM_BUREAU_ROLES, ROLE_INFO } from '../../shared/roles.js';
import type { SessionUser } from '../auth/auth.service.js';
import { writeAudit, type Actor } from '../audit/audit.repo.js';
import { analyseExam, type ClassRef, type ExamAnalysis, type SubjectInput, type UnitRef } from './analysis/analyse.js';
import type { UnitSnapshot } from './analysis/change.js';
import * as repo from './exam-analysis.repo.js';
import type {
  AwardItem,
  CandidateItem,
  ExamHeader,
  SubjectStat,
  TargetsSummaryResponse,
  TrendPoint,
  TrendResponse,
  UnitRow,
  UnitsResponse,
  awardReviewBody,
  awardsQuery,
  candidatePatchBody,
  candidatesQuery,
  trendQuery,
  unitsQuery,
} from './exam-analysis.schemas.js';
import { writeTransaction } from './exam-import.repo.js';
import { loadAnalysisSettings, targetsFor } from './exam-settings.service.js';
import {
  classUnitKey,
  labelClassKey,
  cohortOf,
  parseIntColumn,
  parseNumberColumn,
  parseTextColumn,
  scoreDistribution,
  type Column,
} from './score-columns.js';
import type { z } from 'zod';

export interface AnalysisTimings {
  /** wall time, start to commit */
  ms: number;
  /** reading scores, registry, settings and comparison snapshots, and building the engine's input */
  loadMs: number;
  /** the pure engine */
  analyseMs: number;
  /** rows to store, and the transaction that stores them */
  storeMs: number;
  students: number;
  missing: number;
  unitRows: number;
  candidates: number;
  awards: number;
}

/**
 * Analyse an exam from its stored scores and replace its results, in one transaction:
 * subject stats, unit rows, awards (a review is kept when the same line with the same amount
 * is computed again), candidates (decisions kept, see diffCandidates), exams.status =
 * 'analysed', one audit row. Reads happen before the transaction; if the exam's scores
 * changed meanwhile (another import committed), the analysis starts again.
 */
export async function analyseAndStore(ctx: AppContext, examId: string, actor: Actor, opts: { scores?: ScoreColumns } = {}): Promise<{ ms: number } & AnalysisTimings> {
  for (let attempt = 1; ; attempt++) {
    // the import's own rows are used once; a retry (the scores changed meanwhile) reads them again
    const result = await analyseOnce(ctx, examId, actor, attempt === 1 ? opts.scores : undefined);
    if (result !== 'changed') return result;
    if (attempt >= 3) throw conflict('考试成绩正在更新，请稍后重新分析');
  }
}

/**
 * The exam's score rows as columns, in any order (the analysis does not depend on it): what
 * the database holds in exam_scores, or what the import has just committed, in memory — the
 * analysis right after an import starts from these instead of reading 2.7 million scores
 * back (the same values: a score is stored as its shortest exact text and read back as the
 * same double). `importJobId` says which import they are: if the exam no longer has that
 * import when the analysis starts, they are ignored and the rows are read from the database.
 */
export interface ScoreColumns {
  importJobId: string;
  n: number;
  /** registered class id per row, -1 = none */
  classIds: Int32Array;
  /** registered student id per row, -1 = none */
  studentIds: Int32Array;
  /** per row: '' for a row with a class id, else 学校标识码 + U+001E + the sheet's class label; null when every row has a class id */
  labels: string[] | null;
  /** one column per exam subject (exams.subjects order), NaN = absent */
  scores: Float64Array[];
  /**
   * The import's own rows only: the distinct registered school ids of the rows (the analysis then
   * reads the registry by these and the rows' class ids instead of scanning exam_scores for them)
   */
  schoolIds?: number[];
  /**
   * The import's own rows only: the grade's enrolled students at every school, as
   * loadEnrolledOfGrade(…, 'grade', …) read them while the file was parsed (those at the rows'
   * schools are kept); without it the analysis reads them itself
   */
  enrolledOfGrade?: Promise<repo.EnrolledOfGrade> | null;
}

/** The stored rows of an exam as ScoreColumns (one packed string per column, see loadPackedScores). */
async function loadScoreColumns(db: AppContext['db'], examId: string, importJobId: string | null, subjectCount: number): Promise<ScoreColumns> {
  const packed = await repo.loadPackedScores(db, examId, subjectCount);
  const n = packed.n;
  const classIds = parseIntColumn(packed.classIds, n, -1);
  let labels: string[] | null = null;
  for (let i = 0; i < n && !labels; i++) if (classIds[i]! < 0) labels = parseTextColumn(packed.labels, n);
  return {
    importJobId: importJobId ?? '',
    n,
    classIds,
    studentIds: parseIntColumn(packed.studentIds, n, -1),
    labels,
    scores: packed.scores.map((col) => parseNumberColumn(col, n)),
  };
}

interface ClassMeta {
  classId: number | null;
  schoolId: number | null;
}

interface PendingClass {
  key: string;
  name: string;
  schoolCode: string;
  sortNo: number;
  headTeacher: string | null;
  meta: ClassMeta;
}

async function analyseOnce(ctx: AppContext, examId: string, actor: Actor, given: ScoreColumns | undefined): Promise<AnalysisTimings | 'changed'> {
  const t0 = performance.now();
  const db = ctx.db;
  const [exam, settings] = await Promise.all([repo.getExam(db, examId), loadAnalysisSettings(db)]);
  if (!exam) throw notFound('考试');
  const { options, rewardTable } = settings;
  const subjects = exam.subjects;
  const term = exam.term === 2 ? 2 : 1;
  const targets = await targetsFor(db, exam.grade, exam.schoolYear);
  const baselineTerm = targets.config.baseline;
  // registered students of the grade without a row count as absent (county exams; option)
  const countMissing = options.registeredMissingAsAbsent && exam.scope === 'county';

  // independent reads: on PostgreSQL each runs on a pooled connection of its own
  const inMemory = given && exam.importJobId != null && given.importJobId === exam.importJobId && given.scores.length === subjects.length ? given : null;
  const at: repo.SheetPlaces = inMemory?.schoolIds ? { classIds: distinctIds(inMemory.classIds), schoolIds: inMemory.schoolIds } : { examId };
  const [packed, enrolled, schools, registryClasses, assignments, previous, baseline] = await Promise.all([
    inMemory ? Promise.resolve(inMemory) : loadScoreColumns(db, examId, exam.importJobId, subjects.length),
    countMissing ? (inMemory?.schoolIds && inMemory.enrolledOfGrade) || repo.loadEnrolledOfGrade(db, at, exam.schoolYear, exam.grade) : Promise.resolve(null),
    repo.allSchools(db),
    repo.classesForExam(db, at, exam.schoolYear, exam.grade),
    repo.subjectTeachersForExam(db, at, exam.schoolYear, exam.grade, subjects.map((s) => s.name)),
    repo.previousExamId(db, examId).then((id) => (id ? snapshot(ctx, id).then((rows) => ({ id, rows })) : null)),
    (baselineTerm ? repo.baselineExamId(db, examId, baselineTerm.schoolYear, baselineTerm.term) : Promise.resolve(null))
      .then((id) => (id ? snapshot(ctx, id).then((rows) => ({ id, rows })) : null)),
  ]);
  if (packed.n === 0) throw badRequest('该考试还没有导入成绩，无法分析');
  const previousId = previous?.id ?? null;
  const baselineId = baseline?.id ?? null;

  // ── students as columns: the sheet's rows, then the registered students without a row ──
  const n0 = packed.n;
  const rowClassId = packed.classIds;
  const rowStudentId = packed.studentIds;
  const { studentIds: missingStudentId, classIds: missingClassId } = missingStudents(enrolled, rowStudentId, 'schoolIds' in at ? at.schoolIds : null);
  const nm = missingStudentId.length;
  const n = n0 + nm;
  const labels = packed.labels;

  // ── units: schools by 学校标识码; classes by school, class number, key; unregistered classes by the sheet's label ──
  const schoolById = new Map(schools.map((s) => [s.id, s]));
  const schoolByCode = new Map(schools.map((s) => [s.code, s]));
  const cohort = cohortOf(exam.schoolYear, exam.grade);
  const pending: PendingClass[] = [];
  const pendingByKey = new Map<string, PendingClass>();
  const pendingById = new Map<number, PendingClass>();
  for (const c of registryClasses) {
    const school = schoolById.get(c.schoolId)!;
    const key = classUnitKey(school.code, cohortOf(c.schoolYear, c.grade), c.classNo);
    const pc: PendingClass = { key, name: c.name, schoolCode: school.code, sortNo: c.classNo, headTeacher: c.headTeacher, meta: { classId: c.id, schoolId: c.schoolId } };
    pending.push(pc);
    pendingByKey.set(key, pc);
    pendingById.set(c.id, pc);
  }
  const rowLabelClass: (PendingClass | undefined)[] = [];
  /** school code + label as read → its class (each distinct label is parsed once) */
  const byLabel = new Map<string, PendingClass>();
  if (labels) {
    for (let i = 0; i < n0; i++) {
      if (rowClassId[i] !== -1) continue;
      let pc = byLabel.get(labels[i]!);
      if (!pc) {
        const [schoolCode = '', label = ''] = labels[i]!.split('\u001e');
        const { key, classNo } = labelClassKey(schoolCode, cohort, exam.grade, label);
        pc = pendingByKey.get(key); // a label naming a registered class's number is that class
        if (!pc) {
          pc = { key, name: label || '（未注明班级）', schoolCode, sortNo: classNo ?? Number.MAX_SAFE_INTEGER, headTeacher: null, meta: { classId: null, schoolId: schoolByCode.get(schoolCode)?.id ?? null } };
          pending.push(pc);
          pendingByKey.set(key, pc);
        }
        byLabel.set(labels[i]!, pc);
      }
      rowLabelClass[i] = pc;
    }
  }
  pending.sort((a, b) => cmp(a.schoolCode, b.schoolCode) || a.sortNo - b.sortNo || cmp(a.key, b.key));
  const classIndex = new Map(pending.map((c, k) => [c, k]));
  const schoolCodes = [...new Set(pending.map((c) => c.schoolCode))].sort(cmp);
  const schoolIndex = new Map(schoolCodes.map((code, k) => [code, k]));
  const schoolRefs: UnitRef[] = schoolCodes.map((code) => ({ key: code, name: schoolByCode.get(code)?.name ?? code }));
  const classRefs: ClassRef[] = pending.map((c) => ({ key: c.key, name: c.name, school: schoolIndex.get(c.schoolCode)!, headTeacher: c.headTeacher }));
  const classMetaByKey = new Map(pending.map((c) => [c.key, c.meta]));
  const indexById = new Map<number, number>();
  for (const [id, pc] of pendingById) indexById.set(id, classIndex.get(pc)!);

  const classAt = (k: number | undefined): number => {
    if (k === undefined) throw new Error('考试成绩中的班级不在读取的班级中'); // the class queries cover every row's class
    return k;
  };
  const studentClass = new Int32Array(n);
  for (let i = 0; i < n0; i++) {
    const id = rowClassId[i]!;
    studentClass[i] = classAt(id >= 0 ? indexById.get(id) : classIndex.get(rowLabelClass[i]!));
  }
  for (let i = 0; i < nm; i++) studentClass[n0 + i] = classAt(indexById.get(missingClassId[i]!));

  // subject teachers per class (the usual case: a teacher's figures are sums of their classes)
  const teacherRefs: UnitRef[] = [];
  const teacherIndex = new Map<number, number>();
  const classTeacher = new Map<string, Int32Array>();
  for (const a of assignments) {
    let t = teacherIndex.get(a.teacherId);
    if (t === undefined) {
      t = teacherRefs.length;
      teacherIndex.set(a.teacherId, t);
      teacherRefs.push({ key: String(a.teacherId), name: a.name });
    }
    let perClass = classTeacher.get(a.subject);
    if (!perClass) classTeacher.set(a.subject, (perClass = new Int32Array(pending.length).fill(-1)));
    perClass[indexById.get(a.classId)!] = t;
  }

  const subjectInputs: SubjectInput[] = subjects.map((s, j) => {
    let scores = packed.scores[j]!;
    if (nm > 0) {
      scores = new Float64Array(n);
      scores.set(packed.scores[j]!.subarray(0, n0));
      scores.fill(NaN, n0);
    }
    const perClass = classTeacher.get(s.name);
    return { name: s.name, fullMarks: s.fullMarks, countsToTotal: s.countsToTotal, scores, ...(perClass ? { classTeacher: perClass } : {}) };
  });
  const studentIdOf = (i: number) => (i < n0 ? rowStudentId[i]! : missingStudentId[i - n0]!);
  const t1 = performance.now();

  // ── the pure engine ──
  let result: ExamAnalysis;
  try {
    const { registeredMissingAsAbsent: _service, ...engineOptions } = options;
    result = analyseExam({
      exam: { schoolYear: exam.schoolYear, term },
      schools: schoolRefs,
      classes: classRefs,
      teachers: teacherRefs,
      studentClass,
      subjects: subjectInputs,
      previous: previous?.rows ?? null,
      baseline: baseline?.rows ?? null,
      targets: targets.config,
      rewards: rewardTable,
      options: engineOptions,
    });
  } catch (err) {
    if (err instanceof RangeError) throw badRequest(`无法分析：${err.message}`);
    throw err;
  }
  const t2 = performance.now();

  // ── rows to store ──
  const stats = subjectStatColumns(result, options.scoreDecimals);
  const units = unitColumns(result, schoolByCode, classMetaByKey);
  const candidateRows = collectCandidates(result, classMetaByKey, studentIdOf);

  const outcome = await writeTransaction(ctx, async (tx, copyIn) => {
    const locked = await repo.lockExam(tx, examId);
    if (!locked) throw notFound('考试');
    if (locked.updatedAt !== exam.updatedAt || locked.importJobId !== exam.importJobId || locked.rowCount !== exam.rowCount) return 'changed' as const;
    const stored = await repo.loadCandidates(tx, examId);
    const reviewed = await repo.reviewedAwards(tx, examId);
    const awards = awardColumns(result, units.schoolIdOfUnit, reviewed);
    const candidates = diffCandidates(candidateRows, stored);
    await repo.deleteResults(tx, examId);
    await repo.insertColumns(tx, copyIn, 'exam_subject_stats', examId, stats);
    await repo.insertColumns(tx, copyIn, 'exam_unit_results', examId, units.columns);
    await repo.insertColumns(tx, copyIn, 'exam_awards', examId, awards.columns);
    await repo.applyCandidateChanges(tx, copyIn, examId, candidates.changes);
    const ms = Math.round(performance.now() - t0);
    await repo.markAnalysed(tx, examId, ms, nm);
    await writeAudit(tx, actor, {
      action: 'exam.analysed', entityType: 'exam', entityId: examId, schoolId: exam.schoolId,
      after: {
        students: n, rows: n0, missingCountedAbsent: nm, subjects: result.subjects.length, unitRows: units.count,
        candidates: candidateRows.studentId.length, candidateChanges: candidates.counts,
        awards: awards.count, reviewedAwardsKept: awards.kept, reviewedAwardsReset: awards.reset, reviewedAwardsDropped: awards.dropped,
        previousExamId: previousId, baselineExamId: baselineId, ms,
      },
    });
    return { awards: awards.count };
  }, { asyncCommit: true });
  if (outcome === 'changed') return 'changed';
  const t3 = performance.now();
  return {
    ms: Math.round(t3 - t0),
    loadMs: Math.round(t1 - t0),
    analyseMs: Math.round(t2 - t1),
    storeMs: Math.round(t3 - t2),
    students: n,
    missing: nm,
    unitRows: units.count,
    candidates: candidateRows.studentId.length,
    awards: outcome.awards,
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The distinct ids ≥ 0 of a column. */
function distinctIds(ids: Int32Array): number[] {
  const seen = new Set<number>();
  for (let i = 0; i < ids.length; i++) if (ids[i]! >= 0) seen.add(ids[i]!);
  return [...seen];
}

/**
 * The enrolled students of the grade with no row of their own (counted absent), by class then
 * student: the enrollments at the sheet's schools less the students of the rows. `sheetSchools`:
 * the sheet's schools, when the enrollments were read for every school (else null: read for
 * the sheet's schools only).
 */
function missingStudents(enrolled: repo.EnrolledOfGrade | null, rowStudentId: Int32Array, sheetSchools: number[] | null) {
  const n = enrolled?.n ?? 0;
  if (n === 0) return { studentIds: new Int32Array(0), classIds: new Int32Array(0) };
  const sIds = parseIntColumn(enrolled!.studentIds, n, -1);
  const cIds = parseIntColumn(enrolled!.classIds, n, -1);
  let atSheet: ((i: number) => boolean) | null = null;
  if (sheetSchools) {
    const schoolOf = parseIntColumn(enrolled!.schoolIds, n, -1);
    const schools = new Set(sheetSchools);
    atSheet = (i) => schools.has(schoolOf[i]!);
  }
  let max = 0;
  for (let i = 0; i < n; i++) if (sIds[i]! > max) max = sIds[i]!;
  const hasRow = new Uint8Array(max + 1);
  for (let i = 0; i < rowStudentId.length; i++) {
    const id = rowStudentId[i]!;
    if (id >= 0 && id <= max) hasRow[id] = 1;
  }
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (!hasRow[sIds[i]!] && (!atSheet || atSheet(i))) keep.push(i);
  keep.sort((a, b) => cIds[a]! - cIds[b]! || sIds[a]! - sIds[b]!);
  return { studentIds: Int32Array.from(keep, (i) => sIds[i]!), classIds: Int32Array.from(keep, (i) => cIds[i]!) };
}

async function snapshot(ctx: AppContext, examId: string): Promise<UnitSnapshot[]> {
  const r = await repo.loadSnapshot(ctx.db, examId);
  const n = r?.n ?? 0;
  if (!r || n === 0) return [];
  const subjects = parseTextColumn(r.subjects, n);
  const levels = parseTextColumn(r.levels, n);
  const keys = parseTextColumn(r.keys, n);
  const bottom = parseIntColumn(r.bottom, n, 0);
  const enrolled = parseIntColumn(r.enrolled, n, 0);
  const rank = parseIntColumn(r.rank, n, 0);
  const rankInSchool = parseIntColumn(r.rankInSchool, n, 0);
  const out: UnitSnapshot[] = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = { subject: subjects[i]!, level: levels[i] as UnitSnapshot['level'], key: keys[i]!, bottom: bottom[i]!, enrolled: enrolled[i]!, rank: rank[i]!, rankInSchool: rankInSchool[i]! };
  }
  return out;
}

function subjectStatColumns(result: ExamAnalysis, scoreDecimals: number): Column[] {
  const s = result.subjects;
  const col = (name: string, type: Column['type'], f: (x: ExamAnalysis['subjects'][number], k: number) => Column['values'][number]): Column =>
    ({ name, type, values: s.map(f) });
  return [
    col('subject', 'text', (x) => x.subject),
    col('ord', 'int', (_, k) => k),
    col('is_total', 'bool', (x) => x.isTotal),
    col('full_marks', 'float8', (x) => x.fullMarks),
    col('n', 'int', (x) => x.n),
    col('absent', 'int', (x) => x.absent),
    col('position', 'int', (x) => x.position),
    col('cut', 'float8', (x) => (typeof x.cut === 'number' ? x.cut : null)),
    col('cut_is_absent', 'bool', (x) => x.cut === 'absent'),
    col('bottom', 'int', (x) => x.bottomCount),
    col('mean', 'float8', (x) => x.county.mean),
    col('pass_rate', 'float8', (x) => x.county.passRate),
    col('excellence_rate', 'float8', (x) => x.county.excellenceRate),
    col('distribution', 'int[]', (x) => scoreDistribution(x.scores, x.fullMarks, scoreDecimals).map(String)),
  ];
}

function unitColumns(result: ExamAnalysis, schoolByCode: Map<string, { id: number }>, classMetaByKey: Map<string, ClassMeta>) {
  const names = [
    'subject', 'level', 'unit_key', 'unit_name', 'school_id', 'class_id', 'teacher_id', 'head_teacher', 'enrolled', 'absent', 'bottom', 'ratio',
    'rank', 'rank_in_school', 'denominator', 'mean', 'pass_rate', 'excellence_rate', 'composite', 'points_vs_previous', 'bottom_change_vs_previous',
    'rank_rise_vs_previous', 'points_vs_baseline', 'target_status', 'target_note',
  ] as const;
  const types: Column['type'][] = [
    'text', 'text', 'text', 'text', 'int', 'int', 'int', 'text', 'int', 'int', 'int', 'float8',
    'int', 'int', 'int', 'float8', 'float8', 'float8', 'float8', 'float8', 'int',
    'int', 'float8', 'text', 'text',
  ];
  let count = 0;
  for (const s of result.subjects) count += s.schools.length + s.classes.length + s.teachers.length;
  const values = names.map(() => new Array<Column['values'][number]>(count));
  /** `${level}\0${key}\0${subject}` → school id (for award lines) */
  const schoolIdOfUnit = new Map<string, number | null>();
  let i = 0;
  for (const s of result.subjects) {
    for (const rows of [s.schools, s.classes, s.teachers]) {
      for (const row of rows) {
        let schoolId: number | null;
        let classId: number | null = null;
        let teacherId: number | null = null;
        if (row.level === 'school') schoolId = schoolByCode.get(row.key)?.id ?? null;
        else if (row.level === 'class') {
          const meta = classMetaByKey.get(row.key);
          schoolId = meta?.schoolId ?? null;
          classId = meta?.classId ?? null;
        } else {
          schoolId = row.schoolKey ? (schoolByCode.get(row.schoolKey)?.id ?? null) : null;
          teacherId = Number(row.key);
        }
        if (row.level !== 'school') schoolIdOfUnit.set(`${row.level}\u0000${row.key}\u0000${row.subject}`, schoolId);
        const v = [
          row.subject, row.level, row.key, row.name, schoolId, classId, teacherId, row.headTeacher, row.enrolled, row.absent, row.bottom, row.ratio,
          row.rank, row.rankInSchool, Math.round(row.denominator), row.mean, row.passRate, row.excellenceRate, row.composite,
          row.previous ? row.previous.points : null, row.previous ? row.previous.bottomChange : null, row.previous ? row.previous.rankRise : null,
          row.baseline ? row.baseline.points : null, row.target ? row.target.status : null, row.target ? row.target.explanation : null,
        ];
        for (let k = 0; k < v.length; k++) values[k]![i] = v[k]!;
        i++;
      }
    }
  }
  const columns: Column[] = names.map((name, k) => ({ name, type: types[k]!, values: values[k]! }));
  return { columns, count, schoolIdOfUnit };
}

interface CandidateRows {
  studentId: number[];
  classId: (number | null)[];
  schoolId: number[];
  reason: string[];
  /** shared frozen arrays from the engine (one per combination of subjects) */
  subjects: (readonly string[])[];
}

const emptyCandidates = (): CandidateRows => ({ studentId: [], classId: [], schoolId: [], reason: [], subjects: [] });

function collectCandidates(result: ExamAnalysis, classMetaByKey: Map<string, ClassMeta>, studentIdOf: (i: number) => number): CandidateRows {
  const out = emptyCandidates();
  const seen = new Set<number>();
  for (const list of result.candidates) {
    const meta = classMetaByKey.get(list.classKey);
    if (!meta || meta.schoolId == null) continue;
    for (const c of list.candidates) {
      const sid = studentIdOf(c.student);
      // only registered students can be candidates (an unmatched row has no one to support yet)
      if (sid < 0 || seen.has(sid)) continue;
      seen.add(sid);
      out.studentId.push(sid);
      out.classId.push(meta.classId);
      out.schoolId.push(meta.schoolId);
      out.reason.push(c.reason);
      out.subjects.push(c.subjects);
    }
  }
  return out;
}

const candidateColumns = (r: CandidateRows): Column[] => [
  { name: 'student_id', type: 'int', values: r.studentId },
  { name: 'class_id', type: 'int', values: r.classId },
  { name: 'school_id', type: 'int', values: r.schoolId },
  { name: 'reason', type: 'text', values: r.reason },
  { name: 'subjects', type: 'text[]', values: r.subjects },
];

/**
 * The candidate changes a new analysis makes to the stored list. Decisions are kept: a decided
 * student listed again keeps the decision (reason and subjects follow the new analysis); a
 * removed student no longer listed is deleted (the removal is moot; the audit log keeps it); a
 * confirmed student no longer listed is KEPT with reason 'kept' and no subjects — a teacher
 * chose to support them, and a corrected re-import should not silently drop that.
 */
function diffCandidates(next: CandidateRows, stored: Awaited<ReturnType<typeof repo.loadCandidates>>) {
  const n = stored?.n ?? 0;
  const sIds = parseIntColumn(stored?.studentIds, n, -1);
  const sClass = parseIntColumn(stored?.classIds, n, -1);
  const sSchool = parseIntColumn(stored?.schoolIds, n, -1);
  const sReason = n > 0 ? parseTextColumn(stored?.reasons, n) : [];
  const sSubjects = n > 0 ? parseTextColumn(stored?.subjects, n) : [];
  const sStatus = n > 0 ? parseTextColumn(stored?.statuses, n) : [];
  const index = new Map<number, number>();
  for (let k = 0; k < n; k++) index.set(sIds[k]!, k);
  const insert = emptyCandidates();
  const update = emptyCandidates();
  const push = (to: CandidateRows, sid: number, classId: number | null, schoolId: number, reason: string, subjects: readonly string[]) => {
    to.studentId.push(sid);
    to.classId.push(classId);
    to.schoolId.push(schoolId);
    to.reason.push(reason);
    to.subjects.push(subjects);
  };
  const joined = new Map<readonly string[], string>(); // the stored form of a subject list
  const listed = new Uint8Array(n);
  for (let i = 0; i < next.studentId.length; i++) {
    const sid = next.studentId[i]!;
    const k = index.get(sid);
    const classId = next.classId[i]!;
    const list = next.subjects[i]!;
    if (k === undefined) {
      push(insert, sid, classId, next.schoolId[i]!, next.reason[i]!, list);
      continue;
    }
    listed[k] = 1;
    let j = joined.get(list);
    if (j === undefined) joined.set(list, (j = list.join('\u001e')));
    if ((sClass[k] === -1 ? null : sClass[k]) !== classId || sSchool[k] !== next.schoolId[i] || sReason[k] !== next.reason[i] || sSubjects[k] !== j) {
      push(update, sid, classId, next.schoolId[i]!, next.reason[i]!, list);
    }
  }
  const remove: number[] = [];
  const none: readonly string[] = [];
  let kept = 0;
  let dropped = 0;
  for (let k = 0; k < n; k++) {
    if (listed[k]) continue;
    if (sStatus[k] === 'confirmed') {
      kept++;
      if (sReason[k] !== 'kept' || sSubjects[k] !== '') push(update, sIds[k]!, sClass[k] === -1 ? null : sClass[k]!, sSchool[k]!, 'kept', none);
    } else {
      if (sStatus[k] === 'removed') dropped++;
      remove.push(sIds[k]!);
    }
  }
  return {
    changes: { insert: candidateColumns(insert), update: candidateColumns(update), remove },
    counts: { inserted: insert.studentId.length, updated: update.studentId.length, deleted: remove.length, keptConfirmedNotListed: kept, droppedRemovedNotListed: dropped },
  };
}

/**
 * Award lines to store. A line computed again (same level, unit, subject, rule) with the same
 * amount keeps its review; with another amount it goes back to 'computed'; reviewed lines no
 * longer computed are dropped (the audit log keeps the review).
 */
function awardColumns(result: ExamAnalysis, schoolIdOfUnit: Map<string, number | null>, reviewed: Awaited<ReturnType<typeof repo.reviewedAwards>>) {
  const keyOf = (level: string, unitKey: string, subject: string, rule: string) => [level, unitKey, subject, rule].join('\u0000');
  const previous = new Map(reviewed.map((r) => [keyOf(r.level, r.unitKey, r.subject, r.rule), r]));
  const lines = result.awards;
  let kept = 0;
  let matched = 0;
  const review = lines.map((a) => {
    const before = previous.get(keyOf(a.recipient, a.key, a.subject, a.ruleName));
    if (before) matched++;
    if (before && before.amount === a.amount) {
      kept++;
      return before;
    }
    return null;
  });
  const columns: Column[] = [
    { name: 'level', type: 'text', values: lines.map((a) => a.recipient) },
    { name: 'unit_key', type: 'text', values: lines.map((a) => a.key) },
    { name: 'unit_name', type: 'text', values: lines.map((a) => a.name) },
    { name: 'subject', type: 'text', values: lines.map((a) => a.subject) },
    { name: 'rule', type: 'text', values: lines.map((a) => a.ruleName) },
    { name: 'rule_kind', type: 'text', values: lines.map((a) => a.kind) },
    { name: 'amount', type: 'float8', values: lines.map((a) => a.amount) },
    { name: 'reason', type: 'text', values: lines.map((a) => a.reason) },
    { name: 'school_id', type: 'int', values: lines.map((a) => schoolIdOfUnit.get(`${a.recipient}\u0000${a.key}\u0000${a.subject}`) ?? null) },
    { name: 'status', type: 'text', values: review.map((r) => r?.status ?? 'computed') },
    { name: 'reviewed_by', type: 'int', values: review.map((r) => r?.reviewedBy ?? null) },
    { name: 'reviewed_at', type: 'timestamptz', values: review.map((r) => r?.reviewedAt ?? null) },
    { name: 'review_note', type: 'text', values: review.map((r) => r?.reviewNote ?? null) },
  ];
  return { columns, count: lines.length, kept, reset: matched - kept, dropped: reviewed.length - matched };
}

// ───────────── reads for the API ─────────────

const isoOrNull = (v: unknown): string | null => (v == null ? null : new Date(v as string).toISOString());

export function toHeader(e: repo.ExamRow): ExamHeader {
  return {
    id: e.id, name: e.name, schoolYear: e.schoolYear, term: e.term, kind: e.kind, scope: e.scope, grade: e.grade, examDate: e.examDate,
    status: e.status, analysedAt: isoOrNull(e.analysedAt), analysisMs: e.analysisMs, missingCount: e.missingCount,
  };
}

/** The exam if the caller may see it (404 otherwise). */
export async function visibleExam(ctx: AppContext, c: Caller, examId: string): Promise<repo.ExamRow> {
  const exam = await repo.getExam(ctx.db, examId, c.scope.exams('e'));
  if (!exam) throw notFound('考试');
  return exam;
}

export function cutOf(s: { cut: number | null; cutIsAbsent: boolean }): number | 'absent' | null {
  return s.cutIsAbsent ? 'absent' : s.cut;
}

export async function getSubjectStats(ctx: AppContext, c: Caller, examId: string): Promise<{ exam: ExamHeader; subjects: SubjectStat[] }> {
  const exam = await visibleExam(ctx, c, examId);
  const stats = await repo.subjectStats(ctx.db, examId);
  return {
    exam: toHeader(exam),
    subjects: stats.map((s) => ({
      subject: s.subject, ord: s.ord, isTotal: s.isTotal, fullMarks: s.fullMarks, n: s.n, absent: s.absent, position: s.position,
      cut: cutOf(s), bottom: s.bottom, ratio: s.n > 0 ? s.bottom / s.n : null, mean: s.mean, passRate: s.passRate,
      excellenceRate: s.excellenceRate, distribution: s.distribution.map(Number),
    })),
  };
}

type UnitsQuery = z.infer<typeof unitsQuery>;

/** Scoped unit rows (the same for the API, the exports and the CLI). */
export async function readUnitRows(ctx: AppContext, scope: Caller['scope'], examId: string, q: UnitsQuery): Promise<UnitRow[]> {
  const conds: SQL[] = [scope.examUnits('r')];
  if (q.subject) conds.push(sql`r.subject = ${q.subject}`);
  if (q.schoolCode) {
    conds.push(sql`coalesce(sc.code, CASE WHEN r.level = 'school' THEN r.unit_key WHEN r.level = 'class' THEN split_part(r.unit_key, '/', 1) END) = ${q.schoolCode}`);
  }
  return repo.unitRows(ctx.db, examId, q.level, sql.join(conds, sql` AND `));
}

export async function getUnits(ctx: AppContext, c: Caller, examId: string, q: UnitsQuery): Promise<UnitsResponse> {
  const exam = await visibleExam(ctx, c, examId);
  const [items, stats] = await Promise.all([readUnitRows(ctx, c.scope, examId, q), repo.subjectStats(ctx.db, examId)]);
  return {
    exam: toHeader(exam),
    level: q.level,
    cuts: stats.filter((s) => !q.subject || s.subject === q.subject).map((s) => ({ subject: s.subject, cut: cutOf(s) })),
    items,
  };
}

export async function getTargetsSummary(ctx: AppContext, c: Caller, examId: string): Promise<TargetsSummaryResponse> {
  const exam = await visibleExam(ctx, c, examId);
  const [schoolRows, classRows, targets] = await Promise.all([
    readUnitRows(ctx, c.scope, examId, { level: 'school' }),
    readUnitRows(ctx, c.scope, examId, { level: 'class' }),
    targetsFor(ctx.db, exam.grade, exam.schoolYear),
  ]);
  const count = (list: UnitRow[]) => ({
    met: list.filter((r) => r.targetStatus === 'met').length,
    notMet: list.filter((r) => r.targetStatus === 'not_met').length,
    notMeasurable: list.filter((r) => r.targetStatus === 'not_measurable').length,
  });
  const subjects = [...new Set(schoolRows.filter((r) => r.targetStatus !== null).map((r) => r.subject))];
  return {
    exam: toHeader(exam),
    baseline: targets.baseline,
    isDefault: targets.isDefault,
    subjects: subjects.map((subject) => {
      const schools = schoolRows.filter((r) => r.subject === subject && r.targetStatus !== null);
      return {
        subject,
        schools: count(schools),
        classes: count(classRows.filter((r) => r.subject === subject)),
        items: schools.map((r) => ({
          schoolCode: r.schoolCode ?? r.unitKey, schoolName: r.schoolName ?? r.unitName, ratio: r.ratio, rank: r.rank,
          status: r.targetStatus!, note: r.targetNote,
        })),
      };
    }),
  };
}

export async function getSchoolTrend(ctx: AppContext, c: Caller, code: string, q: z.infer<typeof trendQuery>): Promise<TrendResponse> {
  const school = (await repo.allSchools(ctx.db)).find((s) => s.code === code);
  if (!school) throw notFound('学校');
  let examScope = c.scope.exams('e');
  if (q.comparableTo) {
    const ref = await repo.getExam(ctx.db, q.comparableTo, c.scope.exams('e'));
    if (!ref) throw notFound('考试');
    examScope = sql`${examScope} AND e.scope = ${ref.scope} AND e.school_id IS NOT DISTINCT FROM ${ref.schoolId}::int
      AND e.pairing_id IS NOT DISTINCT FROM ${ref.pairingId}::int`;
  }
  const list = await repo.trendRows(ctx.db, school.id, q.subject, q.grade, examScope, c.scope.examUnits('r'));
  const point = (r: (typeof list)[number]): TrendPoint => ({
    examId: r.examId, examName: r.examName, schoolYear: r.schoolYear, term: r.term, grade: r.grade, examDate: r.examDate,
    ratio: r.ratio, rank: r.rank, rankInSchool: r.rankInSchool, bottom: r.bottom, enrolled: r.enrolled,
  });
  const classes = new Map<string, { unitKey: string; name: string; points: TrendPoint[] }>();
  for (const r of list) {
    if (r.level !== 'class') continue;
    let entry = classes.get(r.unitKey);
    if (!entry) classes.set(r.unitKey, (entry = { unitKey: r.unitKey, name: r.unitName, points: [] }));
    entry.name = r.unitName; // the latest name (七年级(1)班 → 八年级(1)班)
    entry.points.push(point(r));
  }
  return {
    schoolCode: school.code,
    schoolName: school.name,
    subject: q.subject,
    school: list.filter((r) => r.level === 'school').map(point),
    classes: [...classes.values()],
  };
}

// ───────────── candidates ─────────────

type Decidable = Pick<repo.CandidateRow, 'classId' | 'headTeacherId' | 'schoolId' | 'subjects'>;

/**
 * Who may confirm or remove a candidate: the principal or 教导处 of the school; the class's
 * head teacher; a subject teacher of the class when the candidate is bottom in that subject.
 * Read-only roles never.
 */
async function candidateDecider(ctx: AppContext, user: SessionUser): Promise<(cand: Decidable) => boolean> {
  const info = ROLE_INFO[user.role];
  if (info.readOnly) return () => false;
  if (CANDIDATE_SCHOOL_ROLES.includes(user.role)) return (cand) => user.schoolId === cand.schoolId;
  if ((user.role === 'head_teacher' || user.role === 'teacher') && user.teacherId != null) {
    const teacherId = user.teacherId;
    const taught = await repo.teacherAssignments(ctx.db, teacherId);
    return (cand) =>
      cand.schoolId === user.schoolId &&
      ((user.role === 'head_teacher' && cand.headTeacherId === teacherId) ||
        taught.some((a) => a.classId === cand.classId && cand.subjects.includes(a.subject)));
  }
  return () => false;
}

function candidateItem(r: repo.CandidateRow, canDecide: boolean): CandidateItem {
  return {
    studentId: r.studentId, studentName: r.studentName, classId: r.classId, className: r.className, schoolId: r.schoolId, schoolName: r.schoolName,
    reason: r.reason as CandidateItem['reason'], subjects: r.subjects, status: r.status as CandidateItem['status'],
    decidedBy: r.decidedById != null ? { id: r.decidedById, name: r.decidedByName ?? '' } : null,
    decidedAt: isoOrNull(r.decidedAt), decisionNote: r.decisionNote, canDecide,
  };
}

export async function listCandidates(ctx: AppContext, c: Caller, examId: string, q: z.infer<typeof candidatesQuery>) {
  await visibleExam(ctx, c, examId);
  const conds: SQL[] = [c.scope.examCandidates('c')];
  if (q.classId) conds.push(sql`c.class_id = ${q.classId}`);
  if (q.schoolCode) conds.push(sql`sc.code = ${q.schoolCode}`);
  if (q.status) conds.push(sql`c.status = ${q.status}`);
  if (q.reason) conds.push(sql`c.reason = ${q.reason}`);
  const [res, canDecide] = await Promise.all([
    repo.listCandidates(ctx.db, examId, sql.join(conds, sql` AND `), q.page, q.pageSize),
    candidateDecider(ctx, c.user),
  ]);
  return { total: res.total, page: q.page, pageSize: q.pageSize, items: res.items.map((r) => candidateItem(r, canDecide(r))) };
}

export async function decideCandidate(ctx: AppContext, c: Caller, examId: string, studentId: number, body: z.infer<typeof candidatePatchBody>): Promise<CandidateItem> {
  await visibleExam(ctx, c, examId);
  const note = body.note?.trim() || null;
  if (body.status === 'removed' && (!note || note.length < 2)) throw badRequest('移除帮扶对象候选须填写原因');
  const canDecide = await candidateDecider(ctx, c.user);
  return ctx.db.transaction(async (tx) => {
    await repo.lockExamShared(tx, examId); // a decision never races a re-analysis's refresh of the list
    const before = await repo.getCandidate(tx, examId, studentId, c.scope.examCandidates('c'), true);
    if (!before) throw notFound('帮扶对象候选');
    if (!canDecide(before)) throw forbidden('只有班主任、该科任课教师或学校教导处/校长可以确认或移除该候选');
    await repo.setCandidateStatus(tx, examId, studentId, body.status, c.user.id, note);
    await writeAudit(tx, c.actor, {
      action: `exam.candidate.${body.status}`, entityType: 'exam_candidate', entityId: `${examId}/${studentId}`, schoolId: before.schoolId,
      before: { status: before.status, note: before.decisionNote }, after: { status: body.status, note }, reason: note,
    });
    const after = await repo.getCandidate(tx, examId, studentId, sql`TRUE`);
    return candidateItem(after!, true);
  });
}

// ───────────── awards ─────────────

function awardItem(r: repo.AwardRow): AwardItem {
  return {
    level: r.level, unitKey: r.unitKey, subject: r.subject, rule: r.rule, unitName: r.unitName, ruleKind: r.ruleKind, amount: r.amount,
    reason: r.reason, schoolId: r.schoolId, schoolName: r.schoolName, status: r.status,
    reviewedBy: r.reviewedById != null ? { id: r.reviewedById, name: r.reviewedByName ?? '' } : null,
    reviewedAt: isoOrNull(r.reviewedAt), reviewNote: r.reviewNote,
  };
}

export async function listAwards(ctx: AppContext, c: Caller, examId: string, q: z.infer<typeof awardsQuery>, all = false) {
  await visibleExam(ctx, c, examId);
  const conds: SQL[] = [c.scope.examAwards('a')];
  if (q.level) conds.push(sql`a.level = ${q.level}`);
  if (q.status) conds.push(sql`a.status = ${q.status}`);
  if (q.schoolCode) conds.push(sql`sc.code = ${q.schoolCode}`);
  const res = await repo.listAwards(ctx.db, examId, sql.join(conds, sql` AND `), q.page, all ? 0 : q.pageSize);
  return { total: res.total, page: q.page, pageSize: q.pageSize, amounts: res.amounts, items: res.items.map(awardItem) };
}

export async function reviewAwards(ctx: AppContext, c: Caller, examId: string, body: z.infer<typeof awardReviewBody>) {
  if (!EXAM_BUREAU_ROLES.includes(c.user.role)) throw forbidden('只有教育局可以审核奖励');
  await visibleExam(ctx, c, examId);
  const note = body.note?.trim() || null;
  if (body.status === 'rejected' && (!note || note.length < 2)) throw badRequest('不通过须填写审核意见');
  return ctx.db.transaction(async (tx) => {
    await repo.lockExamShared(tx, examId);
    const changed = await repo.reviewAwards(tx, examId, body.awards, body.status, c.user.id, note);
    if (changed.length === 0) throw notFound('奖励记录');
    await writeAudit(tx, c.actor, changed.map((a) => ({
      action: `exam.award.${body.status}`, entityType: 'exam_award', entityId: `${examId}/${a.level}/${a.unitKey}/${a.subject}/${a.rule}`,
      schoolId: a.schoolId, before: { status: a.before }, after: { status: body.status, amount: a.amount, note }, reason: note,
    })));
    return { updated: changed.length };
  });
}

/** POST /api/exams/:id/analyse: the bureau re-runs an analysis (after a settings change). */
export async function reanalyse(ctx: AppContext, c: Caller, examId: string) {
  if (!EXAM_BUREAU_ROLES.includes(c.user.role)) throw forbidden('只有教育局可以重新分析考试');
  await visibleExam(ctx, c, examId);
  const r = await analyseAndStore(ctx, examId, c.actor);
  return { examId, ms: r.ms, status: 'analysed' };
}


// ───────────── reports (CLI and exports) ─────────────

/** Everything a report of one level needs, from stored rows, within the scope. */
export async function loadReport(ctx: AppContext, scope: Caller['scope'], examId: string, level: UnitsQuery['level']) {
  const exam = await repo.getExam(ctx.db, examId, scope.exams('e'));
  if (!exam) throw notFound('考试');
  const [stats, rows] = await Promise.all([repo.subjectStats(ctx.db, examId), readUnitRows(ctx, scope, examId, { level })]);
  if (stats.length === 0) throw badRequest('该考试尚未分析');
  const cuts = new Map(stats.map((s) => [s.subject, cutOf(s)] as const));
  const subjects = stats.map((s) => ({ subject: s.subject, cut: cutOf(s), n: s.n, absent: s.absent, position: s.position, bottom: s.bottom }));
  return { exam, subjects, rows, cuts };
}
