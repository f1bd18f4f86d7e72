/**
 * Sketches built by reachtree against hll_add_agg(hll_hash_text(id), log2m, regwidth, expthresh,
 * sparseon): the same storage bytes and the same hll_cardinality (float equality, NaN included),
 * for every setting of the cover and both standard id sets, at the prefix lengths that sit on
 * both sides of each representation change (fixtures.ts `checkpoints`).
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HllSketch } from '../../src/sketch/index.js';
import { connectPg, pgUrlOrSkip } from '../support/pg.js';
import { checkpoints, paramsOf, predictedPrefixTypes, SETTINGS, standardIdSets, type IdSet, type Setting } from './fixtures.js';
import { createIdTable, hexDifference, REPRESENTATION_OF_TYPE, serverPrefixSketches, uploadIdSet } from './server.js';

const url = pgUrlOrSkip();
const sets = standardIdSets();

/** Feeds ids[0, n) for each checkpoint n in one pass, handing the sketch over at each n. */
function buildPrefixes(s: Setting, set: IdSet, ns: readonly number[], visit: (n: number, sketch: HllSketch) => void): void {
  const sketch = HllSketch.empty(paramsOf(s));
  let i = 0;
  for (const n of ns) {
    for (; i < n; i++) sketch.addHash(set.hashes[2 * i] as number, set.hashes[2 * i + 1] as number);
    visit(n, sketch);
  }
}

describe.skipIf(url === null)('interop: reachtree sketches equal hll_add_agg (PostgreSQL hll)', () => {
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

  for (const s of SETTINGS) {
    for (const set of [sets.hex, sets.adversarial]) {
      const ns = checkpoints(s, set);
      it(`${s.label} × ${set.name} ids: same bytes, type and hll_cardinality at n = ${ns.join(', ')}`, async () => {
        const server = await serverPrefixSketches(client, set, s, ns);
        const predicted = predictedPrefixTypes(s, set, ns);
        buildPrefixes(s, set, ns, (n, sketch) => {
          const expected = server.get(n);
          if (expected === undefined) throw new Error(`the server returned no sketch for n = ${n}`);
          const where = `${s.label}, ${set.name} ids, n = ${n}`;
          // the server lands where the spec says, so the boundaries really are being tested
          expect(expected.type, where).toBe(predicted.get(n));
          expect(sketch.representation, where).toBe(REPRESENTATION_OF_TYPE[expected.type]);
          expect(hexDifference(sketch.toHex(), expected.hex), where).toBeNull();
          expect(sketch.classicCardinality(), where).toBe(expected.card);
        });
      });
    }
  }

  it('the checkpoints of the cover reach every representation, EXPLICIT exactly where expthresh != 0', () => {
    for (const set of [sets.hex, sets.adversarial]) {
      const reached = new Set<number>();
      for (const s of SETTINGS) {
        const types = new Set(predictedPrefixTypes(s, set, checkpoints(s, set)).values());
        expect(types.has(1) && types.has(4), `${s.label}: EMPTY and FULL`).toBe(true);
        expect(types.has(2), `${s.label}: EXPLICIT`).toBe(s.expthresh !== 0);
        for (const t of types) reached.add(t);
      }
      expect([...reached].sort()).toEqual([1, 2, 3, 4]);
    }
  });
});
