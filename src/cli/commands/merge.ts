/**
 * `reachtree merge cells.csv… -o all.csv`: unions cells files (batches, days, machines). Cells of
 * the same territory and facet values are unioned and their subscriptions summed.
 */
import type { CommandModule } from 'yargs';
import { cellsCsv, readCellsFiles } from '../../ingest/cells.js';
import { loadTree } from '../../jobs.js';
import { treeArgsFrom, withTreeOptions, writeOutput, type TreeOptionArgs, dashes } from '../options.js';

interface MergeArgs extends TreeOptionArgs {
  files: string[];
  out: string;
}

export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: 'merge <files..>',
  describe: 'Union cells files into one cells file',
  builder: (y) =>
    withTreeOptions(
      y
        .positional('files', { type: 'string', array: true, demandOption: true, describe: 'cells CSV files from build or merge; - for stdin' })
        .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'merged cells CSV (written atomically); - for stdout' })
        .example('$0 merge day1.cells.csv day2.cells.csv -o week.cells.csv', 'one cells file for the week'),
    ) as never,
  handler: async (args) => {
    const tree = await loadTree(treeArgsFrom(args));
    const { cube, rows } = await readCellsFiles(dashes(args.files), tree);
    await writeOutput(args.out, cellsCsv(cube, tree));
    process.stderr.write(`reachtree: merged ${rows} cell rows from ${args.files.length} files into ${cube.size} cells\n`);
  },
};
