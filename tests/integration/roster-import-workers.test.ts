// A roster parsed in worker threads (parse-pool.ts) imports exactly as one parsed on the main
// thread: same rows accepted and rejected, same row numbers and reasons in the errors file,
// the same sealing key (a re-import parsed on the main thread finds every row unchanged).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { one } from '../../src/db/client.js';
import { importRoster, parseTuning } from '../../src/modules/roster-import/roster-import.service.js';
import { idProblemMessage } from '../../src/shared/id-number.js';
import { describeOnBackends } from '../helpers/db.js';
import { callerOf, seedCounty } from '../helpers/seed.js';
import { makeStudents, STANDARD_HEADER, studentCells, writeCsv } from '../fixtures/roster/roster-fixtures.js';

const saved = { ...parseTuning };

describeOnBackends(
  'roster import parsed in worker threads',
  (getCtx, kind, getSeed) => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), `roster-workers-${kind}-`));
    });
    afterAll(() => {
      Object.assign(parseTuning, saved);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('accepts, rejects and reports the same rows, and seals with the same key as the main thread', { timeout: 120_000 }, async () => {
      const ctx = getCtx();
      const u = getSeed().users.bureau_admin;
      const as = callerOf(u);
      const students = makeStudents(40, { schools: [{ code: '3636000001', name: '城关第一小学' }] });
      const cells = students.map((s, i) => studentCells(s, i));
      cells[5]![7] = '3.60102E+17'; // rejected while parsing (file row 8)
      const conflict = [...cells[20]!];
      conflict[3] = '另一个名字'; // same ID and 学籍号 as file row 23, other content: both rejected by the merge
      const rows = [...cells.slice(0, 30), cells[10]!, STANDARD_HEADER.map(() => ''), ...cells.slice(30), conflict];
      const file = path.join(dir, 'roster.csv');
      await writeCsv(file, [['城关第一小学学生花名册'], [...STANDARD_HEADER], ...rows], 'gbk');

      // 43 rows after the header: on PostgreSQL every batch of 7 goes to one of two workers; PGlite
      // (whose inserts run on the main thread and are the limit there) stages on the main thread
      Object.assign(parseTuning, { workers: 2, batchRows: 7, startAfterRows: 0, waitForWorkers: true, mainHelps: false });
      const res = await importRoster(ctx, { filePath: file, fileName: 'roster.csv', ...as });
      expect(parseTuning.lastStats).toEqual(kind === 'postgres' ? { workers: 2, workerBatches: 7, mainBatches: 0 } : { workers: 0, workerBatches: 0, mainBatches: 7 });
      // 40 students: 1 bad ID, 2 conflicting rows (the original and the variant), 1 exact repeat counted once
      expect(res).toMatchObject({ inserted: 38, updated: 0, unchanged: 0, rejected: 3 });

      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(res.errorsFile!);
      const sheet: string[][] = [];
      wb.worksheets[0]!.eachRow((row) => sheet.push((row.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))));
      expect(sheet.slice(1).map((r) => [Number(r[0]), r[1]])).toEqual([
        [8, idProblemMessage('scientific')],
        [23, '与第 45 行的学籍号相同，但其他内容不同：同一学生在文件中只能出现一次，请核对后只保留一行'],
        [45, '与第 23 行的学籍号相同，但其他内容不同：同一学生在文件中只能出现一次，请核对后只保留一行'],
      ]);
      // the original cells, as typed: staged sealed (row 8) or read back from the file (rows 23, 45)
      expect(sheet[1]!.slice(2)).toEqual(cells[5]);
      expect(sheet[3]!.slice(2)).toEqual(conflict);

      const s = await one<{ enc: Buffer; noEnc: Buffer; pinyin: string }>(ctx.db, sql`
        SELECT id_number_enc AS enc, student_no_enc AS "noEnc", name_pinyin AS pinyin FROM students WHERE id_number_hash = ${ctx.sealer.hash(students[0]!.idNumber)}`);
      expect(ctx.sealer.open(s!.enc)).toBe(students[0]!.idNumber);
      expect(ctx.sealer.open(s!.noEnc)).toBe(students[0]!.studentNo);
      expect(s!.pinyin).toMatch(/^[a-z]+$/);

      // parsed on the main thread this time: every hash matches what the workers computed
      Object.assign(parseTuning, { workers: 0 });
      expect(await importRoster(ctx, { filePath: file, fileName: 'roster.csv', ...as })).toMatchObject({ inserted: 0, updated: 0, unchanged: 38, rejected: 3 });
      expect(parseTuning.lastStats).toMatchObject({ workers: 0, workerBatches: 0 });
      expect(await one(ctx.db, sql`SELECT count(*)::int AS n FROM roster_import_staging`)).toEqual({ n: 0 });
    });
  },
  seedCounty,
);
