import { describe, expect, it } from 'vitest';
import { encodeExplicit, encodeHeaderOnly, encodeRegisters, type RegisterView } from '../../../src/sketch/format/encode.js';
import type { HllParams } from '../../../src/sketch/params.js';

const view = (regs: Array<[number, number]>): RegisterView => ({
  nfilled: regs.length,
  forEachFilled: (fn) => regs.forEach(([i, v]) => fn(i, v)),
});
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const P = (log2m: number, regwidth: number, expthresh: number, sparseon: boolean): HllParams => ({ log2m, regwidth, expthresh, sparseon });

describe('encode', () => {
  it('writes an EMPTY default sketch as 118b7f and UNDEFINED as 108b7f', () => {
    expect(hex(encodeHeaderOnly(P(11, 5, -1, true), 'EMPTY'))).toBe('118b7f');
    expect(hex(encodeHeaderOnly(P(11, 5, -1, true), 'UNDEFINED'))).toBe('108b7f');
  });

  it('writes SPARSE words in index order (SPEC §4.4: user-2, user-1 at (11,5,0,1))', () => {
    expect(hex(encodeRegisters(P(11, 5, 0, true), view([[559, 2], [1398, 2]])))).toBe('138b4045e2aec2');
  });

  it('writes a 20-bit SPARSE word with 4 padding bits (user-1 at (14,6,0,1))', () => {
    expect(hex(encodeRegisters(P(14, 6, 0, true), view([[13686, 3]])))).toBe('13ae40d5d830');
  });

  it('writes FULL when sparseon is off (user-1 at (4,5,0,0): register 6 = 1)', () => {
    expect(hex(encodeRegisters(P(4, 5, 0, false), view([[6, 1]])))).toBe('14840000000000200000000000');
  });

  it('writes SPARSE with no words for registers that are all zero', () => {
    expect(hex(encodeRegisters(P(11, 5, 0, true), view([])))).toBe('138b40');
  });

  it('writes EXPLICIT hashes as big-endian int64 in the given (signed) order', () => {
    const pairs = Int32Array.of(0x18451be1 | 0, 0xcd11d38a | 0, 0x12ff3576, 0x61accd4b); // [lo, hi] each
    expect(hex(encodeExplicit(P(11, 5, -1, true), pairs, 2))).toBe('128b7fcd11d38a18451be161accd4b12ff3576');
  });
});
