import { describe, expect, it } from 'vitest';
import { resolveLayout } from '../../src/ingest/ingester.js';
import { resolveIngestOptions } from '../../src/ingest/options.js';
import { UnitRunner, batchSketch, ownerOf, type CellBatch, type ForwardPacket } from '../../src/ingest/units.js';
import { HllSketch, resolveHllParams } from '../../src/sketch/index.js';

const enc = new TextEncoder();
const params = resolveHllParams();

function runner(args = {}): UnitRunner {
  const options = resolveIngestOptions(args);
  const layout = resolveLayout(['subscriber_id', 'platform', 'territory'], options, 'in.csv');
  return new UnitRunner(options, layout, params, 'in.csv');
}

/** `count` runners splitting the keys, their packets delivered at once (in order) and their buffers given back; how many hash triples went between them, in how many distinct buffers. */
function partition(count: number): { runners: UnitRunner[]; forwarded: () => number; buffers: () => number } {
  const options = resolveIngestOptions({});
  const layout = resolveLayout(['subscriber_id', 'platform', 'territory'], options, 'in.csv');
  const runners: UnitRunner[] = [];
  let forwarded = 0;
  const buffers = new Set<ArrayBuffer>();
  for (let index = 0; index < count; index++) {
    const send = (peer: number, packet: ForwardPacket): void => {
      forwarded += packet.count;
      buffers.add(packet.hashes.buffer);
      runners[peer]!.receive(index, packet);
      runners[index]!.reuse(peer, packet.hashes);
    };
    runners.push(new UnitRunner(options, layout, params, 'in.csv', { partition: { index, count, send } }));
  }
  return { runners, forwarded: () => forwarded, buffers: () => buffers.size };
}

/** Every cell a runner hands out, with the key it belongs to (territory/platform). */
function cellsOf(r: UnitRunner, keys: Array<{ territory: string; facetValues: readonly string[] }>): Array<{ key: string; subscriptions: number; sketch: HllSketch }> {
  const out: Array<{ key: string; subscriptions: number; sketch: HllSketch }> = [];
  for (;;) {
    const b = r.takeCells({ maxBytes: 1 << 20, maxCells: 5 });
    keys.push(...b.newKeys);
    b.ends.forEach((_, j) => {
      const k = keys[b.first + j]!;
      out.push({ key: `${k.territory}/${k.facetValues[0]}`, subscriptions: b.subscriptions[j]!, sketch: batchSketch(b, j, params) });
    });
    if (b.last) return out;
  }
}

describe('UnitRunner', () => {
  it('reports lines, rows and the keys it saw first, numbering lines from 1 in each unit', () => {
    const r = runner();
    const a = r.run(0, enc.encode('u1,vk,44701000\n\n"u2\nx",vk,44701000\nu3,ok,99\n'));
    expect(a).toEqual({
      unit: 0,
      lines: 5,
      rows: 3,
      rejected: 0,
      error: undefined,
      firstReject: undefined,
      newKeys: [
        { territory: '44701000', facetValues: ['vk'], line: 1 },
        { territory: '99', facetValues: ['ok'], line: 5 },
      ],
      sightings: [],
    });
    const b = r.run(7, enc.encode('u4,vk,44701000\nu5,tg,44701000'));
    expect(b).toMatchObject({ unit: 7, lines: 2, rows: 2, newKeys: [{ territory: '44701000', facetValues: ['tg'], line: 2 }] });
    const batch = r.takeCells();
    expect(batch).toMatchObject({ first: 0, last: true });
    expect([...batch.subscriptions]).toEqual([3, 1, 1]);
    expect(batchSketch(batch, 0, params).estimate()).toMatchObject({ value: 3, exact: true });
  });

  it('stops a unit at its first invalid row in default mode and says where', () => {
    const r = runner();
    const report = r.run(0, enc.encode('u1,vk,44701000\nu2,vk\nu3,vk,44701000\n'));
    expect(report.error).toEqual({
      code: 'E_INPUT_MISSING_COLUMN',
      message: 'row has 2 fields, column 3 is missing',
      line: 2,
      column: 'territory',
      value: undefined,
    });
    // The next unit starts clean.
    expect(r.run(1, enc.encode('u4,ok,44701000\n')).error).toBeUndefined();
  });

  it('counts rejected rows and keeps the first one with skipInvalid', () => {
    const r = runner({ skipInvalid: true });
    const report = r.run(0, enc.encode('u1,vk,44701000\n,vk,44701000\nu3,*,44701000\nu4,tg,44701000\n'));
    expect(report).toMatchObject({
      rows: 4,
      rejected: 2,
      error: undefined,
      firstReject: { line: 2, reason: 'column "subscriber_id": empty subscriber id (value: "")' },
    });
    expect(report.newKeys.map((k) => k.facetValues[0])).toEqual(['vk', 'tg']);
  });
});

/** Rows spreading over `keys` (territory, platform) keys, several ids each. */
function manyKeys(keys: number, rowsPerKey: number): Uint8Array {
  const platforms = ['vk', 'ok', 'tg'];
  let text = '';
  for (let r = 0; r < rowsPerKey; r++) {
    for (let k = 0; k < keys; k++) text += `id-${k}-${r},${platforms[k % 3]},${44701000 + Math.floor(k / 3)}\n`;
  }
  return enc.encode(text);
}

/** Every sketch of a batch, decoded. */
function sketchesOf(batch: CellBatch): HllSketch[] {
  return [...batch.ends].map((_, j) => batchSketch(batch, j, params));
}

describe('UnitRunner in a partition (keys split between runners)', () => {
  it('keeps each key\'s sketch in its owner only; the others count its rows and forward the hashes', () => {
    const { runners, forwarded, buffers } = partition(3);
    const keys = runners.map(() => [] as Array<{ territory: string; facetValues: readonly string[] }>);
    const rows = manyKeys(60, 6);
    // the same rows cut in units that go round the runners
    const text = new TextDecoder().decode(rows).split('\n');
    for (let u = 0; u * 50 < text.length; u++) {
      const r = u % 3;
      keys[r]!.push(...runners[r]!.run(u, enc.encode(text.slice(u * 50, (u + 1) * 50).join('\n'))).newKeys);
    }
    expect(forwarded()).toBeGreaterThan(100);
    expect(buffers()).toBeLessThanOrEqual(3 * 2 * 2); // per sender and peer: the one being filled and the one given back
    const alone = runner();
    const expected = new Map(cellsOf(alone, [...alone.run(0, rows).newKeys]).map((c) => [c.key, c]));
    const got = new Map<string, { subscriptions: number; sketch: HllSketch; owners: number }>();
    runners.forEach((r, i) => {
      for (const c of cellsOf(r, keys[i]!)) {
        const [territory, platform] = c.key.split('/') as [string, string];
        const owned = ownerOf(territory, [platform], 3) === i;
        // only the owner's cell has hashes
        expect(c.sketch.representation === 'EMPTY', c.key).toBe(!owned);
        const g = got.get(c.key) ?? { subscriptions: 0, sketch: HllSketch.empty(params), owners: 0 };
        g.subscriptions += c.subscriptions;
        g.sketch.absorb(c.sketch);
        g.owners += owned ? 1 : 0;
        got.set(c.key, g);
      }
    });
    expect(got.size).toBe(60);
    for (const [key, e] of expected) {
      const g = got.get(key)!;
      expect(g.owners, key).toBe(1);
      expect(g.subscriptions, key).toBe(e.subscriptions);
      expect(Buffer.from(g.sketch.toBytes()), key).toEqual(Buffer.from(e.sketch.toBytes()));
    }
  });

  it('reports a key it first had from another runner once one of its own rows has it, with the line', () => {
    const { runners } = partition(2);
    // a territory whose vk key runner 0 owns
    const territory = ['44701000', '44703000', '44710000', '44712000'].find((t) => ownerOf(t, ['vk'], 2) === 0)!;
    const fromPeer = runners[1]!.run(0, enc.encode(`a,vk,${territory}\n`));
    expect(fromPeer.newKeys).toEqual([{ territory, facetValues: ['vk'], line: 1 }]);
    const own = runners[0]!.run(1, enc.encode(`b,ok,${territory}\nc,vk,${territory}\nd,vk,${territory}\n`));
    // made when the packet came (no line), then seen on line 2; not reported twice
    expect(own.newKeys).toEqual([
      { territory, facetValues: ['vk'], line: undefined },
      { territory, facetValues: ['ok'], line: 1 },
    ]);
    expect(own.sightings).toEqual([{ key: 0, line: 2 }]);
    const cells = cellsOf(runners[0]!, [...own.newKeys]);
    expect(cells.find((c) => c.key === `${territory}/vk`)).toMatchObject({ subscriptions: 2 });
    expect(cells.find((c) => c.key === `${territory}/vk`)!.sketch.estimate().value).toBe(3);
  });

  it('sends a unit\'s hashes in as many packets as they need (32 768 a packet), none lost', () => {
    const { runners, forwarded, buffers } = partition(2);
    // 70 000 rows of one key that runner 1 owns, read by runner 0: three packets in one unit
    const territory = ['44701000', '44703000', '44710000', '44712000'].find((t) => ownerOf(t, ['vk'], 2) === 1)!;
    let text = '';
    for (let i = 0; i < 70_000; i++) text += `id-${i % 50_000},vk,${territory}\n`;
    const keys = [...runners[0]!.run(0, enc.encode(text)).newKeys];
    expect(forwarded()).toBe(70_000);
    expect(buffers()).toBeLessThanOrEqual(2);
    const [read] = cellsOf(runners[0]!, keys);
    expect(read).toMatchObject({ subscriptions: 70_000 });
    expect(read!.sketch.representation).toBe('EMPTY');
    const [owned] = cellsOf(runners[1]!, []);
    expect(owned).toMatchObject({ key: `${territory}/vk`, subscriptions: 0 });
    const alone = HllSketch.empty(params);
    const single = runner();
    single.run(0, enc.encode(text));
    alone.absorb(batchSketch(single.takeCells(), 0, params));
    expect(owned!.sketch.toHex()).toBe(alone.toHex());
  });

  it('spreads keys evenly and tells keys apart whatever the split between territory and facet', () => {
    for (const count of [2, 3, 4]) {
      const counts = Array<number>(count).fill(0);
      for (let t = 0; t < 2000; t++) for (const p of ['vk', 'ok', 'tg']) counts[ownerOf(String(44701000 + 1000 * t), [p], count)]!++;
      expect(Math.min(...counts), `${count} runners`).toBeGreaterThan((6000 / count) * 0.9);
    }
    // neighbouring codes do not go together (FNV's lowest bit alone is a parity of the characters)
    const neighbours = ['44701000', '44703000', '44710000', '44712000', '44714000', '44716000'].map((t) => ownerOf(t, ['vk'], 2));
    expect(new Set(neighbours).size).toBe(2);
    const split = [0, 1, 2, 3, 4, 5, 6, 7].map((n) => ownerOf('ab', ['c'], 1000 + n) === ownerOf('a', ['bc'], 1000 + n));
    expect(split.some((same) => !same)).toBe(true);
  });
});

describe('UnitRunner.takeCells', () => {
  it('hands the cells out in report order, in batches closed at maxCells or once maxBytes is reached', () => {
    const r = runner();
    const keys = r.run(0, manyKeys(10, 4)).newKeys;
    const batches: CellBatch[] = [];
    do batches.push(r.takeCells({ maxBytes: 1 << 20, maxCells: 4 }));
    while (!batches.at(-1)!.last);
    expect(batches.map((b) => [b.first, b.ends.length, b.last])).toEqual([
      [0, 4, false],
      [4, 4, false],
      [8, 2, true],
    ]);
    const subscriptions = batches.flatMap((b) => [...b.subscriptions]);
    expect(subscriptions).toEqual(Array(10).fill(4));
    expect(keys).toHaveLength(10);
    // Four ids per cell, kept exactly (EXPLICIT): the bytes belong to the right cell.
    for (const s of batches.flatMap(sketchesOf)) expect(s.estimate()).toMatchObject({ value: 4, exact: true });

    // By bytes: an EXPLICIT sketch of 4 hashes travels as its 4 × 8 bytes of pairs; a 70-byte batch closes after three.
    const r2 = runner();
    r2.run(0, manyKeys(5, 4));
    const sizes: number[] = [];
    for (let b = r2.takeCells({ maxBytes: 70, maxCells: 100 }); ; b = r2.takeCells({ maxBytes: 70, maxCells: 100 })) {
      sizes.push(b.bytes.length);
      if (b.last) break;
    }
    expect(sizes).toEqual([96, 64]);
  });

  it('gives each batch its own buffers (transferable) and the same bytes as one big batch', () => {
    const rows = manyKeys(30, 3);
    const whole = runner();
    whole.run(0, rows);
    const one = whole.takeCells({ maxBytes: 1 << 30, maxCells: 1 << 30 });
    const split = runner();
    split.run(0, rows);
    const parts: CellBatch[] = [];
    do parts.push(split.takeCells({ maxBytes: 1, maxCells: 1 << 30 }));
    while (!parts.at(-1)!.last);
    expect(parts).toHaveLength(30);
    for (const p of parts) {
      expect(p.bytes.byteOffset).toBe(0);
      expect(p.bytes.buffer.byteLength).toBe(p.bytes.length);
      expect(new Set([p.bytes.buffer, p.ends.buffer, p.kinds.buffer, p.subscriptions.buffer]).size).toBe(4);
    }
    expect(Buffer.concat(parts.map((p) => p.bytes))).toEqual(Buffer.from(one.bytes));
  });

  it('ends the input: no units after the first batch, and an empty last batch once all are taken', () => {
    const r = runner();
    r.run(0, enc.encode('u1,vk,44701000\n'));
    expect(r.takeCells()).toMatchObject({ first: 0, last: true });
    expect(r.takeCells()).toMatchObject({ first: 1, last: true, bytes: new Uint8Array(0) });
    expect(() => r.run(1, enc.encode('u2,vk,44701000\n'))).toThrow(/no units/);
    // A runner that saw no rows has one empty batch.
    const none = runner();
    expect(none.takeCells()).toMatchObject({ first: 0, last: true });
    expect(none.takeCells().ends).toHaveLength(0);
  });
});
