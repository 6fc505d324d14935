// SQL of the roster importer: staging batches, the set-based merge, import_jobs rows.
// Every merge statement works on one job's staging rows at once (no per-row round trips).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql, type SQL } from 'drizzle-orm';
import type { PGlite as PGliteClient } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { one, rows, type Db, type Queryable } from '../../db/client.js';
import type { Actor } from '../audit/audit.repo.js';
import { GRADE_NAMES, GRADES_ALLOWED_BY_KIND } from '../../shared/registry.js';
import { STAGING_COLUMNS } from './staging-format.js';

export const STAGING_SOURCE = '花名册导入';

/** COPY text escaping, shared with the exam-score import. */
export { copyText } from './staging-format.js';

const p = (v: unknown) => sql.param(v);

/** The same rows through COPY FROM STDIN on a pooled node-postgres connection (PostgreSQL): StagingBatch.toCopy() as UTF-8. */
export async function copyStaging(pool: pg.Pool, data: Buffer): Promise<void> {
  if (data.length === 0) return;
  const client = await pool.connect();
  try {
    const stream = client.query(copyFrom(`COPY roster_import_staging (job_id, ${STAGING_COLUMNS}) FROM STDIN`));
    await pipeline(Readable.from([data]), stream);
  } finally {
    client.release();
  }
}

/**
 * The same COPY text into PGlite: its engine reads a Blob handed with the query as the file
 * '/dev/blob'. It replaced one jsonb parameter per batch (2026-12-02): the rows stay bytes,
 * outside the JS heap, and the engine parses COPY text faster than jsonb.
 */
export async function copyStagingPglite(client: PGliteClient, data: Buffer): Promise<void> {
  if (data.length === 0) return;
  await client.query(`COPY roster_import_staging (job_id, ${STAGING_COLUMNS}) FROM '/dev/blob'`, [], { blob: new Blob([data]) });
}

/** Statistics target for the importer's ANALYZEs: 3,000 sampled rows instead of 30,000 (see analyzeStaging). */
const STATISTICS_TARGET = 10;

/**
 * Statistics for the merge's plans (the row count and the job/status split). A small sample
 * is enough for them: the default target read 30,000 rows of the wide staging table (50,000
 * staged rows: 330 ms; 40 ms with this target).
 */
export async function analyzeStaging(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL default_statistics_target = ${sql.raw(String(STATISTICS_TARGET))}`);
    await tx.execute(sql`ANALYZE roster_import_staging (job_id, status)`);
  });
}

export async function deleteStaging(q: Queryable, jobId: string): Promise<void> {
  await q.execute(sql`DELETE FROM roster_import_staging WHERE job_id = ${jobId}`);
}

/** Marks interrupted roster jobs failed and deletes staging rows no running job owns. */
export async function cleanStale(q: Queryable, opts: { aliveJobIds: string[]; singleProcess: boolean; message: string }): Promise<void> {
  const stale = opts.singleProcess
    ? sql`TRUE`
    : sql`coalesce(heartbeat_at, created_at) < now() - interval '2 minutes'`;
  await q.execute(sql`
    UPDATE import_jobs SET status = 'failed', phase = 'done', error_message = ${opts.message}, finished_at = now()
    WHERE kind = 'roster' AND status IN ('queued', 'running') AND NOT (id = ANY(${p(opts.aliveJobIds)}::text[])) AND ${stale}`);
  await q.execute(sql`
    DELETE FROM roster_import_staging st
    WHERE NOT EXISTS (SELECT 1 FROM import_jobs j WHERE j.id = st.job_id AND j.status IN ('queued', 'running'))
      AND NOT (st.job_id = ANY(${p(opts.aliveJobIds)}::text[]))`);
}

// ---------------------------------------------------------------------------------------
// Checks inside the file (no real table involved): run before the merge transaction.

/** An exact repeat of an earlier row (same student, school, class, everything) is the same student once. */
export async function markDuplicates(q: Queryable, jobId: string): Promise<void> {
  // find repeated hashes first (a hash aggregate, usually empty), then number only those rows
  await q.execute(sql`
    WITH rep AS (SELECT content_hash FROM roster_import_staging WHERE job_id = ${jobId} AND status = 'valid'
                 GROUP BY content_hash HAVING count(*) > 1),
    d AS (SELECT s.row_no, row_number() OVER (PARTITION BY s.content_hash ORDER BY s.row_no) AS rn
          FROM roster_import_staging s JOIN rep ON rep.content_hash = s.content_hash
          WHERE s.job_id = ${jobId} AND s.status = 'valid')
    UPDATE roster_import_staging s SET status = 'duplicate'
    FROM d WHERE s.job_id = ${jobId} AND s.row_no = d.row_no AND d.rn > 1`);
}

/**
 * Rows that share a 学籍号 or an ID number but differ otherwise: which one is right cannot
 * be known, so every row of such a group is rejected and names the others.
 */
export async function rejectInFileConflicts(q: Queryable, jobId: string): Promise<void> {
  await q.execute(sql`
    WITH v AS (SELECT row_no, student_no_hash, id_hash FROM roster_import_staging WHERE job_id = ${jobId} AND status = 'valid'),
    k1 AS (SELECT student_no_hash FROM v WHERE student_no_hash IS NOT NULL GROUP BY student_no_hash HAVING count(*) > 1),
    k2 AS (SELECT id_hash FROM v WHERE id_hash IS NOT NULL GROUP BY id_hash HAVING count(*) > 1),
    g1 AS (SELECT v.student_no_hash AS k, (array_agg(v.row_no ORDER BY v.row_no))[1:6] AS rows_, count(*)::int AS n
           FROM v JOIN k1 USING (student_no_hash) GROUP BY v.student_no_hash),
    g2 AS (SELECT v.id_hash AS k, (array_agg(v.row_no ORDER BY v.row_no))[1:6] AS rows_, count(*)::int AS n
           FROM v JOIN k2 USING (id_hash) GROUP BY v.id_hash),
    hit AS (SELECT v.row_no, 1 AS pri, '学籍号' AS what, g1.rows_, g1.n FROM v JOIN g1 ON g1.k = v.student_no_hash
            UNION ALL
            SELECT v.row_no, 2, '身份证号', g2.rows_, g2.n FROM v JOIN g2 ON g2.k = v.id_hash),
    one_ AS (SELECT DISTINCT ON (row_no) row_no, what, rows_, n FROM hit ORDER BY row_no, pri)
    UPDATE roster_import_staging s SET status = 'rejected',
      reason = '与第 ' || array_to_string(ARRAY(SELECT x FROM unnest(one_.rows_) x WHERE x <> s.row_no LIMIT 5), '、')
        || CASE WHEN one_.n > 6 THEN ' 等' ELSE '' END || ' 行的' || one_.what
        || '相同，但其他内容不同：同一学生在文件中只能出现一次，请核对后只保留一行'
    FROM one_ WHERE s.job_id = ${jobId} AND s.row_no = one_.row_no`);
}

/**
 * Rejects the given staging rows with the given reasons (replacing any reasons they had): the
 * rows whose ID the whole-file rule reads as truncated by Excel (roster-import.service.ts). The
 * list travels as one jsonb value, so any reason text is safe on both backends.
 */
export async function rejectStagedRows(q: Queryable, jobId: string, rowNos: number[], reasons: string[]): Promise<void> {
  const list = JSON.stringify(rowNos.map((rowNo, i) => ({ r: rowNo, m: reasons[i] })));
  await q.execute(sql`
    UPDATE roster_import_staging s SET status = 'rejected', reason = u.m
    FROM jsonb_to_recordset(${list}::jsonb) AS u(r int, m text)
    WHERE s.job_id = ${jobId} AND s.row_no = u.r`);
}

// ---------------------------------------------------------------------------------------
// Merge, inside ONE transaction.

/** Roster merges wait for each other, so two imports never race to insert the same student. */
export async function lockMerge(tx: Queryable): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(734220461)`);
}

export interface MissingSchool {
  code: string;
  name: string | null;
  grades: number[];
}

export async function missingSchools(tx: Queryable, jobId: string): Promise<MissingSchool[]> {
  return rows<MissingSchool>(tx, sql`
    SELECT s.school_code AS code,
           (array_agg(s.school_name ORDER BY s.row_no) FILTER (WHERE s.school_name IS NOT NULL))[1] AS name,
           array_agg(DISTINCT s.grade::int) AS grades
    FROM roster_import_staging s
    WHERE s.job_id = ${jobId} AND s.status = 'valid' AND s.school_code IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM schools sc WHERE sc.code = s.school_code)
    GROUP BY s.school_code ORDER BY s.school_code`);
}

export async function insertSchool(tx: Queryable, s: { code: string; name: string; pinyin: string; initials: string; kind: string; locationType: string }): Promise<number> {
  const r = await one<{ id: number }>(tx, sql`
    INSERT INTO schools (code, name, name_pinyin, name_initials, kind, location_type)
    VALUES (${s.code}, ${s.name}, ${s.pinyin}, ${s.initials}, ${s.kind}, ${s.locationType}) RETURNING id`);
  return r!.id;
}

/**
 * Settings for this transaction only: memory for the merge's sorts and hashes (the default
 * 4 MB spills 200,000 rows to disk), and no JIT compilation: PostgreSQL judged the statements
 * over 200,000 rows costly enough to compile, which took longer than running them (roster_match:
 * 1–4 s of JIT for a ~1 s statement, measured with auto_explain).
 */
export async function tuneMerge(tx: Queryable): Promise<void> {
  await tx.execute(sql`SET LOCAL work_mem = '64MB'`);
  await tx.execute(sql`SET LOCAL jit = off`);
  // the ANALYZEs of the merge's temporary tables sample 3,000 rows, not 30,000
  await tx.execute(sql`SET LOCAL default_statistics_target = ${sql.raw(String(STATISTICS_TARGET))}`);
}

/**
 * Runs a statement that inserts rows with foreign keys (students, enrollments) with sequential
 * scans off. PostgreSQL checks every inserted row's keys with a query of its own, planned like
 * any other (and kept for the session); for the schools table (a hundred rows, three pages) it
 * chose a sequential scan, so each of 200,000 students and 200,000 enrollments read the whole
 * table. Measured in psql (50,000 rows, three interleaved runs each, load average ~10):
 * enrollments with their three keys 1,461 → 920 ms, students 1,425 → 1,296 ms (median). The
 * statement's own plan changes little: the temporary tables have no index to use instead, and
 * the staging rows are read by their primary key. Turned back on after the statement (on an
 * error the transaction ends anyway, and SET LOCAL with it).
 */
export async function withForeignKeysByIndex(tx: Queryable, fn: () => Promise<void>): Promise<void> {
  await tx.execute(sql`SET LOCAL enable_seqscan = off`);
  await fn();
  await tx.execute(sql`SET LOCAL enable_seqscan = on`);
}

/**
 * Bulk load: runs `fn` (which inserts into `table`) with the table's secondary indexes and its
 * foreign keys dropped, then builds them again and re-adds the keys, all inside the caller's
 * transaction (an error or a kill leaves them as they were). Building an index from sorted rows
 * and checking a key with one join cost less than keeping them row by row once the rows
 * inserted are as many as the rows already there. On PostgreSQL this locks the table and the
 * referenced ones (schools, classes) for every reader until the commit, so the merge does it
 * there only when asked (config.rosterBulkLoad); PGlite has one connection, which the merge's
 * transaction holds anyway. Indexes that back a constraint (the primary key, those used by ON
 * CONFLICT) or a key of another table are kept.
 */
export async function withIndexesRebuilt(tx: Queryable, table: 'students' | 'enrollments', fn: () => Promise<void>): Promise<void> {
  const rebuild = await rows<{ kind: 'fk' | 'index'; name: string; def: string }>(tx, sql`
    SELECT 'fk' AS kind, conname AS name, pg_get_constraintdef(oid) AS def
    FROM pg_constraint WHERE conrelid = ${table}::regclass AND contype = 'f'
    UNION ALL
    SELECT 'index', c.relname, pg_get_indexdef(i.indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE i.indrelid = ${table}::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
    ORDER BY 1, 2`);
  for (const r of rebuild) {
    await tx.execute(r.kind === 'fk'
      ? sql`ALTER TABLE ${sql.identifier(table)} DROP CONSTRAINT ${sql.identifier(r.name)}`
      : sql`DROP INDEX ${sql.identifier(r.name)}`);
  }
  await fn();
  for (const r of rebuild) if (r.kind === 'index') await tx.execute(sql.raw(r.def));
  for (const r of rebuild) {
    if (r.kind === 'fk') await tx.execute(sql`ALTER TABLE ${sql.identifier(table)} ADD CONSTRAINT ${sql.identifier(r.name)} ${sql.raw(r.def)}`);
  }
}

/** Rows the plan inserts, and rows the students table holds: whether a bulk load pays (withIndexesRebuilt). */
export async function insertShare(tx: Queryable): Promise<{ inserting: number; existing: number }> {
  return (await one<{ inserting: number; existing: number }>(tx, sql`
    SELECT (SELECT count(*)::int FROM roster_plan WHERE action = 'insert') AS inserting, (SELECT count(*)::int FROM students) AS existing`))!;
}

// The merge works on narrow temporary tables (dropped at commit) rather than updating the
// wide staging rows again and again: every UPDATE of a staging row rewrites all of it.

/**
 * roster_match: each valid row's school (学校标识码, else an unambiguous exact name) and
 * stored student (学籍号 first, else the ID hash), and the first reason it cannot be merged.
 * An import fills in a missing identifier but never overwrites one that disagrees.
 */
export async function buildMatches(tx: Queryable, jobId: string, opts: { bureau: boolean; ownSchoolId: number | null }): Promise<void> {
  const own = opts.ownSchoolId;
  const unknownCode = opts.bureau ? '如需新建该学校，请在“学校名称”列填写校名' : '只有教育局账号导入时可以新建学校';
  // a junior school does not enrol 四年级: grades are checked against the school's kind
  const gradesAllowed = sql.join(Object.entries(GRADES_ALLOWED_BY_KIND).map(([kind, grades]) => sql`(${kind}::text, ${`{${grades.join(',')}}`}::int[])`), sql`, `);
  const gradeNames = sql.join(Object.entries(GRADE_NAMES).map(([g, n]) => sql`(${Number(g)}::int, ${n}::text)`), sql`, `);
  await tx.execute(sql`
    CREATE TEMP TABLE roster_match ON COMMIT DROP AS
    WITH base AS (
      SELECT s.row_no, s.school_code, s.school_name, s.student_no_hash, s.id_hash, s.row_hash, s.grade, s.class_no,
             coalesce(sc.id, scn.id) AS school_id, a.id AS by_no, b.id AS by_id,
             -- the grades the school's kind enrols (joined once, not looked up row by row)
             ga.grades AS grades_allowed
      FROM roster_import_staging s
      LEFT JOIN schools sc ON sc.code = s.school_code
      LEFT JOIN (SELECT name, min(id) AS id, min(kind) AS kind FROM schools GROUP BY name HAVING count(*) = 1) scn
             ON s.school_code IS NULL AND scn.name = s.school_name
      LEFT JOIN (VALUES ${gradesAllowed}) ga(kind, grades) ON ga.kind = coalesce(sc.kind, scn.kind)
      LEFT JOIN students a ON a.student_no_hash = s.student_no_hash
      LEFT JOIN students b ON b.id_number_hash = s.id_hash
      WHERE s.job_id = ${jobId} AND s.status = 'valid'
    )
    SELECT m.row_no, m.school_id, coalesce(m.by_no, m.by_id) AS student_id, m.grade, m.class_no, m.row_hash,
      CASE
        WHEN m.school_id IS NULL AND m.school_code IS NULL THEN
          CASE WHEN EXISTS (SELECT 1 FROM schools x WHERE x.name = m.school_name)
            THEN '系统中名为“' || m.school_name || '”的学校不止一所，请填写学校标识码'
            ELSE '系统中没有名为“' || m.school_name || '”的学校，请填写学校标识码（或核对学校名称）' END
        WHEN m.school_id IS NULL THEN
          '学校标识码“' || m.school_code || '”' || coalesce('（' || m.school_name || '）', '') || '在系统中不存在；' || ${unknownCode}::text
        WHEN ${own}::int IS NOT NULL AND m.school_id <> ${own}::int THEN
          '只能导入本校的学生：该行的学校（' || (SELECT x.name FROM schools x WHERE x.id = m.school_id) || '）不是您所在的学校'
        WHEN NOT coalesce(m.grade = ANY(m.grades_allowed), false) THEN
          '该校（' || (SELECT x.name || '，' || x.kind FROM schools x WHERE x.id = m.school_id) || '）不设' ||
          coalesce((SELECT n FROM (VALUES ${gradeNames}) gn(g, n) WHERE gn.g = m.grade), m.grade || '年级') || '，请核对年级或学校'
        WHEN m.by_no IS NOT NULL AND m.by_id IS NOT NULL AND m.by_no <> m.by_id THEN
          '学籍号与身份证号分别属于系统中两名不同的学生，请核对'
        WHEN st.id_number_hash IS NOT NULL AND m.id_hash IS NOT NULL AND st.id_number_hash <> m.id_hash THEN
          '学籍号与系统中的学生一致，但身份证号不同；身份证号的更正请在学生信息页办理'
        WHEN st.student_no_hash IS NOT NULL AND m.student_no_hash IS NOT NULL AND st.student_no_hash <> m.student_no_hash THEN
          '身份证号与系统中的学生一致，但学籍号不同；学籍号的更正请在学生信息页办理'
        WHEN ${own}::int IS NOT NULL AND st.school_id <> m.school_id THEN
          '该学生目前在其他学校就读；跨校转学须由教育局办理'
      END AS reason
    FROM base m LEFT JOIN students st ON st.id = coalesce(m.by_no, m.by_id)`);
  await tx.execute(sql`ANALYZE roster_match`);
  // two different rows that turn out to be the same stored student (one by 学籍号, one by ID)
  await tx.execute(sql`
    WITH d AS (SELECT student_id, (array_agg(row_no ORDER BY row_no))[1:6] AS rows_
               FROM roster_match WHERE reason IS NULL AND student_id IS NOT NULL
               GROUP BY student_id HAVING count(*) > 1)
    UPDATE roster_match m SET reason = '与第 ' || array_to_string(ARRAY(SELECT x FROM unnest(d.rows_) x WHERE x <> m.row_no LIMIT 5), '、')
        || ' 行对应系统中的同一名学生（一行按学籍号、一行按身份证号找到），请核对后只保留一行'
    FROM d WHERE m.reason IS NULL AND m.student_id = d.student_id`);
}

/** Copies the merge-time reasons onto the staging rows (for the errors file and the counts). */
export async function recordRejections(tx: Queryable, jobId: string): Promise<void> {
  await tx.execute(sql`
    UPDATE roster_import_staging s SET status = 'rejected', reason = m.reason FROM roster_match m
    WHERE s.job_id = ${jobId} AND s.row_no = m.row_no AND m.reason IS NOT NULL`);
}

export async function missingClasses(tx: Queryable, schoolYear: string): Promise<{ schoolId: number; grade: number; classNo: number }[]> {
  return rows(tx, sql`
    SELECT DISTINCT m.school_id AS "schoolId", m.grade::int AS grade, m.class_no::int AS "classNo"
    FROM roster_match m
    WHERE m.reason IS NULL
      AND NOT EXISTS (SELECT 1 FROM classes c WHERE c.school_id = m.school_id AND c.school_year = ${schoolYear}
                      AND c.grade = m.grade AND c.class_no = m.class_no)
    ORDER BY 1, 2, 3`);
}

export async function insertClasses(tx: Queryable, schoolYear: string, list: { schoolId: number; grade: number; classNo: number; name: string }[]): Promise<number> {
  if (list.length === 0) return 0;
  const res = await rows(tx, sql`
    INSERT INTO classes (school_id, school_year, grade, class_no, name)
    SELECT u.school_id, ${schoolYear}, u.grade::smallint, u.class_no::smallint, u.name
    FROM unnest(${p(list.map((c) => c.schoolId))}::int[], ${p(list.map((c) => c.grade))}::int[], ${p(list.map((c) => c.classNo))}::int[], ${p(list.map((c) => c.name))}::text[])
      AS u(school_id, grade, class_no, name)
    ON CONFLICT (school_id, school_year, grade, class_no) DO NOTHING
    RETURNING id`);
  return res.length;
}

/**
 * roster_plan: the class and the action of each mergeable row. New students get their id
 * from the sequence here, so every later statement knows it. A row whose hash equals the
 * one stored at the last import, in the same school and class this year, is 'unchanged'
 * without further looks (so edits made in the app since then stay); others are 'compare'd.
 */
export async function buildPlan(tx: Queryable, schoolYear: string): Promise<void> {
  // the sequence is looked up once: pg_get_serial_sequence() in the statement ran once per row
  // (a catalog lookup each: 50,000 rows 480 ms vs 70 ms with the sequence as a constant)
  const seq = (await one<{ seq: string }>(tx, sql`SELECT pg_get_serial_sequence('students', 'id') AS seq`))!.seq;
  await tx.execute(sql`
    CREATE TEMP TABLE roster_plan ON COMMIT DROP AS
    SELECT m.row_no, m.school_id, c.id AS class_id,
      coalesce(m.student_id, nextval(${sql.raw(`'${seq.replace(/'/g, "''")}'::regclass`)})::int) AS student_id,
      CASE WHEN m.student_id IS NULL THEN 'insert'
           WHEN st.row_hash = m.row_hash AND st.school_id = m.school_id AND e.class_id = c.id THEN 'unchanged'
           ELSE 'compare' END AS action
    FROM roster_match m
    JOIN classes c ON c.school_id = m.school_id AND c.school_year = ${schoolYear} AND c.grade = m.grade AND c.class_no = m.class_no
    LEFT JOIN students st ON st.id = m.student_id
    LEFT JOIN enrollments e ON e.student_id = m.student_id AND e.school_year = ${schoolYear}
    WHERE m.reason IS NULL`);
  await tx.execute(sql`ANALYZE roster_plan`);
}

/**
 * roster_diff: for 'compare' rows, the stored and the new values of the fields that differ
 * (the audit's before/after). Rows with no difference are unchanged. Empty optional cells
 * keep the stored value; ID numbers appear masked only.
 */
export async function buildDiff(tx: Queryable, jobId: string, schoolYear: string): Promise<void> {
  await tx.execute(sql`
    CREATE TEMP TABLE roster_diff ON COMMIT DROP AS
    WITH x AS (
      SELECT p.row_no,
        jsonb_build_object(
          'name', st.name, 'sex', st.sex, 'birthDate', st.birth_date, 'ethnicity', st.ethnicity, 'address', st.address,
          'guardians', st.guardians, 'studentNo', st.student_no_masked, 'idNumber', st.id_number_masked,
          'school', osc.name, 'class', oc.name,
          'familyFlags', to_jsonb(ARRAY(SELECT ff.flag FROM family_flags ff WHERE ff.student_id = st.id ORDER BY ff.flag))) AS old_,
        jsonb_build_object(
          'name', s.name, 'sex', s.sex, 'birthDate', coalesce(s.birth_date, st.birth_date), 'ethnicity', coalesce(s.ethnicity, st.ethnicity),
          'address', coalesce(s.address, st.address), 'guardians', coalesce(s.guardians, st.guardians),
          'studentNo', CASE WHEN st.student_no_hash IS NULL THEN s.student_no_masked ELSE st.student_no_masked END, 'idNumber', coalesce(st.id_number_masked, s.id_masked),
          'school', nsc.name, 'class', nc.name,
          'familyFlags', to_jsonb(ARRAY(SELECT f FROM (
              SELECT ff.flag AS f FROM family_flags ff WHERE ff.student_id = st.id
                AND NOT (ff.flag = ANY(coalesce(s.flags_off, '{}')) AND ff.source = ${STAGING_SOURCE})
              UNION SELECT unnest(coalesce(s.flags_on, '{}'))) u ORDER BY f))) AS new_
      FROM roster_plan p
      JOIN roster_import_staging s ON s.job_id = ${jobId} AND s.row_no = p.row_no
      JOIN students st ON st.id = p.student_id
      JOIN schools osc ON osc.id = st.school_id
      JOIN schools nsc ON nsc.id = p.school_id
      JOIN classes nc ON nc.id = p.class_id
      LEFT JOIN enrollments e ON e.student_id = st.id AND e.school_year = ${schoolYear}
      LEFT JOIN classes oc ON oc.id = e.class_id
      WHERE p.action = 'compare'
    ), d AS (
      SELECT x.row_no,
        (SELECT jsonb_object_agg(k, x.old_ -> k) FROM jsonb_object_keys(x.old_) k WHERE x.old_ -> k IS DISTINCT FROM x.new_ -> k) AS before,
        (SELECT jsonb_object_agg(k, x.new_ -> k) FROM jsonb_object_keys(x.new_) k WHERE x.old_ -> k IS DISTINCT FROM x.new_ -> k) AS after
      FROM x
    )
    SELECT row_no, before, after FROM d WHERE before IS NOT NULL`);
}

/** Staging row, plan row (and diff row) of one job, joined: the FROM of the writing statements. */
const planned = (jobId: string) => sql`roster_plan p JOIN roster_import_staging s ON s.job_id = ${jobId} AND s.row_no = p.row_no`;

export async function insertStudents(tx: Queryable, jobId: string): Promise<void> {
  await tx.execute(sql`
    INSERT INTO students (id, school_id, student_no_hash, student_no_enc, student_no_masked, id_number_hash, id_number_enc, id_number_masked, name, name_pinyin, name_initials,
                          sex, birth_date, ethnicity, address, guardians, row_hash)
    OVERRIDING SYSTEM VALUE
    SELECT p.student_id, p.school_id, s.student_no_hash, s.student_no_enc, s.student_no_masked, s.id_hash, s.id_enc, s.id_masked, s.name, s.name_pinyin, s.name_initials,
           s.sex, s.birth_date, s.ethnicity, s.address, coalesce(s.guardians, '[]'::jsonb), s.row_hash
    FROM ${planned(jobId)} WHERE p.action = 'insert'`);
}

/** Applies changed rows. Empty optional cells keep the stored value; identifiers are only filled in. */
export async function updateStudents(tx: Queryable, jobId: string): Promise<void> {
  await tx.execute(sql`
    UPDATE students st SET
      school_id = p.school_id,
      student_no_hash = coalesce(st.student_no_hash, s.student_no_hash),
      student_no_enc = CASE WHEN st.student_no_hash IS NULL THEN s.student_no_enc ELSE st.student_no_enc END,
      student_no_masked = CASE WHEN st.student_no_hash IS NULL THEN s.student_no_masked ELSE st.student_no_masked END,
      id_number_hash = coalesce(st.id_number_hash, s.id_hash),
      id_number_enc = CASE WHEN st.id_number_hash IS NULL THEN s.id_enc ELSE st.id_number_enc END,
      id_number_masked = CASE WHEN st.id_number_hash IS NULL THEN s.id_masked ELSE st.id_number_masked END,
      name = s.name, name_pinyin = s.name_pinyin, name_initials = s.name_initials, sex = s.sex,
      birth_date = coalesce(s.birth_date, st.birth_date),
      ethnicity = coalesce(s.ethnicity, st.ethnicity),
      address = coalesce(s.address, st.address),
      guardians = coalesce(s.guardians, st.guardians),
      row_hash = s.row_hash,
      updated_at = now()
    FROM ${planned(jobId)} JOIN roster_diff d ON d.row_no = p.row_no
    WHERE st.id = p.student_id`);
  // the same in substance but written differently: remember the new hash, so the next import skips it
  await tx.execute(sql`
    UPDATE students st SET row_hash = s.row_hash FROM ${planned(jobId)}
    WHERE p.action = 'compare' AND st.id = p.student_id AND st.row_hash IS DISTINCT FROM s.row_hash
      AND NOT EXISTS (SELECT 1 FROM roster_diff d WHERE d.row_no = p.row_no)`);
}

/** This year's class of each new student (enrollments: one class per student per school year). */
export async function insertEnrollments(tx: Queryable, schoolYear: string): Promise<void> {
  await tx.execute(sql`
    INSERT INTO enrollments (student_id, school_year, class_id, school_id)
    SELECT p.student_id, ${schoolYear}, p.class_id, p.school_id FROM roster_plan p WHERE p.action = 'insert'`);
}

/** A changed student's class this year: moving class updates this year's row, earlier years stay. */
export async function moveEnrollments(tx: Queryable, schoolYear: string): Promise<void> {
  await tx.execute(sql`
    INSERT INTO enrollments (student_id, school_year, class_id, school_id)
    SELECT p.student_id, ${schoolYear}, p.class_id, p.school_id FROM roster_plan p JOIN roster_diff d ON d.row_no = p.row_no
    ON CONFLICT (student_id, school_year) DO UPDATE SET class_id = EXCLUDED.class_id, school_id = EXCLUDED.school_id
      WHERE (enrollments.class_id, enrollments.school_id) IS DISTINCT FROM (EXCLUDED.class_id, EXCLUDED.school_id)`);
}

/** Flags the file asserts are added (an existing flag keeps its source); a 是否… = 否 removes only flags this importer set. */
export async function applyFamilyFlags(tx: Queryable, jobId: string): Promise<void> {
  await tx.execute(sql`
    INSERT INTO family_flags (student_id, flag, source, recorded_on)
    SELECT p.student_id, f, ${STAGING_SOURCE}, current_date
    FROM ${planned(jobId)} CROSS JOIN LATERAL unnest(s.flags_on) AS f
    WHERE p.action = 'insert' OR EXISTS (SELECT 1 FROM roster_diff d WHERE d.row_no = p.row_no)
    ON CONFLICT (student_id, flag) DO NOTHING`);
  await tx.execute(sql`
    DELETE FROM family_flags ff USING ${planned(jobId)} JOIN roster_diff d ON d.row_no = p.row_no
    WHERE ff.student_id = p.student_id AND ff.flag = ANY(s.flags_off) AND ff.source = ${STAGING_SOURCE}`);
}

/**
 * student.created / student.updated audit rows, set-based; ID numbers only masked. A
 * creation records who was created where (the student row holds the rest: the audit log
 * need not copy guardians' phones or family flags); an update records the changed fields.
 */
export async function auditStudents(tx: Queryable, jobId: string, actor: Actor, fileName: string): Promise<void> {
  const reason = sql`${'花名册导入：' + fileName + ' 第 '}::text || p.row_no::text || ' 行'`;
  await tx.execute(sql`
    INSERT INTO audit_log (actor_user_id, actor_name, action, entity_type, entity_id, school_id, before, after, reason, ip)
    SELECT ${actor.userId}::int, ${actor.name}::text, 'student.created', 'student', p.student_id::text, p.school_id, NULL,
      jsonb_build_object('name', s.name, 'studentNo', s.student_no_masked, 'idNumber', s.id_masked, 'school', sc.name, 'class', c.name),
      ${reason}, ${actor.ip ?? null}::text
    FROM ${planned(jobId)} JOIN schools sc ON sc.id = p.school_id JOIN classes c ON c.id = p.class_id
    WHERE p.action = 'insert' ORDER BY p.row_no`);
  await tx.execute(sql`
    INSERT INTO audit_log (actor_user_id, actor_name, action, entity_type, entity_id, school_id, before, after, reason, ip)
    SELECT ${actor.userId}::int, ${actor.name}::text, 'student.updated', 'student', p.student_id::text, p.school_id, d.before, d.after,
      ${reason}, ${actor.ip ?? null}::text
    FROM roster_plan p JOIN roster_diff d ON d.row_no = p.row_no ORDER BY p.row_no`);
}

export interface MergeCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  duplicates: number;
}

/**
 * The import's counts. Rows are rejected while parsing (`parseRejected`, counted then), by the
 * in-file checks, or by the merge (roster_match). When the in-file checks did not run, nothing
 * else marked staging rows, so the wide staging table need not be scanned again.
 */
export async function countActions(tx: Queryable, jobId: string, known: { parseRejected: number; inFileChecked: boolean }): Promise<MergeCounts> {
  const r = await one<MergeCounts>(tx, sql`
    SELECT p.inserted, d.updated, (p.others - d.updated)::int AS unchanged, x.rejected, x.duplicates
    FROM (SELECT count(*) FILTER (WHERE action = 'insert')::int AS inserted, count(*) FILTER (WHERE action <> 'insert')::int AS others FROM roster_plan) p,
         (SELECT count(*)::int AS updated FROM roster_diff) d,
         ${known.inFileChecked
           ? sql`(SELECT count(*) FILTER (WHERE status = 'rejected')::int AS rejected, count(*) FILTER (WHERE status = 'duplicate')::int AS duplicates
                  FROM roster_import_staging WHERE job_id = ${jobId}) x`
           : sql`(SELECT (${known.parseRejected}::int + count(*))::int AS rejected, 0 AS duplicates FROM roster_match WHERE reason IS NOT NULL) x`}`);
  return r!;
}

/**
 * Rejected rows in row order, a page at a time (keyset), for the errors file; `open` unseals
 * the cells. `cells` is null for rows the merge rejected: their cells were not staged.
 */
export async function* rejectedRows(q: Queryable, jobId: string, open: (sealed: Buffer) => string, pageSize = 5000): AsyncGenerator<{ rowNo: number; reason: string; cells: string[] | null }> {
  let after = 0;
  for (;;) {
    const page = await rows<{ rowNo: number; reason: string; cellsEnc: Buffer | null }>(q, sql`
      SELECT row_no AS "rowNo", reason, cells_enc AS "cellsEnc" FROM roster_import_staging
      WHERE job_id = ${jobId} AND status = 'rejected' AND row_no > ${after} ORDER BY row_no LIMIT ${pageSize}`);
    for (const r of page) yield { rowNo: r.rowNo, reason: r.reason, cells: r.cellsEnc ? (JSON.parse(open(Buffer.from(r.cellsEnc))) as string[]) : null };
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.rowNo;
  }
}

// ---------------------------------------------------------------------------------------
// import_jobs

export interface JobRow {
  id: string;
  kind: 'roster' | 'exam';
  status: string;
  fileName: string;
  userId: number | null;
  schoolId: number | null;
  schoolName: string | null;
  actorName: string | null;
  processedRows: number;
  totalRows: number | null;
  phase: string | null;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errorsFile: string | null;
  errorMessage: string | null;
  createdAt: string;
  finishedAt: string | null;
  heartbeatAt: string | null;
}

const JOB_COLUMNS = sql`j.id, j.kind, j.status, j.file_name AS "fileName", j.user_id AS "userId", j.school_id AS "schoolId", sc.name AS "schoolName",
  j.actor_name AS "actorName", j.processed_rows AS "processedRows", j.total_rows AS "totalRows", j.phase, j.inserted, j.updated, j.unchanged,
  j.rejected, j.errors_file AS "errorsFile", j.error_message AS "errorMessage", j.created_at AS "createdAt", j.finished_at AS "finishedAt",
  j.heartbeat_at AS "heartbeatAt"`;

export async function insertJob(q: Queryable, j: { id: string; fileName: string; userId: number | null; schoolId: number | null; actorName: string }): Promise<void> {
  await q.execute(sql`
    INSERT INTO import_jobs (id, kind, file_name, status, user_id, school_id, actor_name, phase, heartbeat_at)
    VALUES (${j.id}, 'roster', ${j.fileName}, 'running', ${j.userId}, ${j.schoolId}, ${j.actorName}, 'parsing', now())`);
}

export async function heartbeat(q: Queryable, id: string, processedRows: number, phase: string): Promise<void> {
  await q.execute(sql`UPDATE import_jobs SET processed_rows = ${processedRows}, phase = ${phase}, heartbeat_at = now()
    WHERE id = ${id} AND status = 'running'`);
}

export async function setTotalRows(q: Queryable, id: string, total: number): Promise<void> {
  await q.execute(sql`UPDATE import_jobs SET total_rows = ${total}, processed_rows = ${total}, phase = 'merging', heartbeat_at = now()
    WHERE id = ${id} AND status = 'running'`);
}

export async function finishJob(q: Queryable, id: string, c: MergeCounts & { errorsFile: string | null }): Promise<void> {
  await q.execute(sql`
    UPDATE import_jobs SET status = 'succeeded', phase = 'done', inserted = ${c.inserted}, updated = ${c.updated}, unchanged = ${c.unchanged},
      rejected = ${c.rejected}, errors_file = ${c.errorsFile}, finished_at = now(), heartbeat_at = now()
    WHERE id = ${id}`);
}

export async function failJob(q: Queryable, id: string, message: string): Promise<void> {
  await q.execute(sql`
    UPDATE import_jobs SET status = 'failed', phase = 'done', error_message = ${message}, inserted = 0, updated = 0, unchanged = 0,
      rejected = 0, errors_file = NULL, finished_at = now()
    WHERE id = ${id}`);
}

export async function findJob(q: Queryable, id: string): Promise<JobRow | undefined> {
  return one<JobRow>(q, sql`SELECT ${JOB_COLUMNS} FROM import_jobs j LEFT JOIN schools sc ON sc.id = j.school_id
    WHERE j.id = ${id} AND j.kind IN ('roster', 'exam')`);
}

export async function listJobs(q: Queryable, visible: SQL, page: number, pageSize: number): Promise<{ total: number; items: JobRow[] }> {
  const [count] = await rows<{ n: number }>(q, sql`SELECT count(*)::int AS n FROM import_jobs j WHERE j.kind IN ('roster', 'exam') AND ${visible}`);
  const items = await rows<JobRow>(q, sql`SELECT ${JOB_COLUMNS} FROM import_jobs j LEFT JOIN schools sc ON sc.id = j.school_id
    WHERE j.kind IN ('roster', 'exam') AND ${visible} ORDER BY j.created_at DESC, j.id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`);
  return { total: count?.n ?? 0, items };
}

