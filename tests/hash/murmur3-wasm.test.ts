import { describe, expect, it } from 'vitest';
import { MurmurBatch } from '../../src/hash/murmur3-wasm.js';
import { murmurHash3x64h1 } from '../../src/hash/murmur3.js';

const reference = (bytes: Uint8Array, start: number, end: number, seed: number): [number, number] => {
  const out = new Int32Array(2);
  murmurHash3x64h1(bytes, start, end, seed, new Uint32Array(out.buffer));
  return [out[0]!, out[1]!];
};

const sample = (n: number): Uint8Array => new Uint8Array(n).map((_, i) => (Math.imul(i, 2654435761) >>> 13) & 0xff);

describe('MurmurBatch', () => {
  it('hashes every id added, in order, as the int32 halves of murmurHash3x64h1', () => {
    const bytes = sample(5000);
    for (const seed of [0, 1, -1, 0x7fffffff]) {
      const batch = new MurmurBatch(seed);
      const spans: Array<[number, number]> = [];
      for (let n = 0; n < 500; n++) spans.push([(n * 37) % 3000, (n * 37) % 3000 + (n % 131)]);
      for (const [s, e] of spans) expect(batch.add(bytes, s, e)).toBe(true);
      expect(batch.count).toBe(spans.length);
      batch.run();
      spans.forEach(([s, e], j) => expect([batch.lo(j), batch.hi(j)]).toEqual(reference(bytes, s, e, seed)));
    }
  });

  it('refuses an id when its table or its data area is full, and takes ids again after clear()', () => {
    const bytes = sample(100);
    const byCount = new MurmurBatch(0, 3, 1024);
    expect([byCount.add(bytes, 0, 10), byCount.add(bytes, 0, 10), byCount.add(bytes, 0, 10), byCount.add(bytes, 0, 10)]).toEqual([true, true, true, false]);
    expect(byCount.count).toBe(3);
    const byData = new MurmurBatch(0, 100, 64);
    expect([byData.add(bytes, 0, 40), byData.add(bytes, 0, 40)]).toEqual([true, false]);
    byData.clear();
    expect(byData.count).toBe(0);
    expect(byData.add(bytes, 10, 50)).toBe(true);
    byData.run();
    expect([byData.lo(0), byData.hi(0)]).toEqual(reference(bytes, 10, 50, 0));
  });

  it('takes an id larger than its data area when it is empty (the memory grows)', () => {
    const big = sample(300_000);
    const batch = new MurmurBatch(7, 16, 1024);
    expect(batch.add(big, 1, 1 + 20)).toBe(true);
    expect(batch.add(big, 0, big.length)).toBe(false);
    batch.clear();
    expect(batch.add(big, 0, big.length)).toBe(true);
    expect(batch.add(big, 3, 50)).toBe(true);
    batch.run();
    expect([batch.lo(0), batch.hi(0)]).toEqual(reference(big, 0, big.length, 7));
    expect([batch.lo(1), batch.hi(1)]).toEqual(reference(big, 3, 50, 7));
  });

  it('keeps batches apart: each has a kernel and memory of its own', () => {
    const bytes = sample(400);
    const a = new MurmurBatch(0);
    const b = new MurmurBatch(0);
    a.add(bytes, 0, 64);
    b.add(bytes, 100, 164);
    a.run();
    b.run();
    expect([a.lo(0), a.hi(0)]).toEqual(reference(bytes, 0, 64, 0));
    expect([b.lo(0), b.hi(0)]).toEqual(reference(bytes, 100, 164, 0));
  });
});
