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
 * At the end the cells leave in batches (`takeCells`), each cell's sketch serialised and then let
 * go, so the worker shrinks while the reader merges: serialising them all at once held every
 * cell twice (object and bytes) in each worker, and a copy of the bytes in the reader. Every
 * `measureEvery` bytes of units a report also says how much heap the cells take (an estimate
 * from the sketches), so that the reader can have them merged before the end of the input when
 * they grow past its budget: N workers would otherwise each hold nearly the whole cube.
 */
import type { Cell } from '../cube/index.js';
import { isReachtreeError } from '../errors.js';
import { HllSketch, type HllParams } from '../sketch/index.js';
import { Ingester, type CellSource, type ChunkClass, type ColumnLayout, type RowIssue } from './ingester.js';
import type { IngestOptions } from './options.js';

/** A key seen for the first time (by this worker), at `line` of the current unit. */
export interface UnitKey {
  readonly territory: string;
  readonly facetValues: readonly string[];
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
  /** Keys first seen in this unit, in the order their cells were created. */
  readonly newKeys: readonly UnitKey[];
  /** Estimated heap bytes of all local cells, when measured after this unit (see `measureEvery`). */
  readonly cellBytes: number | undefined;
}

export interface UnitRunnerExtras {
  /** The class of the chunks (Node: `BUFFER_CHUNKS`), see IngesterInit.chunks. */
  readonly chunks?: ChunkClass;
  /** Measure the cells' heap after a unit once this many unit bytes passed since the last time (default: never). */
  readonly measureEvery?: number;
}

/**
 * Heap of a local cell beside its sketch: the cell object, its key (strings, facet array) and
 * its key-table entry; a rough allowance (≈ what Node 20 takes for a two-field key).
 */
const CELL_OVERHEAD_BYTES = 200;

/**
 * Consecutive cells of a worker, aligned with the keys it reported (in report order): cell j of
 * the batch is key `first + j`. Its sketch's bytes are `bytes[ends[j - 1] ?? 0, ends[j])`. Each
 * array has its own buffer, so a batch can be transferred between threads without copying.
 */
export interface CellBatch {
  readonly first: number;
  readonly subscriptions: Float64Array<ArrayBuffer>;
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

/**
 * Records keys as they are first seen. The ingester gathers each key's sketch and subscriptions
 * itself (its arena, taken key by key in `takeCells`), so every key gets the same placeholder
 * cell, which is never written (the ingester defers its flush) and only lends its parameters.
 */
class DeferredCells implements CellSource {
  count = 0;
  newKeys: UnitKey[] = [];
  private readonly placeholder: Cell;

  constructor(params: HllParams) {
    this.placeholder = { subscriptions: 0, sketch: HllSketch.empty(params) };
  }

  cellFor(territory: string, facetValues: string[], line: number): Cell {
    this.count++;
    this.newKeys.push({ territory, facetValues, line });
    return this.placeholder;
  }
}

export class UnitRunner {
  private readonly deferred: DeferredCells;
  private readonly ingester: Ingester;
  /** The input ended: cells are being taken for good, no more units. */
  private ended = false;
  /** Keys whose cells the current round of takeCells has taken. */
  private taken = 0;
  private unit = -1;
  private rowsBefore = 0;
  private rejectedBefore = 0;
  private error: RowIssue | undefined;
  private firstReject: { line: number; reason: string } | undefined;
  private stopped = false;
  private readonly measureEvery: number;
  private sinceMeasured = 0;

  constructor(options: IngestOptions, layout: ColumnLayout, params: HllParams, file: string, extras: UnitRunnerExtras = {}) {
    const { chunks, measureEvery = Infinity } = extras;
    this.measureEvery = measureEvery;
    this.deferred = new DeferredCells(params);
    this.ingester = new Ingester({
      options,
      cells: this.deferred,
      file,
      layout,
      deferFlush: true,
      ...(chunks !== undefined ? { chunks } : {}),
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
    this.sinceMeasured += chunk.length;
    try {
      ingester.push(chunk, final);
    } catch (e) {
      const issue = ingester.lastIssue;
      if (!isReachtreeError(e) || issue === undefined) throw e;
      this.error = issue;
      this.stopped = true;
    }
  }

  end(): UnitReport {
    const ingester = this.live();
    const newKeys = this.deferred.newKeys;
    this.deferred.newKeys = [];
    let cellBytes: number | undefined;
    if (this.sinceMeasured >= this.measureEvery) {
      this.sinceMeasured = 0;
      cellBytes = this.cellBytes();
    }
    return {
      unit: this.unit,
      lines: ingester.nextLine - 1,
      rows: ingester.rows - this.rowsBefore,
      rejected: ingester.rejected - this.rejectedBefore,
      error: this.error,
      firstReject: this.firstReject,
      newKeys,
      cellBytes,
    };
  }

  /** Estimated heap bytes of the local cells (measured between units, while the input goes on). */
  private cellBytes(): number {
    return this.deferred.count * CELL_OVERHEAD_BYTES + this.ingester.sketchBytes();
  }

  /**
   * The next batch of local cells, in the order of the reported keys; each cell is emptied once
   * its bytes are in the batch. With `keep` (a hand-over mid-input) the runner goes on taking units,
   * between the batches too, with the same keys: they are not reported again (rows of a key
   * already taken wait for the next hand-over; the others go with this one), and the next hand-over
   * starts again from the first key. Without, the first call ends the input.
   */
  takeCells(limits: BatchLimits = DEFAULT_BATCH_LIMITS, keep = false): CellBatch {
    if (keep) this.live(); // a hand-over only while the input goes on (throws after the end)
    else this.ended = true;
    const count = this.deferred.count;
    const first = this.taken;
    const pieces: Uint8Array[] = [];
    const subscriptions: number[] = [];
    let size = 0;
    let i = first;
    while (i < count && (i === first || (size < limits.maxBytes && i - first < limits.maxCells))) {
      const cell = this.ingester.takeLocal(i++);
      const bytes = cell.sketch.toBytes();
      pieces.push(bytes);
      subscriptions.push(cell.subscriptions);
      size += bytes.length;
    }
    this.taken = i;
    const last = i >= count;
    if (last && keep) this.taken = 0;
    const out = new Uint8Array(size);
    const ends = new Uint32Array(pieces.length);
    let at = 0;
    pieces.forEach((p, j) => {
      out.set(p, at);
      at += p.length;
      ends[j] = at;
    });
    return { first, subscriptions: Float64Array.from(subscriptions), ends, bytes: out, last };
  }

  private live(): Ingester {
    if (this.ended) throw new Error('UnitRunner: no units once the cells are being taken');
    return this.ingester;
  }
}
