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
 */
import type { Cell } from '../cube/index.js';
import { isReachtreeError } from '../errors.js';
import { HllSketch, type HllParams } from '../sketch/index.js';
import { Ingester, type CellSource, type ColumnLayout, type RowIssue } from './ingester.js';
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
}

/** A worker's cells, aligned with the keys it reported (in report order). */
export interface UnitCells {
  readonly subscriptions: number[];
  readonly sketches: Uint8Array[];
}

class DeferredCells implements CellSource {
  readonly cells: Cell[] = [];
  newKeys: UnitKey[] = [];

  constructor(private readonly params: HllParams) {}

  cellFor(territory: string, facetValues: string[], line: number): Cell {
    const cell: Cell = { subscriptions: 0, sketch: HllSketch.empty(this.params) };
    this.cells.push(cell);
    this.newKeys.push({ territory, facetValues, line });
    return cell;
  }
}

export class UnitRunner {
  private readonly deferred: DeferredCells;
  private readonly ingester: Ingester;
  private unit = -1;
  private rowsBefore = 0;
  private rejectedBefore = 0;
  private error: RowIssue | undefined;
  private firstReject: { line: number; reason: string } | undefined;
  private stopped = false;

  constructor(options: IngestOptions, layout: ColumnLayout, params: HllParams, file: string, allocate?: (n: number) => Uint8Array) {
    this.deferred = new DeferredCells(params);
    this.ingester = new Ingester({
      options,
      cells: this.deferred,
      file,
      layout,
      ...(allocate !== undefined ? { allocate } : {}),
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
    this.unit = unit;
    this.ingester.startUnit(1);
    this.rowsBefore = this.ingester.rows;
    this.rejectedBefore = this.ingester.rejected;
    this.error = undefined;
    this.firstReject = undefined;
    this.stopped = false;
  }

  /** Feeds bytes of the current unit; an invalid row in default mode ends the unit. */
  push(chunk: Uint8Array, final: boolean): void {
    if (this.stopped) return;
    try {
      this.ingester.push(chunk, final);
    } catch (e) {
      const issue = this.ingester.lastIssue;
      if (!isReachtreeError(e) || issue === undefined) throw e;
      this.error = issue;
      this.stopped = true;
    }
  }

  end(): UnitReport {
    const newKeys = this.deferred.newKeys;
    this.deferred.newKeys = [];
    return {
      unit: this.unit,
      lines: this.ingester.nextLine - 1,
      rows: this.ingester.rows - this.rowsBefore,
      rejected: this.ingester.rejected - this.rejectedBefore,
      error: this.error,
      firstReject: this.firstReject,
      newKeys,
    };
  }

  /** The local cells, in the order of the reported keys. */
  cells(): UnitCells {
    return {
      subscriptions: this.deferred.cells.map((c) => c.subscriptions),
      sketches: this.deferred.cells.map((c) => c.sketch.toBytes()),
    };
  }
}
