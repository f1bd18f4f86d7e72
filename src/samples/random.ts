/**
 * Deterministic randomness for the sample generator: xoshiro128** (Blackman & Vigna, "Scrambled
 * linear pseudorandom number generators", 2018; period 2^128 − 1) seeded through splitmix32, and
 * Vose's alias method (Vose 1991) for O(1) weighted choice.
 *
 * Only integer operations and IEEE-exact arithmetic (+, −, ×, ÷ of doubles) are used, never Math.log
 * or Math.pow, whose last bits may differ between JavaScript engines: a seed must give the same bytes
 * everywhere, because the shipped sample is checked byte for byte.
 */

const TWO_32 = 4294967296;

export class Xoshiro128 {
  // The state lives in a typed array: as object fields, 32-bit values outside V8's small-integer
  // range would be boxed, which costs more than the generator itself.
  private readonly s = new Int32Array(4);

  constructor(seed: number) {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      // splitmix32: spreads a small seed over the 128-bit state.
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s[i] = z ^ (z >>> 16);
    }
    if (this.s.every((v) => v === 0)) this.s[3] = 1; // all-zero is a fixed point
  }

  /** A generator with the given raw state (four 32-bit words, not all zero): for reference vectors. */
  static fromState(state: readonly [number, number, number, number]): Xoshiro128 {
    const rng = new Xoshiro128(0);
    rng.s.set(state.map((v) => v | 0));
    return rng;
  }

  /** Next uniformly distributed unsigned 32-bit integer. */
  next(): number {
    const s = this.s;
    const s1 = s[1] as number;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s[2] = (s[2] as number) ^ (s[0] as number);
    s[3] = (s[3] as number) ^ s1;
    s[1] = s1 ^ (s[2] as number);
    s[0] = (s[0] as number) ^ (s[3] as number);
    s[2] = (s[2] as number) ^ t;
    s[3] = rotl(s[3] as number, 11);
    return result;
  }

  /** Uniform integer in [0, n), n ≤ 2^21 (exact: the product stays below 2^53). */
  below(n: number): number {
    return Math.floor((this.next() * n) / TWO_32);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A probability as a 32-bit threshold: `rng.next() < threshold(p)` happens with probability p. */
export function threshold(p: number): number {
  return Math.min(TWO_32, Math.max(0, Math.round(p * TWO_32)));
}

/** Weighted choice among n items in O(1) per draw. */
export class AliasTable {
  readonly size: number;
  private readonly keep: Float64Array; // thresholds in [0, 2^32]
  private readonly alias: Int32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i] as number;
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`alias table: weight ${i} is ${w}`);
      total += w;
    }
    if (n === 0 || total <= 0) throw new RangeError('alias table: needs at least one positive weight');
    this.size = n;
    this.keep = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) {
      scaled[i] = ((weights[i] as number) * n) / total;
      ((scaled[i] as number) < 1 ? small : large).push(i);
    }
    while (small.length > 0 && large.length > 0) {
      const s = small.pop() as number;
      const l = large.pop() as number;
      this.keep[s] = (scaled[s] as number) * TWO_32;
      this.alias[s] = l;
      scaled[l] = (scaled[l] as number) + (scaled[s] as number) - 1;
      ((scaled[l] as number) < 1 ? small : large).push(l);
    }
    // Leftovers are 1 up to rounding: always keep them.
    for (const i of large) this.keep[i] = TWO_32;
    for (const i of small) this.keep[i] = TWO_32;
  }

  sample(rng: Xoshiro128): number {
    const i = rng.below(this.size);
    return rng.next() < (this.keep[i] as number) ? i : (this.alias[i] as number);
  }
}
