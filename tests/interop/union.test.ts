/**
 * HllSketch.union against hll_union (both argument orders) and hll_union_agg: for every setting
 * of the cover, every pair of representations the setting can produce (fixtures.ts `shapes`:
 * EMPTY, EXPLICIT, EXPLICIT holding T hashes, SPARSE, FULL, over overlapping id ranges), each
 * shape with itself, UNDEFINED on either side, and all shapes folded at once. Then parameter
 * mismatches: the same typed error, with the server's message word for word.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReachtreeError } from '../../src/errors.js';
import { bytesToHex, HllSketch } from '../../src/sketch/index.js';
import { connectPg, pgErrorOf, pgUrlOrSkip } from '../support/pg.js';
import { EXTENSION_DEFAULT, headerBytes, paramsOf, REACHTREE_DEFAULT, SETTINGS, SHAPE_TYPE, shapes, standardIdSets, type IdSet, type Setting, type Shape } from './fixtures.js';
import { createIdTable, hexDifference, settingParams, sketchSql, uploadIdSet } from './server.js';

const url = pgUrlOrSkip();
const sets = standardIdSets();

function build(s: Setting, set: IdSet, shape: Shape): HllSketch {
  const sketch = HllSketch.empty(paramsOf(s));
  for (let i = shape.from; i < shape.to; i++) sketch.addHash(set.hashes[2 * i] as number, set.hashes[2 * i + 1] as number);
  return sketch;
}

function union(a: HllSketch, b: HllSketch): HllSketch {
  const out = a.clone();
  out.union(b);
  return out;
}

interface PairRow {
  i: number;
  j: number;
  a: string;
  a_type: number;
  b: string;
  b_type: number;
  ab: string;
  ba: string;
  agg: string;
  card: number | null;
}

/** Server sketches of every shape `sh(k, h)` (1-based k), as SQL ahead of a query over them. */
function shapesCte(): string {
  return `WITH sh AS MATERIALIZED (
            SELECT k::int AS k, ${sketchSql('$1', 'f', 't', 4)} AS h
              FROM unnest($2::int[], $3::int[]) WITH ORDINALITY AS u(f, t, k))`;
}

function shapeArgs(set: IdSet, list: readonly Shape[], s: Setting): unknown[] {
  return [set.name, list.map((x) => x.from), list.map((x) => x.to), ...settingParams(s)];
}

async function serverPairs(client: pg.Client, s: Setting, set: IdSet, list: readonly Shape[]): Promise<PairRow[]> {
  const r = await client.query<PairRow>(
    `${shapesCte()}
     SELECT a.k AS i, b.k AS j, a.h::text AS a, hll_type(a.h) AS a_type, b.h::text AS b, hll_type(b.h) AS b_type,
            hll_union(a.h, b.h)::text AS ab, hll_union(b.h, a.h)::text AS ba,
            (SELECT hll_union_agg(x) FROM (VALUES (a.h), (b.h)) AS v(x))::text AS agg,
            hll_cardinality(hll_union(a.h, b.h)) AS card
       FROM sh AS a JOIN sh AS b ON a.k <= b.k
      ORDER BY a.k, b.k`,
    shapeArgs(set, list, s),
  );
  return r.rows;
}

describe.skipIf(url === null)('interop: union equals hll_union and hll_union_agg (PostgreSQL hll)', () => {
  let client: pg.Client;

  beforeAll(async () => {
    client = await connectPg(url as string);
    await createIdTable(client);
    await uploadIdSet(client, sets.hex);
    await uploadIdSet(client, sets.adversarial);
  });
  afterAll(async () => {
    await client?.end();
  });

  const cases: Array<[Setting, IdSet]> = [
    ...SETTINGS.map((s): [Setting, IdSet] => [s, sets.hex]),
    [EXTENSION_DEFAULT, sets.adversarial],
    [REACHTREE_DEFAULT, sets.adversarial],
  ];

  for (const [s, set] of cases) {
    const list = shapes(s, set);
    it(`${s.label} × ${set.name} ids: every pair of ${list.map((x) => x.name).join(', ')} unions like the server, both orders`, async () => {
      const sketches = list.map((shape) => build(s, set, shape));
      const rows = await serverPairs(client, s, set, list);
      expect(rows.length).toBe((list.length * (list.length + 1)) / 2);
      for (const row of rows) {
        const a = sketches[row.i - 1] as HllSketch;
        const b = sketches[row.j - 1] as HllSketch;
        const where = `${s.label}, ${list[row.i - 1]?.name} ∪ ${list[row.j - 1]?.name}`;
        // the inputs are what they claim to be, and equal to the server's
        expect(row.a_type, where).toBe(SHAPE_TYPE[(list[row.i - 1] as Shape).name]);
        expect(row.b_type, where).toBe(SHAPE_TYPE[(list[row.j - 1] as Shape).name]);
        expect(hexDifference(a.toHex(), row.a), where).toBeNull();
        expect(hexDifference(b.toHex(), row.b), where).toBeNull();
        // the server's union is commutative and equal to its aggregate: one expected value
        expect(row.ba, where).toBe(row.ab);
        expect(row.agg, where).toBe(row.ab);
        const ab = union(a, b);
        expect(hexDifference(ab.toHex(), row.ab), `${where}: a ∪ b`).toBeNull();
        expect(hexDifference(union(b, a).toHex(), row.ba), `${where}: b ∪ a`).toBeNull();
        expect(ab.classicCardinality(), where).toBe(row.card);
      }
      // the inputs were not changed by being unioned
      list.forEach((shape, k) => expect(sketches[k]?.toHex(), shape.name).toBe(build(s, set, shape).toHex()));
    });
  }

  it.each(SETTINGS.filter((_, k) => k % 3 === 0).map((s) => [s.label, s] as const))(
    '%s: hll_union_agg over all shapes and UNDEFINED absorbing everything, like the server',
    async (_label, s) => {
      const list = shapes(s, sets.hex);
      const sketches = list.map((shape) => build(s, sets.hex, shape));
      const undefinedHex = bytesToHex(Uint8Array.from(headerBytes(s, 0)));
      const r = await client.query<{ fwd: string; rev: string; card: number | null; with_undef: string[] }>(
        `${shapesCte()}
         SELECT (SELECT hll_union_agg(h ORDER BY k) FROM sh)::text AS fwd,
                (SELECT hll_union_agg(h ORDER BY k DESC) FROM sh)::text AS rev,
                (SELECT hll_cardinality(hll_union_agg(h)) FROM sh) AS card,
                (SELECT array_agg(hll_union($8::text::hll, h)::text || ' ' || hll_union(h, $8::text::hll)::text ORDER BY k) FROM sh) AS with_undef`,
        [...shapeArgs(sets.hex, list, s), undefinedHex],
      );
      const row = r.rows[0];
      if (row === undefined) throw new Error('no row');
      const folded = sketches.reduce((acc, sk) => union(acc, sk), HllSketch.empty(paramsOf(s)));
      const reversed = [...sketches].reverse().reduce((acc, sk) => union(acc, sk), HllSketch.empty(paramsOf(s)));
      expect(hexDifference(folded.toHex(), row.fwd)).toBeNull();
      expect(hexDifference(reversed.toHex(), row.rev)).toBeNull();
      expect(folded.classicCardinality()).toBe(row.card);

      const undef = HllSketch.fromHex(undefinedHex);
      expect(undef.representation).toBe('UNDEFINED');
      expect(undef.classicCardinality()).toBeNull();
      sketches.forEach((sk, k) => {
        expect(`${union(undef, sk).toHex()} ${union(sk, undef).toHex()}`, list[k]?.name).toBe(row.with_undef[k]);
      });
    },
  );

  describe('parameter mismatch: the same typed error, with the server’s message', () => {
    const cases: Array<[string, Setting, Setting, ReachtreeError['code']]> = [
      ['regwidth', EXTENSION_DEFAULT, { ...EXTENSION_DEFAULT, regwidth: 6 }, 'E_PARAM_REGWIDTH_MISMATCH'],
      ['log2m', EXTENSION_DEFAULT, { ...EXTENSION_DEFAULT, log2m: 12 }, 'E_PARAM_LOG2M_MISMATCH'],
      ['expthresh', { ...EXTENSION_DEFAULT, expthresh: 16 }, EXTENSION_DEFAULT, 'E_PARAM_EXPTHRESH_MISMATCH'],
      ['expthresh auto (-1) vs a power of two', EXTENSION_DEFAULT, { ...EXTENSION_DEFAULT, expthresh: 128 }, 'E_PARAM_EXPTHRESH_MISMATCH'],
      ['sparseon', EXTENSION_DEFAULT, { ...EXTENSION_DEFAULT, sparseon: false }, 'E_PARAM_SPARSEON_MISMATCH'],
      ['everything (regwidth is checked first)', EXTENSION_DEFAULT, { label: '', log2m: 14, regwidth: 6, expthresh: 0, sparseon: false }, 'E_PARAM_REGWIDTH_MISMATCH'],
      ['log2m and expthresh (log2m is checked first)', REACHTREE_DEFAULT, { ...REACHTREE_DEFAULT, log2m: 10, expthresh: 1024 }, 'E_PARAM_LOG2M_MISMATCH'],
    ];

    for (const [what, dest, source, code] of cases) {
      it(`${what}: union and union_agg, EMPTY and EXPLICIT/FULL inputs`, async () => {
        for (const [destShape, sourceShape] of [
          ['EMPTY', 'EMPTY'],
          ['EXPLICIT', 'FULL'],
          ['FULL', 'EXPLICIT'],
        ] as const) {
          const destRange = destShape === 'EMPTY' ? [0, 0] : destShape === 'EXPLICIT' ? [0, 5] : [0, 40_000];
          const sourceRange = sourceShape === 'EMPTY' ? [0, 0] : sourceShape === 'EXPLICIT' ? [0, 5] : [0, 40_000];
          const d = build(dest, sets.hex, { name: destShape, from: destRange[0] as number, to: destRange[1] as number });
          const src = build(source, sets.hex, { name: sourceShape, from: sourceRange[0] as number, to: sourceRange[1] as number });
          const args = [d.toHex(), src.toHex()];
          const serverUnion = await pgErrorOf(client, 'SELECT hll_union($1::text::hll, $2::text::hll)', args);
          const serverAgg = await pgErrorOf(client, 'SELECT hll_union_agg(h ORDER BY k) FROM (VALUES (1, $1::text::hll), (2, $2::text::hll)) AS v(k, h)', args);
          expect(serverUnion, `${destShape} ∪ ${sourceShape}`).not.toBeNull();
          expect(serverAgg).toBe(serverUnion);
          let thrown: unknown = null;
          try {
            d.union(src);
          } catch (e: unknown) {
            thrown = e;
          }
          expect(thrown, `${destShape} ∪ ${sourceShape}`).toBeInstanceOf(ReachtreeError);
          expect((thrown as ReachtreeError).code).toBe(code);
          expect((thrown as ReachtreeError).message).toBe(serverUnion);
        }
      });
    }
  });
});
