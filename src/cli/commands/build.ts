/**
 * `reachtree build FILE… -o cells.csv`: ingest only. The cells file (territory, facet columns,
 * subscriptions, sketch as \x… hex) loads into PostgreSQL with one COPY into a table whose sketch
 * column is `hll`, and feeds `merge` and `report`.
 */
import type { CommandModule } from 'yargs';
import { formatSummary } from '../../ingest/progress.js';
import { ingestFiles } from '../../ingest/pipeline.js';
import { cellsCsv } from '../../ingest/cells.js';
import { loadTree } from '../../jobs.js';
import { ingestArgsFrom, treeArgsFrom, withInputOptions, withTreeOptions, writeOutput, type InputOptionArgs, type TreeOptionArgs, dashes } from '../options.js';
import { sketchParamsFrom, withSketchParams, type SketchParamArgs } from './sketch-params.js';

interface BuildArgs extends SketchParamArgs, TreeOptionArgs, InputOptionArgs {
  files: string[];
  out: string;
}

export const buildCommand: CommandModule<object, BuildArgs> = {
  command: 'build <files..>',
  describe: 'Ingest CSV files into base cells (territory, facets, subscriptions, sketch) written as CSV',
  builder: (y) =>
    withSketchParams(
      withInputOptions(
        withTreeOptions(
          y
            .positional('files', { type: 'string', array: true, demandOption: true, describe: 'CSV files (plain or .gz); - for stdin' })
            .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'cells CSV to write (atomically); - for stdout' })
            .example('$0 build day1.csv.gz -o day1.cells.csv', "then in psql: \\copy cells FROM 'day1.cells.csv' CSV HEADER"),
        ),
      ),
    ) as never,
  handler: async (args) => {
    const tree = await loadTree(treeArgsFrom(args));
    const { cube, summary } = await ingestFiles(dashes(args.files), tree, ingestArgsFrom(args), sketchParamsFrom(args));
    await writeOutput(args.out, cellsCsv(cube, tree));
    process.stderr.write(`reachtree: ${formatSummary(summary)}\n`);
  },
};
