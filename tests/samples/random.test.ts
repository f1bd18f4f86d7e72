import { describe, expect, it } from 'vitest';
import { AliasTable, threshold, Xoshiro128 } from '../../src/samples/random.js';

describe('Xoshiro128', () => {
  it('follows xoshiro128** from the state {1, 2, 3, 4} (vector worked out by hand)', () => {
    const rng = Xoshiro128.fromState([1, 2, 3, 4]);
    // 1: rotl(2·5, 7)·9 = 11520. 2: state {7, 0, 1026, 12288} → rotl(0, 7)·9 = 0.
    // 3: state {12295, 1029, 1029, 25165824} → rotl(1029·5, 7)·9 = 5927040.
    expect([rng.next(), rng.next(), rng.next()]).toEqual([11520, 0, 5927040]);
  });

  it('gives the same sequence for the same seed and another for another seed', () => {
    const draw = (seed: number) => {
      const rng = new Xoshiro128(seed);
      return Array.from({ length: 8 }, () => rng.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    for (const v of draw(0)) expect(v >>> 0).toBe(v);
  });

  it('draws below(n) uniformly in [0, n)', () => {
    const rng = new Xoshiro128(7);
    const counts = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const v = rng.below(10);
      if (!Number.isInteger(v) || v < 0 || v >= 10) outside++;
      else counts[v] = (counts[v] as number) + 1;
    }
    expect(outside).toBe(0);
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500); // > 5 standard deviations
  });
});

describe('threshold', () => {
  it('maps probabilities to 32-bit cut-offs, clamped', () => {
    expect(threshold(0)).toBe(0);
    expect(threshold(0.5)).toBe(2 ** 31);
    expect(threshold(1)).toBe(2 ** 32);
    expect(threshold(2)).toBe(2 ** 32);
    expect(threshold(-1)).toBe(0);
  });
});

describe('AliasTable', () => {
  it('draws items in proportion to their weights, never a zero weight', () => {
    const weights = [5, 0, 1, 3, 1];
    const table = new AliasTable(weights);
    const rng = new Xoshiro128(3);
    const counts = new Array<number>(weights.length).fill(0);
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const k = table.sample(rng);
      counts[k] = (counts[k] as number) + 1;
    }
    expect(counts[1]).toBe(0);
    weights.forEach((w, k) => {
      const expected = (n * w) / 10;
      expect(Math.abs((counts[k] as number) - expected)).toBeLessThan(6 * Math.sqrt(expected + 1));
    });
  });

  it('rejects empty, all-zero, negative and non-finite weights', () => {
    expect(() => new AliasTable([])).toThrow(RangeError);
    expect(() => new AliasTable([0, 0])).toThrow(RangeError);
    expect(() => new AliasTable([1, -1])).toThrow(RangeError);
    expect(() => new AliasTable([1, Number.NaN])).toThrow(RangeError);
    expect(() => new AliasTable([1, Infinity])).toThrow(RangeError);
  });
});
