/**
 * fold(log2m'): a sketch at a smaller precision that equals the sketch built from the same hashes
 * at that precision, byte for byte, across representations and parameters.
 */
import { describe, expect, it } from 'vitest';
import { ReachtreeError } from '../../src/errors.js';
import { HllSketch, type HllParams } from '../../src/sketch/index.js';
import { addHalves, prng, randomHashes } from './support.js';

const SIZES = [0, 5, 100, 300, 1500, 20000];

describe('fold', () => {
  const settings: HllParams[] = [];
  for (const regwidth of [3, 4, 5, 6]) {
    for (const expthresh of [-1, 0, 64]) {
      for (const sparseon of [true, false]) settings.push({ log2m: 13, regwidth, expthresh, sparseon });
    }
  }

  it.each(settings)('fold(build(S, 13), p′) = build(S, p′) for p′ = 12, 10, 7, 4 and sets up to 20000, %o', (params) => {
    const next = prng(params.regwidth * 1000 + params.expthresh + (params.sparseon ? 1 : 0));
    const seen = new Set<string>();
    for (const size of SIZES) {
      const hashes = randomHashes(next, size);
      const big = addHalves(HllSketch.empty(params), hashes);
      seen.add(big.representation);
      for (const target of [12, 10, 7, 4]) {
        const direct = addHalves(HllSketch.empty({ ...params, log2m: target }), hashes);
        const folded = big.fold(target);
        expect(folded.params).toEqual({ ...params, log2m: target });
        expect(folded.toHex(), `n=${size} → ${target}`).toBe(direct.toHex());
      }
    }
    // the sizes reach every representation the parameters allow
    expect(seen.has('EMPTY') && seen.has('FULL')).toBe(true);
    if (params.expthresh !== 0) expect(seen.has('EXPLICIT')).toBe(true);
    if (params.sparseon) expect(seen.has('SPARSE')).toBe(true);
  });

  it('promotes a folded EXPLICIT sketch when the smaller auto threshold is exceeded', () => {
    const hashes = randomHashes(prng(3), 300); // T = 320 at (12,5), 160 at (11,5)
    const big = addHalves(HllSketch.empty({ log2m: 12 }), hashes);
    expect(big.representation).toBe('EXPLICIT');
    const folded = big.fold(11);
    expect(folded.representation).toBe('SPARSE');
    expect(folded.toHex()).toBe(addHalves(HllSketch.empty({ log2m: 11 }), hashes).toHex());
  });

  it('lets sketches of different precision be unioned once folded', () => {
    const next = prng(11);
    const a = randomHashes(next, 30000);
    const b = randomHashes(next, 30000);
    const fine = addHalves(HllSketch.empty({ log2m: 14 }), a);
    const coarse = addHalves(HllSketch.empty({ log2m: 11 }), b);
    expect(() => coarse.clone().union(fine)).toThrow(ReachtreeError);
    const merged = coarse.clone();
    merged.union(fine.fold(11));
    expect(merged.toHex()).toBe(addHalves(addHalves(HllSketch.empty({ log2m: 11 }), a), b).toHex());
  });

  it('returns an independent copy when the precision does not change', () => {
    const s = addHalves(HllSketch.empty({ log2m: 11, expthresh: 0 }), randomHashes(prng(4), 100));
    const same = s.fold(11);
    expect(same.toHex()).toBe(s.toHex());
    same.addHashBigInt(12345n << 11n);
    expect(same.toHex()).not.toBe(s.toHex());
  });

  it('keeps EMPTY and UNDEFINED as they are, with the new log2m in the header', () => {
    expect(HllSketch.empty({ log2m: 14 }).fold(11).toHex()).toBe('\\x118b7f');
    expect(HllSketch.fromHex('108e7f').fold(11).toHex()).toBe('\\x108b7f');
  });

  it('rejects a larger, too small or fractional target with E_CONFIG_PARAMS', () => {
    const s = HllSketch.empty({ log2m: 11 });
    for (const bad of [12, 3, 10.5, NaN]) {
      expect(() => s.fold(bad)).toThrow(expect.objectContaining({ code: 'E_CONFIG_PARAMS' }));
    }
  });

  it('differs from the direct build only for a hash whose upper 64 − log2m bits are zero', () => {
    // 2^13 at log2m 14: index 8192, w = 0 — ignored by registers at 14, but at 11 it is
    // index 0 with w = 4 → value 3. The registers at 14 cannot know it was there.
    const handMade = HllSketch.empty({ log2m: 14, expthresh: 0 });
    handMade.addHashBigInt(2n ** 13n);
    expect(handMade.filledRegisters()).toBe(0);
    const direct = HllSketch.empty({ log2m: 11, expthresh: 0 });
    direct.addHashBigInt(2n ** 13n);
    expect(direct.filledRegisters()).toBe(1);
    expect(handMade.fold(11).filledRegisters()).toBe(0);
    // while EXPLICIT the hash itself is kept, so the fold is exact
    const explicit = HllSketch.empty({ log2m: 14 });
    explicit.addHashBigInt(2n ** 13n);
    expect(explicit.fold(11).classicCardinality()).toBe(1);
  });
});
