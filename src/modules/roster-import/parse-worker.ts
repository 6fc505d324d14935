// A roster parse worker thread: stages the batches of file rows the main thread sends it
// (createRowStager: checks, sealing, pinyin, hashes, COPY text) and sends the encoded
// batch back; the main thread writes it to the staging table. Started by parse-pool.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { createIdSealer } from '../privacy/sealed-ids.js';
import type { SheetRow } from './header-detection.js';
import { createRowStager, type StagedChunk, type StagerOptions } from './stage-rows.js';

export interface ParseWorkerData {
  /** the ID sealer's secret (this process's own, handed to its thread) */
  secret: Uint8Array;
  options: StagerOptions;
}
export interface ParseWorkerRequest {
  seq: number;
  rows: SheetRow[];
}
export type ParseWorkerReply = { ready: true } | { seq: number; chunk: StagedChunk } | { seq: number; error: string };

const port = parentPort!;
const data = workerData as ParseWorkerData;
const stage = createRowStager(createIdSealer(Buffer.from(data.secret)), data.options);

port.on('message', (m: ParseWorkerRequest) => {
  let chunk: StagedChunk;
  try {
    chunk = stage(m.rows);
  } catch (err) {
    // the main thread runs the batch again itself and reports the error properly
    port.postMessage({ seq: m.seq, error: (err as Error).message } satisfies ParseWorkerReply);
    return;
  }
  // the COPY bytes and the keys move to the main thread without a copy when they own their memory
  const transfer: ArrayBuffer[] = [chunk.keys.buffer as ArrayBuffer];
  const c = chunk.copy;
  if (c.byteOffset === 0 && c.byteLength === c.buffer.byteLength) transfer.push(c.buffer as ArrayBuffer);
  port.postMessage({ seq: m.seq, chunk } satisfies ParseWorkerReply, transfer);
});
port.postMessage({ ready: true } satisfies ParseWorkerReply);
