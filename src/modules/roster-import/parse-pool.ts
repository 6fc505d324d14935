// Worker threads that stage batches of roster rows in parallel (parse-worker.ts), so the
// per-row CPU work (checks, AES-GCM + HMAC sealing, pinyin, hashes, COPY text) is spread over
// the machine's cores while the main thread reads the file and writes staging.
//
// The sources are TypeScript, run through tsx's loader, which a worker thread does not
// inherit; registering it in every worker cost ~1.5 s and ~25 MB each (measured). Instead the
// worker's module graph is bundled by esbuild (the compiler tsx itself runs on) into one plain
// script, and the workers run that. The CLI bundle (bin/cli-bundle.mjs) builds it beside its
// own code once per change of the sources; run from the sources (tests, BANGFU_TSX=1), it is
// bundled once per process (~0.3 s).
//
// A worker that fails (it cannot start, or it throws) is retired and its batches are staged
// on the main thread instead: the import goes on, a bit slower, and a real error in the
// staging code surfaces there with its stack.
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { projectPath, projectRoot } from '../../shared/project-root.js';
import type { SheetRow } from './header-detection.js';
import type { ParseWorkerData, ParseWorkerReply, ParseWorkerRequest } from './parse-worker.js';
import type { StagedChunk } from './stage-rows.js';

/** See start(). */
const YOUNG_GENERATION_MB = 16;

/** In the CLI bundle: the worker script built beside it (esbuild `define`); absent when the sources run directly. */
declare const __BANGFU_PARSE_WORKER__: string | undefined;

let bundled: Promise<string> | null = null;

/** parse-worker.ts and everything it imports as one CommonJS script (the CLI bundle's, else built once per process, ~0.3 s). */
function workerScript(): Promise<string> {
  bundled ??= (async () => {
    if (typeof __BANGFU_PARSE_WORKER__ === 'string') {
      try {
        return await fs.promises.readFile(__BANGFU_PARSE_WORKER__, 'utf8');
      } catch {
        // the bundle's folder was tidied away under a long-running process: build it here
      }
    }
    const esbuild = await import('esbuild');
    try {
      const out = await esbuild.build({
        entryPoints: [projectPath('src/modules/roster-import/parse-worker.ts')],
        bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'silent',
        define: { __BANGFU_ROOT__: JSON.stringify(projectRoot()) },
      });
      return out.outputFiles[0]!.text;
    } finally {
      // the compiler runs as a child process: end it, it is not needed again
      await esbuild.stop();
    }
  })();
  bundled.catch(() => {
    bundled = null;
  });
  return bundled;
}

/** Starts bundling the worker's code ahead of need (errors surface when a pool starts). */
export function prepareParseWorkers(): void {
  workerScript().catch(() => undefined);
}

interface Pending {
  rows: SheetRow[];
  resolve: (c: StagedChunk) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  dead: boolean;
  pending: Map<number, Pending>;
}

export class ParsePool {
  private readonly slots: Slot[] = [];
  private seq = 0;
  /** batches staged by workers / by the main thread standing in for a failed worker */
  readonly stats = { workerBatches: 0, fallbackBatches: 0, readyMs: null as number | null };
  private readonly started = performance.now();

  private closed = false;
  private failed = false;

  constructor(
    size: number,
    data: ParseWorkerData,
    /** stages a batch on the main thread (the same function the workers run) */
    private readonly fallback: (rows: SheetRow[]) => StagedChunk,
  ) {
    workerScript().then(
      (script) => {
        if (!this.closed) for (let i = 0; i < size; i++) this.slots.push(this.start(script, data));
      },
      (err: Error) => {
        this.failed = true;
        process.stderr.write(`[roster-import] 无法启动解析线程，改由主线程解析：${err.message}\n`);
      },
    );
  }

  private start(script: string, data: ParseWorkerData): Slot {
    const worker = new Worker(script, { eval: true, workerData: data, stdout: false, stderr: false,
      // a bounded young generation: the rows' garbage is collected before it piles up. Measured
      // (200,000-row CSV into PostgreSQL, one worker): 4 MB cost ~3 s more CPU in the collector
      // and made the parse no faster than on one thread; 8 MB parse 13.5–13.9 s, peak 447–469 MB;
      // 16 MB 11.7–12.1 s, 470–479 MB; 32 MB 11.7–12.2 s, 489–491 MB (load average ~2)
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    // the workers must not keep the process alive
    worker.unref();
    const slot: Slot = { worker, ready: false, dead: false, pending: new Map() };
    worker.on('message', (m: ParseWorkerReply) => {
      if ('ready' in m) {
        slot.ready = true;
        this.stats.readyMs ??= performance.now() - this.started;
        return;
      }
      const p = slot.pending.get(m.seq);
      if (!p) return;
      slot.pending.delete(m.seq);
      if ('error' in m) {
        this.runHere(p);
        return;
      }
      const c = m.chunk;
      // a transferred Uint8Array arrives without Buffer's prototype
      p.resolve({ ...c, copy: Buffer.from(c.copy.buffer, c.copy.byteOffset, c.copy.byteLength) });
      this.stats.workerBatches++;
    });
    const retire = (err: Error | null) => {
      if (slot.dead) return;
      slot.dead = true;
      if (err) process.stderr.write(`[roster-import] 解析线程出错，改由主线程继续：${err.message}\n`);
      const left = [...slot.pending.values()];
      slot.pending.clear();
      for (const p of left) this.runHere(p);
    };
    worker.on('error', (err) => retire(err));
    worker.on('exit', (code) => retire(code === 0 ? null : new Error(`exit code ${code}`)));
    return slot;
  }

  private runHere(p: Pending): void {
    this.stats.fallbackBatches++;
    try {
      p.resolve(this.fallback(p.rows));
    } catch (err) {
      p.reject(err);
    }
  }

  /** Workers that have loaded and are alive. */
  get readyCount(): number {
    return this.slots.filter((s) => s.ready && !s.dead).length;
  }

  /** False once the workers could not start, or every one of them has failed. */
  get alive(): boolean {
    return !this.failed && !this.closed && (this.slots.length === 0 || this.slots.some((s) => !s.dead));
  }

  /** True when a ready worker has fewer than `depth` batches in hand. */
  hasRoom(depth: number): boolean {
    return this.slots.some((s) => s.ready && !s.dead && s.pending.size < depth);
  }

  /** Sends a batch to the ready worker with the fewest batches in hand (call when hasRoom). */
  run(rows: SheetRow[]): Promise<StagedChunk> {
    let best: Slot | undefined;
    for (const s of this.slots) if (s.ready && !s.dead && (!best || s.pending.size < best.pending.size)) best = s;
    if (!best) return Promise.resolve().then(() => this.fallback(rows));
    const seq = ++this.seq;
    const slot = best;
    return new Promise<StagedChunk>((resolve, reject) => {
      slot.pending.set(seq, { rows, resolve, reject });
      slot.worker.postMessage({ seq, rows } satisfies ParseWorkerRequest);
    });
  }

  /** Stops the workers (after the last batch; or on failure, when batches still in hand no longer matter). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map(async (s) => {
      s.dead = true;
      s.pending.clear();
      await s.worker.terminate();
    }));
  }
}
