/**
 * `reachtree tune`: which sketch parameters to use for the sizes a job will see. Sizes come from
 * `--expected-unique` or from a file (a report CSV's `unique` column, or a cells file's sketches);
 * the goal from `--target-rse` and/or `--max-bytes`. Prints the recommendation, the expected RSE
 * and 95 % interval per size, bytes per sketch and in total, and PostgreSQL's constraints;
 * `--simulate` checks the predicted errors with a short seeded simulation.
 */
import { Readable } from 'node:stream';
import type { CommandModule } from 'yargs';
import { loadFastCsv } from '../../csv.js';
import { ReachtreeError, isReachtreeError } from '../../errors.js';
import { openSource } from '../../ingest/sources.js';
import type { Confirmation } from '../../precision/confirm.js';
import { recommend, type Recommendation } from '../../precision/tune.js';
import { HllSketch, explicitThreshold } from '../../sketch/index.js';
import { dash } from '../options.js';
import { withSketchParams, type SketchParamArgs } from './sketch-params.js';

interface TuneArgs extends SketchParamArgs {
  'expected-unique'?: number[];
  from?: string;
  'target-rse'?: string;
  'max-bytes'?: string;
  simulate: boolean;
  trials: number;
  json: boolean;
}

export const tuneCommand: CommandModule<object, TuneArgs> = {
  command: 'tune',
  describe: 'Recommend sketch parameters for the expected sizes and a precision target or memory budget',
  builder: (y) =>
    withSketchParams(
      y
        .option('expected-unique', { type: 'number', array: true, describe: 'expected distinct ids per sketch (one or more sizes)' })
        .option('from', { type: 'string', describe: "read the sizes from a report CSV ('unique' column) or a cells file ('sketch' column); - for stdin" })
        .option('target-rse', { type: 'string', describe: 'largest acceptable relative standard error at every size, e.g. 0.5% or 0.005' })
        .option('max-bytes', { type: 'string', describe: 'storage budget for all sketches together, e.g. 500000, 64KiB, 2MB' })
        .option('simulate', { type: 'boolean', default: false, describe: 'confirm the predicted errors with a short seeded simulation' })
        .option('trials', { type: 'number', default: 200, describe: 'trials per size for --simulate' })
        .option('json', { type: 'boolean', default: false, describe: 'print the recommendation as JSON' })
        .example('$0 tune --expected-unique 46000000 --target-rse 0.5%', 'a national total to ±1 % at 95 %')
        .example('$0 tune --from report.csv --max-bytes 64MiB --simulate', 'the largest precision whose sketches fit 64 MiB'),
    ) as never,
  handler: async (args) => {
    const sizes = [...(args['expected-unique'] ?? [])];
    if (args.from !== undefined) sizes.push(...(await readSizes(dash(args.from))));
    if (sizes.length === 0) throw new ReachtreeError('E_CONFIG_OPTION', 'tune needs sizes: --expected-unique N… or --from FILE');
    for (const n of sizes) {
      if (!(Number.isFinite(n) && n >= 0)) throw new ReachtreeError('E_CONFIG_OPTION', `--expected-unique must be non-negative numbers, found ${String(n)}`);
    }
    const targetRse = args['target-rse'] === undefined ? undefined : parseFraction(args['target-rse'], '--target-rse');
    const maxBytes = args['max-bytes'] === undefined ? undefined : parseBytes(args['max-bytes']);
    if (targetRse === undefined && maxBytes === undefined && args.log2m === undefined) {
      throw new ReachtreeError('E_CONFIG_OPTION', 'tune needs a goal: --target-rse (e.g. 0.5%), --max-bytes, or a fixed --log2m to forecast');
    }
    if (args.simulate && !(Number.isInteger(args.trials) && args.trials >= 10)) {
      throw new ReachtreeError('E_CONFIG_OPTION', `--trials must be an integer of at least 10, found ${String(args.trials)}`);
    }
    const rec = recommend({ sizes, targetRse, maxBytes, fixed: fixedParams(args) });
    // The simulation pulls in mathjs (slow to load): only when asked, so other commands start fast.
    const simulation = args.simulate ? await import('../../precision/confirm.js') : undefined;
    const checks = simulation?.confirm(rec.params, simulation.sizesToSimulate(rec.params, rec.forecasts.map((f) => f.n)), args.trials);
    const heading = args.log2m === undefined ? 'Recommended' : 'Forecast for';
    process.stdout.write(args.json ? `${JSON.stringify({ ...rec, targetRse, maxBytes, simulation: checks }, null, 2)}\n` : describe(heading, rec, targetRse, maxBytes, checks));
  },
};

/** The parameters given on the command line, unvalidated (resolveHllParams validates). */
function fixedParams(args: SketchParamArgs): { log2m?: number; regwidth?: number; expthresh?: number; sparseon?: boolean } {
  const fixed: { log2m?: number; regwidth?: number; expthresh?: number; sparseon?: boolean } = {};
  if (args.log2m !== undefined) fixed.log2m = args.log2m;
  if (args.regwidth !== undefined) fixed.regwidth = args.regwidth;
  if (args.expthresh !== undefined) fixed.expthresh = args.expthresh;
  if (args.sparseon !== undefined) fixed.sparseon = args.sparseon === 1 ? true : args.sparseon === 0 ? false : (args.sparseon as unknown as boolean);
  return fixed;
}

/** '0.5%' → 0.005, '0.005' → 0.005; must lie strictly between 0 and 1. */
export function parseFraction(text: string, option: string): number {
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[-+]?[0-9]+)?)\s*(%?)\s*$/i.exec(text);
  const value = m === null ? Number.NaN : Number(m[1]) / (m[2] === '%' ? 100 : 1);
  if (!(value > 0 && value < 1)) throw new ReachtreeError('E_CONFIG_OPTION', `${option} must be a fraction like 0.5% or 0.005, found ${JSON.stringify(text)}`);
  return value;
}

const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30 };

/** '500000' → 500000, '64KiB' → 65536, '2MB' → 2000000. */
export function parseBytes(text: string): number {
  const m = /^\s*([0-9]*\.?[0-9]+)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m === null ? undefined : BYTE_UNITS[m[2]!.toLowerCase()];
  const value = m === null || unit === undefined ? Number.NaN : Number(m[1]) * unit;
  if (!(value > 0)) throw new ReachtreeError('E_CONFIG_OPTION', `--max-bytes must be a byte count like 500000, 64KiB or 2MB, found ${JSON.stringify(text)}`);
  return Math.floor(value);
}

/**
 * Sizes from a CSV file with a header: the `unique` column of a report, or the `sketch` column of
 * a cells file (each sketch's estimate, plus the union of all of them — the largest total).
 */
async function readSizes(path: string): Promise<number[]> {
  const source = await openSource(path);
  const { parse } = await loadFastCsv();
  const input = Readable.from(source);
  const parser = input.pipe(parse({ headers: false, ignoreEmpty: true, trim: true }));
  input.on('error', (e) => parser.destroy(e));
  const sizes: number[] = [];
  let column = -1;
  let kind: 'unique' | 'sketch' = 'unique';
  let union: HllSketch | undefined;
  let line = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      line++;
      if (column < 0) {
        column = record.indexOf('unique');
        if (column < 0) {
          column = record.indexOf('sketch');
          kind = 'sketch';
        }
        if (column < 0) {
          throw new ReachtreeError('E_INPUT_MISSING_COLUMN', "expected a 'unique' column (report CSV) or a 'sketch' column (cells file) in the header", {
            location: { file: source.name, line, value: record.join(',') },
          });
        }
        continue;
      }
      const value = record[column] ?? '';
      const location = { file: source.name, line, column: kind, value };
      if (kind === 'unique') {
        const n = Number(value);
        if (value === '' || !(n >= 0)) throw new ReachtreeError('E_INPUT_VALUE', 'expected a non-negative number of unique people', { location });
        sizes.push(n);
      } else {
        let sketch: HllSketch;
        try {
          sketch = HllSketch.fromHex(value);
        } catch (e) {
          if (isReachtreeError(e)) throw new ReachtreeError(e.code, e.message, { location, detail: e.detail, cause: e });
          throw e;
        }
        sizes.push(sketch.estimate().value);
        if (union === undefined) union = sketch.clone();
        else union.union(sketch);
      }
    }
  } catch (e) {
    if (isReachtreeError(e)) throw e;
    throw new ReachtreeError('E_INPUT_QUOTING', `cannot parse ${source.name} near line ${line + 1}: ${e instanceof Error ? e.message : String(e)}`, {
      location: { file: source.name },
      cause: e,
    });
  }
  if (union !== undefined) sizes.push(union.estimate().value);
  if (sizes.length === 0) throw new ReachtreeError('E_INPUT_HEADER', 'no sizes found: the file has no data rows', { location: { file: source.name } });
  return sizes;
}

const int = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '∞');
const pct = (x: number, digits = 3): string => `${(x * 100).toFixed(digits)} %`;

function describe(heading: string, rec: Recommendation, targetRse: number | undefined, maxBytes: number | undefined, checks: Confirmation[] | undefined): string {
  const { log2m, regwidth, expthresh, sparseon } = rec.params;
  const out: string[] = [];
  out.push(`${heading}: log2m ${log2m}, regwidth ${regwidth}, expthresh ${expthresh}, sparseon ${sparseon ? 1 : 0}`);
  out.push(`  reachtree: --log2m ${log2m} --regwidth ${regwidth} --expthresh ${expthresh} --sparseon ${sparseon ? 1 : 0}`);
  out.push(`  SQL:       hll_add_agg(hll_hash_text(id), ${log2m}, ${regwidth}, ${expthresh}, ${sparseon ? 1 : 0}), column type hll(${log2m},${regwidth},${expthresh},${sparseon ? 1 : 0})`);
  out.push('');
  if (targetRse !== undefined) {
    out.push(`Target RSE ≤ ${pct(targetRse)} at every size: ${rec.meetsTarget ? 'met' : 'NOT met'} (worst ${pct(rec.worstRse)} at ${int(rec.worstAt)})`);
  }
  if (maxBytes !== undefined) out.push(`Budget ${int(maxBytes)} bytes: ${rec.fitsBudget ? 'fits' : 'does NOT fit'} (${int(rec.totalBytes)} bytes)`);
  if (!rec.meetsTarget && rec.params.log2m === 17) out.push('  PostgreSQL allows log2m ≤ 17, whose RSE is the best on offer.');
  out.push('');
  if (rec.forecasts.length <= MAX_SIZE_ROWS) {
    const rows = rec.forecasts.map((f, i) => [
      int(f.n),
      String(rec.counts[i]),
      f.representation,
      int(f.bytes),
      f.rse === 0 ? 'exact' : pct(f.rse),
      f.rse === 0 ? 'exact' : `${pct(f.low, 2)} … +${pct(f.high, 2)}`,
      f.rse === 0 ? '' : `${int(f.n * (1 + f.low))} … ${int(f.n * (1 + f.high))}`,
    ]);
    out.push(...table(['expected unique', 'sketches', 'representation', 'bytes each', 'rse', '95 % interval', 'i.e. people'], rows, 12));
  } else {
    out.push(`${rec.forecasts.length} different sizes, by order of magnitude (--json lists each):`);
    out.push(...table(['expected unique', 'sketches', 'representations', 'bytes', 'worst rse'], decadeRows(rec), 12));
  }
  const sketches = rec.counts.reduce((a, b) => a + b, 0);
  out.push(`Total: ${int(sketches)} sketch${sketches === 1 ? '' : 'es'}, ${int(rec.totalBytes)} bytes`);
  out.push('');
  out.push('Trade-off:');
  for (const c of [...rec.alternatives, rec].sort((a, b) => a.params.log2m - b.params.log2m)) {
    out.push(`  log2m ${String(c.params.log2m).padStart(2)}: worst RSE ${pct(c.worstRse)}, ${int(c.totalBytes)} bytes${c === rec ? '   ← recommended' : ''}`);
  }
  out.push('');
  out.push('PostgreSQL hll:');
  out.push('  log2m ≤ 17; expthresh −1, 0 or a power of two ≤ 8192; one parameter set per column (unions of different sets fail).');
  out.push(`  regwidth ${regwidth}: ${regwidth >= 6 ? 'hll_cardinality returns NaN beyond linear counting (≥ 6 always does)' : 'hll_cardinality stays finite (regwidth ≥ 6 would make it NaN beyond ~2.5·m)'}.`);
  out.push(`  EXPLICIT (exact) up to ${int(explicitThreshold(rec.params))} ids per sketch.`);
  for (const note of rec.notes) out.push(`  Note: ${note}.`);
  if (checks !== undefined) {
    out.push('');
    out.push('Simulation (seeded; registers from the first id, error against the true count):');
    const simRows = checks.map((c) => [
      int(c.n),
      `${c.trials} × ${c.method}`,
      pct(c.predictedRse),
      `${pct(c.rmse)} ± ${pct(c.rmseSe)}`,
      `${c.bias >= 0 ? '+' : ''}${pct(c.bias)} ± ${pct(c.biasSe)}`,
      `${(c.coverage * 100).toFixed(1)} % ± ${(c.coverageSe * 100).toFixed(1)}`,
    ]);
    out.push(...table(['n', 'trials', 'predicted rse', 'measured rmse', 'bias', '95 % CI coverage'], simRows, 12));
  }
  return `${out.join('\n')}\n`;
}

/** Above this many distinct sizes the table groups them by order of magnitude. */
const MAX_SIZE_ROWS = 20;

/** One row per decade of sizes: range, sketches, representations, total bytes, worst RSE. */
function decadeRows(rec: Recommendation): string[][] {
  const groups = new Map<number, { lo: number; hi: number; count: number; reps: Set<string>; bytes: number; rse: number }>();
  rec.forecasts.forEach((f, i) => {
    const decade = f.n < 1 ? -1 : Math.floor(Math.log10(f.n));
    const g = groups.get(decade) ?? { lo: f.n, hi: f.n, count: 0, reps: new Set<string>(), bytes: 0, rse: 0 };
    g.lo = Math.min(g.lo, f.n);
    g.hi = Math.max(g.hi, f.n);
    g.count += rec.counts[i]!;
    g.reps.add(f.representation);
    g.bytes += f.bytes * rec.counts[i]!;
    g.rse = Math.max(g.rse, f.rse);
    groups.set(decade, g);
  });
  return [...groups.values()].map((g) => [
    g.lo === g.hi ? int(g.lo) : `${int(g.lo)} … ${int(g.hi)}`,
    int(g.count),
    [...g.reps].join(', '),
    int(g.bytes),
    g.rse === 0 ? 'exact' : pct(g.rse),
  ]);
}

/** Right-aligned text table. */
function table(header: string[], rows: string[][], minWidth: number): string[] {
  const widths = header.map((h, i) => Math.max(minWidth, h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [line(header), ...rows.map(line)];
}
