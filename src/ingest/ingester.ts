/**
 * The per-input work of ingest: bytes in, cube cells updated. No I/O, so the same object runs in
 * the calling thread over a file's chunks or in a worker over a row-aligned byte range.
 *
 * Per data row (the hot path, no allocation):
 *   1. the scanner yields byte ranges of the wanted fields;
 *   2. the (territory, facet…) bytes are looked up in a FieldKeyTable → cube cell; only a key seen
 *      for the first time is decoded to strings, resolved through the tree (once per distinct
 *      code spelling) and checked;
 *   3. the id is queued in a `MurmurBatch` (= hll_hash_text of the UTF-8 id, seed from the
 *      options; a WebAssembly kernel hashing thousands of ids per call), with the key's local id
 *      beside it — by position, as each chunk was staged in the kernel's memory first (one copy
 *      per chunk instead of one per id); the key's subscription count goes up by one;
 *   4. when the batch is full, and before push() returns, its hashes are appended to the keys'
 *      sketches in the ingester's own `SketchArena` (flat arrays and shared slabs: no object is
 *      touched per row).
 *
 * The cells of the CellSource receive what was gathered at `flush()` (done by `push(…, true)`
 * unless `deferFlush`), or key by key through `takeLocal()` (a worker sending its cells).
 *
 * Invalid rows — too few fields, an empty id, an unknown or malformed territory code, a reserved
 * facet value, broken quoting — either throw a ReachtreeError naming file, line, column and value
 * (default) or, with skipInvalid, go to `onReject` and are counted.
 */
import { ReachtreeError, isReachtreeError, type ErrorCode } from '../errors.js';
import { ALL, type Cell, type Cube } from '../cube/index.js';
import { MurmurBatch, murmurHash3x64h1 } from '../hash/index.js';
import { SketchArena, type HllSketch } from '../sketch/index.js';
import type { TerritoryNode, TerritoryTree } from '../territory/index.js';
import { FieldKeyTable } from './keytable.js';
import type { IngestOptions } from './options.js';
import { CsvScanner, INVALID, NEED_MORE, decodeClipped } from './scanner.js';

/** A row that was skipped, as written to the rejects file. */
export interface RejectedRow {
  readonly file: string;
  readonly line: number;
  readonly code: ErrorCode;
  /** The problem, with column and value (file and line are separate fields). */
  readonly reason: string;
  /** The row as it stood in the input, without its line terminator. */
  readonly raw: string;
}

/** An invalid row, without the file: what a worker reports to be located in the whole file. */
export interface RowIssue {
  readonly code: ErrorCode;
  readonly message: string;
  readonly line: number;
  readonly column: string | number;
  readonly value: string | undefined;
}

/** Where the needed columns are in a file's rows (from its header). */
export interface ColumnLayout {
  readonly header: readonly string[];
  readonly id: number;
  readonly territory: number;
  readonly facets: readonly number[];
}

/** A problem with a key's territory (no location: the ingester adds file, line, column, value). */
export interface KeyProblem {
  readonly code: ErrorCode;
  readonly message: string;
}

/**
 * How a (territory, facet values) key seen for the first time becomes a cell: through the tree
 * into the cube (`TreeCells`), or, in a worker, into a local cell checked later by the main
 * thread (`parallel.ts`).
 */
export interface CellSource {
  /** `line` is undefined for a key that did not come from a row here (`Ingester.keyOf`). */
  cellFor(territory: string, facetValues: string[], line: number | undefined): Cell | KeyProblem;
}

/**
 * Where the hashes of a key's rows go when workers split the keys between them (`units.ts`): into
 * this ingester's own sketch of the key, or to the worker that owns the key. Subscriptions are
 * always counted where the row is read.
 */
export interface KeyRoute {
  /** Whether this ingester keeps the hashes of key `id` (asked once, as the key gets its local id). */
  keeps(id: number, territory: string, facetValues: readonly string[]): boolean;
  /** A hash of a row of key `id`, which this ingester does not keep. */
  forward(id: number, lo: number, hi: number): void;
  /** A key made by `keyOf` (no row here yet) turned up in a row, at `line`. */
  sighted(id: number, line: number): void;
}

/**
 * Territory codes resolved through the tree once each: a code comes back once per platform and per
 * worker. A code the tree refuses is remembered as its KeyProblem, so a file full of one bad code
 * (with skipInvalid) asks the tree once.
 */
export class TerritoryResolver {
  private readonly known = new Map<string, TerritoryNode | KeyProblem>();

  constructor(private readonly tree: TerritoryTree) {}

  resolve(code: string): TerritoryNode | KeyProblem {
    let status = this.known.get(code);
    if (status === undefined) {
      try {
        status = this.tree.resolve(code);
      } catch (e) {
        if (!isReachtreeError(e)) throw e;
        status = { code: e.code, message: e.message };
      }
      this.known.set(code, status);
    }
    return status;
  }
}

/** Resolves the territory through the tree and takes the cube's cell. Valid keys are remembered by the ingester's byte table. */
export class TreeCells implements CellSource {
  private readonly resolver: TerritoryResolver;

  constructor(
    tree: TerritoryTree,
    private readonly cube: Cube,
  ) {
    this.resolver = new TerritoryResolver(tree);
  }

  cellFor(territory: string, facetValues: string[]): Cell | KeyProblem {
    const node = this.resolver.resolve(territory);
    return isKeyProblem(node) ? node : this.cube.cell(node, facetValues);
  }
}

/** True for a refused key (a KeyProblem), false for what was found (a cell or a node). */
export function isKeyProblem<T extends object>(x: T | KeyProblem): x is KeyProblem {
  return (x as KeyProblem).message !== undefined;
}

/** How arrays of the chunks' class are made (Node: `BUFFER_CHUNKS`): its methods (e.g. Buffer's indexOf) are what the scanner uses. */
export interface ChunkClass {
  allocate(n: number): Uint8Array;
  /** A view of `length` bytes of `buffer` from `byteOffset`, not a copy. */
  view(buffer: ArrayBuffer, byteOffset: number, length: number): Uint8Array;
}

export interface IngesterInit {
  readonly options: IngestOptions;
  /** Where cells come from (e.g. `new TreeCells(tree, cube)`). */
  readonly cells: CellSource;
  /** Name of the input in messages and rejects. */
  readonly file: string;
  /** Called for each invalid row when options.skipInvalid; may throw to stop the run. */
  readonly onReject?: (row: RejectedRow) => void;
  /** The class of the chunks (Node: Buffer), for the scanner's own buffers and the staged copies. */
  readonly chunks?: ChunkClass;
  /** For a byte range of a file: the layout from the file's header (the range has none). */
  readonly layout?: ColumnLayout;
  /** Line number of the range's first byte (with `layout`). */
  readonly firstLine?: number;
  /** Keep what was gathered at `push(…, true)`; the caller takes it with `flush()` or `takeLocal()`. */
  readonly deferFlush?: boolean;
  /** Keys split between workers: which hashes stay here (default: all). */
  readonly route?: KeyRoute;
}

const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

export class Ingester {
  /** Data rows seen (valid and rejected). */
  rows = 0;
  rejected = 0;
  bytes = 0;
  private layout: ColumnLayout | undefined;
  private scanner: CsvScanner;
  private table: FieldKeyTable<number> | undefined;
  /** Per key (local id, in order of first sight): its sketch, subscriptions and target cell. */
  private arena: SketchArena | undefined; // made at the first key, with its cell's parameters
  private subscriptions = new Float64Array(1024);
  /** With a route: 1 where this ingester keeps the key's hashes. */
  private kept = new Uint8Array(1024);
  /** With a route: local ids by key text, for keys named by other workers (`keyOf`). */
  private readonly byText = new Map<string, number>();
  private readonly route: KeyRoute | undefined;
  private readonly targets: Cell[] = [];
  private readonly deferFlush: boolean;
  private wanted = 0;
  /** Ids waiting to be hashed, and the local id of each one's key. */
  private readonly batch: MurmurBatch;
  private readonly batchKeys: Int32Array;
  private readonly longHash = new Uint32Array(2);
  private readonly options: IngestOptions;
  private readonly cells: CellSource;
  private readonly file: string;
  private readonly chunks: ChunkClass | undefined;
  /** The invalid row that made push() throw (default mode), for callers that re-locate it. */
  lastIssue: RowIssue | undefined;
  /** Skip hashing and cell updates: only find invalid rows (the parallel path's rejects pass). */
  checkOnly = false;
  private readonly onReject: ((row: RejectedRow) => void) | undefined;

  constructor(init: IngesterInit) {
    this.options = init.options;
    this.cells = init.cells;
    this.file = init.file;
    this.onReject = init.onReject;
    this.chunks = init.chunks;
    this.deferFlush = init.deferFlush ?? false;
    this.route = init.route;
    this.batch = new MurmurBatch(this.options.hashSeed);
    this.batchKeys = new Int32Array(this.batch.capacity);
    this.scanner = this.newScanner(init.firstLine ?? 1, init.layout === undefined);
    if (init.layout !== undefined) this.useLayout(init.layout);
  }

  /**
   * Starts an independent piece of the input (a worker's unit): a fresh scanner whose first row
   * is at a row start, numbered from `firstLine`; the cells and the key table carry over.
   */
  startUnit(firstLine = 1): void {
    this.scanner = this.newScanner(firstLine, false);
    if (this.wanted > 0) this.scanner.setWanted(this.wanted);
  }

  /** Line number the next row would start at (lines consumed = this − first line). */
  get nextLine(): number {
    return this.scanner.currentLine;
  }

  private newScanner(firstLine: number, stripBom: boolean): CsvScanner {
    return new CsvScanner({
      delimiter: this.options.delimiterByte,
      maxRowBytes: this.options.maxRowBytes,
      firstLine,
      stripBom,
      ...(this.chunks !== undefined ? { allocate: this.chunks.allocate } : {}),
    });
  }

  /** The column layout, once the header was read. */
  get columns(): ColumnLayout | undefined {
    return this.layout;
  }

  /** Processes one chunk; `final` after the last one (the chunk may be empty). */
  push(chunk: Uint8Array, final: boolean): void {
    this.bytes += chunk.length;
    const sc = this.scanner;
    sc.feed(chunk, final);
    const staged = this.checkOnly ? undefined : this.batch.stage(sc.input, this.chunks?.view);
    if (staged !== undefined) sc.useCopy(staged);
    if (this.table === undefined && !this.readHeader()) {
      if (final) throw emptyInputError(this.options, this.file);
      return;
    }
    const table = this.table as FieldKeyTable<number>;
    const idCol = (this.layout as ColumnLayout).id;
    const wanted = this.wanted;
    const batch = this.batch;
    const batchKeys = this.batchKeys;
    try {
      this.scanRows(sc, table, idCol, wanted, staged, batch, batchKeys);
    } finally {
      // Rows before an invalid one (that threw) count, as they always did.
      this.hashBatch();
    }
    if (final && !this.deferFlush) this.flush();
  }

  private scanRows(
    sc: CsvScanner,
    table: FieldKeyTable<number>,
    idCol: number,
    wanted: number,
    staged: Uint8Array | undefined,
    batch: MurmurBatch,
    batchKeys: Int32Array,
  ): void {
    for (;;) {
      const r = sc.next();
      if (r === NEED_MORE) break;
      this.rows++;
      if (r === INVALID) {
        this.quotingIssue();
        continue;
      }
      if (sc.fieldCount < wanted) {
        this.missingColumn();
        continue;
      }
      const buf = sc.row;
      const starts = sc.starts;
      const ends = sc.ends;
      const idStart = starts[idCol] as number;
      const idEnd = ends[idCol] as number;
      if (idEnd === idStart) {
        this.invalid('E_INPUT_EMPTY_ID', 'empty subscriber id', this.columnName(idCol), '');
        continue;
      }
      let id = table.get(buf, starts, ends);
      if (id === undefined) {
        id = this.newKey();
        if (id < 0) continue;
      }
      if (this.checkOnly) continue;
      (this.subscriptions[id] as number)++;
      if (queue(batch, batchKeys, buf === staged, buf, idStart, idEnd, id)) continue;
      this.hashBatch(); // full
      if (queue(batch, batchKeys, buf === staged, buf, idStart, idEnd, id)) continue;
      // longer than a batch holds (ids of hundreds of KiB): hashed on its own
      murmurHash3x64h1(buf, idStart, idEnd, this.options.hashSeed, this.longHash);
      const lo = this.longHash[0]! | 0;
      const hi = this.longHash[1]! | 0;
      if (this.route === undefined || this.kept[id] === 1) this.addHash(id, lo, hi);
      else this.route.forward(id, lo, hi);
    }
  }

  /** Hashes the queued ids and appends each hash to its key's sketch (or forwards it, see KeyRoute). */
  private hashBatch(): void {
    const batch = this.batch;
    const n = batch.count;
    if (n === 0) return;
    batch.run();
    const arena = this.arena as SketchArena;
    const keys = this.batchKeys;
    const route = this.route;
    if (route === undefined) {
      for (let j = 0; j < n; j++) arena.add(keys[j] as number, batch.lo(j), batch.hi(j));
    } else {
      const kept = this.kept;
      for (let j = 0; j < n; j++) {
        const id = keys[j] as number;
        if (kept[id] === 1) arena.add(id, batch.lo(j), batch.hi(j));
        else route.forward(id, batch.lo(j), batch.hi(j));
      }
    }
    batch.clear();
  }

  /** Adds a hash (halves as `murmurHash3x64h1` writes them) to the sketch of key `id`: e.g. one another worker forwarded. */
  addHash(id: number, lo: number, hi: number): void {
    (this.arena as SketchArena).add(id, lo, hi);
  }

  /**
   * The local id of a key named by its text (a key another worker read and forwards the hashes
   * of), made if new: its rows here, if any turn up, then count under the same id. Only with a route.
   */
  keyOf(territory: string, facetValues: string[]): number {
    const text = keyText(territory, facetValues);
    const known = this.byText.get(text);
    if (known !== undefined) return known;
    const cell = this.cells.cellFor(territory, facetValues, undefined);
    if (isKeyProblem(cell)) throw new Error(`Ingester.keyOf: the cell source refused key ${text}`);
    return this.createKey(cell, territory, facetValues, text);
  }

  /** Keys seen so far (local ids 0 … localKeys − 1, in order of first sight). */
  get localKeys(): number {
    return this.arena?.size ?? 0;
  }

  /** Takes what key `id` gathered since it was last taken; the key starts empty again. */
  takeLocal(id: number): { readonly sketch: HllSketch; readonly subscriptions: number } {
    const subscriptions = this.subscriptions[id] as number;
    this.subscriptions[id] = 0;
    return { sketch: (this.arena as SketchArena).take(id), subscriptions };
  }

  /** Unions what every key gathered into its cell (sketch union, subscriptions added). */
  flush(): void {
    for (let id = 0; id < this.localKeys; id++) {
      const { sketch, subscriptions } = this.takeLocal(id);
      if (subscriptions === 0) continue;
      const cell = this.targets[id] as Cell;
      cell.sketch.absorb(sketch);
      cell.subscriptions += subscriptions;
    }
  }

  /** Reads the header row if it has arrived; false while it has not. */
  private readHeader(): boolean {
    const layout = readHeaderRow(this.scanner, this.options, this.file);
    if (layout === undefined) return false;
    this.useLayout(layout);
    return true;
  }

  private useLayout(layout: ColumnLayout): void {
    this.layout = layout;
    this.wanted = Math.max(layout.id, layout.territory, ...layout.facets) + 1;
    this.scanner.setWanted(this.wanted);
    this.table = new FieldKeyTable<number>([layout.territory, ...layout.facets]);
  }

  /** First sight of a (territory, facets) key: check, get the cell, give it a local id (−1: invalid row). */
  private newKey(): number {
    const sc = this.scanner;
    const layout = this.layout as ColumnLayout;
    const facetValues: string[] = [];
    for (const col of layout.facets) facetValues.push(this.fieldText(col));
    // Before the territory: a row with a reserved value must not create a cell.
    const reserved = facetValues.indexOf(ALL);
    if (reserved >= 0) {
      this.invalid('E_INPUT_VALUE', `facet value "${ALL}" is reserved for the union across values`, this.columnName(layout.facets[reserved] as number), ALL);
      return -1;
    }
    const code = this.fieldText(layout.territory);
    const table = this.table as FieldKeyTable<number>;
    let text: string | undefined;
    if (this.route !== undefined) {
      text = keyText(code, facetValues);
      const known = this.byText.get(text);
      if (known !== undefined) {
        // made by keyOf for another worker's rows: first seen here now
        this.route.sighted(known, sc.line);
        table.add(sc.row, sc.starts, sc.ends, known);
        return known;
      }
    }
    const cell = this.cells.cellFor(code, facetValues, sc.line);
    if (isKeyProblem(cell)) {
      this.invalid(cell.code, cell.message, this.columnName(layout.territory), code);
      return -1;
    }
    const id = this.createKey(cell, code, facetValues, text);
    table.add(sc.row, sc.starts, sc.ends, id);
    return id;
  }

  /** Gives a new key its local id (and, with a route, records its text — `text` if the caller has it — and asks whether its hashes stay here). */
  private createKey(cell: Cell, territory: string, facetValues: string[], text: string | undefined): number {
    this.arena ??= new SketchArena(cell.sketch.params);
    const id = this.arena.create();
    if (id === this.subscriptions.length) {
      const grown = new Float64Array(2 * id);
      grown.set(this.subscriptions);
      this.subscriptions = grown;
      const kept = new Uint8Array(2 * id);
      kept.set(this.kept);
      this.kept = kept;
    }
    this.targets.push(cell);
    if (this.route !== undefined) {
      this.byText.set(text ?? keyText(territory, facetValues), id);
      this.kept[id] = this.route.keeps(id, territory, facetValues) ? 1 : 0;
    }
    return id;
  }

  private missingColumn(): void {
    const layout = this.layout as ColumnLayout;
    const have = this.scanner.fieldCount;
    const needed = [layout.id, layout.territory, ...layout.facets].filter((c) => c >= have).sort((a, b) => a - b);
    const first = needed[0] as number;
    this.invalid(
      'E_INPUT_MISSING_COLUMN',
      `row has ${have} field${have === 1 ? '' : 's'}, column ${first + 1} is missing`,
      this.columnName(first),
      undefined,
    );
  }

  private quotingIssue(): void {
    const issue = this.scanner.issue;
    const field = issue?.field ?? 1;
    this.invalid('E_INPUT_QUOTING', issue?.message ?? 'broken quoting', this.columnName(field - 1), issue?.value ?? '');
  }

  private invalid(code: ErrorCode, message: string, column: string | number, value: string | undefined): void {
    const sc = this.scanner;
    if (!this.options.skipInvalid) {
      this.lastIssue = { code, message, line: sc.line, column, value };
      throw new ReachtreeError(code, message, { location: { file: this.file, line: sc.line, column, ...(value !== undefined ? { value } : {}) } });
    }
    this.rejected++;
    if (this.onReject === undefined) return;
    const reason = new ReachtreeError(code, message, { location: { column, ...(value !== undefined ? { value } : {}) } }).message;
    this.onReject({ file: this.file, line: sc.line, code, reason, raw: decodeClipped(sc.raw, sc.rawStart, sc.rawEnd, 100_000) });
  }

  private fieldText(col: number): string {
    const sc = this.scanner;
    return utf8.decode(sc.row.subarray(sc.starts[col], sc.ends[col]));
  }

  /** Header name of a 0-based column, or its 1-based number past the header. */
  private columnName(col: number): string | number {
    return this.layout?.header[col] ?? col + 1;
  }
}

/** A key's identity as one string, unambiguous whatever characters the values hold. */
function keyText(territory: string, facetValues: readonly string[]): string {
  return JSON.stringify([territory, ...facetValues]);
}

/**
 * Queues the id at `[start, end)` of `buf` for hashing, with its key's local id beside it: by
 * position when `buf` is the staged chunk, copied otherwise (a row the scanner rebuilt because of
 * quoted fields). False when the batch has no room.
 */
function queue(batch: MurmurBatch, batchKeys: Int32Array, staged: boolean, buf: Uint8Array, start: number, end: number, key: number): boolean {
  if (!(staged ? batch.addStaged(start, end) : batch.add(buf, start, end))) return false;
  batchKeys[batch.count - 1] = key;
  return true;
}

/**
 * Reads the header row from a scanner: the layout, or undefined while the row has not arrived.
 * Broken quoting in the header cannot be skipped: it throws E_INPUT_QUOTING.
 */
export function readHeaderRow(sc: CsvScanner, options: IngestOptions, file: string): ColumnLayout | undefined {
  const r = sc.next();
  if (r === NEED_MORE) return undefined;
  if (r === INVALID) {
    const issue = sc.issue;
    throw new ReachtreeError('E_INPUT_QUOTING', `header: ${issue?.message ?? 'broken quoting'}`, {
      location: { file, line: sc.line, column: issue?.field ?? 1, value: issue?.value ?? '' },
    });
  }
  const header: string[] = [];
  for (let i = 0; i < sc.fieldCount; i++) header.push(utf8.decode(sc.row.subarray(sc.starts[i], sc.ends[i])));
  return resolveLayout(header, options, file, sc.line);
}

/** The E_INPUT_HEADER error of an input without a header row. */
export function emptyInputError(options: IngestOptions, file: string): ReachtreeError {
  const columns = [options.idColumn, ...options.facetColumns, options.territoryColumn];
  return new ReachtreeError('E_INPUT_HEADER', `empty input: expected a header with the columns ${columns.join(', ')}`, { location: { file } });
}

/**
 * Finds the id, territory and facet columns in a header. Names match exactly, or else trimmed
 * and case-insensitively; a missing or ambiguous column is an E_INPUT_HEADER error naming the
 * columns found.
 */
export function resolveLayout(header: readonly string[], options: IngestOptions, file: string, line = 1): ColumnLayout {
  const find = (name: string): number => {
    const exact = header.indexOf(name);
    if (exact >= 0) {
      if (header.indexOf(name, exact + 1) >= 0) throw headerError(`column "${name}" appears twice in the header`);
      return exact;
    }
    const norm = name.trim().toLowerCase();
    const loose = header.flatMap((h, i) => (h.trim().toLowerCase() === norm ? [i] : []));
    if (loose.length === 1) return loose[0] as number;
    if (loose.length > 1) throw headerError(`column "${name}" matches ${loose.length} header columns`);
    const wanted = [options.idColumn, ...options.facetColumns, options.territoryColumn];
    throw headerError(`missing column "${name}" (needed: ${wanted.join(', ')}; found: ${header.map((h) => JSON.stringify(h)).join(', ')})`);
  };
  const headerError = (message: string): ReachtreeError => new ReachtreeError('E_INPUT_HEADER', message, { location: { file, line } });
  return Object.freeze({
    header: Object.freeze([...header]),
    id: find(options.idColumn),
    territory: find(options.territoryColumn),
    facets: Object.freeze(options.facetColumns.map(find)),
  });
}
