/**
 * `reachtree report --pg URL --query "SELECT territory, platform, subscriptions, sketch FROM …"`:
 * cells computed by the database — a cells table, or hll_add_agg over raw subscriptions, in
 * PostgreSQL or Citus — read into a cube, which then gives the same report as a cells CSV.
 *
 * The query runs behind a cursor in a READ ONLY transaction and comes back in batches, so a large
 * result never sits in memory twice. Every value arrives as the server's text (`\x…` hex for hll
 * and bytea), and each row goes through the same CellsDecoder that reads cells files: one set of
 * checks for territory codes, facet values, counts, sketch bytes and parameters. Errors name the
 * result row (1-based, in the order the query returns rows), the column and the value.
 *
 * Rows are matched to columns by name, in any order: `territory`, `subscriptions`, `sketch`, and
 * every other column is a facet column (columns.ts). Cells that appear in several rows are
 * unioned, as `merge` does.
 */
import type pg from 'pg';
import { CellsDecoder, SKETCH_COLUMN, SUBSCRIPTIONS_COLUMN, TERRITORY_COLUMN, type CellsDecoderOptions, type Cube } from '../cube/index.js';
import { ReachtreeError, isReachtreeError } from '../errors.js';
import type { TerritoryTree } from '../territory/index.js';
import { queryCellsLayout, type CellsLayout, type ColumnInfo } from './columns.js';
import { closePg, openPg, rollbackQuietly, type PgConnectOptions } from './connection.js';
import { pgError } from './errors.js';
import { parseTableName } from './names.js';

export interface ReadCellsQueryOptions extends CellsDecoderOptions, PgConnectOptions {
  /** Rows per FETCH (default 1000). */
  readonly fetchRows?: number;
}

export interface QueryCellsResult {
  readonly cube: Cube;
  /** Result rows read. */
  readonly rows: number;
}

const CURSOR = 'reachtree_cells';
const DECLARE = `DECLARE ${CURSOR} NO SCROLL CURSOR FOR `;
/** Where messages say the rows came from. */
const SOURCE = 'the query';

/** Every value as the server's text: the decoder parses, not pg. */
const AS_TEXT = { getTypeParser: () => (value: string) => value };

/** The query `report --pg --table T` runs: the whole table (its columns must be cells columns). */
export function tableQuery(table: string): string {
  return `SELECT * FROM ${parseTableName(table).sql}`;
}

/** Runs `query` and decodes its rows into a cube; see the module comment. */
export async function readCellsFromQuery(url: string, query: string, tree: TerritoryTree, options: ReadCellsQueryOptions = {}): Promise<QueryCellsResult> {
  const text = query.trim().replace(/(?:\s*;)+$/, '');
  if (text === '') throw new ReachtreeError('E_CONFIG_OPTION', '--query is empty: give a SELECT returning territory, facet columns, subscriptions and sketch');
  const fetchRows = options.fetchRows ?? 1000;
  if (!Number.isInteger(fetchRows) || fetchRows < 1) throw new ReachtreeError('E_CONFIG_OPTION', `fetchRows must be a positive integer, found ${fetchRows}`);

  const session = await openPg(url, options);
  const { client, server } = session;
  const decoder = new CellsDecoder(tree, options);
  const ctx = { server, doing: 'running the query', connected: true, hllVisible: session.hllVisible };
  let rows = 0;
  try {
    await client.query('BEGIN READ ONLY');
    try {
      await client.query(DECLARE + text);
    } catch (e) {
      throw pgError(e, { ...ctx, query: { text, offset: DECLARE.length } });
    }
    let layout: CellsLayout | undefined;
    for (;;) {
      const r = await client.query<Array<string | null>>({ text: `FETCH ${fetchRows} FROM ${CURSOR}`, rowMode: 'array', types: AS_TEXT });
      if (layout === undefined) {
        layout = queryCellsLayout(await columnTypes(client, r.fields), SOURCE);
        decoder.header([TERRITORY_COLUMN, ...layout.facetNames, SUBSCRIPTIONS_COLUMN, SKETCH_COLUMN], SOURCE);
      }
      for (const values of r.rows) decodeRow(decoder, layout, r.fields, values, ++rows);
      if (r.rows.length < fetchRows) break;
    }
    await client.query('COMMIT');
  } catch (e) {
    await rollbackQuietly(client);
    throw pgError(e, ctx);
  } finally {
    await closePg(client);
  }
  return { cube: decoder.finish(), rows };
}

/** Result columns with their types as `format_type` words. */
async function columnTypes(
  client: pg.Client,
  fields: ReadonlyArray<{ name: string; dataTypeID: number; dataTypeModifier: number }>,
): Promise<ColumnInfo[]> {
  const r = await client.query<{ type: string }>('SELECT format_type(t.oid, t.mod) AS type FROM unnest($1::oid[], $2::int[]) WITH ORDINALITY AS t(oid, mod, n) ORDER BY n', [
    fields.map((f) => f.dataTypeID),
    fields.map((f) => f.dataTypeModifier),
  ]);
  return fields.map((f, i) => ({ name: f.name, type: r.rows[i]?.type ?? `type ${f.dataTypeID}` }));
}

function decodeRow(decoder: CellsDecoder, layout: CellsLayout, fields: ReadonlyArray<{ name: string }>, values: ReadonlyArray<string | null>, row: number): void {
  const order = [layout.territory, ...layout.facets, layout.subscriptions, layout.sketch];
  const ordered = order.map((i) => {
    const v = values[i];
    if (v === null || v === undefined) {
      const column = fields[i]?.name ?? String(i + 1);
      throw new ReachtreeError('E_INPUT_VALUE', `NULL where a value is needed${column === SKETCH_COLUMN || column === SUBSCRIPTIONS_COLUMN ? '' : ' (coalesce it to a value, or filter such rows out)'}`, {
        location: { file: rowLabel(row), column },
      });
    }
    return v;
  });
  try {
    decoder.row(ordered, SOURCE, row);
  } catch (e) {
    throw atRow(e, row);
  }
}

function rowLabel(row: number): string {
  return `${SOURCE}, row ${row}`;
}

/**
 * The decoder names a "line" of a file; a query result has rows. Rebuilds its error with the row
 * instead, keeping code, column, value and detail. The decoder's message is recovered by taking
 * off exactly what ReachtreeError added for its location.
 */
function atRow(e: unknown, row: number): unknown {
  if (!isReachtreeError(e) || e.location === undefined) return e;
  const [prefix = '', suffix = ''] = new ReachtreeError(e.code, '\u0000', { location: e.location }).message.split('\u0000');
  if (!e.message.startsWith(prefix) || !e.message.endsWith(suffix)) return e;
  // the decoder also quotes where the first sketch came from, as "(<file>, line <n>)"
  const message = e.message.slice(prefix.length, e.message.length - suffix.length).replaceAll(`(${SOURCE}, line `, `(${SOURCE}, row `);
  const { column, value } = e.location;
  return new ReachtreeError(e.code, message, {
    location: { file: rowLabel(row), ...(column !== undefined ? { column } : {}), ...(value !== undefined ? { value } : {}) },
    ...(e.detail !== undefined ? { detail: e.detail } : {}),
    cause: e,
  });
}
