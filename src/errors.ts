/**
 * Typed errors for the whole library.
 *
 * Every failure a user can cause carries a stable `code` (grouped by prefix: `E_FORMAT_*` for
 * sketch bytes, `E_INPUT_*` for rows and files, `E_CONFIG_*` for options and parameters,
 * `E_PARAM_*` for sketch-parameter mismatches, `E_PG_*` for the database edge) and a message
 * that says what was expected and what was found. Input errors also carry where: file, line,
 * column and the offending value, so an analyst can open the file at the right row.
 *
 * The CLI maps the code prefix to an exit code (`exitCodeFor`); nothing else calls
 * `process.exit`.
 */

export type ErrorCode =
  // sketch bytes (storage spec v1)
  | 'E_FORMAT_HEX'
  | 'E_FORMAT_LENGTH'
  | 'E_FORMAT_VERSION'
  | 'E_FORMAT_TYPE'
  | 'E_FORMAT_HEADER'
  | 'E_FORMAT_PADDING'
  | 'E_FORMAT_EXPLICIT_ORDER'
  | 'E_FORMAT_UNDEFINED'
  | 'E_FORMAT_REGISTER'
  // sketch parameters
  | 'E_PARAM_REGWIDTH_MISMATCH'
  | 'E_PARAM_LOG2M_MISMATCH'
  | 'E_PARAM_EXPTHRESH_MISMATCH'
  | 'E_PARAM_SPARSEON_MISMATCH'
  // input rows and files
  | 'E_INPUT_FILE'
  | 'E_INPUT_HEADER'
  | 'E_INPUT_MISSING_COLUMN'
  | 'E_INPUT_EMPTY_ID'
  | 'E_INPUT_TERRITORY_UNKNOWN'
  | 'E_INPUT_TERRITORY_MALFORMED'
  | 'E_INPUT_QUOTING'
  | 'E_INPUT_VALUE'
  | 'E_INPUT_TOO_MANY_INVALID'
  // hierarchy / configuration
  | 'E_HIERARCHY_CYCLE'
  | 'E_HIERARCHY_MISSING_PARENT'
  | 'E_HIERARCHY_DUPLICATE'
  | 'E_HIERARCHY_FORMAT'
  | 'E_HIERARCHY_ROOT'
  | 'E_CONFIG_OPTION'
  | 'E_CONFIG_PARAMS'
  // PostgreSQL edge
  | 'E_PG_CONNECT'
  | 'E_PG_EXTENSION'
  | 'E_PG_QUERY'
  | 'E_PG_COLUMNS'
  // output
  | 'E_OUTPUT_WRITE';

/** Where in an input an error was found. Lines and columns are 1-based. */
export interface InputLocation {
  readonly file?: string;
  readonly line?: number;
  /** Column name (from the header) or 1-based column number. */
  readonly column?: string | number;
  readonly value?: string;
}

export class ReachtreeError extends Error {
  override readonly name = 'ReachtreeError';
  readonly code: ErrorCode;
  readonly location: InputLocation | undefined;
  /** Extra diagnostic text (e.g. a byte dump), shown by the CLI below the message. */
  readonly detail: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { location?: InputLocation; detail?: string; cause?: unknown } = {},
  ) {
    super(withLocation(message, options.location), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.location = options.location;
    this.detail = options.detail;
  }
}

/** `file:line: column "c": message (value: "v")` — the order a grep-minded analyst reads. */
function withLocation(message: string, loc: InputLocation | undefined): string {
  if (loc === undefined) return message;
  const where: string[] = [];
  if (loc.file !== undefined) where.push(loc.file);
  if (loc.line !== undefined) where.push(`line ${loc.line}`);
  if (loc.column !== undefined) where.push(`column ${typeof loc.column === 'number' ? loc.column : `"${loc.column}"`}`);
  const prefix = where.length > 0 ? `${where.join(', ')}: ` : '';
  const value = loc.value !== undefined ? ` (value: ${JSON.stringify(truncate(loc.value, 120))})` : '';
  return `${prefix}${message}${value}`;
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}…`;
}

export function isReachtreeError(e: unknown): e is ReachtreeError {
  return e instanceof ReachtreeError;
}

/** Exit codes of the CLI, by error family. 1 is reserved for unexpected failures (bugs). */
export function exitCodeFor(code: ErrorCode): number {
  if (code.startsWith('E_CONFIG_')) return 2;
  if (code.startsWith('E_INPUT_') || code.startsWith('E_HIERARCHY_')) return 3;
  if (code.startsWith('E_FORMAT_') || code.startsWith('E_PARAM_')) return 4;
  if (code.startsWith('E_PG_')) return 5;
  if (code.startsWith('E_OUTPUT_')) return 6;
  return 1;
}
