/**
 * `reachtree build --pg` and `reachtree report --pg` as a user runs them, against the live server:
 * the report from PostgreSQL has the same bytes as the report from a cells CSV, a failure leaves
 * no rows behind, and every failure is one line with its code and exit status — never a stack
 * trace.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommand } from '../../src/cli/commands/build.js';
import { reportCommand } from '../../src/cli/commands/report.js';
import { repoRoot, runCli, type CliResult } from '../cli/run.js';
import { connectPg, pgUrlOrSkip, psqlCopyCsv } from '../support/pg.js';
import { createSchema, REFUSED_URL, urlWithoutHll } from './fixtures.js';

const url = pgUrlOrSkip();

/** Runs CLI invocations a few at a time (each is a Node process compiling the sources). */
async function runAll(invocations: ReadonlyArray<readonly string[]>, parallel = 4): Promise<CliResult[]> {
  const results: CliResult[] = new Array<CliResult>(invocations.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < invocations.length) {
      const i = next++;
      results[i] = await runCli(invocations[i] as string[]);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return results;
}

/** A `reachtree: error [CODE]: …` line (after the ingest summary, if any; before DETAIL lines), no stack trace. */
function expectCleanFailure(r: CliResult, exit: number, code: string): void {
  expect(r.code, r.stderr).toBe(exit);
  expect(r.stderr).toMatch(new RegExp(`^reachtree: error \\[${code}\\]: `, 'm'));
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toContain('unexpected failure');
  expect(r.stdout).toBe('');
}

// Each test spawns several CLI processes; on a busy 2-core machine that takes minutes, not seconds.
describe.skipIf(url === null)('reachtree build --pg / report --pg (PostgreSQL hll)', { timeout: 300_000 }, () => {
  let client: pg.Client;
  let schema: string;
  let dir: string;
  const u = () => url as string;
  const subsCsv = () => join(dir, 'subscriptions.csv');

  beforeAll(async () => {
    client = await connectPg(u());
    schema = await createSchema(client, 'rt_pg_cli');
    dir = mkdtempSync(join(tmpdir(), 'reachtree-pg-cli-'));
    // the first 30 000 subscriptions of the bundled Magadan sample
    const sample = gunzipSync(readFileSync(join(repoRoot, 'samples/magadan/subscriptions.csv.gz'))).toString('utf8');
    writeFileSync(subsCsv(), sample.split('\n').slice(0, 30_001).join('\n') + '\n');
    await client.query(`CREATE TABLE ${schema}.subs (subscriber_id text NOT NULL, platform text NOT NULL, territory text NOT NULL)`);
    psqlCopyCsv(u(), `${schema}.subs`, subsCsv());
  });
  afterAll(async () => {
    await client?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client?.end();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('build --pg, then report --pg (--table or --query), prints the same bytes as build -o and report of the CSV', async () => {
    const cellsCsv = join(dir, 'cells.csv');
    const table = `${schema}.cells`;
    const [toFile, toTable] = await runAll([
      ['build', subsCsv(), '-o', cellsCsv],
      ['build', subsCsv(), '--pg', u(), '--table', table],
    ]);
    expect(toFile?.code, toFile?.stderr).toBe(0);
    expect(toTable?.code, toTable?.stderr).toBe(0);
    expect(toTable?.stderr).toMatch(/^reachtree: rows read 30,000, rows rejected 0, cells (\d+), .*\nreachtree: wrote \1 cells to table rt_pg_cli_\d+\.cells \(created the table\)\n$/);

    const reports = await runAll([
      ['report', cellsCsv, '--format', 'csv'],
      ['report', '--pg', u(), '--table', table, '--format', 'csv'],
      ['report', '--pg', u(), '--query', `SELECT territory, platform, subscriptions, sketch FROM ${table}`, '--format', 'csv'],
    ]);
    for (const r of reports) expect(r.code, r.stderr).toBe(0);
    const [fromCsv, fromTable, fromQuery] = reports.map((r) => r.stdout);
    expect(fromCsv?.split('\n').length).toBeGreaterThan(50);
    expect(fromTable).toBe(fromCsv);
    expect(fromQuery).toBe(fromCsv);
  });

  it('report --pg over hll_add_agg of the raw subscriptions, aggregated by the server, prints what estimate prints for the CSV', async () => {
    const query = `SELECT territory, platform, count(*) AS subscriptions,
                          hll_add_agg(hll_hash_text(subscriber_id), 14, 5, -1, 1) AS sketch
                     FROM ${schema}.subs GROUP BY territory, platform`;
    const [estimate, report] = await runAll([
      ['estimate', subsCsv(), '--format', 'csv'],
      ['report', '--pg', u(), '--query', query, '--format', 'csv'],
    ]);
    expect(estimate?.code, estimate?.stderr).toBe(0);
    expect(report?.code, report?.stderr).toBe(0);
    expect(report?.stdout).toBe(estimate?.stdout);
  });

  it('leaves nothing half-written: a new table is not created, an existing one keeps its rows (--replace rolled back)', async () => {
    // 1 101 cells: the batches of 1 000 rows before the bad cell go in before it fails
    const lines = ['subscriber_id,platform,territory'];
    for (let i = 0; i < 1_100; i++) lines.push(`id${i},p${String(i).padStart(4, '0')},44000000`);
    const refused = join(dir, 'refused.csv');
    const withNul = join(dir, 'nul.csv');
    writeFileSync(refused, [...lines, 'last,zz,44000000'].join('\n') + '\n');
    writeFileSync(withNul, [...lines, 'last,zz\u0000,44000000'].join('\n') + '\n');
    const guarded = `${schema}.guarded`;
    expect((await runCli(['build', refused, '--pg', u(), '--table', guarded])).code).toBe(0);
    await client.query(`ALTER TABLE ${guarded} ADD CONSTRAINT no_zz CHECK (platform <> 'zz') NOT VALID`);
    const [serverRefuses, nulRefused] = await runAll([
      ['build', refused, '--pg', u(), '--table', guarded, '--replace'],
      ['build', withNul, '--pg', u(), '--table', `${schema}.fresh`],
    ]);
    expectCleanFailure(serverRefuses as CliResult, 5, 'E_PG_QUERY');
    expect(serverRefuses?.stderr).toContain(`PostgreSQL failed while inserting cells into ${guarded}: new row for relation "guarded" violates check constraint "no_zz"`);
    expect(serverRefuses?.stderr).toContain('DETAIL:  Failing row contains (44000000, zz, 1, \\x');
    expectCleanFailure(nulRefused as CliResult, 3, 'E_INPUT_VALUE');
    expect(nulRefused?.stderr).toContain('the cell of territory 44000000 has a NUL character in "platform", which PostgreSQL text cannot hold');
    const state = await client.query<{ rows: number; fresh: string | null }>(
      `SELECT (SELECT count(*) FROM ${guarded})::int AS rows, to_regclass('${schema}.fresh')::text AS fresh`,
    );
    expect(state.rows[0]).toEqual({ rows: 1_101, fresh: null });
  });

  it('gives each failure its code, exit status and message, and checks the target before ingesting', async () => {
    const table = `${schema}.target`;
    await client.query(`CREATE TABLE ${table} (territory text NOT NULL, platform text NOT NULL, subscriptions bigint NOT NULL, sketch hll(14,5,-1,1) NOT NULL)`);
    await client.query(`INSERT INTO ${table} SELECT territory, platform, count(*), hll_add_agg(hll_hash_text(subscriber_id), 14, 5, -1, 1) FROM ${schema}.subs GROUP BY 1, 2`);
    const mixed = `SELECT 'RU' AS territory, sum(subscriptions) AS subscriptions, hll_union_agg(sketch) AS sketch
                     FROM (SELECT subscriptions, sketch FROM ${table} UNION ALL SELECT 0, hll_empty(11, 5, -1, 1)) s`;
    const badHex = `SELECT territory, platform, subscriptions, CASE WHEN row_number() OVER (ORDER BY territory, platform) = 5 THEN '\\xnothex' ELSE sketch::text END AS sketch FROM ${table} ORDER BY territory, platform`;
    const cases: Array<{ args: string[]; exit: number; code: string; says: string[] }> = [
      {
        args: ['build', subsCsv(), '--pg', REFUSED_URL, '--table', table],
        exit: 5,
        code: 'E_PG_CONNECT',
        says: ['cannot connect to PostgreSQL at postgres://reachtree:***@127.0.0.1:1/reachtree: connection refused'],
      },
      { args: ['report', '--pg', REFUSED_URL, '--table', table], exit: 5, code: 'E_PG_CONNECT', says: ['connection refused'] },
      { args: ['build', subsCsv(), '--pg', urlWithoutHll(u()), '--table', table], exit: 5, code: 'E_PG_EXTENSION', says: ['type "hll" does not exist', 'CREATE EXTENSION hll'] },
      {
        args: ['build', subsCsv(), '--log2m', '12', '--pg', u(), '--table', table],
        exit: 5,
        code: 'E_PG_COLUMNS',
        says: ['column "sketch" is hll(14,5,-1,1) (log2m 14, regwidth 5, expthresh -1, sparseon 1) but the sketches are hll(12,5,-1,1)', 'build with --log2m 14'],
      },
      { args: ['report', '--pg', u(), '--query', mixed], exit: 4, code: 'E_PARAM_LOG2M_MISMATCH', says: ['register count does not match: source uses'] },
      { args: ['report', '--pg', u(), '--query', `SELECT territory::bigint AS territory, subscriptions, sketch FROM ${table} WHERE territory ~ '^[0-9]+$'`], exit: 5, code: 'E_PG_COLUMNS', says: ['column "territory" is bigint, not text'] },
      {
        args: ['report', '--pg', u(), '--query', `SELECT territory, platform, subscriptions, sketch FROM ${table}x`],
        exit: 5,
        code: 'E_PG_QUERY',
        says: [`relation "${table}x" does not exist`, `at character ${'SELECT territory, platform, subscriptions, sketch FROM '.length + 1} of the query:`],
      },
      { args: ['report', '--pg', u(), '--query', badHex], exit: 4, code: 'E_FORMAT_HEX', says: ['the query, row 5, column "sketch": ', '(value: "\\\\xnothex")'] },
    ];
    const results = await runAll(cases.map((c) => c.args));
    cases.forEach((c, i) => {
      const r = results[i] as CliResult;
      expectCleanFailure(r, c.exit, c.code);
      for (const s of c.says) expect(r.stderr, c.code).toContain(s);
      // checked before the ingest: no summary line
      if (c.args[0] === 'build') expect(r.stderr).not.toContain('rows read');
    });
  });

  it('refuses option combinations that cannot work, as usage errors, before any work', async () => {
    // two through the whole CLI (exit status 2); the rest straight through the command handlers
    const [noTable, nothing] = await runAll([
      ['build', subsCsv(), '--pg', u()],
      ['report'],
    ]);
    expectCleanFailure(noTable as CliResult, 2, 'E_CONFIG_OPTION');
    expect(noTable?.stderr).toContain('--pg needs --table: the table to write the cells into');
    expectCleanFailure(nothing as CliResult, 2, 'E_CONFIG_OPTION');
    expect(nothing?.stderr).toContain('report needs cells files, or --pg URL with --query SQL or --table TABLE');

    const build = (args: Record<string, unknown>) => (buildCommand.handler as (a: unknown) => Promise<void>)({ files: [subsCsv()], format: 'table', ...args });
    const report = (args: Record<string, unknown>) => (reportCommand.handler as (a: unknown) => Promise<void>)({ format: 'table', ...args });
    const cases: Array<[() => Promise<void>, string]> = [
      [() => build({ table: 'cells' }), '--table only applies with --pg'],
      [() => build({ replace: true, out: join(dir, 'x.csv') }), '--replace only applies with --pg'],
      [() => build({}), 'build needs -o FILE (a cells CSV) or --pg URL --table TABLE (a PostgreSQL table), or both'],
      [() => build({ pg: 'db.example:5432', table: 'cells' }), '--pg expects a URL such as postgres://user@host:5432/database'],
      [() => build({ pg: u(), table: 'a.b.c' }), '--table expects a table name such as cells or analytics.cells'],
      [() => report({ query: 'SELECT 1' }), '--query only applies with --pg'],
      [() => report({ pg: u(), query: 'SELECT 1', table: 'cells' }), '--pg needs exactly one of --query SQL and --table TABLE'],
      [() => report({ pg: u() }), '--pg needs exactly one of --query SQL and --table TABLE'],
      [() => report({ files: [join(dir, 'cells.csv')], pg: u(), table: 'cells' }), 'report reads cells files or --pg, not both'],
    ];
    for (const [run, says] of cases) await expect(run(), says).rejects.toMatchObject({ code: 'E_CONFIG_OPTION', message: expect.stringContaining(says) });
  });
});
