/**
 * Worker thread entry for parallel ingest: a thin shell around `UnitRunner` that only moves
 * messages. Protocol (all from `parallel.ts`):
 *
 *   → { type: 'init', options, layout, params, file,     a new input: fresh cells
 *       measureEvery }
 *   → { type: 'unit', unit, bytes, length }              whole rows: bytes[0, length) (transferred)
 *   ← { type: 'unit', report, bytes }                    the unit's buffer back, for reuse
 *   → { type: 'cells', limits, keep }                    the next batch of cells (buffers
 *   ← { type: 'cells', batch }                           transferred), until batch.last; keep: a
 *     … repeated until batch.last                        hand-over mid-input, units go on between
 *                                                        the batches and after; otherwise the end
 *                                                        of the input: no units until the next init
 *   ← { type: 'error', message, stack }                  a bug, not an input problem
 *
 * Cells go one batch per request, so that batches do not pile up in the reader's queue while it
 * merges the previous one.
 */
import { parentPort } from 'node:worker_threads';
import type { HllParams } from '../sketch/index.js';
import type { ColumnLayout } from './ingester.js';
import type { IngestOptions } from './options.js';
import { BUFFER_CHUNKS } from './sources.js';
import { UnitRunner, type BatchLimits } from './units.js';

export type ToWorker =
  | { type: 'init'; options: IngestOptions; layout: ColumnLayout; params: HllParams; file: string; measureEvery: number }
  | { type: 'unit'; unit: number; bytes: ArrayBuffer; length: number }
  | { type: 'cells'; limits: BatchLimits; keep: boolean };

const port = parentPort;
if (port === null) throw new Error('worker.ts must run in a worker thread');

let runner: UnitRunner | undefined;

port.on('message', (msg: ToWorker) => {
  try {
    if (msg.type === 'init') {
      runner = new UnitRunner(msg.options, msg.layout, msg.params, msg.file, { chunks: BUFFER_CHUNKS, measureEvery: msg.measureEvery });
    } else if (msg.type === 'unit') {
      if (runner === undefined) throw new Error('unit before init');
      const report = runner.run(msg.unit, Buffer.from(msg.bytes, 0, msg.length));
      port.postMessage({ type: 'unit', report, bytes: msg.bytes }, [msg.bytes]);
    } else {
      if (runner === undefined) throw new Error('cells before init');
      const batch = runner.takeCells(msg.limits, msg.keep);
      if (batch.last && !msg.keep) runner = undefined;
      port.postMessage({ type: 'cells', batch }, [batch.subscriptions.buffer, batch.ends.buffer, batch.bytes.buffer]);
    }
  } catch (e) {
    port.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined });
  }
});
