/**
 * What a sketch of n distinct ids will look like before it is built: its representation and
 * size in bytes (interop SPEC §4, §5) and the error of its estimate (src/sketch/estimate.ts,
 * `predictedRse` and `confidenceInterval`, confirmed by the precision study). Pure arithmetic;
 * `reachtree tune` and the study's tables are built on it.
 *
 * Sizes: EXPLICIT while n ≤ T (8 bytes per id); then registers, SPARSE while the expected number
 * of filled registers m·(1 − (1 − 1/m)^n) is below the cutoff, FULL (3 + ⌈m·r/8⌉ bytes) after.
 * Example, (14,5,−1,1): n = 1 000 → EXPLICIT 8 003 B, exact; n = 3 000 → SPARSE 6 513 B,
 * rse 0.57 %; n = 46 000 000 → FULL 10 243 B, rse 0.81 %, 95 % half-width ±1.59 %.
 */

import { confidenceInterval, ertlQ, predictedRse } from '../sketch/estimate.js';
import { explicitByteLength, fullByteLength, registerTypeFor, sparseByteLength } from '../sketch/format/layout.js';
import type { HllParams, Representation } from '../sketch/index.js';
import { shapeOf } from '../sketch/params.js';

export interface SizeForecast {
  /** expected distinct ids */
  readonly n: number;
  readonly representation: Exclude<Representation, 'UNDEFINED'>;
  /** storage bytes (the `hll` value's length) */
  readonly bytes: number;
  /** relative standard error of the estimate; 0 while the count is exact */
  readonly rse: number;
  /** 95 % interval as relative offsets from n: n·(1 + low) … n·(1 + high); 0, 0 while exact */
  readonly low: number;
  readonly high: number;
}

/** Expected number of filled registers after n distinct hashes into m registers. */
export function expectedFilled(n: number, m: number): number {
  return -m * Math.expm1(n * Math.log1p(-1 / m));
}

/** Representation, bytes and error of a sketch with `params` holding n distinct ids. */
export function forecast(n: number, params: HllParams): SizeForecast {
  const shape = shapeOf(params);
  if (n <= 0) return { n, representation: 'EMPTY', bytes: 3, rse: 0, low: 0, high: 0 };
  if (n <= shape.threshold) return { n, representation: 'EXPLICIT', bytes: explicitByteLength(n), rse: 0, low: 0, high: 0 };
  const filled = Math.round(expectedFilled(n, shape.m));
  const representation = registerTypeFor(params, filled);
  const bytes = representation === 'SPARSE' ? sparseByteLength(params, filled) : fullByteLength(params);
  const q = ertlQ(shape);
  // registers at the top value q + 1: each is there with probability 1 − e^(−n·2^−q/m)
  const saturated = Math.round(-shape.m * Math.expm1(-(n / shape.m) * 2 ** -q));
  const ci = confidenceInterval({ value: n, m: shape.m, q, filled, saturated });
  return { n, representation, bytes, rse: predictedRse(n, shape.m, q), low: ci.low / n - 1, high: ci.high / n - 1 };
}
