/**
 * `reachtree tune`'s decision: sketch parameters for the sizes a job will see, from a precision
 * target, a memory budget, or both (issue #6 item 3). Pure; the command reads files and prints.
 *
 * - log2m: with a target RSE, the smallest log2m whose predicted RSE (`predictedRse`, n-dependent)
 *   meets it at every size; with a byte budget, the largest log2m whose total bytes fit; with
 *   both, the smallest that meets the target within the budget, else the largest that fits.
 *   PostgreSQL caps log2m at 17 (SPEC §8), which caps the precision at ≈ 0.29 % RSE.
 * - regwidth 5: enough for any n below 2^30·m, and the widest whose hll_cardinality stays finite
 *   (≥ 6 makes it NaN past linear counting, SPEC §7); 4 saves 20 % of FULL bytes but saturates
 *   near n ≈ 2^14·m. Kept unless the caller asks for another.
 * - expthresh −1 (auto): small cells stay EXPLICIT — exact, and never larger than FULL.
 * - sparseon 1: register sketches below the SPARSE cutoff take less room than FULL.
 * Example: sizes [46 000 000], target 0.5 % → log2m 16 (0.41 %; log2m 15 gives 0.57 %).
 */

import { HLL_PARAM_LIMITS, resolveHllParams, type HllParams } from '../sketch/index.js';
import { forecast, type SizeForecast } from './theory.js';

export interface TuneArgs {
  /** expected distinct ids, one per sketch (cell or report row) */
  readonly sizes: readonly number[];
  /** largest acceptable relative standard error, e.g. 0.005 */
  readonly targetRse?: number | undefined;
  /** budget for the storage bytes of all the sketches together */
  readonly maxBytes?: number | undefined;
  /** parameters the caller fixed (log2m fixed means: only forecast it) */
  readonly fixed?: Partial<HllParams> | undefined;
}

export interface Candidate {
  readonly params: HllParams;
  readonly worstRse: number;
  /** size at which the worst RSE occurs */
  readonly worstAt: number;
  readonly totalBytes: number;
}

export interface Recommendation extends Candidate {
  /** every distinct size, largest first */
  readonly forecasts: readonly SizeForecast[];
  /** how many sketches have each size (same order) */
  readonly counts: readonly number[];
  readonly meetsTarget: boolean;
  readonly fitsBudget: boolean;
  /** neighbouring log2m values, for the trade-off */
  readonly alternatives: readonly Candidate[];
  /** caveats worth printing (PostgreSQL limits, estimator quirks) */
  readonly notes: readonly string[];
}

/** The recommendation for `args` (see the header for the rules). */
export function recommend(args: TuneArgs): Recommendation {
  const sizes = distinctSizes(args.sizes);
  const base = { regwidth: 5, expthresh: -1, sparseon: true, ...args.fixed };
  const { min, max } = HLL_PARAM_LIMITS.log2m;
  const candidates: Candidate[] = [];
  for (let log2m = min; log2m <= max; log2m++) candidates.push(evaluate(resolveHllParams({ ...base, log2m }), sizes));
  const meets = (c: Candidate): boolean => args.targetRse === undefined || c.worstRse <= args.targetRse;
  const fits = (c: Candidate): boolean => args.maxBytes === undefined || c.totalBytes <= args.maxBytes;
  let chosen: Candidate;
  if (args.fixed?.log2m !== undefined) {
    chosen = candidates.find((c) => c.params.log2m === args.fixed?.log2m)!;
  } else if (args.targetRse !== undefined) {
    chosen =
      candidates.find((c) => meets(c) && fits(c)) ??
      (args.maxBytes !== undefined ? largestFitting(candidates, fits) : candidates[candidates.length - 1]!);
  } else {
    chosen = largestFitting(candidates, fits);
  }
  const at = candidates.indexOf(chosen);
  const alternatives = [candidates[at - 1], candidates[at + 1]].filter((c): c is Candidate => c !== undefined);
  return {
    ...chosen,
    forecasts: sizes.values.map((n) => forecast(n, chosen.params)),
    counts: sizes.counts,
    meetsTarget: meets(chosen),
    fitsBudget: fits(chosen),
    alternatives,
    notes: notesFor(chosen, sizes.values),
  };
}

/** Worst RSE and total bytes of `params` over the sizes. */
function evaluate(params: HllParams, sizes: DistinctSizes): Candidate {
  let worstRse = 0;
  let worstAt = 0;
  let totalBytes = 0;
  sizes.values.forEach((n, i) => {
    const f = forecast(n, params);
    if (f.rse > worstRse) {
      worstRse = f.rse;
      worstAt = n;
    }
    totalBytes += f.bytes * sizes.counts[i]!;
  });
  return { params, worstRse, worstAt, totalBytes };
}

function largestFitting(candidates: readonly Candidate[], fits: (c: Candidate) => boolean): Candidate {
  const fitting = candidates.filter(fits);
  return fitting[fitting.length - 1] ?? candidates[0]!;
}

interface DistinctSizes {
  readonly values: number[];
  readonly counts: number[];
}

/** Sizes rounded to whole ids, grouped, largest first. */
function distinctSizes(sizes: readonly number[]): DistinctSizes {
  const counts = new Map<number, number>();
  for (const s of sizes) {
    const n = Math.round(s);
    counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  const values = [...counts.keys()].sort((a, b) => b - a);
  return { values, counts: values.map((v) => counts.get(v)!) };
}

function notesFor(c: Candidate, sizes: readonly number[]): string[] {
  const { log2m, regwidth } = c.params;
  const m = 2 ** log2m;
  const notes: string[] = [];
  if (regwidth >= 6) {
    notes.push(`regwidth ${regwidth}: PostgreSQL's hll_cardinality returns NaN for these sketches beyond n ≈ 2.5·m = ${Math.round(2.5 * m)} (reachtree's estimate is unaffected)`);
  }
  if (regwidth <= 4) {
    const saturation = 2 ** (2 ** regwidth - 2) * m;
    if (sizes.some((n) => n > saturation / 4)) {
      notes.push(`regwidth ${regwidth} saturates near n ≈ ${saturation.toExponential(1)}: errors grow fast above ${(saturation / 4).toExponential(1)}; use 5`);
    }
  }
  if (sizes.some((n) => n >= 1.5 * m && n <= 4 * m)) {
    notes.push(`sizes between 1.5·m and 4·m (${Math.round(1.5 * m)}–${4 * m}): PostgreSQL's hll_cardinality is biased there (up to +2.4 % at 2.5·m); reachtree's estimate is not`);
  }
  return notes;
}
