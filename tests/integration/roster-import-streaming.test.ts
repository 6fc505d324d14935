// The import service streams: it stages the rows batch by batch while the file is still being
// read, rather than collecting the rows first (readers-streaming.test.ts proves the readers
// stream; this proves parseIntoStaging does not undo it). When the first batch is staged, the
// last row of the file is changed on disk, in place: the import must see the change. A service
// that read the whole file before staging anything would import the row as it was.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importRoster, parseTuning } from '../../src/modules/roster-import/roster-import.service.js';
import { idCheckChar } from '../../src/shared/id-number.js';
import { describeOnBackends } from '../helpers/db.js';
import { callerOf, seedCounty } from '../helpers/seed.js';
import { STANDARD_HEADER, makeStudents, studentCells, writeCsv } from '../fixtures/roster/roster-fixtures.js';

const saved = { ...parseTuning };
const ROWS = 12_000;

describeOnBackends(
  'roster import stages while it reads',
  (getCtx, kind, getSeed) => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), `roster-streaming-${kind}-`));
    });
    afterAll(() => {
      Object.assign(parseTuning, saved);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('a change to the last row made after the first batch is staged is what gets imported', { timeout: 180_000 }, async () => {
      const ctx = getCtx();
      const u = getSeed().users.bureau_admin;
      const as = callerOf(u);
      const students = makeStudents(ROWS, { schools: [{ code: '3636000001', name: '城关第一小学' }] });
      const file = path.join(dir, 'roster.csv');
      await writeCsv(file, [['城关第一小学学生花名册'], [...STANDARD_HEADER], ...students.map((s, i) => studentCells(s, i))], 'gbk');
      const size = fs.statSync(file).size;

      // the last student's check character, in place (same length): GBK trail bytes are never ',' or digits
      const last = students[ROWS - 1]!.idNumber;
      const at = fs.readFileSync(file).lastIndexOf(Buffer.from(`,${last},`)) + last.length;
      expect(at).toBeGreaterThan(size * 0.99);
      const wrong = idCheckChar(last.slice(0, 17)) === '1' ? '2' : '1';

      // small batches: the first is staged long before the reader (~0.5 MiB ahead) nears the end (~2 MB)
      Object.assign(parseTuning, { batchRows: 100 });
      let firstStaged = -1;
      const res = await importRoster(ctx, {
        filePath: file, fileName: 'roster.csv', ...as,
        onProgress: ({ processedRows, phase }) => {
          if (phase !== 'parsing' || processedRows === 0 || firstStaged >= 0) return;
          firstStaged = processedRows;
          const fd = fs.openSync(file, 'r+');
          try {
            fs.writeSync(fd, wrong, at);
          } finally {
            fs.closeSync(fd);
          }
        },
      });
      expect(firstStaged).toBeGreaterThan(0);
      expect(firstStaged).toBeLessThan(ROWS / 2);
      expect(res).toMatchObject({ inserted: ROWS - 1, rejected: 1 });

      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(res.errorsFile!);
      const sheet: string[][] = [];
      wb.worksheets[0]!.eachRow((row) => sheet.push((row.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))));
      // title row, header, then the data: the last student is file row ROWS + 2
      expect(sheet.slice(1).map((r) => Number(r[0]))).toEqual([ROWS + 2]);
      expect(sheet[1]![1]).toContain('身份证号');
    });
  },
  seedCounty,
);
