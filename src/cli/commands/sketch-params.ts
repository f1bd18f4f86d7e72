/**
 * The sketch-parameter options shared by every command that creates sketches
 * (`--log2m --regwidth --expthresh --sparseon`), with the PostgreSQL hll ranges in the help.
 */
import type { Argv } from 'yargs';
import { resolveHllParams, type HllParams } from '../../sketch/index.js';

export interface SketchParamArgs {
  log2m?: number;
  regwidth?: number;
  expthresh?: number;
  sparseon?: number;
}

export function withSketchParams<T>(y: Argv<T>): Argv<T & SketchParamArgs> {
  return y
    .option('log2m', { type: 'number', describe: 'log2 of the register count, 4..17 (default 14)', group: 'Sketch parameters:' })
    .option('regwidth', { type: 'number', describe: 'bits per register, 1..7 (default 5; ≥ 6 makes PostgreSQL hll_cardinality NaN)', group: 'Sketch parameters:' })
    .option('expthresh', { type: 'number', describe: 'EXPLICIT threshold: -1 auto, 0 never, or a power of two up to 8192 (default -1)', group: 'Sketch parameters:' })
    .option('sparseon', { type: 'number', describe: 'allow the SPARSE representation: 1 or 0 (default 1)', group: 'Sketch parameters:' }) as Argv<T & SketchParamArgs>;
}

export function sketchParamsFrom(args: SketchParamArgs): HllParams {
  const partial: { log2m?: number; regwidth?: number; expthresh?: number; sparseon?: boolean } = {};
  if (args.log2m !== undefined) partial.log2m = args.log2m;
  if (args.regwidth !== undefined) partial.regwidth = args.regwidth;
  if (args.expthresh !== undefined) partial.expthresh = args.expthresh;
  if (args.sparseon !== undefined) partial.sparseon = sparseonFlag(args.sparseon);
  return resolveHllParams(partial);
}

function sparseonFlag(value: number): boolean {
  // 0/1 as in SQL; anything else is passed through as a non-boolean so resolveHllParams rejects it.
  if (value === 0) return false;
  if (value === 1) return true;
  return value as unknown as boolean;
}
