/**
 * HllSketch against the PostgreSQL hll 2.17 golden vectors: every row of sketches.csv,
 * single_element.csv, transitions.csv and card_series.csv reproduced — bytes, type, size and
 * hll_cardinality (exact float equality, NaN included) — plus the facade's own API behaviour.
 */
import { describe, expect, it } from 'vitest';
import { ReachtreeError } from '../../src/errors.js';
import { DEFAULT_HLL_PARAMS, HllSketch } from '../../src/sketch/index.js';
import { field, loadVectors, parseFloat8 } from '../fixtures/vectors.js';
import { addUsers, bareHex, buildUsers, paramsOf, typeOf, userHashes } from './support.js';

describe('HllSketch › sketches.csv', () => {
  const rows = loadVectors('sketches.csv');

  it('has 128 rows (16 settings × 8 sizes)', () => {
    expect(rows).toHaveLength(128);
  });

  // one pass per setting: rows come in ascending n
  const settings = [...new Set(rows.map((r) => field(r, 'setting')))];
  it.each(settings)('builds user-1..n for setting %s exactly as the extension', (setting) => {
    const mine = rows.filter((r) => field(r, 'setting') === setting);
    const sketch = HllSketch.empty(paramsOf(mine[0]!));
    let n = 0;
    for (const row of mine) {
      const target = Number(field(row, 'n'));
      addUsers(sketch, n + 1, target);
      n = target;
      const where = `${setting} n=${n}`;
      expect(bareHex(sketch), where).toBe(field(row, 'hex'));
      expect(sketch.representation, where).toBe(typeOf(field(row, 'hll_type')));
      expect(sketch.toBytes().length, where).toBe(Number(field(row, 'nbytes')));
      expect(sketch.classicCardinality(), where).toBe(parseFloat8(field(row, 'cardinality')));
      // reading the extension's bytes gives the same sketch back
      const read = HllSketch.fromHex(field(row, 'hex'));
      expect(bareHex(read), where).toBe(field(row, 'hex'));
      expect(read.classicCardinality(), where).toBe(parseFloat8(field(row, 'cardinality')));
      expect(read.filledRegisters(), where).toBe(sketch.filledRegisters());
    }
  });
});

describe('HllSketch › single_element.csv', () => {
  const rows = loadVectors('single_element.csv');

  it('has 39 rows', () => {
    expect(rows).toHaveLength(39);
  });

  it.each(rows.map((r) => [field(r, 'label'), r] as const))('adds %s like the extension', (_label, row) => {
    const h = BigInt(field(row, 'hash_int64'));
    expect(BigInt.asUintN(64, h).toString(16).padStart(16, '0')).toBe(field(row, 'hash_uint64_hex'));
    const cases: Array<[string, Parameters<typeof HllSketch.empty>[0]]> = [
      ['sparse_11_5_hex', { log2m: 11, regwidth: 5, expthresh: 0, sparseon: true }],
      ['sparse_14_6_hex', { log2m: 14, regwidth: 6, expthresh: 0, sparseon: true }],
      ['full_4_5_hex', { log2m: 4, regwidth: 5, expthresh: 0, sparseon: false }],
    ];
    for (const [column, params] of cases) {
      const s = HllSketch.empty(params);
      s.addHashBigInt(h);
      expect(bareHex(s), column).toBe(field(row, column));
      // the unsigned spelling of the same 64 bits is the same hash
      const u = HllSketch.empty(params);
      u.addHashBigInt(BigInt.asUintN(64, h));
      expect(bareHex(u), column).toBe(field(row, column));
    }
  });
});

describe('HllSketch › transitions.csv', () => {
  const rows = loadVectors('transitions.csv');

  it('has 26 rows', () => {
    expect(rows).toHaveLength(26);
  });

  const settings = [...new Set(rows.map((r) => field(r, 'setting')))];
  it.each(settings)('changes representation at the same n, with the same bytes, for %s', (setting) => {
    const mine = rows.filter((r) => field(r, 'setting') === setting);
    const sketch = HllSketch.empty(paramsOf(mine[0]!));
    let n = 0;
    for (const row of mine) {
      for (const side of ['before', 'after'] as const) {
        const target = Number(field(row, `n_${side}`));
        addUsers(sketch, n + 1, target);
        n = target;
        const where = `${setting} n=${n}`;
        expect(sketch.representation, where).toBe(typeOf(field(row, `type_${side}`)));
        expect(sketch.toBytes().length, where).toBe(Number(field(row, `nbytes_${side}`)));
        expect(sketch.classicCardinality(), where).toBe(parseFloat8(field(row, `card_${side}`)));
        expect(bareHex(sketch), where).toBe(field(row, `hex_${side}`));
      }
    }
  });
});

describe('HllSketch › card_series.csv', () => {
  const rows = loadVectors('card_series.csv');

  it('has 209 rows (11 settings × 19 sizes up to 10^6)', () => {
    expect(rows).toHaveLength(209);
  });

  const settings = [...new Set(rows.map((r) => field(r, 'setting')))];
  it.each(settings)('gives hll_cardinality bit for bit at every n for %s (NaN included)', (setting) => {
    const mine = rows.filter((r) => field(r, 'setting') === setting);
    userHashes(1_000_000);
    const sketch = HllSketch.empty(paramsOf(mine[0]!));
    let n = 0;
    for (const row of mine) {
      const target = Number(field(row, 'n'));
      addUsers(sketch, n + 1, target);
      n = target;
      expect(sketch.representation, `${setting} n=${n}`).toBe(typeOf(field(row, 'hll_type')));
      expect(sketch.classicCardinality(), `${setting} n=${n}`).toBe(parseFloat8(field(row, 'cardinality')));
    }
  });
});

describe('HllSketch › API', () => {
  it('defaults to reachtree’s parameters (14, 5, -1, on)', () => {
    expect(HllSketch.empty().params).toEqual(DEFAULT_HLL_PARAMS);
    expect(HllSketch.empty().toHex()).toBe('\\x118e7f');
  });

  it('refuses parameters outside the API range with E_CONFIG_PARAMS', () => {
    expect(() => HllSketch.empty({ log2m: 18 })).toThrow(ReachtreeError);
  });

  it('treats an added hash given signed or unsigned, as halves or BigInt, as the same', () => {
    const a = HllSketch.empty({ log2m: 11, expthresh: 0 });
    a.addHash(0x12ff3576, 0x61accd4b);
    a.addHash(0xffffffff, 0xffffffff);
    const b = HllSketch.empty({ log2m: 11, expthresh: 0 });
    b.addHashBigInt(7038226039998199158n);
    b.addHashBigInt(-1n);
    const c = HllSketch.empty({ log2m: 11, expthresh: 0 });
    c.addHash(0x12ff3576 | 0, 0x61accd4b | 0);
    c.addHashBigInt(2n ** 64n - 1n);
    expect(a.toHex()).toBe(b.toHex());
    expect(c.toHex()).toBe(b.toHex());
  });

  it('rejects a BigInt hash outside 64 bits with E_INPUT_VALUE', () => {
    expect(() => HllSketch.empty().addHashBigInt(2n ** 64n)).toThrow(/64-bit/);
  });

  it('keeps duplicates out: adding the same ids twice changes nothing', () => {
    const once = buildUsers({ log2m: 11 }, 1, 500);
    const twice = addUsers(buildUsers({ log2m: 11 }, 1, 500), 1, 500);
    expect(twice.toHex()).toBe(once.toHex());
  });

  it('counts a hash whose upper bits are zero while EXPLICIT, then drops it at promotion (SPEC §10.6)', () => {
    const s = HllSketch.empty({ log2m: 11, expthresh: 1 });
    s.addHashBigInt(2047n); // index 2047, w = 0: sets no register
    expect(s.classicCardinality()).toBe(1);
    s.addHashBigInt(2048n); // promotes: 2047 vanishes, 2048 sets (0, 1)
    expect(s.representation).toBe('SPARSE');
    expect(s.filledRegisters()).toBe(1);
  });

  it('clones deeply: changing the clone leaves the original alone', () => {
    for (const n of [0, 5, 300, 3000]) {
      const s = buildUsers({ log2m: 11 }, 1, n);
      const before = s.toHex();
      const c = s.clone();
      addUsers(c, 5000, 9000);
      expect(s.toHex()).toBe(before);
    }
  });

  it('keeps small sketches small in memory', () => {
    expect(HllSketch.empty().estimateMemoryBytes()).toBeLessThan(100);
    expect(buildUsers({}, 1, 3).estimateMemoryBytes()).toBeLessThan(400); // EXPLICIT, an 8-slot hash set
    expect(buildUsers({ expthresh: 0 }, 1, 100).estimateMemoryBytes()).toBeLessThan(1000); // compact registers
    expect(buildUsers({ expthresh: 0 }, 1, 50_000).estimateMemoryBytes()).toBeLessThan(2 ** 14 + 400); // dense: m bytes
  });
});

describe('HllSketch › wire (between reachtree threads)', () => {
  /** The wire's data copied into a fresh buffer at an aligned offset, as a batch between threads holds it. */
  const carried = (s: HllSketch): HllSketch => {
    const { kind, data } = s.toWire();
    const bytes = new Uint8Array(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    const batch = new Uint8Array(16 + bytes.length);
    batch.set(bytes, 16);
    return HllSketch.fromWire(s.params, kind, batch.subarray(16));
  };

  it('gives the same sketch back, byte for byte, in every state', () => {
    const params = { log2m: 11 }; // T = 160, the compact store up to 256 registers
    for (const users of [0, 1, 7, 160, 161, 300, 5_000]) {
      const s = HllSketch.empty(params);
      addUsers(s, 1, users);
      const back = carried(s);
      expect(back.toHex(), `${users} users`).toBe(s.toHex());
      expect(back.representation).toBe(s.representation);
      // and it goes on like the original
      addUsers(back, 9_000, 9_050);
      addUsers(s, 9_000, 9_050);
      expect(back.toHex()).toBe(s.toHex());
    }
    const undefinedSketch = HllSketch.fromHex('\\x108b7f');
    expect(undefinedSketch.representation).toBe('UNDEFINED');
    expect(carried(undefinedSketch).representation).toBe('UNDEFINED');
    expect(HllSketch.empty(params).toWire().kind).toBe('EMPTY');
  });

  it('names each store: EXPLICIT pairs, COMPACT words, DENSE registers', () => {
    const kinds = [10, 200, 3_000].map((n) => {
      const s = HllSketch.empty({ log2m: 11 });
      addUsers(s, 1, n);
      return s.toWire().kind;
    });
    expect(kinds).toEqual(['EXPLICIT', 'COMPACT', 'DENSE']);
  });

  it('refuses data of the wrong length', () => {
    const params = DEFAULT_HLL_PARAMS;
    expect(() => HllSketch.fromWire(params, 'EXPLICIT', new Uint8Array(12))).toThrow(/not 1…1280 hashes/);
    expect(() => HllSketch.fromWire(params, 'EXPLICIT', new Uint8Array(0))).toThrow(/not 1…1280 hashes/);
    expect(() => HllSketch.fromWire(params, 'COMPACT', new Uint8Array(6))).toThrow(/whole 32-bit words/);
    expect(() => HllSketch.fromWire(params, 'DENSE', new Uint8Array(100))).toThrow(/expected 16384 registers/);
  });
});
