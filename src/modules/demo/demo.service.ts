// Loads the generated demo county into an empty database: one transaction, multi-row
// inserts of ~2,000 rows each (one JSON parameter per statement, so neither driver has
// to bind tens of thousands of parameters), ID numbers sealed, pinyin keys filled.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { one, rows, type Queryable, type Tx } from '../../db/client.js';
import { nameKeys } from '../../lib/name-search.js';
import type { AppContext } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import { arrayLiteral, copyText } from '../../lib/copy-text.js';
import { writeAudit } from '../audit/audit.repo.js';
import type { CopyIn } from '../exams/exam-import.repo.js';
import { generatePassword, hashPassword } from '../auth/password.js';
import { writeExamFile, type ExamFileFormat } from './exam-file.js';
import { demoExamsOfCohort, examSubjectsOfGrade, examTitleRows, generateExamRows } from './exam-scores.js';
import { loadDemoSupport, type DemoSupportResult } from './support-demo.js';
import { loadDemoAid, type DemoAidResult } from './aid-demo.js';
import { loadDemoSchoolPairings, type DemoSchoolPairingsResult } from './school-pairings-demo.js';
import { generateStudents, planCounty, type DemoCountyPlan, type DemoStudent } from './generator.js';
import { DEMO_STEPS, type DemoProgress, type DemoStep } from './demo-progress.js';

export { DEMO_STEPS, type DemoProgress, type DemoStep } from './demo-progress.js';
export { demoRosterRows, writeRosterFile, ROSTER_COLUMNS, type RosterRow, type RosterFormat } from './roster-file.js';

/** One demo login, as printed by `bangfu demo` and written to <dataDir>/demo-accounts.json. */
export interface DemoAccount { role: string; username: string; password: string; schoolCode?: string }

export interface LoadDemoOptions {
  students?: number;
  seed?: number;
  /** fixes the school year and ages (default: now) */
  today?: Date;
  /** empty the county's tables first instead of refusing a non-empty database (the audit log stays: it is append-only) */
  force?: boolean;
  /** schools, classes, teachers and logins only: the students come later, e.g. from a roster import (benchmarks) */
  skipStudents?: boolean;
  /** load this plan instead of planCounty(students, seed, today), e.g. a city from exam-scores.ts planCity (benchmarks) */
  plan?: DemoCountyPlan;
  /** also the county's unified exams of grades 7–9, imported and analysed (`bangfu demo` does; see loadDemoExams) */
  exams?: boolean;
  /** also the county's student support: cases, assignments, peer pairs and a semester of records (see support-demo.ts); needs today = now */
  support?: boolean | { recordShare?: number };
  /** told at each step of the load (the first-run page's progress); a throw aborts the load (and empties the database again) */
  onProgress?: (p: DemoProgress) => void;
}

/** Shares of the whole load's time (the full demo on PGlite, quiet machine: county 4.9 s, exams 3.4 s, support 25.5 s, ANALYZE ~1 s). */
const STEP_WEIGHT: Record<DemoStep, number> = { county: 15, exams: 11, support: 70, finish: 4 };

/**
 * The support part's steps (support-demo.ts marks them) as a share of its time and the part that
 * comes next: the records and the audit rows are most of it (PGlite, quiet: docs/benchmarks.md).
 */
const SUPPORT_MARKS: Record<string, [number, string]> = {
  'exam cases': [0.01, 'cases'], 'flag cases': [0.02, 'cases'], 'manual cases': [0.03, 'cases'], 'insert cases': [0.04, 'pairings'],
  suggestions: [0.1, 'pairings'], assignments: [0.11, 'pairings'], peers: [0.12, 'pairings'], 'insert pairings': [0.14, 'records'],
  'insert case history': [0.15, 'records'], 'plan records': [0.19, 'records'], 'insert activities': [0.52, 'records'],
  'insert checks': [0.64, 'audit'], 'plan audit': [0.69, 'audit'], 'insert audit': [0.99, 'audit'], counts: [1, 'audit'],
};
function supportProgress(what: string): { fraction: number; part: string } | null {
  const m = SUPPORT_MARKS[what];
  return m ? { fraction: m[0], part: m[1] } : null;
}

/** Reports progress in percent of the steps this load runs (a county-only load goes 0–100 % in its county step). */
function progressReporter(opts: LoadDemoOptions) {
  const steps = DEMO_STEPS.filter((s) => s === 'county' || s === 'finish' || (s === 'exams' && opts.exams && !opts.skipStudents) || (s === 'support' && opts.support && !opts.skipStudents));
  const total = steps.reduce((a, s) => a + STEP_WEIGHT[s], 0);
  return (step: DemoStep, fraction: number, extra: Omit<DemoProgress, 'step' | 'percent'> = {}) => {
    if (!opts.onProgress) return;
    const before = steps.slice(0, steps.indexOf(step)).reduce((a, s) => a + STEP_WEIGHT[s], 0);
    const percent = Math.min(100, Math.floor(((before + STEP_WEIGHT[step] * Math.min(1, Math.max(0, fraction))) / total) * 100));
    opts.onProgress({ step, percent, ...extra });
  };
}

export interface LoadDemoResult {
  accounts: DemoAccount[];
  /** where demo-accounts.json was written */
  accountsFile: string;
  demoSchool: { code: string; name: string };
  counts: { schools: number; classes: number; teachers: number; students: number; familyFlags: number };
  schoolYear: string;
  seconds: number;
  /** the exams, when asked for */
  exams?: DemoExamsResult;
  /** the support data, when asked for */
  support?: DemoSupportResult;
  /** the poor students' aid grants (资助), with the support data */
  aid?: DemoAidResult;
  /** the school pairings (校校结对), with the support data */
  schoolPairings?: DemoSchoolPairingsResult;
}

export const DEMO_ACCOUNTS_FILE = 'demo-accounts.json';
const BATCH = 2000;

/** The county's own tables; CASCADE also empties every table that references them. */
const COUNTY_TABLES = ['bureau', 'schools', 'classes', 'teachers', 'teaching_assignments', 'students', 'enrollments', 'family_flags', 'users', 'sessions', 'import_jobs'];

export interface Col {
  name: string;
  /** the type in the jsonb_to_recordset column list */
  type: string;
  /** how the value is read from the record `x`, when not plainly */
  expr?: string;
}

/** INSERT … SELECT FROM jsonb_to_recordset($1): one parameter per statement, whatever the row count. */
export async function insertRecords(tx: Tx, table: string, cols: Col[], records: Record<string, unknown>[], explicitId: boolean, batch = BATCH): Promise<void> {
  const names = cols.map((c) => c.name).join(', ');
  const defs = cols.map((c) => `${c.name} ${c.type}`).join(', ');
  const select = cols.map((c) => c.expr ?? `x.${c.name}`).join(', ');
  const override = explicitId ? 'OVERRIDING SYSTEM VALUE ' : '';
  for (let i = 0; i < records.length; i += batch) {
    const json = JSON.stringify(records.slice(i, i + batch));
    await tx.execute(sql`INSERT INTO ${sql.raw(table)} (${sql.raw(names)}) ${sql.raw(override)}SELECT ${sql.raw(select)}
      FROM jsonb_to_recordset(${json}::jsonb) AS x(${sql.raw(defs)})`);
    // PGlite runs in this process and its promises settle without giving I/O a turn: let the server
    // answer between batches (the first-run page polls the demo load's progress meanwhile)
    await new Promise<void>((r) => setImmediate(r));
  }
}

/** A COPY FROM STDIN on the load's transaction (PostgreSQL), or null (PGlite): see exam-import.repo writeTransaction. */
export type { CopyIn } from '../exams/exam-import.repo.js';

/** One value as a COPY text field, by its jsonb_to_recordset type. */
function copyField(type: string, v: unknown): string {
  if (v == null) return '\\N';
  if (type === 'jsonb') return copyText(JSON.stringify(v));
  if (type.endsWith('[]')) return copyText(arrayLiteral((v as unknown[]).map(String)));
  return copyText(String(v));
}

/**
 * Like insertRecords, by COPY … FROM STDIN when the load has a COPY connection (PostgreSQL: the server
 * parses COPY text several times faster than a jsonb batch), else insertRecords. Columns with an
 * `expr` (e.g. a base64 bytea) are not supported here.
 */
export async function writeRecords(tx: Tx, copyIn: CopyIn | null, table: string, cols: Col[], records: Record<string, unknown>[], explicitId: boolean, batch = BATCH): Promise<void> {
  if (records.length === 0) return;
  if (!copyIn) return insertRecords(tx, table, cols, records, explicitId, batch);
  if (cols.some((c) => c.expr)) throw new Error(`writeRecords: ${table} has a column expression`);
  const names = cols.map((c) => c.name);
  const types = cols.map((c) => c.type);
  async function* chunks(): AsyncGenerator<string> {
    let buf = '';
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      let line = '';
      for (let k = 0; k < names.length; k++) line += (k ? '\t' : '') + copyField(types[k]!, r[names[k]!]);
      buf += line + '\n';
      if (i % 2000 === 1999) {
        yield buf;
        buf = '';
      }
    }
    if (buf) yield buf;
  }
  // COPY into an identity column ALWAYS: the ids come from the sequence (allocateIds), so OVERRIDING is implied by naming the column
  await copyIn(`COPY ${table} (${names.join(', ')}) FROM STDIN`, chunks());
}

/** Takes `n` ids from the table's identity sequence, so rows can be linked before they are inserted. */
export async function allocateIds(tx: Tx, table: string, n: number): Promise<number[]> {
  if (n === 0) return [];
  const r = await rows<{ id: number }>(tx, sql`SELECT nextval(pg_get_serial_sequence(${table}, 'id'))::int AS id FROM generate_series(1, ${n})`);
  return r.map((x) => Number(x.id)).sort((a, b) => a - b);
}

const SCHOOL_COLS: Col[] = [
  { name: 'id', type: 'int' }, { name: 'code', type: 'text' }, { name: 'name', type: 'text' }, { name: 'name_pinyin', type: 'text' },
  { name: 'name_initials', type: 'text' }, { name: 'kind', type: 'text' }, { name: 'location_type', type: 'text' }, { name: 'flags', type: 'text[]' },
  { name: 'town', type: 'text' }, { name: 'address', type: 'text' }, { name: 'phone', type: 'text' },
];
const SEALED_ID_COLS: Col[] = [
  { name: 'id_number_hash', type: 'text' }, { name: 'id_number_enc', type: 'text', expr: "decode(x.id_number_enc, 'base64')" }, { name: 'id_number_masked', type: 'text' },
];
const SEALED_STUDENT_NO_COLS: Col[] = [
  { name: 'student_no_hash', type: 'text' }, { name: 'student_no_enc', type: 'text', expr: "decode(x.student_no_enc, 'base64')" },
  { name: 'student_no_masked', type: 'text' },
];
const TEACHER_COLS: Col[] = [
  { name: 'id', type: 'int' }, { name: 'school_id', type: 'int' }, { name: 'staff_no', type: 'text' }, { name: 'name', type: 'text' },
  { name: 'name_pinyin', type: 'text' }, { name: 'name_initials', type: 'text' }, { name: 'sex', type: 'text' }, { name: 'birth_date', type: 'date' },
  ...SEALED_ID_COLS, { name: 'phone', type: 'text' }, { name: 'subjects', type: 'text[]' }, { name: 'teaching_group', type: 'text' },
  { name: 'years_of_service', type: 'smallint' }, { name: 'title', type: 'text' }, { name: 'backbone_level', type: 'text' }, { name: 'position', type: 'text' },
  { name: 'is_leader', type: 'boolean' },
];
const CLASS_COLS: Col[] = [
  { name: 'id', type: 'int' }, { name: 'school_id', type: 'int' }, { name: 'school_year', type: 'text' }, { name: 'grade', type: 'smallint' },
  { name: 'class_no', type: 'smallint' }, { name: 'name', type: 'text' }, { name: 'head_teacher_id', type: 'int' },
];
const ASSIGNMENT_COLS: Col[] = [{ name: 'teacher_id', type: 'int' }, { name: 'class_id', type: 'int' }, { name: 'subject', type: 'text' }];
const STUDENT_COLS: Col[] = [
  { name: 'id', type: 'int' }, { name: 'school_id', type: 'int' }, ...SEALED_STUDENT_NO_COLS, ...SEALED_ID_COLS,
  { name: 'name', type: 'text' }, { name: 'name_pinyin', type: 'text' }, { name: 'name_initials', type: 'text' }, { name: 'sex', type: 'text' },
  { name: 'birth_date', type: 'date' }, { name: 'ethnicity', type: 'text' }, { name: 'address', type: 'text' }, { name: 'guardians', type: 'jsonb' },
];
const ENROLLMENT_COLS: Col[] = [{ name: 'student_id', type: 'int' }, { name: 'school_year', type: 'text' }, { name: 'class_id', type: 'int' }, { name: 'school_id', type: 'int' }];
const FLAG_COLS: Col[] = [{ name: 'student_id', type: 'int' }, { name: 'flag', type: 'text' }, { name: 'source', type: 'text' }, { name: 'recorded_on', type: 'date' }, { name: 'note', type: 'text' }];
const USER_COLS: Col[] = [
  { name: 'username', type: 'text' }, { name: 'display_name', type: 'text' }, { name: 'password_hash', type: 'text' }, { name: 'role', type: 'text' },
  { name: 'school_id', type: 'int' }, { name: 'teacher_id', type: 'int' }, { name: 'must_change_password', type: 'boolean' },
];

function sealed(ctx: AppContext, id: string) {
  const s = ctx.sealer.sealAll(id);
  return { id_number_hash: s.hash, id_number_enc: s.enc.toString('base64'), id_number_masked: s.masked };
}

function sealedStudentNo(ctx: AppContext, no: string) {
  const s = ctx.sealer.sealStudentNo(no);
  return { student_no_hash: s.hash, student_no_enc: s.enc.toString('base64'), student_no_masked: s.masked };
}

function keys(name: string) {
  const k = nameKeys(name);
  return { name_pinyin: k.pinyin, name_initials: k.initials };
}

/** What a demo load would replace: the bureau's name, and whether schools, accounts or students exist. */
async function countyInUse(q: Queryable): Promise<{ bureau: string | null; used: boolean }> {
  const bureau = await one<{ name: string }>(q, sql`SELECT name FROM bureau ORDER BY id LIMIT 1`);
  const used = await one<{ used: boolean }>(q, sql`SELECT (EXISTS (SELECT 1 FROM schools) OR EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM students)) AS used`);
  return { bureau: bureau?.name ?? null, used: !!used?.used };
}

/** True when a demo county may be loaded without --force (no bureau, school, account or student). */
export async function demoCanLoad(ctx: AppContext): Promise<boolean> {
  const c = await countyInUse(ctx.db);
  return !c.bureau && !c.used;
}

async function assertEmpty(tx: Tx, force: boolean): Promise<string | null> {
  // serialize with the first-run form (it takes the same lock)
  await tx.execute(sql`LOCK TABLE bureau IN EXCLUSIVE MODE`);
  const { bureau: name, used } = await countyInUse(tx);
  const bureau = name == null ? null : { name };
  if (!bureau && !used) return null;
  if (!force) {
    throw new AppError(409, 'ALREADY_INITIALIZED', `数据库中已有数据（${bureau ? `教育局：${bureau.name}` : '学校或账号'}），演示县只能载入空库。如确需清空重建，请在命令行使用 --force`);
  }
  await emptyCounty(tx);
  return bureau?.name ?? '（无教育局）';
}

/** Empties the county's tables and everything that references them (exams, support, pairings …); the audit log and the programme definitions stay. */
async function emptyCounty(tx: Tx): Promise<void> {
  // programmes reference users (updated_by), so CASCADE would empty them too: keep the
  // definitions (the migrations seeded them; the support demo's pairings need them)
  await tx.execute(sql`CREATE TEMP TABLE demo_keep_programmes ON COMMIT DROP AS SELECT * FROM programmes`);
  await tx.execute(sql.raw(`TRUNCATE ${COUNTY_TABLES.join(', ')} CASCADE`));
  await tx.execute(sql`INSERT INTO programmes (id, key, name, description, roles, activity_types, quotas, active, builtin, created_at, updated_at) OVERRIDING SYSTEM VALUE
    SELECT k.id, k.key, k.name, k.description, k.roles, k.activity_types, k.quotas, k.active, k.builtin, k.created_at, k.updated_at
    FROM demo_keep_programmes k WHERE NOT EXISTS (SELECT 1 FROM programmes p WHERE p.id = k.id)`);
  await tx.execute(sql`DROP TABLE demo_keep_programmes`);
}

/**
 * After a failure in a later part of the load (exams, support): the county has committed, the
 * rest is partly there; empties the county's tables again, so the database is empty as before and
 * the first-run page shows again. The audit log keeps the attempt (it is append-only).
 */
async function undoDemo(ctx: AppContext, err: unknown): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`LOCK TABLE bureau IN EXCLUSIVE MODE`);
    await emptyCounty(tx);
    await writeAudit(tx, { userId: null, name: '系统（演示数据）' }, {
      action: 'demo.failed', entityType: 'bureau', entityId: null,
      after: { error: err instanceof Error ? err.message : String(err) }, reason: '演示县载入失败，已清空已载入的部分',
    });
  });
}

/**
 * Writes the demo county (default 25,000 students, seed 1) into an empty database and
 * returns one login per role; refuses a database that already holds a county unless `force`.
 */
export async function loadDemoCounty(ctx: AppContext, opts: LoadDemoOptions): Promise<LoadDemoResult> {
  const started = Date.now();
  const progress = progressReporter(opts);
  progress('county', 0);
  const plan = opts.plan ?? planCounty({ students: opts.students, seed: opts.seed, today: opts.today ?? new Date() });
  // Passwords are random, never derived from the seed: a demo loaded on a reachable
  // server through the first-run page must not have guessable logins.
  const passwords = plan.accounts.map(() => generatePassword());
  // scrypt is slow on purpose: hash before the transaction, one at a time (32 MiB each)
  const hashes: string[] = [];
  for (const p of passwords) hashes.push(await hashPassword(p));

  const counts = { schools: plan.schools.length, classes: plan.classes.length, teachers: plan.teachers.length, students: 0, familyFlags: 0 };
  // the junior students, kept as they are generated, for the exams
  const junior: DemoStudent[] | null = opts.exams && !opts.skipStudents ? [] : null;
  await ctx.db.transaction(async (tx) => {
    const replaced = await assertEmpty(tx, !!opts.force);

    const bureau = await one<{ id: number }>(tx, sql`INSERT INTO bureau (name, region_code) VALUES (${plan.bureau.name}, ${plan.bureau.regionCode}) RETURNING id`);
    const schoolIds = await allocateIds(tx, 'schools', plan.schools.length);
    const teacherIds = await allocateIds(tx, 'teachers', plan.teachers.length);
    const classIds = await allocateIds(tx, 'classes', plan.classes.length);

    await insertRecords(tx, 'schools', SCHOOL_COLS, plan.schools.map((s) => ({
      id: schoolIds[s.index], code: s.code, name: s.name, ...keys(s.name), kind: s.kind, location_type: s.locationType,
      flags: s.flags, town: s.town, address: s.address, phone: s.phone,
    })), true);
    await insertRecords(tx, 'teachers', TEACHER_COLS, plan.teachers.map((t) => ({
      id: teacherIds[t.index], school_id: schoolIds[t.schoolIndex], staff_no: t.staffNo, name: t.name, ...keys(t.name), sex: t.sex,
      birth_date: t.birthDate, ...sealed(ctx, t.idNumber), phone: t.phone, subjects: t.subjects, teaching_group: t.teachingGroup,
      years_of_service: t.yearsOfService, title: t.title, backbone_level: t.backboneLevel, position: t.position, is_leader: t.isLeader,
    })), true);
    await insertRecords(tx, 'classes', CLASS_COLS, plan.classes.map((c) => ({
      id: classIds[c.index], school_id: schoolIds[c.schoolIndex], school_year: plan.schoolYear, grade: c.grade, class_no: c.classNo,
      name: c.name, head_teacher_id: teacherIds[c.headTeacherIndex],
    })), true);
    await insertRecords(tx, 'teaching_assignments', ASSIGNMENT_COLS, plan.assignments.map((a) => ({
      teacher_id: teacherIds[a.teacherIndex], class_id: classIds[a.classIndex], subject: a.subject,
    })), false);

    if (!opts.skipStudents) {
      const studentIds = await allocateIds(tx, 'students', plan.studentCount);
      await insertStudents(ctx, tx, plan, { students: studentIds, schools: schoolIds, classes: classIds }, counts, junior,
        () => progress('county', 0.1 + 0.85 * (counts.students / Math.max(1, plan.studentCount)), { done: counts.students, total: plan.studentCount }));
    }

    await insertRecords(tx, 'users', USER_COLS, plan.accounts.map((a, i) => ({
      username: a.username, display_name: a.displayName, password_hash: hashes[i], role: a.role,
      school_id: a.schoolIndex == null ? null : schoolIds[a.schoolIndex], teacher_id: a.teacherIndex == null ? null : teacherIds[a.teacherIndex],
      must_change_password: false,
    })), false);

    await writeAudit(tx, { userId: null, name: '系统（演示数据）' }, {
      action: 'demo.loaded',
      entityType: 'bureau',
      entityId: bureau!.id,
      after: { seed: plan.seed, schoolYear: plan.schoolYear, ...counts, accounts: plan.accounts.map((a) => a.username), ...(replaced ? { replaced } : {}) },
      reason: replaced ? '使用 --force 清空原有数据后载入演示县' : '载入演示县',
    });
  });

  const seconds = (Date.now() - started) / 1000;
  // The county has committed; the exams commit one by one and the support data in one transaction of
  // its own. A failure from here on empties the database again (undoDemo): all or nothing, as seen from
  // the first-run page (docs/support.md, "Demo data").
  let exams: DemoExamsResult | undefined;
  let support: DemoSupportResult | undefined;
  let aid: DemoAidResult | undefined;
  let schoolPairings: DemoSchoolPairingsResult | undefined;
  try {
    if (junior) {
      progress('exams', 0);
      exams = await loadDemoExams(ctx, plan, { students: junior, onExam: (done, total) => progress('exams', done / total, { done, total }) });
    }
    if (opts.support && !opts.skipStudents) {
      progress('support', 0, { part: 'cases' });
      const supportOpts = typeof opts.support === 'object' ? opts.support : {};
      support = await loadDemoSupport(ctx, plan, { ...supportOpts, onMark: (what) => { const m = supportProgress(what); if (m) progress('support', m.fraction, { part: m.part }); } });
      aid = await loadDemoAid(ctx, plan);
      // after the support data: its assignment suggestions were made without these schools' links
      schoolPairings = await loadDemoSchoolPairings(ctx, plan);
    }
    // further parts of the demo go here, inside the try
    progress('finish', 0);
    // Planner statistics for the tables just filled in bulk: PGlite has no autovacuum, so without
    // this the county's queries were planned blind (the support mix took 3–5 s instead of ~1 s).
    await ctx.db.execute(sql`ANALYZE`);
  } catch (err) {
    try {
      await undoDemo(ctx, err);
    } catch (undoErr) {
      throw new AppError(500, 'DEMO_UNDO_FAILED', `演示县载入失败（${err instanceof Error ? err.message : String(err)}），清空已载入部分时又出错（${undoErr instanceof Error ? undoErr.message : String(undoErr)}）：请用 npx bangfu demo --force 重新载入`);
    }
    throw err;
  }

  const demoSchool = plan.schools[plan.demoSchoolIndex]!;
  const accounts: DemoAccount[] = plan.accounts.map((a, i) => ({
    role: a.role,
    username: a.username,
    password: passwords[i]!,
    ...(a.schoolIndex == null ? {} : { schoolCode: plan.schools[a.schoolIndex]!.code }),
  }));
  const accountsFile = path.join(ctx.config.dataDir, DEMO_ACCOUNTS_FILE);
  fs.mkdirSync(ctx.config.dataDir, { recursive: true });
  fs.writeFileSync(accountsFile, JSON.stringify(accounts, null, 2) + '\n', { mode: 0o600 });
  progress('finish', 1);
  return {
    accounts,
    accountsFile,
    demoSchool: { code: demoSchool.code, name: demoSchool.name },
    counts,
    schoolYear: plan.schoolYear,
    seconds,
    ...(exams ? { exams } : {}),
    ...(support ? { support } : {}),
    ...(aid ? { aid } : {}),
    ...(schoolPairings ? { schoolPairings } : {}),
  };
}

/**
 * The full demo, as `npx bangfu demo` and the first-run page's 载入演示县 load it: the county, its
 * exams and its support data (each can be turned off), with progress through `onProgress`.
 */
export function loadFullDemo(ctx: AppContext, opts: Omit<LoadDemoOptions, 'plan' | 'skipStudents'> = {}): Promise<LoadDemoResult> {
  return loadDemoCounty(ctx, { ...opts, exams: opts.exams ?? true, support: opts.support ?? true });
}

/** Students, their enrollments and family flags, streamed from the generator in batches. */
async function insertStudents(
  ctx: AppContext, tx: Tx, plan: DemoCountyPlan, ids: { students: number[]; schools: number[]; classes: number[] }, counts: LoadDemoResult['counts'],
  keepJunior: DemoStudent[] | null = null, onBatch?: () => void,
) {
  let batch: DemoStudent[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const studentRecords: Record<string, unknown>[] = [];
    const enrollmentRecords: Record<string, unknown>[] = [];
    const flagRecords: Record<string, unknown>[] = [];
    for (const s of batch) {
      const id = ids.students[s.index];
      const schoolId = ids.schools[s.schoolIndex];
      studentRecords.push({
        id, school_id: schoolId, ...sealedStudentNo(ctx, s.studentNo), ...sealed(ctx, s.idNumber), name: s.name, ...keys(s.name), sex: s.sex,
        birth_date: s.birthDate, ethnicity: s.ethnicity, address: s.address, guardians: s.guardians,
      });
      enrollmentRecords.push({ student_id: id, school_year: plan.schoolYear, class_id: ids.classes[s.classIndex], school_id: schoolId });
      for (const f of s.flags) flagRecords.push({ student_id: id, flag: f.flag, source: f.source, recorded_on: f.recordedOn, note: f.note });
    }
    await insertRecords(tx, 'students', STUDENT_COLS, studentRecords, true);
    await insertRecords(tx, 'enrollments', ENROLLMENT_COLS, enrollmentRecords, false);
    await insertRecords(tx, 'family_flags', FLAG_COLS, flagRecords, false);
    counts.students += batch.length;
    counts.familyFlags += flagRecords.length;
    batch = [];
    onBatch?.();
  };
  for (const s of generateStudents(plan)) {
    batch.push(s);
    if (keepJunior && plan.classes[s.classIndex]!.grade >= 7) keepJunior.push(s);
    if (batch.length === BATCH) await flush();
  }
  await flush();
}

// ---------------------------------------------------------------- exams

export interface DemoExamsResult {
  exams: { id: string; name: string; grade: number; schoolYear: string; term: number; rows: number; matched: number; unmatched: number; rejected: number }[];
  seconds: number;
}

/**
 * The demo county's unified exams (全县统考) of grades 7–9, so every exam screen has data:
 * per cohort a previous exam and the latest one (exam-scores.ts demoExamsOfCohort: on 2026-12-02,
 * grades 8 and 9 last school year's term-2 final and this term's mid-term; grade 7 its
 * September entrance test and the mid-term; 初二 also its 初一 first-semester final, its baseline).
 * Scores from the demo generator (later exams: some schools improve), written as the sheets a
 * bureau receives (GBK CSV, two title rows above the header) to a temporary folder and imported
 * and analysed by the real import (importExamScores), oldest first, so each exam finds its
 * previous one. The latest grade-9 sheet carries three defective rows (a score above full
 * marks, '九十', a negative score): the import rejects them and writes its errors file.
 * Targets: 初二's baseline is set to its 初一 first-semester final (范文1: the first semester
 * of 初一 is the reference; −3 points a semester from there); other grades keep the defaults.
 */
export async function loadDemoExams(ctx: AppContext, plan: DemoCountyPlan, opts: { students?: DemoStudent[]; count?: number; onExam?: (done: number, total: number) => void } = {}): Promise<DemoExamsResult> {
  const started = Date.now();
  const [{ compileScope }, { createExam }, { importExamScores }, { putTargets }, { defaultTargetConfig }] = await Promise.all([
    import('../scope/scope.js'),
    import('../exams/exams.service.js'),
    import('../exams/exam-import.service.js'),
    import('../exams/exam-settings.service.js'),
    import('../exams/analysis/targets.js'),
  ]);
  const admin = await one<{ id: number; username: string; display_name: string }>(ctx.db, sql`SELECT id, username, display_name FROM users WHERE role = 'bureau_admin' ORDER BY id LIMIT 1`);
  if (!admin) throw new AppError(409, 'NO_ADMIN', '演示县没有教育局管理员账号，无法生成考试');
  const user = { id: admin.id, username: admin.username, displayName: admin.display_name, role: 'bureau_admin' as const, schoolId: null, teacherId: null };
  const scope = compileScope(user);
  const actor = { userId: null, name: '系统（演示数据）' };
  const students = opts.students ?? [...generateStudents(plan)].filter((s) => plan.classes[s.classIndex]!.grade >= 7);

  // 初二 three exams (its baseline, the previous one, the latest), the others two: a previous exam and a current one
  const series = [7, 8, 9].map((grade) => demoExamsOfCohort(plan.today, plan.schoolYear, grade, opts.count ?? (grade === 8 ? 3 : 2)));
  // 初二: measured from its 初一 first-semester exam (when the demo has it)
  const g8Baseline = series[1]!.find((e) => e.grade === 7 && e.term === 1 && !e.entrance);
  if (g8Baseline) {
    const config = defaultTargetConfig(8, plan.schoolYear, { schoolYear: g8Baseline.schoolYear, term: 1 });
    // putTargets takes the HTTP caller; only the user's id and role and the actor are read
    const c = { user: { ...user, mustChangePassword: false, csrfToken: '', sessionId: '', locale: 'zh-CN' }, scope, actor };
    await putTargets(ctx, c, 8, plan.schoolYear, { baseline: config.baseline, rules: config.rules });
  }

  const events = series
    .flatMap((list, i) => list.map((e, wave) => ({ ...e, wave, cohortGrade: 7 + i, latest: wave === list.length - 1 })))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.grade - b.grade));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-demo-exams-'));
  const out: DemoExamsResult['exams'] = [];
  try {
    for (const e of events) {
      const subjects = examSubjectsOfGrade(e.grade);
      const [y, m, d] = e.date.split('-').map(Number);
      const titleRows = examTitleRows({
        schoolYear: e.schoolYear, term: e.term, grade: e.grade, kind: e.entrance ? '入学摸底' : e.kind,
        date: `${y}年${m}月${d}日`, office: `${plan.bureau.countyName}教育体育局教研室`,
      });
      const name = titleRows[0]!.replace(/成绩表$/, '');
      const exam = await createExam(ctx, { scope, actor }, {
        name, schoolYear: e.schoolYear, term: e.term, kind: e.kind, scope: 'county', grade: e.grade, examDate: e.date, subjects,
      });
      // GBK CSV, as Excel and WPS save it (exceljs takes ~1 s for a 3,000-row .xlsx; the import reads both alike)
      const format: ExamFileFormat = 'csv-gbk';
      const file = path.join(dir, `${titleRows[0]}.csv`);
      const rows = generateExamRows(plan, students, {
        key: `${e.schoolYear}/${e.term}/${e.kind}/${e.grade}/${e.date}`,
        schoolYear: e.schoolYear,
        grade: e.grade,
        subjects,
        wave: e.wave,
        defects: e.latest && e.cohortGrade === 9 ? 3 : 0,
      });
      await writeExamFile(file, rows, subjects, format, { titleRows });
      const res = await importExamScores(ctx, { examId: exam.id, filePath: file, fileName: path.basename(file), actor, scope });
      if (!res.analysis.ok) throw new AppError(500, 'DEMO_EXAM_ANALYSIS', `演示考试“${name}”分析失败：${res.analysis.message}`);
      out.push({ id: exam.id, name, grade: e.grade, schoolYear: e.schoolYear, term: e.term, rows: res.rows, matched: res.matched, unmatched: res.unmatched, rejected: res.rejected });
      opts.onExam?.(out.length, events.length);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { exams: out, seconds: (Date.now() - started) / 1000 };
}
