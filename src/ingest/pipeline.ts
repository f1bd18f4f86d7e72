/**
 * Ingest entry points: files (paths, '-' for stdin, plain or gzip), a Node stream / async iterable
 * of bytes, or an async iterable of row objects, into one cube of cells.
 *
 * The shell around `Ingester` only moves bytes: it opens sources, feeds their chunks, collects
 * rejected rows into the rejects file, enforces maxInvalid, reports progress and returns the cube
 * with a summary. Memory is bounded by the cells (plus one chunk and one row), never by the rows:
 * nothing per row is kept.
 *
 * Failure semantics: without skipInvalid the first invalid row throws its ReachtreeError (file,
 * line, column, value) and nothing is written; with skipInvalid, more than maxInvalid rejected rows
 * throw E_INPUT_TOO_MANY_INVALID after the rejects file has been written.
 *
 * With `workers > 1` each source goes through `parallel.ts` (same cells, counts and errors). The
 * workers only count rejected rows; when there are some and a rejects file is wanted, a second,
 * checking-only pass over the file writes them in file order. Stdin cannot be read twice, so with
 * a rejects file it is ingested in this thread.
 */
import { ReachtreeError, isReachtreeError, type ErrorCode } from '../errors.js';
import { ALL, Cube, type Cell } from '../cube/index.js';
import { murmurHash3x64h1 } from '../hash/index.js';
import { resolveHllParams, type HllParams } from '../sketch/index.js';
import type { TerritoryTree } from '../territory/index.js';
import { Ingester, TreeCells, type RejectedRow } from './ingester.js';
import { resolveIngestOptions, type IngestArgs, type IngestOptions } from './options.js';
import { ProgressReporter, type IngestSummary, type ProgressSink } from './progress.js';
import { csvField } from '../csv.js';
import { RejectsWriter } from './rejects.js';
import { ingestSourceParallel, WorkerPool } from './parallel.js';
import { BUFFER_CHUNKS, openSource, streamSource, type ByteSource } from './sources.js';

export interface IngestResult {
  readonly cube: Cube;
  readonly summary: IngestSummary;
}

/** Where ingest reads stdin and writes progress (injectable for tests and embedding). */
export interface IngestIo {
  readonly stdin?: AsyncIterable<Uint8Array>;
  readonly stderr?: ProgressSink;
  /** Cube to add to (default: a new one with the given params and the options' facet columns). */
  readonly cube?: Cube;
}

const EMPTY = Buffer.alloc(0);

/** Ingests CSV files ('-' = stdin; plain or gzip) in order into one cube. */
export async function ingestFiles(
  paths: readonly string[],
  tree: TerritoryTree,
  args: IngestArgs = {},
  params: Partial<HllParams> = {},
  io: IngestIo = {},
): Promise<IngestResult> {
  const options = resolveIngestOptions(args);
  // Check every path first (a typo in the last one fails before minutes of work on the first),
  // but open each only when its turn comes: thousands of daily files must not hold thousands of
  // descriptors.
  for (const p of paths) if (p !== '-') await checkReadable(p);
  const open = (p: string) => () => openSource(p, { chunkBytes: options.chunkBytes, ...(io.stdin ? { stdin: io.stdin } : {}) });
  const inputs: Input[] = paths.map((p) => ({ open: open(p), ...(p === '-' ? {} : { reopen: open(p) }) }));
  return run(inputs, tree, options, params, io);
}

/** Ingests one CSV byte stream (a Node Readable or any async iterable of bytes; gzip is detected). */
export async function ingestStream(
  stream: AsyncIterable<Uint8Array>,
  name: string,
  tree: TerritoryTree,
  args: IngestArgs = {},
  params: Partial<HllParams> = {},
  io: IngestIo = {},
): Promise<IngestResult> {
  const source = streamSource(stream, name);
  return run([{ open: () => Promise.resolve(source) }], tree, resolveIngestOptions(args), params, io);
}

/** One input of a run: opened when its turn comes; re-openable when it is a file. */
interface Input {
  readonly open: () => Promise<ByteSource>;
  readonly reopen?: () => Promise<ByteSource>;
}

async function run(inputs: readonly Input[], tree: TerritoryTree, options: IngestOptions, params: Partial<HllParams>, io: IngestIo): Promise<IngestResult> {
  const started = performance.now();
  const cube = io.cube ?? new Cube(resolveHllParams(params), options.facetColumns);
  const session = new RejectSession(options);
  const progress = progressFor(options, io);
  const pool = options.workers > 1 ? new WorkerPool(options.workers) : undefined;
  let rows = 0;
  let rejected = 0;
  let bytes = 0;
  let source: ByteSource | undefined;
  try {
    for (const input of inputs) {
      const src = await input.open();
      source = src;
      const again = input.reopen;
      // The rejects file lists rows in file order; the parallel path re-reads the input for it.
      if (pool !== undefined && (options.rejectsFile === undefined || again !== undefined)) {
        const rowsBefore = rows;
        const outcome = await ingestSourceParallel(source, {
          options,
          tree,
          cube,
          pool,
          lastInput: input === inputs[inputs.length - 1],
          onProgress: (n) => progress?.update({ file: src.name, rows: rowsBefore + n, bytesRead: src.bytesRead, size: src.size }),
        });
        if (outcome.rejected > 0 && options.rejectsFile !== undefined && again !== undefined) {
          await checkRows(await again(), tree, cube, options, session);
        } else if (outcome.rejected > 0 && outcome.firstReject !== undefined) {
          session.addCounted(outcome.rejected, outcome.firstReject);
        }
        rows += outcome.rows;
        rejected += outcome.rejected;
        bytes += outcome.bytes;
        continue;
      }
      const ingester = new Ingester({ options, cells: new TreeCells(tree, cube), file: source.name, onReject: (r) => session.add(r), chunks: BUFFER_CHUNKS });
      for await (const chunk of source) {
        ingester.push(chunk, false);
        await session.flush();
        progress?.update({ file: src.name, rows: rows + ingester.rows, bytesRead: src.bytesRead, size: src.size });
      }
      ingester.push(EMPTY, true);
      rows += ingester.rows;
      rejected += ingester.rejected;
      bytes += ingester.bytes;
    }
  } catch (e) {
    progress?.finish();
    await source?.close();
    await session.fail(e);
    throw e;
  } finally {
    await pool?.close();
  }
  progress?.finish();
  await session.close();
  return {
    cube,
    summary: { files: inputs.length, rowsRead: rows, rowsRejected: rejected, cells: cube.size, bytes, elapsedMs: performance.now() - started },
  };
}

/** The rejects pass after a parallel run: every invalid row, in file order, into the session. */
async function checkRows(source: ByteSource, tree: TerritoryTree, cube: Cube, options: IngestOptions, session: RejectSession): Promise<void> {
  const checker = new Ingester({ options, cells: new TreeCells(tree, cube), file: source.name, onReject: (r) => session.add(r), chunks: BUFFER_CHUNKS });
  checker.checkOnly = true;
  for await (const chunk of source) {
    checker.push(chunk, false);
    await session.flush();
  }
  checker.push(EMPTY, true);
}

/** A row for `ingestRows`: column name → value (extra properties are ignored). */
export type RowObject = Readonly<Record<string, string | undefined>>;

/**
 * Ingests row objects (e.g. from a database cursor or fast-csv with headers) with the same checks
 * and the same hashing as the CSV path: the id's UTF-8 bytes through hll_hash_text. Row n (1-based)
 * is reported as line n of `name`.
 */
export async function ingestRows(
  rows: AsyncIterable<RowObject> | Iterable<RowObject>,
  tree: TerritoryTree,
  args: IngestArgs = {},
  params: Partial<HllParams> = {},
  io: IngestIo & { readonly name?: string } = {},
): Promise<IngestResult> {
  const options = resolveIngestOptions(args);
  const started = performance.now();
  const cube = io.cube ?? new Cube(resolveHllParams(params), options.facetColumns);
  const session = new RejectSession(options);
  const ingester = new RowIngester(options, tree, cube, io.name ?? 'rows', session);
  try {
    for await (const row of rows) {
      ingester.push(row);
      if ((ingester.rows & 0xfff) === 0) await session.flush();
    }
  } catch (e) {
    await session.fail(e);
    throw e;
  }
  await session.close();
  return {
    cube,
    summary: { files: 1, rowsRead: ingester.rows, rowsRejected: ingester.rejected, cells: cube.size, bytes: 0, elapsedMs: performance.now() - started },
  };
}

/** The row-object counterpart of Ingester: same checks, same messages, strings instead of bytes. */
class RowIngester {
  rows = 0;
  rejected = 0;
  private readonly cells = new Map<string, Cell>();
  private readonly enc = new TextEncoder();
  private readonly hash = new Uint32Array(2);
  private readonly columns: readonly string[];

  constructor(
    private readonly options: IngestOptions,
    private readonly tree: TerritoryTree,
    private readonly cube: Cube,
    private readonly file: string,
    private readonly session: RejectSession,
  ) {
    this.columns = [options.idColumn, ...options.facetColumns, options.territoryColumn];
  }

  push(row: RowObject): void {
    this.rows++;
    const o = this.options;
    const missing = this.columns.find((c) => typeof row[c] !== 'string');
    if (missing !== undefined) return this.invalid(row, 'E_INPUT_MISSING_COLUMN', 'row has no such column', missing, undefined);
    const id = row[o.idColumn] as string;
    if (id === '') return this.invalid(row, 'E_INPUT_EMPTY_ID', 'empty subscriber id', o.idColumn, '');
    const code = row[o.territoryColumn] as string;
    const facetValues = o.facetColumns.map((c) => row[c] as string);
    const key = JSON.stringify([code, ...facetValues]);
    let cell = this.cells.get(key);
    if (cell === undefined) {
      const reserved = facetValues.indexOf(ALL);
      if (reserved >= 0) {
        return this.invalid(row, 'E_INPUT_VALUE', `facet value "${ALL}" is reserved for the union across values`, o.facetColumns[reserved] as string, ALL);
      }
      let node;
      try {
        node = this.tree.resolve(code);
      } catch (e) {
        if (!isReachtreeError(e)) throw e;
        return this.invalid(row, e.code, e.message, o.territoryColumn, code);
      }
      cell = this.cube.cell(node, facetValues);
      this.cells.set(key, cell);
    }
    const bytes = this.enc.encode(id);
    murmurHash3x64h1(bytes, 0, bytes.length, o.hashSeed, this.hash);
    cell.sketch.addHash(this.hash[0] as number, this.hash[1] as number);
    cell.subscriptions++;
  }

  private invalid(row: RowObject, code: ErrorCode, message: string, column: string, value: string | undefined): void {
    const location = { column, ...(value !== undefined ? { value } : {}) };
    if (!this.options.skipInvalid) throw new ReachtreeError(code, message, { location: { file: this.file, line: this.rows, ...location } });
    this.rejected++;
    const raw = this.columns.map((c) => csvField(row[c] ?? '')).join(',');
    this.session.add({ file: this.file, line: this.rows, code, reason: new ReachtreeError(code, message, { location }).message, raw });
  }
}

/** Counting, the maxInvalid limit and the rejects file, shared by every input of one run. */
class RejectSession {
  private count = 0;
  private readonly writer: RejectsWriter | undefined;
  private first: RejectedRow | undefined;

  constructor(private readonly options: IngestOptions) {
    this.writer = options.rejectsFile !== undefined ? new RejectsWriter(options.rejectsFile) : undefined;
  }

  /** Records rejected rows counted elsewhere (a parallel run without a rejects file). */
  addCounted(n: number, first: RejectedRow): void {
    this.count += n;
    this.first ??= first;
    this.check();
  }

  /** Records a rejected row; throws E_INPUT_TOO_MANY_INVALID once past the limit. */
  add(row: RejectedRow): void {
    this.count++;
    this.first ??= row;
    this.writer?.add(row);
    this.check();
  }

  private check(): void {
    if (this.count <= this.options.maxInvalid) return;
    const where = this.options.rejectsFile !== undefined ? `; the rejected rows are in ${this.options.rejectsFile}` : '';
    const first = this.first as RejectedRow;
    throw new ReachtreeError(
      'E_INPUT_TOO_MANY_INVALID',
      `more than ${this.options.maxInvalid} invalid row${this.options.maxInvalid === 1 ? '' : 's'} (the first: ${first.file}, line ${first.line}: ${first.reason})${where}`,
    );
  }

  async flush(): Promise<void> {
    await this.writer?.flush();
  }

  async close(): Promise<void> {
    await this.writer?.close();
  }

  /** After a failure: keep the rejects file only when it explains the failure. */
  async fail(e: unknown): Promise<void> {
    if (e instanceof ReachtreeError && e.code === 'E_INPUT_TOO_MANY_INVALID') await this.writer?.close();
    else await this.writer?.abort();
  }
}

/** E_INPUT_FILE unless `path` is an existing file or stream that is not a directory. */
async function checkReadable(path: string): Promise<void> {
  const source = await openSource(path);
  await source.close();
}

function progressFor(options: IngestOptions, io: IngestIo): ProgressReporter | undefined {
  const sink = io.stderr ?? process.stderr;
  const on = options.progress === 'auto' ? sink.isTTY === true : options.progress;
  return on ? new ProgressReporter(sink) : undefined;
}
