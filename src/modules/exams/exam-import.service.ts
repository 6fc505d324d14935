// The score import (成绩导入) of one exam, wide layout (one row per student, a column per subject):
//
//   parse   the whole file first (roster-import's streaming readers: .xlsx, .xls, CSV in
//           UTF-8 / GBK), header below any title rows, every row checked; the accepted rows
//           kept compactly in memory (column arrays: ./import/score-rows.ts)
//   match   registered students by the keyed hash of the 学籍号 (else the ID number): one
//           query per kind of identifier; the school and this school year's class come
//           from the registry; rows that match nobody keep the school (学校标识码, else
//           the exact 学校名称) and class label of the file, and still count
//   write   ONE transaction: delete the exam's scores, insert the new ones (COPY on
//           PostgreSQL), update the exam, one audit row, the job row — then commit. A
//           failure or a kill before the commit leaves the database as it was. The same
//           file again gives the same scores.
//   after   the errors file (rejected rows with Chinese reasons), then analyseAndStore.
//           An analysis failure does not undo the import: it is noted on the job.
//
// Choices (see docs/exams-import.md): full marks from the exam, else the header ('语文(120)'),
// else defaultFullMarks; a subject the file adds counts toward the total unless the caller
// names the total's subjects; 缺考 / 缺 / 缺席 / blank / - / — / / are absent.
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../../server/context.js';
import { AppError, conflict, forbidden, notFound } from '../../server/errors.js';
import { writeAudit, type Actor } from '../audit/audit.repo.js';
import type { SheetRow } from '../roster-import/header-detection.js';
import { FileReadError, openRows } from '../roster-import/readers.js';
import { writeErrorsFile } from '../roster-import/errors-file.js';
import * as rosterRepo from '../roster-import/roster-import.repo.js';
import { parseClass } from '../roster-import/row-normalize.js';
import type { ImportPhase } from '../roster-import/roster-import.schemas.js';
import { errorsFilePath, INTERRUPTED_MESSAGE, rootMessage, trackLiveJob, withOriginalCells, type LiveJob } from '../roster-import/import-jobs.js';
import type { Scope } from '../scope/scope.js';
import { analyseAndStore, type ScoreColumns } from './exam-analysis.service.js';
import * as analysisRepo from './exam-analysis.repo.js';
import * as repo from './exam-import.repo.js';
import * as examsRepo from './exams.repo.js';
import { canManageExam, cannotManageMessage } from './exams.service.js';
import { reconcileSubjects } from './import/reconcile.js';
import { SCORE_HEADER_SCAN_ROWS, detectScoreHeader } from './import/score-header.js';
import { OK, REJECTED, DUPLICATE, ScoreRowParser, resolveSameStudent, resolveSameStudentId, type ScoreTable } from './import/score-rows.js';

export interface ImportExamInput {
  examId: string;
  filePath: string;
  fileName: string;
  actor: Actor;
  scope: Scope;
  jobId?: string;
  onProgress?: (p: { processedRows: number; phase: ImportPhase }) => void;
  /** subjects the file adds count toward 总分 only if named here (the CLI's --total); default: they count */
  totalSubjects?: string[] | null;
}

export interface ImportExamResult {
  examId: string;
  rows: number;
  matched: number;
  unmatched: number;
  rejected: number;
  errorsFile: string | null;
  jobId: string;
  /** exact repeats of a row, counted once */
  duplicates: number;
  /** subjects the file added to the exam */
  subjectsAdded: string[];
  /** the analysis after the commit: its time, or why it failed (the scores stay imported) */
  analysis: { ok: true; ms: number } | { ok: false; message: string };
  /** milliseconds per step */
  timings: { parse: number; match: number; write: number; errorsFile: number; analysis: number };
}

const HEARTBEAT_MS = 2000;
const PROGRESS_EVERY = 5000;
/** Exam imports running in this process. */
const running = new Set<string>();

const TIMING = process.env.BANGFU_IMPORT_TIMING === '1';

const SAME_NO = (others: string) => `与第 ${others} 行的学籍号相同，但成绩或其他内容不同：同一学生在文件中只能出现一次，请核对后只保留一行`;
const SAME_ID = (others: string) => `与第 ${others} 行的身份证号相同，但成绩或其他内容不同：同一学生在文件中只能出现一次，请核对后只保留一行`;
const SAME_STUDENT = (others: string) => `与第 ${others} 行是系统中的同一名学生（学籍号或身份证号对应同一人），但成绩或其他内容不同：同一学生在文件中只能出现一次，请核对后只保留一行`;

interface Placed {
  studentId: Int32Array;
  schoolId: Int32Array;
  classId: Int32Array;
  /** 学校标识码 per row */
  schoolCode: (string | null)[];
  matched: number;
  unmatched: number;
}

/**
 * Links rows to registered students and places every row in a school and class. Rows that
 * cannot be placed, and rows of the same student, are rejected in the table.
 */
async function matchAndPlace(ctx: AppContext, t: ScoreTable, exam: examsRepo.ExamRow, grade: repo.GradeStudents): Promise<Placed> {
  const n = t.n;
  const studentId = new Int32Array(n);
  const mSchool = new Int32Array(n);
  const mClass = new Int32Array(n);
  const apply = (positions: number[], found: repo.StudentMatches) => {
    for (let k = 0; k < found.length; k += 4) {
      const i = positions[found[k]!]!;
      studentId[i] = found[k + 1]!;
      mSchool[i] = found[k + 2]!;
      mClass[i] = found[k + 3]!;
    }
  };
  // 学籍号 first: the grade's students read during the parse, then the database for the rest
  // (the hashes are unique: a hash found in the grade is the student the query would find)
  const byNo: number[] = [];
  const noHashes: string[] = [];
  for (let i = 0; i < n; i++) {
    const h = t.noHash[i];
    if (h && t.status[i] === OK) {
      const k = repo.findGradeStudent(grade, h);
      if (k >= 0) {
        studentId[i] = grade.studentId[k]!;
        mSchool[i] = grade.schoolId[k]!;
        mClass[i] = grade.classId[k]!;
        continue;
      }
      byNo.push(i);
      noHashes.push(h);
    }
  }
  apply(byNo, await repo.matchStudents(ctx.db, 'student_no_hash', noHashes, exam.schoolYear));
  // then the ID number: rows without a 学籍号, and rows whose 学籍号 matched nobody (hashed only now)
  const byId: number[] = [];
  const idHashes: string[] = [];
  for (let i = 0; i < n; i++) {
    if (studentId[i] !== 0 || t.status[i] !== OK) continue;
    let h = t.idHash[i];
    const later = t.laterId[i];
    if (!h && later) h = t.idHash[i] = ctx.sealer.hash(later);
    if (h) {
      byId.push(i);
      idHashes.push(h);
    }
  }
  t.laterId = [];
  apply(byId, await repo.matchStudents(ctx.db, 'id_number_hash', idHashes, exam.schoolYear));

  // the same student twice. Rows that matched a registered student: by that student (the same
  // 学籍号 or ID number matches the same student; so do a 学籍号 in one row and the ID in another);
  // rows that matched nobody: by 学籍号, then by ID number
  resolveSameStudentId(t, studentId, (others, group) => {
    const same = (h: (string | null)[]) => h[group[0]!] != null && group.every((i) => h[i] === h[group[0]!]);
    return same(t.noHash) ? SAME_NO(others) : same(t.idHash) ? SAME_ID(others) : SAME_STUDENT(others);
  });
  resolveSameStudent(t, (i) => (studentId[i] === 0 ? (t.noHash[i] ?? null) : null), SAME_NO);
  resolveSameStudent(t, (i) => (studentId[i] === 0 ? (t.idHash[i] ?? null) : null), SAME_ID);
  // the hashes are no longer needed
  t.noHash = [];
  t.idHash = [];

  // schools and classes of the registry
  const schools = await repo.allSchools(ctx.db);
  const byId_ = new Map(schools.map((s) => [s.id, s]));
  const byCode = new Map(schools.map((s) => [s.code, s]));
  const nameCount = new Map<string, number>();
  for (const s of schools) nameCount.set(s.name, (nameCount.get(s.name) ?? 0) + 1);
  const byName = new Map(schools.filter((s) => nameCount.get(s.name) === 1).map((s) => [s.name, s]));
  const classes = new Map<string, number>();
  for (const c of await repo.classesOfGrade(ctx.db, exam.schoolYear, exam.grade)) classes.set(`${c.schoolId}/${c.classNo}`, c.id);
  const examSchool = exam.scope === 'school' && exam.schoolId != null ? byId_.get(exam.schoolId) ?? null : null;
  // a pairing exam takes the rows of its pairing's schools only
  const pairingSchools = exam.scope === 'pairing' ? new Set((exam.pairingSchoolIds ?? []).map(Number)) : null;
  const pairingNames = pairingSchools ? [...pairingSchools].map((id) => byId_.get(id)?.name ?? String(id)).join('、') : '';

  // each distinct school of the file, resolved once
  type Where = { id: number; code: string } | { id: null; code: string } | { error: string } | null;
  const resolved: Where[] = t.schools.map((s): Where => {
    if (s.code) {
      const hit = byCode.get(s.code);
      return hit ? { id: hit.id, code: hit.code } : { id: null, code: s.code };
    }
    if (s.name) {
      const hit = byName.get(s.name);
      if (hit) return { id: hit.id, code: hit.code };
      return { error: nameCount.has(s.name) ? `学校名称“${s.name}”对应系统中的多所学校，请填写学校标识码` : `学校“${s.name}”在系统中找不到，请填写学校标识码` };
    }
    return null;
  });
  // a class label of the file → a registered class of the exam's grade at that school (cached)
  const classCache = new Map<string, number>();
  const classFor = (schoolId: number, ref: number): number => {
    if (ref < 0) return 0;
    const key = `${schoolId}/${ref}`;
    let c = classCache.get(key);
    if (c === undefined) {
      const p = parseClass(t.classLabels[ref]!, exam.grade);
      c = p && p !== 'invalid' && (p.grade == null || p.grade === exam.grade) ? (classes.get(`${schoolId}/${p.classNo}`) ?? 0) : 0;
      classCache.set(key, c);
    }
    return c;
  };

  const schoolId = new Int32Array(n);
  const classId = new Int32Array(n);
  const schoolCode: (string | null)[] = new Array(n).fill(null);
  let matched = 0;
  let unmatched = 0;
  for (let i = 0; i < n; i++) {
    if (t.status[i] !== OK) continue;
    if (studentId[i] !== 0) {
      const sid = mSchool[i]!;
      if (examSchool && sid !== examSchool.id) {
        t.reject(i, `该学生在系统中不属于本考试所属的学校（${examSchool.name}）`);
        continue;
      }
      if (pairingSchools && !pairingSchools.has(sid)) {
        t.reject(i, `该学生在系统中的学校（${byId_.get(sid)?.name ?? sid}）不是本结对联考的学校（${pairingNames}）`);
        continue;
      }
      schoolId[i] = sid;
      schoolCode[i] = byId_.get(sid)!.code;
      classId[i] = mClass[i] || classFor(sid, t.classRef[i]!);
      matched++;
      continue;
    }
    let w = t.schoolRef[i]! >= 0 ? resolved[t.schoolRef[i]!]! : null;
    if (examSchool) {
      if (w && !('error' in w) && w.id !== examSchool.id) {
        t.reject(i, `该行的学校（${w.code}）不是本考试所属的学校（${examSchool.name}）`);
        continue;
      }
      if (!w || 'error' in w) w = { id: examSchool.id, code: examSchool.code };
    }
    if (w && 'error' in w) {
      t.reject(i, w.error);
      continue;
    }
    if (pairingSchools && w && (w.id == null || !pairingSchools.has(w.id))) {
      t.reject(i, `该行的学校（${w.code}）不是本结对联考的学校（${pairingNames}）`);
      continue;
    }
    if (!w) {
      t.reject(i, '学籍号或身份证号在系统中找不到对应的学生，且该行没有学校标识码或学校名称，无法归入学校');
      continue;
    }
    schoolCode[i] = w.code;
    if (w.id != null) {
      schoolId[i] = w.id;
      classId[i] = classFor(w.id, t.classRef[i]!);
    }
    unmatched++;
  }
  return { studentId, schoolId, classId, schoolCode, matched, unmatched };
}

/** The accepted rows as the writer takes them, in row order. One object, refilled for every row: the writer encodes it at once. */
function* outputRows(t: ScoreTable, p: Placed): Generator<repo.ScoreRowOut> {
  const S = t.subjectCount;
  const out: repo.ScoreRowOut = { rowNo: 0, studentId: null, schoolId: null, schoolCode: '', classId: null, classLabel: null, name: '', identityMasked: null, scores: '' };
  for (let i = 0; i < t.n; i++) {
    if (t.status[i] !== OK) continue;
    const { block, base } = t.scoresOf(i);
    let scores = '{';
    for (let j = 0; j < S; j++) {
      const v = block[base + j]!;
      scores += (j ? ',' : '') + (v === v ? String(v) : 'NULL');
    }
    const ref = t.classRef[i]!;
    out.rowNo = t.rowNo[i]!;
    out.studentId = p.studentId[i] || null;
    out.schoolId = p.schoolId[i] || null;
    out.schoolCode = p.schoolCode[i]!;
    out.classId = p.classId[i] || null;
    out.classLabel = ref >= 0 ? t.classLabels[ref]! : null;
    out.name = t.name[i]!;
    out.identityMasked = t.masked(i);
    out.scores = scores + '}';
    yield out;
  }
}

/**
 * The accepted rows as the analysis takes them (ScoreColumns), in row order: the analysis right
 * after the commit starts from these instead of reading the scores back from the database.
 */
function scoreColumns(t: ScoreTable, p: Placed, importJobId: string): ScoreColumns {
  let n = 0;
  for (let i = 0; i < t.n; i++) if (t.status[i] === OK) n++;
  const S = t.subjectCount;
  const classIds = new Int32Array(n);
  const studentIds = new Int32Array(n);
  const scores = Array.from({ length: S }, () => new Float64Array(n));
  let labels: string[] | null = null;
  let k = 0;
  for (let i = 0; i < t.n; i++) {
    if (t.status[i] !== OK) continue;
    classIds[k] = p.classId[i] || -1;
    studentIds[k] = p.studentId[i] || -1;
    if (!p.classId[i]) {
      labels ??= new Array<string>(n).fill('');
      const ref = t.classRef[i]!;
      labels[k] = p.schoolCode[i]! + '\u001e' + (ref >= 0 ? t.classLabels[ref]! : '');
    }
    const { block, base } = t.scoresOf(i);
    for (let j = 0; j < S; j++) scores[j]![k] = block[base + j]!;
    k++;
  }
  const schoolIds = new Set<number>();
  for (let i = 0; i < t.n; i++) if (t.status[i] === OK && p.schoolId[i]) schoolIds.add(p.schoolId[i]!);
  return { importJobId, n, classIds, studentIds, labels, scores, schoolIds: [...schoolIds] };
}

/** Rejected rows in row order: those rejected while parsing and those rejected when matching. */
function rejectedInOrder(parsed: { rowNo: number; reason: string }[], t: ScoreTable): { rowNo: number; reason: string }[] {
  const later: { rowNo: number; reason: string }[] = [];
  for (let i = 0; i < t.n; i++) if (t.status[i] === REJECTED) later.push({ rowNo: t.rowNo[i]!, reason: t.reasons.get(i)! });
  return [...parsed, ...later].sort((a, b) => a.rowNo - b.rowNo);
}

/**
 * Imports a score sheet into an exam (replacing its scores), then analyses it. Throws an
 * AppError with a Chinese message when the file cannot be imported at all (nothing changes).
 */
export async function importExamScores(ctx: AppContext, input: ImportExamInput): Promise<ImportExamResult> {
  const jobId = input.jobId ?? crypto.randomUUID();
  const { actor, scope } = input;
  const job: LiveJob = {
    id: jobId, kind: 'exam', fileName: input.fileName, userId: actor.userId, schoolId: null, actorName: actor.name,
    createdAt: new Date(), processedRows: 0, phase: 'parsing',
  };
  const untrack = trackLiveJob(job);
  running.add(jobId);
  const report = (phase: ImportPhase) => {
    job.phase = phase;
    input.onProgress?.({ processedRows: job.processedRows, phase });
  };
  let jobInserted = false;
  /** the job row already says how it ended */
  let jobClosed = false;
  let beat: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (beat || !jobInserted) return;
    beat = rosterRepo.heartbeat(ctx.db, jobId, job.processedRows, job.phase).catch(() => undefined).finally(() => {
      beat = null;
    });
  }, HEARTBEAT_MS);
  timer.unref();
  const stopHeartbeat = async () => {
    clearInterval(timer);
    await beat;
  };
  const timings = { parse: 0, match: 0, write: 0, errorsFile: 0, analysis: 0 };
  const timed = async <T>(key: keyof typeof timings, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const cpu0 = TIMING ? process.cpuUsage() : null;
    try {
      return await fn();
    } finally {
      timings[key] = Math.round(performance.now() - t0);
      if (cpu0) {
        const m = process.memoryUsage();
        const cpu = process.cpuUsage(cpu0);
        process.stderr.write(`[exam-import] ${key} ${timings[key]} ms (this process's CPU ${Math.round((cpu.user + cpu.system) / 1000)} ms, rss ${Math.round(m.rss / 1e6)} MB, heap ${Math.round(m.heapUsed / 1e6)} MB, external ${Math.round((m.external + m.arrayBuffers) / 1e6)} MB)\n`);
      }
    }
  };

  if (TIMING) {
    const m = process.memoryUsage();
    process.stderr.write(`[exam-import] start (rss ${Math.round(m.rss / 1e6)} MB, heap ${Math.round(m.heapUsed / 1e6)} MB)\n`);
  }
  try {
    await repo.cleanStaleJobs(ctx.db, { aliveJobIds: [...running], singleProcess: ctx.database.kind === 'pglite', message: INTERRUPTED_MESSAGE });
    await repo.insertJob(ctx.db, { id: jobId, fileName: input.fileName, userId: actor.userId, schoolId: null, actorName: actor.name });
    jobInserted = true;

    const exam = await examsRepo.findExam(ctx.db, input.examId, scope.exams('e'));
    if (!exam) throw notFound('考试');
    if (!canManageExam(scope, exam)) throw forbidden(cannotManageMessage(exam, 'import'));
    // the job belongs to the exam's school; a pairing exam's upload to the uploader's school (it follows its job)
    const jobSchool = exam.schoolId ?? (exam.scope === 'pairing' ? scope.user.schoolId : null);
    if (jobSchool != null) {
      job.schoolId = jobSchool;
      await ctx.db.execute(sql`UPDATE import_jobs SET school_id = ${jobSchool} WHERE id = ${jobId}`);
    }
    const hadScores = exam.status !== 'created';

    // the grade's students by 学籍号, read by the server while this process parses the file
    // (settled into a value so that a failure surfaces at the match, not as an unhandled rejection)
    const gradeRead = repo.gradeStudentsByNoHash(ctx.db, exam.schoolYear, exam.grade, exam.scope === 'school' ? exam.schoolId : null)
      .then((value) => ({ value }), (error: unknown) => ({ error }));
    // and, for a county exam, the grade's enrolled students the analysis counts absent when they have no row
    // (after the first read, not beside it: one server process busy beside this one, on two cores)
    const enrolledOfGrade = exam.scope === 'county'
      ? gradeRead.then(() => analysisRepo.loadEnrolledOfGrade(ctx.db, 'grade', exam.schoolYear, exam.grade))
      : null;
    enrolledOfGrade?.catch(() => undefined); // awaited by the analysis, if it comes to that

    // ---- parse
    report('parsing');
    const parsed = await timed('parse', async () => {
      const { rows } = await openRows(input.filePath, input.fileName);
      try {
        const head: SheetRow[] = [];
        while (head.length < SCORE_HEADER_SCAN_ROWS) {
          const r = await rows.next();
          if (r.done) break;
          head.push(r.value);
        }
        const header = detectScoreHeader(head, { schoolImplied: exam.scope === 'school' });
        if (!header.ok) throw new FileReadError(header.message);
        const subjects = reconcileSubjects({
          examSubjects: exam.subjects, fileSubjects: header.subjects, grade: exam.grade, hasScores: hadScores, totalSubjects: input.totalSubjects,
        });
        if (!subjects.ok) throw new FileReadError(subjects.message);
        const parser = new ScoreRowParser({
          identity: header.identity,
          subjects: subjects.plan,
          studentNoHash: (no) => ctx.sealer.studentNoHash(no),
          idHash: (id) => ctx.sealer.hash(id),
          schoolImplied: exam.scope === 'school',
        });
        let next = PROGRESS_EVERY;
        const push = (r: SheetRow) => {
          parser.push(r);
          if (parser.dataRows >= next) {
            next += PROGRESS_EVERY;
            job.processedRows = parser.dataRows;
            input.onProgress?.({ processedRows: parser.dataRows, phase: 'parsing' });
          }
        };
        for (const r of head.slice(header.headerIndex + 1)) push(r);
        for (;;) {
          const r = await rows.next();
          if (r.done) break;
          push(r.value);
        }
        return { header, subjects, parser };
      } finally {
        await rows.return(undefined).catch(() => undefined);
      }
    });
    const { header, subjects, parser } = parsed;
    parser.rejectIdsStoredAsNumbers();
    const t = parser.table;
    job.processedRows = parser.dataRows;
    report('merging');
    await rosterRepo.setTotalRows(ctx.db, jobId, parser.dataRows);

    // ---- match
    const placed = await timed('match', async () => {
      const grade = await gradeRead;
      if ('error' in grade) throw grade.error;
      return matchAndPlace(ctx, t, exam, grade.value);
    });
    let duplicates = 0;
    for (let i = 0; i < t.n; i++) if (t.status[i] === DUPLICATE) duplicates++;
    const rejectedRows = rejectedInOrder(parser.rejected, t);
    const rows = placed.matched + placed.unmatched;
    const rejected = rejectedRows.length;
    const errorsFile = rejected > 0 ? errorsFilePath(ctx, jobId) : null;
    const writeErrors = () => timed('errorsFile', () => writeErrorsFile(
      errorsFile!,
      header.headerCells,
      withOriginalCells((async function* () {
        for (const r of rejectedRows) yield { ...r, cells: null };
      })(), input.filePath, input.fileName),
    ));

    // no row to import: the exam keeps its scores (a wrong file must not wipe them)
    if (rows === 0) {
      if (errorsFile) await writeErrors();
      const message = rejected
        ? `文件中没有一行成绩通过检查（${rejected} 行未导入，原因见错误报告），考试原有成绩未做更改`
        : '文件的表头下面没有成绩行，考试原有成绩未做更改';
      await repo.failWithErrors(ctx.db, jobId, message, rejected, errorsFile);
      jobClosed = true;
      throw new AppError(400, 'NO_ROWS', message, { examId: exam.id, rows: 0, matched: 0, unmatched: 0, rejected, errorsFile });
    }

    // ---- write: one transaction
    await timed('write', () => repo.writeTransaction(ctx, async (tx, copyIn) => {
      const locked = await examsRepo.findExam(tx, exam.id, sql`TRUE`, { lock: true });
      if (!locked) throw notFound('考试');
      if (JSON.stringify(locked.subjects) !== JSON.stringify(exam.subjects) || (locked.status !== 'created') !== hadScores) {
        throw conflict('导入期间该考试的科目或成绩被修改了（可能有人同时导入），请重新导入');
      }
      // the scores this import replaces stay, as a version of the exam's history
      const replaced = hadScores
        ? await repo.archiveScores(tx, exam.id, { importJobId: locked.importJobId, subjects: locked.subjects, replacedByJobId: jobId })
        : (await repo.deleteScores(tx, exam.id), null);
      await repo.insertScores(tx, copyIn, exam.id, outputRows(t, placed));
      await repo.updateExamAfterImport(tx, exam.id, {
        subjects: subjects.subjects, rows, matched: placed.matched, unmatched: placed.unmatched, rejected, jobId,
      });
      await writeAudit(tx, actor, {
        action: hadScores ? 'exam.scores_replace' : 'exam.scores_import',
        entityType: 'exam',
        entityId: exam.id,
        schoolId: exam.schoolId,
        before: hadScores
          ? {
            rows: locked.rowCount, matched: locked.matchedCount, unmatched: locked.unmatchedCount, rejected: locked.rejectedCount, importJobId: locked.importJobId,
            historyVersionId: replaced?.versionId, historyRows: replaced?.rows,
          }
          : undefined,
        after: {
          fileName: input.fileName, jobId, rows, matched: placed.matched, unmatched: placed.unmatched, rejected, duplicateRows: duplicates,
          subjects: subjects.subjects.map((s) => s.name), subjectsAdded: subjects.added,
        },
      });
      await rosterRepo.finishJob(tx, jobId, { inserted: rows, updated: 0, unchanged: 0, rejected, duplicates, errorsFile });
    }));

    // committed: the rest reports
    if (errorsFile) await writeErrors();
    const result: ImportExamResult = {
      examId: exam.id, rows, matched: placed.matched, unmatched: placed.unmatched, rejected, errorsFile, jobId, duplicates,
      subjectsAdded: subjects.added, analysis: { ok: true, ms: 0 }, timings,
    };
    await stopHeartbeat();

    // ---- analysis (after the commit; a failure is noted on the job, the import stands)
    result.analysis = await timed('analysis', async () => {
      try {
        const r = await analyseAndStore(ctx, exam.id, actor, { scores: { ...scoreColumns(t, placed, jobId), enrolledOfGrade } });
        if (TIMING) {
          // the analysis's own split: building the engine's input (no score read: the rows are in memory), the pure engine, storing
          process.stderr.write(`[exam-analysis] analysis-load ${r.loadMs} ms\n[exam-analysis] analysis-engine ${r.analyseMs} ms\n[exam-analysis] analysis-store ${r.storeMs} ms\n`);
        }
        return { ok: true as const, ms: r.ms };
      } catch (err) {
        const message = `成绩已导入，但自动分析未完成：${err instanceof AppError ? err.message : rootMessage(err)}`;
        console.error(`[exam-import ${jobId}]`, message);
        await repo.noteOnJob(ctx.db, jobId, message).catch(() => undefined);
        return { ok: false as const, message };
      }
    });
    report('done');
    return result;
  } catch (err) {
    await stopHeartbeat();
    const message = err instanceof AppError ? err.message : `导入失败，数据库未做任何更改（${rootMessage(err)}）`;
    if (!(err instanceof AppError)) console.error(`[exam-import ${jobId}]`, rootMessage(err));
    if (jobInserted && !jobClosed) await rosterRepo.failJob(ctx.db, jobId, message).catch(() => undefined);
    job.phase = 'done';
    throw err instanceof AppError ? err : new AppError(500, 'IMPORT_FAILED', message);
  } finally {
    running.delete(jobId);
    untrack();
  }
}
