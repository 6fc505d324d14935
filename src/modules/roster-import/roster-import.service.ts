// The roster import (学生花名册导入): stream the file → validate each row → staging table in
// batches (outside any transaction, so a long parse holds no locks) → ONE transaction
// merges everything (schools, classes, students, enrollments, family flags, audit, the job
// row) → errors file → staging rows deleted. A failure or a kill -9 before the commit
// leaves every real table as it was; leftover staging rows are cleaned by the next import.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { sql, type SQL } from 'drizzle-orm';
import type { PGlite as PGliteClient } from '@electric-sql/pglite';
import type { Pool } from 'pg';
import { collectGarbage } from '../../lib/collect-garbage.js';
import { nameKeys } from '../../lib/name-search.js';
import type { AppContext } from '../../server/context.js';
import { AppError, badRequest, forbidden, notFound } from '../../server/errors.js';
import type { Caller } from '../../server/http.js';
import { idColumnStoredAsNumbers, type IdColumnCounts } from '../../shared/id-number.js';
import { className, type LocationType, type SchoolKind } from '../../shared/registry.js';
import { schoolYearOf } from '../../shared/school-year.js';
import { writeAudit, type Actor } from '../audit/audit.repo.js';
import { sealerSecret } from '../privacy/sealed-ids.js';
import type { Scope } from '../scope/scope.js';
import * as schoolsRepo from '../schools/schools.repo.js';
import { writeErrorsFile } from './errors-file.js';
import { detectHeader, HEADER_SCAN_ROWS, type HeaderFound, type SheetRow } from './header-detection.js';
import { FileReadError, openRows } from './readers.js';
import { ParsePool, prepareParseWorkers } from './parse-pool.js';
import * as repo from './roster-import.repo.js';
import { normalizeCode } from './row-normalize.js';
import { createRowStager, hasRepeatedKey, type StagedChunk, type StagerOptions, type ZeroIdRows } from './stage-rows.js';
import type { ImportJobView, ImportPhase } from './roster-import.schemas.js';
import { errorsFilePath, INTERRUPTED_MESSAGE, liveJobs, rootMessage, withOriginalCells, type LiveJob } from './import-jobs.js';

const HEARTBEAT_MS = 2000;
/** A file this big (~7,000 CSV rows, ~10,000 in .xlsx) starts the parse workers at once. */
const BIG_FILE_BYTES = 1 << 20;

/**
 * Worker threads for the parse: BANGFU_IMPORT_WORKERS, else one (none on a single core). With
 * the main thread, which stages a batch itself whenever the worker is busy, that is two threads
 * staging rows: what a 2-core machine can use beside the database. Each worker costs ~140 MB
 * (200,000-row CSV into PostgreSQL: peak ~330 MB with none, 470–480 MB with one, 500–550 MB
 * with two, measured) and gains nothing without a spare core.
 */
function defaultWorkers(): number {
  const env = process.env.BANGFU_IMPORT_WORKERS;
  if (env != null && env !== '' && Number.isInteger(Number(env)) && Number(env) >= 0) return Number(env);
  return os.availableParallelism() > 1 ? 1 : 0;
}

/**
 * How the parse is spread over threads. The main thread reads the file and writes staging;
 * worker threads (parse-pool.ts) check, seal and encode the rows. Tests change these to send
 * small files through the workers too.
 */
export const parseTuning = {
  /** rows per batch: one staging write (COPY or jsonb), one message to a worker */
  batchRows: 2000,
  /** worker threads (PostgreSQL only); 0 = everything on the main thread */
  workers: defaultWorkers(),
  /** batches a worker may hold (one being staged, the next waiting) */
  depth: 2,
  /** the workers start once this many rows have been read, or at once for a file of 1 MB or more (a small file never pays for them); the main thread stages batches until they are ready */
  startAfterRows: 2000,
  /** the main thread stages a batch itself when every worker has its hands full */
  mainHelps: true,
  /** wait for the workers rather than staging on the main thread while they start (tests) */
  waitForWorkers: false,
  /** the last parse's split, for tests and BANGFU_IMPORT_TIMING */
  lastStats: null as null | { workers: number; workerBatches: number; mainBatches: number },
};

export const mergeTuning = {
  /**
   * A merge loads students in bulk (withIndexesRebuilt: indexes and foreign keys built once after
   * the inserts) when it inserts at least this many students and at least as many as the table
   * already holds, a county's first roster, and config.rosterBulkLoad allows it on this database.
   * Below, the fixed cost of building the indexes over the whole table is not worth it.
   */
  bulkLoadMinRows: 10_000,
  /** whether the last merge loaded in bulk (tests, BANGFU_IMPORT_TIMING) */
  lastBulkLoad: false,
};

export interface ImportRosterInput {
  filePath: string;
  fileName: string;
  actor: Actor;
  scope: Scope;
  defaultSchoolCode?: string;
  jobId?: string;
  onProgress?: (p: { processedRows: number; phase: ImportPhase }) => void;
}

export interface ImportRosterResult {
  jobId: string;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errorsFile: string | null;
}


/** BANGFU_IMPORT_TIMING=1 prints how long each step of the merge takes (for tuning). */
const TIMING = process.env.BANGFU_IMPORT_TIMING === '1';

/** CPU seconds of this process (all its threads) and of its main thread, where Linux tells (for BANGFU_IMPORT_TIMING). */
function cpuSeconds(): { all: number; main: number } | null {
  const of = (file: string) => {
    const stat = fs.readFileSync(file, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  };
  try {
    return { all: of('/proc/self/stat'), main: of(`/proc/self/task/${process.pid}/stat`) };
  } catch {
    return null;
  }
}
async function step<T>(label: string, fn: () => Promise<T>): Promise<T> {
  if (!TIMING) return fn();
  const t = performance.now();
  try {
    return await fn();
  } finally {
    process.stderr.write(`[roster-import] ${label} ${(performance.now() - t).toFixed(0)} ms\n`);
  }
}


function inferSchoolKind(name: string, grades: number[]): SchoolKind {
  if (/九年一贯|一贯制/.test(name)) return '九年一贯制学校';
  if (/教学点/.test(name)) return '教学点';
  if (/完全中学|完中/.test(name)) return '完全中学';
  if (/小学|完小|小$/.test(name)) return '小学';
  if (/初级中学|初中|中学/.test(name)) return '初级中学';
  const lo = Math.min(...grades);
  const hi = Math.max(...grades);
  return lo >= 7 ? '初级中学' : hi <= 6 ? '小学' : '九年一贯制学校';
}

function inferLocation(name: string): LocationType {
  if (/村|教学点|乡/.test(name)) return '乡村';
  if (/镇/.test(name)) return '镇区';
  return '城区';
}


interface ParseOutcome {
  header: HeaderFound;
  dataRows: number;
  /** rows rejected while parsing */
  rejectedRows: number;
  /** some 学籍号 or ID number occurs in two valid rows: the in-file checks must run */
  repeatedKeys: boolean;
  /** the file's ID cells, counted during the parse (for idColumnStoredAsNumbers) */
  ids: IdColumnCounts;
  /** the rows whose ID ends in 000 and passed its checks, with their reasons should the column be Excel numbers */
  zeroIds: ZeroIdRows;
}

/** Reads the file and writes every non-blank data row to staging (valid or with its reasons). */
async function parseIntoStaging(
  ctx: AppContext,
  jobId: string,
  rows: AsyncGenerator<SheetRow>,
  opts: { bigFile: boolean; defaultSchoolCode: string | null; progress: (n: number) => void },
): Promise<ParseOutcome> {
  const tuning = { ...parseTuning };
  const cpuAtStart = TIMING ? cpuSeconds() : null;
  const head: SheetRow[] = [];
  // staging writes under way, oldest first
  const inflight: Promise<void>[] = [];
  let workers: ParsePool | null = null;
  try {
    while (head.length < HEADER_SCAN_ROWS) {
      const n = await rows.next();
      if (n.done) break;
      head.push(n.value);
    }
    const header = detectHeader(head);
    if (!header.ok) throw new FileReadError(header.message);

    // COPY text on both. PostgreSQL: on a pooled connection of its own. PGlite (one connection,
    // on this thread): as the file '/dev/blob'; it replaced one jsonb parameter per batch, whose
    // multi-MB strings piled up in the JS heap: 200,000-row CSV, parse 18–20 → 14 s, JS heap at
    // its peak 250 → 138 MB (docs/roster-import.md, "PGlite memory")
    const pool = ctx.database.kind === 'postgres' ? (ctx.db as unknown as { $client: Pool }).$client : null;
    const pglite = pool ? null : (ctx.db as unknown as { $client: PGliteClient }).$client;
    const stagerOptions: StagerOptions = {
      columns: header.columns, defaultSchoolCode: opts.defaultSchoolCode, today: Date.now(), jobId,
    };
    const stageHere = createRowStager(ctx.sealer, stagerOptions);
    // PGlite runs on this thread and its inserts are the limit there: a worker thread staged
    // no faster and cost ~130 MB (200,000-row CSV: parse 25.6 vs 26.8 s, peak 778 vs 649 MB).
    // Again with COPY staging and the worker's old generation capped at 64 MB (2026-12-02,
    // load ~4–5): parse 23.9 vs 14.3 s, peak 501 vs 495 MB
    const wanted = pool ? tuning.workers : 0;
    const secret = sealerSecret(ctx.sealer);
    let dataRows = 0;
    let rejectedRows = 0;
    let readRows = 0;
    // every valid row's identifier keys, to know whether any can repeat another
    let keys = new Float64Array(1 << 16);
    let nKeys = 0;
    const ids: IdColumnCounts = { withId: 0, zerosValid: 0, zerosInvalid: 0 };
    const zeroIds: ZeroIdRows = { rowNos: [], reasons: [], valid: 0 };
    let mainBatches = 0;
    let waited = 0;

    // staged batches in file order: worker results still to come, or staged here already
    const queue: Promise<StagedChunk>[] = [];
    const write = async (c: StagedChunk) => {
      const w = performance.now();
      // the next batches are staged while these are written; on PostgreSQL two COPYs on two
      // connections keep the server busy (PGlite has one connection)
      while (inflight.length >= (pool ? 2 : 1)) await inflight.shift();
      waited += performance.now() - w;
      const written = pool ? repo.copyStaging(pool, c.copy) : repo.copyStagingPglite(pglite!, c.copy);
      written.catch(() => undefined);
      inflight.push(written);
      dataRows += c.dataRows;
      rejectedRows += c.rejected;
      if (nKeys + c.keys.length > keys.length) {
        const grown = new Float64Array(Math.max(keys.length * 2, nKeys + c.keys.length));
        grown.set(keys.subarray(0, nKeys));
        keys = grown;
      }
      keys.set(c.keys, nKeys);
      nKeys += c.keys.length;
      ids.withId += c.ids.withId;
      ids.zerosValid += c.ids.zerosValid;
      ids.zerosInvalid += c.ids.zerosInvalid;
      for (let i = 0; i < c.zeroIds.rowNos.length; i++) {
        zeroIds.rowNos.push(c.zeroIds.rowNos[i]!);
        zeroIds.reasons.push(c.zeroIds.reasons[i]!);
      }
      zeroIds.valid += c.zeroIds.valid;
      opts.progress(dataRows);
      if (TIMING && dataRows % 20000 < c.dataRows) {
        const m = process.memoryUsage();
        process.stderr.write(`[roster-import] ${dataRows} rows: heap ${Math.round(m.heapUsed / 1e6)} MB, rss ${Math.round(m.rss / 1e6)} MB\n`);
      }
    };
    const drainOne = async () => write(await queue.shift()!);
    const dispatch = async (batch: SheetRow[]) => {
      readRows += batch.length;
      if (!workers && wanted > 0 && secret && (opts.bigFile || readRows > tuning.startAfterRows)) {
        workers = new ParsePool(wanted, { secret, options: stagerOptions }, stageHere);
      }
      if (workers && tuning.waitForWorkers) while (!workers.readyCount && workers.alive) await new Promise((r) => setTimeout(r, 5));
      const ready = workers?.readyCount ?? 0;
      if (ready && !tuning.mainHelps) while (!workers!.hasRoom(tuning.depth) && queue.length) await drainOne();
      if (ready && workers!.hasRoom(tuning.depth)) {
        queue.push(workers!.run(batch));
      } else {
        // no worker (yet), or all of them busy: this thread stages the batch itself
        mainBatches++;
        queue.push(Promise.resolve(stageHere(batch)));
      }
      // written in file order; a full queue waits for the oldest batch
      while (queue.length > ready * tuning.depth + (ready && tuning.mainHelps ? 1 : 0)) await drainOne();
    };

    // the data rows among the scanned ones, then the rest of the file
    const scanned = head.slice(header.headerIndex + 1).values();
    let batch: SheetRow[] = [];
    for (;;) {
      const n = scanned.next();
      const r = n.done ? await rows.next() : n;
      if (r.done) break;
      batch.push(r.value);
      if (batch.length >= tuning.batchRows) {
        await dispatch(batch);
        batch = [];
      }
    }
    if (batch.length) await dispatch(batch);
    while (queue.length) await drainOne();
    while (inflight.length) await inflight.shift();
    const w = workers as ParsePool | null;
    parseTuning.lastStats = { workers: w ? wanted : 0, workerBatches: w?.stats.workerBatches ?? 0, mainBatches: mainBatches + (w?.stats.fallbackBatches ?? 0) };
    if (TIMING) {
      process.stderr.write(`[roster-import] waited for staging inserts ${waited.toFixed(0)} ms\n`);
      process.stderr.write(`[roster-import] parse threads: ${w ? `${wanted} workers (ready after ${w.stats.readyMs?.toFixed(0) ?? '–'} ms), ${w.stats.workerBatches} batches in workers, ` : ''}${parseTuning.lastStats.mainBatches} on the main thread\n`);
      const cpu = cpuSeconds();
      if (cpu && cpuAtStart) {
        const all = cpu.all - cpuAtStart.all;
        const main = cpu.main - cpuAtStart.main;
        process.stderr.write(`[roster-import] parse CPU: ${all.toFixed(1)} s in all, main thread ${main.toFixed(1)} s, other threads (workers, garbage collector) ${(all - main).toFixed(1)} s\n`);
      }
    }
    return { header, dataRows, rejectedRows, repeatedKeys: hasRepeatedKey(keys.subarray(0, nKeys)), ids, zeroIds };
  } finally {
    // on failure too: no insert may land after the caller has cleaned the staging rows up
    await (workers as ParsePool | null)?.close();
    await Promise.allSettled(inflight);
    await rows.return(undefined).catch(() => undefined);
  }
}

/**
 * Imports a roster file. Scope: a region (bureau) importer may import any school and
 * create unknown schools; a school-bound importer (principal, 教导处) only their own school.
 */
export async function importRoster(ctx: AppContext, input: ImportRosterInput): Promise<ImportRosterResult> {
  const jobId = input.jobId ?? crypto.randomUUID();
  const { scope, actor } = input;
  if (scope.readOnly || (scope.level !== 'region' && scope.level !== 'school')) throw forbidden('没有导入学生花名册的权限');
  const bureau = scope.level === 'region';
  const ownSchoolId = bureau ? null : scope.user.schoolId;
  if (!bureau && ownSchoolId == null) throw forbidden('账号未关联学校，不能导入花名册');

  const job: LiveJob = {
    id: jobId, fileName: input.fileName, userId: actor.userId, schoolId: ownSchoolId, actorName: actor.name,
    createdAt: new Date(), processedRows: 0, phase: 'parsing',
  };
  liveJobs.set(jobId, job);
  const report = (phase: ImportPhase) => {
    job.phase = phase;
    input.onProgress?.({ processedRows: job.processedRows, phase });
  };

  let jobInserted = false;
  let beat: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (beat || !jobInserted) return;
    beat = repo.heartbeat(ctx.db, jobId, job.processedRows, job.phase).catch(() => undefined).finally(() => { beat = null; });
  }, HEARTBEAT_MS);
  timer.unref();
  const stopHeartbeat = async () => {
    clearInterval(timer);
    await beat;
  };

  try {
    await repo.cleanStale(ctx.db, { aliveJobIds: [...liveJobs.keys()], singleProcess: ctx.database.kind === 'pglite', message: INTERRUPTED_MESSAGE });
    await repo.insertJob(ctx.db, { id: jobId, fileName: input.fileName, userId: actor.userId, schoolId: ownSchoolId, actorName: actor.name });
    jobInserted = true;

    // the school for rows that name none: the one chosen at upload, else the importer's own
    let defaultSchool: { id: number; code: string; name: string } | undefined;
    if (input.defaultSchoolCode?.trim()) {
      const code = normalizeCode(input.defaultSchoolCode);
      defaultSchool = await schoolsRepo.schoolByCode(ctx.db, code);
      if (!defaultSchool) throw badRequest(`学校标识码“${code}”在系统中不存在`);
      if (!scope.canWriteSchool(defaultSchool.id)) throw forbidden(`只能导入本校的学生，不能导入“${defaultSchool.name}”`);
      if (bureau) await ctx.db.execute(sql`UPDATE import_jobs SET school_id = ${defaultSchool.id} WHERE id = ${jobId}`);
    } else if (!bureau) {
      defaultSchool = await schoolsRepo.schoolById(ctx.db, ownSchoolId!);
    }

    // a big file will want the worker threads: their code is bundled while the file is opened
    const bigFile = ctx.database.kind === 'postgres' && parseTuning.workers > 0 && (await fs.promises.stat(input.filePath)).size >= BIG_FILE_BYTES;
    if (bigFile) prepareParseWorkers();
    const { rows } = await openRows(input.filePath, input.fileName);
    report('parsing');
    const parsed = await step('parse', () => parseIntoStaging(ctx, jobId, rows, {
      bigFile,
      defaultSchoolCode: defaultSchool?.code ?? null,
      progress: (n) => {
        job.processedRows = n;
        input.onProgress?.({ processedRows: n, phase: 'parsing' });
      },
    }));
    // PGlite runs on this thread: the parse's garbage (~60–80 MB not yet collected) would share
    // the process with the engine's memory growing during the merge. Collected first: peak RSS
    // 510–513 → 465 MB (200,000-row CSV; docs/roster-import.md, "PGlite memory")
    if (ctx.database.kind === 'pglite') await step('collectGarbage', async () => collectGarbage());
    job.processedRows = parsed.dataRows;
    report('merging');
    await repo.setTotalRows(ctx.db, jobId, parsed.dataRows);

    // checks within the file: staging only, no locks on real tables.
    // IDs Excel stored as numbers: when the file's IDs show it (idColumnStoredAsNumbers, on counts
    // kept by the parse), every ID ending in 000 has lost its last digits, even one whose checksum
    // passes: those rows (known by number from the parse, ~1 in 1,100 rows of a normal file) are
    // rejected with the per-row 'scientific' reason, before the repeats below are looked for
    let parseRejected = parsed.rejectedRows;
    if (parsed.zeroIds.rowNos.length && idColumnStoredAsNumbers(parsed.ids)) {
      await step('rejectExcelNumbers', () => repo.rejectStagedRows(ctx.db, jobId, parsed.zeroIds.rowNos, parsed.zeroIds.reasons));
      parseRejected += parsed.zeroIds.valid;
    }
    // the repeats: needless when no 学籍号 or ID number occurs twice (known from the parse), as
    // in most files
    await step('analyzeStaging', () => repo.analyzeStaging(ctx.db));
    if (parsed.repeatedKeys) {
      await step('inFileChecks', () => ctx.db.transaction(async (tx) => {
        await repo.tuneMerge(tx);
        await repo.markDuplicates(tx, jobId);
        await repo.rejectInFileConflicts(tx, jobId);
      }));
    }

    const schoolYear = schoolYearOf(new Date());
    const errorsFile = errorsFilePath(ctx, jobId);
    const counts = await step('transaction', () => ctx.db.transaction(async (tx) => {
      await repo.lockMerge(tx);
      await repo.tuneMerge(tx);

      // unknown schools: created from code and name by a bureau importer; otherwise their rows are rejected (buildMatches)
      const created: { id: number; code: string; name: string; kind: SchoolKind; locationType: LocationType }[] = [];
      if (bureau) {
        for (const m of await repo.missingSchools(tx, jobId)) {
          if (!m.name) continue;
          const kind = inferSchoolKind(m.name, m.grades);
          const locationType = inferLocation(m.name);
          const keys = nameKeys(m.name);
          const id = await repo.insertSchool(tx, { code: m.code, name: m.name, pinyin: keys.pinyin, initials: keys.initials, kind, locationType });
          created.push({ id, code: m.code, name: m.name, kind, locationType });
        }
      }
      if (created.length) {
        await writeAudit(tx, actor, created.map((s) => ({
          action: 'school.created', entityType: 'school', entityId: s.id, schoolId: s.id,
          after: { code: s.code, name: s.name, kind: s.kind, locationType: s.locationType },
          reason: `花名册导入：${input.fileName}（学校类型与城乡类型按校名推断，请核对）`,
        })));
      }

      await step('buildMatches', () => repo.buildMatches(tx, jobId, { bureau, ownSchoolId }));
      await step('recordRejections', () => repo.recordRejections(tx, jobId));
      const newClasses = (await repo.missingClasses(tx, schoolYear)).map((c) => ({ ...c, name: className(c.grade, c.classNo) }));
      const classesCreated = await repo.insertClasses(tx, schoolYear, newClasses);
      await step('buildPlan', () => repo.buildPlan(tx, schoolYear));
      await step('buildDiff', () => repo.buildDiff(tx, jobId, schoolYear));
      // a county's first roster (at least as many new students as the table holds): indexes and
      // keys built once after the inserts (withIndexesRebuilt), on the embedded database unless
      // BANGFU_ROSTER_BULK_LOAD says otherwise (config.ts)
      const mode = ctx.config.rosterBulkLoad;
      const share = mode === 'always' || (mode === 'embedded' && ctx.database.kind === 'pglite') ? await repo.insertShare(tx) : null;
      const bulk = share != null && share.inserting >= mergeTuning.bulkLoadMinRows && share.inserting >= share.existing;
      mergeTuning.lastBulkLoad = bulk;
      if (TIMING) process.stderr.write(`[roster-import] bulk load: ${bulk ? 'yes' : 'no'}${share ? ` (${share.inserting} new students, ${share.existing} in the table)` : ''}\n`);
      const insertInto = (table: 'students' | 'enrollments', insert: () => Promise<void>) =>
        (bulk ? repo.withIndexesRebuilt(tx, table, insert) : repo.withForeignKeysByIndex(tx, insert));
      await step('insertStudents', () => insertInto('students', () => repo.insertStudents(tx, jobId)));
      await step('updateStudents', () => repo.updateStudents(tx, jobId));
      await step('writeEnrollments', async () => {
        await insertInto('enrollments', () => repo.insertEnrollments(tx, schoolYear));
        await repo.withForeignKeysByIndex(tx, () => repo.moveEnrollments(tx, schoolYear));
      });
      await step('applyFamilyFlags', () => repo.applyFamilyFlags(tx, jobId));
      await step('auditStudents', () => repo.auditStudents(tx, jobId, actor, input.fileName));

      const c = await step('countActions', () => repo.countActions(tx, jobId, { parseRejected, inFileChecked: parsed.repeatedKeys }));
      await writeAudit(tx, actor, {
        action: 'import.roster', entityType: 'import', entityId: jobId, schoolId: defaultSchool?.id ?? ownSchoolId,
        after: {
          fileName: input.fileName, schoolYear, inserted: c.inserted, updated: c.updated, unchanged: c.unchanged, rejected: c.rejected,
          duplicateRows: c.duplicates, schoolsCreated: created.map((s) => s.code), classesCreated,
        },
      });
      await repo.finishJob(tx, jobId, { ...c, errorsFile: c.rejected > 0 ? errorsFile : null });
      return c;
    }));

    // committed: the rest only reports
    if (counts.rejected > 0) {
      const rejected = repo.rejectedRows(ctx.db, jobId, (b) => ctx.sealer.open(b));
      await step('writeErrorsFile', () => writeErrorsFile(errorsFile, parsed.header.headerCells, withOriginalCells(rejected, input.filePath, input.fileName)));
    }
    await step('deleteStaging', () => repo.deleteStaging(ctx.db, jobId));
    await stopHeartbeat();
    report('done');
    return { jobId, inserted: counts.inserted, updated: counts.updated, unchanged: counts.unchanged, rejected: counts.rejected, errorsFile: counts.rejected > 0 ? errorsFile : null };
  } catch (err) {
    await stopHeartbeat();
    const message = err instanceof AppError ? err.message : `导入失败，数据库未做任何更改（${rootMessage(err)}）`;
    if (!(err instanceof AppError)) console.error(`[roster-import ${jobId}]`, rootMessage(err));
    if (jobInserted) await repo.failJob(ctx.db, jobId, message).catch(() => undefined);
    await step('deleteStaging', () => repo.deleteStaging(ctx.db, jobId).catch(() => undefined));
    job.phase = 'done';
    throw err instanceof AppError ? err : new AppError(500, 'IMPORT_FAILED', message);
  } finally {
    liveJobs.delete(jobId);
  }
}

// ---------------------------------------------------------------------------------------
// Jobs: status for the web page and the history list.

function visibleJobs(c: Caller): SQL {
  if (c.scope.level === 'region') return sql`TRUE`;
  if (c.scope.level === 'school' && c.user.schoolId != null) return sql`(j.school_id = ${c.user.schoolId} OR j.user_id = ${c.user.id})`;
  return sql`j.user_id = ${c.user.id}`;
}

function canSee(c: Caller, j: { userId: number | null; schoolId: number | null }): boolean {
  if (j.userId != null && j.userId === c.user.id) return true;
  if (c.scope.level === 'region') return true;
  return c.scope.level === 'school' && j.schoolId != null && j.schoolId === c.user.schoolId;
}

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

function toView(ctx: AppContext, j: repo.JobRow): ImportJobView {
  const running = liveJobs.get(j.id);
  let status = j.status as ImportJobView['status'];
  let phase = (j.phase as ImportPhase | null) ?? null;
  let processedRows = j.processedRows;
  let errorMessage = j.errorMessage;
  if (running) {
    // the row may already say succeeded while the errors file is still being written
    status = 'running';
    phase = running.phase;
    processedRows = running.processedRows;
  } else if (status === 'running' || status === 'queued') {
    const beat = new Date(String(j.heartbeatAt ?? j.createdAt)).getTime();
    if (ctx.database.kind === 'pglite' || Date.now() - beat > 2 * 60_000) {
      status = 'failed';
      phase = 'done';
      errorMessage = INTERRUPTED_MESSAGE;
    }
  }
  return {
    id: j.id,
    kind: j.kind,
    status,
    fileName: j.fileName,
    processedRows,
    totalRows: j.totalRows,
    phase,
    inserted: j.inserted,
    updated: j.updated,
    unchanged: j.unchanged,
    rejected: j.rejected,
    hasErrors: status === 'succeeded' && j.rejected > 0 && !!j.errorsFile && fs.existsSync(j.errorsFile),
    errorMessage,
    createdAt: iso(j.createdAt),
    finishedAt: j.finishedAt ? iso(j.finishedAt) : null,
    createdByName: j.actorName,
    schoolName: j.schoolName,
  };
}

export async function getImportJob(ctx: AppContext, c: Caller, id: string): Promise<ImportJobView> {
  const row = await repo.findJob(ctx.db, id);
  if (!row) {
    // started a moment ago: the row is not written yet
    const running = liveJobs.get(id);
    if (running && canSee(c, running)) {
      return {
        id, kind: running.kind ?? 'roster', status: 'running', fileName: running.fileName, processedRows: running.processedRows, totalRows: null, phase: running.phase,
        inserted: 0, updated: 0, unchanged: 0, rejected: 0, hasErrors: false, errorMessage: null, createdAt: running.createdAt.toISOString(),
        finishedAt: null, createdByName: running.actorName, schoolName: null,
      };
    }
    throw notFound('导入任务');
  }
  if (!canSee(c, row)) throw notFound('导入任务');
  return toView(ctx, row);
}

export async function listImportJobs(ctx: AppContext, c: Caller, page: number, pageSize: number) {
  const res = await repo.listJobs(ctx.db, visibleJobs(c), page, pageSize);
  return { total: res.total, page, pageSize, items: res.items.map((j) => toView(ctx, j)) };
}

/** The errors file of a job the caller may see; the download is audited (it holds the rows as typed, ID numbers included). */
export async function openErrorsFile(ctx: AppContext, c: Caller, id: string): Promise<{ path: string; downloadName: string }> {
  const row = await repo.findJob(ctx.db, id);
  if (!row || !canSee(c, row)) throw notFound('导入任务');
  if (!row.errorsFile || row.rejected === 0) throw notFound('错误报告');
  if (!fs.existsSync(row.errorsFile)) throw new AppError(404, 'NOT_FOUND', '错误报告文件不存在（可能已被清理或导入过程被中断），请重新导入以生成');
  await ctx.db.transaction((tx) =>
    writeAudit(tx, c.actor, { action: 'import.errors_downloaded', entityType: 'import', entityId: id, schoolId: row.schoolId, reason: row.fileName }),
  );
  const base = row.fileName.replace(/\.[^.]+$/, '');
  return { path: row.errorsFile, downloadName: `${base}-未导入的行.xlsx` };
}
