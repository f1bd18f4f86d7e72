import { describe, expect, it } from 'vitest';
import { murmurHash3x64h1 as wasmKernel } from '../../src/hash/murmur3-wasm.js';
import { murmurHash3x64h1 as halvesReference } from '../../src/hash/murmur3.js';
import { murmurHash3x64h1 as exported } from '../../src/hash/index.js';

describe('murmurHash3x64h1', () => {
  it('is the WebAssembly kernel in the public surface', () => {
    expect(exported).toBe(wasmKernel);
  });
});

// The WebAssembly kernel (used) and the 32-bit-halves JavaScript version (the readable reference)
// meet the same specification.
describe.each([
  ['WebAssembly kernel', wasmKernel],
  ['32-bit-halves reference', halvesReference],
])('murmurHash3x64h1 (%s)', (_name, murmurHash3x64h1) => {
  it('writes h1 as (low, high) unsigned halves: "hello" → 0xcbd8a7b341bd9b02', () => {
    const out = new Uint32Array(2);
    murmurHash3x64h1(new TextEncoder().encode('hello'), 0, 5, 0, out);
    expect(out[0]).toBe(0x41bd9b02);
    expect(out[1]).toBe(0xcbd8a7b3);
  });

  it('hashes a byte range in place, ignoring the bytes around it', () => {
    const key = new TextEncoder().encode('user-1');
    const framed = new Uint8Array(3 + key.length + 5).fill(0xab);
    framed.set(key, 3);
    const inPlace = new Uint32Array(2);
    murmurHash3x64h1(framed, 3, 3 + key.length, 0, inPlace);
    // SPEC §2: hll_hash_text('user-1') = 0x61accd4b12ff3576
    expect([inPlace[0], inPlace[1]]).toEqual([0x12ff3576, 0x61accd4b]);
  });

  it('matches a straightforward BigInt transcription of the reference for lengths 0..64 and several seeds', () => {
    // Every tail length (0..15) with 0..4 whole blocks, bytes ≥ 0x80 in the tail.
    const bytes = new Uint8Array(64);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 151 + 7) & 0xff;
    const out = new Uint32Array(2);
    for (const seed of [0, 1, 123, 0x7fffffff, 0x80000000, 0xffffffff]) {
      for (let len = 0; len <= 64; len++) {
        murmurHash3x64h1(bytes, 0, len, seed, out);
        expect((BigInt(out[1]!) << 32n) | BigInt(out[0]!)).toBe(referenceH1(bytes.subarray(0, len), seed));
      }
    }
  });

  it('reads every byte unsigned and hashes ranges at any offset of any array (seeded fuzz against BigInt)', () => {
    let state = 12345;
    const next = (): number => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
    const bytes = new Uint8Array(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = next() >>> 24;
    const out = new Uint32Array(2);
    for (let n = 0; n < 300; n++) {
      const start = next() % 1000;
      const len = next() % (n % 10 === 0 ? 3000 : 200);
      const view = bytes.subarray(next() % 7); // a byteOffset other than 0
      const seed = next() | 0;
      murmurHash3x64h1(view, start, start + len, seed, out);
      expect((BigInt(out[1]!) << 32n) | BigInt(out[0]!)).toBe(referenceH1(view.subarray(start, start + len), seed));
    }
  });

  it('hashes an id longer than 64 KiB (the kernel memory grows)', () => {
    const big = new Uint8Array(200_000).map((_, i) => (i * 31) & 0xff);
    const out = new Uint32Array(2);
    murmurHash3x64h1(big, 5, big.length - 3, 0, out);
    expect((BigInt(out[1]!) << 32n) | BigInt(out[0]!)).toBe(referenceH1(big.subarray(5, big.length - 3), 0));
  });
});

export { referenceH1 };

// --- an obviously-correct (slow) BigInt version of MurmurHash3_x64_128, lane h1 ---------------
const MASK = (1n << 64n) - 1n;
const C1 = 0x87c37b91114253d5n;
const C2 = 0x4cf5ad432745937fn;
const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & MASK;
const fmix = (k: bigint): bigint => {
  k ^= k >> 33n;
  k = (k * 0xff51afd7ed558ccdn) & MASK;
  k ^= k >> 33n;
  k = (k * 0xc4ceb9fe1a85ec53n) & MASK;
  return k ^ (k >> 33n);
};
const lane = (b: Uint8Array, at: number, n: number): bigint => {
  let v = 0n;
  for (let j = n - 1; j >= 0; j--) v = (v << 8n) | BigInt(b[at + j]!);
  return v;
};
function referenceH1(b: Uint8Array, seed: number): bigint {
  let h1 = BigInt(seed >>> 0);
  let h2 = h1;
  const nblocks = Math.floor(b.length / 16);
  for (let i = 0; i < nblocks; i++) {
    let k1 = lane(b, i * 16, 8);
    let k2 = lane(b, i * 16 + 8, 8);
    k1 = (rotl((k1 * C1) & MASK, 31n) * C2) & MASK;
    h1 ^= k1;
    h1 = (((rotl(h1, 27n) + h2) & MASK) * 5n + 0x52dce729n) & MASK;
    k2 = (rotl((k2 * C2) & MASK, 33n) * C1) & MASK;
    h2 ^= k2;
    h2 = (((rotl(h2, 31n) + h1) & MASK) * 5n + 0x38495ab5n) & MASK;
  }
  const tail = b.length & 15;
  const at = nblocks * 16;
  if (tail > 8) h2 ^= (rotl((lane(b, at + 8, tail - 8) * C2) & MASK, 33n) * C1) & MASK;
  if (tail > 0) h1 ^= (rotl((lane(b, at, Math.min(tail, 8)) * C1) & MASK, 31n) * C2) & MASK;
  h1 ^= BigInt(b.length);
  h2 ^= BigInt(b.length);
  h1 = (h1 + h2) & MASK;
  h2 = (h2 + h1) & MASK;
  h1 = fmix(h1);
  h2 = fmix(h2);
  return (h1 + h2) & MASK;
}
