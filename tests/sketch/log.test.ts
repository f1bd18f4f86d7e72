/**
 * glibcLog is glibc's log(), last bit included. Expected values come from glibc 2.36 itself
 * (Debian 12, x86-64): the FMA build's from `SELECT ln(x::float8)` on the interop server
 * (PostgreSQL's ln() calls log(), as hll_cardinality does), the build without FMA's from
 * `log` under GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA. Correctly rounded values come from
 * the BigInt oracle at the end of this file, not from the code under test.
 */
import { describe, expect, it } from 'vitest';
import { fma, glibcLog } from '../../src/sketch/log.js';
import { prng } from './support.js';

/** Every m/V with log2m ≤ 12 where glibc's log is not correctly rounded: [log2m, V, glibc, correctly rounded]. */
const MISROUNDED: ReadonlyArray<readonly [number, number, number, number]> = [
  [8, 177, 0.36902771190573336, 0.3690277119057333],
  [9, 277, 0.6143071188521693, 0.6143071188521694],
  [9, 354, 0.36902771190573336, 0.3690277119057333],
  [10, 554, 0.6143071188521693, 0.6143071188521694],
  [10, 708, 0.36902771190573336, 0.3690277119057333],
  [11, 1108, 0.6143071188521693, 0.6143071188521694],
  [11, 1339, 0.42494064046822594, 0.424940640468226],
  [11, 1416, 0.36902771190573336, 0.3690277119057333],
  [12, 2216, 0.6143071188521693, 0.6143071188521694],
  [12, 2678, 0.42494064046822594, 0.424940640468226],
  [12, 2832, 0.36902771190573336, 0.3690277119057333],
  [12, 3745, 0.08958927076802387, 0.08958927076802388],
];

/** Every m/V with log2m 4..17 where the builds with and without FMA differ: [log2m, V, with, without]. */
const BUILDS_DIFFER: ReadonlyArray<readonly [number, number, number, number]> = [
  [14, 12935, 0.23636843321910478, 0.23636843321910475],
  [15, 25870, 0.23636843321910478, 0.23636843321910475],
  [16, 8823, 2.0052376617370204, 2.00523766173702],
  [16, 21679, 1.106255559930609, 1.1062555599306088],
  [16, 42573, 0.43137936045647784, 0.4313793604564778],
  [16, 51740, 0.23636843321910478, 0.23636843321910475],
  [16, 51959, 0.23214466393330563, 0.23214466393330566],
  [17, 17646, 2.0052376617370204, 2.00523766173702],
  [17, 43358, 1.106255559930609, 1.1062555599306088],
  [17, 58685, 0.8035626329848459, 0.803562632984846],
  [17, 85146, 0.43137936045647784, 0.4313793604564778],
  [17, 103480, 0.23636843321910478, 0.23636843321910475],
  [17, 103918, 0.23214466393330563, 0.23214466393330566],
  [17, 104767, 0.2240079537330223, 0.22400795373302226],
  [17, 114709, 0.13334830391753288, 0.1333483039175329],
  [17, 117879, 0.10608811590667944, 0.10608811590667945],
  [17, 118385, 0.10180476530197037, 0.10180476530197036],
  [17, 118821, 0.09812863155318584, 0.09812863155318582],
  [17, 120375, 0.08513492041864365, 0.08513492041864364],
  [17, 120401, 0.08491895204886366, 0.08491895204886364],
];

/** One argument per branch and edge of the algorithm: [x, glibc (both builds agree)]. */
const BRANCHES: ReadonlyArray<readonly [string, number, number]> = [
  ['near 1, lowest argument 1 − 2^−4', 0.9375, -0.06453852113757118],
  ['table, just below 1 − 2^−4', 0.9374999999999999, -0.06453852113757129],
  ['near 1, highest argument', 1.0646972656249998, 0.06269050112342253],
  ['table, 1 + 0x1.09p−4', 1.064697265625, 0.06269050112342274],
  ['near 1, 1 − 2^−53', 0.9999999999999999, -1.1102230246251565e-16],
  ['near 1, 1 + 2^−52', 1.0000000000000002, 2.2204460492503128e-16],
  ['near 1, a large-range argument 1 − E/2^L', 0.9990234375, -0.0009770396478266127],
  ['table, 1/2', 0.5, -0.6931471805599453],
  ['table, 10', 10, 2.302585092994046],
  ['table, e', Math.E, 1],
  ['table, the largest double', Number.MAX_VALUE, 709.782712893384],
  ['table, the smallest normal double', 2 ** -1022, -708.3964185322641],
  ['subnormal', 1e-310, -713.8013788281542],
  ['subnormal, the smallest', 5e-324, -744.4400719213812],
];

function ulp(y: number): number {
  const e = Math.floor(Math.log2(Math.abs(y)));
  return 2 ** (Math.max(e, -1022) - 52);
}

describe('glibcLog', () => {
  it('returns glibc’s log(256/177) = 0.36902771190573336, one ulp above the correctly rounded ln', () => {
    expect(glibcLog(256 / 177)).toBe(0.36902771190573336);
    expect(referenceLn(256 / 177)).toBe(0.3690277119057333);
    expect(256 * glibcLog(256 / 177)).toBe(94.47109424786774); // hll_cardinality at m = 256, V = 177
  });

  it('gives glibc’s log(1024/632) = 0.48258241145259567 where V8’s Math.log is one ulp low', () => {
    // card_series.csv 10_5_-1_1, n = 500: 1024·ln(1024/632) = 494.16438932745797
    expect(glibcLog(1024 / 632)).toBe(0.48258241145259567);
    expect(1024 * glibcLog(1024 / 632)).toBe(494.16438932745797);
  });

  it('reproduces glibc at each of the 12 m/V of log2m ≤ 12 where glibc is not correctly rounded', () => {
    for (const [log2m, v, glibc, rounded] of MISROUNDED) {
      const x = 2 ** log2m / v;
      expect(glibcLog(x), `ln(2^${log2m}/${v})`).toBe(glibc);
      expect(referenceLn(x), `correctly rounded ln(2^${log2m}/${v})`).toBe(rounded);
    }
  });

  it('is correctly rounded at every other m/V of log2m 4..12 (8 176 arguments)', () => {
    const misrounded: string[] = [];
    for (let log2m = 4; log2m <= 12; log2m++) {
      const m = 2 ** log2m;
      for (let v = 1; v <= m; v++) if (glibcLog(m / v) !== referenceLn(m / v)) misrounded.push(`${log2m} ${v}`);
    }
    expect(misrounded).toEqual(MISROUNDED.map(([log2m, v]) => `${log2m} ${v}`));
  });

  it('follows the build: the 20 m/V of log2m 4..17 where glibc with FMA and without differ', () => {
    for (const [log2m, v, withFma, withoutFma] of BUILDS_DIFFER) {
      const x = 2 ** log2m / v;
      expect(glibcLog(x), `FMA build, ln(2^${log2m}/${v})`).toBe(withFma);
      expect(glibcLog(x, 'fma'), `FMA build, ln(2^${log2m}/${v})`).toBe(withFma);
      expect(glibcLog(x, 'sse2'), `build without FMA, ln(2^${log2m}/${v})`).toBe(withoutFma);
    }
  });

  it('follows the build near 1 too (the fused near-1 polynomial)', () => {
    expect(glibcLog(1.0212464935560654)).toBe(0.021023933703748318);
    expect(glibcLog(1.0212464935560654, 'sse2')).toBe(0.02102393370374832);
    expect(glibcLog(0.9644314638507835)).toBe(-0.036216507895428324);
    expect(glibcLog(0.9644314638507835, 'sse2')).toBe(-0.03621650789542833);
  });

  it.each(BRANCHES)('takes the right branch: %s', (_label, x, glibc) => {
    expect(glibcLog(x, 'fma')).toBe(glibc);
    expect(glibcLog(x, 'sse2')).toBe(glibc);
  });

  it('handles the special values like C’s log', () => {
    for (const build of ['fma', 'sse2'] as const) {
      expect(glibcLog(1, build)).toBe(0);
      expect(Object.is(glibcLog(1, build), 0)).toBe(true);
      expect(glibcLog(0, build)).toBe(-Infinity);
      expect(glibcLog(-0, build)).toBe(-Infinity);
      expect(glibcLog(Infinity, build)).toBe(Infinity);
      expect(glibcLog(-1, build)).toBeNaN();
      expect(glibcLog(-Infinity, build)).toBeNaN();
      expect(glibcLog(NaN, build)).toBeNaN();
    }
  });

  it('stays within one ulp of ln in each of the 128 table subintervals and near 1 (a wrong constant would not)', () => {
    const next = prng(2025);
    for (let i = 0; i < 128; i++) {
      for (let j = 0; j < 6; j++) {
        // z in glibc's i-th subinterval of [0x1.6p−1, 0x1.6p0): 80 of width 2^−8 below 1, 48 of 2^−7 above
        const u = next() / 2 ** 32;
        const z = i < 80 ? 0.6875 + (i + u) / 256 : 1 + (i - 80 + u) / 128;
        const x = z * 2 ** ((next() % 200) - 100);
        for (const build of ['fma', 'sse2'] as const) {
          expect(Math.abs(glibcLog(x, build) - referenceLn(x)), `ln(${x}), ${build}`).toBeLessThanOrEqual(ulp(referenceLn(x)));
        }
      }
    }
    for (let j = 0; j < 300; j++) {
      const x = 0.9375 + (next() / 2 ** 32) * 0.127197265625;
      for (const build of ['fma', 'sse2'] as const) {
        expect(Math.abs(glibcLog(x, build) - referenceLn(x)), `ln(${x}), ${build}`).toBeLessThanOrEqual(ulp(referenceLn(x)));
      }
    }
  });
});

describe('fma', () => {
  // expected values: C's fma() (glibc 2.36, x86-64)
  it('rounds a·b + c once', () => {
    expect(fma(0.1, 10, -1)).toBe(5.551115123125783e-17); // 0.1·10 − 1 unfused is 0
    expect(fma(1 + 2 ** -52, 1 - 2 ** -52, -1)).toBe(-(2 ** -104)); // unfused: 0
    expect(fma(Number.MAX_VALUE, 2, -Number.MAX_VALUE)).toBe(Number.MAX_VALUE); // unfused: ∞
  });

  it('rounds ties to even, also among subnormals', () => {
    expect(fma(1 + 2 ** -52, 1, 2 ** -53)).toBe(1 + 2 ** -51);
    expect(fma(2 ** -537, 1.5 * 2 ** -537, 0)).toBe(2 ** -1073); // 1.5 units of 2^−1074
    expect(fma(2 ** -537, 1.25 * 2 ** -537, 2 ** -1074)).toBe(2 ** -1073); // 2.25 units
  });

  it('overflows to ∞ and cancels to +0 like IEEE 754', () => {
    expect(fma(Number.MAX_VALUE, 1 + 2 ** -52, 1e292)).toBe(Infinity);
    expect(Object.is(fma(-3, 5, 15), 0)).toBe(true);
    expect(fma(Infinity, 0, 1)).toBeNaN();
    expect(fma(2, 3, Infinity)).toBe(Infinity);
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

/** ln x correctly rounded to a double, for a positive finite normal or subnormal x. */
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
  // f = M/2^52 in [1, 2): ln x = (E + 52)·ln 2 + 2·atanh((f − 1)/(f + 1))
  const S = ((M - (1n << 52n)) << BITS) / (M + (1n << 52n));
  const lnFixed = BigInt(e + 52) * LN2_FIXED + 2n * atanhFixed(S);
  return Number(lnFixed) / 2 ** 256;
}
