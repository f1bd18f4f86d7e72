/**
 * The roll-up split into branches, for threads that each hold part of the cube.
 *
 * A branch is the subtree under a node at depth BRANCH_DEPTH: in OKTMO trees a region (and, under
 * the four subjects that hang directly under the federation, a municipal formation). Every figure
 * of a node inside a branch depends only on the cells of that branch, so a thread that holds whole
 * branches rolls them up alone (`rollUpBranches`): it keeps the figures of their nodes — plain
 * numbers, no sketches — and hands on only the rolled cells of the branch roots. The nodes above
 * the branches (the federation, the federal districts) are rolled up afterwards from those rolled
 * roots and the cells attached above the branches (`joinBranches`).
 *
 * That is the same arithmetic as `rollUp` of the whole cube: what a branch root's thread computes
 * as its rolled cells is exactly what the whole roll-up passes to the root's parent, and the
 * parent's unions, its '*' rows and its "largest exact child" bound are then computed from the
 * same sketches. The rows come out identical, byte for byte, however the branches were dealt.
 */
import { HllSketch, type Estimate } from '../sketch/index.js';
import type { TerritoryNode, TerritoryTree } from '../territory/index.js';
import type { Cube } from './cube.js';
import { rollUpEach, type RolledCell } from './rollup.js';

/** Depth of the branch roots (root = 0): regions in OKTMO trees. */
export const BRANCH_DEPTH = 2;

/** The root of the branch `node` lies in (`node` itself at BRANCH_DEPTH); undefined above the branches. */
export function branchOf(node: TerritoryNode): TerritoryNode | undefined {
  if (node.depth < BRANCH_DEPTH) return undefined;
  let n = node;
  while (n.depth > BRANCH_DEPTH) n = n.parent as TerritoryNode;
  return n;
}

/** What a report row needs of a rolled cell, without its sketch: plain data, cheap to send between threads. */
export interface RolledFigures {
  readonly code: string;
  readonly name: string;
  readonly level: string;
  readonly depth: number;
  /** Code of the parent node; empty at the root. */
  readonly parent: string;
  readonly facetValues: readonly string[];
  readonly subscriptions: number;
  readonly largestExactChild: number;
  readonly estimate: Estimate;
}

export function figuresOf(cell: RolledCell): RolledFigures {
  const { node } = cell;
  return {
    code: node.code,
    name: node.name,
    level: node.level,
    depth: node.depth,
    parent: node.parent?.code ?? '',
    facetValues: cell.facetValues,
    subscriptions: cell.subscriptions,
    largestExactChild: cell.largestExactChild,
    estimate: cell.sketch.estimate(),
  };
}

/** A cell named by its node's code instead of the node (nodes belong to one thread's tree). */
export interface LooseCell {
  readonly code: string;
  readonly facetValues: readonly string[];
  readonly subscriptions: number;
  readonly sketch: HllSketch;
}

/** What one thread's part of the roll-up hands on. */
export interface BranchPart {
  /** Per branch it owns (by root code): the figures of the branch's nodes, in report order. */
  readonly branches: Map<string, RolledFigures[]>;
  /** The rolled cells of those branch roots, one per facet-value tuple (not the '*' row: the join recomputes it). */
  readonly roots: LooseCell[];
  /** The cube's cells attached above the branches. */
  readonly top: LooseCell[];
}

/**
 * Rolls up the branches `owns` accepts, of a cube that holds all the cells of those branches (and
 * possibly cells above them). `keep` chooses the rows that get figures (e.g. only those with
 * subscriptions); the roots are handed on whatever it says. Sketches in `roots` and `top` may be
 * the cube's own: clone before mutating.
 */
export function rollUpBranches(
  cube: Cube,
  tree: TerritoryTree,
  owns: (branchRoot: TerritoryNode) => boolean,
  keep: (cell: RolledCell) => boolean,
): BranchPart {
  const top: LooseCell[] = [];
  for (const { territory, facetValues, cell } of cube.cells()) {
    if (territory.depth < BRANCH_DEPTH) top.push({ code: territory.code, facetValues, subscriptions: cell.subscriptions, sketch: cell.sketch });
  }
  const roots: LooseCell[] = [];
  const byIndex: Array<RolledFigures[] | undefined> = [];
  const hasFacets = cube.facetNames.length > 0;
  rollUpEach(cube, tree, (rows, index) => {
    const node = (rows[0] as RolledCell).node;
    const branch = branchOf(node);
    if (branch === undefined || !owns(branch)) return;
    byIndex[index] = rows.filter(keep).map(figuresOf);
    if (node !== branch) return;
    // the rows the whole roll-up would pass to the parent: per tuple, not '*' (with facets, the last row)
    for (const r of hasFacets ? rows.slice(0, -1) : rows) {
      if (r.subscriptions === 0 && r.sketch.representation === 'EMPTY') continue;
      roots.push({ code: node.code, facetValues: r.facetValues, subscriptions: r.subscriptions, sketch: r.sketch });
    }
  });
  const branches = new Map<string, RolledFigures[]>();
  tree.nodes().forEach((node, i) => {
    const figures = byIndex[i];
    if (figures === undefined) return;
    const code = (branchOf(node) as TerritoryNode).code;
    let list = branches.get(code);
    if (list === undefined) branches.set(code, (list = []));
    list.push(...figures);
  });
  return { branches, roots, top };
}

/** Adds loose cells into `cube` at the nodes of `tree` their codes name (sketch union, subscriptions added; the sketches are taken). */
export function addLooseCells(cube: Cube, tree: TerritoryTree, cells: Iterable<LooseCell>): void {
  for (const c of cells) {
    const cell = cube.cell(tree.resolve(c.code), c.facetValues);
    cell.sketch.absorb(c.sketch);
    cell.subscriptions += c.subscriptions;
  }
}

/**
 * Every row of the roll-up, in report order, from the parts' branches and `upper`: a cube holding
 * the cells above the branches and, as the own cells of each branch root, the root's rolled cells
 * (`addLooseCells` of every part's `top` and `roots`). `keep` as for `rollUpBranches`.
 */
export function joinBranches(
  upper: Cube,
  tree: TerritoryTree,
  branches: ReadonlyMap<string, readonly RolledFigures[]>,
  keep: (cell: RolledCell) => boolean,
): RolledFigures[] {
  const byIndex: Array<readonly RolledFigures[] | undefined> = [];
  let joined = 0;
  rollUpEach(upper, tree, (rows, index) => {
    const node = (rows[0] as RolledCell).node;
    if (node.depth < BRANCH_DEPTH) {
      byIndex[index] = rows.filter(keep).map(figuresOf);
    } else if (node.depth === BRANCH_DEPTH) {
      const figures = branches.get(node.code);
      if (figures !== undefined) joined++;
      byIndex[index] = figures;
    }
  });
  if (joined !== branches.size) {
    const lost = [...branches.keys()].filter((code) => tree.get(code)?.depth !== BRANCH_DEPTH);
    throw new Error(`joinBranches: branches not at depth ${BRANCH_DEPTH} of the tree: ${lost.slice(0, 5).join(', ')}`);
  }
  const out: RolledFigures[] = [];
  for (const figures of byIndex) if (figures !== undefined) out.push(...figures);
  return out;
}
