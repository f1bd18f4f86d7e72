/**
 * The interop suite's door to a real PostgreSQL server with the `hll` extension.
 *
 * The server is the throw-away one of `.ci/pg-start.sh`; its URL comes in REACHTREE_PG_URL.
 * In CI the interop suite must fail, not skip, without it (a green run that compared nothing
 * would prove nothing); on a developer's machine it skips with a message saying how to start
 * one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';

export const PG_URL_VARIABLE = 'REACHTREE_PG_URL';

export const PG_SKIP_MESSAGE =
  `${PG_URL_VARIABLE} is not set: skipping the PostgreSQL interop tests. ` +
  'Start the throw-away server with `eval "$(bash .ci/pg-start.sh)"` (stop it with `bash .ci/pg-stop.sh`).';

function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env['CI'];
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/**
 * The interop server's URL; `null` when there is none and the suite may skip (not in CI).
 * Throws in CI without a URL, so the suite fails there.
 */
export function pgUrlOrSkip(env: NodeJS.ProcessEnv = process.env): string | null {
  const url = env[PG_URL_VARIABLE];
  if (url !== undefined && url !== '') return url;
  if (isCi(env)) {
    throw new Error(
      `${PG_URL_VARIABLE} is not set but CI is: the PostgreSQL interop tests must run in CI. ` +
        '.ci/run starts the server with .ci/pg-start.sh and exports the URL; did it run?',
    );
  }
  console.warn(PG_SKIP_MESSAGE);
  return null;
}

/**
 * Connects and fixes the session settings every comparison depends on: UTF-8 text (hashes are
 * of the UTF-8 bytes), hll values as `\x` + lowercase hex, float8 printed round-trip exact,
 * the extension's compiled defaults (another session's `hll_set_defaults` cannot leak in, but
 * a server configured otherwise could), and no WARNING noise for negative seeds.
 */
export async function connectPg(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'reachtree-interop' });
  try {
    await client.connect();
  } catch (e: unknown) {
    throw new Error(`cannot connect to the interop server at ${url}: ${String(e)}`, { cause: e });
  }
  try {
    await client.query(`SET client_encoding = 'UTF8'`);
    await client.query(`SET bytea_output = 'hex'`);
    await client.query('SET extra_float_digits = 3');
    await client.query('SET client_min_messages = error');
    const ext = await client.query<{ extversion: string }>(`SELECT extversion FROM pg_extension WHERE extname = 'hll'`);
    if (ext.rows.length === 0) {
      throw new Error(`the hll extension is not installed in ${url} (CREATE EXTENSION hll)`);
    }
    await client.query('SELECT hll_set_defaults(11, 5, -1, 1)');
  } catch (e: unknown) {
    await client.end();
    throw e;
  }
  return client;
}

/**
 * The server's error message for a statement that must fail, or `null` when it succeeded.
 * Each statement runs in autocommit mode, so a failure leaves the session usable.
 */
export async function pgErrorOf(client: pg.Client, sql: string, params: unknown[] = []): Promise<string | null> {
  try {
    await client.query(sql, params);
    return null;
  } catch (e: unknown) {
    if (e instanceof Error) return e.message;
    throw e;
  }
}

/** psql of the server's installation (REACHTREE_PG_BIN as in .ci/pg-start.sh), else the one on PATH. */
export function psqlPath(): string {
  const bin = process.env['REACHTREE_PG_BIN'] ?? '/usr/lib/postgresql/15/bin';
  return existsSync(`${bin}/psql`) ? `${bin}/psql` : 'psql';
}

/**
 * Loads a CSV file (with header) into a table with psql's client-side `\copy`, the way
 * `reachtree build --help` tells users to. The table must be visible to a new session (not TEMP).
 */
export function psqlCopyCsv(url: string, table: string, file: string): void {
  if (/['\n\\]/.test(file)) throw new Error(`psqlCopyCsv: unsupported character in the path ${file}`);
  const r = spawnSync(psqlPath(), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', `\\copy ${table} FROM '${file}' (FORMAT csv, HEADER)`], {
    encoding: 'utf8',
    env: { ...process.env, PGCLIENTENCODING: 'UTF8' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.error !== undefined) throw new Error(`cannot run psql: ${r.error.message}`, { cause: r.error });
  if (r.status !== 0) throw new Error(`psql \\copy ${table} FROM '${file}' failed (exit ${String(r.status)}): ${r.stderr.trim()}`);
}
