/**
 * One connection to PostgreSQL for one job: the URL checked and its password kept out of every
 * message, the session settings the readers and writers rely on, and whether the `hll` type is
 * visible to the session.
 */
import pg from 'pg';
import { ReachtreeError } from '../errors.js';
import { pgError } from './errors.js';

export interface PgConnectOptions {
  /** Give up connecting after this many milliseconds (default 10 000). */
  readonly connectTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export interface PgSession {
  readonly client: pg.Client;
  /** The URL with its password masked, for messages. */
  readonly server: string;
  /** Whether `hll` resolves as a type on this session's search_path. */
  readonly hllVisible: boolean;
}

/** The URL with any password replaced by `***` (in the user-info part and in a `password=` parameter). */
export function maskUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*:)[^@/?#]*@/i, '$1***@').replace(/([?&]password=)[^&#]*/gi, '$1***');
}

/** Throws E_CONFIG_OPTION unless `url` is a `postgres://` or `postgresql://` URL. */
export function checkPgUrl(url: string, option = '--pg'): void {
  if (!/^postgres(?:ql)?:\/\//i.test(url)) {
    throw new ReachtreeError(
      'E_CONFIG_OPTION',
      `${option} expects a URL such as postgres://user@host:5432/database (password, if any, from PGPASSWORD or ~/.pgpass); found "${maskUrl(url)}"`,
    );
  }
}

/**
 * Connects and prepares the session: UTF-8 text, bytea as `\x` hex (the text form cells carry).
 * Failures are E_PG_CONNECT errors naming the server.
 */
export async function openPg(url: string, options: PgConnectOptions = {}): Promise<PgSession> {
  checkPgUrl(url);
  const server = maskUrl(url);
  let client: pg.Client;
  try {
    client = new pg.Client({
      connectionString: url,
      application_name: 'reachtree',
      connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    });
  } catch (e) {
    // pg parses the URL in the constructor
    throw pgError(e, { server, doing: 'connecting', connected: false });
  }
  // After a dropped connection pg emits 'error' besides rejecting the pending query; the
  // rejection is what gets reported, and an unhandled 'error' event would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query(`SET client_encoding = 'UTF8'`);
    await client.query(`SET bytea_output = 'hex'`);
    const r = await client.query<{ visible: boolean }>(`SELECT to_regtype('hll') IS NOT NULL AS visible`);
    return { client, server, hllVisible: r.rows[0]?.visible === true };
  } catch (e) {
    await closePg(client);
    throw pgError(e, { server, doing: 'connecting', connected: false });
  }
}

/** Ends the connection; a failure to say goodbye is not worth reporting. */
export async function closePg(client: pg.Client): Promise<void> {
  try {
    await client.end();
  } catch {
    // the connection is already gone
  }
}

/** `"name"` with embedded quotes doubled: any text as an SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Rolls back an open transaction after a failure; the original failure is what matters. */
export async function rollbackQuietly(client: pg.Client): Promise<void> {
  try {
    await client.query('ROLLBACK');
  } catch {
    // the connection may be gone, which also ends the transaction
  }
}
