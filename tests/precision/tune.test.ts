/** `reachtree tune`'s decision rules. */
import { describe, expect, it } from 'vitest';
import { recommend } from '../../src/precision/tune.js';

describe('recommend', () => {
  it('picks the smallest log2m meeting the target at every size: 46 M at 0.5 % → log2m 16 (0.41 %)', () => {
    const r = recommend({ sizes: [46e6], targetRse: 0.005 });
    expect(r.params).toEqual({ log2m: 16, regwidth: 5, expthresh: -1, sparseon: true });
    expect(r.worstRse).toBeGreaterThan(0.004);
    expect(r.worstRse).toBeLessThan(0.0041);
    expect(r.meetsTarget).toBe(true);
    expect(r.totalBytes).toBe(40963);
    expect(r.alternatives.map((c) => c.params.log2m)).toEqual([15, 17]);
    expect(r.alternatives[0]!.worstRse).toBeGreaterThan(0.005);
  });

  it('judges the target by the largest size: small cells stay exact and cost 8 bytes an id', () => {
    const r = recommend({ sizes: [46e6, 500, 500, 20], targetRse: 0.01 });
    expect(r.params.log2m).toBe(14);
    expect(r.worstAt).toBe(46e6);
    expect(r.forecasts.map((f) => f.representation)).toEqual(['FULL', 'EXPLICIT', 'EXPLICIT']);
    expect(r.counts).toEqual([1, 2, 1]);
    expect(r.totalBytes).toBe(10243 + 2 * 4003 + 163);
  });

  it('with only a budget, takes the largest log2m that fits', () => {
    const r = recommend({ sizes: [1e6, 1e6], maxBytes: 50000 });
    expect(r.params.log2m).toBe(15); // 2 × 20 483 fits, 2 × 40 963 does not
    expect(r.fitsBudget).toBe(true);
  });

  it('when target and budget conflict, keeps the budget and says the target is not met', () => {
    const r = recommend({ sizes: [1e7], targetRse: 0.003, maxBytes: 30000 });
    expect(r.params.log2m).toBe(15);
    expect(r.meetsTarget).toBe(false);
    expect(r.fitsBudget).toBe(true);
  });

  it('stops at PostgreSQL’s log2m 17 when the target is out of reach', () => {
    const r = recommend({ sizes: [1e9], targetRse: 0.001 });
    expect(r.params.log2m).toBe(17);
    expect(r.meetsTarget).toBe(false);
  });

  it('forecasts a fixed log2m instead of searching, and warns about regwidth 6 and PostgreSQL’s mid-range bias', () => {
    const r = recommend({ sizes: [40000], fixed: { log2m: 14, regwidth: 6 } });
    expect(r.params).toMatchObject({ log2m: 14, regwidth: 6 });
    expect(r.notes.some((n) => n.includes('NaN'))).toBe(true);
    expect(r.notes.some((n) => n.includes('biased'))).toBe(true);
  });

  it('warns when regwidth 4 would saturate', () => {
    const r = recommend({ sizes: [1e8], fixed: { log2m: 10, regwidth: 4 } });
    expect(r.notes.some((n) => n.includes('saturates'))).toBe(true);
  });
});
