// A real `kill -9` of the CLI in the middle of the merge transaction (after the students
// are inserted, while the enrollments insert is held up by a sleeping trigger) must leave
// every real table as it was; the next import then runs normally and cleans up.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { one, openDatabase } from '../../src/db/client.js';
import { makeIdNumber } from '../../src/shared/id-number.js';
import { describeOnBackends } from '../helpers/db.js';
import { writeCsv } from '../fixtures/roster/roster-fixtures.js';
import type { Queryable } from '../../src/db/client.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HEADER = ['学校标识码', '学校名称', '姓名', '性别', '身份证号', '年级', '班级'];

interface Counts { students: number; enrollments: number; classes: number; schools: number; audit: number; jobs: number }

async function counts(q: Queryable): Promise<Counts> {
  return (await one<Counts>(q, sql`SELECT (SELECT count(*) FROM students)::int AS students, (SELECT count(*) FROM enrollments)::int AS enrollments,
    (SELECT count(*) FROM classes)::int AS classes, (SELECT count(*) FROM schools)::int AS schools,
    (SELECT count(*) FROM audit_log)::int AS audit, (SELECT count(*) FROM import_jobs)::int AS jobs`))!;
}

function cli(file: string, env: NodeJS.ProcessEnv): { child: ChildProcess; out: { stdout: string; stderr: string }; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/bangfu.mjs'), 'import', 'roster', file, '--json'], {
    cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d) => (out.stdout += d));
  child.stderr!.on('data', (d) => (out.stderr += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out, exit };
}

async function waitFor(cond: () => boolean, what: string, ms = 90_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeOnBackends('roster import killed with kill -9', (getCtx, kind) => {
  it('leaves every real table as before; the next import runs, cleans up and prints the JSON line last', { timeout: 240_000 }, async () => {
    const ctx = getCtx();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-kill-'));
    const rows = Array.from({ length: 300 }, (_, i) => {
      const sex = i % 2 ? '1' : '2';
      return ['3636000501', '杀进程测试小学', `学生${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${'子丑寅卯辰巳午未申酉戌亥'[Math.floor(i / 10) % 12]}`, sex === '1' ? '男' : '女', makeIdNumber('360102', `2013-0${1 + (i % 9)}-1${i % 10}`, i * 2, sex), '三年级', `${1 + (i % 3)}班`];
    });
    const file = path.join(dir, 'roster.csv');
    await writeCsv(file, [['杀进程测试'], HEADER, ...rows], 'gbk');

    // hold the merge transaction up right after the students are inserted. (On PostgreSQL the
    // killed client's backend finishes this sleep before it notices and rolls back; the next
    // import waits for it on the merge lock.)
    await ctx.db.execute(sql.raw(`CREATE FUNCTION test_slow_enrollments() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_sleep(20); RETURN NULL; END $$`));
    await ctx.db.execute(sql.raw('CREATE TRIGGER test_slow_enrollments BEFORE INSERT ON enrollments FOR EACH STATEMENT EXECUTE FUNCTION test_slow_enrollments()'));
    const before = await counts(ctx.db);

    const env: NodeJS.ProcessEnv = {
      ...process.env, BANGFU_DATA_DIR: ctx.config.dataDir, DATABASE_URL: ctx.config.databaseUrl ?? '', BANGFU_IMPORT_TIMING: '1', BANGFU_LOG: '0',
    };
    // PGlite is one process at a time: hand the data folder to the child
    if (kind === 'pglite') await ctx.database.close();
    let db = ctx.db;
    let reopened: Awaited<ReturnType<typeof openDatabase>> | undefined;
    try {
      const first = cli(file, env);
      await waitFor(() => /insertStudents \d+ ms/.test(first.out.stderr) || first.child.exitCode !== null, 'the merge to insert the students');
      expect(first.out.stderr).toMatch(/insertStudents \d+ ms/);
      expect(first.out.stderr).not.toMatch(/writeEnrollments/);
      await new Promise((r) => setTimeout(r, 300));
      first.child.kill('SIGKILL');
      expect(await first.exit).toBeNull();

      if (kind === 'pglite') {
        reopened = await openDatabase({ dataDir: ctx.config.dataDir });
        db = reopened.db;
      }
      const afterKill = await counts(db);
      // the job row was written before the merge (outside it): everything else is as before
      expect(afterKill).toEqual({ ...before, jobs: before.jobs + 1 });
      const killed = await one<{ status: string }>(db, sql`SELECT status FROM import_jobs ORDER BY created_at DESC LIMIT 1`);
      expect(killed!.status).toBe('running');

      await db.execute(sql.raw('DROP TRIGGER test_slow_enrollments ON enrollments'));
      await db.execute(sql.raw('DROP FUNCTION test_slow_enrollments()'));
      if (kind === 'pglite') {
        await reopened!.close();
        reopened = undefined;
      }

      const second = cli(file, env);
      expect(await second.exit).toBe(0);
      const lines = second.out.stdout.trim().split('\n');
      expect(JSON.parse(lines[lines.length - 1]!)).toEqual({ inserted: 300, updated: 0, unchanged: 0, rejected: 0, errorsFile: null });
      // the CLI's own PGlite runs with the import's smaller buffers (IMPORT_PGLITE_SETTINGS)
      expect(second.out.stderr).toMatch(kind === 'pglite' ? /database pglite, shared_buffers 32MB\n/ : /database postgres, shared_buffers /);

      if (kind === 'pglite') {
        reopened = await openDatabase({ dataDir: ctx.config.dataDir });
        db = reopened.db;
        // given at the CLI's start only: nothing was written to the data folder, others keep PGlite's default
        expect(await one(db, sql`SHOW shared_buffers`)).toEqual({ shared_buffers: '128MB' });
      }
      const done = await counts(db);
      expect(done.students - before.students).toBe(300);
      expect(done.enrollments - before.enrollments).toBe(300);
      expect(done.schools - before.schools).toBe(1);
      if (kind === 'pglite') {
        // one process: the killed job is known dead at once, marked failed, its staging rows gone
        expect(await one(db, sql`SELECT count(*)::int AS n FROM roster_import_staging`)).toEqual({ n: 0 });
        const jobs = await db.execute(sql`SELECT status, error_message FROM import_jobs ORDER BY created_at`);
        const list = (jobs as unknown as { rows: { status: string; error_message: string | null }[] }).rows;
        expect(list.map((j) => j.status)).toEqual(['failed', 'succeeded']);
        expect(list[0]!.error_message).toContain('导入被中断');
      }
    } finally {
      if (reopened) await reopened.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
