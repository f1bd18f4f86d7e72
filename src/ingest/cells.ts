/**
 * Cells files on disk: `territory,<facet columns…>,subscriptions,sketch` (see cube/cells.ts for
 * the format and why it loads into PostgreSQL with one COPY).
 *
 * Reading goes through fast-csv: cells files are small next to subscription input (one row per
 * cell, not per subscription), so the byte scanner's speed is not needed here. Files may be plain
 * or gzip, or '-' for stdin (via `openSource`). fast-csv does not report line numbers, so they are
 * counted here from the records (blank lines and newlines inside quoted fields count), and its
 * untyped parse errors become E_INPUT_QUOTING errors naming the file and the earliest possible line.
 *
 * Writing streams the rows in the deterministic cell order through `writeFileAtomic`: the file is
 * complete or absent, and the same cells always give the same bytes.
 */
import { Readable } from 'node:stream';
import { CellsDecoder, cellRowFields, cellsHeader, encodeCells, type CellsDecoderOptions, type Cube } from '../cube/index.js';
import { ReachtreeError, isReachtreeError } from '../errors.js';
import { writeFileAtomic } from '../report/atomic.js';
import type { TerritoryTree } from '../territory/index.js';
import { csvField, loadFastCsv } from '../csv.js';
import { openSource } from './sources.js';

export interface ReadCellsOptions extends CellsDecoderOptions {
  /** What '-' reads (default process.stdin). */
  readonly stdin?: AsyncIterable<Uint8Array>;
}

export interface CellsReadResult {
  readonly cube: Cube;
  /** Data rows read over all files. */
  readonly rows: number;
}

/**
 * Reads and unions cells files: cells that appear in several files (or twice in one) are merged.
 * All files must have the same facet columns and sketch parameters.
 */
export async function readCellsFiles(paths: readonly string[], tree: TerritoryTree, options: ReadCellsOptions = {}): Promise<CellsReadResult> {
  const decoder = new CellsDecoder(tree, options);
  for (const path of paths) {
    const source = await openSource(path, options.stdin !== undefined ? { stdin: options.stdin } : {});
    await readOne(Readable.from(source), source.name, decoder);
  }
  return { cube: decoder.finish(), rows: decoder.rowCount };
}

/** Reads cells from a byte stream (plain CSV) into `decoder`. */
export async function readCellsStream(stream: AsyncIterable<Uint8Array>, name: string, decoder: CellsDecoder): Promise<void> {
  await readOne(Readable.from(stream), name, decoder);
}

async function readOne(input: Readable, file: string, decoder: CellsDecoder): Promise<void> {
  const { parse } = await loadFastCsv();
  const parser = input.pipe(parse({ headers: false, ignoreEmpty: false, trim: false }));
  input.on('error', (e) => parser.destroy(e));
  let line = 1; // where the next record starts
  let headerSeen = false;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const at = line;
      line += 1;
      for (const f of record) for (let i = f.indexOf('\n'); i >= 0; i = f.indexOf('\n', i + 1)) line++;
      if (record.length === 0) continue; // blank line
      if (!headerSeen) {
        decoder.header(record, file);
        headerSeen = true;
      } else {
        decoder.row(record, file, at);
      }
    }
  } catch (e) {
    if (isReachtreeError(e)) throw e;
    const message = e instanceof Error ? e.message : String(e);
    // fast-csv parses a chunk before handing out its records, so the failing record may start
    // on a later line than the last one handed out: say so rather than name a wrong line.
    throw new ReachtreeError('E_INPUT_QUOTING', `cannot parse the cells file at or after line ${line}: ${message.replace(/\s+/g, ' ').trim()}`, {
      location: { file },
      cause: e,
    });
  }
  if (!headerSeen) {
    throw new ReachtreeError('E_INPUT_HEADER', 'empty cells file: expected the header territory,<facet columns…>,subscriptions,sketch', {
      location: { file },
    });
  }
}

/** The cells file content as CSV text pieces (header first), batched for fewer writes. */
export function* cellsCsv(cube: Cube, tree?: Pick<TerritoryTree, 'nodes'>): Generator<string> {
  let batch = cellsHeader(cube.facetNames).map(csvField).join(',') + '\n';
  for (const row of encodeCells(cube, tree)) {
    batch += cellRowFields(row).map(csvField).join(',') + '\n';
    if (batch.length >= 1 << 16) {
      yield batch;
      batch = '';
    }
  }
  if (batch.length > 0) yield batch;
}

/** Writes a cells file atomically (complete or absent). */
export async function writeCellsFile(path: string, cube: Cube, tree?: Pick<TerritoryTree, 'nodes'>): Promise<void> {
  await writeFileAtomic(path, cellsCsv(cube, tree));
}
