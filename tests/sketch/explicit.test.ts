import { describe, expect, it } from 'vitest';
import { HllSketch, type HllParams } from '../../src/sketch/index.js';
import { addHalves, addUsers, buildUsers, prng, randomHashes } from './support.js';

describe('EXPLICIT', () => {
  it.each<[Partial<HllParams>, number]>([
    [{ log2m: 11, expthresh: 1 }, 1],
    [{ log2m: 11, expthresh: 16 }, 16],
    [{ log2m: 11 }, 160],
    [{ log2m: 10, regwidth: 4, sparseon: false }, 64],
  ])('holds up to T distinct hashes and promotes on the (T+1)-th: %o, T = %i', (params, t) => {
    const s = buildUsers(params, 1, t);
    expect(s.representation).toBe('EXPLICIT');
    expect(s.classicCardinality()).toBe(t);
    addUsers(s, 1, t); // the same ids again: nothing new, still EXPLICIT
    expect(s.representation).toBe('EXPLICIT');
    expect(s.classicCardinality()).toBe(t);
    const promoted = buildUsers(params, 1, t + 1);
    expect(promoted.representation).toBe(params.sparseon === false ? 'FULL' : 'SPARSE');
  });

  it('ignores duplicates: they neither count nor promote', () => {
    const s = buildUsers({ log2m: 11, expthresh: 4 }, 1, 4);
    const again = buildUsers({ log2m: 11, expthresh: 4 }, 1, 4);
    for (let i = 0; i < 10; i++) again.union(s);
    expect(again.representation).toBe('EXPLICIT');
    expect(again.toHex()).toBe(s.toHex());
  });

  it('goes straight to registers when T = 0', () => {
    expect(buildUsers({ log2m: 11, expthresh: 0 }, 1, 1).representation).toBe('SPARSE');
    expect(buildUsers({ log2m: 11, expthresh: 0, sparseon: false }, 1, 1).representation).toBe('FULL');
  });

  it('writes the hashes in signed order whatever the insertion order', () => {
    const hashes = randomHashes(prng(9), 100);
    const forward = addHalves(HllSketch.empty({ log2m: 11 }), hashes);
    const reversed = HllSketch.empty({ log2m: 11 });
    for (let i = 99; i >= 0; i--) reversed.addHash(hashes[2 * i]!, hashes[2 * i + 1]!);
    expect(reversed.toHex()).toBe(forward.toHex());
    const body = forward.toBytes().subarray(3);
    const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
    for (let k = 1; k < 100; k++) expect(view.getBigInt64(8 * k) > view.getBigInt64(8 * (k - 1))).toBe(true);
  });
});
