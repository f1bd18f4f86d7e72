/**
 * MurmurHash3_x64_128 (Austin Appleby, public-domain reference `MurmurHash3.cpp`), first output
 * lane `h1` only — the hash PostgreSQL's `hll` extension returns from every `hll_hash_*`
 * function (interop SPEC §2).
 *
 * The algorithm works on 64-bit lanes; JavaScript has no cheap 64-bit integer and BigInt
 * allocates. So every 64-bit quantity here is a pair of 32-bit halves (`…Hi`, `…Lo`), and the
 * 64-bit operations are spelled out on the halves:
 *
 *   multiply  (aHi·2^32 + aLo)(bHi·2^32 + bLo) mod 2^64
 *               = aLo·bLo + 2^32·(aLo·bHi + aHi·bLo)          (aHi·bHi overflows away)
 *             low half  = Math.imul(aLo, bLo)
 *             high half = mulHi32(aLo, bLo) + Math.imul(aLo, bHi) + Math.imul(aHi, bLo)
 *   add       low = (aLo + bLo) | 0, carry = low <u aLo (unsigned compare)
 *   rotate    rotl(x, r) for r < 32 mixes the halves; rotl(x, 33) = rotl(swap(x), 1)
 *   xorshift  x ^ (x >>> 33) only touches the low half: lo ^= hi >>> 1
 *
 * The halves are kept as *signed* int32 (`| 0`) throughout, never as unsigned numbers: V8 keeps
 * int32 values unboxed in registers, while uint32 values ≥ 2^31 become doubles — that alone made
 * an unsigned version about twice as slow.
 *
 * Reference facts that matter for compatibility: blocks are 16 bytes read as two little-endian
 * u64 lanes; tail bytes are read **unsigned** (ports that use signed `char` differ on bytes
 * ≥ 0x80); the seed is zero-extended into both lanes; the length is xor-ed into both lanes; the
 * finaliser is fmix64. Worked example: the 5 bytes of "hello", seed 0 → h1 = 0xcbd8a7b341bd9b02.
 */

import { LastDataView } from '../bytes.js';

// 64-bit constants of the reference as (high, low) int32 halves.
const C1_HI = 0x87c37b91 | 0;
const C1_LO = 0x114253d5 | 0;
const C2_HI = 0x4cf5ad43 | 0;
const C2_LO = 0x2745937f | 0;
const FMIX1_HI = 0xff51afd7 | 0;
const FMIX1_LO = 0xed558ccd | 0;
const FMIX2_HI = 0xc4ceb9fe | 0;
const FMIX2_LO = 0x1a85ec53 | 0;

/**
 * High 32 bits of the unsigned 64-bit product of two 32-bit patterns, from 16-bit pieces. Every
 * partial product goes through Math.imul and is read back with `>>>`/`&` as its uint32 bit
 * pattern, so the whole function stays in int32 arithmetic (a plain `*` of two 16-bit pieces can
 * exceed 2^31 and would drop V8 into float arithmetic and conversions).
 */
function mulHi32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const lo = Math.imul(a0, b0);
  const mid1 = Math.imul(a1, b0);
  const mid2 = Math.imul(a0, b1);
  const carry = ((lo >>> 16) + (mid1 & 0xffff) + (mid2 & 0xffff)) >>> 16;
  return (Math.imul(a1, b1) + (mid1 >>> 16) + (mid2 >>> 16) + carry) | 0;
}

/** Unsigned a < b on int32 bit patterns (flipping the sign bit maps unsigned order to signed). */
function ltU(a: number, b: number): number {
  return (a ^ 0x80000000) < (b ^ 0x80000000) ? 1 : 0;
}

/** Each 16-byte block is read as four little-endian int32 loads through this view. */
const lastView = new LastDataView();

/**
 * fmix64 of the reference on (hi, lo); returns the low half and leaves the high half in
 * `fmixHi` (a module-level slot instead of a returned pair, so the hot path never allocates).
 */
let fmixHi = 0;
function fmix64(hi: number, lo: number): number {
  let nHi: number;
  let nLo: number;
  lo ^= hi >>> 1; // k ^= k >>> 33
  nLo = Math.imul(lo, FMIX1_LO);
  nHi = (mulHi32(lo, FMIX1_LO) + Math.imul(lo, FMIX1_HI) + Math.imul(hi, FMIX1_LO)) | 0;
  lo = nLo ^ (nHi >>> 1);
  hi = nHi;
  nLo = Math.imul(lo, FMIX2_LO);
  nHi = (mulHi32(lo, FMIX2_LO) + Math.imul(lo, FMIX2_HI) + Math.imul(hi, FMIX2_LO)) | 0;
  fmixHi = nHi;
  return nLo ^ (nHi >>> 1);
}

/**
 * MurmurHash3_x64_128 of `bytes[start, end)` with a 32-bit `seed`; writes the first output lane
 * h1 as `out[0]` = low 32 bits, `out[1]` = high 32 bits (both unsigned, as Uint32Array stores
 * them). No allocation, no BigInt: this is the per-row hot path of ingestion.
 *
 * `seed` is used as its 32-bit pattern, as the extension does with its int4 seed
 * (seed −1 ≡ 4294967295).
 */
export function murmurHash3x64h1(bytes: Uint8Array, start: number, end: number, seed: number, out: Uint32Array): void {
  const len = end - start;
  let h1Hi = 0;
  let h1Lo = seed | 0;
  let h2Hi = 0;
  let h2Lo = h1Lo;
  let kHi = 0;
  let kLo = 0;
  let tHi = 0;
  let tLo = 0;
  let s = 0;
  const blocksEnd = start + (len & ~15);
  let i = start;
  const v = lastView.over(bytes);
  for (; i < blocksEnd; i += 16) {
    // k1 = lane 0 (little-endian); k1 *= c1; k1 = rotl64(k1, 31); k1 *= c2; h1 ^= k1
    kLo = v.getInt32(i, true);
    kHi = v.getInt32(i + 4, true);
    tLo = Math.imul(kLo, C1_LO);
    tHi = (mulHi32(kLo, C1_LO) + Math.imul(kLo, C1_HI) + Math.imul(kHi, C1_LO)) | 0;
    kHi = (tHi << 31) | (tLo >>> 1);
    kLo = (tLo << 31) | (tHi >>> 1);
    tLo = Math.imul(kLo, C2_LO);
    tHi = (mulHi32(kLo, C2_LO) + Math.imul(kLo, C2_HI) + Math.imul(kHi, C2_LO)) | 0;
    h1Hi ^= tHi;
    h1Lo ^= tLo;
    // h1 = rotl64(h1, 27); h1 += h2; h1 = h1 * 5 + 0x52dce729
    tHi = (h1Hi << 27) | (h1Lo >>> 5);
    tLo = (h1Lo << 27) | (h1Hi >>> 5);
    s = (tLo + h2Lo) | 0;
    tHi = (tHi + h2Hi + ltU(s, tLo)) | 0;
    tLo = Math.imul(s, 5);
    tHi = (Math.imul(tHi, 5) + (((s >>> 16) * 5 + (((s & 0xffff) * 5) >>> 16)) >>> 16)) | 0;
    h1Lo = (tLo + 0x52dce729) | 0;
    h1Hi = (tHi + ltU(h1Lo, tLo)) | 0;

    // k2 = lane 1; k2 *= c2; k2 = rotl64(k2, 33); k2 *= c1; h2 ^= k2
    kLo = v.getInt32(i + 8, true);
    kHi = v.getInt32(i + 12, true);
    tLo = Math.imul(kLo, C2_LO);
    tHi = (mulHi32(kLo, C2_LO) + Math.imul(kLo, C2_HI) + Math.imul(kHi, C2_LO)) | 0;
    kHi = (tLo << 1) | (tHi >>> 31);
    kLo = (tHi << 1) | (tLo >>> 31);
    tLo = Math.imul(kLo, C1_LO);
    tHi = (mulHi32(kLo, C1_LO) + Math.imul(kLo, C1_HI) + Math.imul(kHi, C1_LO)) | 0;
    h2Hi ^= tHi;
    h2Lo ^= tLo;
    // h2 = rotl64(h2, 31); h2 += h1; h2 = h2 * 5 + 0x38495ab5
    tHi = (h2Hi << 31) | (h2Lo >>> 1);
    tLo = (h2Lo << 31) | (h2Hi >>> 1);
    s = (tLo + h1Lo) | 0;
    tHi = (tHi + h1Hi + ltU(s, tLo)) | 0;
    tLo = Math.imul(s, 5);
    tHi = (Math.imul(tHi, 5) + (((s >>> 16) * 5 + (((s & 0xffff) * 5) >>> 16)) >>> 16)) | 0;
    h2Lo = (tLo + 0x38495ab5) | 0;
    h2Hi = (tHi + ltU(h2Lo, tLo)) | 0;
  }
  // Tail: up to 15 bytes into the two lanes, then the same k2 and k1 mixing as a block.
  const tail = len & 15;
  if (tail > 8) {
    kHi = 0;
    kLo = 0;
    // the reference's fall-through switch, as guarded loads (never reading past `end`)
    if (tail >= 15) kHi |= bytes[i + 14]! << 16;
    if (tail >= 14) kHi |= bytes[i + 13]! << 8;
    if (tail >= 13) kHi |= bytes[i + 12]!;
    if (tail >= 12) kLo |= bytes[i + 11]! << 24;
    if (tail >= 11) kLo |= bytes[i + 10]! << 16;
    if (tail >= 10) kLo |= bytes[i + 9]! << 8;
    kLo |= bytes[i + 8]!;
    tLo = Math.imul(kLo, C2_LO);
    tHi = (mulHi32(kLo, C2_LO) + Math.imul(kLo, C2_HI) + Math.imul(kHi, C2_LO)) | 0;
    kHi = (tLo << 1) | (tHi >>> 31);
    kLo = (tHi << 1) | (tLo >>> 31);
    tLo = Math.imul(kLo, C1_LO);
    tHi = (mulHi32(kLo, C1_LO) + Math.imul(kLo, C1_HI) + Math.imul(kHi, C1_LO)) | 0;
    h2Hi ^= tHi;
    h2Lo ^= tLo;
  }
  if (tail > 0) {
    kHi = 0;
    kLo = 0;
    if (tail >= 8) kHi |= bytes[i + 7]! << 24;
    if (tail >= 7) kHi |= bytes[i + 6]! << 16;
    if (tail >= 6) kHi |= bytes[i + 5]! << 8;
    if (tail >= 5) kHi |= bytes[i + 4]!;
    if (tail >= 4) kLo |= bytes[i + 3]! << 24;
    if (tail >= 3) kLo |= bytes[i + 2]! << 16;
    if (tail >= 2) kLo |= bytes[i + 1]! << 8;
    kLo |= bytes[i]!;
    tLo = Math.imul(kLo, C1_LO);
    tHi = (mulHi32(kLo, C1_LO) + Math.imul(kLo, C1_HI) + Math.imul(kHi, C1_LO)) | 0;
    kHi = (tHi << 31) | (tLo >>> 1);
    kLo = (tLo << 31) | (tHi >>> 1);
    tLo = Math.imul(kLo, C2_LO);
    tHi = (mulHi32(kLo, C2_LO) + Math.imul(kLo, C2_HI) + Math.imul(kHi, C2_LO)) | 0;
    h1Hi ^= tHi;
    h1Lo ^= tLo;
  }
  // Finalisation: h1 ^= len; h2 ^= len; h1 += h2; h2 += h1; fmix both; h1 += h2.
  // (len < 2^31, so only the low halves see it.)
  h1Lo ^= len;
  h2Lo ^= len;
  s = (h1Lo + h2Lo) | 0;
  h1Hi = (h1Hi + h2Hi + ltU(s, h1Lo)) | 0;
  h1Lo = s;
  s = (h2Lo + h1Lo) | 0;
  h2Hi = (h2Hi + h1Hi + ltU(s, h2Lo)) | 0;
  h2Lo = s;
  h1Lo = fmix64(h1Hi, h1Lo);
  h1Hi = fmixHi;
  h2Lo = fmix64(h2Hi, h2Lo);
  h2Hi = fmixHi;
  s = (h1Lo + h2Lo) | 0;
  out[0] = s;
  out[1] = h1Hi + h2Hi + ltU(s, h1Lo);
}
