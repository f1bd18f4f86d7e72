/**
 * src/hash against the real extension: every hll_hash_* function, for the standard id sets and
 * hand-picked edge values, with the default seed and with seeds whose 32-bit pattern matters.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hllHashBigint,
  hllHashBoolean,
  hllHashBytea,
  hllHashInteger,
  hllHashSmallint,
  hllHashText,
  murmurHash3x64h1,
} from '../../src/hash/index.js';
import { connectPg, pgUrlOrSkip } from '../support/pg.js';
import { bytesToHex } from '../../src/sketch/index.js';
import { adversarialIds, hexIds, ID_SET_SIZE, seededRandom, SPECIAL_IDS } from './fixtures.js';
import { listDifference } from './server.js';

const url = pgUrlOrSkip();

/** Seeds whose int4 → u32 conversion differs in every way that could go wrong. */
const SEEDS = [0, 1, 123, -1, 2147483647, -2147483648] as const;

/** Server-side hashes of a list of inputs (sent as one text[]), in input order, as int8 text. */
async function serverHashes(client: pg.Client, expr: string, inputs: readonly string[], seed: number): Promise<string[]> {
  const r = await client.query<{ h: string }>(
    `SELECT ${expr}::text AS h FROM unnest($1::text[]) WITH ORDINALITY AS u(v, i) ORDER BY i`,
    [inputs, seed],
  );
  return r.rows.map((row) => row.h);
}

/** `null` when equal, else which inputs' hashes differ (compared as int8 text). */
function firstMismatch(inputs: readonly string[], ours: readonly bigint[], server: readonly string[]): string | null {
  return listDifference(inputs.map((v, i) => `#${i} ${JSON.stringify(v)}`), ours.map(String), server);
}

function randomBytes(next: () => number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = next() & 0xff;
  return bytes;
}

const toHex = (bytes: Uint8Array): string => bytesToHex(bytes, '');

describe.skipIf(url === null)('interop: hll_hash_* (PostgreSQL hll)', () => {
  let client: pg.Client;

  beforeAll(async () => {
    client = await connectPg(url as string);
  });
  afterAll(async () => {
    await client?.end();
  });

  it('hllHashText equals hll_hash_text for 100 000 random hex ids and 100 000 adversarial ids', async () => {
    for (const ids of [hexIds(ID_SET_SIZE, 0x5eed_0001), adversarialIds(ID_SET_SIZE, 0x5eed_0002)]) {
      const server = await serverHashes(client, 'hll_hash_text(v, $2)', ids, 0);
      expect(firstMismatch(ids, ids.map((id) => hllHashText(id)), server)).toBeNull();
    }
  });

  it('hllHashText equals hll_hash_text with seeds 0, 1, 123, -1, 2^31-1 and -2^31', async () => {
    const ids = [...SPECIAL_IDS, ...adversarialIds(2000, 77)];
    for (const seed of SEEDS) {
      const server = await serverHashes(client, 'hll_hash_text(v, $2)', ids, seed);
      expect(firstMismatch(ids, ids.map((id) => hllHashText(id, seed)), server), `seed ${seed}`).toBeNull();
    }
  });

  it('hllHashBytea equals hll_hash_bytea for every length 0..80, high bytes included', async () => {
    const next = seededRandom(99);
    const inputs: Uint8Array[] = [];
    for (let len = 0; len <= 80; len++) {
      for (let k = 0; k < 4; k++) inputs.push(randomBytes(next, len));
      inputs.push(new Uint8Array(len).fill(0xff));
      inputs.push(new Uint8Array(len));
    }
    const hexes = inputs.map(toHex);
    for (const seed of SEEDS) {
      const server = await serverHashes(client, `hll_hash_bytea(decode(v, 'hex'), $2)`, hexes, seed);
      expect(firstMismatch(hexes, inputs.map((b) => hllHashBytea(b, seed)), server), `seed ${seed}`).toBeNull();
    }
  });

  it('murmurHash3x64h1 over a byte range inside a larger buffer equals hll_hash_bytea of that range', async () => {
    const next = seededRandom(7);
    const buffer = randomBytes(next, 4096);
    const ranges: Array<[number, number]> = [];
    for (let k = 0; k < 300; k++) {
      const start = next() % 4000;
      ranges.push([start, start + (next() % 90)]);
    }
    const hexes = ranges.map(([s, e]) => toHex(buffer.subarray(s, e)));
    const out = new Uint32Array(2);
    const ours = ranges.map(([s, e]) => {
      murmurHash3x64h1(buffer, s, e, 123, out);
      return BigInt.asIntN(64, (BigInt(out[1] as number) << 32n) | BigInt(out[0] as number));
    });
    const server = await serverHashes(client, `hll_hash_bytea(decode(v, 'hex'), $2)`, hexes, 123);
    expect(firstMismatch(hexes, ours, server)).toBeNull();
  });

  it('hllHashBigint, hllHashInteger and hllHashSmallint equal the server for edge and random values', async () => {
    const next = seededRandom(2024);
    const random64 = () => BigInt.asIntN(64, (BigInt(next()) << 32n) | BigInt(next()));
    const bigints = [0n, 1n, -1n, 42n, 2n ** 31n, -(2n ** 31n), 2n ** 32n, 2n ** 63n - 1n, -(2n ** 63n), ...Array.from({ length: 500 }, random64)];
    const integers = [0, 1, -1, 42, 2147483647, -2147483648, 65536, ...Array.from({ length: 500 }, () => next() | 0)];
    const smallints = [0, 1, -1, 42, 32767, -32768, 255, 256, ...Array.from({ length: 300 }, () => ((next() & 0xffff) << 16) >> 16)];
    for (const seed of SEEDS) {
      const b = bigints.map(String);
      expect(firstMismatch(b, bigints.map((v) => hllHashBigint(v, seed)), await serverHashes(client, 'hll_hash_bigint(v::int8, $2)', b, seed))).toBeNull();
      const i = integers.map(String);
      expect(firstMismatch(i, integers.map((v) => hllHashInteger(v, seed)), await serverHashes(client, 'hll_hash_integer(v::int4, $2)', i, seed))).toBeNull();
      const s = smallints.map(String);
      expect(firstMismatch(s, smallints.map((v) => hllHashSmallint(v, seed)), await serverHashes(client, 'hll_hash_smallint(v::int2, $2)', s, seed))).toBeNull();
    }
  });

  it('hllHashBoolean equals hll_hash_boolean for true and false', async () => {
    for (const seed of SEEDS) {
      const inputs = ['false', 'true'];
      const server = await serverHashes(client, 'hll_hash_boolean(v::boolean, $2)', inputs, seed);
      expect(firstMismatch(inputs, [hllHashBoolean(false, seed), hllHashBoolean(true, seed)], server)).toBeNull();
    }
  });
});
