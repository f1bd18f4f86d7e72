/**
 * `reachtree estimate FILE…`: the main job — subscriptions CSV in, roll-up report out, one pass.
 */
import type { CommandModule } from 'yargs';
import { estimateFiles } from '../../jobs.js';
import { formatSummary } from '../../ingest/progress.js';
import { withSketchParams, sketchParamsFrom, type SketchParamArgs } from './sketch-params.js';
import {
  ingestArgsFrom,
  levelsFrom,
  treeArgsFrom,
  withInputOptions,
  withReportOptions,
  withTreeOptions,
  type InputOptionArgs,
  type ReportOptionArgs,
  type TreeOptionArgs,
  dashes,
} from '../options.js';
import { emitReport } from '../emit.js';

interface EstimateArgs extends SketchParamArgs, TreeOptionArgs, InputOptionArgs, ReportOptionArgs {
  files: string[];
}

export const estimateCommand: CommandModule<object, EstimateArgs> = {
  command: 'estimate <files..>',
  describe: 'Roll-up report: subscriptions, unique people (95% CI) and duplication for every territory',
  builder: (y) =>
    withSketchParams(
      withReportOptions(
        withInputOptions(
          withTreeOptions(
            y
              .positional('files', { type: 'string', array: true, demandOption: true, describe: 'CSV files (plain or .gz); - for stdin' })
              .example('$0 estimate subs.csv.gz', 'the full roll-up as a table')
              .example('$0 estimate day1.csv day2.csv --level region --format csv -o regions.csv', 'one level, as CSV, written atomically')
              .example('$0 estimate subs.csv --by platform,sector --names names.csv', 'two facet columns; named municipal formations'),
          ),
        ),
      ),
    ) as never,
  handler: async (args) => {
    const result = await estimateFiles(dashes(args.files), {
      tree: treeArgsFrom(args),
      ingest: ingestArgsFrom(args),
      params: sketchParamsFrom(args),
      report: { levels: levelsFrom(args), allNodes: args['all-nodes'] },
    });
    await emitReport(result.rows, result.facetNames, args);
    process.stderr.write(`reachtree: ${formatSummary(result.summary)}\n`);
  },
};
