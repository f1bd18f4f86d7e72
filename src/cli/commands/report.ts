/**
 * `reachtree report cells.csv…`: the roll-up report from stored cells — the same rows `estimate`
 * prints for the same subscriptions.
 */
import type { CommandModule } from 'yargs';
import { reportFromCells } from '../../jobs.js';
import { emitReport } from '../emit.js';
import { levelsFrom, treeArgsFrom, withReportOptions, withTreeOptions, type ReportOptionArgs, type TreeOptionArgs, dashes } from '../options.js';

interface ReportArgs extends TreeOptionArgs, ReportOptionArgs {
  files: string[];
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <files..>',
  describe: 'Roll-up report from cells files (build/merge output)',
  builder: (y) =>
    withReportOptions(
      withTreeOptions(
        y
          .positional('files', { type: 'string', array: true, demandOption: true, describe: 'cells CSV files; - for stdin' })
          .example('$0 report week.cells.csv --level municipal --format md', 'a Markdown table of municipal formations'),
      ),
    ) as never,
  handler: async (args) => {
    const result = await reportFromCells(dashes(args.files), { tree: treeArgsFrom(args), report: { levels: levelsFrom(args), allNodes: args['all-nodes'] } });
    await emitReport(result.rows, result.facetNames, args);
  },
};
