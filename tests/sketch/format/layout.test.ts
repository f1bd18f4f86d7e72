import { describe, expect, it } from 'vitest';
import {
  SketchType,
  decodeExpthresh,
  encodeExpthresh,
  fullByteLength,
  readBits,
  readExplicitHi,
  readExplicitLo,
  readHeader,
  registerTypeFor,
  sparseByteLength,
  writeBits,
  writeExplicitElement,
  writeHeader,
} from '../../../src/sketch/format/layout.js';
import type { HllParams } from '../../../src/sketch/params.js';
import { prng } from '../support.js';

const P = (log2m: number, regwidth: number, expthresh: number, sparseon: boolean): HllParams => ({
  log2m,
  regwidth,
  expthresh,
  sparseon,
});

describe('layout › header', () => {
  // SPEC §4.1: header bytes P and C for parameter sets seen in the vectors
  const cases: Array<[HllParams, number, number]> = [
    [P(11, 5, -1, true), 0x8b, 0x7f],
    [P(11, 5, 0, true), 0x8b, 0x40],
    [P(11, 5, -1, false), 0x8b, 0x3f],
    [P(11, 5, 16, true), 0x8b, 0x45],
    [P(14, 6, 0, false), 0xae, 0x00],
    [P(14, 5, -1, true), 0x8e, 0x7f],
    [P(16, 5, -1, true), 0x90, 0x7f],
    [P(11, 4, -1, true), 0x6b, 0x7f],
    [P(11, 3, 0, false), 0x4b, 0x00],
    [P(4, 5, 0, false), 0x84, 0x00],
  ];

  it.each(cases)('writes and reads back %o as P = %i, C = %i', (params, p, c) => {
    const bytes = new Uint8Array(3);
    writeHeader(bytes, SketchType.EMPTY, params);
    expect(Array.from(bytes)).toEqual([0x11, p, c]);
    const h = readHeader(bytes);
    expect(h).toEqual({
      version: 1,
      type: 1,
      regwidth: params.regwidth,
      log2m: params.log2m,
      expthreshCode: encodeExpthresh(params.expthresh),
      sparseon: params.sparseon,
      reservedBit: 0,
    });
    expect(decodeExpthresh(h.expthreshCode)).toBe(params.expthresh);
  });

  it('encodes expthresh -1 as 63, 0 as 0 and 2^k as k + 1', () => {
    expect([-1, 0, 1, 16, 1024, 8192].map(encodeExpthresh)).toEqual([63, 0, 1, 5, 11, 14]);
    expect(decodeExpthresh(62)).toBe(2 ** 61);
  });

  it('reads header regwidth bits 0b111 as regwidth 8 (the API’s regwidth 0)', () => {
    expect(readHeader(Uint8Array.of(0x11, 0xeb, 0x7f)).regwidth).toBe(8);
  });

  it('keeps the on-disk type numbers of storage spec v1', () => {
    expect(SketchType).toEqual({ UNDEFINED: 0, EMPTY: 1, EXPLICIT: 2, SPARSE: 3, FULL: 4 });
  });
});

describe('layout › explicit elements', () => {
  it('writes big-endian int64 halves and reads them back signed/unsigned', () => {
    const bytes = new Uint8Array(8);
    writeExplicitElement(bytes, 0, 0xcd11d38a | 0, 0x18451be1 | 0);
    expect(Buffer.from(bytes).toString('hex')).toBe('cd11d38a18451be1');
    expect(readExplicitHi(bytes, 0)).toBe(0xcd11d38a | 0);
    expect(readExplicitLo(bytes, 0) >>> 0).toBe(0x18451be1);
  });
});

describe('layout › bit stream', () => {
  it('round-trips words of every width 1..25 at every bit offset', () => {
    const next = prng(7);
    for (let width = 1; width <= 25; width++) {
      for (let offset = 0; offset < 16; offset++) {
        const value = next() & ((1 << width) - 1);
        const bytes = new Uint8Array(8);
        writeBits(bytes, 1, offset, width, value);
        expect(readBits(bytes, 1, offset, width)).toBe(value >>> 0);
        // nothing outside the word is touched
        if (offset > 0) expect(readBits(bytes, 1, 0, offset)).toBe(0);
        expect(readBits(bytes, 1, offset + width, 7)).toBe(0);
      }
    }
  });

  it('packs MSB-first: user-1 at (14,6) is the 20-bit word 0xd5d83 then 4 zero bits', () => {
    const bytes = new Uint8Array(3);
    writeBits(bytes, 0, 0, 20, (13686 << 6) | 3);
    expect(Buffer.from(bytes).toString('hex')).toBe('d5d830');
  });
});

describe('layout › sizes and the SPARSE/FULL decision', () => {
  it('gives the FULL sizes of SPEC §4.5', () => {
    expect(fullByteLength(P(11, 5, -1, true))).toBe(1283);
    expect(fullByteLength(P(14, 5, -1, true))).toBe(10243);
    expect(fullByteLength(P(14, 6, -1, true))).toBe(12291);
    expect(fullByteLength(P(16, 5, -1, true))).toBe(40963);
  });

  // SPEC §5: largest nfilled that is still SPARSE
  const cutoffs: Array<[number, number, number]> = [
    [10, 5, 341],
    [11, 3, 438],
    [11, 4, 546],
    [11, 5, 639],
    [14, 5, 4311],
    [14, 6, 4915],
    [16, 5, 15603],
  ];
  it.each(cutoffs)('(%i,%i) is SPARSE up to %i filled registers and FULL from one more', (log2m, regwidth, cutoff) => {
    const params = P(log2m, regwidth, -1, true);
    expect(registerTypeFor(params, cutoff)).toBe('SPARSE');
    expect(registerTypeFor(params, cutoff + 1)).toBe('FULL');
    expect(registerTypeFor({ ...params, sparseon: false }, 0)).toBe('FULL');
  });

  it('is SPARSE at the (14,6) cutoff even though both forms take 12291 bytes', () => {
    const params = P(14, 6, -1, true);
    expect(sparseByteLength(params, 4915)).toBe(fullByteLength(params));
    expect(registerTypeFor(params, 4915)).toBe('SPARSE');
  });
});
