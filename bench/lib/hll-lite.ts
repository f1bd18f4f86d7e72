/**
 * hyperloglog-lite (npm, CommonJS) as the benchmarks' baseline peer, fed the same hashes as our
 * sketches at the same register count (one byte a register in memory for both; on disk ours is
 * 5 bits a register, so at equal m the peer holds 1.6× our FULL bytes).
 *
 * Its layout: index = top p bits of word 0, value = 1 + trailing zeros of words 3 then 2 (64
 * bits), classic estimator with linear counting below 2.5·m and no large-range correction,
 * rounded to an integer. `liteHash` places one of our hashes (lo, hi) so that it selects the same
 * register and value as in pg-hll (index = low p bits, value = 1 + ctz of the 64 − p bits above),
 * which makes the peer's registers identical to our uncapped ones.
 */
import { createRequire } from 'node:module';
import type { PeerEstimator } from '../../src/precision/simulate.js';

export interface LiteSketch {
  add(hash: readonly number[]): unknown;
  count(): number;
  output(): { n: number; buckets: Uint8Array };
  merge(data: { n: number; buckets: Uint8Array }): void;
}

interface LiteModule {
  (n: number): LiteSketch;
  hash(value: string): number[];
}

const require = createRequire(import.meta.url);
process.noDeprecation = true; // it allocates with `new Buffer()`; the warning would only clutter the tables
export const HyperLogLog = require('hyperloglog-lite') as LiteModule;

/** Our hash (lo, hi) in hyperloglog-lite's word layout, selecting the same register and value. */
export function liteHash(lo: number, hi: number, log2m: number, out: number[] = [0, 0, 0, 0]): number[] {
  const index = lo & ((1 << log2m) - 1);
  out[0] = (index << (32 - log2m)) >>> 0;
  out[1] = 0;
  out[2] = hi >>> log2m;
  out[3] = ((lo >>> log2m) | (hi << (32 - log2m))) >>> 0;
  return out;
}

/** hyperloglog-lite as a `PeerEstimator` of the precision study. */
export function litePeer(): PeerEstimator {
  let sketch: LiteSketch = HyperLogLog(4);
  let p = 4;
  const scratch = [0, 0, 0, 0];
  return {
    reset(log2m: number): void {
      p = log2m;
      sketch = HyperLogLog(log2m);
    },
    addHash(lo: number, hi: number): void {
      sketch.add(liteHash(lo, hi, p, scratch));
    },
    setRegisters(registers: Uint8Array): void {
      sketch.merge({ n: p, buckets: registers });
    },
    estimate(): number {
      return sketch.count();
    },
  };
}
