/**
 * writeCellsToTable and checkCellsTable against the live server: the table reachtree creates, what
 * an existing table must look like, append and replace, and the transaction — a failure at any
 * point leaves the table as it was (or absent).
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cube } from '../../src/cube/index.js';
import { checkCellsTable, readCellsFromQuery, writeCellsToTable } from '../../src/pg/index.js';
import { resolveHllParams } from '../../src/sketch/index.js';
import type { TerritoryTree } from '../../src/territory/index.js';
import { connectPg, pgUrlOrSkip } from '../support/pg.js';
import { createSchema, cubeOf, cubeSummary, magadanTree, REFUSED_URL, subscriptions, urlWithoutHll } from './fixtures.js';

const url = pgUrlOrSkip();

describe.skipIf(url === null)('writeCellsToTable (PostgreSQL hll)', () => {
  let client: pg.Client;
  let schema: string;
  let tree: TerritoryTree;
  let cube: Cube;
  const u = () => url as string;

  beforeAll(async () => {
    client = await connectPg(u());
    schema = await createSchema(client, 'rt_pg_write');
    tree = magadanTree();
    cube = cubeOf(subscriptions(), tree);
  });
  afterAll(async () => {
    await client?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client?.end();
  });

  const count = async (table: string): Promise<number> => (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n ?? -1;
  const exists = async (table: string): Promise<boolean> => (await client.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table])).rows[0]?.t !== null;

  it('creates a missing table with the parameters as the hll typmod, and writes every cell byte for byte', async () => {
    const table = `${schema}.cells`;
    expect(await checkCellsTable(u(), table, { params: cube.params, facetNames: ['platform'] })).toEqual({ exists: false });
    const result = await writeCellsToTable(u(), table, cube, tree, { batchRows: 7 });
    expect(result).toEqual({ table, created: true, inserted: cube.size, deleted: 0 });

    const columns = await client.query<{ name: string; type: string; notnull: boolean }>(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type, attnotnull AS notnull FROM pg_attribute
        WHERE attrelid = $1::regclass AND attnum > 0 ORDER BY attnum`,
      [table],
    );
    expect(columns.rows).toEqual([
      { name: 'territory', type: 'text', notnull: true },
      { name: 'platform', type: 'text', notnull: true },
      { name: 'subscriptions', type: 'bigint', notnull: true },
      { name: 'sketch', type: 'hll(14,5,-1,1)', notnull: true },
    ]);
    const rows = await client.query<{ territory: string; platform: string; subscriptions: string; hex: string; type: number }>(
      `SELECT territory, platform, subscriptions::text, sketch::text AS hex, hll_type(sketch) AS type FROM ${table}`,
    );
    const written = new Map(rows.rows.map((r) => [`${r.territory}|${r.platform}`, `${r.subscriptions} ${r.hex}`]));
    expect(written).toEqual(cubeSummary(cube));
    // the fixture really covers EXPLICIT, SPARSE and FULL
    expect([...new Set(rows.rows.map((r) => r.type))].sort()).toEqual([2, 3, 4]);
    expect(await checkCellsTable(u(), table, { params: cube.params, facetNames: ['platform'] })).toEqual({ exists: true });
  });

  it('appends to a table that fits; reading it back unions the cells that appear twice, as merge does', async () => {
    const table = `${schema}.appended`;
    await writeCellsToTable(u(), table, cube, tree);
    const again = await writeCellsToTable(u(), table, cube, tree);
    expect(again).toEqual({ table, created: false, inserted: cube.size, deleted: 0 });
    expect(await count(table)).toBe(2 * cube.size);
    const back = await readCellsFromQuery(u(), `SELECT * FROM ${table}`, tree);
    const doubled = new Map([...cubeSummary(cube)].map(([k, v]) => [k, v.replace(/^\d+/, (n) => String(2 * Number(n)))]));
    expect(cubeSummary(back.cube)).toEqual(doubled);
  });

  it('replaces the rows in the same transaction with replace', async () => {
    const table = `${schema}.replaced`;
    await writeCellsToTable(u(), table, cube, tree);
    await writeCellsToTable(u(), table, cube, tree);
    const result = await writeCellsToTable(u(), table, cube, tree, { replace: true });
    expect(result).toEqual({ table, created: false, inserted: cube.size, deleted: 2 * cube.size });
    expect(await count(table)).toBe(cube.size);
  });

  it('writes into an existing table of its own making: varchar, an untyped hll column, extra columns that fill themselves', async () => {
    const table = `${schema}."Own Cells"`;
    await client.query(`CREATE TABLE ${table} (id bigserial PRIMARY KEY, loaded_at timestamptz NOT NULL DEFAULT now(), note text,
      subscriptions integer NOT NULL, sketch hll NOT NULL, platform varchar(40) NOT NULL, territory varchar(11) NOT NULL)`);
    const result = await writeCellsToTable(u(), `${schema}."Own Cells"`, cube, tree);
    expect(result.created).toBe(false);
    const back = await readCellsFromQuery(u(), `SELECT territory, platform, subscriptions, sketch FROM ${table}`, tree);
    expect(cubeSummary(back.cube)).toEqual(cubeSummary(cube));
  });

  it('refuses a table whose sketch column has other parameters, before writing anything', async () => {
    const table = `${schema}.cells11`;
    await client.query(`CREATE TABLE ${table} (territory text, platform text, subscriptions bigint, sketch hll(11,5,-1,1))`);
    const shape = { params: cube.params, facetNames: ['platform'] };
    await expect(checkCellsTable(u(), table, shape)).rejects.toMatchObject({ code: 'E_PG_COLUMNS', message: expect.stringContaining('column "sketch" is hll(11,5,-1,1)') });
    await expect(writeCellsToTable(u(), table, cube, tree)).rejects.toMatchObject({ code: 'E_PG_COLUMNS' });
    expect(await count(table)).toBe(0);
    // the same cells at the table's parameters go in
    const cube11 = cubeOf(subscriptions().slice(0, 100), tree, { log2m: 11 });
    await expect(checkCellsTable(u(), table, { params: resolveHllParams({ log2m: 11 }), facetNames: ['platform'] })).resolves.toEqual({ exists: true });
    await writeCellsToTable(u(), table, cube11, tree);
    expect(await count(table)).toBe(cube11.size);
  });

  it('refuses a view, and a table without the facet columns', async () => {
    await client.query(`CREATE VIEW ${schema}.v AS SELECT * FROM ${schema}.cells`);
    await expect(writeCellsToTable(u(), `${schema}.v`, cube, tree)).rejects.toThrow(`${schema}.v is a view, not a table`);
    await client.query(`CREATE TABLE ${schema}.nofacet (territory text, subscriptions bigint, sketch hll(14,5,-1,1))`);
    await expect(writeCellsToTable(u(), `${schema}.nofacet`, cube, tree)).rejects.toThrow('it has no column "platform"');
  });

  it('leaves an existing table as it was when the server refuses a row in a later batch (replace rolled back too)', async () => {
    const table = `${schema}.guarded`;
    await writeCellsToTable(u(), table, cube, tree);
    const before = (await client.query<{ h: string }>(`SELECT md5(string_agg(sketch::text, ',' ORDER BY territory, platform)) AS h FROM ${table}`)).rows[0]?.h;
    // the last cell in cells order is refused by the server; 7 rows per batch, so several batches go in first
    const last = cube.cells(tree).at(-1);
    const platform = (last?.facetValues[0] ?? '').replaceAll("'", "''");
    // NOT VALID: the rows already there (the same cell among them) stay; new rows are checked
    await client.query(`ALTER TABLE ${table} ADD CONSTRAINT not_the_last CHECK (territory <> '${last?.territory.code}' OR platform <> '${platform}') NOT VALID`);
    const failure = writeCellsToTable(u(), table, cube, tree, { batchRows: 7, replace: true });
    await expect(failure).rejects.toMatchObject({ code: 'E_PG_QUERY', message: expect.stringContaining('violates check constraint "not_the_last"') });
    expect(await count(table)).toBe(cube.size);
    const after = (await client.query<{ h: string }>(`SELECT md5(string_agg(sketch::text, ',' ORDER BY territory, platform)) AS h FROM ${table}`)).rows[0]?.h;
    expect(after).toBe(before);
  });

  it('creates nothing when a cell fails mid-way into a new table (a NUL in a facet value)', async () => {
    const table = `${schema}.with_nul`;
    const rows = subscriptions().slice(-3_000);
    rows.push({ id: 'x', platform: 'zz\u0000', territory: '44000000' });
    const withNul = cubeOf(rows, tree);
    // mid-way: whole batches of 5 go in before the cell with the NUL comes up
    expect(withNul.cells(tree).findIndex((c) => c.facetValues[0] === 'zz\u0000')).toBeGreaterThan(10);
    const failure = writeCellsToTable(u(), table, withNul, tree, { batchRows: 5 });
    await expect(failure).rejects.toMatchObject({
      code: 'E_INPUT_VALUE',
      message: 'column "platform": the cell of territory 44000000 has a NUL character in "platform", which PostgreSQL text cannot hold (value: "zz\\u0000")',
    });
    expect(await exists(table)).toBe(false);
  });

  it('says which failure it is: no server, no extension', async () => {
    await expect(writeCellsToTable(REFUSED_URL, `${schema}.x`, cube, tree)).rejects.toMatchObject({
      code: 'E_PG_CONNECT',
      message: 'cannot connect to PostgreSQL at postgres://reachtree:***@127.0.0.1:1/reachtree: connection refused (is the server running and listening on that host and port?)',
    });
    const noHll = urlWithoutHll(u());
    await expect(checkCellsTable(noHll, `${schema}.x`, { params: cube.params, facetNames: ['platform'] })).rejects.toMatchObject({
      code: 'E_PG_EXTENSION',
      message: expect.stringMatching(/^type "hll" does not exist in the database at .*: connect to that database as its owner or a superuser and run CREATE EXTENSION hll;/),
    });
    await expect(writeCellsToTable(noHll, `${schema}.x`, cube, tree)).rejects.toMatchObject({ code: 'E_PG_EXTENSION' });
    expect(await exists(`${schema}.x`)).toBe(false);
  });
});
