/**
 * union: every row of unions.csv (both argument orders, rebuilt inputs, direct build), the
 * extension's parameter-mismatch errors word for word, and the algebraic properties for every
 * pair of representations — byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { ReachtreeError } from '../../src/errors.js';
import { HllSketch, explicitThreshold, type HllParams } from '../../src/sketch/index.js';
import { field, loadVectors, parseFloat8 } from '../fixtures/vectors.js';
import { addHalves, bareHex, buildUsers, paramsOf, prng, randomHashes, typeOf } from './support.js';

function union(a: HllSketch, b: HllSketch): HllSketch {
  const out = a.clone();
  out.union(b);
  return out;
}

describe('union › unions.csv', () => {
  const rows = loadVectors('unions.csv');

  it('has 56 rows (7 settings × 8 pairs)', () => {
    expect(rows).toHaveLength(56);
  });

  it.each(rows.map((r) => [`${field(r, 'setting')} ${field(r, 'pair')}`, r] as const))('reproduces %s', (_t, row) => {
    const params = paramsOf(row);
    const a = HllSketch.fromHex(field(row, 'a_hex'));
    const b = HllSketch.fromHex(field(row, 'b_hex'));
    expect(a.representation).toBe(typeOf(field(row, 'a_type')));
    expect(b.representation).toBe(typeOf(field(row, 'b_type')));
    expect(a.classicCardinality()).toBe(parseFloat8(field(row, 'a_card')));
    expect(b.classicCardinality()).toBe(parseFloat8(field(row, 'b_card')));

    const ab = union(a, b);
    const ba = union(b, a);
    expect(bareHex(ab)).toBe(field(row, 'union_hex'));
    expect(bareHex(ba)).toBe(field(row, 'union_hex'));
    expect(ab.representation).toBe(typeOf(field(row, 'union_type')));
    expect(ab.classicCardinality()).toBe(parseFloat8(field(row, 'union_card')));

    // the inputs rebuilt from their id ranges, and the union built directly from all ids
    const [aFrom, aTo, bFrom, bTo] = ['a_from', 'a_to', 'b_from', 'b_to'].map((c) => Number(field(row, c))) as [number, number, number, number];
    expect(bareHex(buildUsers(params, aFrom, aTo))).toBe(field(row, 'a_hex'));
    expect(bareHex(buildUsers(params, bFrom, bTo))).toBe(field(row, 'b_hex'));
    const direct = buildUsers(params, Math.min(aFrom, bFrom), Math.max(aTo, bTo));
    if (aTo >= aFrom) expect(bareHex(direct)).toBe(field(row, 'union_hex')); // ranges overlap or touch
  });
});

describe('union › parameter mismatch', () => {
  const base: HllParams = { log2m: 11, regwidth: 5, expthresh: -1, sparseon: true };
  const cases: Array<[string, HllParams, HllParams, string, string]> = [
    ['regwidth', base, { ...base, regwidth: 6 }, 'E_PARAM_REGWIDTH_MISMATCH', 'register width does not match: source uses 6 and dest uses 5'],
    ['log2m', base, { ...base, log2m: 12 }, 'E_PARAM_LOG2M_MISMATCH', 'register count does not match: source uses 4096 and dest uses 2048'],
    ['expthresh', base, { ...base, expthresh: 16 }, 'E_PARAM_EXPTHRESH_MISMATCH', 'explicit threshold does not match: source uses 16 and dest uses -1'],
    ['auto vs an equal explicit threshold', base, { ...base, expthresh: 128 }, 'E_PARAM_EXPTHRESH_MISMATCH', 'explicit threshold does not match: source uses 128 and dest uses -1'],
    ['sparseon', base, { ...base, sparseon: false }, 'E_PARAM_SPARSEON_MISMATCH', 'sparse enable does not match: source uses 0 and dest uses 1'],
    ['everything: regwidth is reported first', base, { log2m: 14, regwidth: 6, expthresh: 0, sparseon: false }, 'E_PARAM_REGWIDTH_MISMATCH', 'register width does not match: source uses 6 and dest uses 5'],
    ['log2m before expthresh', base, { ...base, log2m: 10, expthresh: 1024 }, 'E_PARAM_LOG2M_MISMATCH', 'register count does not match: source uses 1024 and dest uses 2048'],
  ];

  it.each(cases)('rejects a %s mismatch with the extension’s message, even for EMPTY sketches', (_t, dest, source, code, message) => {
    for (const n of [0, 50]) {
      const d = buildUsers(dest, 1, n);
      const before = d.toHex();
      let thrown: unknown;
      try {
        d.union(buildUsers(source, 1, n));
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(ReachtreeError);
      expect((thrown as ReachtreeError).code).toBe(code);
      expect((thrown as ReachtreeError).message).toBe(message);
      expect(d.toHex()).toBe(before); // unchanged
    }
  });
});

// --- properties for every pair of representations ----------------------------------------------

interface Specimen {
  readonly name: string;
  /** the hashes it was built from (null for UNDEFINED) */
  readonly hashes: Int32Array | null;
  readonly sketch: HllSketch;
}

/**
 * One sketch per representation (and per in-memory store, for the register ones) with
 * `params`, each from its own random hashes, some shared with the others.
 */
function specimens(params: HllParams, seed: number): Specimen[] {
  const next = prng(seed);
  const shared = randomHashes(next, 8);
  const make = (name: string, count: number): Specimen => {
    const own = randomHashes(next, count);
    const hashes = new Int32Array(own.length + shared.length);
    hashes.set(own);
    hashes.set(shared, own.length);
    return { name, hashes, sketch: addHalves(HllSketch.empty(params), hashes) };
  };
  const m = 2 ** params.log2m;
  const undefinedBytes = HllSketch.empty(params).toBytes();
  undefinedBytes[0] = 0x10;
  const list: Specimen[] = [
    { name: 'EMPTY', hashes: new Int32Array(0), sketch: HllSketch.empty(params) },
    { name: 'UNDEFINED', hashes: null, sketch: HllSketch.fromBytes(undefinedBytes) },
    make('EXPLICIT', 10),
    // two of these exceed T together: EXPLICIT ∪ EXPLICIT promotes
    make('EXPLICIT (near T)', Math.max(explicitThreshold(params) - 8, 0)),
    make('SPARSE (compact store)', explicitThreshold(params) + m / 32), // just promoted: < m/8 filled
    make('SPARSE (dense store)', m / 4), // > m/8 filled, still under the SPARSE cutoff
    make('FULL', 3 * m),
  ];
  // keep only specimens that came out as the representation they are named after
  return list.filter((s) => s.name === 'EMPTY' || s.name === 'UNDEFINED' || s.sketch.representation === s.name.split(' ')[0]);
}

const SETTINGS: HllParams[] = [
  { log2m: 11, regwidth: 5, expthresh: -1, sparseon: true },
  { log2m: 10, regwidth: 4, expthresh: 32, sparseon: true },
  { log2m: 12, regwidth: 6, expthresh: 0, sparseon: true },
];

describe.each(SETTINGS)('union › properties for every pair of representations, %o', (params) => {
  const all = specimens(params, params.log2m * 100 + params.regwidth);

  it('covers EMPTY, UNDEFINED, EXPLICIT (unless expthresh 0), SPARSE in both stores and FULL', () => {
    const names = all.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['EMPTY', 'UNDEFINED', 'SPARSE (compact store)', 'SPARSE (dense store)', 'FULL']));
    if (params.expthresh !== 0) expect(names).toEqual(expect.arrayContaining(['EXPLICIT', 'EXPLICIT (near T)']));
    // the two SPARSE specimens sit in different in-memory stores (dense = one byte per register)
    const m = 2 ** params.log2m;
    expect(all.find((s) => s.name === 'SPARSE (compact store)')!.sketch.estimateMemoryBytes()).toBeLessThan(m);
    expect(all.find((s) => s.name === 'SPARSE (dense store)')!.sketch.estimateMemoryBytes()).toBeGreaterThanOrEqual(m);
    const near = all.find((s) => s.name === 'EXPLICIT (near T)');
    if (near !== undefined) expect(union(near.sketch, all.find((s) => s.name === 'EXPLICIT')!.sketch).representation).toBe('SPARSE');
  });

  for (const x of all) {
    for (const y of all) {
      it(`is commutative and equals the direct build for ${x.name} × ${y.name}`, () => {
        const xy = union(x.sketch, y.sketch);
        expect(xy.toHex()).toBe(union(y.sketch, x.sketch).toHex());
        if (x.hashes !== null && y.hashes !== null) {
          const direct = addHalves(addHalves(HllSketch.empty(params), x.hashes), y.hashes);
          expect(xy.toHex()).toBe(direct.toHex());
        } else {
          expect(xy.representation).toBe('UNDEFINED');
        }
      });
    }

    it(`is idempotent, has EMPTY as identity and leaves its argument alone for ${x.name}`, () => {
      const before = x.sketch.toHex();
      expect(union(x.sketch, x.sketch).toHex()).toBe(before);
      const self = x.sketch.clone();
      self.union(self);
      expect(self.toHex()).toBe(before);
      const empty = HllSketch.empty(params);
      expect(union(x.sketch, empty).toHex()).toBe(before);
      expect(union(empty, x.sketch).toHex()).toBe(before);
      // the result of EMPTY ∪ x is a copy: adding to it does not reach x
      const copy = union(empty, x.sketch);
      addHalves(copy, randomHashes(prng(1), 500));
      expect(x.sketch.toHex()).toBe(before);
    });
  }

  it('absorb gives the bytes of union for every pair, takes the state of a given-up sketch and empties it', () => {
    for (const x of all) {
      for (const y of all) {
        const dest = x.sketch.clone();
        const given = y.sketch.clone();
        dest.absorb(given);
        expect(dest.toHex()).toBe(union(x.sketch, y.sketch).toHex());
        expect(given.representation).toBe('EMPTY');
      }
    }
    // into an EMPTY sketch: the state itself moves over, later adds to the source cannot reach it
    const y = all.find((s) => s.name === 'EXPLICIT' || s.name === 'FULL')!;
    const empty = HllSketch.empty(params);
    const given = y.sketch.clone();
    empty.absorb(given);
    addHalves(given, randomHashes(prng(2), 500));
    expect(empty.toHex()).toBe(y.sketch.toHex());
  });

  it('is associative for every triple of representations', () => {
    for (const x of all) {
      for (const y of all) {
        for (const z of all) {
          const left = union(union(x.sketch, y.sketch), z.sketch);
          const right = union(x.sketch, union(y.sketch, z.sketch));
          expect(left.toHex(), `${x.name} ∪ ${y.name} ∪ ${z.name}`).toBe(right.toHex());
        }
      }
    }
  });

  it('does not depend on the order of adds', () => {
    for (const s of all) {
      if (s.hashes === null) continue;
      const n = s.hashes.length / 2;
      const next = prng(n + 17);
      const order = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = next() % (i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const shuffled = HllSketch.empty(params);
      for (const i of order) shuffled.addHash(s.hashes[2 * i]!, s.hashes[2 * i + 1]!);
      expect(shuffled.toHex(), s.name).toBe(s.sketch.toHex());
    }
  });

  it('gives the same bytes when pieces of one set are unioned in any grouping', () => {
    const next = prng(5);
    const hashes = randomHashes(next, 3000);
    const whole = addHalves(HllSketch.empty(params), hashes);
    const cuts = [0, 3, 90, 700, 1900, 3000];
    const pieces = cuts.slice(1).map((end, k) => addHalves(HllSketch.empty(params), hashes, cuts[k], end));
    const forward = pieces.reduce((acc, p) => union(acc, p), HllSketch.empty(params));
    const backward = pieces.reduceRight((acc, p) => union(acc, p), HllSketch.empty(params));
    expect(forward.toHex()).toBe(whole.toHex());
    expect(backward.toHex()).toBe(whole.toHex());
  });
});
