/**
 * Cells for the PostgreSQL-edge tests: a cube over Magadan Oblast codes with EXPLICIT, SPARSE and
 * FULL sketches, facet values that need quoting (Cyrillic, quotes, commas), and a schema of the
 * test's own on the shared server.
 */
import type pg from 'pg';
import { Cube } from '../../src/cube/index.js';
import { hllHashText } from '../../src/hash/index.js';
import { resolveHllParams, type HllParams } from '../../src/sketch/index.js';
import { oktmoTree, type TerritoryTree } from '../../src/territory/index.js';
import { adversarialIds, hexIds, seededRandom } from '../interop/fixtures.js';

export const TERRITORIES = ['RU', 'FEFD', '44000000', '44701000', '44701000001', '44502000', '44502000051', '44513000', '44513000001', '44522000071'] as const;
export const PLATFORMS = ['vk', 'tg', 'ok', 'макс', 'a "quoted", one'] as const;

export interface Subscription {
  readonly id: string;
  readonly platform: string;
  readonly territory: string;
}

/**
 * 20 000 distinct ids on one cell (FULL at the default parameters), 1 500 on another (SPARSE),
 * and 3 000 rows drawn from a shared pool over every territory × platform (mostly EXPLICIT).
 */
export function subscriptions(): Subscription[] {
  const pool = [...adversarialIds(2_000, 0x9e_0001).filter((id) => id !== ''), ...hexIds(22_000, 0x9e_0002)];
  const next = seededRandom(0x9e_0003);
  const rows: Subscription[] = [];
  for (let i = 0; i < 20_000; i++) rows.push({ id: pool[pool.length - 1 - i] as string, platform: 'vk', territory: '44701000001' });
  for (let i = 0; i < 1_500; i++) rows.push({ id: pool[i] as string, platform: 'tg', territory: '44000000' });
  for (let i = 0; i < 3_000; i++) {
    rows.push({
      id: pool[next() % 4_000] as string,
      platform: PLATFORMS[next() % PLATFORMS.length] as string,
      territory: TERRITORIES[next() % TERRITORIES.length] as string,
    });
  }
  return rows;
}

/** The cube of `rows`, built cell by cell with hll_hash_text semantics. */
export function cubeOf(rows: readonly Subscription[], tree: TerritoryTree, params: Partial<HllParams> = {}): Cube {
  const cube = new Cube(resolveHllParams(params), ['platform']);
  for (const r of rows) {
    const cell = cube.cell(tree.resolve(r.territory), [r.platform]);
    cell.subscriptions++;
    cell.sketch.addHashBigInt(hllHashText(r.id));
  }
  return cube;
}

export function magadanTree(): TerritoryTree {
  return oktmoTree();
}

/** `territory|facets → subscriptions hex` of a cube, for comparing two cubes in one expect. */
export function cubeSummary(cube: Cube): Map<string, string> {
  return new Map(cube.cells().map(({ territory, facetValues, cell }) => [`${territory.code}|${facetValues.join('|')}`, `${cell.subscriptions} ${cell.sketch.toHex()}`]));
}

/** A schema of this test file's own (dropped with everything in it afterwards). */
export async function createSchema(client: pg.Client, name: string): Promise<string> {
  const schema = `${name}_${process.pid}`;
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.query(`CREATE SCHEMA ${schema}`);
  return schema;
}

/** The URL with a search_path that does not reach the extension (installed in public): "hll is not installed". */
export function urlWithoutHll(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent('-c search_path=pg_catalog')}`;
}

/** A URL where nothing listens (port 1 on the loopback), with a password that must never be printed. */
export const REFUSED_URL = 'postgres://reachtree:not-to-be-seen@127.0.0.1:1/reachtree';
