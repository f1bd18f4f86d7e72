/** Summary statistics of a study point. */
import { describe, expect, it } from 'vitest';
import { coverageStats, errorStats } from '../../src/precision/stats.js';

describe('errorStats', () => {
  it('summarises relative errors: bias, its standard error, RMSE, 99th percentile of |error|', () => {
    const s = errorStats([110, 90, 100, 104], [100, 100, 100, 100]);
    expect(s.trials).toBe(4);
    expect(s.bias).toBeCloseTo(0.01, 12);
    expect(s.rmse).toBeCloseTo(Math.sqrt((0.01 + 0.01 + 0 + 0.0016) / 4), 12);
    // sample sd of [0.1, −0.1, 0, 0.04] over √4
    const sd = Math.sqrt(((0.09 ** 2 + 0.11 ** 2 + 0.01 ** 2 + 0.03 ** 2) / 3));
    expect(s.biasSe).toBeCloseTo(sd / 2, 12);
    expect(s.p99).toBeGreaterThan(0.099);
    expect(s.p99).toBeLessThanOrEqual(0.1 + 1e-12);
  });

  it('gives the 99th percentile from the numeric order, the same on every call, when magnitudes differ in the last bits', () => {
    // ±0.009 around a truth of 1: |1.009 − 1| and |0.991 − 1| differ by ~1e-16, which mathjs'
    // own (tolerant, randomly pivoted) selection would treat as equal and return in either order
    const estimates = Array.from({ length: 200 }, (_, i) => (i < 190 ? 1 + (i % 7) / 1000 : i % 2 === 0 ? 1.009 : 0.991));
    const truth = new Array<number>(200).fill(1);
    const sorted = estimates.map((e) => Math.abs(e - 1)).sort((a, b) => a - b);
    const index = 0.99 * 199;
    const f = index - Math.floor(index);
    const expected = (1 - f) * sorted[Math.floor(index)]! + f * sorted[Math.floor(index) + 1]!;
    const seen = new Set(Array.from({ length: 50 }, () => errorStats(estimates, truth).p99));
    expect([...seen]).toEqual([expected]);
  });

  it('leaves NaN and infinite estimates out and counts them', () => {
    const s = errorStats([NaN, Infinity, 100], [100, 100, 100]);
    expect(s).toMatchObject({ trials: 1, nonFinite: 2, bias: 0, rmse: 0 });
    expect(errorStats([NaN], [1])).toMatchObject({ trials: 0, nonFinite: 1 });
    expect(errorStats([NaN], [1]).bias).toBeNaN();
  });
});

describe('coverageStats', () => {
  it('counts intervals that hold the truth, ends included, with the binomial standard error', () => {
    const c = coverageStats([90, 100, 101, 0], [110, 100, 120, Infinity], [100, 100, 100, 100]);
    expect(c.rate).toBe(0.75);
    expect(c.se).toBeCloseTo(Math.sqrt(0.75 * 0.25 / 4), 12);
    expect(c.width).toBe(Infinity);
  });
});
