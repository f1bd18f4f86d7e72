/** `tune --simulate`: the short confirmation run. */
import { describe, expect, it } from 'vitest';
import { confirm, sizesToSimulate } from '../../src/precision/confirm.js';
import { resolveHllParams } from '../../src/sketch/index.js';

describe('sizesToSimulate', () => {
  it('skips exact (EXPLICIT) sizes and keeps the largest and the smallest of the rest', () => {
    const p = resolveHllParams({ log2m: 10 });
    expect(sizesToSimulate(p, [50, 1e6, 2e3, 3e4, 5e4, 7e4, 9e4, 1e5], 3)).toEqual([1e6, 7e4, 2e3]);
    expect(sizesToSimulate(p, [50, 60])).toEqual([]);
  });
});

describe('confirm', () => {
  it('measures an RMSE near the predicted RSE and a coverage near 95 % (log2m 10, 300 trials)', () => {
    const [c] = confirm(resolveHllParams({ log2m: 10 }), [20000], 300);
    expect(c!.method).toBe('sample');
    expect(Math.abs(c!.rmse - c!.predictedRse)).toBeLessThan(4 * c!.rmseSe);
    expect(Math.abs(c!.coverage - 0.95)).toBeLessThan(4 * c!.coverageSe);
  });
});
