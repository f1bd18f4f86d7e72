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

  it('refuses an id longer than its whole id region, even when empty', () => {
    const big = sample(3000);
    const batch = new MurmurBatch(7, 16, 1024);
    expect(batch.add(big, 0, 2000)).toBe(false);
    expect(batch.count).toBe(0);
    expect(batch.add(big, 0, 1000)).toBe(true);
  });

  it('hashes ids in place in a staged chunk, beside copied ones, and takes a bigger chunk later (the memory grows)', () => {
    const bytes = sample(200_000);
    const batch = new MurmurBatch(3, 64, 1024);
    const small = batch.stage(bytes.subarray(0, 500));
    expect(small).toEqual(bytes.subarray(0, 500));
    expect([batch.addStaged(10, 74), batch.add(bytes, 600, 650), batch.addStaged(0, 500)]).toEqual([true, true, true]);
    batch.run();
    expect([batch.lo(0), batch.hi(0)]).toEqual(reference(bytes, 10, 74, 3));
    expect([batch.lo(1), batch.hi(1)]).toEqual(reference(bytes, 600, 650, 3));
    expect([batch.lo(2), batch.hi(2)]).toEqual(reference(bytes, 0, 500, 3));
    expect(() => batch.stage(bytes)).toThrow(/run and clear/);
    batch.clear();
    const big = batch.stage(bytes.subarray(1000, 150_000));
    expect(big.length).toBe(149_000);
    expect([batch.addStaged(148_900, 149_000), batch.add(bytes, 5, 900)]).toEqual([true, true]);
    batch.run();
    expect([batch.lo(0), batch.hi(0)]).toEqual(reference(bytes, 149_900, 150_000, 3));
    expect([batch.lo(1), batch.hi(1)]).toEqual(reference(bytes, 5, 900, 3));
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
