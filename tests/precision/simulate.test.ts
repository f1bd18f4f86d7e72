/**
 * The study's engine: the Poisson sampler, register sampling (the shortcut that makes n = 10^8
 * feasible) against real hashing, histogram evaluation against the sketch's own methods, and
 * determinism.
 */
import { describe, expect, it } from 'vitest';
import {
  cheaperMethod,
  classicFromHistogram,
  evaluateCounts,
  logFactorial,
  poisson,
  runPoint,
  sampleRegisters,
  studyParams,
  uniform,
  valueCounts,
  zeroTruncatedPoisson,
} from '../../src/precision/simulate.js';
import { Xoshiro128 } from '../../src/samples/random.js';
import { ertlQ, predictedRse } from '../../src/sketch/estimate.js';
import { HllSketch } from '../../src/sketch/index.js';
import { shapeOf } from '../../src/sketch/params.js';
import { registerValue } from '../../src/sketch/registers.js';

describe('uniform', () => {
  it('stays strictly inside (0, 1) with mean ½', () => {
    const rng = new Xoshiro128(1);
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const u = uniform(rng);
      expect(u > 0 && u < 1).toBe(true);
      sum += u;
    }
    expect(sum / 20000).toBeCloseTo(0.5, 2);
  });
});

describe('poisson', () => {
  it.each([0.3, 4, 25, 977, 1e5])('has mean and variance equal to %f (20 000 draws)', (mean) => {
    const rng = new Xoshiro128(Math.round(mean * 7) + 1);
    const draws = 20000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < draws; i++) {
      const k = poisson(rng, mean);
      expect(Number.isInteger(k) && k >= 0).toBe(true);
      s += k;
      s2 += k * k;
    }
    const m = s / draws;
    const v = s2 / draws - m * m;
    expect(Math.abs(m - mean)).toBeLessThan(5 * Math.sqrt(mean / draws));
    expect(v / mean).toBeGreaterThan(0.95);
    expect(v / mean).toBeLessThan(1.05);
  });

  it('gives P(K = 0) = e^−mean across the two methods (means 9.5 and 10.5)', () => {
    for (const mean of [2, 9.5, 10.5]) {
      const rng = new Xoshiro128(99);
      let zeros = 0;
      let atMean = 0;
      const k0 = Math.floor(mean);
      for (let i = 0; i < 40000; i++) {
        const k = poisson(rng, mean);
        if (k === 0) zeros++;
        if (k === k0) atMean++;
      }
      const pMean = Math.exp(-mean + k0 * Math.log(mean) - logFactorial(k0));
      expect(Math.abs(atMean / 40000 - pMean)).toBeLessThan(5 * Math.sqrt(pMean / 40000));
      expect(Math.abs(zeros / 40000 - Math.exp(-mean))).toBeLessThan(5 * Math.sqrt(Math.exp(-mean) / 40000) + 1e-4);
    }
  });
});

describe('zeroTruncatedPoisson', () => {
  it('has mean t/(1 − e^−t) and never returns 0', () => {
    const rng = new Xoshiro128(8);
    for (const t of [0.01, 0.7, 3]) {
      let sum = 0;
      for (let i = 0; i < 20000; i++) {
        const k = zeroTruncatedPoisson(rng, t);
        expect(k).toBeGreaterThanOrEqual(1);
        sum += k;
      }
      expect(sum / 20000 / (t / -Math.expm1(-t))).toBeCloseTo(1, 1);
    }
  });
});

describe('logFactorial', () => {
  it('agrees with Σ ln k on both sides of the table (255, 256, 300)', () => {
    let sum = 0;
    for (let k = 1; k <= 300; k++) {
      sum += Math.log(k);
      if (k === 255 || k === 256 || k === 300) expect(logFactorial(k) / sum).toBeCloseTo(1, 12);
    }
    expect(logFactorial(0)).toBe(0);
    expect(logFactorial(1)).toBe(0);
  });
});

describe('sampleRegisters', () => {
  it('returns the number of hashes it placed, Poisson around n', () => {
    const rng = new Xoshiro128(3);
    const regs = new Uint8Array(1024);
    const totals = Array.from({ length: 200 }, () => sampleRegisters(rng, 50000, 10, regs));
    const mean = totals.reduce((a, b) => a + b, 0) / totals.length;
    expect(Math.abs(mean - 50000)).toBeLessThan(5 * Math.sqrt(50000 / 200));
  });

  it('gives the register-value distribution that hashing gives (m = 256, n = 2 000, 300 vectors each)', () => {
    const log2m = 8;
    const shape = shapeOf(studyParams(log2m, 6)); // cap 63 > 64 − p: values uncapped
    const hashed = new Float64Array(57);
    const sampled = new Float64Array(57);
    const rng = new Xoshiro128(5);
    const regs = new Uint8Array(256);
    for (let t = 0; t < 300; t++) {
      regs.fill(0);
      for (let i = 0; i < 2000; i++) {
        const lo = rng.next();
        const hi = rng.next();
        const index = lo & 255;
        regs[index] = Math.max(regs[index]!, registerValue(lo, hi, shape));
      }
      valueCounts(regs, log2m).forEach((c, v) => (hashed[v]! += c));
      sampleRegisters(rng, 2000, log2m, regs);
      valueCounts(regs, log2m).forEach((c, v) => (sampled[v]! += c));
    }
    // each value's count over 76 800 registers: equal within 5 Poisson standard errors
    for (let v = 0; v < 57; v++) {
      const se = Math.sqrt(hashed[v]! + sampled[v]! + 1);
      expect(Math.abs(hashed[v]! - sampled[v]!), `value ${v}`).toBeLessThan(5 * se);
    }
    expect(hashed[3]! + hashed[4]!).toBeGreaterThan(30000); // ≈ 7.8 hashes a register: P(max ∈ {3, 4}) ≈ 0.47
  });
});

describe('sampled trials', () => {
  it('measure the errors that hashing measures: unbiased, RMSE as predicted (log2m 10, n = 2 560, 400 trials)', () => {
    const run = runPoint({ log2m: 10, n: 2560, regwidths: [5], trials: 400, seed: 21, method: 'sample' });
    const col = run.byRegwidth[0]!;
    let sum = 0;
    let sq = 0;
    for (let t = 0; t < 400; t++) {
      const e = col.improved[t]! / run.truth[t]! - 1;
      sum += e;
      sq += e * e;
    }
    const rmse = Math.sqrt(sq / 400);
    expect(Math.abs(sum / 400)).toBeLessThan((4 * rmse) / 20);
    expect(rmse / predictedRse(2560, 1024, 30)).toBeGreaterThan(0.85);
    expect(rmse / predictedRse(2560, 1024, 30)).toBeLessThan(1.15);
  });
});

describe('evaluateCounts', () => {
  it('gives what the sketch itself says for the same hashes: improved and interval exactly, classic to 1e−12', () => {
    const rng = new Xoshiro128(11);
    for (const [log2m, n] of [
      [10, 300],
      [10, 5000],
      [12, 100000],
      [11, 6000],
    ] as const) {
      const uncapped = shapeOf(studyParams(log2m, 6));
      const regs = new Uint8Array(2 ** log2m);
      const sketches = [4, 5, 6].map((r) => HllSketch.empty(studyParams(log2m, r)));
      for (let i = 0; i < n; i++) {
        const lo = rng.next();
        const hi = rng.next();
        for (const s of sketches) s.addHash(lo, hi);
        const index = lo & (2 ** log2m - 1);
        regs[index] = Math.max(regs[index]!, registerValue(lo, hi, uncapped));
      }
      const counts = valueCounts(regs, log2m);
      for (const s of sketches) {
        const mine = evaluateCounts(counts, s.params);
        const e = s.estimate();
        expect(mine).toMatchObject({ improved: e.value, low: e.low, high: e.high });
        const classic = s.classicCardinality()!;
        if (Number.isNaN(classic)) expect(mine.classic).toBeNaN();
        else expect(Math.abs(mine.classic / classic - 1)).toBeLessThan(1e-12);
      }
    }
  });

  it('classicFromHistogram: linear counting below 2.5·m, NaN past it for regwidth 6 (as hll_cardinality)', () => {
    const shape5 = shapeOf(studyParams(11, 5));
    const shape6 = shapeOf(studyParams(11, 6));
    const c5 = new Float64Array(ertlQ(shape5) + 2);
    c5[0] = 1048;
    c5[1] = 1000;
    expect(classicFromHistogram(c5, shape5)).toBe(2048 * Math.log(2048 / 1048));
    const c6 = new Float64Array(ertlQ(shape6) + 2);
    c6[3] = 2048;
    expect(classicFromHistogram(c6, shape6)).toBeNaN();
  });
});

describe('runPoint', () => {
  it('is deterministic in its spec, seed included', () => {
    const spec = { log2m: 10, n: 3000, regwidths: [4, 5], trials: 5, seed: 42, method: 'sample' } as const;
    const a = runPoint(spec);
    const b = runPoint(spec);
    expect(Array.from(a.truth)).toEqual(Array.from(b.truth));
    expect(Array.from(a.byRegwidth[1]!.improved)).toEqual(Array.from(b.byRegwidth[1]!.improved));
    const c = runPoint({ ...spec, seed: 43 });
    expect(Array.from(c.byRegwidth[1]!.improved)).not.toEqual(Array.from(a.byRegwidth[1]!.improved));
  });

  it('measures hash trials against exactly n and feeds a peer every hash', () => {
    let added = 0;
    let resets = 0;
    const peer = {
      reset: () => resets++,
      addHash: () => added++,
      setRegisters: () => undefined,
      estimate: () => 7,
    };
    const run = runPoint({ log2m: 10, n: 100, regwidths: [5], trials: 3, seed: 1, method: 'hash' }, peer);
    expect(Array.from(run.truth)).toEqual([100, 100, 100]);
    expect(added).toBe(300);
    expect(resets).toBe(3);
    expect(Array.from(run.peer!)).toEqual([7, 7, 7]);
  });

  it('chooses hashing for n ≤ m/8 and register sampling above', () => {
    expect(cheaperMethod(128, 10)).toBe('hash');
    expect(cheaperMethod(129, 10)).toBe('sample');
  });
});
