/**
 * The README's section "Scaling out" works as written: every ```sql block goes through psql and every ```sh block
 * through bash (with `reachtree` on the PATH running these sources), in document order, in a
 * directory holding the Magadan sample as subscriptions.csv, against the live server with a schema
 * of this run's own first on the search_path. Then what the text promises is checked: the two
 * paths give byte-identical cells, the three reports equal `estimate`, and the SQL roll-up of
 * regions equals reachtree's.
 *
 * The server has no Citus: the test defines a stand-in `create_distributed_table` that only checks
 * that the table and distribution column the guide names exist. Citus' own behaviour is not tested.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollUp } from '../../src/cube/index.js';
import { readCellsFiles } from '../../src/ingest/cells.js';
import { DEFAULT_HLL_PARAMS } from '../../src/sketch/index.js';
import { oktmoTree } from '../../src/territory/index.js';
import { repoRoot, runCli } from '../cli/run.js';
import { connectPg, pgUrlOrSkip, psqlPath } from '../support/pg.js';
import { createSchema } from './fixtures.js';

const url = pgUrlOrSkip();
const DOC = join(repoRoot, 'README.md');
const SECTION = '## Scaling out: PostgreSQL and Citus';

/** The README's scaling-out section: from its heading to the next level-2 heading. */
function scalingSection(readme: string): string {
  const start = readme.indexOf(SECTION);
  if (start < 0) throw new Error(`README.md has no section "${SECTION}"`);
  const next = readme.indexOf('\n## ', start + SECTION.length);
  return readme.slice(start, next < 0 ? undefined : next + 1);
}

interface Block {
  readonly lang: string;
  readonly code: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
}

interface Ran extends Block {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The fenced code blocks of a Markdown text, in order. */
function codeBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const fence = /^```(\w*)[^\n]*\n([\s\S]*?)^```\s*$/gm;
  for (let m = fence.exec(markdown); m !== null; m = fence.exec(markdown)) {
    blocks.push({ lang: m[1] ?? '', code: m[2] ?? '', line: markdown.slice(0, m.index).split('\n').length });
  }
  return blocks;
}

describe.skipIf(url === null)('the README scaling-out section runs as written (PostgreSQL hll)', { timeout: 300_000 }, () => {
  let client: pg.Client;
  let schema: string;
  let dir: string;
  let databaseUrl: string;
  const ran: Ran[] = [];
  const doc = scalingSection(readFileSync(DOC, 'utf8'));
  const blocks = codeBlocks(doc);
  const byText = (lang: string, text: string): Ran => {
    const r = ran.find((b) => b.lang === lang && b.code.includes(text));
    if (r === undefined) throw new Error(`no ${lang} block containing ${JSON.stringify(text)} ran`);
    return r;
  };

  beforeAll(async () => {
    client = await connectPg(url as string);
    schema = await createSchema(client, 'rt_pg_doc');
    await client.query(`SET search_path = ${schema}, public`);
    // the Citus stand-in: checks the names the guide uses, distributes nothing
    await client.query(`
      CREATE FUNCTION ${schema}.create_distributed_table(table_name regclass, distribution_column text,
                                                         distribution_type text DEFAULT 'hash', colocate_with text DEFAULT 'default')
      RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = table_name AND attname = distribution_column AND NOT attisdropped) THEN
          RAISE EXCEPTION 'table % has no column %', table_name, distribution_column;
        END IF;
        IF colocate_with NOT IN ('default', 'none') AND to_regclass(colocate_with) IS NULL THEN
          RAISE EXCEPTION 'no table % to colocate with', colocate_with;
        END IF;
      END $$`);

    dir = mkdtempSync(join(tmpdir(), 'reachtree-doc-'));
    const sample = gunzipSync(readFileSync(join(repoRoot, 'samples/magadan/subscriptions.csv.gz'))).toString('utf8');
    writeFileSync(join(dir, 'subscriptions.csv'), sample.split('\n').slice(0, 50_001).join('\n') + '\n');
    // `reachtree` as a user has it: a command on the PATH (here running the TypeScript sources)
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const tsx = pathToFileURL(createRequire(join(repoRoot, 'package.json')).resolve('tsx')).href;
    writeFileSync(join(bin, 'reachtree'), `#!/bin/sh\nexec "${process.execPath}" --import "${tsx}" "${join(repoRoot, 'src/cli/main.ts')}" "$@"\n`);
    chmodSync(join(bin, 'reachtree'), 0o755);
    databaseUrl = `${url as string}?options=${encodeURIComponent(`-c search_path=${schema},public`)}`;
    const env = { ...process.env, DATABASE_URL: databaseUrl, PATH: `${bin}:${process.env['PATH'] ?? ''}`, PGCLIENTENCODING: 'UTF8', FORCE_COLOR: '0' };

    for (const block of blocks) {
      let r;
      if (block.lang === 'sql') {
        r = spawnSync(psqlPath(), ['-X', '-v', 'ON_ERROR_STOP=1', '-d', databaseUrl, '-f', '-'], { cwd: dir, env, input: block.code, encoding: 'utf8', timeout: 120_000 });
      } else if (block.lang === 'sh') {
        r = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', block.code], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
      } else {
        continue;
      }
      ran.push({ ...block, status: r.status, stdout: r.stdout, stderr: r.error !== undefined ? r.error.message : r.stderr });
      if (r.status !== 0) break;
    }
  }, 300_000);
  afterAll(async () => {
    await client?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client?.end();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('runs every SQL block through psql and every sh block through the shell, without an error', () => {
    const runnable = blocks.filter((b) => b.lang === 'sql' || b.lang === 'sh');
    expect(runnable.filter((b) => b.lang === 'sql').length).toBeGreaterThanOrEqual(6);
    expect(runnable.filter((b) => b.lang === 'sh').length).toBeGreaterThanOrEqual(5);
    for (const r of ran) expect(r.status, `${r.lang} block at line ${r.line} of the README's scaling-out section failed:\n${r.stderr}`).toBe(0);
    expect(ran.length).toBe(runnable.length);
  });

  it('uses reachtree’s default parameters in every typmod and hll_add_agg', () => {
    const p = DEFAULT_HLL_PARAMS;
    const params = `${p.log2m}, ${p.regwidth}, ${p.expthresh}, ${p.sparseon ? 1 : 0}`;
    const sql = blocks.map((b) => b.code).join('\n');
    expect(sql).toContain(`hll(${params})`);
    for (const m of sql.matchAll(/hll_add_agg\(hll_hash_text\(subscriber_id\), ([^)]*)\)/g)) expect(m[1]).toBe(params);
  });

  it('gives byte-identical cells on both paths: the comparison returns no rows, build --pg wrote the same cells', async () => {
    expect(byText('sql', 'IS DISTINCT FROM').stdout).toContain('(0 rows)');
    const r = await client.query<{ n: number; differing: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE d.sketch::text IS DISTINCT FROM c.sketch::text OR d.subscriptions IS DISTINCT FROM c.subscriptions)::int AS differing
         FROM cells c FULL JOIN cells_direct d USING (territory, platform)`,
    );
    expect(r.rows[0]?.n).toBeGreaterThan(20);
    expect(r.rows[0]?.differing).toBe(0);
  });

  it('prints the same report from the table, from a query over raw subscriptions and from the exported CSV as estimate', async () => {
    const estimate = await runCli(['estimate', join(dir, 'subscriptions.csv'), '--level', 'region']);
    expect(estimate.code, estimate.stderr).toBe(0);
    expect(estimate.stdout).toContain('44000000');
    expect(byText('sh', '--table cells --level region').stdout).toBe(estimate.stdout);
    expect(byText('sh', '--level region --query').stdout).toBe(estimate.stdout);
    expect(byText('sh', 'report cells-export.csv').stdout).toBe(estimate.stdout);
  });

  it("rolls regions up in SQL to reachtree's region sketches and classic estimates", async () => {
    const tree = oktmoTree();
    const { cube } = await readCellsFiles([join(dir, 'cells.csv')], tree);
    const ours = rollUp(cube, tree).filter((c) => c.node.level === 'region' && c.subscriptions > 0);
    const sql = await client.query<{ region: string; platform: string; subscriptions: string; hex: string; card: number }>(
      'SELECT region, platform, subscriptions::text, sketch::text AS hex, hll_cardinality(sketch) AS card FROM region_reach',
    );
    const byKey = new Map(sql.rows.map((r) => [`${r.region}|${r.platform}`, r]));
    expect(ours.length).toBeGreaterThanOrEqual(4);
    expect(sql.rows.length).toBe(ours.length);
    for (const c of ours) {
      const key = `${c.node.code}|${c.facetValues.join('|')}`;
      const row = byKey.get(key);
      expect(row, key).toBeDefined();
      expect(Number(row?.subscriptions), key).toBe(c.subscriptions);
      expect(row?.hex, key).toBe(c.sketch.toHex());
      expect(row?.card, key).toBe(c.sketch.classicCardinality());
    }
    // and the guide's own SELECT printed them
    expect(byText('sql', 'FROM region_reach').stdout).toContain(`(${ours.length} rows)`);
  });
});
