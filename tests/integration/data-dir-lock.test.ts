// The embedded database is one process at a time (PGlite has no lock of its own; two engines on
// one folder lost an import's rows and once left a folder PGlite would not start on). While a
// process holds the folder — here this test, as `bangfu serve` would — a CLI command on it is
// refused with a Chinese message naming the holder, exits non-zero and changes nothing; once
// the holder closes the database, the same command runs.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { one, openDatabase, sql } from '../../src/db/client.js';
import { LOCK_FILE } from '../../src/db/data-dir-lock.js';
import { makeIdNumber } from '../../src/shared/id-number.js';
import { writeCsv } from '../fixtures/roster/roster-fixtures.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function bangfu(args: string[], dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, BANGFU_DATA_DIR: dataDir, BANGFU_LOG: '0' };
  delete env.DATABASE_URL;
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'bin/bangfu.mjs'), ...args], { cwd: ROOT, env, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

const lastLine = (s: string) => JSON.parse(s.trim().split('\n').pop()!) as Record<string, unknown>;

describe('the embedded database folder, held by another process', () => {
  it('refuses a CLI import with a message naming the holder, changes nothing, and runs once released', { timeout: 240_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-locked-'));
    dirs.push(dataDir);
    const file = path.join(dataDir, 'roster.csv');
    const rows = Array.from({ length: 12 }, (_, i) => ['3636000601', '锁测试小学', `锁测试${'甲乙丙丁戊己庚辛壬癸子丑'[i]}`, i % 2 ? '男' : '女',
      makeIdNumber('360102', `2014-03-1${i % 10}`, i * 2 + 1, i % 2 ? '1' : '2'), '二年级', '1班']);
    await writeCsv(file, [['学校标识码', '学校名称', '姓名', '性别', '身份证号', '年级', '班级'], ...rows], 'gbk');

    const held = await openDatabase({ dataDir });
    try {
      expect(JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
      const refused = await bangfu(['import', 'roster', file, '--json'], dataDir);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('正由另一个 bangfu 进程使用');
      expect(refused.stderr).toContain(`进程号 ${process.pid}`);
      expect(refused.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
      expect(lastLine(refused.stdout)).toMatchObject({ inserted: 0, updated: 0, unchanged: 0, rejected: 0, errorsFile: null });
      expect(String(lastLine(refused.stdout).error)).toContain('正由另一个 bangfu 进程使用');

      // any other command that opens the database: the same message, no stack trace
      const report = await bangfu(['report', 'bottom20', '--exam', '00000000-0000-0000-0000-000000000000'], dataDir);
      expect(report.code).toBe(1);
      expect(report.stderr).toContain('正由另一个 bangfu 进程使用');
      expect(report.stderr).not.toMatch(/\n\s+at /);

      expect((await one<{ n: number }>(held.db, sql`SELECT count(*)::int AS n FROM students`))!.n).toBe(0);
    } finally {
      await held.close();
    }
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);

    const ran = await bangfu(['import', 'roster', file, '--json'], dataDir);
    expect(ran.stderr).not.toContain('正由另一个');
    expect(ran.code).toBe(0);
    expect(lastLine(ran.stdout)).toEqual({ inserted: 12, updated: 0, unchanged: 0, rejected: 0, errorsFile: null });
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false); // the command released it on exit
  });
});
