// Loads the generated demo county into an empty database: one transaction, multi-row
// inserts of ~2,000 rows each (one JSON parameter per statement, so neither driver has
// to bind tens of thousands of parameters), ID numbers sealed, pinyin keys filled.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { one, rows, type Tx } from '../../db/client.js';
import { nameKeys } from '../../lib/name-search.js';
import type { AppContext } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import { writeAudit } from '../audit/audit.repo.js';
import { generatePassword, hashPassword } from '../auth/password.js';
import { generateStudents, planCounty, type DemoCountyPlan, type DemoStudent } from './generator.js';

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
}

export interface LoadDemoResult {
  accounts: DemoAccount[];
  /** where demo-accounts.json was written */
  accountsFile: string;
  demoSchool: { code: string; name: string };
  counts: { schools: number; classes: number; teachers: number; students: number; familyFlags: number };
  schoolYear: string;
  seconds: number;
}

export const DEMO_ACCOUNTS_FILE = 'demo-accounts.json';
const BATCH = 2000;

/** The county's own tables; CASCADE also empties every table that references them. */
const COUNTY_TABLES = ['bureau', 'schools', 'classes', 'teachers', 'teaching_assignments', 'students', 'enrollments', 'family_flags', 'users', 'sessions', 'import_jobs'];

interface Col {
  name: string;
  /** the type in the jsonb_to_recordset column list */
  type: string;
  /** how the value is read from the record `x`, when not plainly */
  expr?: string;
}

/** INSERT … SELECT FROM jsonb_to_recordset($1): one parameter per statement, whatever the row count. */
async function insertRecords(tx: Tx, table: string, cols: Col[], records: Record<string, unknown>[], explicitId: boolean): Promise<void> {
  const names = cols.map((c) => c.name).join(', ');
  const defs = cols.map((c) => `${c.name} ${c.type}`).join(', ');
  const select = cols.map((c) => c.expr ?? `x.${c.name}`).join(', ');
  const override = explicitId ? 'OVERRIDING SYSTEM VALUE ' : '';
  for (let i = 0; i < records.length; i += BATCH) {
    const json = JSON.stringify(records.slice(i, i + BATCH));
    await tx.execute(sql`INSERT INTO ${sql.raw(table)} (${sql.raw(names)}) ${sql.raw(override)}SELECT ${sql.raw(select)}
      FROM jsonb_to_recordset(${json}::jsonb) AS x(${sql.raw(defs)})`);
  }
}

/** Takes `n` ids from the table's identity sequence, so rows can be linked before they are inserted. */
async function allocateIds(tx: Tx, table: string, n: number): Promise<number[]> {
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

async function assertEmpty(tx: Tx, force: boolean): Promise<string | null> {
  // serialize with the first-run form (it takes the same lock)
  await tx.execute(sql`LOCK TABLE bureau IN EXCLUSIVE MODE`);
  const bureau = await one<{ name: string }>(tx, sql`SELECT name FROM bureau ORDER BY id LIMIT 1`);
  const used = await one<{ used: boolean }>(tx, sql`SELECT (EXISTS (SELECT 1 FROM schools) OR EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM students)) AS used`);
  if (!bureau && !used?.used) return null;
  if (!force) {
    throw new AppError(409, 'ALREADY_INITIALIZED', `数据库中已有数据（${bureau ? `教育局：${bureau.name}` : '学校或账号'}），演示县只能载入空库。如确需清空重建，请在命令行使用 --force`);
  }
  await tx.execute(sql.raw(`TRUNCATE ${COUNTY_TABLES.join(', ')} CASCADE`));
  return bureau?.name ?? '（无教育局）';
}

/**
 * Writes the demo county (default 25,000 students, seed 1) into an empty database and
 * returns one login per role; refuses a database that already holds a county unless `force`.
 */
export async function loadDemoCounty(ctx: AppContext, opts: LoadDemoOptions): Promise<LoadDemoResult> {
  const started = Date.now();
  const plan = opts.plan ?? planCounty({ students: opts.students, seed: opts.seed, today: opts.today ?? new Date() });
  // Passwords are random, never derived from the seed: a demo loaded on a reachable
  // server through the first-run page must not have guessable logins.
  const passwords = plan.accounts.map(() => generatePassword());
  // scrypt is slow on purpose: hash before the transaction, one at a time (32 MiB each)
  const hashes: string[] = [];
  for (const p of passwords) hashes.push(await hashPassword(p));

  const counts = { schools: plan.schools.length, classes: plan.classes.length, teachers: plan.teachers.length, students: 0, familyFlags: 0 };
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
      await insertStudents(ctx, tx, plan, { students: studentIds, schools: schoolIds, classes: classIds }, counts);
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
  return {
    accounts,
    accountsFile,
    demoSchool: { code: demoSchool.code, name: demoSchool.name },
    counts,
    schoolYear: plan.schoolYear,
    seconds: (Date.now() - started) / 1000,
  };
}

/** Students, their enrollments and family flags, streamed from the generator in batches. */
async function insertStudents(ctx: AppContext, tx: Tx, plan: DemoCountyPlan, ids: { students: number[]; schools: number[]; classes: number[] }, counts: LoadDemoResult['counts']) {
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
  };
  for (const s of generateStudents(plan)) {
    batch.push(s);
    if (batch.length === BATCH) await flush();
  }
  await flush();
}
