/**
 * `reachtree tune --simulate`: a short run of the precision study at the recommended parameters
 * and the job's own sizes, printed next to what the theory predicted, so a recommendation can be
 * checked on this machine in seconds. Same engine and statistics as bench/accuracy.ts.
 */

import type { HllParams } from '../sketch/index.js';
import { cheaperMethod, runPoint, type TrialMethod } from './simulate.js';
import { coverageStats, errorStats } from './stats.js';
import { forecast } from './theory.js';

export interface Confirmation {
  readonly n: number;
  readonly method: TrialMethod;
  readonly trials: number;
  readonly predictedRse: number;
  /** measured root mean square relative error, and its standard error ≈ rmse/√(2·trials) */
  readonly rmse: number;
  readonly rmseSe: number;
  readonly bias: number;
  readonly biasSe: number;
  /** share of trials whose 95 % interval held the true count */
  readonly coverage: number;
  readonly coverageSe: number;
}

/** Up to `limit` of the sizes whose estimate is not exact: the largest, the smallest, and between. */
export function sizesToSimulate(params: HllParams, sizes: readonly number[], limit = 5): number[] {
  const inexact = [...new Set(sizes.map(Math.round))].filter((n) => forecast(n, params).rse > 0).sort((a, b) => b - a);
  if (inexact.length <= limit) return inexact;
  const picked = new Set<number>();
  for (let i = 0; i < limit; i++) picked.add(inexact[Math.round((i * (inexact.length - 1)) / (limit - 1))]!);
  return [...picked];
}

/** Runs `trials` seeded trials at each size (expthresh 0, so the registers are what is measured). */
export function confirm(params: HllParams, sizes: readonly number[], trials: number, seed = 1): Confirmation[] {
  return sizes.map((n, i) => {
    const method = cheaperMethod(n, params.log2m);
    const run = runPoint({ log2m: params.log2m, n, regwidths: [params.regwidth], trials, seed: seed + 7919 * i, method });
    const col = run.byRegwidth[0]!;
    const errors = errorStats(col.improved, run.truth);
    const cover = coverageStats(col.low, col.high, run.truth);
    return {
      n,
      method,
      trials,
      predictedRse: forecast(n, params).rse,
      rmse: errors.rmse,
      rmseSe: errors.rmse / Math.sqrt(2 * errors.trials),
      bias: errors.bias,
      biasSe: errors.biasSe,
      coverage: cover.rate,
      coverageSe: cover.se,
    };
  });
}
