/**
 * Shared helpers for the sketch tests: the vector ids' hashes (computed once), sketch builders,
 * and a tiny deterministic PRNG for property and fuzz tests.
 */
import { murmurHash3x64h1 } from '../../src/hash/index.js';
import { HllSketch, type HllParams, type Representation } from '../../src/sketch/index.js';
import { field, type VectorRow } from '../fixtures/vectors.js';

const encoder = new TextEncoder();
let idHashes = new Int32Array(0); // interleaved [lo, hi] of hll_hash_text('user-' || i), i = 1..

/** Halves of hll_hash_text('user-' || i) for i = 1..n, as [lo1, hi1, lo2, hi2, …]. */
export function userHashes(n: number): Int32Array {
  if (2 * n > idHashes.length) {
    const grown = new Int32Array(2 * n);
    grown.set(idHashes);
    const out = new Uint32Array(2);
    for (let i = idHashes.length / 2 + 1; i <= n; i++) {
      const key = encoder.encode(`user-${i}`);
      murmurHash3x64h1(key, 0, key.length, 0, out);
      grown[2 * i - 2] = out[0]!;
      grown[2 * i - 1] = out[1]!;
    }
    idHashes = grown;
  }
  return idHashes;
}

/** Adds user-from..user-to (inclusive) to `sketch`. */
export function addUsers(sketch: HllSketch, from: number, to: number): HllSketch {
  const h = userHashes(to);
  for (let i = from; i <= to; i++) sketch.addHash(h[2 * i - 2]!, h[2 * i - 1]!);
  return sketch;
}

/** The sketch of user-from..user-to with `params` (empty range → EMPTY). */
export function buildUsers(params: Partial<HllParams>, from: number, to: number): HllSketch {
  return addUsers(HllSketch.empty(params), from, to);
}

/** The parameter columns of a vector row (sparseon as 1/0 or t/f). */
export function paramsOf(row: VectorRow): HllParams {
  const sparse = field(row, 'sparseon');
  return {
    log2m: Number(field(row, 'log2m')),
    regwidth: Number(field(row, 'regwidth')),
    expthresh: Number(field(row, 'expthresh')),
    sparseon: sparse === '1' || sparse === 't',
  };
}

export const TYPE_NAMES: readonly Representation[] = ['UNDEFINED', 'EMPTY', 'EXPLICIT', 'SPARSE', 'FULL'];

/** Representation name of an `hll_type` column value. */
export function typeOf(code: string): Representation {
  const name = TYPE_NAMES[Number(code)];
  if (name === undefined) throw new Error(`bad hll_type ${code}`);
  return name;
}

/** Bare lowercase hex of a sketch (the vectors' form). */
export function bareHex(sketch: HllSketch): string {
  return sketch.toHex().slice(2);
}

/**
 * Deterministic PRNG (xorshift128, Marsaglia 2003) returning uint32s; the same seed gives the
 * same stream on every run and machine.
 */
export function prng(seed: number): () => number {
  let x = seed | 0 || 0x9e3779b9;
  let y = 362436069;
  let z = 521288629;
  let w = 88675123;
  const next = (): number => {
    const t = x ^ (x << 11);
    x = y;
    y = z;
    z = w;
    w = (w ^ (w >>> 19) ^ (t ^ (t >>> 8))) | 0;
    return w >>> 0;
  };
  for (let i = 0; i < 16; i++) next(); // decorrelate nearby seeds
  return next;
}

/** `count` random 64-bit hashes as interleaved [lo, hi] halves. */
export function randomHashes(next: () => number, count: number): Int32Array {
  const out = new Int32Array(2 * count);
  for (let i = 0; i < out.length; i++) out[i] = next();
  return out;
}

/** Adds interleaved [lo, hi] hashes [from, to) to `sketch`. */
export function addHalves(sketch: HllSketch, halves: Int32Array, from = 0, to = halves.length / 2): HllSketch {
  for (let i = from; i < to; i++) sketch.addHash(halves[2 * i]!, halves[2 * i + 1]!);
  return sketch;
}
