/**
 * Summary statistics of a study point (mathjs does the arithmetic): relative errors
 * (estimate / truth − 1) summarised as bias, RMSE and the 99th percentile of |error|, plus the
 * coverage of an interval. Each comes with its Monte-Carlo standard error, so a table can say
 * how far a figure may be trusted.
 */

import { mean, quantileSeq, sqrt, std } from 'mathjs';

export interface ErrorStats {
  /** finite estimates used */
  readonly trials: number;
  /** estimates that were NaN or ±∞ (left out of the other figures) */
  readonly nonFinite: number;
  /** mean relative error */
  readonly bias: number;
  /** its Monte-Carlo standard error, sd/√trials */
  readonly biasSe: number;
  /** root mean square relative error */
  readonly rmse: number;
  /** 99th percentile of |relative error| */
  readonly p99: number;
}

export interface CoverageStats {
  readonly trials: number;
  /** share of trials whose interval contains the truth */
  readonly rate: number;
  /** binomial standard error of `rate` */
  readonly se: number;
  /** mean of high/truth − low/truth: the interval's relative width */
  readonly width: number;
}

/** Relative-error statistics of `estimates` against `truth` (same length). */
export function errorStats(estimates: ArrayLike<number>, truth: ArrayLike<number>): ErrorStats {
  const errors: number[] = [];
  for (let i = 0; i < estimates.length; i++) {
    const e = estimates[i]!;
    if (Number.isFinite(e)) errors.push(e / truth[i]! - 1);
  }
  const nonFinite = estimates.length - errors.length;
  if (errors.length === 0) return { trials: 0, nonFinite, bias: Number.NaN, biasSe: Number.NaN, rmse: Number.NaN, p99: Number.NaN };
  const squares = errors.map((e) => e * e);
  // Sorted here, numerically: unsorted, mathjs selects the order statistic with random pivots and
  // a tolerant comparison, so of two magnitudes equal to ~1e-16 either could come out (a p99 that
  // changed in its last digits from one run of the study to the next).
  const magnitudes = Array.from(Float64Array.from(errors, Math.abs).sort());
  const bias = Number(mean(errors));
  const sd = errors.length > 1 ? Number(std(errors)) : 0;
  return {
    trials: errors.length,
    nonFinite,
    bias,
    biasSe: sd / Number(sqrt(errors.length)),
    rmse: Number(sqrt(Number(mean(squares)))),
    p99: Number(quantileSeq(magnitudes, 0.99, true)),
  };
}

/** How often [low, high] contains the truth. */
export function coverageStats(low: ArrayLike<number>, high: ArrayLike<number>, truth: ArrayLike<number>): CoverageStats {
  const hits: number[] = [];
  const widths: number[] = [];
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!;
    hits.push(low[i]! <= t && t <= high[i]! ? 1 : 0);
    widths.push((high[i]! - low[i]!) / t);
  }
  const rate = Number(mean(hits));
  return { trials: hits.length, rate, se: Number(sqrt((rate * (1 - rate)) / hits.length)), width: Number(mean(widths)) };
}
