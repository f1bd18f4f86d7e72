/**
 * `reachtree union HEX…`: the union of sketches, byte-identical to PostgreSQL's `hll_union`.
 * Sketches of different precision can be folded to the smallest log2m first (`--fold`), which
 * PostgreSQL itself cannot do.
 */
import type { CommandModule } from 'yargs';
import { HllSketch } from '../../sketch/index.js';

interface UnionArgs {
  hex: string[];
  fold: boolean;
}

export const unionCommand: CommandModule<object, UnionArgs> = {
  command: 'union <hex..>',
  describe: 'Union sketches given as \\x… hex and print the result as hex',
  builder: (y) =>
    y
      .positional('hex', { type: 'string', array: true, demandOption: true, describe: 'two or more sketches as hex' })
      .option('fold', { type: 'boolean', default: false, describe: 'fold every sketch to the smallest log2m among them before the union' })
      .example("$0 union '\\x128b7f…' '\\x128b7f…'", 'same parameters required, as in PostgreSQL') as never,
  handler: (args) => {
    let sketches = args.hex.map((h) => HllSketch.fromHex(h));
    if (args.fold) {
      const smallest = Math.min(...sketches.map((s) => s.params.log2m));
      sketches = sketches.map((s) => (s.params.log2m > smallest ? s.fold(smallest) : s));
    }
    const [first, ...rest] = sketches;
    if (first === undefined) return;
    const result = first.clone();
    for (const s of rest) result.union(s);
    process.stdout.write(`${result.toHex()}\n`);
  },
};
