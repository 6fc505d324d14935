// The demo county loaded into a fresh PGlite and a fresh PostgreSQL database: counts,
// sealed IDs, demo-accounts.json, one working login per role, and refusal of a non-empty database.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { passwordProblem } from '../../src/shared/password-policy.js';
import { expect, it } from 'vitest';
import { one, rows } from '../../src/db/client.js';
import { generateCounty, planCounty } from '../../src/modules/demo/generator.js';
import { DEMO_ACCOUNTS_FILE, loadDemoCounty, loadFullDemo, type LoadDemoResult } from '../../src/modules/demo/demo.service.js';
import { demoJob, startDemoJob } from '../../src/modules/setup/demo-job.js';
import { ROLE_INFO, ROLES, type Role } from '../../src/shared/roles.js';
import { describeOnBackends } from '../helpers/db.js';
import { Agent, loginAgent, testApp } from '../helpers/http.js';

const OPTS = { students: 2000, seed: 3 };
// "today" is now: the API scopes by the current school year
const expected = generateCounty({ ...OPTS, today: new Date() });

describeOnBackends<LoadDemoResult>('demo county', (getCtx) => {
  const count = async (table: string) => (await one<{ n: number }>(getCtx().db, sql`SELECT count(*)::int AS n FROM ${sql.raw(table)}`))!.n;

  it('writes every generated row', async () => {
    expect(await count('bureau')).toBe(1);
    expect(await count('schools')).toBe(expected.schools.length);
    expect(await count('classes')).toBe(expected.classes.length);
    expect(await count('teachers')).toBe(expected.teachers.length);
    expect(await count('teaching_assignments')).toBe(expected.assignments.length);
    expect(await count('students')).toBe(2000);
    expect(await count('enrollments')).toBe(2000);
    expect(await count('family_flags')).toBe(expected.students.reduce((a, s) => a + s.flags.length, 0));
    expect(await count('users')).toBe(ROLES.length);
    const noHead = await one<{ n: number }>(getCtx().db, sql`SELECT count(*)::int AS n FROM classes c LEFT JOIN teachers t ON t.id = c.head_teacher_id WHERE t.id IS NULL OR t.school_id <> c.school_id`);
    expect(noHead!.n).toBe(0);
    const audit = await rows<{ action: string }>(getCtx().db, sql`SELECT action FROM audit_log WHERE action = 'demo.loaded'`);
    expect(audit).toHaveLength(1);
  });

  it('stores ID numbers sealed (hash, ciphertext, masked) with pinyin keys, never in plain text', async () => {
    const ctx = getCtx();
    const sample = expected.students[1234]!;
    const row = await one<{ enc: Buffer; masked: string; pinyin: string; initials: string; name: string; studentNoEnc: Buffer; studentNoMasked: string; birth: string; flags: number }>(ctx.db, sql`
      SELECT s.id_number_enc AS enc, s.id_number_masked AS masked, s.name_pinyin AS pinyin, s.name_initials AS initials, s.name,
             s.student_no_enc AS "studentNoEnc", s.student_no_masked AS "studentNoMasked", s.birth_date AS birth, (SELECT count(*)::int FROM family_flags f WHERE f.student_id = s.id) AS flags
      FROM students s WHERE s.id_number_hash = ${ctx.sealer.hash(sample.idNumber)}`);
    expect(row).toBeDefined();
    expect(ctx.sealer.open(Buffer.from(row!.enc))).toBe(sample.idNumber);
    expect(row!.masked).toBe(sample.idNumber.slice(0, 6) + '********' + sample.idNumber.slice(-4));
    expect(row!.name).toBe(sample.name);
    expect(row!.pinyin).toMatch(/^[a-z]+$/);
    expect(row!.initials.length).toBeGreaterThanOrEqual(2);
    expect(row!.birth).toBe(sample.birthDate);
    expect(row!.flags).toBe(sample.flags.length);
    // the student number carries the ID inside (as the national system issues it): sealed too
    expect(ctx.sealer.open(Buffer.from(row!.studentNoEnc))).toBe(sample.studentNo);
    expect(row!.studentNoMasked).toBe('G' + row!.masked);
    const plain = await one<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM students s WHERE s::text LIKE ${'%' + sample.idNumber.slice(6, 14) + '%'}`);
    expect(plain!.n).toBe(0);
  });

  it('writes demo-accounts.json with one login per role', async () => {
    const file = path.join(getCtx().config.dataDir, DEMO_ACCOUNTS_FILE);
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { role: string; username: string; password: string; schoolCode?: string }[];
    expect(saved.map((a) => a.role).sort()).toEqual([...ROLES].sort());
    for (const a of saved) {
      expect(Object.keys(a).every((k) => ['role', 'username', 'password', 'schoolCode'].includes(k))).toBe(true);
      expect(!!a.schoolCode).toBe(ROLE_INFO[a.role as Role].needsSchool);
      expect(passwordProblem(a.password, a.username), a.username).toBeNull();
    }
    expect(new Set(saved.map((a) => a.password)).size).toBe(saved.length);
  });

  it('lets every demo account log in and see its role', async () => {
    const app = await testApp(getCtx());
    const saved = JSON.parse(fs.readFileSync(path.join(getCtx().config.dataDir, DEMO_ACCOUNTS_FILE), 'utf8')) as { role: Role; username: string; password: string; schoolCode?: string }[];
    for (const account of saved) {
      const agent = await loginAgent(app, account);
      const me = await agent.get('/api/me');
      expect(me.status).toBe(200);
      expect(me.body.role).toBe(account.role);
      expect(me.body.mustChangePassword).toBe(false);
      expect(me.body.school?.code).toBe(account.schoolCode);
    }
    const wrong = await new Agent(app).login('admin', 'not-the-password-1');
    expect(wrong.status).toBe(401);
  });

  it('refuses a second load, through the service and the first-run endpoint', async () => {
    await expect(loadDemoCounty(getCtx(), { students: 100, seed: 9 })).rejects.toMatchObject({ status: 409, message: expect.stringContaining('--force') });
    const app = await testApp(getCtx());
    const res = await app.inject({ method: 'POST', url: '/api/setup/demo', remoteAddress: '10.200.0.1' });
    expect(res.statusCode).toBe(409);
    expect(await count('students')).toBe(2000);
  });

  it('with force, empties the county and loads another, keeping the audit log', async () => {
    const before = JSON.parse(fs.readFileSync(path.join(getCtx().config.dataDir, DEMO_ACCOUNTS_FILE), 'utf8')) as { password: string }[];
    const again = await loadDemoCounty(getCtx(), { students: 300, seed: 9, force: true });
    // the data follows the seed, the passwords never do: a public demo must not have guessable logins
    const reloaded = await loadDemoCounty(getCtx(), { students: 300, seed: 9, force: true });
    expect(reloaded.accounts[0]!.password).not.toBe(again.accounts[0]!.password);
    expect(again.accounts[0]!.password).not.toBe(before[0]!.password);
    expect(again.counts.students).toBe(300);
    expect(await count('students')).toBe(300);
    expect(await count('bureau')).toBe(1);
    expect(await count('users')).toBe(ROLES.length);
    expect(await count('sessions')).toBe(0);
    const audit = await rows<{ reason: string }>(getCtx().db, sql`SELECT reason FROM audit_log WHERE action = 'demo.loaded' ORDER BY id`);
    expect(audit).toHaveLength(3);
    expect(audit[1]!.reason).toContain('--force');
    const app = await testApp(getCtx());
    await loginAgent(app, reloaded.accounts.find((a) => a.role === 'bureau_admin')!);
  });
}, (ctx) => loadDemoCounty(ctx, OPTS));

describeOnBackends('demo county, skeleton only', (getCtx) => {
  it('loads schools, classes, teachers and logins without students', async () => {
    const res = await loadDemoCounty(getCtx(), { students: 5000, seed: 1, skipStudents: true });
    expect(res.counts.students).toBe(0);
    const n = await one<{ s: number; st: number; t: number }>(getCtx().db, sql`SELECT (SELECT count(*)::int FROM schools) AS s, (SELECT count(*)::int FROM students) AS st, (SELECT count(*)::int FROM teachers) AS t`);
    expect(n).toEqual({ s: res.counts.schools, st: 0, t: res.counts.teachers });
  });
});

describeOnBackends('first-run page: load the demo county', (getCtx) => {
  // the load itself, through the page's job, is tested in setup.test.ts (a small county: the full one takes minutes)
  it('loads the full demo of the default size (25,000 students, exams, support) unless BANGFU_DEMO_STUDENTS says otherwise', async () => {
    const ctx = getCtx();
    const asked: Parameters<typeof loadFullDemo>[1][] = [];
    const stop = async (_c: unknown, opts: Parameters<typeof loadFullDemo>[1]) => {
      asked.push(opts);
      throw new Error('only the options were wanted');
    };
    const follow = async (jobId: string) => {
      while (demoJob(ctx, jobId)?.status === 'running') await new Promise((r) => setTimeout(r, 10));
      return demoJob(ctx, jobId)!;
    };
    expect((await follow((await startDemoJob(ctx, stop)).jobId)).status).toBe('failed');
    ctx.config.demoStudents = 1200;
    await follow((await startDemoJob(ctx, stop)).jobId);
    delete ctx.config.demoStudents;
    expect(asked.map((o) => ({ students: o?.students, exams: o?.exams, support: o?.support }))).toEqual([
      { students: undefined, exams: undefined, support: undefined },
      { students: 1200, exams: undefined, support: undefined },
    ]);
    expect(planCounty({ today: new Date() }).studentCount).toBe(25_000);
    expect(await one<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM users`)).toEqual({ n: 0 });
  });
});
