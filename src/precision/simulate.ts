/**
 * The precision study's engine: independent trials of "n distinct ids into one sketch", seeded
 * and deterministic, by one of two methods that give the same register distribution.
 *
 * - `hash`: n random 64-bit hashes (two xoshiro128** words each) added to real `HllSketch`es
 *   — exactly what ingest does with MurmurHash3 values, which are uniform enough for this
 *   (SPEC §12.2 (a)). Cost ∝ n.
 * - `sample`: the register vector drawn directly, at a cost ∝ m instead of n (n = 10^8 becomes
 *   feasible). Poissonise: every register receives Poisson(λ = n/m) hashes, independently, and
 *   a hash has value k with probability 2^−k (SPEC §3, uncapped), so the hashes of value k in a
 *   register are Poisson(λ·2^−k), independent across k. The register holds the largest k that
 *   was hit: P(max ≤ v) = exp(−λ·2^−v), which one exponential E = −ln u inverts:
 *       v = 0 if E ≥ λ, else ⌈log2(λ/E)⌉.
 *   The register's hash count K is then (given max = v) a zero-truncated Poisson(λ·2^−v) at
 *   value v plus a Poisson(λ − 2λ·2^−v) below it; the second parts of all registers add up to
 *   one Poisson draw. The trial's true count is ΣK (about n, ± √n), and errors are measured
 *   against it: given ΣK = N, Poisson loads are multinomial loads of exactly N hashes, so this
 *   samples the sketch of exactly N ids. (Values above 64 − p, probability 2^−(63−p), are
 *   folded into 64 − p.) Example: m = 1024, n = 10^6 → λ ≈ 977, values mostly 9..11.
 * One uncapped vector serves every regwidth: a register of width r holds min(value, 2^r − 1).
 * The study (bench/accuracy.ts) checks that both methods agree where both are affordable.
 */

import { Xoshiro128 } from '../samples/random.js';
import { confidenceInterval, ertlQ, improvedEstimate } from '../sketch/estimate.js';
import { HllSketch, resolveHllParams, type HllParams } from '../sketch/index.js';
import { shapeOf, type SketchShape } from '../sketch/params.js';

export type TrialMethod = 'hash' | 'sample';

/** What one trial yields for one regwidth. */
export interface Evaluation {
  /** improved (Ertl) estimate */
  readonly improved: number;
  /** its 95 % interval */
  readonly low: number;
  readonly high: number;
  /** `hll_cardinality` (NaN where PostgreSQL gives NaN) */
  readonly classic: number;
}

/**
 * Another estimator fed the same trials (the benchmark plugs hyperloglog-lite in here): it sees
 * every hash in `hash` trials and the uncapped register vector in `sample` trials.
 */
export interface PeerEstimator {
  reset(log2m: number): void;
  addHash(lo: number, hi: number): void;
  setRegisters(registers: Uint8Array): void;
  estimate(): number;
}

export interface PointSpec {
  readonly log2m: number;
  /** distinct ids per trial (the Poisson mean for `sample`) */
  readonly n: number;
  readonly regwidths: readonly number[];
  readonly trials: number;
  readonly seed: number;
  readonly method: TrialMethod;
}

/** Per-trial results of one point: column arrays indexed by trial. */
export interface PointSamples {
  readonly spec: PointSpec;
  /** true distinct count of each trial */
  readonly truth: Float64Array;
  readonly byRegwidth: ReadonlyArray<{
    readonly regwidth: number;
    readonly improved: Float64Array;
    readonly low: Float64Array;
    readonly high: Float64Array;
    readonly classic: Float64Array;
  }>;
  /** the peer's estimates, when a peer ran */
  readonly peer: Float64Array | undefined;
}

const TWO_32 = 4294967296;

/**
 * Uniform double strictly inside (0, 1) with 32 random bits: enough here, since the deepest
 * tail it can reach (1 − u ≥ 2^−33) lies beyond every register value the study can observe.
 */
export function uniform(rng: Xoshiro128): number {
  return (rng.next() + 0.5) / TWO_32;
}

/**
 * K ~ Poisson(mean): sequential inversion below mean 10, otherwise Hörmann's transformed
 * rejection with squeeze (PTRS: W. Hörmann, "The transformed rejection method for generating
 * Poisson random variables", Insurance: Mathematics and Economics 12, 1993).
 */
export function poisson(rng: Xoshiro128, mean: number): number {
  if (mean < 10) {
    const u = uniform(rng);
    let term = Math.exp(-mean);
    let cdf = term;
    let k = 0;
    while (u > cdf && term > 0) {
      k++;
      term *= mean / k;
      cdf += term;
    }
    return k;
  }
  const slam = Math.sqrt(mean);
  const logMean = Math.log(mean);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = uniform(rng) - 0.5;
    const v = uniform(rng);
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -mean + k * logMean - logFactorial(k)) return k;
  }
}

const LOG_FACTORIAL_TABLE = (() => {
  const t = new Float64Array(256);
  for (let k = 2; k < 256; k++) t[k] = t[k - 1]! + Math.log(k);
  return t;
})();

/** ln k!: a table below 256, Stirling's series (error < 1e−16 relative) above. */
export function logFactorial(k: number): number {
  if (k < 256) return LOG_FACTORIAL_TABLE[k]!;
  const r = 1 / k;
  const r2 = r * r;
  return (k + 0.5) * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI) + r * (1 / 12 - r2 * (1 / 360 - r2 / 1260));
}

/**
 * Fills `out` (length m = 2^log2m) with the uncapped register values of about n hashes (see the
 * header) and returns their exact number.
 */
export function sampleRegisters(rng: Xoshiro128, n: number, log2m: number, out: Uint8Array): number {
  const m = 2 ** log2m;
  const lambda = n / m;
  const top = 64 - log2m;
  let total = 0; // hashes at each register's own value
  let below = 0; // summed Poisson rates of the values under each register's value
  for (let i = 0; i < m; i++) {
    const e = -Math.log(uniform(rng));
    if (e >= lambda) {
      out[i] = 0;
      continue;
    }
    let v = Math.ceil(Math.log2(lambda / e));
    let rate = lambda / 2 ** v; // of value v
    if (v >= top) {
      v = top;
      rate = lambda / 2 ** (top - 1); // the folded tail: every value ≥ top
    }
    out[i] = v;
    total += zeroTruncatedPoisson(rng, rate);
    below += v < top ? lambda - 2 * rate : lambda - rate;
  }
  return total + poisson(rng, below);
}

/** K ~ Poisson(mean) conditioned on K ≥ 1, by inversion (the means here are a few at most). */
export function zeroTruncatedPoisson(rng: Xoshiro128, mean: number): number {
  const u = uniform(rng);
  let term = mean / Math.expm1(mean); // P(K = 1 | K ≥ 1)
  let cdf = term;
  let k = 1;
  while (u > cdf && term > 0) {
    k++;
    term *= mean / k;
    cdf += term;
  }
  return k;
}

/** H[v] = number of registers holding v, for v = 0..64 − log2m (uncapped values). */
export function valueCounts(registers: Uint8Array, log2m: number): Float64Array {
  const counts = new Float64Array(65 - log2m);
  for (let i = 0; i < registers.length; i++) counts[registers[i]!]!++;
  return counts;
}

/**
 * Improved estimate, interval and classic estimate at `params` of a register vector given by
 * its uncapped value counts (`valueCounts`): the histogram C_0..C_{q+1} of the capped registers
 * is all either estimator reads (up to the order of summation, see `classicFromHistogram`).
 */
export function evaluateCounts(counts: Float64Array, params: HllParams): Evaluation {
  const shape = shapeOf(params);
  const q = ertlQ(shape);
  const c = new Float64Array(q + 2);
  for (let v = 0; v < counts.length; v++) c[Math.min(v, q + 1)]! += counts[v]!;
  const value = improvedEstimate(c, shape);
  const { low, high } = confidenceInterval({ value, m: shape.m, q, filled: shape.m - c[0]!, saturated: c[q + 1]! });
  return { improved: value, low, high, classic: classicFromHistogram(c, shape) };
}

/**
 * `hll_cardinality` (SPEC §7, as `classicCardinality` in src/sketch/estimate.ts) from the register
 * histogram instead of the register vector: O(q) instead of O(m) per trial. The extension sums
 * 2^−M[j] in index order, this sums per value, so the two may differ in the last bits (a test
 * pins agreement to 1e−12); the study's statistics cannot see that.
 */
export function classicFromHistogram(c: Float64Array, shape: SketchShape): number {
  const m = shape.m;
  let sum = 0;
  for (let v = c.length - 1; v >= 0; v--) sum += c[v]! * 2 ** -v;
  const alpha = m === 16 ? 0.673 : m === 32 ? 0.697 : m === 64 ? 0.709 : 0.7213 / (1 + 1.079 / m);
  const estimator = (alpha * m * m) / sum;
  const zeros = c[0]!;
  if (zeros !== 0 && estimator < (5 * m) / 2) return m * Math.log(m / zeros);
  const twoToL = 2 ** ((shape.cap - 1 + shape.p) % 64); // C's 1ULL << L: shift count mod 64
  if (estimator <= twoToL / 30) return estimator;
  return -twoToL * Math.log(1 - estimator / twoToL);
}

/** The same figures from a sketch, through its public methods. */
export function evaluateSketch(sketch: HllSketch): Evaluation {
  const e = sketch.estimate();
  return { improved: e.value, low: e.low, high: e.high, classic: sketch.classicCardinality() ?? Number.NaN };
}

/** Sketch parameters of the study: registers from the first hash (expthresh 0), SPARSE allowed. */
export function studyParams(log2m: number, regwidth: number): HllParams {
  return resolveHllParams({ log2m, regwidth, expthresh: 0, sparseon: true });
}

/**
 * The cheaper method for n ids into 2^log2m registers: `hash` costs n adds per regwidth plus a
 * pass over the registers once they are dense (past m/8 filled), `sample` about m register draws.
 * Hashing also keeps the exact n, which matters for tiny n, where the Poisson spread of ΣK would
 * blur the point.
 */
export function cheaperMethod(n: number, log2m: number): TrialMethod {
  return n <= 2 ** log2m / 8 ? 'hash' : 'sample';
}

/** Runs every trial of one point. Deterministic in `spec` (the seed included). */
export function runPoint(spec: PointSpec, peer?: PeerEstimator): PointSamples {
  const { log2m, n, regwidths, trials, method } = spec;
  const rng = new Xoshiro128(spec.seed);
  const params = regwidths.map((r) => studyParams(log2m, r));
  const truth = new Float64Array(trials);
  const byRegwidth = regwidths.map((regwidth) => ({
    regwidth,
    improved: new Float64Array(trials),
    low: new Float64Array(trials),
    high: new Float64Array(trials),
    classic: new Float64Array(trials),
  }));
  const peerEstimates = peer === undefined ? undefined : new Float64Array(trials);
  const registers = method === 'sample' ? new Uint8Array(2 ** log2m) : undefined;
  for (let t = 0; t < trials; t++) {
    peer?.reset(log2m);
    const evaluations: Evaluation[] = [];
    if (registers === undefined) {
      const sketches = params.map((p) => HllSketch.empty(p));
      for (let i = 0; i < n; i++) {
        const lo = rng.next();
        const hi = rng.next();
        for (const s of sketches) s.addHash(lo, hi);
        peer?.addHash(lo, hi);
      }
      truth[t] = n;
      for (const s of sketches) evaluations.push(evaluateSketch(s));
    } else {
      truth[t] = sampleRegisters(rng, n, log2m, registers);
      const counts = valueCounts(registers, log2m);
      for (const p of params) evaluations.push(evaluateCounts(counts, p));
      peer?.setRegisters(registers);
    }
    evaluations.forEach((e, k) => {
      const col = byRegwidth[k]!;
      col.improved[t] = e.improved;
      col.low[t] = e.low;
      col.high[t] = e.high;
      col.classic[t] = e.classic;
    });
    if (peerEstimates !== undefined && peer !== undefined) peerEstimates[t] = peer.estimate();
  }
  return { spec, truth, byRegwidth, peer: peerEstimates };
}
