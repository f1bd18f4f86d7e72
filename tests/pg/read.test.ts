/**
 * readCellsFromQuery against the live server: cells from a table (sketches as hll, bytea or hex
 * text, columns in any order, many fetches), cells the server aggregates itself with hll_add_agg,
 * and every way a query can fail, each with its code and a message naming row, column and value.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cube } from '../../src/cube/index.js';
import { readCellsFromQuery, writeCellsToTable } from '../../src/pg/index.js';
import type { TerritoryTree } from '../../src/territory/index.js';
import { connectPg, pgUrlOrSkip } from '../support/pg.js';
import { createSchema, cubeOf, cubeSummary, magadanTree, REFUSED_URL, subscriptions, type Subscription } from './fixtures.js';

const url = pgUrlOrSkip();

describe.skipIf(url === null)('readCellsFromQuery (PostgreSQL hll)', () => {
  let client: pg.Client;
  let schema: string;
  let tree: TerritoryTree;
  let rows: Subscription[];
  let cube: Cube;
  let cells: string;
  const u = () => url as string;
  const read = (query: string, options = {}) => readCellsFromQuery(u(), query, tree, options);

  beforeAll(async () => {
    client = await connectPg(u());
    schema = await createSchema(client, 'rt_pg_read');
    tree = magadanTree();
    rows = subscriptions();
    cube = cubeOf(rows, tree);
    cells = `${schema}.cells`;
    await writeCellsToTable(u(), cells, cube, tree);
    await client.query(`CREATE TABLE ${schema}.subs (subscriber_id text NOT NULL, platform text NOT NULL, territory text NOT NULL)`);
    await client.query(`INSERT INTO ${schema}.subs SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`, [
      rows.map((r) => r.id),
      rows.map((r) => r.platform),
      rows.map((r) => r.territory),
    ]);
  });
  afterAll(async () => {
    await client?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client?.end();
  });

  it('reads a cells table back into the same cube, over many fetches', async () => {
    const back = await read(`SELECT territory, platform, subscriptions, sketch FROM ${cells};`, { fetchRows: 4 });
    expect(back.rows).toBe(cube.size);
    expect(back.cube.facetNames).toEqual(['platform']);
    expect(back.cube.params).toEqual(cube.params);
    expect(cubeSummary(back.cube)).toEqual(cubeSummary(cube));
  });

  it('reads sketches as hll, bytea or hex text, and columns in any order', async () => {
    for (const sketch of ['sketch', `decode(substr(sketch::text, 3), 'hex')`, 'sketch::text', 'substr(sketch::text, 3)']) {
      const back = await read(`SELECT ${sketch} AS sketch, subscriptions::numeric AS subscriptions, platform::varchar, territory FROM ${cells}`);
      expect(cubeSummary(back.cube), sketch).toEqual(cubeSummary(cube));
    }
  });

  it('reads what the server aggregates itself: hll_add_agg(hll_hash_text(id)) per territory and platform equals the cube built here', async () => {
    const back = await read(
      `SELECT territory, platform, count(*) AS subscriptions, hll_add_agg(hll_hash_text(subscriber_id), 14, 5, -1, 1) AS sketch
         FROM ${schema}.subs GROUP BY territory, platform`,
    );
    expect(cubeSummary(back.cube)).toEqual(cubeSummary(cube));
  });

  it('takes facet columns from the result: none, or two', async () => {
    const none = await read(`SELECT territory, sum(subscriptions) AS subscriptions, hll_union_agg(sketch) AS sketch FROM ${cells} GROUP BY territory`);
    expect(none.cube.facetNames).toEqual([]);
    const two = await read(`SELECT territory, platform, left(platform, 1) AS initial, subscriptions, sketch FROM ${cells}`);
    expect(two.cube.facetNames).toEqual(['platform', 'initial']);
    expect(two.rows).toBe(cube.size);
  });

  it('gives an empty cube, with the facet columns, for an empty result', async () => {
    const empty = await read(`SELECT * FROM ${cells} WHERE false`);
    expect(empty.rows).toBe(0);
    expect(empty.cube.size).toBe(0);
    expect(empty.cube.facetNames).toEqual(['platform']);
  });

  it('names the result row, the column and the value of a bad cell', async () => {
    const row3 = `(SELECT territory, platform, subscriptions, sketch::text AS sketch FROM ${cells} ORDER BY territory, platform LIMIT 2)`;
    const cases: Array<[string, string, string]> = [
      [`${row3} UNION ALL SELECT '4470100', 'vk', 1, '\\x118b7f'`, 'E_INPUT_TERRITORY_MALFORMED', 'the query, row 3, column "territory": '],
      [`${row3} UNION ALL SELECT '44000000', 'vk', 1, '\\x11zz'`, 'E_FORMAT_HEX', 'the query, row 3, column "sketch": '],
      [`${row3} UNION ALL SELECT '44000000', 'vk', -4, '\\x118b7f'`, 'E_INPUT_VALUE', 'the query, row 3, column "subscriptions": subscriptions must be a whole number from 0 to 999999999999999 (value: "-4")'],
      [`${row3} UNION ALL SELECT '44000000', NULL, 1, '\\x118b7f'`, 'E_INPUT_VALUE', 'the query, row 3, column "platform": NULL where a value is needed (coalesce it to a value, or filter such rows out)'],
      [`${row3} UNION ALL SELECT '44000000', '*', 1, '\\x118b7f'`, 'E_INPUT_VALUE', 'the query, row 3, column "platform": facet value "*" is reserved'],
      [
        `${row3} UNION ALL SELECT '44000000', 'vk', 1, hll_empty(11, 5, -1, 1)::text`,
        'E_PARAM_LOG2M_MISMATCH',
        'the query, row 3, column "sketch": sketch parameters (log2m 11, regwidth 5, expthresh -1, sparseon 1) differ from (log2m 14, regwidth 5, expthresh -1, sparseon 1) of the first sketch (the query, row 1)',
      ],
    ];
    for (const [query, code, message] of cases) {
      await expect(read(query), code).rejects.toMatchObject({ code, message: expect.stringContaining(message) });
    }
  });

  it('refuses result columns that cannot be cells, listing every problem (E_PG_COLUMNS)', async () => {
    await expect(read(`SELECT territory::bigint AS territory, 1.5::float8 AS subscriptions, 42 AS sketch FROM ${cells} WHERE territory ~ '^[0-9]+$'`)).rejects.toMatchObject({
      code: 'E_PG_COLUMNS',
      message: expect.stringMatching(
        /^the query does not return cells: column "territory" is bigint, not text \(cast it with ::text.*column "subscriptions" is double precision, not an integer type .*column "sketch" is integer, not hll, bytea or text\./,
      ),
    });
    await expect(read(`SELECT territory, platform, subscriptions FROM ${cells}`)).rejects.toMatchObject({ code: 'E_PG_COLUMNS', message: expect.stringContaining('no column "sketch"') });
  });

  it("passes on the server's errors: SQL with the spot in the query, a union of different parameters as E_PARAM_*", async () => {
    const typo = read(`SELECT territory, platfrom, subscriptions, sketch FROM ${cells}`);
    await expect(typo).rejects.toMatchObject({
      code: 'E_PG_QUERY',
      message: 'PostgreSQL failed while running the query: column "platfrom" does not exist',
      detail: expect.stringContaining('at character 19 of the query:\n  SELECT territory, platfrom, subscriptions'),
    });
    const mixed = read(`SELECT 'RU' AS territory, sum(subscriptions) AS subscriptions, hll_union_agg(sketch) AS sketch
                          FROM (SELECT subscriptions, sketch FROM ${cells} UNION ALL SELECT 0, hll_empty(11, 5, -1, 1)) s`);
    await expect(mixed).rejects.toMatchObject({
      code: 'E_PARAM_LOG2M_MISMATCH',
      message: expect.stringMatching(/^PostgreSQL refused to union sketches while running the query: register count does not match: source uses \d+ and dest uses \d+$/),
    });
    await expect(read(`SELECT territory, platform, subscriptions, hll_add_ag(sketch) AS sketch FROM ${cells}`)).rejects.toMatchObject({ code: 'E_PG_QUERY' });
  });

  it('runs the query read-only: a statement smuggled after it cannot change anything', async () => {
    await expect(read(`SELECT * FROM ${cells}; DROP TABLE ${cells}`)).rejects.toMatchObject({
      code: 'E_PG_QUERY',
      message: expect.stringContaining('cannot execute DROP TABLE in a read-only transaction'),
    });
    expect((await client.query(`SELECT count(*)::int AS n FROM ${cells}`)).rows[0]).toEqual({ n: cube.size });
  });

  it('says when there is no server or no query', async () => {
    await expect(readCellsFromQuery(REFUSED_URL, `SELECT 1`, tree)).rejects.toMatchObject({ code: 'E_PG_CONNECT', message: expect.not.stringContaining('not-to-be-seen') });
    await expect(read(' ; ')).rejects.toMatchObject({ code: 'E_CONFIG_OPTION' });
  });
});
