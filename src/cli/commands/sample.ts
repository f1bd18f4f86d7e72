/**
 * `reachtree sample`: writes a deterministic synthetic subscriptions file with its exact truth
 * (unique people per node and platform) beside it — the Magadan sample, or any size up to the
 * national 115 M subscriptions.
 */
import type { CommandModule } from 'yargs';
import { writeSample } from '../../samples/write.js';

interface SampleArgs {
  scope: string;
  out: string;
  rows?: number;
  people?: number;
  seed: number;
  gzip?: boolean;
  truth?: string;
}

export const sampleCommand: CommandModule<object, SampleArgs> = {
  command: 'sample',
  describe: 'Write a synthetic subscriptions CSV (with its truth file) for trying and checking reachtree',
  builder: (y) =>
    y
      .option('scope', { type: 'string', choices: ['magadan', 'national'], default: 'magadan', describe: 'Magadan Oblast (real formations) or all 89 subjects' })
      .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'subscriptions CSV to write; gzip when it ends in .gz' })
      .option('rows', { type: 'number', describe: 'exact number of subscriptions (default: 155,214 magadan, 115,000,000 national)' })
      .option('people', { type: 'number', describe: 'approximate number of distinct people (default: rows / 2.5)' })
      .option('seed', { type: 'number', default: 1, describe: 'random seed (0..4294967295)' })
      .option('gzip', { type: 'boolean', describe: 'gzip the subscriptions (default: when --out ends in .gz)' })
      .option('truth', { type: 'string', describe: 'truth CSV path (default: truth.csv beside --out)' })
      .example('$0 sample --scope national --rows 10000000 -o /tmp/10m.csv', '10 M subscriptions over all subjects, truth in /tmp/truth.csv')
      .example('$0 sample -o magadan.csv.gz', 'the bundled Magadan sample, regenerated') as never,
  handler: async (args) => {
    const written = await writeSample({
      scope: args.scope as 'magadan' | 'national',
      file: args.out,
      seed: args.seed,
      ...(args.rows !== undefined ? { rows: args.rows } : {}),
      ...(args.people !== undefined ? { people: args.people } : {}),
      ...(args.gzip !== undefined ? { gzip: args.gzip } : {}),
      ...(args.truth !== undefined ? { truthFile: args.truth } : {}),
    });
    process.stderr.write(
      `reachtree: wrote ${written.rows.toLocaleString('en-US')} subscriptions of ${written.people.toLocaleString('en-US')} people to ${written.file}; truth in ${written.truthFile}` +
        `${written.namesFile !== null ? `; names in ${written.namesFile}` : ''}\n`,
    );
  },
};
