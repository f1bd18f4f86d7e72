/**
 * node-postgres failures as ReachtreeErrors, so a user sees what went wrong and where, never a
 * stack trace.
 *
 * Three sources of failure reach this module:
 * - Node socket errors (`ECONNREFUSED`, `ENOTFOUND`, …) and pg's own plain `Error`s while
 *   connecting (timeouts, SASL without a password) or after the connection dropped;
 * - the server's errors (`pg.DatabaseError`, with an SQLSTATE `code`, `detail`, `hint`, `position`);
 * - anything else, which is a bug in reachtree and is passed through untouched (the CLI prints
 *   those with their stack, as bugs).
 *
 * Classification, by SQLSTATE class (PostgreSQL manual, appendix A):
 *   08 connection exception, 28 authorisation, 3D000 unknown database, 53300 too many clients,
 *   57P01–57P03 shutdown / not yet accepting               → E_PG_CONNECT
 *   42704 `type "hll" does not exist`, 42883 on an hll_* function without the type → E_PG_EXTENSION
 *   22000 `… does not match: source uses … and dest uses …` (the extension's union checks,
 *   the same words reachtree's own union uses)             → E_PARAM_*_MISMATCH
 *   everything else                                        → E_PG_QUERY with the server's text
 */
import pg from 'pg';
import { ReachtreeError, isReachtreeError, type ErrorCode } from '../errors.js';

export interface PgErrorContext {
  /** The server as shown in messages: the URL with its password masked (`maskUrl`). */
  readonly server: string;
  /** What reachtree was doing, as a phrase after "while": `creating table cells`, `running the query`. */
  readonly doing: string;
  /** False while connecting: then every failure is a connection failure. */
  readonly connected: boolean;
  /**
   * The user's query and how many characters reachtree put in front of it in the statement that
   * failed (`DECLARE … CURSOR FOR `), so a syntax error's position points into the user's text.
   */
  readonly query?: { readonly text: string; readonly offset: number };
  /**
   * Whether the session sees the `hll` type (`to_regtype('hll')`), when known: an unknown hll_*
   * function is then a typo (E_PG_QUERY), not a missing extension.
   */
  readonly hllVisible?: boolean;
}

/** Socket-level reasons, in words. */
const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused (is the server running and listening on that host and port?)',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed (temporary DNS failure)',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'the server closed the connection',
  EPIPE: 'the server closed the connection',
};

/** The extension's parameter checks (hll.c `check_metadata`), by their message's start. */
const PARAM_MISMATCHES: ReadonlyArray<readonly [string, ErrorCode]> = [
  ['register count does not match', 'E_PARAM_LOG2M_MISMATCH'],
  ['register width does not match', 'E_PARAM_REGWIDTH_MISMATCH'],
  ['explicit threshold does not match', 'E_PARAM_EXPTHRESH_MISMATCH'],
  ['sparse enable does not match', 'E_PARAM_SPARSEON_MISMATCH'],
];

export const CREATE_EXTENSION_HINT =
  'connect to that database as its owner or a superuser and run CREATE EXTENSION hll; (Debian/Ubuntu package postgresql-<version>-hll). ' +
  'If the extension is installed in another schema, put that schema on the search_path';

/**
 * The ReachtreeError for a failure of node-postgres, or `e` itself when it is not one (a bug, or
 * already a ReachtreeError).
 */
export function pgError(e: unknown, ctx: PgErrorContext): unknown {
  if (isReachtreeError(e) || !(e instanceof Error)) return e;
  const { server, doing } = ctx;

  if (e instanceof pg.DatabaseError) return serverError(e, ctx);

  const code = (e as { code?: unknown }).code;
  const network = typeof code === 'string' ? NETWORK_REASONS[code] : undefined;
  if (network !== undefined || !ctx.connected) {
    const reason = network ?? e.message;
    return new ReachtreeError('E_PG_CONNECT', ctx.connected ? `lost the connection to PostgreSQL at ${server} while ${doing}: ${reason}` : `cannot connect to PostgreSQL at ${server}: ${reason}`, {
      cause: e,
    });
  }
  // pg's own words for a connection that went away under a running statement
  if (/connection terminated|not queryable|connection (?:was )?closed/i.test(e.message)) {
    return new ReachtreeError('E_PG_CONNECT', `lost the connection to PostgreSQL at ${server} while ${doing}: ${e.message}`, { cause: e });
  }
  return e;
}

function serverError(e: pg.DatabaseError, ctx: PgErrorContext): ReachtreeError {
  const { server, doing } = ctx;
  const sqlstate = e.code ?? '';
  const detail = detailLines(e, ctx);
  const options = { cause: e, ...(detail !== undefined ? { detail } : {}) };

  if (sqlstate.startsWith('08') || sqlstate.startsWith('28') || sqlstate === '3D000' || sqlstate === '53300' || /^57P0[1-3]$/.test(sqlstate)) {
    const verb = ctx.connected ? `dropped the connection while ${doing}` : 'refused the connection';
    return new ReachtreeError('E_PG_CONNECT', `PostgreSQL at ${server} ${verb}: ${e.message}`, options);
  }
  const missingType = sqlstate === '42704' && /type "(?:[^"]*\.)?hll(?:\[\])?" does not exist/.test(e.message);
  const missingFunction = sqlstate === '42883' && /\bhll_/.test(e.message) && ctx.hllVisible !== true;
  if (missingType || missingFunction) {
    return new ReachtreeError('E_PG_EXTENSION', `the hll extension is not available in the database at ${server} (${e.message}): ${CREATE_EXTENSION_HINT}`, options);
  }
  const mismatch = PARAM_MISMATCHES.find(([start]) => e.message.startsWith(start));
  if (mismatch !== undefined) {
    return new ReachtreeError(mismatch[1], `PostgreSQL refused to union sketches while ${doing}: ${e.message}`, options);
  }
  return new ReachtreeError('E_PG_QUERY', `PostgreSQL failed while ${doing}: ${e.message}`, options);
}

/** DETAIL, HINT and the error's position in the user's query, as psql shows them. */
function detailLines(e: pg.DatabaseError, ctx: PgErrorContext): string | undefined {
  const lines: string[] = [];
  // a DETAIL may quote a whole row, sketch included: tens of kilobytes of hex
  if (e.detail !== undefined && e.detail !== '') lines.push(`DETAIL:  ${clip(e.detail)}`);
  if (e.hint !== undefined && e.hint !== '') lines.push(`HINT:  ${clip(e.hint)}`);
  const at = queryPosition(e.position, ctx.query);
  if (at !== undefined) lines.push(at);
  return lines.length > 0 ? lines.join('\n') : undefined;
}

const DETAIL_CHARS = 400;

function clip(text: string): string {
  return text.length <= DETAIL_CHARS ? text : `${text.slice(0, DETAIL_CHARS)}… (${text.length - DETAIL_CHARS} more characters)`;
}

/** `at character 12 of the query: SELECT terrtory, …` with a caret under the spot. */
function queryPosition(position: string | undefined, query: PgErrorContext['query']): string | undefined {
  if (position === undefined || query === undefined) return undefined;
  // PostgreSQL counts characters (code points) from 1, over the whole statement
  const chars = [...query.text];
  const at = Number(position) - query.offset - 1;
  if (!Number.isInteger(at) || at < 0 || at > chars.length) return undefined;
  const lineStart = chars.lastIndexOf('\n', at - 1) + 1;
  const nextBreak = chars.indexOf('\n', at);
  const lineEnd = nextBreak < 0 ? chars.length : nextBreak;
  const from = Math.max(lineStart, at - 60);
  const to = Math.min(lineEnd, at + 60);
  const excerpt = chars.slice(from, to).join('');
  return `at character ${at + 1} of the query:\n  ${excerpt}\n  ${' '.repeat(at - from)}^`;
}
