/**
 * Parallel ingest (`workers > 1`): one reader, N worker threads, results identical to a
 * sequential run whatever N is.
 *
 *   reader (this thread)                      workers (worker.ts → UnitRunner)
 *   ───────────────────                       ────────────────────────────────
 *   read chunks (file, gzip, stdin)
 *   parse the header → column layout  ──init──▶ fresh local cells, a port to each other worker
 *   cut units of whole rows, in order ──unit──▶ scan, check, hash; keep the hashes of the keys
 *                                               this worker owns, forward the others' to their
 *                                               owners (worker ⇄ worker)
 *   resolve each new key's territory  ◀─report─ lines, rows, rejects, first error, new keys
 *   …
 *   end of input                      ─finish─▶ last packets to the peers, wait for theirs
 *   take the cells into the cube      ◀─cells── per key: subscriptions, the sketch (owner), in batches
 *
 * Cutting: a unit must start at a row start, or a worker would read a quoted newline as a row end.
 * A unit without any quote byte is cut after its last LF (every LF ends a row there); a unit with
 * quotes is cut where a scanner — the same one the workers use, with the same recovery from broken
 * quoting and over-long rows — finishes its last complete row. Past an over-long row that was
 * still open, the reader drops bytes up to the next LF, as the sequential scanner does.
 *
 * Order: units are numbered; a worker reports lines per unit, so a row's file line is the header's
 * lines plus the lines of the earlier units plus its line in the unit. The first invalid row is the
 * earliest (unit, line) among the workers' errors and the first sightings of keys whose territory
 * the tree refuses. Sketch unions are order-independent, so the merged cells equal the sequential
 * ones byte for byte.
 *
 * Memory: at most two units in flight per worker plus the reader's carry; per worker, the
 * sketches of the keys it owns (each key's sketch lives in one worker: see units.ts), so the
 * workers together hold one cube, not one each. Units are `unitBytes` (2 MiB) long: per-unit
 * costs vanish, and workers still balance. A unit is copied once, from the read chunks into a
 * buffer of its own that is then transferred, not copied again. At the end the cells come back
 * in batches of a few MiB, each asked for only when the previous one arrived (the worker copies
 * out the next while the reader takes this one), and the worker drops each cell once copied out.
 * A key's cell from its owner carries the sketch, from the others only their subscriptions.
 * Between inputs the workers start over with fresh cells (`init`), and their cells come back from
 * all workers at once; after the last input one worker after the other, each ended as soon as its
 * cells are in, so that its heap is given back while the reader's cube fills (national file, 2
 * workers: peak RSS 641 → 578 MB).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker, type MessagePort, type TransferListItem } from 'node:worker_threads';
import type { Cell, Cube } from '../cube/index.js';
import { ReachtreeError } from '../errors.js';
import { WIRE_KINDS } from '../sketch/index.js';
import type { TerritoryNode, TerritoryTree } from '../territory/index.js';
import { TerritoryResolver, emptyInputError, isKeyProblem, readHeaderRow, type ColumnLayout, type KeyProblem, type RejectedRow } from './ingester.js';
import type { IngestOptions } from './options.js';
import { CsvScanner, NEED_MORE } from './scanner.js';
import { BUFFER_CHUNKS, type ByteSource } from './sources.js';
import { DEFAULT_BATCH_LIMITS, batchSketch, type BatchLimits, type CellBatch, type UnitKey, type UnitReport } from './units.js';
import type { ToWorker } from './worker.js';

const MAX_IN_FLIGHT = 2;
const QUOTE = 0x22;
const LF = 0x0a;
const EMPTY = Buffer.alloc(0);
const EMPTY_WIRE = WIRE_KINDS.indexOf('EMPTY');

type FromWorker =
  | { type: 'unit'; report: UnitReport; bytes: ArrayBuffer }
  | { type: 'finished' }
  | { type: 'cells'; batch: CellBatch }
  | { type: 'error'; message: string; stack?: string };

class PoolWorker {
  inFlight = 0;
  /** Ended on purpose before the pool closes (its cells were taken after the last input). */
  retired = false;
  onReport: (report: UnitReport) => void = () => undefined;
  /** The one request ('finish' or 'cells') awaiting its answer. */
  private answer: { resolve: (batch: CellBatch | undefined) => void; reject: (e: Error) => void } | undefined;

  constructor(
    readonly worker: Worker,
    pool: WorkerPool,
  ) {
    worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'unit') {
        this.inFlight--;
        pool.recycle(msg.bytes);
        this.onReport(msg.report);
        pool.notify();
      } else if (msg.type === 'cells' || msg.type === 'finished') {
        const w = this.answer;
        this.answer = undefined;
        w?.resolve(msg.type === 'cells' ? msg.batch : undefined);
      } else {
        const e = new Error(`ingest worker failed: ${msg.message}`);
        if (msg.stack !== undefined) e.stack = msg.stack;
        pool.fail(e);
      }
    });
  }

  post(msg: ToWorker, transfer: TransferListItem[] = []): void {
    this.worker.postMessage(msg, transfer);
  }

  /** Ends the worker's input; resolves once it has every other worker's last packet too. */
  finish(): Promise<void> {
    return this.request({ type: 'finish' }).then(() => undefined);
  }

  /** The worker's next batch of cells (after `finish`). One request at a time. */
  nextCells(limits: BatchLimits): Promise<CellBatch> {
    return this.request({ type: 'cells', limits }) as Promise<CellBatch>;
  }

  private request(msg: ToWorker): Promise<CellBatch | undefined> {
    return new Promise((resolve, reject) => {
      this.answer = { resolve, reject };
      this.post(msg);
    });
  }

  abandon(e: Error): void {
    const w = this.answer;
    this.answer = undefined;
    w?.reject(e);
  }
}

/**
 * Worker threads for one run; `close()` when done. A worker failure (a bug or a crash, not an input
 * problem) rejects whatever waits on the pool. (Waiting is done with short-lived promises rather
 * than racing a long-lived "failed" promise: every race against a promise that never settles
 * stays attached to it, with its result — here, every chunk read.)
 */
export class WorkerPool {
  readonly workers: PoolWorker[];
  private error: Error | undefined;
  private waiter: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private closing = false;
  /** Unit buffers back from the workers, for the next units. */
  private readonly spare: ArrayBuffer[] = [];

  constructor(size: number) {
    this.workers = Array.from({ length: size }, () => {
      const pw = new PoolWorker(spawnWorker(), this);
      pw.worker.on('error', (e) => this.fail(e));
      pw.worker.on('exit', (code) => {
        if (!pw.retired) this.fail(new Error(`ingest worker exited with code ${code}`));
      });
      return pw;
    });
  }

  /**
   * A buffer of at least `size` bytes for a unit (at least `capacity` when new). A few buffers go
   * round instead of a new ~2 MiB one per unit, which each worker freed only at its next GC (V8
   * lets external memory reach tens of MB first): 1M rows, 2 workers, peak RSS ~375 → ~350 MB.
   */
  takeBuffer(size: number, capacity: number): ArrayBuffer {
    const i = this.spare.findIndex((b) => b.byteLength >= size);
    if (i >= 0) return this.spare.splice(i, 1)[0] as ArrayBuffer;
    return new ArrayBuffer(Math.max(size, capacity));
  }

  recycle(buffer: ArrayBuffer): void {
    if (this.spare.length < this.workers.length * MAX_IN_FLIGHT + 2) this.spare.push(buffer);
  }

  /** Throws the failure of a worker, if one failed. */
  check(): void {
    if (this.error !== undefined) throw this.error;
  }

  /** Resolves at the next unit report; rejects when a worker fails. */
  nextEvent(): Promise<void> {
    if (this.error !== undefined) return Promise.reject(this.error);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  notify(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.resolve();
  }

  fail(e: Error): void {
    if (this.closing || this.error !== undefined) return;
    this.error = e;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(e);
    for (const pw of this.workers) pw.abandon(e);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => (w.retired ? undefined : w.worker.terminate())));
  }

  /**
   * Ends worker `i` now: after the run's last input, once its cells were taken, so that its heap
   * (the emptied arena, the copies it sent) is given back while the others' cells come in.
   */
  async retire(i: number): Promise<void> {
    const w = this.workers[i] as PoolWorker;
    w.retired = true;
    await w.worker.terminate();
  }
}

/** Under the TypeScript sources (tests, tsx) the worker is worker.ts loaded through tsx; built, worker.js. */
function spawnWorker(): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    // Resolved here, not in the worker: an eval worker resolves bare names from the process's
    // cwd. (The ESM build beside the CommonJS one that require.resolve finds.)
    const tsx = JSON.stringify(pathToFileURL(createRequire(here).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href);
    const url = JSON.stringify(new URL('./worker.ts', here).href);
    return new Worker(`import(${tsx}).then(({ register }) => { register(); return import(${url}); });`, { eval: true });
  }
  return new Worker(new URL('./worker.js', here));
}

export interface ParallelContext {
  readonly options: IngestOptions;
  readonly tree: TerritoryTree;
  readonly cube: Cube;
  readonly pool: WorkerPool;
  readonly onProgress?: (rows: number) => void;
  /**
   * The run's last input: the workers' cells are taken one worker after the other, and each worker
   * ends once its cells are in (`WorkerPool.retire`); the pool cannot take another input.
   */
  readonly lastInput?: boolean;
  /** Size of the batches the cells come back in (default 4 MiB of sketches or 4096 cells). */
  readonly batchLimits?: BatchLimits;
}

export interface ParallelOutcome {
  readonly rows: number;
  readonly rejected: number;
  readonly bytes: number;
  /** The first rejected row in file order (skipInvalid), without its raw text. */
  readonly firstReject: RejectedRow | undefined;
}

/** What the reader keeps of a unit's report (its keys go to the key lists). */
type UnitSummary = Omit<UnitReport, 'newKeys' | 'sightings'>;

interface KeyEntry extends UnitKey {
  readonly status: TerritoryNode | KeyProblem;
  /** The cube's cell of a valid key, looked up when the key is reported (while the workers run), not in the serial merge. */
  readonly cell: Cell | undefined;
}

/** A worker's first row of a refused key: where the first invalid row may be. */
interface Sighting {
  readonly unit: number;
  readonly line: number;
  readonly territory: string;
  readonly problem: KeyProblem;
}

/** Ingests one source with the pool into ctx.cube; throws the first invalid row in default mode. */
export async function ingestSourceParallel(source: ByteSource, ctx: ParallelContext): Promise<ParallelOutcome> {
  const { options, tree, pool } = ctx;
  // an ended worker takes no messages: the run would wait for it forever
  if (pool.workers.some((w) => w.retired)) throw new Error('ingestSourceParallel: the pool was used for its last input already (its workers have ended)');
  const file = source.name;
  const it = source[Symbol.asyncIterator]();
  let bytes = 0;
  let done = false;
  const next = async (): Promise<Buffer> => {
    const r = await it.next();
    pool.check();
    if (r.done === true) {
      done = true;
      return EMPTY;
    }
    bytes += r.value.length;
    return r.value;
  };

  try {
    // ---- header, read here so every worker gets the layout ----
    const head = new CsvScanner({ delimiter: options.delimiterByte, maxRowBytes: options.maxRowBytes, allocate: BUFFER_CHUNKS.allocate });
    const seen: Buffer[] = [];
    let layout: ColumnLayout | undefined;
    while (layout === undefined) {
      const chunk = await next();
      seen.push(chunk);
      head.feed(chunk, done);
      layout = readHeaderRow(head, options, file);
      if (layout === undefined && done) throw emptyInputError(options, file);
    }
    const headerLines = head.currentLine - 1;
    let carry: Buffer[] = [Buffer.concat(seen).subarray(head.consumed)];
    let carryLen = carry[0]!.length;
    // The carry as one buffer of the reader's own, so that a unit cut from it can be transferred
    // (a source's chunks may share their ArrayBuffer with other chunks). A unit is gathered once
    // the carry reaches unitBytes, so it is rarely longer than that plus a chunk.
    let gathered: ArrayBuffer | undefined;
    const capacity = options.unitBytes + options.chunkBytes;
    const gather = (): Buffer => {
      const undispatched = gathered; // gathered before but not sent: now copied into the new one
      gathered = pool.takeBuffer(carryLen, capacity);
      const data = Buffer.from(gathered, 0, carryLen);
      let at = 0;
      for (const c of carry) {
        data.set(c, at);
        at += c.length;
      }
      if (undispatched !== undefined) pool.recycle(undispatched);
      return data;
    };

    // ---- workers, with a port between every two ----
    const params = ctx.cube.params;
    const count = pool.workers.length;
    const peers: Array<Array<MessagePort | null>> = pool.workers.map(() => Array<MessagePort | null>(count).fill(null));
    for (let a = 0; a < count; a++) {
      for (let b = a + 1; b < count; b++) {
        const { port1, port2 } = new MessageChannel();
        peers[a]![b] = port1;
        peers[b]![a] = port2;
      }
    }
    pool.workers.forEach((w, index) => {
      const ports = peers[index]!;
      w.post({ type: 'init', options, layout, params, file, index, peers: ports }, ports.filter((p): p is MessagePort => p !== null));
    });
    const reports: UnitSummary[] = [];
    const keys: KeyEntry[][] = pool.workers.map(() => []);
    const sighted: Sighting[] = [];
    const resolver = new TerritoryResolver(tree);
    let stopAfter = Infinity; // default mode: no unit past the first failing one matters
    let rows = 0;
    const addKeys = (i: number, newKeys: readonly UnitKey[], unit: number): void => {
      for (const k of newKeys) {
        const status = resolver.resolve(k.territory);
        const cell = isKeyProblem(status) ? undefined : ctx.cube.cell(status, k.facetValues);
        // spelled out, not spread: a copy of a structured-cloned object took a hidden class of its
        // own each (national file: ~100 000 of them, ~20 MB of the reader's heap)
        const entry: KeyEntry = { territory: k.territory, facetValues: k.facetValues, line: k.line, status, cell };
        keys[i]!.push(entry);
        if (k.line !== undefined) sight(unit, k.line, entry);
      }
    };
    /** A worker's first row of a key; only refused keys' matter (first error, first reject). */
    const sight = (unit: number, line: number, key: KeyEntry): void => {
      if (!isKeyProblem(key.status)) return;
      sighted.push({ unit, line, territory: key.territory, problem: key.status });
      if (!options.skipInvalid) stopAfter = Math.min(stopAfter, unit);
    };
    pool.workers.forEach((w, i) => {
      w.onReport = ({ newKeys, sightings, ...report }) => {
        reports[report.unit] = report;
        rows += report.rows;
        if (report.error !== undefined) stopAfter = Math.min(stopAfter, report.unit);
        addKeys(i, newKeys, report.unit);
        for (const { key, line } of sightings) sight(report.unit, line, keys[i]![key]!);
      };
    });

    // ---- take a worker's cells into the cube: batch by batch ----
    const limits = ctx.batchLimits ?? DEFAULT_BATCH_LIMITS;
    /** Subscriptions of keys the tree refused (their rows are rejected). */
    let refusedRows = 0;
    const drain = async (i: number): Promise<void> => {
      const w = pool.workers[i] as PoolWorker;
      const workerKeys = keys[i] as KeyEntry[];
      let taken = 0;
      let pending = w.nextCells(limits);
      for (;;) {
        const batch = await pending;
        if (!batch.last) {
          // The worker copies out the next batch while the reader takes this one.
          pending = w.nextCells(limits);
          pending.catch(() => undefined); // awaited below, unless this merge throws first
        }
        addKeys(i, batch.newKeys, Infinity);
        if (batch.first !== taken) throw new Error(`ingest worker ${i} sent cells from ${batch.first}, expected ${taken}`);
        const { subscriptions, kinds } = batch;
        for (let j = 0; j < kinds.length; j++) {
          const key = workerKeys[taken + j];
          if (key === undefined) throw new Error(`ingest worker ${i} sent more cells than it reported keys (${workerKeys.length})`);
          const cell = key.cell;
          if (cell === undefined) {
            refusedRows += subscriptions[j] as number;
          } else {
            // a key's sketch is in its owner's cell only; the others' are EMPTY
            if (kinds[j] !== EMPTY_WIRE) cell.sketch.absorb(batchSketch(batch, j, params));
            cell.subscriptions += subscriptions[j] as number;
          }
        }
        taken += kinds.length;
        if (batch.last) break;
      }
      if (taken !== workerKeys.length) throw new Error(`ingest worker ${i} sent ${taken} cells for ${workerKeys.length} keys`);
    };

    let unit = 0;
    const dispatch = async (data: Buffer): Promise<void> => {
      let target = pool.workers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
      while (target.inFlight >= MAX_IN_FLIGHT) {
        await pool.nextEvent();
        target = pool.workers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
      }
      let bytes = gathered;
      if (bytes === undefined || data.buffer !== bytes || data.byteOffset !== 0) {
        bytes = new ArrayBuffer(data.length);
        new Uint8Array(bytes).set(data);
      }
      gathered = undefined;
      target.inFlight++;
      target.post({ type: 'unit', unit: unit++, bytes, length: data.length }, [bytes]);
    };

    // ---- cut and dispatch units, in order ----
    let discardToLF = false;
    while (unit <= stopAfter) {
      if (!done) {
        const chunk = await next();
        if (chunk.length > 0) {
          carry.push(chunk);
          carryLen += chunk.length;
        }
        ctx.onProgress?.(rows);
      }
      if (discardToLF || done || carryLen >= options.unitBytes) {
        let data = gather();
        if (discardToLF) {
          const nl = data.indexOf(LF);
          data = nl < 0 ? EMPTY : data.subarray(nl + 1);
          discardToLF = nl < 0;
        }
        if (done) {
          if (data.length > 0 && !discardToLF) await dispatch(data);
          carry = [];
          carryLen = 0;
          break;
        }
        const cut = cutPoint(data, options);
        // The rest is copied out first: dispatching detaches the whole buffer.
        const rest = data.subarray(cut.at);
        carry = cut.at === 0 ? [data] : rest.length > 0 ? [Buffer.from(rest)] : [];
        carryLen = rest.length;
        if (cut.at > 0) await dispatch(data.subarray(0, cut.at));
        discardToLF ||= cut.discard;
      }
    }
    while (pool.workers.some((w) => w.inFlight > 0)) await pool.nextEvent();
    await Promise.all(pool.workers.map((w) => w.finish()));

    // ---- locate: file lines of units, first error or reject ----
    const unitStart: number[] = [];
    let line = headerLines + 1;
    for (let u = 0; u < unit; u++) {
      unitStart[u] = line;
      line += reports[u]?.lines ?? 0;
    }
    const territoryColumn = layout.header[layout.territory] ?? options.territoryColumn;
    if (!options.skipInvalid) {
      const first = earliest([
        ...reports.flatMap((r) => (r?.error !== undefined ? [{ unit: r.unit, line: r.error.line, issue: r.error }] : [])),
        ...sighted.map(({ unit, line, territory, problem }) => ({ unit, line, issue: { ...problem, line, column: territoryColumn, value: territory } })),
      ]);
      if (first !== undefined) {
        const { code, message, column, value } = first.issue;
        throw new ReachtreeError(code, message, {
          location: { file, line: (unitStart[first.unit] as number) + first.line - 1, column, ...(value !== undefined ? { value } : {}) },
        });
      }
    }

    // ---- take the cells (disjoint): from every worker at once, or after the last input one worker after the other, each then ended ----
    if (ctx.lastInput === true) {
      for (let i = 0; i < pool.workers.length; i++) {
        await drain(i);
        await pool.retire(i);
      }
    } else {
      await Promise.all(pool.workers.map((_, i) => drain(i)));
    }
    const rejected = reports.reduce((n, r) => n + (r?.rejected ?? 0), refusedRows);
    const invalidKeys = sighted.map(({ unit, line, territory, problem }) => {
      const reason = new ReachtreeError(problem.code, problem.message, { location: { column: territoryColumn, value: territory } }).message;
      return { unit, line, reason };
    });
    const first = earliest([
      ...reports.flatMap((r) => (r?.firstReject !== undefined ? [{ unit: r.unit, line: r.firstReject.line, reason: r.firstReject.reason }] : [])),
      ...invalidKeys,
    ]);
    const firstReject: RejectedRow | undefined =
      first === undefined
        ? undefined
        : { file, line: (unitStart[first.unit] as number) + first.line - 1, code: 'E_INPUT_VALUE', reason: first.reason, raw: '' };
    return { rows, rejected, bytes, firstReject };
  } finally {
    await it.return?.();
  }
}

/** Where to cut `data` (which starts at a row start) so that the unit ends at a row end. */
function cutPoint(data: Buffer, options: IngestOptions): { at: number; discard: boolean } {
  if (data.indexOf(QUOTE) < 0) {
    const nl = data.lastIndexOf(LF);
    if (nl >= 0) return { at: nl + 1, discard: false };
    // One open line: over-long once it passes maxRowBytes (the worker rejects it; drop its rest).
    return data.length > options.maxRowBytes ? { at: data.length, discard: true } : { at: 0, discard: false };
  }
  const sc = new CsvScanner({ delimiter: options.delimiterByte, maxRowBytes: options.maxRowBytes, stripBom: false, wanted: 1, allocate: BUFFER_CHUNKS.allocate });
  sc.feed(data, false);
  while (sc.next() !== NEED_MORE);
  return { at: sc.consumed, discard: sc.discarding };
}

function earliest<T extends { unit: number; line: number }>(items: T[]): T | undefined {
  let best: T | undefined;
  for (const x of items) if (best === undefined || x.unit < best.unit || (x.unit === best.unit && x.line < best.line)) best = x;
  return best;
}
