import { describe, expect, it } from 'vitest';
import type { RolledCell } from '../../src/cube/index.js';
import { hllHashText } from '../../src/hash/index.js';
import { buildReport, reportRow } from '../../src/report/rows.js';
import { HllSketch } from '../../src/sketch/index.js';
import { oktmoTree } from '../../src/territory/index.js';

const tree = oktmoTree();

function sketchOf(n: number, params = {}): HllSketch {
  const s = HllSketch.empty(params);
  for (let i = 0; i < n; i++) s.addHashBigInt(hllHashText(`user-${i}`));
  return s;
}

function cell(code: string, sketch: HllSketch, subscriptions: number, largestExactChild = 0, facetValues = ['*']): RolledCell {
  return { node: tree.resolve(code), facetValues, subscriptions, sketch, largestExactChild };
}

describe('reportRow', () => {
  it('reports an EXPLICIT sketch as an exact count with a zero-width interval', () => {
    const row = reportRow(cell('44000000', sketchOf(100), 250));
    expect(row).toMatchObject({ level: 'region', code: '44000000', parent: 'FEFD', unique: 100, low: 100, high: 100, rse: 0, exact: true });
    expect(row.duplication).toBe(2.5);
    expect(row.clippedBy).toBeUndefined();
  });

  it('reports an estimate with its interval around it', () => {
    const row = reportRow(cell('RU', sketchOf(20_000), 50_000));
    expect(row.exact).toBe(false);
    expect(row.low).toBeLessThan(row.unique);
    expect(row.high).toBeGreaterThan(row.unique);
    expect(Math.abs(row.unique - 20_000) / 20_000).toBeLessThan(0.05);
    expect(row.duplication).toBeCloseTo(50_000 / row.unique, 12);
  });

  it('clips the estimate and interval to the subscription count and says so', () => {
    // 20 000 distinct ids can never come from fewer subscriptions: the bound is certain.
    const row = reportRow(cell('RU', sketchOf(20_000), 19_900));
    expect(row.unique).toBeLessThanOrEqual(19_900);
    expect(row.high).toBe(19_900);
    expect(row.clippedBy).toBe('subscriptions');
  });

  it('raises the estimate and interval to the largest exact child and says so', () => {
    const row = reportRow(cell('RU', sketchOf(20_000), 60_000, 21_500));
    expect(row.low).toBe(21_500);
    expect(row.unique).toBe(21_500);
    expect(row.clippedBy).toBe('largest exact child');
  });

  it('gives NaN duplication for a node without subscriptions', () => {
    expect(reportRow(cell('RU', HllSketch.empty(), 0)).duplication).toBeNaN();
  });
});

describe('buildReport', () => {
  it('keeps only the requested levels, in input order', () => {
    const cells = [cell('RU', sketchOf(10), 10), cell('FEFD', sketchOf(10), 10), cell('44000000', sketchOf(10), 10)];
    expect(buildReport(cells, { levels: ['region', 'federation'] }).map((r) => r.code)).toEqual(['RU', '44000000']);
    expect(buildReport(cells).map((r) => r.code)).toEqual(['RU', 'FEFD', '44000000']);
  });
});
