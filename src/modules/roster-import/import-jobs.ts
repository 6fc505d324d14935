/**
 * What every file import (roster and exam scores) shares about its job: the live progress of
 * jobs running in this process, where the errors file goes, the messages of a failed or
 * interrupted import, and the original cells of rejected rows for the errors file. Kept apart
 * from the roster importer so that the exam importer does not load the roster's name search
 * (pinyin, Traditional↔Simplified) at start.
 */
import path from 'node:path';
import type { AppContext } from '../../server/context.js';
import type { SheetRow } from './header-detection.js';
import { openRows } from './readers.js';
import type { ImportPhase } from './roster-import.schemas.js';

export const INTERRUPTED_MESSAGE = '导入被中断（进程意外退出或服务重启），数据库未做任何更改，请重新导入';

export interface LiveJob {
  id: string;
  /** absent: a roster import */
  kind?: 'roster' | 'exam';
  fileName: string;
  userId: number | null;
  schoolId: number | null;
  actorName: string;
  createdAt: Date;
  processedRows: number;
  phase: ImportPhase;
}

/** Jobs running in this process, for live progress (the database row lags by a heartbeat). */
export const liveJobs = new Map<string, LiveJob>();

/**
 * Another importer's job (kind 'exam') running in this process: GET /api/imports/:id shows
 * its live progress like a roster's. Returns the function that ends the tracking.
 */
export function trackLiveJob(job: LiveJob): () => void {
  liveJobs.set(job.id, job);
  return () => {
    liveJobs.delete(job.id);
  };
}

export function errorsFilePath(ctx: AppContext, jobId: string): string {
  return path.join(ctx.config.dataDir, 'imports', `${jobId}-errors.xlsx`);
}

/** The deepest message of a wrapped error, without the query text and its parameters (they hold personal data). */
export function rootMessage(err: unknown): string {
  let e: unknown = err;
  while (e instanceof Error && (e as Error & { cause?: unknown }).cause instanceof Error) e = (e as Error & { cause: Error }).cause;
  const msg = e instanceof Error ? e.message : String(e);
  return msg.startsWith('Failed query:') ? '数据库语句执行失败' : msg.slice(0, 300);
}

/**
 * Fills in the original cells of rows the merge rejected (only rows rejected while parsing
 * have them staged) by reading the file once more, in step with the rejected rows: both
 * are in row order, so nothing is held in memory and the file is read only when needed.
 */
export async function* withOriginalCells(
  rejected: AsyncGenerator<{ rowNo: number; reason: string; cells: string[] | null }>,
  filePath: string,
  fileName: string,
): AsyncGenerator<{ rowNo: number; reason: string; cells: string[] }> {
  let file: AsyncGenerator<SheetRow> | null = null;
  let current: SheetRow | undefined;
  try {
    for await (const r of rejected) {
      if (r.cells) {
        yield { ...r, cells: r.cells };
        continue;
      }
      file ??= (await openRows(filePath, fileName)).rows;
      while (!current || current.rowNo < r.rowNo) {
        const next = await file.next();
        if (next.done) break;
        current = next.value;
      }
      yield { ...r, cells: current?.rowNo === r.rowNo ? current.cells : [] };
    }
  } finally {
    await file?.return(undefined);
  }
}
