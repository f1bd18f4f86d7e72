/**
 * Reading untrusted storage-spec v1 bytes (layout in ./layout.ts). Validates everything before
 * trusting anything; a failure is a `ReachtreeError` with an `E_FORMAT_*` code, a message that
 * says what was expected and what was found, and `detail` = `describeBytes(bytes)`.
 *
 * What is accepted — be strict, but never reject bytes the 2.17 extension writes with parameters
 * its SQL API accepts (SPEC §4.6, §8, §11):
 *
 * - version 1; type 0..4; reserved bit 7 of byte 2 clear (the extension ignores it but always
 *   writes 0);
 * - log2m 0..17 (the API range; 18+ cannot be read by the extension either), regwidth 1..8
 *   (8 is how the API's regwidth 0 comes back);
 * - expthresh: on EMPTY/EXPLICIT headers −1, 0 or 2^0..2^13 (what the API accepts; 2.20 checks
 *   the same); on UNDEFINED/SPARSE/FULL any code (2.20's relaxed check) — there the threshold no
 *   longer affects behaviour;
 * - EMPTY/UNDEFINED exactly 3 bytes; EXPLICIT a whole number of 8-byte elements, strictly
 *   ascending as signed int64 (no duplicates), and no more than its threshold T (at most 16383).
 *   The extension never writes more than T (it promotes the (T+1)-th hash), but 2.17 reads such
 *   sketches and then treats them inconsistently — `hll_add` keeps them EXPLICIT forever,
 *   `hll_union` promotes them, so x ∪ x ≠ x (SPEC §10.10). Refusing them keeps union a pure
 *   function of the hashes;
 * - FULL exactly ⌈m·r/8⌉ body bytes; SPARSE fewer than 8 padding bits; padding bits zero (the
 *   extension does not check them but always writes zeros);
 * - every register value ≤ 64 − log2m: larger values cannot come from any hash (and would make
 *   the estimators meaningless).
 *
 * SPARSE words may come in any order; as in the extension, a later word for an index overwrites
 * an earlier one (value 0 included). For the toy settings with log2m + regwidth < 8 a trailing
 * all-zero word can be mere padding (SPEC §4.4); it is skipped rather than clearing register 0.
 */

import { ReachtreeError, type ErrorCode } from '../../errors.js';
import { explicitThreshold, type HllParams } from '../params.js';
import { describeBytes } from './describe.js';
import {
  EXPLICIT_ELEMENT_BYTES,
  EXPLICIT_MAX_ELEMENTS,
  EXPTHRESH_AUTO_CODE,
  HEADER_BYTES,
  MAX_READABLE_LOG2M,
  SCHEMA_VERSION,
  decodeExpthresh,
  readBits,
  readExplicitHi,
  readExplicitLo,
  readHeader,
  typeName,
} from './layout.js';

/** What a valid byte string holds, in plain arrays for the sketch states to adopt. */
export type DecodedSketch =
  | { readonly type: 'UNDEFINED' | 'EMPTY'; readonly params: HllParams }
  | {
      readonly type: 'EXPLICIT';
      readonly params: HllParams;
      /** int32 pairs `[lo0, hi0, lo1, hi1, …]`, ascending signed, no duplicates */
      readonly pairs: Int32Array;
      readonly count: number;
    }
  | {
      readonly type: 'SPARSE';
      readonly params: HllParams;
      /** non-zero registers as `index << 8 | value`, ascending index, one per index */
      readonly entries: Uint32Array;
    }
  | {
      readonly type: 'FULL';
      readonly params: HllParams;
      /** all m registers */
      readonly registers: Uint8Array;
      readonly nfilled: number;
    };

/** Largest expthresh code the SQL API can produce: 14 = 8192. */
const MAX_API_EXPTHRESH_CODE = 14;

export function decodeSketch(bytes: Uint8Array): DecodedSketch {
  const fail = (code: ErrorCode, message: string): ReachtreeError =>
    new ReachtreeError(code, message, { detail: describeBytes(bytes) });

  if (bytes.length < HEADER_BYTES) {
    throw fail('E_FORMAT_LENGTH', `a sketch needs at least the ${HEADER_BYTES}-byte header, found ${bytes.length} bytes`);
  }
  const h = readHeader(bytes);
  if (h.version !== SCHEMA_VERSION) {
    throw fail('E_FORMAT_VERSION', `unknown schema version ${h.version} (expected ${SCHEMA_VERSION})`);
  }
  const type = typeName(h.type);
  if (type === undefined) {
    throw fail('E_FORMAT_TYPE', `unknown sketch type ${h.type} (expected 0..4: UNDEFINED, EMPTY, EXPLICIT, SPARSE, FULL)`);
  }
  if (h.reservedBit !== 0) {
    throw fail('E_FORMAT_HEADER', 'reserved bit 7 of header byte 2 is set (expected 0)');
  }
  if (h.log2m > MAX_READABLE_LOG2M) {
    throw fail('E_FORMAT_HEADER', `log2m must be at most ${MAX_READABLE_LOG2M}, found ${h.log2m}`);
  }
  if (
    (type === 'EMPTY' || type === 'EXPLICIT') &&
    h.expthreshCode > MAX_API_EXPTHRESH_CODE &&
    h.expthreshCode !== EXPTHRESH_AUTO_CODE
  ) {
    throw fail(
      'E_FORMAT_HEADER',
      `expthresh of an ${type} sketch must be -1, 0 or a power of two up to 8192, ` +
        `found ${decodeExpthresh(h.expthreshCode)} (code ${h.expthreshCode})`,
    );
  }
  const params: HllParams = Object.freeze({
    log2m: h.log2m,
    regwidth: h.regwidth,
    expthresh: decodeExpthresh(h.expthreshCode),
    sparseon: h.sparseon,
  });
  const body = bytes.length - HEADER_BYTES;
  const maxValue = 64 - h.log2m;

  switch (type) {
    case 'UNDEFINED':
    case 'EMPTY':
      if (body !== 0) throw fail('E_FORMAT_LENGTH', `an ${type} sketch is exactly ${HEADER_BYTES} bytes, found ${bytes.length}`);
      return { type, params };

    case 'EXPLICIT': {
      if (body % EXPLICIT_ELEMENT_BYTES !== 0) {
        throw fail('E_FORMAT_LENGTH', `an EXPLICIT body is a whole number of 8-byte hashes, found ${body} bytes`);
      }
      const count = body / EXPLICIT_ELEMENT_BYTES;
      if (count > EXPLICIT_MAX_ELEMENTS) {
        throw fail('E_FORMAT_LENGTH', `an EXPLICIT sketch holds at most ${EXPLICIT_MAX_ELEMENTS} hashes, found ${count}`);
      }
      const threshold = explicitThreshold(params);
      if (count > threshold) {
        throw fail(
          'E_FORMAT_LENGTH',
          `an EXPLICIT sketch with expthresh ${params.expthresh} holds at most ${threshold} hashes ` +
            `(one more turns it into registers), found ${count}`,
        );
      }
      const pairs = new Int32Array(2 * count);
      for (let k = 0; k < count; k++) {
        const at = HEADER_BYTES + k * EXPLICIT_ELEMENT_BYTES;
        const hi = readExplicitHi(bytes, at);
        const lo = readExplicitLo(bytes, at);
        if (k > 0) {
          const pLo = pairs[2 * k - 2]!;
          const pHi = pairs[2 * k - 1]!;
          if (hi < pHi || (hi === pHi && lo >>> 0 <= pLo >>> 0)) {
            throw fail(
              'E_FORMAT_EXPLICIT_ORDER',
              `EXPLICIT hashes must be strictly ascending (signed), but element ${k} ` +
                `(${int64Text(hi, lo)}) ${hi === pHi && lo === pLo ? 'repeats' : 'is below'} element ${k - 1} (${int64Text(pHi, pLo)})`,
            );
          }
        }
        pairs[2 * k] = lo;
        pairs[2 * k + 1] = hi;
      }
      return { type, params, pairs, count };
    }

    case 'FULL': {
      const m = 2 ** h.log2m;
      const r = h.regwidth;
      const expected = Math.ceil((m * r) / 8);
      if (body !== expected) {
        throw fail('E_FORMAT_LENGTH', `a FULL sketch with log2m ${h.log2m}, regwidth ${r} has ${expected} body bytes, found ${body}`);
      }
      checkPadding(bytes, m * r, fail);
      const registers = new Uint8Array(m);
      let nfilled = 0;
      for (let i = 0; i < m; i++) {
        const v = readBits(bytes, HEADER_BYTES, i * r, r);
        if (v > maxValue) {
          throw fail('E_FORMAT_REGISTER', `register ${i} holds ${v}, but log2m ${h.log2m} allows at most ${maxValue}`);
        }
        registers[i] = v;
        if (v !== 0) nfilled++;
      }
      return { type, params, registers, nfilled };
    }

    case 'SPARSE': {
      const r = h.regwidth;
      const width = h.log2m + r;
      const bodyBits = body * 8;
      let words = Math.floor(bodyBits / width);
      const pad = bodyBits - words * width;
      if (pad >= 8) {
        throw fail('E_FORMAT_PADDING', `a SPARSE body of ${body} bytes holds ${words} words of ${width} bits and ${pad} padding bits (at most 7 allowed)`);
      }
      checkPadding(bytes, words * width, fail);
      if (words > 0 && pad + width < 8 && readBits(bytes, HEADER_BYTES, (words - 1) * width, width) === 0) {
        words--; // an all-zero last word that fits in the padding is padding (toy settings only)
      }
      return { type, params, entries: sparseEntries(bytes, h.log2m, r, words, maxValue, fail) };
    }
  }
}

/** The bits after `usedBits` of the body (at most 7) must be zero. */
function checkPadding(bytes: Uint8Array, usedBits: number, fail: (code: ErrorCode, message: string) => ReachtreeError): void {
  const pad = (bytes.length - HEADER_BYTES) * 8 - usedBits;
  if (pad > 0 && (bytes[bytes.length - 1]! & ((1 << pad) - 1)) !== 0) {
    throw fail('E_FORMAT_PADDING', `the ${pad} padding bits at the end must be zero, found ${(bytes[bytes.length - 1]! & ((1 << pad) - 1)).toString(2).padStart(pad, '0')}b`);
  }
}

function sparseEntries(
  bytes: Uint8Array,
  log2m: number,
  r: number,
  words: number,
  maxValue: number,
  fail: (code: ErrorCode, message: string) => ReachtreeError,
): Uint32Array {
  const width = log2m + r;
  const valueMask = 2 ** r - 1;
  const entries = new Uint32Array(words);
  let n = 0;
  let last = -1;
  let ordered = true;
  for (let k = 0; k < words; k++) {
    const word = readBits(bytes, HEADER_BYTES, k * width, width);
    const index = Math.floor(word / 2 ** r);
    const value = word & valueMask;
    if (value > maxValue) {
      throw fail('E_FORMAT_REGISTER', `SPARSE word ${k} sets register ${index} to ${value}, but log2m ${log2m} allows at most ${maxValue}`);
    }
    if (index <= last) ordered = false;
    last = index;
    if (value !== 0) entries[n++] = (index << 8) | value;
  }
  if (ordered) return entries.slice(0, n);
  // Words out of order or repeated: replay them in stream order, later words overwriting, as the
  // extension does, then collect the non-zero registers in index order.
  const m = 2 ** log2m;
  const regs = new Uint8Array(m);
  for (let k = 0; k < words; k++) {
    const word = readBits(bytes, HEADER_BYTES, k * width, width);
    regs[Math.floor(word / 2 ** r)] = word & valueMask;
  }
  n = 0;
  for (let i = 0; i < m; i++) if (regs[i] !== 0) entries[n++] = (i << 8) | regs[i]!;
  return entries.slice(0, n);
}

function int64Text(hi: number, lo: number): string {
  return String((BigInt(hi) << 32n) | BigInt(lo >>> 0));
}
