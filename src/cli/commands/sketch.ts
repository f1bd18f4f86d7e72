/**
 * `reachtree sketch [FILE|-]`: one id per line → the sketch of those ids as `\x…` hex, the same
 * bytes PostgreSQL prints for `hll_add_agg(hll_hash_text(id), …)` over the same ids.
 */
import type { CommandModule } from 'yargs';
import { ReachtreeError } from '../../errors.js';
import { murmurHash3x64h1 } from '../../hash/index.js';
import { openSource } from '../../ingest/sources.js';
import { HllSketch } from '../../sketch/index.js';
import { dash } from '../options.js';
import { sketchParamsFrom, withSketchParams, type SketchParamArgs } from './sketch-params.js';

interface SketchArgs extends SketchParamArgs {
  file: string;
  seed: number;
}

const LF = 0x0a;
const CR = 0x0d;

export const sketchCommand: CommandModule<object, SketchArgs> = {
  command: 'sketch [file]',
  describe: 'Sketch ids (one per line) and print the hll bytes as \\x… hex',
  builder: (y) =>
    withSketchParams(
      y
        .positional('file', { type: 'string', default: '-', describe: 'file of ids, one per line (plain or gzip); - for stdin' })
        .option('seed', { type: 'number', default: 0, describe: 'hll_hash_text seed' })
        .example("printf 'user-%d\\n' $(seq 1 1000) | $0 sketch --log2m 11", 'the sketch PostgreSQL builds with hll_add_agg(hll_hash_text(id), 11)'),
    ) as never,
  handler: async (args) => {
    const sketch = HllSketch.empty(sketchParamsFrom(args));
    await forEachLine(dash(args.file), (bytes, start, end, line, file) => {
      if (end === start) {
        throw new ReachtreeError('E_INPUT_EMPTY_ID', 'empty line; every line must hold one id', { location: { file, line, value: '' } });
      }
      murmurHash3x64h1(bytes, start, end, args.seed, hashOut);
      sketch.addHash(hashOut[0] as number, hashOut[1] as number);
    });
    process.stdout.write(`${sketch.toHex()}\n`);
  },
};

const hashOut = new Uint32Array(2);

/**
 * Calls `visit` with the byte range of every line (LF or CRLF endings; a last line without a
 * newline counts). Ids are hashed as raw bytes, so no text decoding happens here.
 */
async function forEachLine(
  path: string,
  visit: (bytes: Uint8Array, start: number, end: number, line: number, file: string) => void,
): Promise<void> {
  const source = await openSource(path);
  let carry: Buffer = Buffer.alloc(0);
  let line = 0;
  for await (const chunk of source) {
    const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(LF, start); nl !== -1; nl = buf.indexOf(LF, start)) {
      line++;
      visit(buf, start, nl > start && buf[nl - 1] === CR ? nl - 1 : nl, line, source.name);
      start = nl + 1;
    }
    carry = buf.subarray(start);
  }
  if (carry.length > 0) {
    line++;
    const end = carry[carry.length - 1] === CR ? carry.length - 1 : carry.length;
    visit(carry, 0, end, line, source.name);
  }
}
