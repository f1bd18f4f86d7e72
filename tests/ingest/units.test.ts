import { describe, expect, it } from 'vitest';
import { resolveLayout } from '../../src/ingest/ingester.js';
import { resolveIngestOptions } from '../../src/ingest/options.js';
import { UnitRunner } from '../../src/ingest/units.js';
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
    const { subscriptions, sketches } = r.cells();
    expect(subscriptions).toEqual([3, 1, 1]);
    expect(HllSketch.fromBytes(sketches[0]!).estimate()).toMatchObject({ value: 3, exact: true });
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
