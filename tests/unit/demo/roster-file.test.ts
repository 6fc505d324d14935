import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { ROSTER_COLUMNS, demoRosterRows, writeRosterFile, type RosterRow } from '../../../src/modules/demo/roster-file.js';
import { parseIdNumber } from '../../../src/shared/id-number.js';

const TODAY = new Date(2026, 10, 23);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-roster-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const rows: RosterRow[] = [...demoRosterRows({ students: 400, seed: 5, today: TODAY })];
const asArrays = rows.map((r) => ROSTER_COLUMNS.map((c) => r[c]));
const TITLE = '示范县2026年秋季学期学生花名册';

describe('demo roster rows', () => {
  it('are the students in the columns a school exports', () => {
    expect(rows).toHaveLength(400);
    for (const r of rows) {
      expect(Object.keys(r)).toEqual([...ROSTER_COLUMNS]);
      expect(r.学校标识码).toMatch(/^\d{10}$/);
      expect(r.全国学籍号).toBe('G' + r.身份证号);
      const id = parseIdNumber(r.身份证号, TODAY);
      expect(id.ok).toBe(true);
      if (id.ok) {
        expect(id.value.birthDate).toBe(r.出生日期);
        expect(id.value.sex === '1' ? '男' : '女').toBe(r.性别);
      }
      expect(r.班级.startsWith(r.年级)).toBe(true);
      expect(r.联系电话).toMatch(/^1\d{10}$/);
      expect(r.民族).toMatch(/族$/);
    }
  });

  it('are lazy and repeatable', () => {
    const again = demoRosterRows({ students: 400, seed: 5, today: TODAY });
    expect(again.next().value).toEqual(rows[0]);
  });
});

describe('writeRosterFile', () => {
  it('writes GBK CSV (as Excel and WPS save it) that decodes back to the same rows, title row first', async () => {
    const file = path.join(dir, 'r-gbk.csv');
    const res = await writeRosterFile(file, rows, 'csv-gbk', { titleRows: [TITLE] });
    expect(res.rows).toBe(400);
    const buf = fs.readFileSync(file);
    expect(res.bytes).toBe(buf.length);
    // GBK, not UTF-8: the UTF-8 decoding of the header is garbled
    expect(buf.toString('utf8')).not.toContain('学校标识码');
    const records = parse(iconv.decode(buf, 'gbk'), { relaxColumnCount: true }) as string[][];
    expect(records[0]![0]).toBe(TITLE);
    expect(records[1]).toEqual([...ROSTER_COLUMNS]);
    expect(records.slice(2)).toEqual(asArrays);
  });

  it('writes UTF-8 CSV with and without the BOM', async () => {
    const withBom = path.join(dir, 'r-bom.csv');
    const plain = path.join(dir, 'r-utf8.csv');
    await writeRosterFile(withBom, rows, 'csv-utf8-bom');
    await writeRosterFile(plain, rows, 'csv-utf8');
    const a = fs.readFileSync(withBom);
    const b = fs.readFileSync(plain);
    expect([...a.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(b[0]).not.toBe(0xef);
    expect(a.subarray(3).equals(b)).toBe(true);
    expect((parse(b.toString('utf8')) as string[][]).slice(1)).toEqual(asArrays);
  });

  it('writes .xlsx with a merged title row and the ID numbers as text', async () => {
    const file = path.join(dir, 'r.xlsx');
    await writeRosterFile(file, rows, 'xlsx', { titleRows: [TITLE] });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0]!;
    expect(ws.getCell(1, 1).value).toBe(TITLE);
    expect(ws.getCell(1, 1).isMerged).toBe(true);
    expect(ws.getCell(1, ROSTER_COLUMNS.length).isMerged).toBe(true);
    expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual([...ROSTER_COLUMNS]);
    expect(ws.rowCount).toBe(402);
    const read = Array.from({ length: 400 }, (_, i) => (ws.getRow(i + 3).values as unknown[]).slice(1));
    expect(read).toEqual(asArrays);
    expect(typeof ws.getCell(3, 7).value).toBe('string');
  });
});
