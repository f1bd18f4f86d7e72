/**
 * HllSketch.classicCardinality against hll_cardinality on register vectors written directly as
 * FULL bytes (storage spec v1: m registers of r bits, MSB first), so every branch of the classic
 * estimator is reached on purpose rather than by the luck of an id set: linear counting for every
 * possible number of zero registers V (the result is m·ln(m/V), so this pins ln to the C
 * library's), the raw estimate, the large-range correction (regwidth 3 and 4) and its NaN
 * (regwidth 6, and regwidth 3 saturated). And src/sketch/log.ts's glibcLog against the server's
 * ln() — the same glibc log() — at every linear-counting argument m/V up to log2m 17.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex, HllSketch } from '../../src/sketch/index.js';
import { glibcLog } from '../../src/sketch/log.js';
import { connectPg, pgUrlOrSkip } from '../support/pg.js';
import { headerBytes, seededRandom } from './fixtures.js';
import { listDifference } from './server.js';

const url = pgUrlOrSkip();

/** `\x…` FULL sketch bytes for registers `regs` (log2m = log2(regs.length)), expthresh 0, sparseon 0. */
function fullHex(regwidth: number, regs: Uint8Array): string {
  const log2m = Math.log2(regs.length);
  const bytes = new Uint8Array(3 + Math.ceil((regs.length * regwidth) / 8));
  bytes.set(headerBytes({ label: '', log2m, regwidth, expthresh: 0, sparseon: false }, 4));
  let bit = 24;
  for (const v of regs) {
    for (let b = regwidth - 1; b >= 0; b--, bit++) if ((v >> b) & 1) bytes[bit >> 3] = (bytes[bit >> 3] as number) | (0x80 >> (bit & 7));
  }
  return bytesToHex(bytes);
}

/** glibcLog(2^log2m / V) for V = 1..2^log2m, at index V − 1 — computed once (≈ 2 s for all 262 128). */
const lnCache = new Map<number, Float64Array>();
function linearCountingLns(log2m: number): Float64Array {
  let lns = lnCache.get(log2m);
  if (lns === undefined) {
    const m = 2 ** log2m;
    lns = new Float64Array(m);
    for (let v = 1; v <= m; v++) lns[v - 1] = glibcLog(m / v);
    lnCache.set(log2m, lns);
  }
  return lns;
}

async function serverCards(client: pg.Client, hexes: readonly string[]): Promise<Array<number | null>> {
  const r = await client.query<{ card: number | null }>(
    'SELECT hll_cardinality(h::hll) AS card FROM unnest($1::text[]) WITH ORDINALITY AS u(h, i) ORDER BY i',
    [hexes],
  );
  return r.rows.map((row) => row.card);
}

describe.skipIf(url === null)('interop: classicCardinality equals hll_cardinality (PostgreSQL hll)', () => {
  let client: pg.Client;

  beforeAll(async () => {
    client = await connectPg(url as string);
  });
  afterAll(async () => {
    await client?.end();
  });

  // glibc's log() is not correctly rounded for 284 of the 262 128 linear-counting arguments m/V
  // (log2m 4..17), 5 of them at log2m ≤ 10 (e.g. m = 256, V = 177); src/sketch/log.ts redoes
  // glibc's computation, so these match too.
  it('linear counting m·ln(m/V) for every V = 1..m-1 at log2m 4..10', async () => {
    const labels: string[] = [];
    const hexes: string[] = [];
    const ours: Array<number | null> = [];
    for (let log2m = 4; log2m <= 10; log2m++) {
      const m = 2 ** log2m;
      for (let zeros = 1; zeros < m; zeros++) {
        // registers of value 1 keep E = α·m²/S below 2.5·m, so the linear-counting branch applies
        const regs = new Uint8Array(m).fill(1, zeros);
        const hex = fullHex(5, regs);
        labels.push(`log2m ${log2m}, V = ${zeros}`);
        hexes.push(hex);
        ours.push(HllSketch.fromHex(hex).classicCardinality());
      }
    }
    expect(listDifference(labels, ours, await serverCards(client, hexes))).toBeNull();
  });

  it('linear counting where glibc with and without FMA differ (20 pairs, log2m 14..17): the server’s FMA result', async () => {
    const labels: string[] = [];
    const hexes: string[] = [];
    const ours: Array<number | null> = [];
    for (let log2m = 4; log2m <= 17; log2m++) {
      const m = 2 ** log2m;
      const lns = linearCountingLns(log2m);
      for (let zeros = 1; zeros < m; zeros++) {
        if (lns[zeros - 1] === glibcLog(m / zeros, 'sse2')) continue;
        const hex = fullHex(5, new Uint8Array(m).fill(1, zeros));
        labels.push(`log2m ${log2m}, V = ${zeros}`);
        hexes.push(hex);
        ours.push(HllSketch.fromHex(hex).classicCardinality());
      }
    }
    expect(labels).toHaveLength(20);
    expect(listDifference(labels, ours, await serverCards(client, hexes))).toBeNull();
  }, 60_000);

  it('glibcLog equals the server’s ln() — the same glibc log() — at all 262 128 arguments m/V, log2m 4..17, V = 1..m', async () => {
    // PostgreSQL's ln(float8) is `log(arg1)` after its zero/negative checks; one array per log2m
    const r = await client.query<{ log2m: number; lns: number[] }>(
      `SELECT p AS log2m, array_agg(ln((1 << p)::float8 / v) ORDER BY v) AS lns
         FROM generate_series(4, 17) AS p, generate_series(1, 1 << p) AS v GROUP BY p ORDER BY p`,
    );
    const labels: string[] = [];
    const ours: number[] = [];
    const server: number[] = [];
    for (const row of r.rows) {
      const m = 2 ** row.log2m;
      const lns = linearCountingLns(row.log2m);
      for (let v = 1; v <= m; v++) {
        labels.push(`ln(2^${row.log2m}/${v})`);
        ours.push(lns[v - 1] as number);
      }
      for (const ln of row.lns) server.push(ln);
    }
    expect(ours).toHaveLength(262_128);
    expect(listDifference(labels, ours, server)).toBeNull();
  }, 60_000);

  it('every branch on 3000 random register vectors: log2m 4..12, regwidth 3..6, fill levels from sparse to saturated', async () => {
    const next = seededRandom(0xca2d);
    const labels: string[] = [];
    const hexes: string[] = [];
    const ours: Array<number | null> = [];
    for (let k = 0; k < 3000; k++) {
      const log2m = 4 + (next() % 9);
      const regwidth = 3 + (next() % 4);
      const m = 2 ** log2m;
      const cap = 2 ** regwidth - 1;
      // n/m from 2^-6 to 2^12: registers ~ max of Poisson(n/m) geometric draws, as real data gives
      const load = 2 ** ((next() % 1900) / 100 - 6);
      const regs = new Uint8Array(m);
      for (let j = 0; j < m; j++) {
        // P(register ≥ v) = 1 - exp(-load·2^-(v-1)); draw by inversion
        const u = (next() + 0.5) / 2 ** 32;
        let v = 0;
        while (v < cap && u < 1 - Math.exp(-load * 2 ** -v)) v++;
        regs[j] = v;
      }
      const hex = fullHex(regwidth, regs);
      labels.push(`log2m ${log2m}, regwidth ${regwidth}, load ${load.toPrecision(3)}`);
      hexes.push(hex);
      ours.push(HllSketch.fromHex(hex).classicCardinality());
    }
    const server = await serverCards(client, hexes);
    // the draw reaches every branch: linear counting (finite), raw/corrected (finite) and NaN
    expect(server.some((c) => c !== null && Number.isNaN(c))).toBe(true);
    expect(listDifference(labels, ours, server)).toBeNull();
  });
});
