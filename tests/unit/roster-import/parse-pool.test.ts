// The parse worker threads stage exactly what the main thread would (same checks, same
// hashes with the same key, ciphertexts that open to the same values), and a worker that
// cannot start leaves its batches to the main thread.
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createIdSealer } from '../../../src/modules/privacy/sealed-ids.js';
import { detectHeader, type SheetRow } from '../../../src/modules/roster-import/header-detection.js';
import { ParsePool } from '../../../src/modules/roster-import/parse-pool.js';
import { createRowStager, type StagedChunk, type StagerOptions } from '../../../src/modules/roster-import/stage-rows.js';
import { idCheckChar, idProblemMessage, makeIdNumber } from '../../../src/shared/id-number.js';
import { makeStudents, STANDARD_HEADER, studentCells } from '../../fixtures/roster/roster-fixtures.js';

const secret = crypto.randomBytes(32);
const sealer = createIdSealer(secret);
const header = detectHeader([{ rowNo: 1, cells: [...STANDARD_HEADER] }]);
if (!header.ok) throw new Error('header not found');
const options: StagerOptions = { columns: header.columns, defaultSchoolCode: null, today: Date.now(), jobId: 'job-1' };

/** 3 batches of 5 rows: valid ones, a bad ID, a blank row (skipped) and a note under the table */
function batches(): SheetRow[][] {
  const cells = makeStudents(12).map((s, i) => studentCells(s, i));
  cells[3]![7] = '3.60102E+17';
  const rows: SheetRow[] = cells.map((c, i) => ({ rowNo: i + 2, cells: c }));
  rows.push({ rowNo: 14, cells: STANDARD_HEADER.map(() => '') }, { rowNo: 15, cells: ['制表人：张老师'] }, { rowNo: 16, cells: cells[0]!.map((c, i) => (i === 4 ? '未知' : c)) });
  return [rows.slice(0, 5), rows.slice(5, 10), rows.slice(10)];
}

/** COPY lines with the ciphertext columns (random IVs) opened, so two stagings can be compared. */
function opened(c: StagedChunk): string[][] {
  return c.copy!.toString('utf8').split('\n').filter(Boolean).map((line) => line.split('\t').map((v, col) => {
    if (![4, 8, 11].includes(col) || v === '\\N') return v;
    return sealer.open(Buffer.from(v.slice(3), 'hex')); // '\\x' + hex
  }));
}

let pool: ParsePool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('ParsePool', () => {
  it('stages batches in worker threads exactly as the main thread does', { timeout: 30_000 }, async () => {
    const here = createRowStager(sealer, options);
    pool = new ParsePool(2, { secret, options }, () => {
      throw new Error('the main thread should not be needed');
    });
    while (!pool.readyCount) {
      expect(pool.alive).toBe(true);
      await new Promise((r) => setTimeout(r, 10));
    }
    const inWorkers = await Promise.all(batches().map((b) => pool!.run(b)));
    const onMain = batches().map((b) => here(b));
    expect(inWorkers.map((c) => [c.staged, c.dataRows])).toEqual([[5, 5], [5, 5], [3, 3]]);
    expect(inWorkers.map(opened)).toEqual(onMain.map(opened));
    // and count the ID cells the same (the whole-file rule on IDs Excel stored as numbers)
    expect(inWorkers.map((c) => [c.ids, c.zeroIds])).toEqual(onMain.map((c) => [c.ids, c.zeroIds]));
    expect(inWorkers[0]!.ids).toEqual({ withId: 5, zerosValid: 0, zerosInvalid: 0 });
    const all = inWorkers.flatMap(opened);
    // the 学籍号 and the ID open to the file's values; the bad rows carry their cells, sealed
    expect(all[0]![8]).toBe(batches()[0]![0]!.cells[8]);
    expect(all[0]![11]).toBe(batches()[0]![0]!.cells[7]);
    const rejected = all.filter((l) => l[2] === 'rejected');
    expect(rejected.map((l) => l[1])).toEqual(['5', '16']);
    expect(JSON.parse(rejected[0]![4]!)).toEqual(batches()[0]![3]!.cells);
    expect(pool.stats.workerBatches).toBe(3);
  });

  it('brings the ID counts and the rows whose ID ends in 000 back from a worker as the main thread has them', { timeout: 30_000 }, async () => {
    // a genuine ID ending in 000 (sequence x00, check digit 0) and one truncated by Excel
    let zero = '';
    let birth = '';
    for (let d = 1; !zero; d++) {
      birth = `2012-03-${String(d).padStart(2, '0')}`;
      const id = makeIdNumber('360121', birth, 500, '2');
      if (id.endsWith('000')) zero = id;
    }
    const cells = makeStudents(4).map((s, i) => studentCells(s, i));
    Object.assign(cells[1]!, { 4: '女', 6: birth, 7: zero, 8: 'G' + zero });
    const truncated = cells[2]![7]!.slice(0, 15) + '000';
    expect(idCheckChar(truncated.slice(0, 17))).not.toBe('0'); // this one fails its checksum
    cells[2]![7] = truncated;
    const rows: SheetRow[] = cells.map((c, i) => ({ rowNo: i + 2, cells: c }));
    const here = createRowStager(sealer, options)(rows);
    pool = new ParsePool(1, { secret, options }, () => {
      throw new Error('the main thread should not be needed');
    });
    while (!pool.readyCount) await new Promise((r) => setTimeout(r, 10));
    const there = await pool.run(rows);
    expect(here.zeroIds).toEqual({ rowNos: [3], reasons: [idProblemMessage('scientific')], valid: 1 });
    expect(here.ids).toEqual({ withId: 4, zerosValid: 1, zerosInvalid: 1 });
    expect(here.rejected).toBe(1);
    expect([there.ids, there.zeroIds]).toEqual([here.ids, here.zeroIds]);
  });

  it('falls back to the main thread when a worker cannot start', { timeout: 30_000 }, async () => {
    let here = 0;
    const stage = createRowStager(sealer, options);
    // no secret: the worker throws while loading
    pool = new ParsePool(1, { secret: undefined as unknown as Uint8Array, options }, (rows) => {
      here++;
      return stage(rows);
    });
    while (pool.alive) await new Promise((r) => setTimeout(r, 10));
    expect(pool.readyCount).toBe(0);
    const c = await pool.run(batches()[0]!);
    expect(c.staged).toBe(5);
    expect(here).toBe(1);
  });
});
