/**
 * Writing storage-spec v1 bytes (layout in ./layout.ts). The in-memory states hand over plain
 * data — sorted hash pairs or a view of the non-zero registers — so this module knows bytes and
 * nothing about how states store things.
 */

import type { HllParams } from '../params.js';
import {
  HEADER_BYTES,
  SketchType,
  explicitByteLength,
  fullByteLength,
  registerTypeFor,
  sparseByteLength,
  writeBits,
  writeExplicitElement,
  writeHeader,
} from './layout.js';

/** The non-zero registers of a register sketch, as the encoder needs them. */
export interface RegisterView {
  /** Number of non-zero registers. */
  readonly nfilled: number;
  /** Calls `fn` for every non-zero register in ascending index order. */
  forEachFilled(fn: (index: number, value: number) => void): void;
}

/** UNDEFINED or EMPTY: the header alone. */
export function encodeHeaderOnly(params: HllParams, type: 'UNDEFINED' | 'EMPTY'): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES);
  writeHeader(out, SketchType[type], params);
  return out;
}

/**
 * EXPLICIT from `count` hashes given as int32 pairs `[lo0, hi0, lo1, hi1, …]`, already in
 * ascending signed order without duplicates.
 */
export function encodeExplicit(params: HllParams, pairs: Int32Array, count: number): Uint8Array {
  const out = new Uint8Array(explicitByteLength(count));
  writeHeader(out, SketchType.EXPLICIT, params);
  for (let k = 0, at = HEADER_BYTES; k < count; k++, at += 8) {
    writeExplicitElement(out, at, pairs[2 * k + 1]!, pairs[2 * k]!);
  }
  return out;
}

/** A register sketch, SPARSE or FULL as `registerTypeFor` decides. */
export function encodeRegisters(params: HllParams, regs: RegisterView): Uint8Array {
  return registerTypeFor(params, regs.nfilled) === 'SPARSE' ? encodeSparse(params, regs) : encodeFull(params, regs);
}

function encodeSparse(params: HllParams, regs: RegisterView): Uint8Array {
  const out = new Uint8Array(sparseByteLength(params, regs.nfilled));
  writeHeader(out, SketchType.SPARSE, params);
  const r = params.regwidth;
  const width = params.log2m + r;
  let bit = 0;
  regs.forEachFilled((index, value) => {
    writeBits(out, HEADER_BYTES, bit, width, index * 2 ** r + value);
    bit += width;
  });
  return out;
}

function encodeFull(params: HllParams, regs: RegisterView): Uint8Array {
  const out = new Uint8Array(fullByteLength(params));
  writeHeader(out, SketchType.FULL, params);
  const r = params.regwidth;
  regs.forEachFilled((index, value) => {
    writeBits(out, HEADER_BYTES, index * r, r, value);
  });
  return out;
}
