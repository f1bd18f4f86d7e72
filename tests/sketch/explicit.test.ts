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

  it('stays EXPLICIT at T distinct hashes repeated many times, interleaved, and promotes on one more', () => {
    // the log keeps repeats until it is full: thousands of repeats of T ids must neither count
    // nor promote, and the sketch must equal the one built from the T ids once
    const params = { log2m: 11 }; // T = 160
    const once = buildUsers(params, 1, 160);
    const repeated = HllSketch.empty(params);
    const next = prng(17);
    for (let k = 0; k < 20_000; k++) addUsers(repeated, 1 + (next() % 160), 1 + (next() % 160));
    addUsers(repeated, 1, 160);
    expect(repeated.representation).toBe('EXPLICIT');
    expect(repeated.toHex()).toBe(once.toHex());
    addUsers(repeated, 161, 161);
    expect(repeated.toHex()).toBe(buildUsers(params, 1, 161).toHex());
  });

  it('gives the same bytes for any order and any repeats of the same set, across the threshold', () => {
    for (const n of [1, 7, 8, 9, 159, 160, 161, 400]) {
      const reference = buildUsers({ log2m: 11 }, 1, n).toHex();
      const next = prng(n);
      const shuffled = HllSketch.empty({ log2m: 11 });
      const order = Array.from({ length: 3 * n }, (_, k) => 1 + (k % n)).sort(() => (next() & 1) - 0.5);
      for (const i of order) addUsers(shuffled, i, i);
      expect(shuffled.toHex(), `n = ${n}`).toBe(reference);
    }
  });

  it('keeps the hash 0 (the empty string’s) like any other', () => {
    const s = HllSketch.empty({ log2m: 11 });
    s.addHash(0, 0);
    s.addHash(0, 0);
    s.addHash(1, 0);
    expect(s.estimate().value).toBe(2);
    expect(HllSketch.fromBytes(s.toBytes()).toHex()).toBe(s.toHex());
  });

  it('is unchanged by a union with itself while hashes are pending', () => {
    const s = HllSketch.empty({ log2m: 11 });
    addUsers(s, 1, 100); // 100 appended, not yet merged
    const before = s.clone().toHex();
    s.union(s);
    expect(s.toHex()).toBe(before);
    expect(s.estimate().value).toBe(100);
  });

  it('decoded from bytes, takes further adds like the sketch it was written from (small and near-T bodies)', () => {
    for (const n of [1, 7, 150]) {
      const written = buildUsers({ log2m: 11 }, 1, n);
      const decoded = HllSketch.fromBytes(written.toBytes());
      addUsers(written, Math.max(1, n - 3), n + 20); // repeats and new ids, past T for n = 150
      addUsers(decoded, Math.max(1, n - 3), n + 20);
      expect(decoded.toHex()).toBe(written.toHex());
    }
  });
});
