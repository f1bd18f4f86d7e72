/**
 * A worker's share of the cube when the workers own whole branches (regions, see cube/branches.ts)
 * and roll them up themselves: the `estimate` path. The reader then never holds the cube — it gets
 * figures for the nodes of the branches, the branch roots' rolled cells and the few cells above
 * the branches — and the roll-up runs on every core instead of in the reader after the input.
 *
 * Ownership: a key's sketch is kept by the owner of its territory's branch (`ownerOf` of the branch
 * root's code), so each branch is whole in one worker; a key above the branches, or one whose
 * territory the tree refuses, by `ownerOf` of its own text, as in the plain partition. Every worker
 * builds the same tree from the caller's recipe, so all agree on every key's owner.
 *
 * Between inputs the store keeps its cells (`keep` takes a finished input's cells from its runner);
 * the roll-up comes once, after the last input.
 */
import { Cube, branchOf, rollUpBranches, type LooseCell, type RolledCell, type RolledFigures } from '../cube/index.js';
import { HllSketch, WIRE_KINDS, type HllParams } from '../sketch/index.js';
import { treeFromRecipe, type TerritoryTree, type TreeRecipe } from '../territory/index.js';
import { TerritoryResolver, isKeyProblem } from './ingester.js';
import { ownerOf, type UnitRunner } from './units.js';

/** A loose cell as it crosses threads: its sketch as a wire (see sketch/state.ts), in a buffer of its own. */
export interface WiredCell {
  readonly code: string;
  readonly facetValues: readonly string[];
  readonly subscriptions: number;
  readonly kind: number;
  readonly data: Uint8Array<ArrayBuffer>;
}

/** A worker's part of the roll-up, as sent to the reader (BranchPart with wired sketches). */
export interface WiredPart {
  readonly branches: Map<string, RolledFigures[]>;
  /** Cells this worker held in its branches (the summary's cell count). */
  readonly branchCells: number;
  /** The branch roots' rolled cells and the cells above the branches: the reader's roll-up above the branches adds them all. */
  readonly cells: WiredCell[];
}

export class BranchStore {
  private readonly tree: TerritoryTree;
  private readonly cube: Cube;
  private readonly resolver: TerritoryResolver;
  /** Territory code → owner of its branch; −1 above the branches or refused. */
  private readonly branchOwner = new Map<string, number>();

  constructor(
    recipe: TreeRecipe,
    params: HllParams,
    facetNames: readonly string[],
    private readonly index: number,
    private readonly count: number,
  ) {
    this.tree = treeFromRecipe(recipe);
    this.cube = new Cube(params, facetNames);
    this.resolver = new TerritoryResolver(this.tree);
  }

  /** The worker (0 … count − 1) that keeps the sketch of a key: see the module comment. */
  readonly owner = (territory: string, facetValues: readonly string[]): number => {
    let owner = this.branchOwner.get(territory);
    if (owner === undefined) {
      const node = this.resolver.resolve(territory);
      const branch = isKeyProblem(node) ? undefined : branchOf(node);
      owner = branch === undefined ? -1 : ownerOf(branch.code, [], this.count);
      this.branchOwner.set(territory, owner);
    }
    return owner >= 0 ? owner : ownerOf(territory, facetValues, this.count);
  };

  /** Takes the cells of a finished input (after the counts were handed over); returns the subscriptions of keys the tree refuses (rejected rows). */
  keep(runner: UnitRunner): number {
    let refused = 0;
    runner.takeEachCell((territory, facetValues, { sketch, subscriptions }) => {
      const node = this.resolver.resolve(territory);
      if (isKeyProblem(node)) {
        refused += subscriptions;
        return;
      }
      const cell = this.cube.cell(node, facetValues);
      cell.sketch.absorb(sketch);
      cell.subscriptions += subscriptions;
    });
    return refused;
  }

  /** Rolls up the branches this worker owns; rows without subscriptions get figures only with `allNodes`. */
  rollUp(allNodes: boolean): WiredPart {
    const keep = allNodes ? () => true : (c: RolledCell) => c.subscriptions > 0;
    const part = rollUpBranches(this.cube, this.tree, (branch) => ownerOf(branch.code, [], this.count) === this.index, keep);
    const branchCells = this.cube.size - part.top.length;
    return { branches: part.branches, branchCells, cells: [...part.roots, ...part.top].map(wired) };
  }
}

function wired(cell: LooseCell): WiredCell {
  const { kind, data } = cell.sketch.toWire();
  return {
    code: cell.code,
    facetValues: cell.facetValues,
    subscriptions: cell.subscriptions,
    kind: WIRE_KINDS.indexOf(kind),
    // a copy of its own: the state's array may be a view of a larger buffer, which a structured clone would copy whole
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice(),
  };
}

/** The loose cell of a wired one (adopting its bytes). */
export function unwired(cell: WiredCell, params: HllParams): LooseCell {
  const kind = WIRE_KINDS[cell.kind];
  if (kind === undefined) throw new RangeError(`wired cell ${cell.code}: unknown wire kind ${cell.kind}`);
  return { code: cell.code, facetValues: cell.facetValues, subscriptions: cell.subscriptions, sketch: HllSketch.fromWire(params, kind, cell.data) };
}
