/**
 * `reachtree build FILE… -o cells.csv`: ingest only. The cells file (territory, facet columns,
 * subscriptions, sketch as \x… hex) loads into PostgreSQL with one COPY into a table whose sketch
 * column is `hll`, and feeds `merge` and `report`. With `--pg URL --table T` the cells go straight
 * into that table instead (or as well), in one transaction.
 */
import type { Argv, CommandModule } from 'yargs';
import { ReachtreeError } from '../../errors.js';
import { resolveIngestOptions } from '../../ingest/options.js';
import { formatSummary } from '../../ingest/progress.js';
import { ingestFiles } from '../../ingest/pipeline.js';
import { cellsCsv } from '../../ingest/cells.js';
import { loadTree } from '../../jobs.js';
import { ingestArgsFrom, loadPgEdge, treeArgsFrom, withInputOptions, withTreeOptions, writeOutput, type InputOptionArgs, type TreeOptionArgs, type PgEdge, dashes } from '../options.js';
import { sketchParamsFrom, withSketchParams, type SketchParamArgs } from './sketch-params.js';

interface PgOutputArgs {
  pg?: string;
  table?: string;
  replace?: boolean;
}

interface BuildArgs extends SketchParamArgs, TreeOptionArgs, InputOptionArgs, PgOutputArgs {
  files: string[];
  out?: string;
}

function withPgOutput<T>(y: Argv<T>): Argv<T & PgOutputArgs> {
  const group = 'PostgreSQL:';
  return y
    .option('pg', { type: 'string', describe: 'write the cells into a table of this database (postgres://user@host:port/db)', group })
    .option('table', { type: 'string', describe: 'with --pg: the table (created with an hll(…) column for these parameters if missing)', group })
    .option('replace', { type: 'boolean', describe: "with --pg: delete the table's rows first (same transaction) instead of appending", group }) as Argv<T & PgOutputArgs>;
}

export const buildCommand: CommandModule<object, BuildArgs> = {
  command: 'build <files..>',
  describe: 'Ingest CSV files into base cells (territory, facets, subscriptions, sketch) written as CSV or into a PostgreSQL table',
  builder: (y) =>
    withPgOutput(
      withSketchParams(
        withInputOptions(
          withTreeOptions(
            y
              .positional('files', { type: 'string', array: true, demandOption: true, describe: 'CSV files (plain or .gz); - for stdin' })
              .option('out', { alias: 'o', type: 'string', describe: 'cells CSV to write (atomically); - for stdout' })
              .example('$0 build day1.csv.gz -o day1.cells.csv', "then in psql: \\copy cells FROM 'day1.cells.csv' CSV HEADER")
              .example('$0 build day1.csv.gz --pg postgres://me@db/stats --table cells', 'the same cells straight into table cells'),
          ),
        ),
      ),
    ) as never,
  handler: async (args) => {
    const edge = await loadPgEdge(args.pg);
    const pg = pgTarget(args, edge);
    const ingestArgs = ingestArgsFrom(args);
    const params = sketchParamsFrom(args);
    const tree = await loadTree(treeArgsFrom(args));
    // a wrong URL, a missing extension or an unfit table fails now, not after a long ingest
    if (pg !== undefined) await pg.edge.checkCellsTable(pg.url, pg.table, { params, facetNames: resolveIngestOptions(ingestArgs).facetColumns });
    const { cube, summary } = await ingestFiles(dashes(args.files), tree, ingestArgs, params);
    if (args.out !== undefined) await writeOutput(args.out, cellsCsv(cube, tree));
    process.stderr.write(`reachtree: ${formatSummary(summary)}\n`);
    if (pg !== undefined) {
      const written = await pg.edge.writeCellsToTable(pg.url, pg.table, cube, tree, { replace: pg.replace });
      const how = written.created ? 'created the table' : pg.replace ? `replaced ${written.deleted} rows` : 'appended';
      process.stderr.write(`reachtree: wrote ${written.inserted} cells to table ${written.table} (${how})\n`);
    }
  },
};

/** The --pg target, checked before any work; undefined without --pg. */
function pgTarget(args: BuildArgs, edge: PgEdge | undefined): { url: string; table: string; replace: boolean; edge: PgEdge } | undefined {
  if (args.pg === undefined || edge === undefined) {
    const stray = args.table !== undefined ? '--table' : args.replace !== undefined ? '--replace' : undefined;
    if (stray !== undefined) throw new ReachtreeError('E_CONFIG_OPTION', `${stray} only applies with --pg`);
    if (args.out === undefined) throw new ReachtreeError('E_CONFIG_OPTION', 'build needs -o FILE (a cells CSV) or --pg URL --table TABLE (a PostgreSQL table), or both');
    return undefined;
  }
  edge.checkPgUrl(args.pg);
  if (args.table === undefined) throw new ReachtreeError('E_CONFIG_OPTION', '--pg needs --table: the table to write the cells into');
  edge.parseTableName(args.table);
  return { url: args.pg, table: args.table, replace: args.replace === true, edge };
}
