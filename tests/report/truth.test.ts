import { describe, expect, it } from 'vitest';
import type { ReportRow } from '../../src/report/rows.js';
import { summariseTruth, truthTable, verdictFor } from '../../src/report/truth.js';

function row(code: string, facets: string[], unique: number, low: number, high: number, exact = false): ReportRow {
  return { level: 'x', code, name: code, parent: '', depth: 0, facets, subscriptions: 1000, unique, low, high, rse: 0.01, exact, duplication: 1, clippedBy: undefined };
}

describe('truth check', () => {
  const truth = truthTable([
    { code: 'A', facets: ['vk'], unique: 100 },
    { code: 'A', facets: ['*'], unique: 150 },
    { code: 'B', facets: ['*'], unique: 7 },
  ]);

  it('says whether the interval covers the true value', () => {
    expect(verdictFor(row('A', ['vk'], 101, 95, 105), truth)).toEqual({ trueUnique: 100, inInterval: true });
    expect(verdictFor(row('A', ['*'], 140, 135, 149), truth)).toEqual({ trueUnique: 150, inInterval: false });
    expect(verdictFor(row('C', ['*'], 1, 1, 1), truth)).toBeUndefined();
  });

  it('summarises coverage, exact mismatches and unchecked rows', () => {
    const rows = [row('A', ['vk'], 101, 95, 105), row('A', ['*'], 140, 135, 149), row('B', ['*'], 8, 8, 8, true), row('C', ['*'], 1, 1, 1, true)];
    const s = summariseTruth(rows, truth);
    expect(s).toMatchObject({ checked: 3, covered: 1, exactRows: 1, exactMismatches: 1, unchecked: 1 });
    expect(s.outside.map((r) => r.code)).toEqual(['A', 'B']);
  });
});
