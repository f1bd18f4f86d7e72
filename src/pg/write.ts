/**
 * `reachtree build … --pg URL --table T`: a cube's cells written straight into a PostgreSQL table,
 * in one transaction — all of them or, on any failure, none (the table too, when this run would
 * have created it).
 *
 * A missing table is created as
 *
 *   CREATE TABLE cells (territory text NOT NULL, platform text NOT NULL,
 *                       subscriptions bigint NOT NULL, sketch hll(14,5,-1,1) NOT NULL)
 *
 * whose typmod makes the server itself refuse sketches of other parameters later. An existing
 * table must fit (columns.ts `checkTableColumns`). Rows are appended, so a table that receives
 * two builds holds both sets of cells, and readers union cells that appear twice (as `merge`
 * does); `replace` deletes the old rows first, in the same transaction.
 *
 * Rows go up as parallel arrays through `unnest` (about 1000 rows per statement, fewer when
 * sketches are large): one round trip per batch, and every value is a bound parameter.
 */
import type pg from 'pg';
import { encodeCells, type Cube } from '../cube/index.js';
import { ReachtreeError } from '../errors.js';
import type { HllParams } from '../sketch/index.js';
import type { TerritoryTree } from '../territory/index.js';
import { cellColumnNames, checkTableColumns, hllColumnType, type TableColumn } from './columns.js';
import { closePg, openPg, quoteIdent, rollbackQuietly, type PgConnectOptions, type PgSession } from './connection.js';
import { CREATE_EXTENSION_HINT, pgError } from './errors.js';
import { parseTableName, type TableName } from './names.js';

export interface WriteCellsOptions extends PgConnectOptions {
  /** Delete the table's rows first (same transaction): afterwards it holds exactly these cells. Default false. */
  readonly replace?: boolean;
  /** Rows per INSERT statement (default 1000). */
  readonly batchRows?: number;
}

export interface WriteCellsResult {
  /** The table as the user named it. */
  readonly table: string;
  /** Whether this run created the table. */
  readonly created: boolean;
  /** Rows inserted (one per cell). */
  readonly inserted: number;
  /** Rows deleted first (with `replace`). */
  readonly deleted: number;
}

/** What the cells to be written look like: enough to check a table before any ingest. */
export interface CellsShape {
  readonly params: HllParams;
  readonly facetNames: readonly string[];
}

const DEFAULT_BATCH_ROWS = 1000;
/** Hex characters per statement, so that batches of large FULL sketches stay a few MB. */
const BATCH_HEX_CHARS = 8 << 20;

/**
 * Checks, without writing, that the cells can go into `table`: the server answers, the extension
 * is there, and the table either does not exist yet or fits. `build --pg` calls this before a
 * possibly long ingest, so a wrong URL or table fails in a second, not after the ingest.
 */
export async function checkCellsTable(url: string, table: string, shape: CellsShape, options: PgConnectOptions = {}): Promise<{ readonly exists: boolean }> {
  const name = parseTableName(table);
  cellColumnNames(shape.facetNames);
  const session = await openPg(url, options);
  try {
    requireHll(session);
    const found = await describeTable(session, name);
    if (found !== undefined) checkTableColumns(name.display, found, shape.facetNames, shape.params);
    return { exists: found !== undefined };
  } finally {
    await closePg(session.client);
  }
}

/** Writes every cell of `cube` (in the cells-file order of `tree`) into `table`; see the module comment. */
export async function writeCellsToTable(url: string, table: string, cube: Cube, tree?: Pick<TerritoryTree, 'nodes'>, options: WriteCellsOptions = {}): Promise<WriteCellsResult> {
  const name = parseTableName(table);
  const columns = cellColumnNames(cube.facetNames);
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  if (!Number.isInteger(batchRows) || batchRows < 1) throw new ReachtreeError('E_CONFIG_OPTION', `batchRows must be a positive integer, found ${batchRows}`);

  const session = await openPg(url, options);
  const { client } = session;
  let doing = `starting a transaction`;
  try {
    requireHll(session);
    await client.query('BEGIN');
    doing = `checking table ${name.display}`;
    const found = await describeTable(session, name);
    let created = false;
    if (found === undefined) {
      doing = `creating table ${name.display}`;
      await client.query(createTableSql(name, cube.facetNames, cube.params));
      created = true;
    } else {
      checkTableColumns(name.display, found, cube.facetNames, cube.params);
    }
    let deleted = 0;
    if (options.replace === true && !created) {
      doing = `deleting the rows of ${name.display}`;
      deleted = (await client.query(`DELETE FROM ${name.sql}`)).rowCount ?? 0;
    }
    doing = `inserting cells into ${name.display}`;
    const inserted = await insertCells(client, name, columns, cube, tree, batchRows);
    doing = 'committing';
    await client.query('COMMIT');
    return { table: name.display, created, inserted, deleted };
  } catch (e) {
    await rollbackQuietly(client);
    throw pgError(e, { server: session.server, doing, connected: true, hllVisible: session.hllVisible });
  } finally {
    await closePg(client);
  }
}

function requireHll(session: PgSession): void {
  if (!session.hllVisible) {
    throw new ReachtreeError('E_PG_EXTENSION', `type "hll" does not exist in the database at ${session.server}: ${CREATE_EXTENSION_HINT}`);
  }
}

/** The table's columns, or undefined when there is no such table; E_PG_COLUMNS for a view or the like. */
async function describeTable(session: PgSession, name: TableName): Promise<TableColumn[] | undefined> {
  const { client } = session;
  const rel = await client.query<{ oid: string | null; relkind: string | null }>(
    'SELECT c.oid::text AS oid, c.relkind::text AS relkind FROM pg_class c WHERE c.oid = to_regclass($1)',
    [name.sql],
  );
  const row = rel.rows[0];
  if (row === undefined || row.oid === null) return undefined;
  // ordinary, partitioned and foreign tables take INSERTs; views and the rest are not a place for cells
  if (row.relkind !== 'r' && row.relkind !== 'p' && row.relkind !== 'f') {
    const kind = RELKINDS[row.relkind ?? ''] ?? `relation of kind ${row.relkind ?? '?'}`;
    throw new ReachtreeError('E_PG_COLUMNS', `${name.display} is a ${kind}, not a table: name another --table`);
  }
  const cols = await client.query<{ name: string; type: string; required: boolean }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            (a.attnotnull AND NOT a.atthasdef AND a.attidentity = '' AND a.attgenerated = '') AS required
       FROM pg_attribute a
      WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [row.oid],
  );
  return cols.rows;
}

/**
 * PostgreSQL text cannot hold U+0000, which a CSV field can: name the cell instead of letting the
 * server refuse the whole batch with "invalid byte sequence for encoding "UTF8": 0x00".
 */
function checkText(value: string, column: string, territory: string): void {
  if (value.includes('\u0000')) {
    throw new ReachtreeError('E_INPUT_VALUE', `the cell of territory ${territory} has a NUL character in "${column}", which PostgreSQL text cannot hold`, {
      location: { column, value },
    });
  }
}

const RELKINDS: Readonly<Record<string, string>> = { v: 'view', m: 'materialized view', S: 'sequence', i: 'index', I: 'index', c: 'composite type', t: 'TOAST table' };

/** The CREATE TABLE reachtree runs for a missing table (also what the scaling-out guide shows). */
export function createTableSql(name: Pick<TableName, 'sql'>, facetNames: readonly string[], params: HllParams): string {
  const facets = facetNames.map((f) => `${quoteIdent(f)} text NOT NULL, `).join('');
  return `CREATE TABLE ${name.sql} (territory text NOT NULL, ${facets}subscriptions bigint NOT NULL, sketch ${hllColumnType(params)} NOT NULL)`;
}

async function insertCells(
  client: pg.Client,
  name: TableName,
  columns: readonly string[],
  cube: Cube,
  tree: Pick<TerritoryTree, 'nodes'> | undefined,
  batchRows: number,
): Promise<number> {
  const facetCount = cube.facetNames.length;
  // one array per column: territory, facets…, subscriptions, sketch
  const arrays = (): Array<Array<string | number>> => Array.from({ length: facetCount + 3 }, () => []);
  const casts = [...Array.from({ length: facetCount + 1 }, () => 'text[]'), 'int8[]', 'hll[]'];
  const sql =
    `INSERT INTO ${name.sql} (${columns.map(quoteIdent).join(', ')}) ` +
    `SELECT * FROM unnest(${casts.map((c, i) => `$${i + 1}::${c}`).join(', ')})`;

  let batch = arrays();
  let rows = 0;
  let hexChars = 0;
  let inserted = 0;
  const flush = async (): Promise<void> => {
    if (rows === 0) return;
    await client.query(sql, batch);
    inserted += rows;
    batch = arrays();
    rows = 0;
    hexChars = 0;
  };
  for (const cell of encodeCells(cube, tree)) {
    checkText(cell.territory, columns[0] as string, cell.territory);
    cell.facetValues.forEach((v, i) => checkText(v, columns[i + 1] as string, cell.territory));
    const values = [cell.territory, ...cell.facetValues, cell.subscriptions, cell.sketch];
    values.forEach((v, i) => (batch[i] as Array<string | number>).push(v));
    rows++;
    hexChars += cell.sketch.length;
    if (rows >= batchRows || hexChars >= BATCH_HEX_CHARS) await flush();
  }
  await flush();
  return inserted;
}
