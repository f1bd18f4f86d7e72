import { describe, expect, it } from 'vitest';
import {
  BRANCH_DEPTH,
  Cube,
  addLooseCells,
  branchOf,
  figuresOf,
  joinBranches,
  rollUp,
  rollUpBranches,
  type RolledCell,
  type RolledFigures,
} from '../../src/cube/index.js';
import { hllHashText } from '../../src/hash/index.js';
import { resolveHllParams } from '../../src/sketch/index.js';
import { oktmoTree, treeFromRows, type TerritoryNode, type TerritoryTree } from '../../src/territory/index.js';

const params = resolveHllParams();

//   RU ─┬─ A ─┬─ A1 ─┬─ A11 ─ A111
//       │     │      └─ A12
//       │     └─ A2
//       ├─ B ─── B1 ─── B11
//       └─ C ─── C1
const rows = [
  ['RU', ''], ['A', 'RU'], ['B', 'RU'], ['C', 'RU'],
  ['A1', 'A'], ['A2', 'A'], ['B1', 'B'], ['C1', 'C'],
  ['A11', 'A1'], ['A12', 'A1'], ['B11', 'B1'], ['A111', 'A11'],
].map(([code, parent]) => ({ code: code!, parent: parent!, name: `node ${code}` }));

/** Cells at every depth, some past the EXPLICIT limit (estimates, not counts), overlapping ids. */
function fill(tree: TerritoryTree, facets: readonly string[][], codes: readonly string[]): Cube {
  const cube = new Cube(params, facets[0]!.map((_, i) => `f${i}`));
  codes.forEach((code, k) => {
    facets.forEach((values, v) => {
      if ((k + v) % 3 === 2) return; // not every tuple everywhere
      const cell = cube.cell(tree.resolve(code), values);
      const n = k % 4 === 0 ? 3000 : 5 + 7 * k;
      for (let i = 0; i < n; i++) {
        cell.sketch.addHashBigInt(hllHashText(`p${(i * (k + 1) + v) % 2500}`));
        cell.subscriptions += 1 + (i % 2);
      }
    });
  });
  return cube;
}

/** The cube's cells dealt to `parts` threads: each branch whole to one, cells above the branches to any. */
function deal(cube: Cube, parts: number, ownerOf: (branch: TerritoryNode) => number): Cube[] {
  const cubes = Array.from({ length: parts }, () => new Cube(params, cube.facetNames));
  cube.cells().forEach(({ territory, facetValues, cell }, i) => {
    const branch = branchOf(territory);
    const part = branch === undefined ? i % parts : ownerOf(branch);
    const mine = cubes[part]!.cell(territory, facetValues);
    mine.sketch.union(cell.sketch);
    mine.subscriptions += cell.subscriptions;
  });
  return cubes;
}

function split(cube: Cube, tree: TerritoryTree, parts: number, keep: (c: RolledCell) => boolean): RolledFigures[] {
  const ownerOf = (b: TerritoryNode): number => b.code.length % parts;
  const results = deal(cube, parts, ownerOf).map((part, p) => rollUpBranches(part, tree, (b) => ownerOf(b) === p, keep));
  const upper = new Cube(params, cube.facetNames);
  const branches = new Map<string, RolledFigures[]>();
  for (const r of results) {
    addLooseCells(upper, tree, [...r.top, ...r.roots]);
    for (const [code, figures] of r.branches) branches.set(code, figures);
  }
  return joinBranches(upper, tree, branches, keep);
}

const withData = (c: RolledCell): boolean => c.subscriptions > 0;
const every = (): boolean => true;

describe('branchOf', () => {
  it('is the ancestor at BRANCH_DEPTH, the node itself there, nothing above', () => {
    const tree = treeFromRows(rows);
    expect(BRANCH_DEPTH).toBe(2);
    expect(branchOf(tree.get('A111')!)?.code).toBe('A1');
    expect(branchOf(tree.get('B1')!)?.code).toBe('B1');
    expect(branchOf(tree.get('A')!)).toBeUndefined();
    expect(branchOf(tree.root)).toBeUndefined();
  });
});

describe('a roll-up split into branches', () => {
  const tree = treeFromRows(rows);
  const codes = ['RU', 'A', 'A1', 'A11', 'A111', 'A12', 'A2', 'B', 'B11', 'C1', 'A111'];
  for (const facets of [[[]], [['vk'], ['ok'], ['tg']], [['vk', 'school'], ['vk', 'clinic'], ['tg', 'school']]] as string[][][]) {
    for (const parts of [1, 2, 3]) {
      it(`gives the whole roll-up's figures, in its order (${facets[0]!.length} facets, ${parts} parts)`, () => {
        const cube = fill(tree, facets, codes);
        const whole = rollUp(cube, tree).filter(withData).map(figuresOf);
        expect(whole.some((f) => !f.estimate.exact)).toBe(true);
        expect(whole.some((f) => f.largestExactChild > 0)).toBe(true);
        expect(split(cube, tree, parts, withData)).toEqual(whole);
      });
    }
  }

  it('lists nodes without data too when `keep` takes every row', () => {
    const cube = fill(tree, [['vk'], ['ok']], ['A111', 'B11']);
    const whole = rollUp(cube, tree).map(figuresOf);
    expect(whole.some((f) => f.code === 'C1')).toBe(true);
    expect(split(cube, tree, 2, every)).toEqual(whole);
  });

  it('works on a growing OKTMO tree, rebuilt per part (nodes of one tree, codes between them)', () => {
    const tree = oktmoTree();
    const codes = ['RU', 'FEFD', '44000000', '44701000', '44701000001', '44612101', '44612101051', '25000000', '25701000', '21000000', '21701000'];
    const cube = fill(tree, [['vk'], ['tg']], codes);
    const whole = rollUp(cube, tree).filter(withData).map(figuresOf);
    expect(split(cube, tree, 2, withData)).toEqual(whole);
  });

  it('refuses branches the tree does not have at that depth', () => {
    const tree = treeFromRows(rows);
    const upper = new Cube(params, []);
    expect(() => joinBranches(upper, tree, new Map([['A11', []]]), withData)).toThrow(/A11/);
  });
});
