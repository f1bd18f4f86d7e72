/**
 * Worker thread entry for parallel ingest: a thin shell around `UnitRunner` that only moves
 * messages. Protocol with the reader (`parallel.ts`):
 *
 *   → { type: 'init', options, layout, params, file,     a new input: fresh cells, and a port to
 *       index, peers }                                   each other worker (peers[index] is null)
 *   → { type: 'unit', unit, bytes, length }              whole rows: bytes[0, length) (transferred)
 *   ← { type: 'unit', report, bytes }                    the unit's buffer back, for reuse
 *   → { type: 'finish' }                                 the input ended: no more units
 *   ← { type: 'finished' }                               … and every peer's last packet arrived
 *   → { type: 'cells', limits }                          the next batch of cells (buffers
 *   ← { type: 'cells', batch }                           transferred), until batch.last
 *   ← { type: 'error', message, stack }                  a bug, not an input problem
 *
 * and with each peer, over its port: { type: 'packet', packet } (hashes of keys the peer owns,
 * see units.ts), then { type: 'done' } once this worker has its 'finish'.
 *
 * Cells go one batch per request, so that batches do not pile up in the reader's queue while it
 * merges the previous one.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import type { HllParams } from '../sketch/index.js';
import type { ColumnLayout } from './ingester.js';
import type { IngestOptions } from './options.js';
import { BUFFER_CHUNKS } from './sources.js';
import { UnitRunner, type BatchLimits, type ForwardPacket } from './units.js';

export type ToWorker =
  | { type: 'init'; options: IngestOptions; layout: ColumnLayout; params: HllParams; file: string; index: number; peers: Array<MessagePort | null> }
  | { type: 'unit'; unit: number; bytes: ArrayBuffer; length: number }
  | { type: 'finish' }
  | { type: 'cells'; limits: BatchLimits };

type PeerMessage = { type: 'packet'; packet: ForwardPacket } | { type: 'done' };

const port = parentPort;
if (port === null) throw new Error('worker.ts must run in a worker thread');

/** The current input: its runner, its peer ports, and the peers whose 'done' is still awaited (-1 before 'finish'). */
let input: { runner: UnitRunner; peers: Array<MessagePort | null>; waiting: number; finished: boolean } | undefined;

function fail(e: unknown): void {
  port!.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined });
}

/** Tells the reader once 'finish' came and every peer is done. */
function maybeFinished(): void {
  if (input !== undefined && input.finished && input.waiting === 0) port!.postMessage({ type: 'finished' });
}

port.on('message', (msg: ToWorker) => {
  try {
    if (msg.type === 'init') {
      const { index, peers } = msg;
      const runner = new UnitRunner(msg.options, msg.layout, msg.params, msg.file, {
        chunks: BUFFER_CHUNKS,
        partition: {
          index,
          count: peers.length,
          send: (peer, packet) => peers[peer]!.postMessage({ type: 'packet', packet } satisfies PeerMessage, [packet.hashes.buffer]),
        },
      });
      const current = { runner, peers, waiting: peers.length - 1, finished: false };
      input = current;
      peers.forEach((p, from) =>
        p?.on('message', (m: PeerMessage) => {
          try {
            if (m.type === 'packet') current.runner.receive(from, m.packet);
            else {
              current.waiting--;
              maybeFinished();
            }
          } catch (e) {
            fail(e);
          }
        }),
      );
    } else {
      if (input === undefined) throw new Error(`${msg.type} before init`);
      if (msg.type === 'unit') {
        const report = input.runner.run(msg.unit, Buffer.from(msg.bytes, 0, msg.length));
        port.postMessage({ type: 'unit', report, bytes: msg.bytes }, [msg.bytes]);
      } else if (msg.type === 'finish') {
        input.runner.finish();
        for (const p of input.peers) p?.postMessage({ type: 'done' } satisfies PeerMessage);
        input.finished = true;
        maybeFinished();
      } else {
        const batch = input.runner.takeCells(msg.limits);
        if (batch.last) {
          for (const p of input.peers) p?.close();
          input = undefined;
        }
        port.postMessage({ type: 'cells', batch }, [batch.subscriptions.buffer, batch.ends.buffer, batch.bytes.buffer]);
      }
    }
  } catch (e) {
    fail(e);
  }
});
