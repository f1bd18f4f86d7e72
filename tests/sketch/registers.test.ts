import { describe, expect, it } from 'vitest';
import { shapeOf } from '../../src/sketch/params.js';
import { newRegisters, registersFromArray, registersFromEntries, registerValue } from '../../src/sketch/registers.js';
import { HllSketch } from '../../src/sketch/index.js';
import { field, loadVectors } from '../fixtures/vectors.js';
import { addHalves, prng, randomHashes } from './support.js';

const shape = (log2m: number, regwidth: number) => shapeOf({ log2m, regwidth, expthresh: 0, sparseon: true });
const halves = (h: bigint): [number, number] => {
  const u = BigInt.asUintN(64, h);
  return [Number(u & 0xffffffffn), Number(u >> 32n)];
};

describe('registers › hash to (index, value)', () => {
  const rows = loadVectors('single_element.csv');

  it.each(rows.map((r) => [field(r, 'label'), r] as const))('maps %s as the extension does at (11,5) and (14,6)', (_l, row) => {
    const [lo, hi] = halves(BigInt(field(row, 'hash_int64')));
    for (const [p, r, idxCol, valCol] of [
      [11, 5, 'idx_11_5', 'val_11_5'],
      [14, 6, 'idx_14_6', 'val_14_6'],
    ] as const) {
      const v = registerValue(lo, hi, shape(p, r));
      if (field(row, idxCol) === '') {
        expect(v, `${p},${r}`).toBe(0); // w = 0: no register set
      } else {
        expect(lo & (2 ** p - 1)).toBe(Number(field(row, idxCol)));
        expect(v, `${p},${r}`).toBe(Number(field(row, valCol)));
      }
    }
  });

  it('follows the SPEC §3 worked example: user-1 → index 1398, value 2 at (11,5)', () => {
    expect(registerValue(0x12ff3576, 0x61accd4b, shape(11, 5))).toBe(2);
    expect(registerValue(0x12ff3576, 0x61accd4b, shape(14, 6))).toBe(3);
  });

  it('caps at 2^r − 1 and never exceeds 64 − p', () => {
    const [lo, hi] = halves(2n ** 63n);
    expect(registerValue(lo, hi, shape(11, 5))).toBe(31);
    expect(registerValue(lo, hi, shape(14, 6))).toBe(50);
    expect(registerValue(lo, hi, shape(11, 3))).toBe(7);
  });
});

describe('registers › stores', () => {
  it('starts compact, turns dense once more than m/8 registers are filled, and never changes the bytes', () => {
    const sh = shape(10, 5); // denseSwitch = 128
    let regs = newRegisters(sh);
    const reference = new Uint8Array(sh.m);
    const next = prng(21);
    for (let k = 0; k < 4000; k++) {
      const lo = next() | 0;
      const hi = next() | 0;
      regs = regs.add(lo, hi);
      const i = lo & (sh.m - 1);
      reference[i] = Math.max(reference[i]!, registerValue(lo, hi, sh));
      if (k % 97 === 0 || regs.nfilled === 128 || regs.nfilled === 129) {
        // new words are appended and merged when the store is full, so it turns dense at the
        // first full store past 128 filled registers, never before
        if (regs.nfilled <= 128) expect(regs.dense).toBe(false);
        if (regs.nfilled > 128 + 16) expect(regs.dense).toBe(true);
        const other = registersFromArray(sh, reference.slice(), reference.filter((v) => v !== 0).length);
        expect(Buffer.from(regs.toBytes()).toString('hex')).toBe(Buffer.from(other.toBytes()).toString('hex'));
      }
    }
  });

  it('adopts decoded entries in the store their count calls for', () => {
    const sh = shape(10, 5);
    const few = Uint32Array.from({ length: 100 }, (_, i) => (i << 8) | 1);
    const many = Uint32Array.from({ length: 200 }, (_, i) => (i << 8) | 1);
    expect(registersFromEntries(sh, few).dense).toBe(false);
    expect(registersFromEntries(sh, many).dense).toBe(true);
    expect(registersFromEntries(sh, many).get(199)).toBe(1);
    expect(registersFromEntries(sh, few).get(150)).toBe(0);
  });

  it('uses memory in proportion to the filled registers while compact', () => {
    const small = addHalves(HllSketch.empty({ log2m: 14, expthresh: 0 }), randomHashes(prng(2), 50));
    const large = addHalves(HllSketch.empty({ log2m: 14, expthresh: 0 }), randomHashes(prng(2), 1500));
    // about 300 bytes of object headers plus at most 8 bytes per filled register (4 + doubling slack)
    expect(small.estimateMemoryBytes()).toBeLessThan(300 + 8 * 50);
    expect(large.estimateMemoryBytes()).toBeLessThan(300 + 8 * 1500);
    expect(large.estimateMemoryBytes()).toBeLessThan(2 ** 14); // below the dense store's m bytes
  });
});
