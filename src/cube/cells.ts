/**
 * Cells ⇄ rows: the interchange form of a cube (`reachtree build` writes it, `merge` and the
 * report read it back).
 *
 * One row per cell, columns `territory,<facet columns…>,subscriptions,sketch`, for example
 *
 *   territory,platform,subscriptions,sketch
 *   44701000,vk,3,\x128b7f3a1c9e0d5b2f4e11…
 *
 * The sketch is the storage-spec v1 bytes in PostgreSQL's bytea hex form (`\x` + lowercase hex),
 * which the `hll` type's input function accepts, so the file loads with one
 * `COPY cells FROM 'cells.csv' (FORMAT csv, HEADER)` into a table whose sketch column is `hll`.
 *
 * Encoding is deterministic (cells sorted by territory, then facet values): the same input rows
 * give byte-identical files however they were ordered or split. Decoding validates everything it
 * reads and names file, line and column on failure; all sketches of one cube must share their
 * parameters (the extension refuses to union sketches that differ in any of them).
 */
import { ReachtreeError, isReachtreeError, type ErrorCode } from '../errors.js';
import { DEFAULT_HLL_PARAMS, HllSketch, type HllParams } from '../sketch/index.js';
import type { TerritoryTree } from '../territory/index.js';
import { ALL, Cube } from './cube.js';

export interface CellRow {
  readonly territory: string;
  readonly facetValues: readonly string[];
  readonly subscriptions: number;
  /** `\x…` hex of the sketch bytes. */
  readonly sketch: string;
}

export const TERRITORY_COLUMN = 'territory';
export const SUBSCRIPTIONS_COLUMN = 'subscriptions';
export const SKETCH_COLUMN = 'sketch';

/** Header of a cells file for these facet columns. */
export function cellsHeader(facetNames: readonly string[]): string[] {
  return [TERRITORY_COLUMN, ...facetNames, SUBSCRIPTIONS_COLUMN, SKETCH_COLUMN];
}

/**
 * The cube's cells as rows, in the deterministic file order (see `Cube.cells`). A generator: the hex
 * of a large cube would not fit in memory at once.
 */
export function* encodeCells(cube: Cube, tree?: Pick<TerritoryTree, 'nodes'>): Generator<CellRow> {
  for (const { territory, facetValues, cell } of cube.cells(tree)) {
    yield { territory: territory.code, facetValues, subscriptions: cell.subscriptions, sketch: cell.sketch.toHex() };
  }
}

/** A row as CSV fields, in header order. */
export function cellRowFields(row: CellRow): string[] {
  return [row.territory, ...row.facetValues, String(row.subscriptions), row.sketch];
}

export interface CellsDecoderOptions {
  /** Expected sketch parameters; default: those of the first sketch read. */
  readonly params?: HllParams;
  /** Expected facet columns; default: those of the first header read. */
  readonly facetNames?: readonly string[];
}

/**
 * Builds a cube from cell rows of one or more files. Feed each file's header, then its rows;
 * duplicate cells (the same territory and facet values, in one file or across files) are unioned,
 * which is what `merge` means.
 */
export class CellsDecoder {
  private cube: Cube | undefined;
  private params: HllParams | undefined;
  private paramsFrom = '';
  private facetNames: readonly string[] | undefined;
  private facetsFrom = '';
  /** Facet names of the file being read. */
  private current: readonly string[] | undefined;
  private rows = 0;

  constructor(
    private readonly tree: TerritoryTree,
    options: CellsDecoderOptions = {},
  ) {
    this.params = options.params;
    if (options.params !== undefined) this.paramsFrom = 'the requested parameters';
    this.facetNames = options.facetNames;
    if (options.facetNames !== undefined) this.facetsFrom = 'the requested facet columns';
  }

  /** Number of rows read so far. */
  get rowCount(): number {
    return this.rows;
  }

  /** Checks a file's header; returns its facet column names. */
  header(fields: readonly string[], file: string): readonly string[] {
    const trimmed = fields.map((f) => f.trim());
    const n = trimmed.length;
    if (n < 3 || trimmed[0] !== TERRITORY_COLUMN || trimmed[n - 2] !== SUBSCRIPTIONS_COLUMN || trimmed[n - 1] !== SKETCH_COLUMN) {
      throw new ReachtreeError(
        'E_INPUT_HEADER',
        `a cells file needs the header ${TERRITORY_COLUMN},<facet columns…>,${SUBSCRIPTIONS_COLUMN},${SKETCH_COLUMN}; found ${trimmed.join(',')}`,
        { location: { file, line: 1 } },
      );
    }
    const facets = Object.freeze(trimmed.slice(1, n - 2));
    if (this.facetNames === undefined) {
      this.facetNames = facets;
      this.facetsFrom = file;
    } else if (facets.length !== this.facetNames.length || facets.some((f, i) => f !== this.facetNames?.[i])) {
      throw new ReachtreeError(
        'E_INPUT_HEADER',
        `facet columns [${facets.join(', ')}] differ from [${this.facetNames.join(', ')}] of ${this.facetsFrom}`,
        { location: { file, line: 1 } },
      );
    }
    this.current = facets;
    return facets;
  }

  /** Decodes one data row of the current file and adds it to the cube. */
  row(fields: readonly string[], file: string, line: number): void {
    const facets = this.current;
    if (facets === undefined) throw new Error('CellsDecoder.row() before header()');
    const expected = facets.length + 3;
    if (fields.length !== expected) {
      const code: ErrorCode = fields.length < expected ? 'E_INPUT_MISSING_COLUMN' : 'E_INPUT_VALUE';
      throw new ReachtreeError(code, `expected ${expected} fields (${cellsHeader(facets).join(',')}), found ${fields.length}`, {
        location: { file, line },
      });
    }
    const code = fields[0] as string;
    let node;
    try {
      node = this.tree.resolve(code);
    } catch (e) {
      throw located(e, file, line, TERRITORY_COLUMN, code);
    }
    const facetValues = fields.slice(1, 1 + facets.length);
    facetValues.forEach((v, i) => {
      if (v === ALL) {
        throw new ReachtreeError('E_INPUT_VALUE', `facet value "${ALL}" is reserved for the union across values`, {
          location: { file, line, column: facets[i], value: v },
        });
      }
    });
    const subsText = fields[facets.length + 1] as string;
    if (!/^[0-9]{1,15}$/.test(subsText)) {
      throw new ReachtreeError('E_INPUT_VALUE', 'subscriptions must be a whole number from 0 to 999999999999999', {
        location: { file, line, column: SUBSCRIPTIONS_COLUMN, value: subsText },
      });
    }
    const hex = fields[facets.length + 2] as string;
    let sketch: HllSketch;
    try {
      sketch = HllSketch.fromHex(hex);
    } catch (e) {
      throw located(e, file, line, SKETCH_COLUMN, hex);
    }
    this.checkParams(sketch.params, file, line);
    const cube = this.ensureCube();
    const cell = cube.cell(node, facetValues);
    cell.sketch.absorb(sketch);
    cell.subscriptions += Number(subsText);
    this.rows++;
  }

  /** The cube read so far (an empty one when no row was read). */
  finish(): Cube {
    return this.ensureCube();
  }

  private ensureCube(): Cube {
    if (this.cube === undefined) this.cube = new Cube(this.params ?? DEFAULT_HLL_PARAMS, this.facetNames ?? []);
    return this.cube;
  }

  private checkParams(p: HllParams, file: string, line: number): void {
    const want = this.params;
    if (want === undefined) {
      this.params = p;
      this.paramsFrom = `the first sketch (${file}, line ${line})`;
      return;
    }
    let code: ErrorCode | undefined;
    if (p.log2m !== want.log2m) code = 'E_PARAM_LOG2M_MISMATCH';
    else if (p.regwidth !== want.regwidth) code = 'E_PARAM_REGWIDTH_MISMATCH';
    else if (p.expthresh !== want.expthresh) code = 'E_PARAM_EXPTHRESH_MISMATCH';
    else if (p.sparseon !== want.sparseon) code = 'E_PARAM_SPARSEON_MISMATCH';
    if (code === undefined) return;
    throw new ReachtreeError(code, `sketch parameters ${describeParams(p)} differ from ${describeParams(want)} of ${this.paramsFrom}`, {
      location: { file, line, column: SKETCH_COLUMN },
    });
  }
}

export function describeParams(p: HllParams): string {
  return `(log2m ${p.log2m}, regwidth ${p.regwidth}, expthresh ${p.expthresh}, sparseon ${p.sparseon ? 1 : 0})`;
}

/** Re-throws a location-less error from a lower layer with file, line, column and value. */
function located(e: unknown, file: string, line: number, column: string, value: string): ReachtreeError {
  if (!isReachtreeError(e)) throw e;
  return new ReachtreeError(e.code, e.message, {
    location: { file, line, column, value },
    ...(e.detail !== undefined ? { detail: e.detail } : {}),
    cause: e,
  });
}
