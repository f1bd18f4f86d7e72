/**
 * Ingest options: what callers may pass (`IngestArgs`, all optional) and the validated, frozen
 * `IngestOptions` the pipeline runs on. Every default and limit of the ingest lives here.
 */
import { ReachtreeError } from '../errors.js';

export interface IngestArgs {
  /** Header name of the (already hashed) subscriber id column. Default `subscriber_id`. */
  idColumn?: string;
  /** Header name of the territory code column. Default `territory`. */
  territoryColumn?: string;
  /** Header names of the facet columns (`--by`), in report order. Default `['platform']`; may be empty. */
  facetColumns?: readonly string[];
  /** One ASCII character (`,`, `;`, `\t`, `|`…) other than a quote, CR or LF. Default `,`. */
  delimiter?: string;
  /** Reject bad rows (to `rejectsFile` when given) instead of failing the run. Default false. */
  skipInvalid?: boolean;
  /** With skipInvalid: fail once more than this many rows were rejected. Default: no limit. */
  maxInvalid?: number;
  /** With skipInvalid: CSV file receiving each rejected row (file,line,reason,raw). */
  rejectsFile?: string;
  /** Worker threads for file ingest; 1 = in the calling thread. Default 1. */
  workers?: number;
  /** Progress on stderr: true, false, or 'auto' (only when stderr is a TTY). Default 'auto'. */
  progress?: boolean | 'auto';
  /** Seed of hll_hash_text for the ids. Default 0, as PostgreSQL's default. */
  hashSeed?: number;
  /** Longest acceptable row in bytes (bounds memory on garbage input). Default 1 MiB. */
  maxRowBytes?: number;
  /** Bytes read from a file at a time. Default 1 MiB. */
  chunkBytes?: number;
  /** With workers: bytes of whole rows handed to a worker at a time. Default 2 MiB. */
  unitBytes?: number;
}

export interface IngestOptions {
  readonly idColumn: string;
  readonly territoryColumn: string;
  readonly facetColumns: readonly string[];
  readonly delimiter: string;
  /** The delimiter as a byte, for the scanner. */
  readonly delimiterByte: number;
  readonly skipInvalid: boolean;
  /** Infinity when unlimited. */
  readonly maxInvalid: number;
  readonly rejectsFile: string | undefined;
  readonly workers: number;
  readonly progress: boolean | 'auto';
  readonly hashSeed: number;
  readonly maxRowBytes: number;
  readonly chunkBytes: number;
  readonly unitBytes: number;
}

export const DEFAULT_ID_COLUMN = 'subscriber_id';
export const DEFAULT_TERRITORY_COLUMN = 'territory';
export const DEFAULT_FACET_COLUMNS: readonly string[] = Object.freeze(['platform']);
export const MAX_WORKERS = 64;

const RESOLVED = Symbol('resolved ingest options');

/** Validates `args` and fills in defaults; throws E_CONFIG_OPTION naming the option. Idempotent. */
export function resolveIngestOptions(args: IngestArgs = {}): IngestOptions {
  if ((args as { [RESOLVED]?: true })[RESOLVED] === true) return args as IngestOptions;

  const idColumn = columnName('idColumn', args.idColumn ?? DEFAULT_ID_COLUMN);
  const territoryColumn = columnName('territoryColumn', args.territoryColumn ?? DEFAULT_TERRITORY_COLUMN);
  const facetArg = args.facetColumns ?? DEFAULT_FACET_COLUMNS;
  if (!Array.isArray(facetArg)) fail('facetColumns', 'a list of column names', facetArg);
  const facetColumns = Object.freeze(facetArg.map((c: unknown) => columnName('facetColumns', c)));
  const all = [idColumn, territoryColumn, ...facetColumns];
  const dup = all.find((c, i) => all.indexOf(c) !== i);
  if (dup !== undefined) {
    throw new ReachtreeError('E_CONFIG_OPTION', `column "${dup}" is named twice among the id, territory and facet columns`);
  }

  const delimiter = args.delimiter ?? ',';
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter.charCodeAt(0) > 0x7f || '"\r\n'.includes(delimiter)) {
    fail('delimiter', 'one ASCII character other than a quote, CR or LF', delimiter);
  }

  const skipInvalid = args.skipInvalid ?? false;
  if (typeof skipInvalid !== 'boolean') fail('skipInvalid', 'true or false', skipInvalid);
  let maxInvalid = Infinity;
  if (args.maxInvalid !== undefined) {
    if (!skipInvalid) throw new ReachtreeError('E_CONFIG_OPTION', 'maxInvalid (--max-invalid) only applies with skipInvalid (--skip-invalid)');
    maxInvalid = integer('maxInvalid', args.maxInvalid, 0, Number.MAX_SAFE_INTEGER);
  }
  let rejectsFile: string | undefined;
  if (args.rejectsFile !== undefined) {
    if (!skipInvalid) throw new ReachtreeError('E_CONFIG_OPTION', 'rejectsFile (--rejects) only applies with skipInvalid (--skip-invalid)');
    if (typeof args.rejectsFile !== 'string' || args.rejectsFile === '') fail('rejectsFile', 'a file path', args.rejectsFile);
    rejectsFile = args.rejectsFile;
  }

  const workers = integer('workers', args.workers ?? 1, 1, MAX_WORKERS);
  const progress = args.progress ?? 'auto';
  if (progress !== true && progress !== false && progress !== 'auto') fail('progress', "true, false or 'auto'", progress);
  const hashSeed = integer('hashSeed', args.hashSeed ?? 0, -0x80000000, 0x7fffffff);
  const maxRowBytes = integer('maxRowBytes', args.maxRowBytes ?? 1 << 20, 64, 1 << 30);
  const chunkBytes = integer('chunkBytes', args.chunkBytes ?? 1 << 20, 1, 1 << 30);
  const unitBytes = integer('unitBytes', args.unitBytes ?? 2 << 20, 1, 1 << 30);

  const options: IngestOptions & { [RESOLVED]: true } = {
    idColumn,
    territoryColumn,
    facetColumns,
    delimiter,
    delimiterByte: delimiter.charCodeAt(0),
    skipInvalid,
    maxInvalid,
    rejectsFile,
    workers,
    progress,
    hashSeed,
    maxRowBytes,
    chunkBytes,
    unitBytes,
    [RESOLVED]: true,
  };
  return Object.freeze(options);
}

function columnName(option: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') fail(option, 'a non-empty column name', value);
  return value;
}

function integer(option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(option, `an integer from ${min} to ${max}`, value);
  }
  return value;
}

function fail(option: string, expected: string, found: unknown): never {
  throw new ReachtreeError('E_CONFIG_OPTION', `option ${option} must be ${expected}, found ${JSON.stringify(found) ?? String(found)}`);
}
