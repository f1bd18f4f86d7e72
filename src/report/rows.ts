/**
 * Report rows: what a user reads for every node of the territory tree and every facet value.
 *
 * A row turns a rolled-up cell (exact subscription count + merged sketch) into the figures of the
 * seed story: subscriptions (exact), unique people (estimate with a 95 % interval and its relative
 * standard error), and the duplication factor subscriptions / unique.
 *
 * Hard bounds are applied after estimation, because an estimate that breaks them is certainly
 * wrong, not just uncertain:
 *   - unique ≤ subscriptions          (a person is counted at most once per subscription);
 *   - unique ≥ largest exact child    (a node contains all of a child's people);
 *   - unique ≥ filled registers       (each filled register needs a distinct hash; the sketch's
 *                                      interval already respects this one).
 * A row whose estimate or interval was moved by a bound names the bound in `clippedBy`, so the
 * correction is visible rather than silent.
 */
import type { RolledCell } from '../cube/index.js';

export type Bound = 'subscriptions' | 'largest exact child';

export interface ReportRow {
  readonly level: string;
  readonly code: string;
  readonly name: string;
  /** Code of the parent node; empty at the root. */
  readonly parent: string;
  readonly depth: number;
  /** One value per facet column (`--by`); every entry is `*` on the all-facets union row. */
  readonly facets: readonly string[];
  readonly subscriptions: number;
  readonly unique: number;
  readonly low: number;
  readonly high: number;
  readonly rse: number;
  /** True while the sketch is still EMPTY/EXPLICIT: `unique` is an exact count, not an estimate. */
  readonly exact: boolean;
  /** subscriptions / unique; NaN when there are no subscriptions. */
  readonly duplication: number;
  /** Which hard bound moved the estimate or its interval, if any. */
  readonly clippedBy: Bound | undefined;
}

export interface ReportOptions {
  /** Keep only rows of these levels (all levels when absent or empty). */
  readonly levels?: readonly string[];
}

export function buildReport(cells: readonly RolledCell[], options: ReportOptions = {}): ReportRow[] {
  const keep = options.levels !== undefined && options.levels.length > 0 ? new Set(options.levels) : undefined;
  const rows: ReportRow[] = [];
  for (const cell of cells) {
    if (keep !== undefined && !keep.has(cell.node.level)) continue;
    rows.push(reportRow(cell));
  }
  return rows;
}

export function reportRow(cell: RolledCell): ReportRow {
  const estimate = cell.sketch.estimate();
  const upper = cell.subscriptions;
  const lower = cell.largestExactChild;
  let clippedBy: Bound | undefined;
  const clip = (x: number): number => {
    if (x > upper) {
      clippedBy = 'subscriptions';
      return upper;
    }
    if (x < lower) {
      clippedBy = 'largest exact child';
      return lower;
    }
    return x;
  };
  const unique = clip(estimate.value);
  const low = clip(estimate.low);
  const high = clip(estimate.high);
  return {
    level: cell.node.level,
    code: cell.node.code,
    name: cell.node.name,
    parent: cell.node.parent?.code ?? '',
    depth: cell.node.depth,
    facets: cell.facetValues,
    subscriptions: cell.subscriptions,
    unique,
    low,
    high,
    rse: estimate.rse,
    exact: estimate.exact,
    duplication: unique > 0 ? cell.subscriptions / unique : Number.NaN,
    clippedBy,
  };
}
