import { describe, expect, it } from 'vitest';
import { logCorrectlyRounded } from '../../src/sketch/log.js';
import { prng } from './support.js';

describe('logCorrectlyRounded', () => {
  it('gives glibc’s log(1024/632) = 0.48258241145259567 where V8’s Math.log is one ulp low', () => {
    // card_series.csv 10_5_-1_1, n = 500: 1024·ln(1024/632) = 494.16438932745797
    expect(logCorrectlyRounded(1024 / 632)).toBe(0.48258241145259567);
    expect(1024 * logCorrectlyRounded(1024 / 632)).toBe(494.16438932745797);
  });

  it('rounds to nearest where glibc 2.36 itself misrounds (1.4463276836158192: glibc says …336)', () => {
    expect(logCorrectlyRounded(1.4463276836158192)).toBe(0.3690277119057333);
  });

  it('handles the special values like Math.log', () => {
    expect(logCorrectlyRounded(1)).toBe(0);
    expect(logCorrectlyRounded(0)).toBe(-Infinity);
    expect(logCorrectlyRounded(-1)).toBeNaN();
    expect(logCorrectlyRounded(NaN)).toBeNaN();
    expect(logCorrectlyRounded(Infinity)).toBe(Infinity);
    expect(logCorrectlyRounded(2)).toBe(Math.LN2);
    expect(logCorrectlyRounded(5e-324)).toBe(-744.4400719213812);
  });

  it('is the correctly rounded ln for 3000 random arguments (checked against 256-bit BigInt arithmetic)', () => {
    const next = prng(2024);
    for (let k = 0; k < 3000; k++) {
      // mixes m/V-like ratios, values just below 1 (the large-range branch) and a wide spread
      const x =
        k % 3 === 0
          ? 2 ** (4 + (next() % 14)) / (1 + (next() % 1000))
          : k % 3 === 1
            ? 1 - next() / 2 ** 33
            : Math.exp(((next() / 2 ** 32) - 0.5) * 1400);
      expect(logCorrectlyRounded(x), `ln(${x})`).toBe(referenceLn(x));
    }
  });
});

// --- ln(x) in 256-bit fixed point, rounded once to a double: an independent oracle -------------
const BITS = 256n;
const ONE = 1n << BITS;

/** Σ_{k≥0} s^(2k+1)/(2k+1) for a fixed-point s = S/2^256, |s| < 1/2. */
function atanhFixed(S: bigint): bigint {
  const s2 = (S * S) >> BITS;
  let term = S;
  let sum = 0n;
  for (let k = 1n; term !== 0n; k += 2n) {
    sum += term / k;
    term = (term * s2) >> BITS;
  }
  return sum;
}

const LN2_FIXED = 2n * atanhFixed(ONE / 3n); // ln 2 = 2·atanh(1/3)

function referenceLn(x: number): number {
  // x = M·2^E exactly, M a 53-bit integer
  let e = Math.floor(Math.log2(x)) - 52;
  let M = BigInt(Math.round(x / 2 ** e));
  if (Number.isNaN(Number(M)) || x !== Number(M) * 2 ** e) {
    // subnormal or rounding at the edges: scale exactly by powers of two
    const shift = 1100;
    e = Math.floor(Math.log2(x * 2 ** shift)) - 52;
    M = BigInt(Math.round((x * 2 ** shift) / 2 ** e));
    e -= shift;
  }
  // reduce M to f = M/2^52 in [1, 2), then ln x = (E + 52)·ln2 + 2·atanh((f−1)/(f+1))
  const f52 = M; // f = M / 2^52 with M in [2^52, 2^53)
  const S = ((f52 - (1n << 52n)) << BITS) / (f52 + (1n << 52n));
  const lnFixed = BigInt(e + 52) * LN2_FIXED + 2n * atanhFixed(S);
  return Number(lnFixed) / 2 ** 256;
}
