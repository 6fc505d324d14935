// The embedded database's bulk load (withIndexesRebuilt): when an import inserts at least as
// many students as the table holds, PGlite drops the secondary indexes and foreign keys of
// students and enrollments, inserts, then builds them again, inside the merge's transaction.
// Afterwards every index and key must be exactly as before and enforced; a failure in the
// middle must leave rows, indexes and keys as they were. PostgreSQL loads in bulk only with
// BANGFU_ROSTER_BULK_LOAD=always (it locks the tables for every reader): the same checks hold
// there with the usual path, and with the bulk load when it is asked for.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { one, rows } from '../../src/db/client.js';
import { importRoster, mergeTuning } from '../../src/modules/roster-import/roster-import.service.js';
import { dbErrorOf, describeOnBackends, type TestContext } from '../helpers/db.js';
import { callerOf, seedCounty } from '../helpers/seed.js';
import { makeStudents, STANDARD_HEADER, studentCells, writeCsv } from '../fixtures/roster/roster-fixtures.js';

const saved = { ...mergeTuning };

/** Every index and constraint of students and enrollments, as the catalog states them. */
async function structure(ctx: TestContext): Promise<string[]> {
  const r = await rows<{ d: string }>(ctx.db, sql`
    SELECT c.relname || ': ' || pg_get_indexdef(i.indexrelid) || CASE WHEN i.indisvalid THEN '' ELSE ' (invalid)' END AS d
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relname IN ('students', 'enrollments')
    UNION ALL
    SELECT conrelid::regclass::text || ': ' || conname || ' ' || pg_get_constraintdef(oid) || CASE WHEN convalidated THEN '' ELSE ' (not valid)' END
    FROM pg_constraint WHERE conrelid IN ('students'::regclass, 'enrollments'::regclass)
    ORDER BY 1`);
  return r.map((x) => x.d);
}

const counts = async (ctx: TestContext) => one<{ students: number; enrollments: number; audit: number }>(ctx.db, sql`SELECT
  (SELECT count(*) FROM students)::int AS students, (SELECT count(*) FROM enrollments)::int AS enrollments, (SELECT count(*) FROM audit_log)::int AS audit`);

describeOnBackends(
  'roster import: the embedded database loads a first roster in bulk',
  (getCtx, kind, getSeed) => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), `roster-bulk-${kind}-`));
      // the seed's few students: a 40-row file is a first roster
      mergeTuning.bulkLoadMinRows = 20;
    });
    afterAll(() => {
      Object.assign(mergeTuning, saved);
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const as = () => callerOf(getSeed().users.bureau_admin);
    const school = { code: '3636000001', name: '城关第一小学' };

    it('a failure after the inserts leaves rows, indexes and keys as they were', { timeout: 60_000 }, async () => {
      const ctx = getCtx();
      const file = path.join(dir, 'fail.csv');
      await writeCsv(file, [[...STANDARD_HEADER], ...makeStudents(40, { schools: [school], startIndex: 1000 }).map((s, i) => studentCells(s, i))], 'gbk');
      const before = await structure(ctx);
      const rowsBefore = await counts(ctx);
      // fails at the audit rows, after students and enrollments are in (and their indexes rebuilt)
      await ctx.db.execute(sql.raw(`CREATE FUNCTION test_fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.action = 'student.created' THEN RAISE EXCEPTION 'forced failure after the bulk load'; END IF; RETURN NEW; END $$`));
      await ctx.db.execute(sql.raw('CREATE TRIGGER test_fail_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION test_fail_audit()'));
      try {
        const err = await importRoster(ctx, { filePath: file, fileName: 'fail.csv', ...as() }).then(() => null, (e: Error) => e);
        expect(err?.message).toContain('forced failure after the bulk load');
        expect(mergeTuning.lastBulkLoad).toBe(kind === 'pglite');
      } finally {
        await ctx.db.execute(sql.raw('DROP TRIGGER test_fail_audit ON audit_log'));
        await ctx.db.execute(sql.raw('DROP FUNCTION test_fail_audit()'));
      }
      expect(await structure(ctx)).toEqual(before);
      expect(await counts(ctx)).toEqual(rowsBefore);
    });

    it('inserts the students and keeps every index and key as it was, still enforced', { timeout: 60_000 }, async () => {
      const ctx = getCtx();
      const before = await structure(ctx);
      expect(before.some((d) => d.includes('FOREIGN KEY'))).toBe(true);
      expect(before.some((d) => d.includes('CREATE UNIQUE INDEX students_id_hash_uq'))).toBe(true);
      const rowsBefore = (await counts(ctx))!;
      const students = makeStudents(40, { schools: [school], startIndex: 2000 });
      const file = path.join(dir, 'first.csv');
      await writeCsv(file, [[...STANDARD_HEADER], ...students.map((s, i) => studentCells(s, i))], 'gbk');

      const res = await importRoster(ctx, { filePath: file, fileName: 'first.csv', ...as() });
      expect(res).toMatchObject({ inserted: 40, rejected: 0 });
      expect(mergeTuning.lastBulkLoad).toBe(kind === 'pglite');
      expect(await structure(ctx)).toEqual(before);
      expect(await counts(ctx)).toMatchObject({ students: rowsBefore.students + 40, enrollments: rowsBefore.enrollments + 40 });
      // found through the rebuilt unique index, with its enrollment
      const s = await one<{ id: number; classes: number }>(ctx.db, sql`
        SELECT st.id, (SELECT count(*)::int FROM enrollments e WHERE e.student_id = st.id) AS classes
        FROM students st WHERE st.id_number_hash = ${ctx.sealer.hash(students[17]!.idNumber)}`);
      expect(s?.classes).toBe(1);

      // enforced: a second student with the same ID hash, a student of no school, an enrollment of no student
      const copy = sql`INSERT INTO students (school_id, id_number_hash, name, sex)
        SELECT school_id, id_number_hash, name, sex FROM students WHERE id = ${s!.id}`;
      expect(await dbErrorOf(ctx.db.execute(copy))).toContain('students_id_hash_uq');
      expect(await dbErrorOf(ctx.db.execute(sql`UPDATE students SET school_id = 999999 WHERE id = ${s!.id}`))).toContain('students_school_id_schools_id_fk');
      expect(await dbErrorOf(ctx.db.execute(sql`UPDATE enrollments SET student_id = 999999 WHERE student_id = ${s!.id}`))).toContain('enrollments_student_id_students_id_fk');

      // the same file again: every row unchanged (no bulk load: nothing to insert)
      expect(await importRoster(ctx, { filePath: file, fileName: 'first.csv', ...as() })).toMatchObject({ inserted: 0, unchanged: 40 });
      expect(mergeTuning.lastBulkLoad).toBe(false);
    });

    it('BANGFU_ROSTER_BULK_LOAD: always loads in bulk on PostgreSQL too, off never; indexes and keys as before', { timeout: 60_000 }, async () => {
      const ctx = getCtx();
      const saved = ctx.config.rosterBulkLoad;
      try {
        const before = await structure(ctx);
        const existing = (await counts(ctx))!.students;
        let start = 3000;
        const importNew = async (mode: typeof saved) => {
          ctx.config.rosterBulkLoad = mode;
          const n = existing + 10; // more than the table holds: a first roster
          const file = path.join(dir, `${mode}.csv`);
          await writeCsv(file, [[...STANDARD_HEADER], ...makeStudents(n, { schools: [school], startIndex: start }).map((s, i) => studentCells(s, i))], 'gbk');
          start += n;
          expect(await importRoster(ctx, { filePath: file, fileName: `${mode}.csv`, ...as() })).toMatchObject({ inserted: n, rejected: 0 });
          return mergeTuning.lastBulkLoad;
        };
        expect(await importNew('always')).toBe(true);
        expect(await structure(ctx)).toEqual(before);
        expect(await importNew('off')).toBe(false);
        expect(await structure(ctx)).toEqual(before);
      } finally {
        ctx.config.rosterBulkLoad = saved;
      }
    });
  },
  seedCounty,
);
