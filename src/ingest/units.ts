/**
 * A worker's side of parallel ingest: units of whole rows in, per-unit reports and (at the end)
 * local cells out. No I/O and no territory tree — the same class runs in a worker thread
 * (`worker.ts`) or in the calling thread.
 *
 * A unit is a byte range that starts at a row start and ends at a row end (the reader cuts it so,
 * see `parallel.ts`), so a fresh scanner reads it exactly as a sequential scan would. Line numbers
 * inside a unit count from 1; the reader turns them into file lines once it knows how many lines
 * the earlier units had.
 *
 * Territory codes are not checked here: every (territory, facets) key gets a local cell and is
 * reported once, with the unit and line where this worker first saw it. The reader resolves each
 * key through the tree; rows of a key whose territory turns out invalid are then rejected (their
 * cell is dropped), which gives the same outcome as the sequential path, where each such row is
 * refused on sight.
 *
 * Keys split between runners (`KeyPartition`): every runner reads rows of every key, but only the
 * key's owner (`ownerOf`, a hash of the key's text) keeps a sketch of it; the others count the
 * key's subscriptions and forward its hashes — (local id, hash) triples, the key's text once —
 * in a packet per unit. So each sketch is held once among the workers instead of once per worker
 * (a worker would otherwise hold nearly the whole cube: every key occurs everywhere in the file),
 * and the cells come back disjoint: the reader adopts them instead of merging copies. The owner
 * makes a local id for a key it has not read yet (`Ingester.keyOf`); if it reads one of its rows
 * later, it reports that sighting (unit and line) for the reader's first-error order.
 *
 * At the end the cells leave in batches (`takeCells`), each cell's sketch copied out and then let
 * go, so the worker shrinks while the reader takes them: copying them all at once held every cell
 * twice in each worker, and a copy of the bytes in the reader.
 */
import type { Cell } from '../cube/index.js';
import { isReachtreeError } from '../errors.js';
import { HllSketch, WIRE_KINDS, type HllParams } from '../sketch/index.js';
import { Ingester, type CellSource, type ChunkClass, type ColumnLayout, type KeyRoute, type RowIssue } from './ingester.js';
import type { IngestOptions } from './options.js';

/** A key this runner made a local cell for: first seen in a row at `line` of the current unit, or (line undefined) named by another runner's forwarded hashes. */
export interface UnitKey {
  readonly territory: string;
  readonly facetValues: readonly string[];
  readonly line: number | undefined;
}

/** A key reported before without a line (named by another runner) that a row of this unit has now, at `line`; `key` is its position among the reported keys. */
export interface KeySighting {
  readonly key: number;
  readonly line: number;
}

export interface UnitReport {
  readonly unit: number;
  /** Lines the unit spans (rows, blank lines and newlines inside quotes). */
  readonly lines: number;
  /** Data rows, rejected ones included. */
  readonly rows: number;
  readonly rejected: number;
  /** Default mode: the invalid row that stopped the unit. */
  readonly error: RowIssue | undefined;
  /** skipInvalid: the first rejected row of the unit (line and reason). */
  readonly firstReject: { readonly line: number; readonly reason: string } | undefined;
  /** Keys made since the last report, in the order their cells were made. */
  readonly newKeys: readonly UnitKey[];
  readonly sightings: readonly KeySighting[];
}

/** How runners split the keys: this one is `index` of `count`; `send` delivers a packet to runner `peer`'s `receive(index, packet)`, in order. */
export interface KeyPartition {
  readonly index: number;
  readonly count: number;
  send(peer: number, packet: ForwardPacket): void;
}

/**
 * Hashes one runner forwards to a key's owner: keys it names for the first time, then `count`
 * (sender's local id, lo, hi) triples at the start of `hashes` — a buffer that goes back to the
 * sender for the next packet (`UnitRunner.reuse`) once received.
 */
export interface ForwardPacket {
  readonly keys: ReadonlyArray<{ readonly id: number; readonly territory: string; readonly facetValues: string[] }>;
  readonly hashes: Int32Array<ArrayBuffer>;
  readonly count: number;
}

export interface UnitRunnerExtras {
  /** The class of the chunks (Node: `BUFFER_CHUNKS`), see IngesterInit.chunks. */
  readonly chunks?: ChunkClass;
  /** Keys split between runners (default: this runner keeps every key's sketch). */
  readonly partition?: KeyPartition;
}

/**
 * The runner (0 … count − 1) that keeps the sketch of a key: FNV-1a of the key's text, mixed
 * (MurmurHash3's fmix32) before the modulo — FNV's low bits are weak: alone, the lowest one is the
 * parity of the characters' low bits. Every runner computes the same owner from the same text.
 */
export function ownerOf(territory: string, facetValues: readonly string[], count: number): number {
  let h = 0x811c9dc5;
  const mix = (text: string): void => {
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0xff, 0x01000193); // a separator no UTF-16 unit equals: ("ab","c") ≠ ("a","bc")
  };
  mix(territory);
  for (const v of facetValues) mix(v);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % count;
}

/**
 * Consecutive cells of a worker, aligned with the keys it reported (in report order): cell j of
 * the batch is key `first + j` (`batchSketch` reads its sketch). Sketches travel as wires (see
 * sketch/state.ts), not storage bytes: the reader adopts the arrays as they are, where decoding
 * took ~2 s of the reader's time at the end of 50 M rows (and the workers as long to encode).
 * Each array has its own buffer, so a batch can be transferred between threads without copying.
 */
export interface CellBatch {
  readonly first: number;
  /** Keys made after the last unit report (named by other runners' last packets), before this batch's cells are matched. */
  readonly newKeys: readonly UnitKey[];
  readonly subscriptions: Float64Array<ArrayBuffer>;
  /** Per cell, its wire's kind (an index into WIRE_KINDS) … */
  readonly kinds: Uint8Array<ArrayBuffer>;
  /** … and its data: `bytes[ends[j - 1] ?? 0, ends[j])`, whole 32-bit words. */
  readonly ends: Uint32Array<ArrayBuffer>;
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** No cells follow: the runner holds none any more. */
  readonly last: boolean;
}

/** How much one batch carries: it closes once it reaches either limit (so it may pass maxBytes by one sketch). */
export interface BatchLimits {
  readonly maxBytes: number;
  readonly maxCells: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = Object.freeze({ maxBytes: 4 << 20, maxCells: 4096 });

/** The sketch of cell j of a batch, adopting the batch's bytes (no copy). */
export function batchSketch(batch: CellBatch, j: number, params: HllParams): HllSketch {
  const kind = WIRE_KINDS[batch.kinds[j]!];
  if (kind === undefined) throw new RangeError(`cell batch: unknown wire kind ${batch.kinds[j]} at cell ${j}`);
  return HllSketch.fromWire(params, kind, batch.bytes.subarray(j === 0 ? 0 : batch.ends[j - 1], batch.ends[j]));
}

/** Triples a forward packet holds at most before it is sent (the rest of a unit goes in the next one). */
const PACKET_HASHES = 1 << 15;
/** Packet buffers back from a peer kept for reuse; past this they are let go. */
const SPARE_PACKETS = 4;

/**
 * Records keys as they are made. The ingester gathers each key's sketch and subscriptions
 * itself (its arena, taken key by key in `takeCells`), so every key gets the same placeholder
 * cell, which is never written (the ingester defers its flush) and only lends its parameters.
 */
class DeferredCells implements CellSource {
  count = 0;
  newKeys: UnitKey[] = [];
  sightings: KeySighting[] = [];
  private readonly placeholder: Cell;

  constructor(params: HllParams) {
    this.placeholder = { subscriptions: 0, sketch: HllSketch.empty(params) };
  }

  cellFor(territory: string, facetValues: string[], line: number | undefined): Cell {
    this.count++;
    this.newKeys.push({ territory, facetValues, line });
    return this.placeholder;
  }
}

/** The route of a runner in a partition: which keys it keeps, and packets of the others' hashes. */
class PartitionRoute implements KeyRoute {
  /** Owner of each local id. */
  private owner = new Int32Array(1024);
  private readonly outbox: Array<{ keys: Array<ForwardPacket['keys'][number]>; hashes: Int32Array<ArrayBuffer>; n: number }>;
  /**
   * Packet buffers the peers gave back, for the next packets: a new buffer per packet (a unit
   * forwards ~160 KB) would be garbage in the receiving worker until its next full GC, so the
   * packets' memory would depend on when that comes; a few buffers going round keep it fixed.
   */
  private readonly spare: Array<Array<Int32Array<ArrayBuffer>>>;
  /** Per sender: its local id → ours. */
  private readonly fromPeer: Int32Array[];

  constructor(
    private readonly partition: KeyPartition,
    private readonly deferred: DeferredCells,
  ) {
    this.outbox = Array.from({ length: partition.count }, () => ({ keys: [], hashes: newPacketBuffer(), n: 0 }));
    this.spare = Array.from({ length: partition.count }, () => []);
    this.fromPeer = Array.from({ length: partition.count }, () => new Int32Array(0));
  }

  keeps(id: number, territory: string, facetValues: readonly string[]): boolean {
    const owner = ownerOf(territory, facetValues, this.partition.count);
    if (id >= this.owner.length) {
      const grown = new Int32Array(2 * Math.max(id, 512));
      grown.set(this.owner);
      this.owner = grown;
    }
    this.owner[id] = owner;
    if (owner === this.partition.index) return true;
    this.outbox[owner]!.keys.push({ id, territory, facetValues: [...facetValues] });
    return false;
  }

  forward(id: number, lo: number, hi: number): void {
    const peer = this.owner[id]!;
    const box = this.outbox[peer]!;
    const o = 3 * box.n;
    box.hashes[o] = id;
    box.hashes[o + 1] = lo;
    box.hashes[o + 2] = hi;
    if (++box.n === PACKET_HASHES) this.send(peer);
  }

  sighted(id: number, line: number): void {
    this.deferred.sightings.push({ key: id, line });
  }

  /** Sends every packet that holds something. */
  flush(): void {
    for (let peer = 0; peer < this.outbox.length; peer++) {
      const box = this.outbox[peer]!;
      if (box.n > 0 || box.keys.length > 0) this.send(peer);
    }
  }

  /** Adds the hashes of a packet from runner `from` to the keys' sketches here. */
  receive(from: number, packet: ForwardPacket, ingester: Ingester): void {
    let ours = this.fromPeer[from]!;
    for (const { id, territory, facetValues } of packet.keys) {
      if (id >= ours.length) {
        const grown = new Int32Array(Math.max(2 * ours.length, id + 1, 1024));
        grown.set(ours);
        this.fromPeer[from] = ours = grown;
      }
      ours[id] = ingester.keyOf(territory, facetValues);
    }
    const h = packet.hashes;
    const end = 3 * packet.count;
    for (let o = 0; o < end; o += 3) ingester.addHash(ours[h[o]!]!, h[o + 1]!, h[o + 2]!);
  }

  reuse(peer: number, hashes: Int32Array<ArrayBuffer>): void {
    const spare = this.spare[peer]!;
    if (hashes.length === 3 * PACKET_HASHES && spare.length < SPARE_PACKETS) spare.push(hashes);
  }

  private send(peer: number): void {
    const box = this.outbox[peer]!;
    const packet = { keys: box.keys, hashes: box.hashes, count: box.n };
    box.hashes = this.spare[peer]!.pop() ?? newPacketBuffer();
    box.keys = [];
    box.n = 0;
    this.partition.send(peer, packet);
  }
}

function newPacketBuffer(): Int32Array<ArrayBuffer> {
  return new Int32Array(3 * PACKET_HASHES);
}

export class UnitRunner {
  private readonly deferred: DeferredCells;
  private readonly ingester: Ingester;
  private readonly route: PartitionRoute | undefined;
  /** The input ended: no more units (nor packets once cells are being taken). */
  private ended = false;
  private taking = false;
  /** Keys whose cells takeCells has taken. */
  private taken = 0;
  private unit = -1;
  private rowsBefore = 0;
  private rejectedBefore = 0;
  private error: RowIssue | undefined;
  private firstReject: { line: number; reason: string } | undefined;
  private stopped = false;

  constructor(options: IngestOptions, layout: ColumnLayout, params: HllParams, file: string, extras: UnitRunnerExtras = {}) {
    const { chunks, partition } = extras;
    this.deferred = new DeferredCells(params);
    this.route = partition === undefined ? undefined : new PartitionRoute(partition, this.deferred);
    this.ingester = new Ingester({
      options,
      cells: this.deferred,
      file,
      layout,
      deferFlush: true,
      ...(chunks !== undefined ? { chunks } : {}),
      ...(this.route !== undefined ? { route: this.route } : {}),
      onReject: (r) => {
        this.firstReject ??= { line: r.line, reason: r.reason };
      },
    });
  }

  /** Processes one unit of whole rows and reports on it. */
  run(unit: number, bytes: Uint8Array): UnitReport {
    this.begin(unit);
    this.push(bytes, true);
    return this.end();
  }

  begin(unit: number): void {
    const ingester = this.live();
    this.unit = unit;
    ingester.startUnit(1);
    this.rowsBefore = ingester.rows;
    this.rejectedBefore = ingester.rejected;
    this.error = undefined;
    this.firstReject = undefined;
    this.stopped = false;
  }

  /** Feeds bytes of the current unit; an invalid row in default mode ends the unit. */
  push(chunk: Uint8Array, final: boolean): void {
    if (this.stopped) return;
    const ingester = this.live();
    try {
      ingester.push(chunk, final);
    } catch (e) {
      const issue = ingester.lastIssue;
      if (!isReachtreeError(e) || issue === undefined) throw e;
      this.error = issue;
      this.stopped = true;
    }
  }

  /** Ends the unit: sends what it forwards and reports. */
  end(): UnitReport {
    const ingester = this.live();
    this.route?.flush();
    const { newKeys, sightings } = this.deferred;
    this.deferred.newKeys = [];
    this.deferred.sightings = [];
    return {
      unit: this.unit,
      lines: ingester.nextLine - 1,
      rows: ingester.rows - this.rowsBefore,
      rejected: ingester.rejected - this.rejectedBefore,
      error: this.error,
      firstReject: this.firstReject,
      newKeys,
      sightings,
    };
  }

  /** A packet from runner `from` of the partition (until the cells are taken). */
  receive(from: number, packet: ForwardPacket): void {
    if (this.route === undefined || this.taking) throw new Error('UnitRunner: a forwarded packet outside a partition or after the cells were taken');
    this.route.receive(from, packet, this.ingester);
  }

  /** A packet's buffer back from runner `peer`, which received it: the next packets to that peer reuse it. */
  reuse(peer: number, hashes: Int32Array<ArrayBuffer>): void {
    this.route?.reuse(peer, hashes);
  }

  /** The input ended: no units from now on (packets from the other runners still arrive until every one has ended too). */
  finish(): void {
    this.ended = true;
  }

  /**
   * The next batch of local cells, in the order of the reported keys; each cell is emptied once
   * its bytes are in the batch. The first call ends the input (and, in a partition, must come after
   * every other runner's last packet arrived).
   */
  takeCells(limits: BatchLimits = DEFAULT_BATCH_LIMITS): CellBatch {
    this.ended = true;
    this.taking = true;
    const newKeys = this.deferred.newKeys;
    this.deferred.newKeys = [];
    const count = this.deferred.count;
    const first = this.taken;
    const pieces: Uint8Array[] = [];
    const kinds: number[] = [];
    const subscriptions: number[] = [];
    let size = 0;
    let i = first;
    while (i < count && (i === first || (size < limits.maxBytes && i - first < limits.maxCells))) {
      const cell = this.ingester.takeLocal(i++);
      const { kind, data } = cell.sketch.toWire();
      pieces.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)); // the sketch is let go: a view is enough
      kinds.push(WIRE_KINDS.indexOf(kind));
      subscriptions.push(cell.subscriptions);
      size += data.byteLength;
    }
    this.taken = i;
    const out = new Uint8Array(size);
    const ends = new Uint32Array(pieces.length);
    let at = 0;
    pieces.forEach((p, j) => {
      out.set(p, at);
      at += p.length;
      ends[j] = at;
    });
    return { first, newKeys, subscriptions: Float64Array.from(subscriptions), kinds: Uint8Array.from(kinds), ends, bytes: out, last: i >= count };
  }

  private live(): Ingester {
    if (this.ended) throw new Error('UnitRunner: no units once the input ended');
    return this.ingester;
  }
}
