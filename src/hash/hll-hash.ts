/**
 * The `hll_hash_*` functions of PostgreSQL's `hll` extension (interop SPEC §2): MurmurHash3
 * x64-128 over the value's key bytes, returning lane h1 as a signed 64-bit `hll_hashval`.
 *
 * Key bytes per function — text: its UTF-8 bytes (no terminator, no length prefix); bytea: the
 * bytes; bigint/integer/smallint: 8/4/2 bytes little-endian two's complement (the in-memory
 * value on x86-64/arm64); boolean: one byte 0x00/0x01. So `hllHashInteger(1)` ≠
 * `hllHashBigint(1)`. The seed is an int4 used as its 32-bit pattern (negative seeds work; the
 * extension only warns about them).
 *
 * These return BigInt for convenience and interop tests; the ingestion hot path calls
 * `murmurHash3x64h1` on a byte range and feeds the two halves to `HllSketch.addHash`.
 */

import { ReachtreeError } from '../errors.js';
import { murmurHash3x64h1 } from './murmur3-wasm.js';

const scratch = new Uint32Array(2);
const keyBytes = new Uint8Array(8);
const keyView = new DataView(keyBytes.buffer);
const utf8 = new TextEncoder();

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function checkSeed(seed: number): number {
  // int4 like the extension's argument; 2^31..2^32-1 are accepted as the same bit patterns.
  if (!Number.isInteger(seed) || seed < -2147483648 || seed > 4294967295) {
    throw new ReachtreeError('E_CONFIG_OPTION', `hash seed must be a 32-bit integer, found ${String(seed)}`);
  }
  return seed >>> 0;
}

function h1AsInt64(): bigint {
  return BigInt.asIntN(64, (BigInt(scratch[1]!) << 32n) | BigInt(scratch[0]!));
}

function hashKey(bytes: Uint8Array, len: number, seed: number): bigint {
  murmurHash3x64h1(bytes, 0, len, checkSeed(seed), scratch);
  return h1AsInt64();
}

/** `hll_hash_bytea(bytes, seed)`: the hash of the bytes as they are. */
export function hllHashBytea(bytes: Uint8Array, seed = 0): bigint {
  return hashKey(bytes, bytes.length, seed);
}

/**
 * `hll_hash_text(text, seed)` in a UTF8 database: the hash of the string's UTF-8 bytes, without
 * normalisation. (A lone UTF-16 surrogate, which PostgreSQL text cannot hold, is encoded as
 * U+FFFD by `TextEncoder`.)
 */
export function hllHashText(text: string, seed = 0): bigint {
  return hllHashBytea(utf8.encode(text), seed);
}

/** `hll_hash_bigint(v, seed)`: 8 key bytes, little-endian two's complement. */
export function hllHashBigint(v: bigint, seed = 0): bigint {
  if (typeof v !== 'bigint' || v < INT64_MIN || v > INT64_MAX) {
    throw new ReachtreeError('E_INPUT_VALUE', `hll_hash_bigint expects a signed 64-bit integer, found ${String(v)}`);
  }
  keyView.setBigInt64(0, v, true);
  return hashKey(keyBytes, 8, seed);
}

/** `hll_hash_integer(v, seed)`: 4 key bytes, little-endian two's complement. */
export function hllHashInteger(v: number, seed = 0): bigint {
  if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
    throw new ReachtreeError('E_INPUT_VALUE', `hll_hash_integer expects a signed 32-bit integer, found ${String(v)}`);
  }
  keyView.setInt32(0, v, true);
  return hashKey(keyBytes, 4, seed);
}

/** `hll_hash_smallint(v, seed)`: 2 key bytes, little-endian two's complement. */
export function hllHashSmallint(v: number, seed = 0): bigint {
  if (!Number.isInteger(v) || v < -32768 || v > 32767) {
    throw new ReachtreeError('E_INPUT_VALUE', `hll_hash_smallint expects a signed 16-bit integer, found ${String(v)}`);
  }
  keyView.setInt16(0, v, true);
  return hashKey(keyBytes, 2, seed);
}

/** `hll_hash_boolean(v, seed)`: one key byte, 0x00 or 0x01. */
export function hllHashBoolean(v: boolean, seed = 0): bigint {
  if (typeof v !== 'boolean') {
    throw new ReachtreeError('E_INPUT_VALUE', `hll_hash_boolean expects a boolean, found ${String(v)}`);
  }
  keyBytes[0] = v ? 1 : 0;
  return hashKey(keyBytes, 1, seed);
}
