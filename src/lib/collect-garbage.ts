// A full garbage collection on demand, without starting node with --expose-gc (V8 reads that
// flag when a context is created, so a new vm context hands out its gc(); Jest's leak detector
// does the same). For the one place where the garbage of a long phase would otherwise still sit
// in the heap while the next phase grows other memory: the roster import on PGlite, between
// the parse and the merge (docs/roster-import.md, "PGlite memory").
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | null | undefined;

/** Runs a full collection; false when this V8 would not hand out gc() (nothing happens then). */
export function collectGarbage(): boolean {
  if (gc === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      const fn: unknown = vm.runInNewContext('gc');
      gc = typeof fn === 'function' ? (fn as () => void) : null;
    } catch {
      gc = null;
    } finally {
      // contexts created from now on (worker threads, other vm contexts) get no gc() of their own
      v8.setFlagsFromString('--no-expose-gc');
    }
  }
  if (!gc) return false;
  gc();
  return true;
}
