// The roster import end to end, on PGlite and PostgreSQL: every file format, the row
// checks, duplicates, idempotent re-import, updates with audit, scope, rollback on failure,
// the errors spreadsheet, and the HTTP upload / status / download routes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { one, rows } from '../../src/db/client.js';
import { importRoster } from '../../src/modules/roster-import/roster-import.service.js';
import { idCheckChar, idProblemMessage, makeIdNumber } from '../../src/shared/id-number.js';
import { schoolYearOf } from '../../src/shared/school-year.js';
import { describeOnBackends, type TestContext } from '../helpers/db.js';
import { loginAgent, testApp } from '../helpers/http.js';
import { callerOf, countOf, seedCounty, type Seed, type SeedUser } from '../helpers/seed.js';
import { writeCsv, writeXls, writeXlsx } from '../fixtures/roster/roster-fixtures.js';

const HEADER = ['序号', '学校标识码', '学校名称', '姓名', '性别', '民族', '出生日期', '身份证号', '全国学籍号', '年级', '班级', '家庭住址', '监护人', '联系电话', '是否留守儿童'];
type Cell = (typeof HEADER)[number];

/** A student row; IDs use region 360102 so they never meet the seeded ones (360428). */
function student(i: number, over: Partial<Record<Cell, string>> = {}): string[] {
  const sex = i % 2 ? '1' : '2';
  const birth = `2012-0${1 + (i % 9)}-1${i % 10}`;
  const id = makeIdNumber('360102', birth, 100 + i * 2, sex);
  const base: Record<string, string> = {
    序号: String(i), 学校标识码: '3636000001', 学校名称: '城关第一小学', 姓名: `学生${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${'子丑寅卯辰巳午未申酉戌亥'[i % 12]}`,
    性别: sex === '1' ? '男' : '女', 民族: '汉族', 出生日期: birth.replace(/-/g, '/'), 身份证号: id, 全国学籍号: 'G' + id,
    年级: '七年级', 班级: `${1 + (i % 2)}班`, 家庭住址: `城关镇${i}号`, 监护人: `家长${i}`, 联系电话: `1390000${String(i).padStart(4, '0')}`, 是否留守儿童: i % 5 === 0 ? '是' : '否',
  };
  const merged = { ...base, ...over };
  return HEADER.map((h) => merged[h] ?? '');
}
const idOf = (cells: string[]) => cells[HEADER.indexOf('身份证号')]!;

interface Snapshot { students: number; enrollments: number; classes: number; schools: number; audit: number; flags: number; staging: number }

async function snapshot(ctx: TestContext): Promise<Snapshot> {
  const r = await one<Snapshot>(ctx.db, sql`SELECT
    (SELECT count(*) FROM students)::int AS students, (SELECT count(*) FROM enrollments)::int AS enrollments,
    (SELECT count(*) FROM classes)::int AS classes, (SELECT count(*) FROM schools)::int AS schools,
    (SELECT count(*) FROM audit_log)::int AS audit, (SELECT count(*) FROM family_flags)::int AS flags,
    (SELECT count(*) FROM roster_import_staging)::int AS staging`);
  return r!;
}

async function readErrors(file: string): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const out: string[][] = [];
  wb.worksheets[0]!.eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))));
  return out;
}

describeOnBackends(
  'roster import',
  (getCtx, kind, getSeed) => {
    let dir: string;
    let ctx: TestContext;
    let seed: Seed;
    const as = callerOf;
    const run = (file: string, u: SeedUser = seed.users.bureau_admin, extra: { defaultSchoolCode?: string } = {}) =>
      importRoster(ctx, { filePath: file, fileName: path.basename(file), ...as(u), ...extra });
    const file = (name: string) => path.join(dir, name);

    beforeAll(() => {
      ctx = getCtx();
      seed = getSeed();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), `roster-it-${kind}-`));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    describe('formats, idempotence and updates', () => {
      const rowsA = Array.from({ length: 12 }, (_, i) => student(i + 1));

      it('imports a GBK CSV with title rows above the header', async () => {
        const before = await snapshot(ctx);
        await writeCsv(file('gbk.csv'), [['城关第一小学2025年秋季学生花名册'], ['填报单位：城关第一小学', '', '', '日期：2025-09-01'], HEADER, ...rowsA], 'gbk');
        const res = await run(file('gbk.csv'));
        expect(res).toMatchObject({ inserted: 12, updated: 0, unchanged: 0, rejected: 0, errorsFile: null });
        const after = await snapshot(ctx);
        expect(after.students - before.students).toBe(12);
        expect(after.enrollments - before.enrollments).toBe(12);
        expect(after.classes - before.classes).toBe(0); // 七年级(1)班 and (2)班 exist in school A
        expect(after.staging).toBe(0);

        const s = await one<Record<string, unknown>>(ctx.db, sql`
          SELECT st.name, st.name_pinyin, st.sex, st.birth_date, st.ethnicity, st.address, st.guardians, st.id_number_masked, st.id_number_enc,
                 st.student_no_enc, st.student_no_masked, c.name AS class_name, e.school_year, sc.code
          FROM students st JOIN enrollments e ON e.student_id = st.id JOIN classes c ON c.id = e.class_id JOIN schools sc ON sc.id = st.school_id
          WHERE st.id_number_hash = ${ctx.sealer.hash(idOf(rowsA[0]!))}`);
        expect(s).toMatchObject({
          name: '学生乙丑', sex: '1', birth_date: idOf(rowsA[0]!).replace(/^\d{6}(\d{4})(\d{2})(\d{2}).*$/, '$1-$2-$3'), ethnicity: '01', address: '城关镇1号',
          guardians: [{ name: '家长1', relation: null, phone: '13900000001' }], class_name: '七年级(2)班', school_year: schoolYearOf(), code: '3636000001',
        });
        expect(s!.name_pinyin).toBe('xueshengyichou');
        expect(ctx.sealer.open(s!.id_number_enc as Buffer)).toBe(idOf(rowsA[0]!));
        expect(s!.id_number_masked).toBe(idOf(rowsA[0]!).slice(0, 6) + '********' + idOf(rowsA[0]!).slice(-4));
        // the 学籍号 is sealed the same way
        expect(ctx.sealer.open(s!.student_no_enc as Buffer)).toBe('G' + idOf(rowsA[0]!));
        expect(s!.student_no_masked).toBe('G' + s!.id_number_masked);
        // 是否留守儿童 = 是 on rows 5 and 10
        expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM family_flags WHERE flag = 'left_behind' AND source = '花名册导入'`)).toBe(2);
        // audit: one student.created per student, never a plain ID number (not even inside the 学籍号)
        expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'student.created'`)).toBe(12);
        for (const r of rowsA) {
          expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE concat(before::text, after::text, reason) LIKE ${'%' + idOf(r) + '%'}`)).toBe(0);
        }
        const job = await one<Record<string, unknown>>(ctx.db, sql`SELECT status, inserted, processed_rows, total_rows FROM import_jobs WHERE id = ${res.jobId}`);
        expect(job).toEqual({ status: 'succeeded', inserted: 12, processed_rows: 12, total_rows: 12 });
      });

      it('re-importing the same rows changes nothing (UTF-8 with BOM this time): only the summary is audited', async () => {
        const before = await snapshot(ctx);
        await writeCsv(file('bom.csv'), [HEADER, ...rowsA], 'utf8bom');
        const res = await run(file('bom.csv'));
        expect(res).toMatchObject({ inserted: 0, updated: 0, unchanged: 12, rejected: 0 });
        const after = await snapshot(ctx);
        expect(after).toEqual({ ...before, audit: before.audit + 1 });
        const last = await one<{ action: string; after: Record<string, unknown> }>(ctx.db, sql`SELECT action, after FROM audit_log ORDER BY id DESC LIMIT 1`);
        expect(last).toMatchObject({ action: 'import.roster', after: { inserted: 0, updated: 0, unchanged: 12, rejected: 0 } });
      });

      it('a changed row updates the student, moves this year\'s class, and audits before/after of the changed fields only', async () => {
        const changed = rowsA.map((r, i) => (i === 2 ? student(3, { 家庭住址: '河口镇新街8号', 班级: '1班' }) : r));
        await writeXlsx(file('changed.xlsx'), { titleRows: [['城关第一小学学生花名册']], mergeTitles: true, header: HEADER, rows: changed });
        const before = await snapshot(ctx);
        const res = await run(file('changed.xlsx'));
        expect(res).toMatchObject({ inserted: 0, updated: 1, unchanged: 11, rejected: 0 });
        const after = await snapshot(ctx);
        expect(after).toEqual({ ...before, audit: before.audit + 2 });
        const audit = await one<{ entity_id: string; before: Record<string, unknown>; after: Record<string, unknown> }>(ctx.db, sql`
          SELECT entity_id, before, after FROM audit_log WHERE action = 'student.updated' ORDER BY id DESC LIMIT 1`);
        expect(audit!.before).toEqual({ address: '城关镇3号', class: '七年级(2)班' });
        expect(audit!.after).toEqual({ address: '河口镇新街8号', class: '七年级(1)班' });
        const st = await one<{ address: string; class_name: string; n: number }>(ctx.db, sql`
          SELECT st.address, c.name AS class_name, (SELECT count(*)::int FROM enrollments x WHERE x.student_id = st.id) AS n
          FROM students st JOIN enrollments e ON e.student_id = st.id AND e.school_year = ${schoolYearOf()} JOIN classes c ON c.id = e.class_id
          WHERE st.id = ${Number(audit!.entity_id)}`);
        expect(st).toEqual({ address: '河口镇新街8号', class_name: '七年级(1)班', n: 1 });
        // and once more: unchanged
        expect(await run(file('changed.xlsx'))).toMatchObject({ inserted: 0, updated: 0, unchanged: 12 });
      });

      it('keeps the earlier school years\' classes: a re-import moves only this year\'s (history stays)', async () => {
        const year = schoolYearOf();
        const start = Number(year.slice(0, 4)) - 1;
        const lastYear = `${start}-${start + 1}`;
        await writeCsv(file('history1.csv'), [HEADER, student(35)], 'utf8');
        expect(await run(file('history1.csv'))).toMatchObject({ inserted: 1 });
        const st = await one<{ id: number; school_id: number }>(ctx.db, sql`SELECT id, school_id FROM students WHERE id_number_hash = ${ctx.sealer.hash(idOf(student(35)))}`);
        const old = await one<{ id: number }>(ctx.db, sql`INSERT INTO classes (school_id, school_year, grade, class_no, name)
          VALUES (${st!.school_id}, ${lastYear}, 6, 3, '六年级(3)班') RETURNING id`);
        await ctx.db.execute(sql`INSERT INTO enrollments (student_id, school_year, class_id, school_id) VALUES (${st!.id}, ${lastYear}, ${old!.id}, ${st!.school_id})`);

        await writeCsv(file('history2.csv'), [HEADER, student(35, { 班级: '1班' })], 'utf8');
        expect(await run(file('history2.csv'))).toMatchObject({ inserted: 0, updated: 1 });
        const history = await rows<{ school_year: string; name: string }>(ctx.db, sql`
          SELECT e.school_year, c.name FROM enrollments e JOIN classes c ON c.id = e.class_id WHERE e.student_id = ${st!.id} ORDER BY e.school_year`);
        expect(history).toEqual([{ school_year: lastYear, name: '六年级(3)班' }, { school_year: year, name: '七年级(1)班' }]);
      });

      it('reads a legacy .xls', async () => {
        const more = [student(31), student(32)];
        writeXls(file('legacy.xls'), [['花名册'], [...HEADER], ...more]);
        expect(await run(file('legacy.xls'))).toMatchObject({ inserted: 2, rejected: 0 });
      });
    });

    describe('rejected rows, blank rows and duplicates', () => {
      it('rejects bad rows with Chinese reasons and row numbers, skips blank rows, counts an exact repeat once', async () => {
        const good = student(41);
        const sci = student(42, { 身份证号: '3.60102E+17' });
        const id43 = idOf(student(43));
        const badCheck = student(43, { 身份证号: id43.slice(0, 17) + (id43[17] === '1' ? '2' : '1') });
        const wrongSex = student(44, { 性别: student(44)[4] === '男' ? '女' : '男' });
        const wrongBirth = student(45, { 出生日期: '2011/1/1' });
        const blank = HEADER.map(() => '');
        const sameStudentOtherClass = student(46, { 班级: '2班' });
        const sameStudentOtherClass2 = student(46, { 班级: '1班' });
        const rowsB = [good, blank, sci, badCheck, good, wrongSex, blank, wrongBirth, sameStudentOtherClass, sameStudentOtherClass2];
        // spreadsheet rows: 1 title, 2 header, data from 3
        await writeXlsx(file('mixed.xlsx'), { titleRows: [['学生花名册']], mergeTitles: true, header: HEADER, rows: rowsB });
        const before = await snapshot(ctx);
        const res = await run(file('mixed.xlsx'));
        expect(res).toMatchObject({ inserted: 1, updated: 0, unchanged: 0, rejected: 6 });
        expect((await snapshot(ctx)).students - before.students).toBe(1);
        expect(res.errorsFile).toBe(path.join(ctx.config.dataDir, 'imports', `${res.jobId}-errors.xlsx`));
        const sheet = await readErrors(res.errorsFile!);
        expect(sheet[0]).toEqual(['行号', '错误原因', ...HEADER]);
        const byRow = new Map(sheet.slice(1).map((r) => [Number(r[0]), r[1]!]));
        expect([...byRow.keys()]).toEqual([5, 6, 8, 10, 11, 12]);
        expect(byRow.get(5)).toBe(idProblemMessage('scientific'));
        expect(byRow.get(6)).toContain('校验位错误');
        expect(byRow.get(8)).toContain('性别');
        expect(byRow.get(10)).toContain('出生日期（2011-01-01）与身份证号中的出生日期');
        expect(byRow.get(11)).toBe('与第 12 行的学籍号相同，但其他内容不同：同一学生在文件中只能出现一次，请核对后只保留一行');
        expect(byRow.get(12)).toContain('与第 11 行');
        // the original cells follow the reason, text as typed
        expect(sheet.find((r) => r[0] === '5')!.slice(2)).toEqual(sci);
      });

      it('stages no plain ID number or 学籍号: identifiers and the original cells travel sealed', async () => {
        const rowsS = [student(111), student(112, { 身份证号: '123' }), student(113)];
        await writeCsv(file('sealed.csv'), [HEADER, ...rowsS], 'utf8');
        // look at the staging rows once parsing is done (they are deleted when the import ends)
        let staged: Promise<{ t: string; status: string }[]> | undefined;
        const res = await importRoster(ctx, {
          filePath: file('sealed.csv'), fileName: 'sealed.csv', ...as(seed.users.bureau_admin),
          onProgress: ({ phase }) => {
            if (phase === 'merging' && !staged) staged = rows(ctx.db, sql`SELECT s::text AS t, s.status FROM roster_import_staging s`);
          },
        });
        expect(res).toMatchObject({ inserted: 2, rejected: 1 });
        const seen = await staged!;
        expect(seen.map((r) => r.status).sort()).toEqual(['rejected', 'valid', 'valid']);
        for (const r of rowsS) {
          const no = r[HEADER.indexOf('全国学籍号')]!;
          for (const row of seen) {
            expect(row.t).not.toContain(no);
            expect(row.t).not.toContain(no.slice(7, 15)); // the birth date inside the embedded ID
          }
        }
        // the errors file still gives the row back as typed
        expect((await readErrors(res.errorsFile!))[1]!.slice(2)).toEqual(rowsS[1]);
      });

      it('keeps backslashes, quotes, tabs and line breaks in cells intact (staging travels as COPY text on both backends)', async () => {
        const odd = student(51, { 家庭住址: '东街\\5号 "北"院\\N', 监护人: '家长\\t{甲,乙}' });
        const raw = '西街\t7号\n2栋\\x "南"';
        const bad = student(52, { 身份证号: '123', 家庭住址: raw });
        await writeCsv(file('odd.csv'), [HEADER, odd, bad], 'utf8');
        const res = await run(file('odd.csv'));
        expect(res).toMatchObject({ inserted: 1, rejected: 1 });
        const s = await one<{ address: string; guardians: unknown }>(ctx.db, sql`
          SELECT address, guardians FROM students WHERE id_number_hash = ${ctx.sealer.hash(idOf(odd))}`);
        expect(s).toEqual({ address: '东街\\5号 "北"院\\N', guardians: [{ name: '家长\\t{甲,乙}', relation: null, phone: odd[HEADER.indexOf('联系电话')] }] });
        const sheet = await readErrors(res.errorsFile!);
        expect(sheet[1]!.slice(2)).toEqual(bad);
      });

      it('rejects a row whose 学籍号 and ID belong to two different stored students', async () => {
        const a = seed.students[0]!;
        const b = seed.students[1]!;
        const row = student(51, { 身份证号: b.idNumber, 全国学籍号: 'G' + a.idNumber, 出生日期: '', 性别: '' });
        await writeCsv(file('two.csv'), [HEADER, row], 'utf8');
        const res = await run(file('two.csv'));
        expect(res).toMatchObject({ inserted: 0, updated: 0, rejected: 1 });
        const sheet = await readErrors(res.errorsFile!);
        expect(sheet[1]![1]).toBe('学籍号与身份证号分别属于系统中两名不同的学生，请核对');
        // rejected by the merge, not while parsing: its cells are read back from the file
        expect(sheet[1]!.slice(2)).toEqual(row.map((c) => c || undefined)); // empty cells read back as empty
      });
    });

    describe('IDs Excel stored as numbers (the whole file decides)', () => {
      /** what Excel keeps of an 18-digit number: 15 significant digits */
      const truncate = (id: string) => id.slice(0, 15) + '000';
      const passes = (id: string) => idCheckChar(id.slice(0, 17)) === id[17];

      it('rejects every ID ending in 000 of a truncated column with the Excel reason, checksums that pass included', async () => {
        // 20 students whose IDs Excel stored as numbers; among them a girl and a boy whose
        // truncated IDs pass the checksum (per row, the girl's would be accepted with a wrong ID
        // and the boy's rejected as a sex mismatch: the 17th digit is now 0)
        let girl = -1;
        let boy = -1;
        const failing: number[] = [];
        for (let i = 200; girl < 0 || boy < 0 || failing.length < 18; i++) {
          const r = student(i);
          if (idOf(r).endsWith('X')) continue;
          const male = r[HEADER.indexOf('性别')] === '男';
          if (!passes(truncate(idOf(r)))) {
            if (failing.length < 18) failing.push(i);
          } else if (male && boy < 0) boy = i;
          else if (!male && girl < 0) girl = i;
        }
        const picked = [girl, boy, ...failing].sort((a, b) => a - b);
        const truncatedRows = picked.map((i) => student(i, { 身份证号: truncate(idOf(student(i))) }));
        // IDs ending in X cannot be numbers: Excel kept them as text, and they import as usual
        const textRows: string[][] = [];
        for (let i = 600; textRows.length < 2; i++) if (idOf(student(i)).endsWith('X')) textRows.push(student(i));
        const all = [...truncatedRows.slice(0, 10), textRows[0]!, ...truncatedRows.slice(10), textRows[1]!];
        await writeCsv(file('excel-numbers.csv'), [HEADER, ...all], 'gbk');

        const before = await snapshot(ctx);
        const res = await run(file('excel-numbers.csv'));
        expect(res).toMatchObject({ inserted: 2, updated: 0, unchanged: 0, rejected: 20 });
        const after = await snapshot(ctx);
        const leftBehind = textRows.filter((r) => r[HEADER.indexOf('是否留守儿童')] === '是').length;
        // two students with their enrollments and student.created rows, the import's summary row
        expect(after).toEqual({ ...before, students: before.students + 2, enrollments: before.enrollments + 2, audit: before.audit + 3, flags: before.flags + leftBehind });
        for (const r of truncatedRows) {
          expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM students WHERE id_number_hash = ${ctx.sealer.hash(idOf(r))}
            OR student_no_hash = ${ctx.sealer.studentNoHash(r[HEADER.indexOf('全国学籍号')]!)}`)).toBe(0);
        }
        const sheet = await readErrors(res.errorsFile!);
        const rowNoOf = (cells: string[]) => all.indexOf(cells) + 2; // header on row 1
        expect(sheet.slice(1).map((r) => [Number(r[0]), r[1]])).toEqual(truncatedRows.map((r) => [rowNoOf(r), idProblemMessage('scientific')]));
        // the girl's row was staged as valid: its cells are read back from the file
        const girlRow = truncatedRows[picked.indexOf(girl)]!;
        expect(sheet.find((r) => Number(r[0]) === rowNoOf(girlRow))!.slice(2)).toEqual(girlRow);
        const job = await one<{ inserted: number; rejected: number }>(ctx.db, sql`SELECT inserted, rejected FROM import_jobs WHERE id = ${res.jobId}`);
        expect(job).toEqual({ inserted: 2, rejected: 20 });
      });

      /** genuine IDs ending in 000 (sequence x00, check digit 0): about 1 in 1,100 real IDs */
      function genuineZeros(n: number): { id: string; birth: string }[] {
        const out: { id: string; birth: string }[] = [];
        for (let d = 0; out.length < n; d++) {
          const birth = new Date(Date.UTC(2012, 0, 1 + d)).toISOString().slice(0, 10);
          const id = makeIdNumber('360121', birth, 300, '2');
          if (id.endsWith('000')) out.push({ id, birth });
        }
        return out;
      }
      const withId = (i: number, g: { id: string; birth: string }) =>
        student(i, { 身份证号: g.id, 全国学籍号: 'G' + g.id, 性别: '女', 出生日期: g.birth.replace(/-/g, '/') });

      it('accepts a genuine ID ending in 000 in a normal file', async () => {
        const [g] = genuineZeros(1);
        const rowsN = Array.from({ length: 30 }, (_, k) => student(700 + k));
        rowsN.splice(17, 0, withId(730, g!));
        await writeCsv(file('one-zero.csv'), [HEADER, ...rowsN], 'gbk');
        const res = await run(file('one-zero.csv'));
        expect(res).toMatchObject({ inserted: 31, rejected: 0, errorsFile: null });
        expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM students WHERE id_number_hash = ${ctx.sealer.hash(g!.id)}`)).toBe(1);
      });

      it('accepts three genuine IDs ending in 000 in 30 rows: none fails its checksum, so the column is not numbers', async () => {
        const gs = genuineZeros(4).slice(1);
        const rowsN = [...Array.from({ length: 27 }, (_, k) => student(740 + k)), ...gs.map((g, k) => withId(770 + k, g))];
        await writeCsv(file('three-zeros.csv'), [HEADER, ...rowsN], 'gbk');
        const res = await run(file('three-zeros.csv'));
        expect(res).toMatchObject({ inserted: 30, rejected: 0, errorsFile: null });
      });
    });

    describe('schools and scope', () => {
      it('a school-bound importer imports only into their own school', async () => {
        const mine = student(61);
        const other = student(62, { 学校标识码: '3636000002', 学校名称: '山口村小学' });
        const unknown = student(63, { 学校标识码: '3636009999', 学校名称: '新建村小学' });
        await writeCsv(file('scope.csv'), [HEADER, mine, other, unknown], 'gbk');
        const before = await snapshot(ctx);
        const res = await run(file('scope.csv'), seed.users.principal);
        expect(res).toMatchObject({ inserted: 1, rejected: 2 });
        expect((await snapshot(ctx)).schools).toBe(before.schools);
        const reasons = (await readErrors(res.errorsFile!)).slice(1).map((r) => r[1]);
        expect(reasons).toEqual([
          '只能导入本校的学生：该行的学校（山口村小学）不是您所在的学校',
          '学校标识码“3636009999”（新建村小学）在系统中不存在；只有教育局账号导入时可以新建学校',
        ]);
        const job = await one<{ school_id: number; user_id: number }>(ctx.db, sql`SELECT school_id, user_id FROM import_jobs WHERE id = ${res.jobId}`);
        expect(job).toEqual({ school_id: seed.schools.a.id, user_id: seed.users.principal.id });
      });

      it('a school-bound importer cannot take over a student of another school', async () => {
        const b = seed.students.find((s) => s.schoolId === seed.schools.b.id)!;
        const row = student(64, { 身份证号: b.idNumber, 全国学籍号: '', 姓名: b.name, 出生日期: '', 性别: '' });
        await writeCsv(file('transfer.csv'), [HEADER, row], 'utf8');
        const res = await run(file('transfer.csv'), seed.users.principal);
        expect(res).toMatchObject({ updated: 0, rejected: 1 });
        expect((await readErrors(res.errorsFile!))[1]![1]).toBe('该学生目前在其他学校就读；跨校转学须由教育局办理');
      });

      it('the bureau creates an unknown school from code and name, and its missing classes', async () => {
        const rows2 = [
          student(71, { 学校标识码: '3636000077', 学校名称: '石桥镇中学', 年级: '八年级', 班级: '5班' }),
          student(72, { 学校标识码: '3636000077', 学校名称: '石桥镇中学', 年级: '', 班级: '九年级(2)班' }),
          student(73, { 学校标识码: '3636000078', 学校名称: '' }),
        ];
        await writeCsv(file('newschool.csv'), [HEADER, ...rows2], 'utf8');
        const res = await run(file('newschool.csv'));
        expect(res).toMatchObject({ inserted: 2, rejected: 1 });
        const school = await one<Record<string, unknown>>(ctx.db, sql`SELECT id, name, name_pinyin, kind, location_type FROM schools WHERE code = '3636000077'`);
        expect(school).toMatchObject({ name: '石桥镇中学', name_pinyin: 'shiqiaozhenzhongxue', kind: '初级中学', location_type: '镇区' });
        const classes = await rows<{ name: string }>(ctx.db, sql`SELECT name FROM classes WHERE school_id = ${school!.id as number} AND school_year = ${schoolYearOf()}`);
        expect(classes.map((c) => c.name).sort()).toEqual(['九年级(2)班', '八年级(5)班']);
        expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'school.created' AND entity_id = ${String(school!.id)}`)).toBe(1);
        expect((await readErrors(res.errorsFile!))[1]![1]).toBe('学校标识码“3636000078”在系统中不存在；如需新建该学校，请在“学校名称”列填写校名');
      });

      it('rejects a grade the school does not teach, and creates no class for it', async () => {
        const rows3 = [
          student(95, { 学校标识码: '3636000081', 学校名称: '双河中学', 年级: '七年级', 班级: '1班' }),
          student(96, { 学校标识码: '3636000081', 学校名称: '双河中学', 年级: '四年级', 班级: '2班' }),
        ];
        await writeCsv(file('grade.csv'), [HEADER, ...rows3], 'utf8');
        const res = await run(file('grade.csv'));
        expect(res).toMatchObject({ inserted: 1, rejected: 1 });
        expect((await readErrors(res.errorsFile!))[1]!.slice(0, 2)).toEqual(['3', '该校（双河中学，初级中学）不设四年级，请核对年级或学校']);
        const classes = await rows<{ name: string }>(ctx.db, sql`SELECT c.name FROM classes c JOIN schools s ON s.id = c.school_id WHERE s.code = '3636000081'`);
        expect(classes.map((c) => c.name)).toEqual(['七年级(1)班']);
      });

      it('uses the chosen school for a file without school columns', async () => {
        const noSchool = HEADER.filter((h) => h !== '学校标识码' && h !== '学校名称');
        const r = student(81);
        await writeCsv(file('noschool.csv'), [noSchool, noSchool.map((h) => r[HEADER.indexOf(h)]!)], 'utf8');
        expect(await run(file('noschool.csv'), seed.users.bureau_admin, { defaultSchoolCode: '3636000002' })).toMatchObject({ inserted: 1 });
        expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM students WHERE id_number_hash = ${ctx.sealer.hash(idOf(r))} AND school_id = ${seed.schools.b.id}`)).toBe(1);
        // without a chosen school the bureau's rows name no school
        const again = student(82);
        await writeCsv(file('noschool2.csv'), [noSchool, noSchool.map((h) => again[HEADER.indexOf(h)]!)], 'utf8');
        const res = await run(file('noschool2.csv'));
        expect(res).toMatchObject({ inserted: 0, rejected: 1 });
      });
    });

    describe('atomicity', () => {
      it('a failure in the middle of the merge leaves the database exactly as before', async () => {
        await ctx.db.execute(sql.raw(`
          CREATE FUNCTION test_fail_enrollments() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'forced failure for the rollback test'; END $$`));
        await ctx.db.execute(sql.raw(`CREATE TRIGGER test_fail_enrollments BEFORE INSERT ON enrollments FOR EACH STATEMENT EXECUTE FUNCTION test_fail_enrollments()`));
        try {
          const fresh = [student(91), student(92, { 学校标识码: '3636000099', 学校名称: '回滚测试小学' }), student(93, { 班级: '9班' })];
          await writeCsv(file('fail.csv'), [HEADER, ...fresh], 'utf8');
          const before = await snapshot(ctx);
          const jobsBefore = await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM import_jobs`);
          const err = await run(file('fail.csv')).then(() => null, (e: Error) => e);
          expect(err?.message).toContain('数据库未做任何更改');
          expect(await snapshot(ctx)).toEqual(before);
          const job = await one<{ status: string; error_message: string }>(ctx.db, sql`SELECT status, error_message FROM import_jobs ORDER BY created_at DESC LIMIT 1`);
          expect(job!.status).toBe('failed');
          expect(job!.error_message).toContain('forced failure for the rollback test');
          expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM import_jobs`)).toBe(jobsBefore + 1);
        } finally {
          await ctx.db.execute(sql.raw('DROP TRIGGER test_fail_enrollments ON enrollments'));
          await ctx.db.execute(sql.raw('DROP FUNCTION test_fail_enrollments()'));
        }
      });

      it('a file that cannot be read fails with a Chinese message and changes nothing', async () => {
        fs.writeFileSync(file('nohead.csv'), '甲,乙,丙\n1,2,3\n');
        const before = await snapshot(ctx);
        await expect(run(file('nohead.csv'))).rejects.toThrow('没有找到表头');
        expect(await snapshot(ctx)).toEqual(before);
      });
    });

    describe('HTTP', () => {
      let app: Awaited<ReturnType<typeof testApp>>;
      beforeAll(async () => {
        app = await testApp(ctx);
      });

      it('uploads, reports progress to completion, lists the job and downloads the errors with a Chinese file name', async () => {
        const principal = await loginAgent(app, seed.users.principal);
        const content = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([HEADER, student(101), student(102, { 身份证号: '3.60102E+17' })].map((r) => r.join(',')).join('\r\n'))]);
        const up = await principal.upload('/api/imports/roster', { filename: '七年级花名册.csv', content, contentType: 'text/csv' });
        expect(up.status).toBe(200);
        const jobId = up.body.jobId as string;
        let job: Record<string, unknown> = {};
        for (let i = 0; i < 200; i++) {
          const res = await principal.get(`/api/imports/${jobId}`);
          expect(res.status).toBe(200);
          job = res.body;
          if (job.status !== 'running' && job.status !== 'queued') break;
          await new Promise((r) => setTimeout(r, 100));
        }
        expect(job).toMatchObject({ id: jobId, status: 'succeeded', fileName: '七年级花名册.csv', phase: 'done', inserted: 1, rejected: 1, hasErrors: true, processedRows: 2, totalRows: 2, schoolName: '城关第一小学' });
        // the upload (plain ID numbers) is gone once the import is over
        expect(fs.readdirSync(path.join(ctx.config.dataDir, 'imports')).filter((f) => f.startsWith(jobId) && !f.endsWith('-errors.xlsx'))).toEqual([]);

        const list = await principal.get('/api/imports?page=1&pageSize=5');
        expect(list.status).toBe(200);
        expect(list.body.items[0]).toMatchObject({ id: jobId, kind: 'roster', status: 'succeeded' });

        const dl = await principal.get(`/api/imports/${jobId}/errors`);
        expect(dl.status).toBe(200);
        expect(String(dl.headers['content-disposition'])).toContain(`filename*=UTF-8''${encodeURIComponent('七年级花名册-未导入的行.xlsx')}`);
        fs.writeFileSync(file('dl.xlsx'), dl.raw);
        expect((await readErrors(file('dl.xlsx')))[1]!.slice(0, 2)).toEqual(['3', idProblemMessage('scientific')]);
        expect(await countOf(ctx.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'import.errors_downloaded' AND entity_id = ${jobId}`)).toBe(1);

        // another school's principal and a teacher see nothing of it
        const other = await loginAgent(app, seed.users.principal_b);
        expect((await other.get(`/api/imports/${jobId}`)).status).toBe(404);
        expect((await other.get(`/api/imports/${jobId}/errors`)).status).toBe(404);
        expect((await other.get('/api/imports')).body.items.some((j: { id: string }) => j.id === jobId)).toBe(false);
        const teacher = await loginAgent(app, seed.users.teacher);
        expect((await teacher.get(`/api/imports/${jobId}`)).status).toBe(403);
        expect((await teacher.upload('/api/imports/roster', { filename: 'a.csv', content: 'x' })).status).toBe(403);
        // the bureau sees every job
        const admin = await loginAgent(app, seed.users.bureau_admin);
        expect((await admin.get(`/api/imports/${jobId}`)).status).toBe(200);
      });

      it('refuses a file type it cannot read', async () => {
        const admin = await loginAgent(app, seed.users.bureau_admin);
        const res = await admin.upload('/api/imports/roster', { filename: '名单.pdf', content: '%PDF-1.4' });
        expect(res.status).toBe(400);
        expect(res.body.message).toContain('不支持的文件格式');
      });

      it('reports a failed import on the job', async () => {
        const admin = await loginAgent(app, seed.users.bureau_admin);
        const up = await admin.upload('/api/imports/roster', { filename: 'bad.csv', content: '甲,乙\n1,2\n' });
        expect(up.status).toBe(200);
        let job: Record<string, unknown> = {};
        for (let i = 0; i < 100; i++) {
          job = (await admin.get(`/api/imports/${up.body.jobId}`)).body;
          if (job.status === 'failed' || job.status === 'succeeded') break;
          await new Promise((r) => setTimeout(r, 100));
        }
        expect(job).toMatchObject({ status: 'failed', hasErrors: false });
        expect(job.errorMessage).toContain('没有找到表头');
      });
    });
  },
  seedCounty,
);
