/**
 * Sketches the server wrote, read by reachtree: the same registers (re-encoded bytes, filled
 * count, hll_cardinality) and the same state (adding the next ids gives the server's next
 * sketch). Then bytes no writer should produce: encodings the extension tolerates, and a seeded
 * fuzz of corrupted sketches: whatever the server rejects, reachtree rejects with a typed
 * E_FORMAT_* error; whatever both accept, they estimate alike.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReachtreeError } from '../../src/errors.js';
import { bytesToHex, HllSketch, hexToBytes } from '../../src/sketch/index.js';
import { connectPg, pgUrlOrSkip } from '../support/pg.js';
import { checkpoints, paramsOf, seededRandom, SETTINGS, standardIdSets, type Setting } from './fixtures.js';
import { createIdTable, hexDifference, REPRESENTATION_OF_TYPE, serverPrefixSketches, uploadIdSet, type ServerSketch } from './server.js';

const url = pgUrlOrSkip();
const sets = standardIdSets();

/** What the server makes of arbitrary `\x…` text: rejected by hll_in, or accepted with a cardinality (or its error). */
interface Probe {
  readonly input: string;
  readonly verdict: 'reject' | 'card' | 'card-error';
  readonly detail: string;
  /** hll_union(x, x): the extension's own re-serialisation; null unless accepted. */
  readonly normal: string | null;
}

const PROBE_FUNCTION = `
CREATE FUNCTION pg_temp.probe(t text, OUT verdict text, OUT detail text, OUT normal text) LANGUAGE plpgsql AS $$
DECLARE h hll;
BEGIN
  BEGIN h := t::hll; EXCEPTION WHEN others THEN verdict := 'reject'; detail := SQLERRM; RETURN; END;
  BEGIN normal := hll_union(h, h)::text; EXCEPTION WHEN others THEN normal := NULL; END;
  BEGIN verdict := 'card'; detail := coalesce(hll_cardinality(h)::text, 'null');
  EXCEPTION WHEN others THEN verdict := 'card-error'; detail := SQLERRM; END;
END $$`;

async function probe(client: pg.Client, inputs: readonly string[]): Promise<Probe[]> {
  const r = await client.query<Omit<Probe, 'input'> & { input: string }>(
    'SELECT t AS input, (pg_temp.probe(t)).* FROM unnest($1::text[]) WITH ORDINALITY AS u(t, i) ORDER BY i',
    [inputs],
  );
  return r.rows;
}

function parseCard(text: string): number | null {
  return text === 'null' ? null : Number(text);
}

/** reachtree's reading of bytes: the sketch, or the typed error it threw. */
function read(hex: string): HllSketch | ReachtreeError {
  try {
    return HllSketch.fromHex(hex);
  } catch (e: unknown) {
    if (e instanceof ReachtreeError) return e;
    throw new Error(`fromHex(${hex.slice(0, 40)}…) threw an untyped error: ${String(e)}`, { cause: e });
  }
}

describe.skipIf(url === null)('interop: sketches written by the server, read by reachtree (PostgreSQL hll)', () => {
  let client: pg.Client;

  beforeAll(async () => {
    client = await connectPg(url as string);
    await createIdTable(client);
    await uploadIdSet(client, sets.hex);
    await client.query(PROBE_FUNCTION);
  });
  afterAll(async () => {
    await client?.end();
  });

  for (const s of SETTINGS) {
    const set = sets.hex;
    const ns = checkpoints(s, set);
    it(`${s.label}: server sketches at n = ${ns.join(', ')} decode to the same registers and state`, async () => {
      const server = await serverPrefixSketches(client, set, s, ns);
      for (let k = 0; k < ns.length; k++) {
        const n = ns[k] as number;
        const expected = server.get(n) as ServerSketch;
        const where = `${s.label}, n = ${n}`;
        const sketch = HllSketch.fromHex(expected.hex);
        expect(sketch.params, where).toEqual(paramsOf(s));
        expect(sketch.representation, where).toBe(REPRESENTATION_OF_TYPE[expected.type]);
        expect(hexDifference(sketch.toHex(), expected.hex), where).toBeNull();
        expect(sketch.classicCardinality(), where).toBe(expected.card);
        if (expected.filled !== null) expect(sketch.filledRegisters(), where).toBe(expected.filled);
        // fromBytes reads the same as fromHex
        expect(hexDifference(bytesToHex(HllSketch.fromBytes(hexToBytes(expected.hex)).toBytes()), expected.hex), where).toBeNull();
        // the decoded sketch carries on exactly like the server's would
        const next = ns[k + 1];
        if (next === undefined) continue;
        for (let i = n; i < next; i++) sketch.addHash(set.hashes[2 * i] as number, set.hashes[2 * i + 1] as number);
        expect(hexDifference(sketch.toHex(), (server.get(next) as ServerSketch).hex), `${where} + ids up to ${next}`).toBeNull();
      }
    });
  }

  it('encodings the extension tolerates are read alike or refused with a typed error', async () => {
    // (11,5) SPARSE words are 16 bits: 0xaec2 = index 1398 value 2, 0x45e2 = index 559 value 2
    const tolerated = [
      '\\x138b40aec245e2', // words out of index order
      '\\x138b4045e20000', // a trailing zero word (index 0, value 0)
      '\\x138b4045e20000aec2', // a zero word in the middle
      '\\x138b40aec2aec5', // the same index twice, the larger value last
      '\\x138b40aec5aec2', // the same index twice, the smaller value last (the extension assigns)
      '\\x138bc045e2', // bit 7 of the third header byte set
      '\\x118bff', // EMPTY with that bit set
      '\\x13ab40aec17f', // (11,6) SPARSE: one 17-bit word, the 7 padding bits set
      '\\x12ab7f0000000000000001', // EXPLICIT whose only hash sets no register
    ];
    const probes = await probe(client, tolerated);
    for (const p of probes) {
      expect(p.verdict, p.input).toBe('card');
      const ours = read(p.input);
      if (ours instanceof ReachtreeError) {
        expect(ours.code, p.input).toMatch(/^E_FORMAT_/);
        continue;
      }
      expect(ours.classicCardinality(), p.input).toBe(parseCard(p.detail));
      expect(hexDifference(ours.toHex(), p.normal as string), p.input).toBeNull();
      const twice = ours.clone();
      twice.union(ours);
      expect(hexDifference(twice.toHex(), p.normal as string), `${p.input} ∪ itself`).toBeNull();
    }
  });

  it('fuzz: 3000 corrupted sketches; what the server rejects reachtree rejects, what both accept they estimate alike', async () => {
    const pool: string[] = [];
    const sources: Setting[] = SETTINGS.filter((s) => s.log2m <= 12);
    for (const s of sources) {
      const server = await serverPrefixSketches(client, sets.hex, s, checkpoints(s, sets.hex).filter((n) => n <= 3000));
      for (const sk of server.values()) pool.push(sk.hex);
    }
    pool.push('\\x108b7f', '\\x10ae00');
    const next = seededRandom(0xf022);
    const mutants: string[] = [];
    for (let k = 0; k < 3000; k++) mutants.push(bytesToHex(mutate(hexToBytes(pool[next() % pool.length] as string), next)));

    const probes = await probe(client, mutants);
    let rejectedByBoth = 0;
    let comparedEstimates = 0;
    for (const p of probes) {
      const ours = read(p.input);
      if (p.verdict === 'reject') {
        expect(ours instanceof ReachtreeError ? ours.code : 'accepted', `${p.input.slice(0, 60)}: server says ${p.detail}`).toMatch(/^E_FORMAT_/);
        rejectedByBoth++;
      } else if (p.verdict === 'card' && !(ours instanceof ReachtreeError)) {
        expect(ours.classicCardinality(), p.input.slice(0, 60)).toBe(parseCard(p.detail));
        comparedEstimates++;
      }
    }
    // the fuzz exercises both paths, not just one
    expect(rejectedByBoth).toBeGreaterThan(300);
    expect(comparedEstimates).toBeGreaterThan(300);
  });
});

/** One random corruption of valid sketch bytes: truncation, extra bytes, bit flips, header fields, explicit order. */
function mutate(src: Uint8Array, next: () => number): Uint8Array {
  const bytes = Uint8Array.from(src);
  const pick = (n: number) => next() % n;
  switch (pick(12)) {
    case 0:
      return bytes.subarray(0, Math.max(0, bytes.length - 1 - pick(9)));
    case 1: {
      const extra = Uint8Array.from({ length: 1 + pick(9) }, () => pick(256));
      const out = new Uint8Array(bytes.length + extra.length);
      out.set(bytes);
      out.set(extra, bytes.length);
      return out;
    }
    case 2:
      if (bytes.length > 0) {
        const bit = pick(bytes.length * 8);
        bytes[bit >> 3] = (bytes[bit >> 3] as number) ^ (1 << (bit & 7));
      }
      return bytes;
    case 3: {
      const bit = pick(24);
      bytes[bit >> 3] = (bytes[bit >> 3] as number) ^ (1 << (bit & 7));
      return bytes;
    }
    case 4:
      bytes[0] = ((bytes[0] as number) & 0xf0) | pick(16);
      return bytes;
    case 5:
      bytes[0] = ((bytes[0] as number) & 0x0f) | (pick(16) << 4);
      return bytes;
    case 6:
      bytes[1] = pick(256);
      return bytes;
    case 7:
      bytes[2] = pick(256);
      return bytes;
    case 8: {
      // swap two explicit elements (descending order) or, elsewhere, two body bytes
      const k = Math.floor((bytes.length - 3) / 8);
      if (((bytes[0] as number) & 0x0f) === 2 && k >= 2) {
        const i = pick(k - 1);
        const a = bytes.slice(3 + 8 * i, 11 + 8 * i);
        bytes.copyWithin(3 + 8 * i, 11 + 8 * i, 19 + 8 * i);
        bytes.set(a, 11 + 8 * i);
      } else if (bytes.length > 4) {
        const i = 3 + pick(bytes.length - 3);
        const j = 3 + pick(bytes.length - 3);
        [bytes[i], bytes[j]] = [bytes[j] as number, bytes[i] as number];
      }
      return bytes;
    }
    case 9: {
      // repeat an explicit element (duplicate) or the last body byte
      const k = Math.floor((bytes.length - 3) / 8);
      const from = ((bytes[0] as number) & 0x0f) === 2 && k >= 1 ? 3 + 8 * pick(k) : Math.max(0, bytes.length - 1);
      const len = ((bytes[0] as number) & 0x0f) === 2 && k >= 1 ? 8 : 1;
      const out = new Uint8Array(bytes.length + len);
      out.set(bytes.subarray(0, from + len));
      out.set(bytes.subarray(from, from + len), from + len);
      out.set(bytes.subarray(from + len), from + 2 * len);
      return out;
    }
    case 10:
      return Uint8Array.from({ length: pick(41) }, (_, i) => (i === 0 && pick(2) === 0 ? 0x10 | pick(8) : pick(256)));
    default:
      if (bytes.length > 3) bytes[3 + pick(bytes.length - 3)] = pick(2) === 0 ? 0xff : 0x00;
      return bytes;
  }
}
