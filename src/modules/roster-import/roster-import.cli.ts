// `bangfu import roster <file> [--school <code>] [--json]`: the same import as the web
// upload, run as the bureau (region scope). Progress and the summary go to stderr when
// --json is given, so the JSON line is the last line on stdout.
import fs from 'node:fs';
import path from 'node:path';
import { one, sql } from '../../db/client.js';
import { createImportContext } from '../../server/bootstrap.js';
import { importProgressPrinter } from '../../lib/cli-progress.js';
import { AppError } from '../../server/errors.js';
import type { AppContext } from '../../server/context.js';
import { DataDirLockedError } from '../../db/data-dir-lock.js';
import { compileScope } from '../scope/scope.js';
import type { Actor } from '../audit/audit.repo.js';
import { importSummary } from './roster-import.schemas.js';
import { importRoster } from './roster-import.service.js';

const PHASE_ZH = { parsing: '读取并校验', merging: '写入数据库', done: '完成' } as const;

export async function importRosterCommand(file: string, opts: { school?: string; json?: boolean }): Promise<void> {
  const info = (line: string) => (opts.json ? process.stderr : process.stdout).write(line + '\n');
  const filePath = path.resolve(file);
  if (!fs.existsSync(filePath) || !fs.statSync(filePath).isFile()) {
    process.stderr.write(`找不到文件：${filePath}\n`);
    process.exitCode = 2;
    return;
  }
  const actor: Actor = { userId: null, name: '命令行导入' };
  const scope = compileScope({ id: 0, username: 'cli', displayName: '命令行导入', role: 'bureau_admin', schoolId: null, teacherId: null });
  const started = Date.now();
  let ctx: AppContext | undefined;
  try {
    // on PGlite: the engine with smaller buffers, this process only (IMPORT_PGLITE_SETTINGS)
    ctx = await createImportContext();
    if (process.env.BANGFU_IMPORT_TIMING === '1') {
      const b = await one<{ shared_buffers: string }>(ctx.db, sql`SHOW shared_buffers`);
      process.stderr.write(`[roster-import] database ${ctx.database.kind}, shared_buffers ${b?.shared_buffers}\n`);
    }
    const res = await importRoster(ctx, {
      filePath,
      fileName: path.basename(filePath),
      actor,
      scope,
      defaultSchoolCode: opts.school,
      onProgress: importProgressPrinter(PHASE_ZH, started),
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    info(`导入完成（${seconds} 秒）：新增 ${res.inserted} 人，更新 ${res.updated} 人，未变化 ${res.unchanged} 人，未导入 ${res.rejected} 行。`);
    if (res.errorsFile) info(`未导入的行及原因见：${res.errorsFile}`);
    if (opts.json) {
      // exactly the documented keys, in this order
      process.stdout.write(JSON.stringify(importSummary.parse(res)) + '\n');
    }
  } catch (err) {
    const message = err instanceof AppError || err instanceof DataDirLockedError ? err.message : `导入失败：${(err as Error).message}`;
    process.stderr.write(`${message}\n`);
    process.exitCode = 1;
    // a script reading the last line still gets one: nothing was written (the import is one
    // transaction), and why
    if (opts.json) process.stdout.write(JSON.stringify({ ...importSummary.parse({ inserted: 0, updated: 0, unchanged: 0, rejected: 0, errorsFile: null }), error: message }) + '\n');
  } finally {
    await ctx?.database.close();
  }
}
