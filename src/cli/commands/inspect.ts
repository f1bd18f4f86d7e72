/**
 * `reachtree inspect HEX`: what a sketch holds — representation, parameters, registers filled,
 * the PostgreSQL-compatible (classic) and the improved estimate with its RSE and 95 % interval.
 */
import type { CommandModule } from 'yargs';
import { HllSketch, describeBytes } from '../../sketch/index.js';

interface InspectArgs {
  hex: string;
  bytes: boolean;
  json: boolean;
}

export const inspectCommand: CommandModule<object, InspectArgs> = {
  command: 'inspect <hex>',
  describe: 'Describe a sketch given as \\x… hex (as PostgreSQL prints an hll value)',
  builder: (y) =>
    y
      .positional('hex', { type: 'string', demandOption: true, describe: "sketch bytes as hex, with or without the leading \\x (quote it in the shell: '\\x12…')" })
      .option('bytes', { type: 'boolean', default: false, describe: 'also dump the decoded bytes field by field' })
      .option('json', { type: 'boolean', default: false, describe: 'print the description as JSON' })
      .example("$0 inspect '\\x128b7f61accd4b12ff3576'", 'an EXPLICIT sketch of one id') as never,
  handler: (args) => {
    const sketch = HllSketch.fromHex(args.hex);
    const facts = describeSketch(sketch);
    if (args.json) {
      process.stdout.write(`${JSON.stringify(facts, null, 2)}\n`);
    } else {
      const width = Math.max(...Object.keys(facts).map((k) => k.length));
      for (const [key, value] of Object.entries(facts)) process.stdout.write(`${key.padEnd(width)}  ${String(value)}\n`);
    }
    if (args.bytes) process.stdout.write(`\n${describeBytes(sketch.toBytes())}\n`);
  },
};

export function describeSketch(sketch: HllSketch): Record<string, string | number | boolean | null> {
  const { log2m, regwidth, expthresh, sparseon } = sketch.params;
  const estimate = sketch.estimate();
  const bytes = sketch.toBytes();
  return {
    type: sketch.representation,
    log2m,
    registers: 2 ** log2m,
    regwidth,
    expthresh,
    sparseon: sparseon ? 1 : 0,
    bytes: bytes.length,
    filled_registers: sketch.filledRegisters(),
    classic_estimate: sketch.classicCardinality(),
    estimate: estimate.value,
    exact: estimate.exact,
    rse: estimate.rse,
    ci95_low: estimate.low,
    ci95_high: estimate.high,
  };
}
