/**
 * Cardinality estimators on the register vector (interop SPEC §7 and §12).
 *
 * Classic — bit for bit what `hll_cardinality` returns (float8), for parity with PostgreSQL:
 *   αm² = 0.673·m² (m = 16), 0.697·m² (32), 0.709·m² (64), else 0.7213/(1 + 1.079/m)·m²;
 *         m ≤ 8 is an error ("number of registers too small");
 *   S = Σ 2^−M[j] summed in index order (the order matters for the last bit), V = #zeros,
 *   E = αm²/S;
 *   V > 0 and E < 2.5·m        → m·ln(m/V)                       (linear counting)
 *   L = 2^r − 2 + p, B = 2^L computed like C's `1ULL << L` on x86-64/arm64, i.e. 2^(L mod 64)
 *   E ≤ B/30                   → E
 *   otherwise                  → −B·ln(1 − E/B)   (NaN when E > B: every r ≥ 6 sketch past
 *                                                  linear counting, since B wraps to m/4)
 * ln is glibc's `log` redone operation for operation (./log.ts, the build x86-64 CPUs with FMA
 * run), not a correctly rounded ln: glibc's log is one ulp off the correctly rounded value for
 * 284 of the 262 128 (m, V) pairs of the linear-counting branch with m ≤ 2^17, and CPUs without
 * FMA differ from it again on 20 of them. Every row of the vectors and every one of those pairs
 * matches hll_cardinality exactly (tests/interop/estimate.test.ts).
 *
 * Improved — Ertl, "New cardinality estimation algorithms for HyperLogLog sketches",
 * arXiv:1702.01284 (2017), the "improved raw estimator" (his Algorithm 6 with σ and τ from
 * Algorithms 4 and 5). It reads only the histogram C_k of register values, needs no bias tables
 * and no range switches, and has no NaN problem. Mapping pg-hll's registers onto the paper's
 * model (SPEC §12.2): q = min(64 − p, 2^r − 2), values 1..q+1, where C_{q+1} is the capped top
 * bucket (r ≤ 5) or structurally 0 (r ≥ 6). With α∞ = 1/(2 ln 2):
 *   N̂ = α∞·m² / ( m·σ(C_0/m) + Σ_{k=1..q} C_k·2^−k + m·τ(1 − C_{q+1}/m)·2^−q )
 * evaluated Horner-style from k = q down to 1. Worked example (SPEC §12.5): (11,3) after
 * user-1..100000 has every C_0 = 0; classic says 148360.0 (+48 %), improved 99165.7 (−0.8 %).
 *
 * Error (SPEC §12.3, refined by the precision study, bench/README.md): the relative standard
 * error depends on n/m. `predictedRse` computes it by the delta method on Ertl's Poisson model —
 * N̂ ∝ 1/z with z linear in the histogram except for σ and τ, so
 *   Var(z) ≈ m·Var(a(M)),  a(0) = σ'(C_0/m),  a(k) = 2^−k,  a(q+1) = −τ'(1 − C_{q+1}/m)·2^−q,
 * with register values M distributed as P(M ≤ k) = exp(−λ·2^−k), λ = n/m — and then removes
 * the Poisson model's own variance in n (1/n in relative terms), because a sketch holds a
 * fixed set. Worked values, m = 2^11: 0.71/√m at n/m → 0 (linear counting, √(e^x − x − 1)/(x√m)),
 * 0.79/√m at n/m = 1, 0.94/√m at 5, √(3 ln 2 − 1)/√m = 1.039/√m for n/m → ∞.
 * The 95 % interval (`confidenceInterval`) is N̂ ± 1.96·rse·N̂ where z is close to normal, and a
 * count-based interval where it is not: few collisions (inverting the exact occupancy law of the
 * filled-register count) and saturation (the registers left below the top value); it never goes
 * below the filled registers. Its coverage is measured in bench/results/accuracy.md.
 */

import { ReachtreeError } from '../errors.js';
import type { RegisterView } from './format/encode.js';
import { glibcLog } from './log.js';
import type { SketchShape } from './params.js';

export interface Estimate {
  /** Point estimate (the exact count while EMPTY/EXPLICIT). */
  readonly value: number;
  /** True while EMPTY/EXPLICIT: the value is a count, not an estimate. */
  readonly exact: boolean;
  /** Relative standard error (0 when exact). */
  readonly rse: number;
  /** 95 % interval. */
  readonly low: number;
  readonly high: number;
}

/** Two-sided 95 % normal quantile, as SPEC §12.3 rounds it. */
export const Z_95 = 1.96;

/** An exact count: zero-width interval. */
export function exactEstimate(count: number): Estimate {
  return { value: count, exact: true, rse: 0, low: count, high: count };
}

/**
 * The conventional error bound 1.04/√m (SPEC §12.3): at least the improved estimator's relative
 * standard error at every n (`predictedRse` gives the value at a given n). For sizing and help texts.
 */
export function relativeStandardError(m: number): number {
  return 1.04 / Math.sqrt(m);
}

/**
 * Relative standard error of the improved estimate of n distinct hashes in m registers whose
 * value bits are q (see the header for the derivation). Smaller than 1.04/√m everywhere short
 * of saturation; it grows without bound as the registers saturate (2^q·m ≲ n, only reachable
 * with regwidth ≤ 4).
 */
export function predictedRse(n: number, m: number, q: number): number {
  if (!(n > 0)) return 0;
  if (n === Infinity) return Infinity;
  const lambda = n / m;
  // Per register, for values v = 0..q+1: π_v = P(M = v), a_v = ∂z/∂C_v, e_v = E[K·1{M = v}]
  // with K ~ Poisson(λ) the register's hash count. Level k ≤ q receives hashes at rate λ·2^−k,
  // the top level q + 1 at λ·2^−q; M = v means level v was hit and no level above it.
  const pi = new Float64Array(q + 2);
  const a = new Float64Array(q + 2);
  const e = new Float64Array(q + 2);
  pi[0] = Math.exp(-lambda);
  a[0] = sigmaPrime(pi[0]);
  let zeta = sigma(pi[0]); // E[z]/m
  let w = 1;
  for (let v = 1; v <= q + 1; v++) {
    if (v <= q) w *= 0.5;
    const t = lambda * w; // rate of level v
    const none = Math.exp(-t);
    const hit = -Math.expm1(-t); // not 1 − none: tiny rates keep their digits
    const above = v <= q ? none : 1; // P(no hash above level v): e^(−λ·2^−v), 1 at the top
    const lower = v <= q ? lambda - 2 * t : lambda - t; // rate of the levels below v
    pi[v] = above * hit;
    a[v] = v <= q ? w : -tauPrime(none) * w;
    e[v] = above * (lower * hit + t);
    zeta += v <= q ? pi[v]! * w : tau(none) * w;
  }
  // Var(z)/m and Cov(z, N)/m; subtracting Cov²/Var(N) conditions on the sketch's fixed n (the
  // Poisson model lets n itself vary). Deviations d_v = a_v − ā keep every term well scaled.
  let mean = 0;
  for (let v = 0; v <= q + 1; v++) mean += a[v]! * pi[v]!;
  let variance = 0;
  let covariance = 0;
  for (let v = 0; v <= q + 1; v++) {
    const d = v === 0 ? a[0]! * -Math.expm1(-lambda) - (mean - a[0]! * pi[0]!) : a[v]! - mean;
    variance += pi[v]! * d * d;
    covariance += d * e[v]!;
  }
  const conditional = variance - (covariance * covariance) / lambda;
  return Math.sqrt(Math.max(conditional, 0) / m) / zeta;
}

/** Everything the interval of a register estimate depends on. */
export interface IntervalInput {
  /** the improved estimate N̂ */
  readonly value: number;
  /** register count */
  readonly m: number;
  /** value bits q of the register model (`ertlQ`) */
  readonly q: number;
  /** non-zero registers: a hard lower bound on the distinct count */
  readonly filled: number;
  /** registers at the top value q + 1 (C_{q+1}) */
  readonly saturated: number;
}

/** A 95 % interval with the relative standard error it was built from. */
export interface Interval {
  readonly rse: number;
  readonly low: number;
  readonly high: number;
}

/** Collision regime: below this many expected collisions at N̂ the interval inverts the occupancy. */
const FEW_COLLISIONS = 50;

/**
 * Saturation regime: with fewer registers than this below the top value the estimate is +∞ or
 * rests on one register, and the interval comes from that count alone. (With 2 or more the
 * normal interval already holds: 94.9 % at (10,4), n = 10^8, about 2.6 such registers.)
 */
const FEW_UNSATURATED = 2;

/**
 * The 95 % interval of a register estimate, in one of three regimes chosen from the registers:
 * - normal: N̂ ± 1.96·rse·N̂ with rse = `predictedRse(N̂)`, the low end raised to `filled`;
 * - few collisions (fewer than 50 expected, so n ≲ 10√m; and n < m/2): the filled count says
 *   nearly all. Given n, the collisions n − filled have a known mean and variance (`occupancy`,
 *   closed form); the interval is every n = filled + d under which d is in neither 2.5 % tail
 *   of that count (mid-P, binomial law with that mean and variance), widened to hold N̂:
 *   whole numbers, skewed, never below filled, [filled, N̂] when a collision is unlikely. (A normal version
 *   under-covered at a tenth of a collision, 84 % at (15, n = 100): it left out d = 1; Poisson
 *   quantiles at the estimate over-covered, 98.4 % at (10, n = 100).)
 * - saturated (regwidth ≤ 4 only, fewer than 2 registers below the top value q + 1): that count
 *   is Poisson with mean m·e^(−n·2^−q/m); its mid-P interval bounds n, up to +∞.
 * Coverage in every regime is measured by the precision study (bench/results/accuracy.md).
 */
export function confidenceInterval(x: IntervalInput): Interval {
  const { value, m, q, filled, saturated } = x;
  if (value === 0) return { rse: 0, low: 0, high: 0 }; // no register filled: nothing was counted
  const rse = predictedRse(value, m, q);
  const unsaturated = m - saturated;
  if (unsaturated < FEW_UNSATURATED) {
    const [lowMean, highMean] = poissonMeanInterval(unsaturated);
    // P(a register is below the top value) = e^(−λ·2^−q)  ⇒  n = −m·2^q·ln(mean/m)
    const nFor = (mean: number): number => (mean >= m ? 0 : mean <= 0 ? Infinity : -m * 2 ** q * Math.log(mean / m));
    return { rse, low: Math.max(Math.min(nFor(highMean), value), filled), high: Math.max(nFor(lowMean), value) };
  }
  if (value < m / 2 && occupancy(value, m).collisions < FEW_COLLISIONS) {
    const [low, high] = occupancyInterval(filled, m);
    return { rse, low: Math.max(Math.min(low, value), filled), high: Math.max(high, value) };
  }
  const half = Z_95 * rse * value;
  const low = Math.max(value - half, filled);
  return { rse, low, high: Math.max(value + half, low) };
}

/**
 * The filled-register count of n distinct hashes in m registers (the occupancy problem): its
 * shortfall from n — the collisions, n − E[filled] — and its variance
 *   Var(filled) = m·a·(1 − a) + m(m − 1)·((1 − 2/m)^n − a²),  a = (1 − 1/m)^n,
 * the last difference written as a²·expm1(n·ln(1 − 1/(m − 1)²)) so that it keeps its digits.
 */
export function occupancy(n: number, m: number): { collisions: number; variance: number } {
  const logStay = Math.log1p(-1 / m);
  const a = Math.exp(n * logStay);
  const variance = m * a * -Math.expm1(n * logStay) + m * (m - 1) * a * a * Math.expm1(n * Math.log1p(-1 / ((m - 1) * (m - 1))));
  return { collisions: n + m * Math.expm1(n * logStay), variance: Math.max(variance, 0) };
}

/**
 * Every n = filled + d (d = 0, 1, 2, …) under which d collisions lie in neither 2.5 % tail of
 * the collision count's distribution (Neyman's construction, mid-P tails so that a discrete count
 * is not over-covered): [filled + first such d, filled + last].
 */
function occupancyInterval(filled: number, m: number): [number, number] {
  let first = -1;
  let last = -1;
  for (let d = 0; d <= 1000; d++) {
    // (n < m/2 and fewer than 50 collisions expected: the d that matter are far below 1000)
    const o = occupancy(filled + d, m);
    const { below, at } = collisionLaw(o.collisions, o.variance, d);
    if (!(1 - below - 0.5 * at > 0.025)) break; // d collisions and more are too many for this n
    if (below + 0.5 * at > 0.025) {
      if (first < 0) first = d;
      last = d;
    }
  }
  return first < 0 ? [filled, filled] : [filled + first, filled + last];
}

/**
 * P(D < d) and P(D = d) for the collision count D with the given mean and variance. D is
 * under-dispersed (variance ≈ mean·(1 − 2n/3m)), so it is modelled as a binomial with that mean
 * and variance (p = 1 − variance/mean, size mean/p, not necessarily whole), which becomes the
 * Poisson law as n/m → 0.
 */
function collisionLaw(mean: number, variance: number, d: number): { below: number; at: number } {
  if (!(mean > 0)) return { below: 0, at: d === 0 ? 1 : 0 };
  const p = variance < mean ? Math.min(1 - variance / mean, 0.999) : 0;
  const size = p > 1e-12 ? mean / p : Infinity;
  let term = size === Infinity ? Math.exp(-mean) : Math.exp(size * Math.log1p(-p));
  let below = 0;
  for (let k = 0; k < d; k++) {
    below += term;
    term *= size === Infinity ? mean / (k + 1) : Math.max(size - k, 0) / (k + 1) * (p / (1 - p));
  }
  return { below, at: term };
}

/**
 * 95 % interval for the mean of a Poisson variable observed as `count`, mid-P version of the
 * exact (Garwood 1936) interval: the observed count's own probability is split in half, which
 * brings the coverage of a discrete count close to 95 % instead of well above it.
 */
function poissonMeanInterval(count: number): [number, number] {
  // P(K < count) + ½·P(K = count) for K ~ Poisson(mean): falls as the mean grows
  const midP = (mean: number): number => {
    let term = Math.exp(-mean);
    let below = 0;
    for (let j = 1; j <= count; j++) {
      below += term;
      term *= mean / j;
    }
    return below + 0.5 * term;
  };
  const solve = (target: number): number => {
    let lo = 0;
    let hi = count + 10 * Math.sqrt(count) + 20;
    for (let i = 0; i < 100; i++) {
      const mid = 0.5 * (lo + hi);
      if (midP(mid) > target) lo = mid;
      else hi = mid;
    }
    return 0.5 * (lo + hi);
  };
  return [count === 0 ? 0 : solve(0.975), solve(0.025)];
}

/** The improved estimate of a register vector, with its error and interval. */
export function registerEstimate(regs: RegisterView, shape: SketchShape): Estimate {
  const c = histogram(regs, shape);
  const value = improvedEstimate(c, shape);
  const q = c.length - 2;
  const { rse, low, high } = confidenceInterval({ value, m: shape.m, q, filled: regs.nfilled, saturated: c[q + 1]! });
  return { value, exact: false, rse, low, high };
}

/** C_k for k = 0..q+1 (see the header for q). */
export function histogram(regs: RegisterView, shape: SketchShape): Float64Array {
  const q = ertlQ(shape);
  const c = new Float64Array(q + 2);
  c[0] = shape.m - regs.nfilled;
  regs.forEachFilled((_i, v) => {
    c[v]!++;
  });
  return c;
}

/** q = min(64 − p, 2^r − 2): the paper's value bits for pg-hll registers (SPEC §12.2). */
export function ertlQ(shape: SketchShape): number {
  return Math.min(64 - shape.p, shape.cap - 1);
}

/** Ertl's improved raw estimator on a register-value histogram C_0..C_{q+1}. */
export function improvedEstimate(c: Float64Array, shape: SketchShape): number {
  const m = shape.m;
  const q = c.length - 2;
  let z = m * tau(1 - c[q + 1]! / m);
  for (let k = q; k >= 1; k--) z = 0.5 * (z + c[k]!);
  z += m * sigma(c[0]! / m);
  return (m * m) / (2 * Math.LN2) / z; // α∞·m²/z; z = ∞ (all registers zero) gives 0, z = 0 (saturated) ∞
}

/** σ(x) = x + Σ_{k≥1} x^(2^k)·2^(k−1); σ(1) = ∞. Iterated until the sum stops changing. */
function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  let prev: number;
  do {
    x *= x;
    prev = z;
    z += x * y;
    y += y;
  } while (z !== prev);
  return z;
}

/** τ(x) = (1 − x − Σ_{k≥1} (1 − x^(2^−k))²·2^−k)/3; τ(0) = τ(1) = 0. Iterated likewise. */
function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let prev: number;
  do {
    x = Math.sqrt(x);
    prev = z;
    y *= 0.5;
    z -= (1 - x) * (1 - x) * y;
  } while (z !== prev);
  return z / 3;
}

/** σ'(x) = 1 + Σ_{k≥1} 2^(2k−1)·x^(2^k − 1); σ'(1) = ∞. */
function sigmaPrime(x: number): number {
  if (x >= 1) return Infinity;
  let power = x; // x^(2^k − 1)
  let weight = 2; // 2^(2k − 1)
  let z = 1;
  let prev: number;
  do {
    prev = z;
    z += weight * power;
    power *= power * x;
    weight *= 4;
  } while (z > prev); // terms are positive: stops once they no longer count (or on NaN input)
  return z;
}

/** τ'(x) = (−1 + Σ_{k≥1} 2^(1−2k)·(1 − x^(2^−k))·x^(2^−k − 1))/3; τ'(0) = ∞, τ'(1) = −1/3. */
function tauPrime(x: number): number {
  if (x <= 0) return Infinity;
  if (x >= 1) return -1 / 3;
  let root = x; // x^(2^−k)
  let weight = 0.5; // 2^(1−2k)
  let z = -1;
  let prev: number;
  do {
    root = Math.sqrt(root);
    prev = z;
    z += (weight * (1 - root) * root) / x;
    weight *= 0.25;
  } while (z > prev); // likewise
  return z / 3;
}

/** `hll_cardinality` of a register vector, bit for bit (see the header). */
export function classicCardinality(regs: RegisterView, shape: SketchShape): number {
  const m = shape.m;
  if (m <= 8) {
    throw new ReachtreeError('E_CONFIG_PARAMS', 'number of registers too small', {
      detail: `the classic estimator needs log2m ≥ 4 (m ≥ 16), found log2m ${shape.p} (m = ${m})`,
    });
  }
  // Σ 2^−M[j] in index order, zeros included one by one: the same rounding as the C loop.
  let sum = 0;
  let zeros = 0;
  let next = 0;
  regs.forEachFilled((index, value) => {
    for (; next < index; next++) {
      sum += 1;
      zeros++;
    }
    sum += 2 ** -value;
    next++;
  });
  for (; next < m; next++) {
    sum += 1;
    zeros++;
  }
  const estimator = alphaMSquared(m) / sum;
  if (zeros !== 0 && estimator < (5 * m) / 2) return m * glibcLog(m / zeros);
  const twoToL = 2 ** ((shape.cap - 1 + shape.p) % 64); // C: 1ULL << L, shift count taken mod 64
  if (estimator <= twoToL / 30) return estimator;
  return -twoToL * glibcLog(1 - estimator / twoToL);
}

/** α·m², evaluated in the C source's order. */
function alphaMSquared(m: number): number {
  switch (m) {
    case 16:
      return 0.673 * m * m;
    case 32:
      return 0.697 * m * m;
    case 64:
      return 0.709 * m * m;
    default:
      return (0.7213 / (1 + 1.079 / m)) * m * m;
  }
}
