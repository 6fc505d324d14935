// SQL of the score import: the job row, the registry look-ups (schools, classes, students by
// keyed hash), and the one write transaction (delete the exam's scores, insert the new ones —
// COPY FROM STDIN on PostgreSQL, jsonb batches on PGlite — update the exam).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { one, rows, type Db, type Queryable } from '../../db/client.js';
import { copyText } from '../../lib/copy-text.js';
import { parseIntColumn } from './score-columns.js';
import * as schema from '../../db/schema.js';
import type { ExamSubjectSpec } from '../../db/schema.js';
import type { AppContext } from '../../server/context.js';

export const JOB_KIND = 'exam';

export async function insertJob(q: Queryable, j: { id: string; fileName: string; userId: number | null; schoolId: number | null; actorName: string }): Promise<void> {
  await q.execute(sql`
    INSERT INTO import_jobs (id, kind, file_name, status, user_id, school_id, actor_name, phase, heartbeat_at)
    VALUES (${j.id}, ${JOB_KIND}, ${j.fileName}, 'running', ${j.userId}, ${j.schoolId}, ${j.actorName}, 'parsing', now())`);
}

/** Marks interrupted exam imports failed (a 'running' job no process works on). */
export async function cleanStaleJobs(q: Queryable, opts: { aliveJobIds: string[]; singleProcess: boolean; message: string }): Promise<void> {
  const stale = opts.singleProcess ? sql`TRUE` : sql`coalesce(heartbeat_at, created_at) < now() - interval '2 minutes'`;
  await q.execute(sql`
    UPDATE import_jobs SET status = 'failed', phase = 'done', error_message = ${opts.message}, finished_at = now()
    WHERE kind = ${JOB_KIND} AND status IN ('queued', 'running') AND NOT (id = ANY(${sql.param(opts.aliveJobIds)}::text[])) AND ${stale}`);
}

/** Nothing imported, but the rejected rows are reported: the job failed, with its errors file. */
export async function failWithErrors(q: Queryable, jobId: string, message: string, rejected: number, errorsFile: string | null): Promise<void> {
  await q.execute(sql`
    UPDATE import_jobs SET status = 'failed', phase = 'done', error_message = ${message}, inserted = 0, updated = 0, unchanged = 0,
      rejected = ${rejected}, errors_file = ${errorsFile}, finished_at = now()
    WHERE id = ${jobId}`);
}

/** The scores are in; the analysis afterwards failed: said on the job, which stays succeeded. */
export async function noteOnJob(q: Queryable, jobId: string, message: string): Promise<void> {
  await q.execute(sql`UPDATE import_jobs SET error_message = ${message} WHERE id = ${jobId}`);
}

export interface SchoolRow {
  id: number;
  code: string;
  name: string;
}

export async function allSchools(q: Queryable): Promise<SchoolRow[]> {
  return rows<SchoolRow>(q, sql`SELECT id, code, name FROM schools`);
}

export async function classesOfGrade(q: Queryable, schoolYear: string, grade: number): Promise<{ id: number; schoolId: number; classNo: number }[]> {
  return rows(q, sql`SELECT id, school_id AS "schoolId", class_no AS "classNo" FROM classes WHERE school_year = ${schoolYear} AND grade = ${grade}`);
}

/**
 * Matches as flat quadruples: [pos, studentId, schoolId, classId, pos, …] — pos is the
 * 0-based position in the hashes given, schoolId this school year's school (enrollment)
 * else the student's current school, classId this school year's class or 0.
 */
export type StudentMatches = Int32Array;

/**
 * Registered students by keyed hash (`students.student_no_hash` or `.id_number_hash`), with
 * their school and class in `schoolYear`. The hashes travel as one text parameter into a
 * temporary table (ANALYZEd, so the planner hash-joins: given a bare unnest it guesses 10
 * rows and probes the index 300,000 times in random order), and the answer comes back as
 * one packed string: no array binding, no object per row.
 */
export async function matchStudents(db: Db, column: 'student_no_hash' | 'id_number_hash', hashes: string[], schoolYear: string): Promise<StudentMatches> {
  if (hashes.length === 0) return new Int32Array(0);
  const col = sql.raw(column);
  const r = await db.transaction(async (tx) => {
    // no JIT: compiling the join of 300,000 hashes took longer than running it (as in the roster merge)
    await tx.execute(sql`SET LOCAL work_mem = '64MB'`);
    await tx.execute(sql`SET LOCAL jit = off`);
    await tx.execute(sql`CREATE TEMP TABLE exam_import_match ON COMMIT DROP AS
      SELECT h.hash, (h.i - 1)::int AS pos FROM unnest(string_to_array(${hashes.join(',')}, ',')) WITH ORDINALITY AS h(hash, i)`);
    await tx.execute(sql`ANALYZE exam_import_match`);
    return one<{ n: number; packed: string | null }>(tx, sql`
      SELECT count(*)::int AS n,
             string_agg(h.pos || ',' || s.id || ',' || coalesce(e.school_id, s.school_id) || ',' || coalesce(e.class_id, 0), ',') AS packed
      FROM exam_import_match h
      JOIN students s ON s.${col} = h.hash
      LEFT JOIN enrollments e ON e.student_id = s.id AND e.school_year = ${schoolYear}`);
  });
  const out = new Int32Array((r?.n ?? 0) * 4);
  const text = r?.packed ?? '';
  // read the integers in place: no array per match
  let v = 0;
  let k = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44) {
      out[k++] = v;
      v = 0;
    } else v = v * 10 + (c - 48);
  }
  if (text.length) out[k++] = v;
  if (k !== out.length) throw new Error(`学生匹配结果不完整（${k}/${out.length}）`);
  return out;
}

/**
 * The students enrolled this school year in a class of the grade (a school's exam: of that school
 * only), by the hash of their 学籍号, with the same school and class matchStudents gives them (the
 * enrollment's). Read while the file is parsed — the server is idle then — so that the match
 * afterwards is a look-up in memory; rows it does not find (another grade, no enrollment, an
 * unknown 学籍号) still go through matchStudents. Packed columns, the hashes end to end (each
 * HASH_CHARS long): no string per student is made on this side.
 */
export async function gradeStudentsByNoHash(db: Db, schoolYear: string, grade: number, schoolId: number | null): Promise<GradeStudents> {
  const r = await db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL jit = off`);
    await tx.execute(sql`SET LOCAL work_mem = '64MB'`);
    return one<{ n: number; hashes: string | null; ids: string | null; schools: string | null; classes: string | null }>(tx, sql`
      SELECT count(*)::int AS n, string_agg(s.student_no_hash, '') AS hashes, string_agg(s.id::text, ',') AS ids,
        string_agg(e.school_id::text, ',') AS schools, string_agg(e.class_id::text, ',') AS classes
      FROM enrollments e
      JOIN classes c ON c.id = e.class_id
      JOIN students s ON s.id = e.student_id
      WHERE e.school_year = ${schoolYear} AND c.grade = ${grade} AND length(s.student_no_hash) = ${HASH_CHARS}
        ${schoolId != null ? sql`AND e.school_id = ${schoolId}` : sql``}`);
  });
  const n = r?.n ?? 0;
  const hashes = r?.hashes ?? '';
  if (hashes.length !== n * HASH_CHARS) throw new Error(`学生学籍号索引不完整（${hashes.length}/${n * HASH_CHARS}）`);
  // an open-addressing table of positions, keyed by the hash's first characters: no string per student
  let size = 1024;
  while (size < n * 2) size *= 2;
  const slots = new Int32Array(size).fill(-1);
  for (let k = 0; k < n; k++) {
    let j = hashKey(hashes, k * HASH_CHARS) & (size - 1);
    while (slots[j] !== -1) j = (j + 1) & (size - 1);
    slots[j] = k;
  }
  return { hashes, slots, studentId: parseIntColumn(r?.ids, n, 0), schoolId: parseIntColumn(r?.schools, n, 0), classId: parseIntColumn(r?.classes, n, 0) };
}

/** Length of a keyed hash (base64url of 32 bytes, see privacy/sealed-ids.ts). */
const HASH_CHARS = 43;

/** The grade's students: hash k is `hashes.slice(k * HASH_CHARS, (k + 1) * HASH_CHARS)`. */
export interface GradeStudents {
  hashes: string;
  /** positions k by hashKey, open addressing (-1 = empty; a power of two long) */
  slots: Int32Array;
  studentId: Int32Array;
  schoolId: Int32Array;
  classId: Int32Array;
}

const B64 = new Int8Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'].entries()) B64[c.charCodeAt(0)] = i;

/** The first 5 characters of a base64url hash as a 30-bit number. */
function hashKey(s: string, at: number): number {
  let v = 0;
  for (let i = at; i < at + 5; i++) v = (v << 6) | (B64[s.charCodeAt(i) & 127]! & 63);
  return v;
}

/** The position of `hash` among the grade's students, or -1 (compared in full). */
export function findGradeStudent(g: GradeStudents, hash: string): number {
  if (hash.length !== HASH_CHARS) return -1;
  const mask = g.slots.length - 1;
  for (let j = hashKey(hash, 0) & mask; ; j = (j + 1) & mask) {
    const k = g.slots[j]!;
    if (k === -1) return -1;
    if (g.hashes.startsWith(hash, k * HASH_CHARS)) return k;
  }
}

/** One exam_scores row as the writers take it. */
export interface ScoreRowOut {
  rowNo: number;
  studentId: number | null;
  schoolId: number | null;
  schoolCode: string;
  classId: number | null;
  classLabel: string | null;
  name: string;
  identityMasked: string | null;
  /** the scores as a float8[] literal: '{59.5,NULL,120}' */
  scores: string;
}

const COLUMNS = 'exam_id, row_no, student_id, school_id, school_code, class_id, class_label, name, identity_masked, scores';
const num = (v: number | null) => (v == null ? '\\N' : String(v));

function copyLine(examId: string, r: ScoreRowOut): string {
  return `${examId}\t${r.rowNo}\t${num(r.studentId)}\t${num(r.schoolId)}\t${copyText(r.schoolCode)}\t${num(r.classId)}\t${copyText(r.classLabel)}\t${copyText(r.name)}\t${copyText(r.identityMasked)}\t${r.scores}\n`;
}

/** A COPY FROM STDIN on the transaction's own connection (PostgreSQL), or null (PGlite). */
export type CopyIn = ((statement: string, chunks: AsyncIterable<string>) => Promise<void>) | null;

/**
 * Runs `fn` in ONE transaction. On PostgreSQL the transaction has a pooled connection of
 * its own, so the COPY runs inside it (a failure or a kill before the commit leaves nothing).
 * No JIT in it (its large statements compiled for longer than they ran). `asyncCommit`: the
 * commit does not wait for the WAL flush (`synchronous_commit = off`) — for results that can be
 * computed again (the analysis): a crash in the next fraction of a second loses the transaction
 * whole (never part of it), and the exam then simply reads as not analysed.
 */
export async function writeTransaction<T>(ctx: AppContext, fn: (tx: Queryable, copyIn: CopyIn) => Promise<T>, opts: { asyncCommit?: boolean } = {}): Promise<T> {
  const settings = async (tx: Queryable) => {
    await tx.execute(sql`SET LOCAL jit = off`);
    if (opts.asyncCommit) await tx.execute(sql`SET LOCAL synchronous_commit = off`);
  };
  if (ctx.database.kind !== 'postgres') return ctx.db.transaction(async (tx) => {
    await settings(tx);
    return fn(tx, null);
  });
  const pool = (ctx.db as unknown as { $client: pg.Pool }).$client;
  const client = await pool.connect();
  let broken = false;
  try {
    const db = drizzlePg(client, { schema }) as unknown as Db;
    const copyIn: CopyIn = async (statement, chunks) => {
      const stream = client.query(copyFrom(statement));
      await pipeline(Readable.from(chunks), stream);
    };
    return await db.transaction(async (tx) => {
      await settings(tx);
      return fn(tx, copyIn);
    });
  } catch (err) {
    broken = !!(err as { code?: string }).code && /^(08|57)/.test((err as { code: string }).code);
    throw err;
  } finally {
    client.release(broken ? true : undefined);
  }
}

export async function deleteScores(tx: Queryable, examId: string): Promise<void> {
  await tx.execute(sql`DELETE FROM exam_scores WHERE exam_id = ${examId}`);
}

/**
 * Moves the exam's current scores into the history (a corrected re-import replaces them, and
 * scores keep history): one exam_score_versions row saying which import had loaded them, with
 * their subjects, then the rows themselves, deleted from exam_scores in the same statement.
 * Returns the version's id and how many rows it holds.
 */
export async function archiveScores(
  tx: Queryable,
  examId: string,
  v: { importJobId: string | null; subjects: ExamSubjectSpec[]; replacedByJobId: string },
): Promise<{ versionId: number; rows: number }> {
  const version = (await one<{ id: number }>(tx, sql`INSERT INTO exam_score_versions (exam_id, import_job_id, subjects, row_count, replaced_by_job_id)
    VALUES (${examId}, ${v.importJobId}, ${JSON.stringify(v.subjects)}::jsonb, 0, ${v.replacedByJobId}) RETURNING id`))!;
  const moved = (await one<{ n: number }>(tx, sql`WITH moved AS (
      DELETE FROM exam_scores WHERE exam_id = ${examId}
      RETURNING row_no, student_id, school_id, school_code, class_id, class_label, name, identity_masked, scores
    ), kept AS (
      INSERT INTO exam_score_history (version_id, row_no, student_id, school_id, school_code, class_id, class_label, name, identity_masked, scores)
      SELECT ${version.id}, row_no, student_id, school_id, school_code, class_id, class_label, name, identity_masked, scores FROM moved
      RETURNING 1
    ) SELECT count(*)::int AS n FROM kept`))!;
  await tx.execute(sql`UPDATE exam_score_versions SET row_count = ${moved.n} WHERE id = ${version.id}`);
  return { versionId: version.id, rows: moved.n };
}

const BATCH = 5000;

/**
 * Inserts the rows: COPY in chunks of lines (PostgreSQL), or one jsonb batch per BATCH rows
 * (PGlite). Each row is encoded as soon as it arrives (the source may reuse one object).
 */
export async function insertScores(tx: Queryable, copyIn: CopyIn, examId: string, out: Iterable<ScoreRowOut>): Promise<void> {
  if (copyIn) {
    async function* chunks(): AsyncGenerator<string> {
      let buf = '';
      let k = 0;
      for (const r of out) {
        buf += copyLine(examId, r);
        if (++k === 2000) {
          yield buf;
          buf = '';
          k = 0;
        }
      }
      if (buf) yield buf;
    }
    await copyIn(`COPY exam_scores (${COLUMNS}) FROM STDIN`, chunks());
    return;
  }
  let batch: string[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const json = '[' + batch.join(',') + ']';
    batch = [];
    await tx.execute(sql`
      INSERT INTO exam_scores (${sql.raw(COLUMNS)})
      SELECT ${examId}, (r->>0)::int, (r->>1)::int, (r->>2)::int, r->>3, (r->>4)::int, r->>5, r->>6, r->>7, (r->>8)::float8[]
      FROM jsonb_array_elements(${json}::jsonb) AS r`);
  };
  for (const r of out) {
    batch.push(JSON.stringify([r.rowNo, r.studentId, r.schoolId, r.schoolCode, r.classId, r.classLabel, r.name, r.identityMasked, r.scores]));
    if (batch.length >= BATCH) await flush();
  }
  await flush();
}

export async function updateExamAfterImport(tx: Queryable, examId: string, u: {
  subjects: ExamSubjectSpec[]; rows: number; matched: number; unmatched: number; rejected: number; jobId: string;
}): Promise<void> {
  await tx.execute(sql`
    UPDATE exams SET subjects = ${JSON.stringify(u.subjects)}::jsonb, status = 'imported', row_count = ${u.rows}, matched_count = ${u.matched},
      unmatched_count = ${u.unmatched}, rejected_count = ${u.rejected}, import_job_id = ${u.jobId}, analysed_at = NULL, updated_at = now()
    WHERE id = ${examId}`);
}
