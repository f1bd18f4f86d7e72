/**
 * Worker thread entry for parallel ingest: a thin shell around `UnitRunner` that only moves
 * messages. Protocol (all from `parallel.ts`):
 *
 *   → { type: 'init', options, layout, params, file }   a new input; fresh cells
 *   → { type: 'unit', unit, bytes }                      whole rows (bytes transferred)
 *   ← { type: 'unit', report }
 *   → { type: 'finish' }
 *   ← { type: 'cells', subscriptions, sketches }         aligned with the reported keys
 *   ← { type: 'error', message, stack }                  a bug, not an input problem
 */
import { parentPort } from 'node:worker_threads';
import type { HllParams } from '../sketch/index.js';
import type { ColumnLayout } from './ingester.js';
import type { IngestOptions } from './options.js';
import { UnitRunner } from './units.js';

export type ToWorker =
  | { type: 'init'; options: IngestOptions; layout: ColumnLayout; params: HllParams; file: string }
  | { type: 'unit'; unit: number; bytes: ArrayBuffer }
  | { type: 'finish' };

const port = parentPort;
if (port === null) throw new Error('worker.ts must run in a worker thread');

let runner: UnitRunner | undefined;
const allocate = (n: number): Uint8Array => Buffer.allocUnsafe(n);

port.on('message', (msg: ToWorker) => {
  try {
    if (msg.type === 'init') {
      runner = new UnitRunner(msg.options, msg.layout, msg.params, msg.file, allocate);
    } else if (msg.type === 'unit') {
      if (runner === undefined) throw new Error('unit before init');
      const report = runner.run(msg.unit, Buffer.from(msg.bytes));
      port.postMessage({ type: 'unit', report });
    } else {
      if (runner === undefined) throw new Error('finish before init');
      const { subscriptions, sketches } = runner.cells();
      runner = undefined;
      port.postMessage({ type: 'cells', subscriptions, sketches });
    }
  } catch (e) {
    port.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined });
  }
});
