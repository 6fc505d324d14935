// The embedded database's folder lock: a second process is refused and told who holds the
// folder; a lock whose process is gone (kill -9, crash) is taken over; the same process may
// open the folder twice; a release removes only its own lock.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from '../../../src/db/data-dir-lock.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
const tmpDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-lock-'));
  dirs.push(d);
  return d;
};
const holderFile = (dir: string, pid: number) =>
  fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid, host: os.hostname(), command: 'serve', startedAt: '2026-12-02T08:00:00.000Z' }));

/** another Node process that stays alive until killed */
async function otherNode(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  await new Promise((r) => child.once('spawn', r));
  return child;
}

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('lockDataDir', () => {
  it('writes a lock naming this process, and removes it on release', () => {
    const dir = tmpDir();
    const release = lockDataDir(dir);
    const holder = JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8'));
    expect(holder.pid).toBe(process.pid);
    release();
    release(); // idempotent
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it('refuses a folder another running process holds, naming it, in Chinese', async () => {
    const dir = tmpDir();
    const other = await otherNode();
    holderFile(dir, other.pid!);
    let error: unknown;
    try {
      lockDataDir(dir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as Error).message).toContain(`进程号 ${other.pid}`);
    expect((error as Error).message).toContain('同一时间只能由一个进程打开');
    // the other process's lock is left as it was
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(other.pid);
  });

  it('takes over the lock of a process that is gone (killed), or a garbled lock file', async () => {
    const dir = tmpDir();
    const other = await otherNode();
    holderFile(dir, other.pid!);
    other.kill('SIGKILL');
    await new Promise((r) => other.once('exit', r));
    const release = lockDataDir(dir);
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    release();
    fs.writeFileSync(path.join(dir, LOCK_FILE), '{"pid":');
    lockDataDir(dir)();
  });

  it('lets the same process open the folder twice; the lock stays until both release', () => {
    const dir = tmpDir();
    const a = lockDataDir(dir);
    const b = lockDataDir(dir);
    a();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(true);
    b();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it('a release does not remove a lock that is no longer its own', async () => {
    const dir = tmpDir();
    const release = lockDataDir(dir);
    const other = await otherNode();
    holderFile(dir, other.pid!); // e.g. taken over after this process was thought gone
    release();
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(other.pid);
  });
});
