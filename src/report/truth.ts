/**
 * Checking a report against known true unique counts (the samples ship theirs).
 *
 * A truth table maps (territory code, facet values) to the exact number of distinct people. The
 * check says, per report row, whether the truth lies inside the printed 95 % interval, and
 * summarises: with honest intervals about 95 % of estimated rows cover the truth and every exact
 * row matches it. Rows without a truth entry are counted as unchecked, never as passing.
 */
import type { ReportRow } from './rows.js';

export interface TruthEntry {
  readonly code: string;
  readonly facets: readonly string[];
  readonly unique: number;
  readonly subscriptions?: number;
}

export type TruthTable = ReadonlyMap<string, TruthEntry>;

export interface TruthVerdict {
  readonly trueUnique: number;
  readonly inInterval: boolean;
}

export interface TruthSummary {
  readonly checked: number;
  readonly covered: number;
  readonly exactRows: number;
  readonly exactMismatches: number;
  readonly unchecked: number;
  /** Rows whose interval misses the truth, in report order. */
  readonly outside: readonly ReportRow[];
}

export function truthKey(code: string, facets: readonly string[]): string {
  return `${code}\t${facets.join('\t')}`;
}

export function truthTable(entries: Iterable<TruthEntry>): TruthTable {
  const table = new Map<string, TruthEntry>();
  for (const e of entries) table.set(truthKey(e.code, e.facets), e);
  return table;
}

export function verdictFor(row: ReportRow, truth: TruthTable): TruthVerdict | undefined {
  const entry = truth.get(truthKey(row.code, row.facets));
  if (entry === undefined) return undefined;
  return { trueUnique: entry.unique, inInterval: row.low <= entry.unique && entry.unique <= row.high };
}

export function summariseTruth(rows: readonly ReportRow[], truth: TruthTable): TruthSummary {
  let checked = 0;
  let covered = 0;
  let exactRows = 0;
  let exactMismatches = 0;
  let unchecked = 0;
  const outside: ReportRow[] = [];
  for (const row of rows) {
    const verdict = verdictFor(row, truth);
    if (verdict === undefined) {
      unchecked++;
      continue;
    }
    checked++;
    if (row.exact) {
      exactRows++;
      if (row.unique !== verdict.trueUnique) exactMismatches++;
    }
    if (verdict.inInterval) covered++;
    else outside.push(row);
  }
  return { checked, covered, exactRows, exactMismatches, unchecked, outside };
}
