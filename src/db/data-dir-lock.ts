// One process at a time on an embedded database. PGlite runs PostgreSQL inside the process that
// opens it, in single-user mode, with no lock of its own on the data folder: a CLI import while
// `bangfu serve` holds the same folder would make two engines write the same files (the server
// would not even see the import's rows, and the folder can be corrupted). So whoever opens the
// folder leaves a lock file beside it, with its process id; a second process is refused with a
// Chinese message saying who holds it. A lock left by a process that no longer runs (kill -9,
// a crash) is taken over.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const LOCK_FILE = 'pgdata.lock';

export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `内嵌数据库（${dataDir}）正由另一个 bangfu 进程使用（进程号 ${holder.pid}：${holder.command}，${holder.startedAt} 起）。` +
        '内嵌数据库同一时间只能由一个进程打开：请先停止该进程（例如正在运行的 bangfu serve），或在网页上导入，' +
        '或用 DATABASE_URL 连接 PostgreSQL 服务器（可同时被多个进程使用）。',
    );
    this.name = 'DataDirLockedError';
  }
}

/** Whether the process that wrote `holder` may still run (same machine, pid alive and a Node process). */
export function holderAlive(holder: LockHolder): boolean {
  if (holder.host !== os.hostname()) return true; // another machine's (a shared folder): cannot tell, assume it runs
  if (!Number.isInteger(holder.pid) || holder.pid <= 0) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // a pid reused by another program since the holder died (containers restart with low pids)
  try {
    return fs.readFileSync(`/proc/${holder.pid}/cmdline`, 'utf8').includes('node');
  } catch {
    return true; // no /proc: the pid is alive, trust it
  }
}

function readRaw(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function parseHolder(raw: string | null): LockHolder | null {
  try {
    const h = JSON.parse(raw ?? '') as LockHolder;
    return typeof h?.pid === 'number' ? h : null;
  } catch {
    return null; // half-written by a process killed while writing it (older code): stale
  }
}

/** Locks held by this process: the same folder opened twice here shares one lock. */
const held = new Map<string, { count: number; content: string }>();

/**
 * Takes the data folder's lock, or throws DataDirLockedError naming the process that has it.
 * Returns the release function (idempotent).
 */
export function lockDataDir(dataDir: string): () => void {
  const dir = path.resolve(dataDir);
  const file = path.join(dir, LOCK_FILE);
  const mine = held.get(file);
  if (mine) {
    mine.count++;
    return once(() => release(file));
  }
  fs.mkdirSync(dir, { recursive: true });
  const holder: LockHolder = {
    pid: process.pid,
    host: os.hostname(),
    command: process.argv.slice(2, 4).join(' ') || 'node',
    startedAt: new Date().toISOString(),
  };
  const content = JSON.stringify(holder);
  for (let attempt = 0; ; attempt++) {
    // written whole to a file of our own, then linked to the lock's name: creating the name is
    // atomic, and whoever reads it never sees a half-written holder
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    fs.writeFileSync(tmp, content);
    try {
      fs.linkSync(tmp, file);
      held.set(file, { count: 1, content });
      return once(() => release(file));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    const raw = readRaw(file);
    if (raw === null && attempt < 20) continue; // released meanwhile
    const other = parseHolder(raw);
    if (other && holderAlive(other)) throw new DataDirLockedError(dir, other);
    if (attempt >= 3) throw new DataDirLockedError(dir, other ?? { pid: 0, host: os.hostname(), command: '?', startedAt: '?' });
    // stale: remove it, unless another process has replaced it meanwhile, and try again
    if (readRaw(file) === raw) fs.rmSync(file, { force: true });
  }
}

function release(file: string): void {
  const mine = held.get(file);
  if (!mine) return;
  if (--mine.count > 0) return;
  held.delete(file);
  try {
    if (fs.readFileSync(file, 'utf8') === mine.content) fs.rmSync(file, { force: true });
  } catch {
    /* already gone */
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
