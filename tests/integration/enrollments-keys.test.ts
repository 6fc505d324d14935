// Enrollments' keys (migration 0017): (class_id, school_id) → classes (id, school_id), so an
// enrollment's school is its class's school; and the migration's repair of rows that were not.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { one, rows, type Db } from '../../src/db/client.js';
import { backends, dbErrorOf, describeOnBackends, TEST_DATABASE_URL } from '../helpers/db.js';
import { seedCounty, type Seed } from '../helpers/seed.js';

describeOnBackends<Seed>(
  'enrollments: class and school keys',
  (getCtx, _kind, getSeed) => {
    const enrol = (studentId: number, schoolYear: string, classId: number, schoolId: number) =>
      getCtx().db.execute(sql`INSERT INTO enrollments (student_id, school_year, class_id, school_id) VALUES (${studentId}, ${schoolYear}, ${classId}, ${schoolId})`);

    it("refuses an enrollment whose school is not its class's school", async () => {
      const seed = getSeed();
      const st = seed.studentsOf(seed.classes.a1)[0]!;
      // class A1 (school A) with school B
      expect(await dbErrorOf(enrol(st.id, '2030-2031', seed.classes.a1.id, seed.schools.b.id))).toMatch(/enrollments_class_school_fk/);
      // and moving an existing enrollment's school without its class
      expect(await dbErrorOf(getCtx().db.execute(sql`UPDATE enrollments SET school_id = ${seed.schools.b.id} WHERE student_id = ${st.id}`))).toMatch(/enrollments_class_school_fk/);
    });

    it('still refuses an unknown class, and an unknown student', async () => {
      const seed = getSeed();
      const st = seed.studentsOf(seed.classes.a1)[0]!;
      expect(await dbErrorOf(enrol(st.id, '2030-2031', 999999, seed.schools.a.id))).toMatch(/enrollments_class_school_fk/);
      expect(await dbErrorOf(enrol(999999, '2030-2031', seed.classes.a1.id, seed.schools.a.id))).toMatch(/enrollments_student_id_students_id_fk/);
    });

    it("accepts the class's own school, and a class's school cannot change under its enrollments", async () => {
      const seed = getSeed();
      const st = seed.studentsOf(seed.classes.b1)[0]!;
      await enrol(st.id, '2030-2031', seed.classes.b1.id, seed.schools.b.id);
      expect(await dbErrorOf(getCtx().db.execute(sql`UPDATE classes SET school_id = ${seed.schools.a.id}, class_no = 9 WHERE id = ${seed.classes.b1.id}`))).toMatch(/enrollments_class_school_fk/);
      await getCtx().db.execute(sql`DELETE FROM enrollments WHERE student_id = ${st.id} AND school_year = '2030-2031'`);
    });
  },
  seedCounty,
);

// Migration 0017 on a database that has an enrollment whose school is not its class's: it is
// given its class's school, and the audit log says so. Runs the migrations up to 0016, writes
// the rows the old keys allowed, then the rest.
const MIGRATIONS = path.resolve(import.meta.dirname, '../../drizzle');

function migrationsBefore(tag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-migrations-'));
  fs.mkdirSync(path.join(dir, 'meta'));
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  const stop = journal.entries.findIndex((e) => e.tag === tag);
  if (stop < 0) throw new Error(`no migration ${tag}`);
  journal.entries = journal.entries.slice(0, stop);
  for (const e of journal.entries) fs.copyFileSync(path.join(MIGRATIONS, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
  fs.writeFileSync(path.join(dir, 'meta/_journal.json'), JSON.stringify(journal));
  return dir;
}

for (const kind of backends()) {
  describe(`migration 0017 on existing enrollments [${kind}]`, () => {
    let db: Db;
    let migrate: (folder: string) => Promise<void>;
    let close: () => Promise<void> = async () => undefined;
    const oldMigrations = migrationsBefore('0017_enrollments_class_school_fk');

    beforeAll(async () => {
      if (kind === 'postgres') {
        const name = `bangfu_t_mig_${crypto.randomBytes(6).toString('hex')}`;
        const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await admin.connect();
        await admin.query(`CREATE DATABASE "${name}"`);
        await admin.end();
        const u = new URL(TEST_DATABASE_URL);
        u.pathname = '/' + name;
        const pool = new pg.Pool({ connectionString: u.toString() });
        const [{ drizzle }, m] = await Promise.all([import('drizzle-orm/node-postgres'), import('drizzle-orm/node-postgres/migrator')]);
        db = drizzle(pool) as unknown as Db;
        migrate = (folder) => m.migrate(db as never, { migrationsFolder: folder });
        close = async () => {
          await pool.end();
          const a = new pg.Client({ connectionString: TEST_DATABASE_URL });
          await a.connect();
          await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
          await a.end();
        };
      } else {
        const [{ PGlite }, { drizzle }, m] = await Promise.all([import('@electric-sql/pglite'), import('drizzle-orm/pglite'), import('drizzle-orm/pglite/migrator')]);
        const client = await PGlite.create();
        db = drizzle(client) as unknown as Db;
        migrate = (folder) => m.migrate(db as never, { migrationsFolder: folder });
        close = () => client.close();
      }
    });
    afterAll(async () => {
      await close();
      fs.rmSync(oldMigrations, { recursive: true, force: true });
    });

    it("gives a mismatched enrollment its class's school and records it in the audit log", async () => {
      await migrate(oldMigrations);
      const id = async (q: ReturnType<typeof sql>) => (await one<{ id: number }>(db, q))!.id;
      const a = await id(sql`INSERT INTO schools (code, name, kind, location_type) VALUES ('3636000001', '城关第一小学', '九年一贯制学校', '城区') RETURNING id`);
      const b = await id(sql`INSERT INTO schools (code, name, kind, location_type) VALUES ('3636000002', '山口村小学', '九年一贯制学校', '乡村') RETURNING id`);
      const a1 = await id(sql`INSERT INTO classes (school_id, school_year, grade, class_no, name) VALUES (${a}, '2026-2027', 7, 1, '七年级(1)班') RETURNING id`);
      const s1 = await id(sql`INSERT INTO students (school_id, name, sex) VALUES (${b}, '张伟', '1') RETURNING id`);
      const s2 = await id(sql`INSERT INTO students (school_id, name, sex) VALUES (${a}, '刘洋', '1') RETURNING id`);
      // the old keys allowed class A1 with school B
      await db.execute(sql`INSERT INTO enrollments (student_id, school_year, class_id, school_id) VALUES (${s1}, '2026-2027', ${a1}, ${b}), (${s2}, '2026-2027', ${a1}, ${a})`);

      await migrate(MIGRATIONS);

      expect(await rows(db, sql`SELECT student_id, class_id, school_id FROM enrollments ORDER BY student_id`)).toEqual([
        { student_id: s1, class_id: a1, school_id: a },
        { student_id: s2, class_id: a1, school_id: a },
      ]);
      expect(await rows(db, sql`SELECT action, entity_type, entity_id, school_id, before, after, reason FROM audit_log`)).toEqual([{
        action: 'student.updated', entity_type: 'student', entity_id: String(s1), school_id: a,
        before: { school: '山口村小学' }, after: { school: '城关第一小学' },
        reason: '数据库升级 0017：2026-2027 学年的在籍学校与所在班级（七年级(1)班）的学校不一致，改为班级所属的学校',
      }]);
      expect(await dbErrorOf(db.execute(sql`INSERT INTO enrollments (student_id, school_year, class_id, school_id) VALUES (${s1}, '2027-2028', ${a1}, ${b})`))).toMatch(/enrollments_class_school_fk/);
    });
  });
}
