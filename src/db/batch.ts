// Batching of independent single-row statements that many requests make at once (group commit,
// batched reads). A call is queued; the queue is run as one statement when the event loop has
// finished the current turn (setImmediate: every request whose data arrived in the same turn
// joins), or, while `maxConcurrent` batches are already running, as soon as one of them ends — so
// an idle server adds no wait, and a busy one writes bigger batches instead of queueing statements
// on the pool. Each caller gets its own result: `run` answers with one value or Error per item (an
// Error rejects that caller only); a rejection of `run` rejects the whole batch.
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Queryable } from './client.js';

export interface BatchOptions {
  /** most items in one batch (bounds the statement's parameters) */
  maxSize?: number;
  /** batches running at once; further calls wait and are run together */
  maxConcurrent?: number;
}

export type Batched<I, O> = (item: I) => Promise<O>;

export function batcher<I, O>(run: (items: readonly I[]) => Promise<readonly (O | Error)[]>, opts: BatchOptions = {}): Batched<I, O> {
  // one statement of up to 200 at a time: on the record-save benchmark (200 connections, quiet 2-core
  // machine, three alternating runs) p95 96 / 94 / 91 ms against 112 / 113 / 94 ms for two of up to 100
  // (bigger batches cost less CPU a save: 0.22-0.24 ms against 0.22-0.29 ms in the server)
  const maxSize = opts.maxSize ?? 200;
  const maxConcurrent = opts.maxConcurrent ?? 1;
  let queue: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  let scheduled = false;
  let running = 0;
  const schedule = () => {
    if (scheduled || queue.length === 0 || running >= maxConcurrent) return;
    scheduled = true;
    setImmediate(flush);
  };
  const flush = () => {
    scheduled = false;
    while (queue.length > 0 && running < maxConcurrent) {
      const batch = queue.length <= maxSize ? queue : queue.slice(0, maxSize);
      queue = queue.length <= maxSize ? [] : queue.slice(maxSize);
      running++;
      const settle = (out: readonly (O | Error)[] | null, err?: unknown) => {
        running--;
        batch.forEach((b, i) => {
          const o = out?.[i];
          if (!out) b.reject(err);
          else if (o instanceof Error) b.reject(o);
          else if (i >= out.length) b.reject(new Error('batch: no result for an item'));
          else b.resolve(o as O);
        });
        schedule();
      };
      let p: Promise<readonly (O | Error)[]>;
      try {
        p = run(batch.map((b) => b.item));
      } catch (e) {
        p = Promise.reject(e);
      }
      p.then((out) => settle(out), (e) => settle(null, e));
    }
  };
  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      schedule();
    });
}

/**
 * One batcher per database handle (tests open several). A transaction is never batched with other
 * callers' work: `direct` runs its item alone on it.
 */
export function perDatabase<I, O>(
  make: (q: Queryable) => Batched<I, O>,
  direct: (q: Queryable, item: I) => Promise<O>,
): (q: Queryable, item: I) => Promise<O> {
  const made = new WeakMap<object, Batched<I, O>>();
  return (q, item) => {
    if (q instanceof PgTransaction) return direct(q, item);
    let b = made.get(q);
    if (!b) made.set(q, (b = make(q)));
    return b(item);
  };
}

/**
 * A batch as one statement (`many`); if that statement fails — a database error, or one item's data
 * it could not take — each item is run again alone (`one`), so only the items that fail by
 * themselves fail (each with its own error).
 */
export async function manyOrEach<I, O>(items: readonly I[], many: (items: readonly I[]) => Promise<readonly O[]>, one: (item: I) => Promise<O>): Promise<(O | Error)[]> {
  if (items.length === 1) return [await one(items[0]!)];
  try {
    return [...(await many(items))];
  } catch {
    return Promise.all(items.map((it) => one(it).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))))));
  }
}

/**
 * The usual shape of the above: a query for many items (`many`, answering in the items' order)
 * made a per-item call whose calls of the same moment share one run of it, with each item run alone
 * when the shared run fails, and run directly inside a transaction.
 */
export function batchedQuery<I, O>(many: (q: Queryable, items: readonly I[]) => Promise<readonly O[]>, opts?: BatchOptions): (q: Queryable, item: I) => Promise<O> {
  const alone = async (q: Queryable, item: I) => (await many(q, [item]))[0] as O;
  return perDatabase((q) => batcher((items) => manyOrEach(items, (all) => many(q, all), (it) => alone(q, it)), opts), alone);
}
