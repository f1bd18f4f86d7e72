/**
 * Bottom-up roll-up of a cube over a territory tree.
 *
 * A subscription attached at any node counts at that node and at every ancestor, so
 *
 *   rolled(node, f) = own(node, f) ∪ ⋃ rolled(child, f)      (sketch union; subscriptions add)
 *   rolled(node, *) = ⋃_f rolled(node, f)
 *
 * One pass over the nodes in reverse report order (children before parents) computes every node
 * once; each node's results are pushed into its parent's accumulator and the node's own
 * accumulator is dropped, so at any time only the frontier of unfinished parents is held beside
 * the results.
 *
 * Memory: a union needs a sketch of its own, but a result that comes from a single input (a
 * locality's own cell, a settlement with one locality, the '*' of a node with one platform) *is*
 * that input — the sketch object is shared, not cloned. On the national tree most nodes are such
 * chains, so only nodes with two or more contributions allocate. Consequence for callers: a rolled
 * sketch may be the cube's own cell sketch or another node's rolled sketch; clone it before
 * mutating.
 *
 * `largestExactChild` is the largest unique count among the node's children that is still exact
 * (EMPTY/EXPLICIT sketch): a hard lower bound for the node's own unique count that the report uses
 * to clip estimates.
 */
import { HllSketch } from '../sketch/index.js';
import type { TerritoryNode, TerritoryTree } from '../territory/index.js';
import { ALL, compareFacetValues, facetKey, type Cube } from './cube.js';

export interface RolledCell {
  readonly node: TerritoryNode;
  /** One value per facet column; all '*' on the union across facet values. */
  readonly facetValues: readonly string[];
  /** Exact: own rows plus all descendants' rows. */
  readonly subscriptions: number;
  /** Union of own cells and all descendants' cells. May be shared with the cube or another row: clone before mutating. */
  readonly sketch: HllSketch;
  /** Largest exact unique count among child nodes (hard lower bound), 0 if none. */
  readonly largestExactChild: number;
}

/** A union being built: shares its first input until a second one arrives. */
interface Acc {
  readonly facetValues: readonly string[];
  sketch: HllSketch;
  owned: boolean;
  subscriptions: number;
  largestExactChild: number;
}

/**
 * Every node of `tree` in `tree.nodes()` order; per node, one row per facet-value tuple seen in its
 * subtree (sorted), then the all-'*' row. With no facet columns, one row per node (facetValues []).
 * A node without data in its subtree gets only the '*' row, with an empty sketch.
 */
export function rollUp(cube: Cube, tree: TerritoryTree): RolledCell[] {
  const results: Array<readonly RolledCell[]> = [];
  rollUpEach(cube, tree, (rows, index) => {
    results[index] = rows;
  });
  return results.flat();
}

/**
 * The same rows as `rollUp`, handed to `visit` node by node as each is finished — children before
 * parents, i.e. in reverse `tree.nodes()` order, `index` being the node's position there — and not
 * kept: a caller that only needs figures (the report) lets each merged sketch go as soon as the
 * parent has used it, instead of holding every node's sketch until the end. The sketches handed
 * out are never modified afterwards.
 */
export function rollUpEach(cube: Cube, tree: TerritoryTree, visit: (rows: readonly RolledCell[], index: number) => void): void {
  const nodes = tree.nodes();
  const position = new Map<number, number>();
  nodes.forEach((n, i) => position.set(n.id, i));

  const own = new Map<number, Array<{ facetValues: readonly string[]; sketch: HllSketch; subscriptions: number }>>();
  for (const { territory, facetValues, cell } of cube.cells()) {
    if (!position.has(territory.id)) {
      throw new RangeError(`cube cell for territory ${territory.code} is not a node of the tree being rolled up`);
    }
    let list = own.get(territory.id);
    if (list === undefined) own.set(territory.id, (list = []));
    list.push({ facetValues, sketch: cell.sketch, subscriptions: cell.subscriptions });
  }

  const facetCount = cube.facetNames.length;
  const star = Object.freeze(Array.from({ length: facetCount }, () => ALL));
  const pending = new Map<number, Map<string, Acc>>(); // node id → accumulated children, by facet key
  const pendingStarExact = new Map<number, number>(); // node id → largest exact '*' count of its children

  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i] as TerritoryNode;
    const accs = pending.get(node.id) ?? new Map<string, Acc>();
    pending.delete(node.id);
    for (const c of own.get(node.id) ?? []) {
      add(accs, facetKey(c.facetValues), c.facetValues, c.sketch, c.subscriptions, -1);
    }

    const rows: RolledCell[] = [...accs.values()]
      .sort((a, b) => compareFacetValues(a.facetValues, b.facetValues))
      .map((a) => ({ node, facetValues: a.facetValues, subscriptions: a.subscriptions, sketch: a.sketch, largestExactChild: a.largestExactChild }));
    let total: RolledCell;
    if (facetCount === 0) {
      total = rows[0] ?? emptyRow(node, star, cube);
      rows.length = 0;
    } else {
      let sketch: HllSketch;
      let subscriptions = 0;
      const first = rows[0];
      if (first === undefined) {
        sketch = HllSketch.empty(cube.params);
      } else if (rows.length === 1) {
        sketch = first.sketch;
        subscriptions = first.subscriptions;
      } else {
        sketch = first.sketch.clone();
        subscriptions = first.subscriptions;
        for (let k = 1; k < rows.length; k++) {
          const r = rows[k] as RolledCell;
          sketch.union(r.sketch);
          subscriptions += r.subscriptions;
        }
      }
      total = { node, facetValues: star, subscriptions, sketch, largestExactChild: pendingStarExact.get(node.id) ?? 0 };
    }
    pendingStarExact.delete(node.id);
    rows.push(total);
    visit(rows, i);

    const parent = node.parent;
    if (parent === null || !position.has(parent.id)) continue;
    let parentAccs = pending.get(parent.id);
    if (parentAccs === undefined) pending.set(parent.id, (parentAccs = new Map()));
    for (const r of rows) {
      if (r === total && facetCount > 0) continue;
      if (r.subscriptions === 0 && isEmpty(r.sketch)) continue;
      add(parentAccs, facetKey(r.facetValues), r.facetValues, r.sketch, r.subscriptions, exactCount(r.sketch));
    }
    pendingStarExact.set(parent.id, Math.max(pendingStarExact.get(parent.id) ?? 0, exactCount(total.sketch)));
  }
}

/** Adds one input to the union for `key`, cloning the shared first input when a second arrives. */
function add(
  accs: Map<string, Acc>,
  key: string,
  facetValues: readonly string[],
  sketch: HllSketch,
  subscriptions: number,
  childExact: number,
): void {
  const acc = accs.get(key);
  if (acc === undefined) {
    accs.set(key, { facetValues, sketch, owned: false, subscriptions, largestExactChild: Math.max(childExact, 0) });
    return;
  }
  if (!acc.owned) {
    acc.sketch = acc.sketch.clone();
    acc.owned = true;
  }
  acc.sketch.union(sketch);
  acc.subscriptions += subscriptions;
  if (childExact > acc.largestExactChild) acc.largestExactChild = childExact;
}

/** The exact unique count of an EMPTY/EXPLICIT sketch; -1 when the sketch only estimates. */
function exactCount(sketch: HllSketch): number {
  const rep = sketch.representation;
  if (rep === 'EMPTY') return 0;
  if (rep !== 'EXPLICIT') return -1;
  return sketch.estimate().value;
}

function isEmpty(sketch: HllSketch): boolean {
  return sketch.representation === 'EMPTY';
}

function emptyRow(node: TerritoryNode, facetValues: readonly string[], cube: Cube): RolledCell {
  return { node, facetValues, subscriptions: 0, sketch: HllSketch.empty(cube.params), largestExactChild: 0 };
}
