/**
 * The whole path through PostgreSQL: `reachtree build` writes a cells CSV, psql `\copy` loads it
 * into a table whose sketch column is `hll(…)` (the typmod checks the parameters), and the roll-up
 * computed in SQL — hll_union_agg over every node's subtree, per platform and across platforms —
 * equals reachtree's: the same bytes and hll_cardinality as `rollUp`, and `reachtree report` has
 * the same rows, subscriptions and (where exact) unique counts. The raw subscriptions are loaded
 * too: hll_add_agg(hll_hash_text(id)) per cell equals the cells reachtree built from the CSV
 * (quoting, line breaks in ids, UTF-8 all included).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollUp } from '../../src/cube/index.js';
import { reportFromCells } from '../../src/jobs.js';
import { runCli } from '../cli/run.js';
import { connectPg, pgUrlOrSkip, psqlCopyCsv } from '../support/pg.js';
import { adversarialIds, hexIds, seededRandom, type Setting } from './fixtures.js';
import { hexDifference } from './server.js';

const url = pgUrlOrSkip();

/** Tree: RU → 2 districts → 3 regions each → 2 municipalities each → 3 localities each (57 nodes). */
function hierarchyRows(): Array<{ code: string; parent: string; name: string; level: string }> {
  const rows = [{ code: 'RU', parent: '', name: 'Страна', level: 'country' }];
  for (let d = 1; d <= 2; d++) {
    rows.push({ code: `D${d}`, parent: 'RU', name: `Округ ${d}`, level: 'district' });
    for (let r = 1; r <= 3; r++) {
      rows.push({ code: `R${d}${r}`, parent: `D${d}`, name: `Регион ${d}.${r}`, level: 'region' });
      for (let m = 1; m <= 2; m++) {
        rows.push({ code: `M${d}${r}${m}`, parent: `R${d}${r}`, name: `Район ${d}.${r}.${m}`, level: 'municipal' });
        for (let l = 1; l <= 3; l++) rows.push({ code: `L${d}${r}${m}${l}`, parent: `M${d}${r}${m}`, name: `Село ${l}`, level: 'locality' });
      }
    }
  }
  return rows;
}

const PLATFORMS = ['vk', 'tg', 'ok', 'макс'] as const;

/**
 * Subscriptions: one locality with 20 000 distinct ids (FULL at the default parameters), then
 * 20 000 rows spread over all 57 nodes (inner nodes hold subscriptions too) and 4 platforms, with ids
 * drawn from a shared pool so people repeat across territories and platforms.
 */
function subscriptionRows(): Array<[string, string, string]> {
  const pool = [...adversarialIds(30_000, 0x5eed_0003).filter((id) => id !== ''), ...hexIds(20_000, 0x5eed_0004)];
  const nodes = hierarchyRows().map((r) => r.code);
  const next = seededRandom(0x5eed_0005);
  const rows: Array<[string, string, string]> = [];
  for (let i = 0; i < 20_000; i++) rows.push([pool[pool.length - 1 - i] as string, 'vk', 'L1111']);
  for (let i = 0; i < 20_000; i++) {
    // skewed: low pool indexes are drawn far more often (repeat subscribers)
    const k = Math.floor(((next() / 2 ** 32) ** 3) * pool.length);
    rows.push([pool[k] as string, PLATFORMS[next() % PLATFORMS.length] as string, nodes[next() % nodes.length] as string]);
  }
  return rows;
}

function csvField(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

interface SqlRolled {
  code: string;
  platform: string;
  subscriptions: string;
  hex: string;
  type: number;
  card: number | null;
}

/** Two parameter sets, with the hll_type values their rolled rows must cover and whether some classic estimate is NaN. */
const SETTINGS_UNDER_TEST: Array<Setting & { types: number[]; someNaN: boolean }> = [
  { label: 'reachtree default', log2m: 14, regwidth: 5, expthresh: -1, sparseon: true, types: [2, 3, 4], someNaN: false },
  // regwidth 6: the extension's hll_cardinality is NaN for the big nodes, and so must reachtree's classic estimate be
  { label: '12_6_128_0', log2m: 12, regwidth: 6, expthresh: 128, sparseon: false, types: [2, 4], someNaN: true },
];

describe.skipIf(url === null)('interop: cells CSV → COPY → roll-up in SQL equals reachtree (PostgreSQL hll)', () => {
  let client: pg.Client;
  let dir: string;
  const schema = `interop_rollup_${process.pid}`;
  const hierarchyCsv = () => join(dir, 'hierarchy.csv');
  const subsCsv = () => join(dir, 'subscriptions.csv');

  beforeAll(async () => {
    client = await connectPg(url as string);
    dir = mkdtempSync(join(tmpdir(), 'reachtree-interop-'));
    writeFileSync(hierarchyCsv(), ['code,parent,name,level', ...hierarchyRows().map((r) => [r.code, r.parent, r.name, r.level].join(','))].join('\n') + '\n');
    writeFileSync(subsCsv(), ['subscriber_id,platform,territory', ...subscriptionRows().map(([id, p, t]) => `${csvField(id)},${p},${t}`)].join('\r\n') + '\r\n');
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`CREATE TABLE ${schema}.tree (code text PRIMARY KEY, parent text, name text, level text)`);
    await client.query(`CREATE TABLE ${schema}.subs (subscriber_id text NOT NULL, platform text NOT NULL, territory text NOT NULL)`);
    psqlCopyCsv(url as string, `${schema}.tree`, hierarchyCsv());
    psqlCopyCsv(url as string, `${schema}.subs`, subsCsv());
    // every node with its ancestors (itself included): the subtree membership the roll-up needs
    await client.query(`
      CREATE TABLE ${schema}.ancestry AS
      WITH RECURSIVE a(node, ancestor) AS (
        SELECT code, code FROM ${schema}.tree
        UNION ALL
        SELECT a.node, t.parent FROM a JOIN ${schema}.tree t ON t.code = a.ancestor WHERE t.parent IS NOT NULL
      ) SELECT * FROM a`);
  });
  afterAll(async () => {
    await client?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client?.end();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('the subscriptions arrive in PostgreSQL as written (40 000 rows, 57 nodes)', async () => {
    const r = await client.query<{ rows: number; nodes: number; pairs: number }>(
      `SELECT (SELECT count(*) FROM ${schema}.subs)::int AS rows, (SELECT count(*) FROM ${schema}.tree)::int AS nodes,
              (SELECT count(*) FROM ${schema}.ancestry)::int AS pairs`,
    );
    expect(r.rows[0]).toEqual({ rows: 40_000, nodes: 57, pairs: 1 + 2 * 2 + 6 * 3 + 12 * 4 + 36 * 5 });
  });

  for (const s of SETTINGS_UNDER_TEST) {
    const p = `${s.log2m}, ${s.regwidth}, ${s.expthresh}, ${s.sparseon ? 1 : 0}`;
    it(`${s.label} (${p}): build → \\copy → hll_union_agg per node equals rollUp and the report`, async () => {
      const cellsCsv = join(dir, `cells-${s.log2m}-${s.regwidth}.csv`);
      const built = await runCli([
        'build', subsCsv(), '--hierarchy', hierarchyCsv(), '-o', cellsCsv,
        '--log2m', String(s.log2m), '--regwidth', String(s.regwidth), '--expthresh', String(s.expthresh), '--sparseon', s.sparseon ? '1' : '0',
      ]);
      expect(built.code, built.stderr).toBe(0);

      const cells = `${schema}.cells_${s.log2m}_${s.regwidth}`;
      await client.query(`CREATE TABLE ${cells} (territory text NOT NULL, platform text NOT NULL, subscriptions bigint NOT NULL, sketch hll(${p}) NOT NULL)`);
      psqlCopyCsv(url as string, cells, cellsCsv);

      // 1. each cell equals the server's own sketch of the raw rows
      const raw = await client.query<{ missing: number; differing: number; cells: number }>(
        `WITH direct AS (
           SELECT territory, platform, count(*) AS subscriptions, hll_add_agg(hll_hash_text(subscriber_id), ${p}) AS sketch
             FROM ${schema}.subs GROUP BY territory, platform)
         SELECT count(*) FILTER (WHERE c.territory IS NULL OR d.territory IS NULL)::int AS missing,
                count(*) FILTER (WHERE c.subscriptions <> d.subscriptions OR c.sketch::text <> d.sketch::text)::int AS differing,
                count(*)::int AS cells
           FROM ${cells} c FULL JOIN direct d USING (territory, platform)`,
      );
      expect(raw.rows[0]?.missing).toBe(0);
      expect(raw.rows[0]?.differing).toBe(0);

      // 2. the roll-up in SQL
      const sql = await client.query<SqlRolled>(
        `SELECT a.ancestor AS code, CASE WHEN grouping(c.platform) = 1 THEN '*' ELSE c.platform END AS platform,
                sum(c.subscriptions)::text AS subscriptions, hll_union_agg(c.sketch)::text AS hex,
                hll_type(hll_union_agg(c.sketch)) AS type, hll_cardinality(hll_union_agg(c.sketch)) AS card
           FROM ${cells} c JOIN ${schema}.ancestry a ON a.node = c.territory
          GROUP BY a.ancestor, GROUPING SETS ((c.platform), ())`,
      );
      const bySql = new Map(sql.rows.map((row) => [`${row.code}|${row.platform}`, row]));
      expect([...new Set(sql.rows.map((row) => row.type))].sort()).toEqual(s.types);
      expect(sql.rows.some((row) => Number.isNaN(row.card))).toBe(s.someNaN);

      // 3. reachtree's roll-up of the same cells file: same bytes, same classic estimate
      const report = await reportFromCells([cellsCsv], { tree: { hierarchy: hierarchyCsv() } });
      const rolled = rollUp(report.cube, report.tree).filter((c) => c.subscriptions > 0);
      expect(rolled.length).toBe(sql.rows.length);
      for (const cell of rolled) {
        const key = `${cell.node.code}|${cell.facetValues.join(',')}`;
        const row = bySql.get(key);
        expect(row, key).toBeDefined();
        if (row === undefined) continue;
        expect(cell.subscriptions, key).toBe(Number(row.subscriptions));
        expect(hexDifference(cell.sketch.toHex(), row.hex), key).toBeNull();
        expect(cell.sketch.classicCardinality(), key).toBe(row.card);
      }

      // 4. `reachtree report` prints a row for each, with the same subscriptions and exact counts
      const printed = await runCli(['report', cellsCsv, '--hierarchy', hierarchyCsv(), '--format', 'json']);
      expect(printed.code, printed.stderr).toBe(0);
      const rows = JSON.parse(printed.stdout) as Array<{ code: string; platform: string; subscriptions: number; unique: number; exact: boolean }>;
      expect(rows.length).toBe(sql.rows.length);
      for (const r of rows) {
        const key = `${r.code}|${r.platform}`;
        const row = bySql.get(key);
        expect(row, key).toBeDefined();
        if (row === undefined) continue;
        expect(r.subscriptions, key).toBe(Number(row.subscriptions));
        expect(r.exact, key).toBe(row.type <= 2);
        if (r.exact) expect(r.unique, key).toBe(row.card);
      }
    });
  }
});
