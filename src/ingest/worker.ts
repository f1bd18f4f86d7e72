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
 * see units.ts), each answered by { type: 'spare', hashes } (the packet's buffer back, for the
 * next one), and { type: 'done' } once this worker has its 'finish'.
 *
 * Cells go one batch per request, so that batches do not pile up in the reader's queue while it
 * takes the previous one.
 */
import { parentPort, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
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

type PeerMessage = { type: 'packet'; packet: ForwardPacket } | { type: 'spare'; hashes: Int32Array<ArrayBuffer> } | { type: 'done' };

const port = parentPort;
if (port === null) throw new Error('worker.ts must run in a worker thread');

/** One input: its runner, the ports to the peers, and how many peers have not said 'done'. */
class Input {
  readonly runner: UnitRunner;
  private waiting: number;
  private finished = false;

  constructor(
    msg: Extract<ToWorker, { type: 'init' }>,
    private readonly peers: Array<MessagePort | null>,
  ) {
    this.waiting = peers.length - 1;
    this.runner = new UnitRunner(msg.options, msg.layout, msg.params, msg.file, {
      chunks: BUFFER_CHUNKS,
      partition: {
        index: msg.index,
        count: peers.length,
        send: (peer, packet) => peers[peer]!.postMessage({ type: 'packet', packet } satisfies PeerMessage, [packet.hashes.buffer]),
      },
    });
    // Between units the peers' messages are read synchronously (drainPeers); the listeners serve
    // the time after 'finish', when no units come.
    peers.forEach((p, from) => p?.on('message', (m: PeerMessage) => guarded(() => this.fromPeer(from, m))));
  }

  /**
   * Reads what the peers sent so far. Needed between units: Node delivers a port's messages in
   * runs of up to 1000 while more keep arriving, and units arrive all the time, so a peer's
   * packets (and their buffers) would wait for hundreds of units.
   */
  drainPeers(): void {
    this.peers.forEach((p, from) => {
      if (p === null) return;
      for (let m = receiveMessageOnPort(p); m !== undefined; m = receiveMessageOnPort(p)) this.fromPeer(from, m.message as PeerMessage);
    });
  }

  finish(): void {
    this.runner.finish();
    for (const p of this.peers) p?.postMessage({ type: 'done' } satisfies PeerMessage);
    this.finished = true;
    this.drainPeers();
    this.reportFinished();
  }

  close(): void {
    for (const p of this.peers) p?.close();
  }

  private fromPeer(from: number, m: PeerMessage): void {
    if (m.type === 'packet') {
      this.runner.receive(from, m.packet);
      const { hashes } = m.packet;
      this.peers[from]!.postMessage({ type: 'spare', hashes } satisfies PeerMessage, [hashes.buffer]);
    } else if (m.type === 'spare') {
      this.runner.reuse(from, m.hashes);
    } else {
      this.waiting--;
      this.reportFinished();
    }
  }

  /** Tells the reader once 'finish' came and every peer is done. */
  private reportFinished(): void {
    if (this.finished && this.waiting === 0) {
      this.waiting = -1; // once
      port!.postMessage({ type: 'finished' });
    }
  }
}

let input: Input | undefined;

function guarded(f: () => void): void {
  try {
    f();
  } catch (e) {
    port!.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined });
  }
}

port.on('message', (msg: ToWorker) =>
  guarded(() => {
    if (msg.type === 'init') {
      input = new Input(msg, msg.peers);
      return;
    }
    if (input === undefined) throw new Error(`${msg.type} before init`);
    if (msg.type === 'unit') {
      input.drainPeers();
      const report = input.runner.run(msg.unit, Buffer.from(msg.bytes, 0, msg.length));
      port.postMessage({ type: 'unit', report, bytes: msg.bytes }, [msg.bytes]);
      input.drainPeers();
    } else if (msg.type === 'finish') {
      input.finish();
    } else {
      const batch = input.runner.takeCells(msg.limits);
      if (batch.last) {
        input.close();
        input = undefined;
      }
      port.postMessage({ type: 'cells', batch }, [batch.subscriptions.buffer, batch.kinds.buffer, batch.ends.buffer, batch.bytes.buffer]);
    }
  }),
);
