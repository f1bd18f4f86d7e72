/**
 * Storage layout of an `hll` value — AK storage spec v1 as written by PostgreSQL's `hll`
 * extension 2.17 (interop SPEC §4, §5). Every byte-level fact of reachtree lives in this folder;
 * this file holds the layout itself, the other files encode, decode and describe.
 *
 * ```
 *  byte 0  V   7..4 schema version (1)          3..0 type: 0 UNDEFINED 1 EMPTY 2 EXPLICIT 3 SPARSE 4 FULL
 *  byte 1  P   7..5 regwidth − 1                4..0 log2m
 *  byte 2  C   7    reserved, 0                 6    sparseon
 *                                               5..0 expthresh code: 63 = −1 (auto), 0 = 0, k = 2^(k−1)
 *  byte 3… B   body, by type:
 *      UNDEFINED, EMPTY  nothing (length exactly 3)
 *      EXPLICIT          k hashes × 8 bytes, big-endian int64, strictly ascending as *signed*
 *      SPARSE            one (log2m + regwidth)-bit word per non-zero register,
 *                        word = index << regwidth | value, ascending index,
 *                        MSB-first bit stream, zero-padded to a whole byte (< 8 pad bits)
 *      FULL              all m = 2^log2m registers, regwidth bits each, index order,
 *                        MSB-first bit stream, zero-padded to a whole byte
 * ```
 *
 * A register sketch is written SPARSE iff sparseon and nfilled·(log2m + regwidth) < m·regwidth
 * (a comparison of bit counts, strict), else FULL — decided afresh at every serialisation.
 *
 * Decoded SPARSE example — `user-1` and `user-2` in `hll_empty(11,5,0,1)`:
 * ```
 *  13 8b 40 45e2 aec2
 *  13  version 1, type 3 SPARSE
 *  8b  1000 1011b: regwidth − 1 = 4 → r = 5; log2m = 01011b = 11
 *  40  0100 0000b: sparseon = 1, expthresh code 0 → expthresh 0
 *  45e2 aec2  two 16-bit words (log2m + regwidth = 11 + 5 bits):
 *        0x45e2 = 01000101111 00010b → index 559,  value 2   (user-2)
 *        0xaec2 = 10101110110 00010b → index 1398, value 2   (user-1)
 *        sorted by index, not by insertion; 32 bits = 4 bytes, no padding.
 * ```
 */

import type { HllParams } from '../params.js';

/** Length of the V P C header. */
export const HEADER_BYTES = 3;
/** Byte offsets inside the header. */
export const VERSION_TYPE_OFFSET = 0;
export const PARAMS_OFFSET = 1;
export const CUTOFF_OFFSET = 2;
/** The only schema version this format (and the extension) knows. */
export const SCHEMA_VERSION = 1;
/** Header code of expthresh −1 (auto). */
export const EXPTHRESH_AUTO_CODE = 63;
/** Bytes per EXPLICIT element. */
export const EXPLICIT_ELEMENT_BYTES = 8;
/** Largest EXPLICIT element count the extension accepts on read (its 128 KiB in-memory state). */
export const EXPLICIT_MAX_ELEMENTS = 16383;
/** Largest log2m the extension reads (its 128 KiB register buffer). */
export const MAX_READABLE_LOG2M = 17;

/**
 * On-disk type nibble. **Do not reorder**: the numbers are the storage format.
 */
export const SketchType = Object.freeze({
  UNDEFINED: 0,
  EMPTY: 1,
  EXPLICIT: 2,
  SPARSE: 3,
  FULL: 4,
} as const);
export type SketchTypeName = keyof typeof SketchType;
export type SketchTypeCode = (typeof SketchType)[SketchTypeName];

const TYPE_NAMES: readonly SketchTypeName[] = ['UNDEFINED', 'EMPTY', 'EXPLICIT', 'SPARSE', 'FULL'];

/** The name of a type nibble, or undefined for 5..15. */
export function typeName(code: number): SketchTypeName | undefined {
  return TYPE_NAMES[code];
}

// --- header fields: paired read/write -----------------------------------------------------------

/** The header as stored, before any validation. */
export interface RawHeader {
  readonly version: number;
  readonly type: number;
  /** decoded regwidth, 1..8 (header value + 1) */
  readonly regwidth: number;
  readonly log2m: number;
  readonly expthreshCode: number;
  readonly sparseon: boolean;
  /** bit 7 of byte 2; written 0 */
  readonly reservedBit: number;
}

export function readHeader(bytes: Uint8Array): RawHeader {
  const v = bytes[VERSION_TYPE_OFFSET]!;
  const pb = bytes[PARAMS_OFFSET]!;
  const c = bytes[CUTOFF_OFFSET]!;
  return {
    version: v >>> 4,
    type: v & 0x0f,
    regwidth: (pb >>> 5) + 1,
    log2m: pb & 0x1f,
    expthreshCode: c & 0x3f,
    sparseon: ((c >>> 6) & 1) === 1,
    reservedBit: c >>> 7,
  };
}

export function writeHeader(bytes: Uint8Array, type: SketchTypeCode, params: HllParams): void {
  bytes[VERSION_TYPE_OFFSET] = (SCHEMA_VERSION << 4) | type;
  bytes[PARAMS_OFFSET] = ((params.regwidth - 1) << 5) | params.log2m;
  bytes[CUTOFF_OFFSET] = ((params.sparseon ? 1 : 0) << 6) | encodeExpthresh(params.expthresh);
}

/** −1 → 63, 0 → 0, 2^k → k + 1. */
export function encodeExpthresh(expthresh: number): number {
  if (expthresh === -1) return EXPTHRESH_AUTO_CODE;
  if (expthresh === 0) return 0;
  return Math.round(Math.log2(expthresh)) + 1;
}

/** 63 → −1, 0 → 0, k → 2^(k−1) (exact as a double up to 2^61). */
export function decodeExpthresh(code: number): number {
  if (code === EXPTHRESH_AUTO_CODE) return -1;
  if (code === 0) return 0;
  return 2 ** (code - 1);
}

// --- EXPLICIT elements: paired read/write --------------------------------------------------------
// An element is handled as its two 32-bit halves (hi as int32, lo as uint32 pattern): that is
// how the in-memory EXPLICIT store keeps them and needs no BigInt.

export function writeExplicitElement(bytes: Uint8Array, at: number, hi: number, lo: number): void {
  bytes[at] = hi >>> 24;
  bytes[at + 1] = hi >>> 16;
  bytes[at + 2] = hi >>> 8;
  bytes[at + 3] = hi;
  bytes[at + 4] = lo >>> 24;
  bytes[at + 5] = lo >>> 16;
  bytes[at + 6] = lo >>> 8;
  bytes[at + 7] = lo;
}

/** High half of the big-endian element at `at`, as a signed int32 (so signed order compares). */
export function readExplicitHi(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
}

/** Low half of the big-endian element at `at`, as an int32 bit pattern. */
export function readExplicitLo(bytes: Uint8Array, at: number): number {
  return (bytes[at + 4]! << 24) | (bytes[at + 5]! << 16) | (bytes[at + 6]! << 8) | bytes[at + 7]!;
}

// --- MSB-first bit stream (SPARSE words, FULL registers): paired read/write ----------------------

/**
 * Reads `width` (1..25) bits starting `bitPos` bits into the body at `bodyStart`, MSB-first.
 * Bytes past the end read as zero (callers check lengths first).
 */
export function readBits(bytes: Uint8Array, bodyStart: number, bitPos: number, width: number): number {
  const at = bodyStart + (bitPos >>> 3);
  const window = ((bytes[at] ?? 0) << 24) | ((bytes[at + 1] ?? 0) << 16) | ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0);
  return (window << (bitPos & 7)) >>> (32 - width);
}

/** ORs `width` (1..25) bits of `value` into a zeroed body at `bitPos`, MSB-first. */
export function writeBits(bytes: Uint8Array, bodyStart: number, bitPos: number, width: number, value: number): void {
  let remaining = width;
  let at = bodyStart + (bitPos >>> 3);
  let used = bitPos & 7;
  while (remaining > 0) {
    const room = 8 - used;
    const take = remaining < room ? remaining : room;
    const chunk = (value >>> (remaining - take)) & ((1 << take) - 1);
    bytes[at] = bytes[at]! | (chunk << (room - take));
    remaining -= take;
    used = 0;
    at++;
  }
}

// --- sizes and the SPARSE/FULL decision -----------------------------------------------------------

export function explicitByteLength(count: number): number {
  return HEADER_BYTES + EXPLICIT_ELEMENT_BYTES * count;
}

export function sparseByteLength(params: HllParams, nfilled: number): number {
  return HEADER_BYTES + Math.ceil((nfilled * (params.log2m + params.regwidth)) / 8);
}

export function fullByteLength(params: HllParams): number {
  return HEADER_BYTES + Math.ceil((2 ** params.log2m * params.regwidth) / 8);
}

/**
 * SPARSE iff sparseon and the SPARSE body has fewer bits than the FULL body (SPEC §5): e.g. at
 * most 639 filled registers for (11,5), 4311 for (14,5). At the cutoff both can have the same
 * byte length; it is still SPARSE, because the test is on bits.
 */
export function registerTypeFor(params: HllParams, nfilled: number): 'SPARSE' | 'FULL' {
  const sparseBits = nfilled * (params.log2m + params.regwidth);
  const fullBits = 2 ** params.log2m * params.regwidth;
  return params.sparseon && sparseBits < fullBits ? 'SPARSE' : 'FULL';
}
