/**
 * The cube: one cell per (territory node, facet values) seen in the input, each holding the exact
 * number of subscriptions and an HLL sketch of the subscriber ids.
 *
 * Cells are the unit everything else is built from: ingest adds to them, `build` writes them, `merge`
 * unions them (sketch union + sum of subscriptions), and the roll-up combines them up the tree. Two
 * cubes are mergeable when they index the same tree and have the same facet columns and sketch
 * parameters; merging is commutative and associative, so the result does not depend on how the
 * input was split or ordered.
 */
import { ReachtreeError } from '../errors.js';
import { HllSketch, type HllParams } from '../sketch/index.js';
import type { TerritoryNode, TerritoryTree } from '../territory/index.js';

/** Facet value of the roll-up's union across all values of a facet; reserved in input. */
export const ALL = '*';

export interface Cell {
  subscriptions: number;
  readonly sketch: HllSketch;
}

export interface CubeCell {
  readonly territory: TerritoryNode;
  readonly facetValues: readonly string[];
  readonly cell: Cell;
}

interface Entry extends CubeCell {
  readonly cell: Cell;
}

export class Cube {
  readonly params: HllParams;
  readonly facetNames: readonly string[];
  /** node id → facet key → entry. */
  private readonly byNode = new Map<number, Map<string, Entry>>();
  private count = 0;

  constructor(params: HllParams, facetNames: readonly string[]) {
    this.params = params;
    this.facetNames = Object.freeze([...facetNames]);
  }

  /** Number of cells. */
  get size(): number {
    return this.count;
  }

  /** The cell of a node and facet values, created empty on first use. */
  cell(territory: TerritoryNode, facetValues: readonly string[]): Cell {
    if (facetValues.length !== this.facetNames.length) {
      throw new RangeError(`expected ${this.facetNames.length} facet values (${this.facetNames.join(', ')}), got ${facetValues.length}`);
    }
    let cells = this.byNode.get(territory.id);
    if (cells === undefined) {
      cells = new Map();
      this.byNode.set(territory.id, cells);
    }
    const key = facetKey(facetValues);
    let entry = cells.get(key);
    if (entry === undefined) {
      entry = {
        territory,
        facetValues: Object.freeze([...facetValues]),
        cell: { subscriptions: 0, sketch: HllSketch.empty(this.params) },
      };
      cells.set(key, entry);
      this.count++;
    }
    return entry.cell;
  }

  /** The cell if it exists; never creates one. */
  peek(territory: TerritoryNode, facetValues: readonly string[]): Cell | undefined {
    return this.byNode.get(territory.id)?.get(facetKey(facetValues))?.cell;
  }

  /**
   * Every cell, sorted by territory then facet values (code-unit order). Territory order is the
   * tree's report order when `tree` is given; otherwise nodes are ordered by their code path from
   * the root, which is the same order for trees whose siblings sort by code, and in every case
   * independent of the order cells were created in.
   */
  cells(tree?: Pick<TerritoryTree, 'nodes'>): CubeCell[] {
    const nodes: Array<{ node: TerritoryNode; cells: Map<string, Entry> }> = [];
    for (const cells of this.byNode.values()) {
      const first = cells.values().next().value as Entry;
      nodes.push({ node: first.territory, cells });
    }
    if (tree !== undefined) {
      const rank = new Map<number, number>();
      tree.nodes().forEach((n, i) => rank.set(n.id, i));
      nodes.sort((a, b) => (rank.get(a.node.id) ?? Infinity) - (rank.get(b.node.id) ?? Infinity) || comparePaths(a.node, b.node));
    } else {
      nodes.sort((a, b) => comparePaths(a.node, b.node));
    }
    const out: CubeCell[] = [];
    for (const { cells } of nodes) {
      const entries = [...cells.values()].sort((a, b) => compareFacetValues(a.facetValues, b.facetValues));
      out.push(...entries);
    }
    return out;
  }

  /** Unions every cell of `other` into this cube (sketch union, sum of subscriptions). */
  merge(other: Cube): void {
    if (other.facetNames.length !== this.facetNames.length || other.facetNames.some((f, i) => f !== this.facetNames[i])) {
      throw new ReachtreeError(
        'E_CONFIG_OPTION',
        `cannot merge cells by [${other.facetNames.join(', ')}] into cells by [${this.facetNames.join(', ')}]`,
      );
    }
    for (const cells of other.byNode.values()) {
      for (const entry of cells.values()) {
        const mine = this.cell(entry.territory, entry.facetValues);
        mine.sketch.union(entry.cell.sketch);
        mine.subscriptions += entry.cell.subscriptions;
      }
    }
  }
}

/** Map key of a facet-value tuple (all tuples of one cube have the same length). */
export function facetKey(values: readonly string[]): string {
  return values.length === 1 ? (values[0] as string) : JSON.stringify(values);
}

export function compareFacetValues(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Orders nodes by the codes on their path from the root: parents first, then by code. */
export function comparePaths(a: TerritoryNode, b: TerritoryNode): number {
  if (a === b) return 0;
  const pa = pathOf(a);
  const pb = pathOf(b);
  const n = Math.min(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const x = pa[i] as string;
    const y = pb[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

function pathOf(node: TerritoryNode): string[] {
  const path: string[] = [];
  for (let n: TerritoryNode | null = node; n !== null; n = n.parent) path.push(n.code);
  return path.reverse();
}
