/** Forecasts of a sketch's representation, size and error before it is built. */
import { describe, expect, it } from 'vitest';
import { expectedFilled, forecast } from '../../src/precision/theory.js';
import { predictedRse } from '../../src/sketch/estimate.js';
import { resolveHllParams } from '../../src/sketch/index.js';

const p14 = resolveHllParams({ log2m: 14, regwidth: 5, expthresh: -1, sparseon: true });

describe('forecast', () => {
  it('keeps small sets EXPLICIT: exact, 3 + 8n bytes, up to the auto threshold (1280 at (14,5))', () => {
    expect(forecast(0, p14)).toEqual({ n: 0, representation: 'EMPTY', bytes: 3, rse: 0, low: 0, high: 0 });
    expect(forecast(1000, p14)).toEqual({ n: 1000, representation: 'EXPLICIT', bytes: 8003, rse: 0, low: 0, high: 0 });
    expect(forecast(1280, p14).representation).toBe('EXPLICIT');
  });

  it('goes SPARSE past the threshold and FULL past the SPARSE cutoff (4311 filled at (14,5), n ≈ 5008)', () => {
    const sparse = forecast(3000, p14);
    expect(sparse.representation).toBe('SPARSE');
    expect(sparse.bytes).toBe(3 + Math.ceil((Math.round(expectedFilled(3000, 16384)) * 19) / 8));
    expect(forecast(4900, p14).representation).toBe('SPARSE');
    expect(forecast(5100, p14)).toMatchObject({ representation: 'FULL', bytes: 10243 });
    expect(forecast(46e6, p14)).toMatchObject({ representation: 'FULL', bytes: 10243 });
  });

  it('skips SPARSE with sparseon off and EXPLICIT with expthresh 0', () => {
    expect(forecast(2000, resolveHllParams({ log2m: 14, sparseon: false })).representation).toBe('FULL');
    expect(forecast(10, resolveHllParams({ log2m: 14, expthresh: 0 })).representation).toBe('SPARSE');
  });

  it('predicts the error of a register sketch: rse = predictedRse(n), a ±1.96·rse interval at large n', () => {
    const f = forecast(46e6, p14);
    expect(f.rse).toBe(predictedRse(46e6, 16384, 30));
    expect(f.high).toBeCloseTo(1.96 * f.rse, 12);
    expect(f.low).toBeCloseTo(-1.96 * f.rse, 12);
  });
});

describe('expectedFilled', () => {
  it('is m·(1 − (1 − 1/m)^n): n for tiny n, m for huge n', () => {
    expect(expectedFilled(1, 1024)).toBeCloseTo(1, 12);
    expect(expectedFilled(1024, 1024)).toBeCloseTo(1024 * (1 - (1 - 1 / 1024) ** 1024), 9);
    expect(expectedFilled(1e7, 1024)).toBe(1024);
  });
});
