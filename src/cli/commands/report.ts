/**
 * `reachtree report cells.csv…`: the roll-up report from stored cells — the same rows `estimate`
 * prints for the same subscriptions. With `--pg URL --query SQL` (or `--table T`) the cells come
 * from PostgreSQL instead: a cells table, or sketches the database aggregates itself.
 */
import type { Argv, CommandModule } from 'yargs';
import { ReachtreeError } from '../../errors.js';
import { loadTree, reportCube, reportFromCells, type ReportResult } from '../../jobs.js';
import { emitReport } from '../emit.js';
import { levelsFrom, loadPgEdge, treeArgsFrom, withReportOptions, withTreeOptions, type ReportOptionArgs, type TreeOptionArgs, type PgEdge, dashes } from '../options.js';

interface PgInputArgs {
  pg?: string;
  query?: string;
  table?: string;
}

interface ReportArgs extends TreeOptionArgs, ReportOptionArgs, PgInputArgs {
  files?: string[];
}

function withPgInput<T>(y: Argv<T>): Argv<T & PgInputArgs> {
  const group = 'PostgreSQL:';
  return y
    .option('pg', { type: 'string', describe: 'read the cells from this database (postgres://user@host:port/db) instead of files', group })
    .option('query', { type: 'string', describe: 'with --pg: a SELECT returning territory, facet columns, subscriptions and sketch (hll, bytea or hex text)', group })
    .option('table', { type: 'string', describe: 'with --pg: read this cells table (as written by build --pg)', group }) as Argv<T & PgInputArgs>;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report [files..]',
  describe: 'Roll-up report from cells files (build/merge output) or from cells in PostgreSQL',
  builder: (y) =>
    withPgInput(
      withReportOptions(
        withTreeOptions(
          y
            .positional('files', { type: 'string', array: true, describe: 'cells CSV files; - for stdin' })
            .example('$0 report week.cells.csv --level municipal --format md', 'a Markdown table of municipal formations')
            .example(
              `$0 report --pg postgres://me@db/stats --query "SELECT territory, platform, count(*) AS subscriptions, hll_add_agg(hll_hash_text(subscriber_id), 14, 5, -1, 1) AS sketch FROM subscriptions GROUP BY 1, 2"`,
              'cells aggregated by the database',
            ),
        ),
      ),
    ) as never,
  handler: async (args) => {
    const files = dashes(args.files ?? []);
    const report = { levels: levelsFrom(args), allNodes: args['all-nodes'] };
    let result: ReportResult;
    const edge = await loadPgEdge(args.pg);
    const query = pgQuery(args, files, edge);
    if (query === undefined) {
      result = await reportFromCells(files, { tree: treeArgsFrom(args), report });
    } else {
      const tree = await loadTree(treeArgsFrom(args));
      const { cube } = await query.edge.readCellsFromQuery(query.url, query.sql, tree);
      result = reportCube(cube, tree, report);
    }
    await emitReport(result.rows, result.facetNames, args);
  },
};

/** The --pg source, checked before any work; undefined when the cells come from files. */
function pgQuery(args: ReportArgs, files: readonly string[], edge: PgEdge | undefined): { url: string; sql: string; edge: PgEdge } | undefined {
  if (args.pg === undefined || edge === undefined) {
    const stray = args.query !== undefined ? '--query' : args.table !== undefined ? '--table' : undefined;
    if (stray !== undefined) throw new ReachtreeError('E_CONFIG_OPTION', `${stray} only applies with --pg`);
    if (files.length === 0) throw new ReachtreeError('E_CONFIG_OPTION', 'report needs cells files, or --pg URL with --query SQL or --table TABLE');
    return undefined;
  }
  edge.checkPgUrl(args.pg);
  if (files.length > 0) throw new ReachtreeError('E_CONFIG_OPTION', 'report reads cells files or --pg, not both (merge the files into the table first)');
  if ((args.query === undefined) === (args.table === undefined)) throw new ReachtreeError('E_CONFIG_OPTION', '--pg needs exactly one of --query SQL and --table TABLE');
  return { url: args.pg, sql: args.query ?? edge.tableQuery(args.table as string), edge };
}
