/**
 * estimate(): exact while EMPTY/EXPLICIT; Ertl's improved estimator with RSE and a 95 % interval
 * otherwise. classicCardinality(): hll_cardinality's edge behaviour (the vectors check its values).
 */
import { describe, expect, it } from 'vitest';
import { ReachtreeError } from '../../src/errors.js';
import { confidenceInterval, HllSketch, relativeStandardError } from '../../src/sketch/index.js';
import { ertlQ, predictedRse } from '../../src/sketch/estimate.js';
import { shapeOf } from '../../src/sketch/params.js';
import { addHalves, addUsers, buildUsers, prng, randomHashes, userHashes } from './support.js';

describe('estimate › exact representations', () => {
  it('reports EMPTY as exactly 0 with a zero-width interval', () => {
    expect(HllSketch.empty().estimate()).toEqual({ value: 0, exact: true, rse: 0, low: 0, high: 0 });
  });

  it('reports EXPLICIT as the exact count of distinct hashes', () => {
    expect(buildUsers({}, 1, 1000).estimate()).toEqual({ value: 1000, exact: true, rse: 0, low: 1000, high: 1000 });
  });

  it('has no cardinality for UNDEFINED: estimate throws E_FORMAT_UNDEFINED, classic gives null', () => {
    const u = HllSketch.fromHex('\\x108b7f');
    expect(() => u.estimate()).toThrow(expect.objectContaining({ code: 'E_FORMAT_UNDEFINED' }));
    expect(u.classicCardinality()).toBeNull();
  });
});

describe('estimate › improved estimator (Ertl 2017)', () => {
  // SPEC §12.5: the improved estimate on the registers of user-1..n (the same registers whatever
  // sparseon is), to the printed precision
  const table: Array<[number, number, number, number]> = [
    [11, 5, 10_000, 10098.9],
    [11, 5, 1_000_000, 1007973.2],
    [14, 6, 20_000, 20020.5],
    [14, 6, 50_000, 50174.1],
    [14, 6, 1_000_000, 1024868.9],
    [11, 3, 100_000, 99165.7],
  ];
  it.each(table)('gives SPEC §12.5’s value for (%i,%i), n = %i: %f', (log2m, regwidth, n, expected) => {
    userHashes(n);
    const s = buildUsers({ log2m, regwidth, expthresh: 0, sparseon: false }, 1, n);
    const e = s.estimate();
    expect(e.exact).toBe(false);
    expect(Math.abs(e.value - expected)).toBeLessThan(0.05 + 1e-9 * expected);
  });

  it('stays finite where the classic estimator gives NaN (regwidth 6 past linear counting)', () => {
    const s = buildUsers({ log2m: 14, regwidth: 6, expthresh: 0, sparseon: false }, 1, 50_000);
    expect(s.classicCardinality()).toBeNaN();
    expect(Number.isFinite(s.estimate().value)).toBe(true);
  });

  it('says +∞ for a saturated sketch (every register at the cap)', () => {
    userHashes(1_000_000);
    const s = buildUsers({ log2m: 11, regwidth: 3, expthresh: 0, sparseon: false }, 1, 1_000_000);
    expect(s.classicCardinality()).toBeNaN();
    expect(s.estimate().value).toBe(Infinity);
  });

  it('gives 0 for registers that are all still zero', () => {
    const s = HllSketch.empty({ log2m: 11, expthresh: 0 });
    s.addHashBigInt(0n); // w = 0: the registers ignore it
    expect(s.representation).toBe('SPARSE');
    expect(s.estimate()).toMatchObject({ value: 0, exact: false, low: 0, high: 0 });
  });

  it('maps pg-hll registers with q = min(64 − p, 2^r − 2) (SPEC §12.2)', () => {
    const q = (log2m: number, regwidth: number): number => ertlQ(shapeOf({ log2m, regwidth, expthresh: -1, sparseon: true }));
    expect(q(11, 5)).toBe(30);
    expect(q(14, 6)).toBe(50);
    expect(q(11, 3)).toBe(6);
    expect(q(17, 7)).toBe(47);
  });

  it('is unbiased to within a percent and its spread stays under 1.04/√m across the range, (10,5)', () => {
    // 40 independent random sets per size; deterministic seeds
    const m = 1024;
    for (const n of [200, 1000, 2560, 6000, 20000]) {
      let sum = 0;
      let sq = 0;
      const runs = 40;
      for (let run = 0; run < runs; run++) {
        const s = addHalves(HllSketch.empty({ log2m: 10, expthresh: 0 }), randomHashes(prng(n * 100 + run), n));
        const rel = s.estimate().value / n - 1;
        sum += rel;
        sq += rel * rel;
      }
      const bias = sum / runs;
      const rmse = Math.sqrt(sq / runs);
      expect(Math.abs(bias), `bias at n=${n}`).toBeLessThan(0.015);
      expect(rmse, `rmse at n=${n}`).toBeLessThan(1.3 * relativeStandardError(m));
    }
  });
});

describe('estimate › error and interval', () => {
  it('uses the rse predicted at the estimate (below 1.04/√m) and a ±1.96·rse interval around it', () => {
    const s = addHalves(HllSketch.empty({ log2m: 14, expthresh: 0 }), randomHashes(prng(8), 200_000));
    const e = s.estimate();
    expect(e.rse).toBe(predictedRse(e.value, 2 ** 14, 30));
    expect(e.rse).toBeLessThan(1.04 / 128);
    expect(e.low).toBeCloseTo(e.value * (1 - 1.96 * e.rse), 6);
    expect(e.high).toBeCloseTo(e.value * (1 + 1.96 * e.rse), 6);
    expect(e.low).toBeLessThan(200_000);
    expect(e.high).toBeGreaterThan(200_000);
  });

  it('never puts the low end below the number of filled registers', () => {
    // at (4,5) the relative interval is wide (±51 %); a few hashes fill nearly as many registers
    for (let n = 1; n <= 30; n++) {
      const s = addHalves(HllSketch.empty({ log2m: 4, expthresh: 0 }), randomHashes(prng(n), n));
      const e = s.estimate();
      expect(e.low).toBeGreaterThanOrEqual(s.filledRegisters());
      expect(e.low).toBeLessThanOrEqual(e.high);
    }
  });

  it('keeps the interval ordered even when the hard bound exceeds the estimate', () => {
    const wide = confidenceInterval({ value: 10, m: 16, q: 30, filled: 12, saturated: 0 });
    expect(wide.low).toBe(12);
    expect(wide.high).toBeGreaterThan(12);
    const tight = confidenceInterval({ value: 10, m: 2 ** 17, q: 30, filled: 12, saturated: 0 });
    expect(tight.low).toBe(12);
    expect(tight.high).toBeGreaterThanOrEqual(12);
    expect(tight.high).toBeLessThan(12.1);
  });
});

describe('classicCardinality', () => {
  it('refuses m ≤ 8 like the extension ("number of registers too small"), while estimate() works', () => {
    // (3,5,0,0) FULL: 8 registers × 5 bits, register 0 = 1
    const s = HllSketch.fromHex('\\x1483000800000000');
    let thrown: unknown;
    try {
      s.classicCardinality();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ReachtreeError);
    expect((thrown as ReachtreeError).message).toBe('number of registers too small');
    expect(s.estimate().value).toBeGreaterThan(0);
  });

  it('is the exact count while EXPLICIT, including hashes that set no register', () => {
    const s = HllSketch.empty({ log2m: 11 });
    s.addHashBigInt(0n);
    s.addHashBigInt(1n);
    expect(s.classicCardinality()).toBe(2);
  });

  it('matches the SPEC §7 worked examples', () => {
    userHashes(100_000);
    expect(buildUsers({ log2m: 4, regwidth: 5, expthresh: 0, sparseon: false }, 1, 10).classicCardinality()).toBe(9.205826318456989);
    expect(buildUsers({ log2m: 11, regwidth: 5, expthresh: 0, sparseon: true }, 1, 1000).classicCardinality()).toBe(978.6302601354474);
    expect(addUsers(HllSketch.empty({ log2m: 11 }), 1, 100_000).classicCardinality()).toBe(99337.21559526806);
    expect(buildUsers({ log2m: 11, regwidth: 3, expthresh: 0, sparseon: false }, 1, 100_000).classicCardinality()).toBe(148359.99990217606);
  });
});
