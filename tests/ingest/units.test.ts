import { describe, expect, it } from 'vitest';
import { resolveLayout } from '../../src/ingest/ingester.js';
import { resolveIngestOptions } from '../../src/ingest/options.js';
import { UnitRunner, type CellBatch } from '../../src/ingest/units.js';
import { HllSketch, resolveHllParams } from '../../src/sketch/index.js';

const enc = new TextEncoder();
const params = resolveHllParams();

function runner(args = {}): UnitRunner {
  const options = resolveIngestOptions(args);
  const layout = resolveLayout(['subscriber_id', 'platform', 'territory'], options, 'in.csv');
  return new UnitRunner(options, layout, params, 'in.csv');
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
    });
    const b = r.run(7, enc.encode('u4,vk,44701000\nu5,tg,44701000'));
    expect(b).toMatchObject({ unit: 7, lines: 2, rows: 2, newKeys: [{ territory: '44701000', facetValues: ['tg'], line: 2 }] });
    const batch = r.takeCells();
    expect(batch).toMatchObject({ first: 0, last: true });
    expect([...batch.subscriptions]).toEqual([3, 1, 1]);
    expect(HllSketch.fromBytes(batch.bytes.subarray(0, batch.ends[0])).estimate()).toMatchObject({ value: 3, exact: true });
  });

  it('goes on with the same keys after a hand-over (keep): known keys are not reported again, the cells start empty', () => {
    const r = runner();
    r.run(0, enc.encode('u1,vk,44701000\nu2,ok,44701000\n'));
    const handed = r.takeCells(undefined, true);
    expect(handed).toMatchObject({ first: 0, last: true });
    expect([...handed.subscriptions]).toEqual([1, 1]);
    const next = r.run(1, enc.encode('u3,vk,44701000\nu4,tg,44701000\n'));
    expect(next.newKeys).toEqual([{ territory: '44701000', facetValues: ['tg'], line: 2 }]);
    const rest = r.takeCells();
    expect([...rest.subscriptions]).toEqual([1, 0, 1]);
    const at = (j: number) => HllSketch.fromBytes(rest.bytes.subarray(rest.ends[j - 1] ?? 0, rest.ends[j]));
    expect(at(0).estimate().value).toBe(1); // u3 only: u1 left with the hand-over
    expect(at(1).representation).toBe('EMPTY');
    expect(() => r.run(2, enc.encode('u5,vk,44701000\n'))).toThrow(/no units/);
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
  return [...batch.ends].map((end, j) => HllSketch.fromBytes(batch.bytes.subarray(j === 0 ? 0 : batch.ends[j - 1], end)));
}

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

    // By bytes: an EXPLICIT sketch of 4 hashes is 3 + 4 × 8 bytes; a 70-byte batch closes after two.
    const r2 = runner();
    r2.run(0, manyKeys(5, 4));
    const sizes: number[] = [];
    for (let b = r2.takeCells({ maxBytes: 70, maxCells: 100 }); ; b = r2.takeCells({ maxBytes: 70, maxCells: 100 })) {
      sizes.push(b.bytes.length);
      if (b.last) break;
    }
    expect(sizes).toEqual([70, 70, 35]);
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
      expect(new Set([p.bytes.buffer, p.ends.buffer, p.subscriptions.buffer]).size).toBe(3);
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
