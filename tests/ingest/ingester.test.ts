import { describe, expect, it } from 'vitest';
import type { Cell } from '../../src/cube/index.js';
import { hllHashText } from '../../src/hash/index.js';
import { Ingester, type CellSource } from '../../src/ingest/ingester.js';
import { resolveIngestOptions } from '../../src/ingest/options.js';
import { HllSketch, resolveHllParams } from '../../src/sketch/index.js';

const enc = new TextEncoder();
const params = resolveHllParams({ log2m: 11, regwidth: 5 });

/** Cells by "territory|platform", made on first request (no tree: every code is accepted). */
class MapCells implements CellSource {
  readonly cells = new Map<string, Cell>();
  cellFor(territory: string, facetValues: string[]): Cell {
    const key = `${territory}|${facetValues.join('|')}`;
    let cell = this.cells.get(key);
    if (cell === undefined) this.cells.set(key, (cell = { subscriptions: 0, sketch: HllSketch.empty(params) }));
    return cell;
  }
}

function expected(ids: readonly string[], seed = 0): HllSketch {
  const s = HllSketch.empty(params);
  for (const id of ids) s.addHashBigInt(hllHashText(id, seed));
  return s;
}

describe('Ingester', () => {
  it('gives each cell the sketch of its ids hashed one by one, across many hash batches and chunk cuts', () => {
    const ids = { vk: [] as string[], tg: [] as string[] };
    let csv = 'subscriber_id,platform,territory\n';
    for (let i = 0; i < 30_000; i++) {
      const platform = i % 3 === 0 ? 'tg' : 'vk';
      const id = `user-${(i * 7919) % 12_000}-${'x'.repeat(i % 70)}`;
      ids[platform].push(id);
      csv += `${id},${platform},44701000\n`;
    }
    const cells = new MapCells();
    const ing = new Ingester({ options: resolveIngestOptions({ hashSeed: 5 }), cells, file: 'in.csv' });
    const bytes = enc.encode(csv);
    for (let at = 0; at < bytes.length; at += 65_521) ing.push(bytes.subarray(at, at + 65_521), false);
    ing.push(new Uint8Array(0), true);
    for (const platform of ['vk', 'tg'] as const) {
      const cell = cells.cells.get(`44701000|${platform}`)!;
      expect(cell.subscriptions).toBe(ids[platform].length);
      expect(cell.sketch.toBytes()).toEqual(expected(ids[platform], 5).toBytes());
    }
  });

  it('hashes quoted ids (rebuilt by the scanner) and ids longer than a hash batch holds like any other', () => {
    const long = 'L'.repeat(300_000);
    const ids = ['plain-1', 'u,1', 'say "hi"', long, 'plain-2'];
    const csv = 'subscriber_id,platform,territory\nplain-1,vk,44701000\n"u,1",vk,44701000\n"say ""hi""",vk,44701000\n' + long + ',vk,44701000\nplain-2,vk,44701000\n';
    const cells = new MapCells();
    const ing = new Ingester({ options: resolveIngestOptions(), cells, file: 'in.csv' });
    ing.push(enc.encode(csv), true);
    const cell = cells.cells.get('44701000|vk')!;
    expect(cell.subscriptions).toBe(5);
    expect(cell.sketch.toBytes()).toEqual(expected(ids).toBytes());
  });

  it('keeps the rows before an invalid one when it stops there (default mode)', () => {
    const cells = new MapCells();
    const ing = new Ingester({ options: resolveIngestOptions(), cells, file: 'in.csv', deferFlush: true });
    const csv = 'subscriber_id,platform,territory\nu1,vk,44701000\nu2,vk,44701000\n,vk,44701000\nu3,vk,44701000\n';
    expect(() => ing.push(enc.encode(csv), true)).toThrow(/in\.csv, line 4.*empty subscriber id/);
    ing.flush();
    const cell = cells.cells.get('44701000|vk')!;
    expect(cell.subscriptions).toBe(2);
    expect(cell.sketch.toBytes()).toEqual(expected(['u1', 'u2']).toBytes());
  });
});
