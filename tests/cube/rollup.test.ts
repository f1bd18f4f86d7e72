import { describe, expect, it } from 'vitest';
import { Cube, rollUp, rollUpEach, type RolledCell } from '../../src/cube/index.js';
import { hllHashText } from '../../src/hash/index.js';
import { HllSketch, resolveHllParams } from '../../src/sketch/index.js';
import { treeFromRows } from '../../src/territory/index.js';

//        RU
//      /    \
//    R1      R2
//   /  \
//  M1   M2
//  |  \
//  L1  L2
const tree = treeFromRows([
  { code: 'RU', parent: '', name: 'Russia' },
  { code: 'R1', parent: 'RU', name: 'Region 1' },
  { code: 'R2', parent: 'RU', name: 'Region 2' },
  { code: 'M1', parent: 'R1', name: 'District 1' },
  { code: 'M2', parent: 'R1', name: 'District 2' },
  { code: 'L1', parent: 'M1', name: 'Locality 1' },
  { code: 'L2', parent: 'M1', name: 'Locality 2' },
]);
const node = (code: string) => tree.get(code)!;
const params = resolveHllParams();

function add(cube: Cube, code: string, facets: string[], ids: string[]): void {
  const cell = cube.cell(node(code), facets);
  for (const id of ids) {
    cell.sketch.addHashBigInt(hllHashText(id));
    cell.subscriptions++;
  }
}

function sketchOf(ids: string[]): HllSketch {
  const s = HllSketch.empty(params);
  for (const id of ids) s.addHashBigInt(hllHashText(id));
  return s;
}

const find = (rows: RolledCell[], code: string, ...facets: string[]): RolledCell => {
  const r = rows.find((x) => x.node.code === code && x.facetValues.join('+') === facets.join('+'));
  if (r === undefined) throw new Error(`no row ${code}/${facets.join('+')}`);
  return r;
};
const unique = (r: RolledCell) => r.sketch.estimate().value;

describe('rollUp', () => {
  const cube = new Cube(params, ['platform']);
  add(cube, 'L1', ['vk'], ['a', 'b', 'c']);
  add(cube, 'L1', ['tg'], ['a', 'd']);
  add(cube, 'L2', ['vk'], ['c', 'e', 'e']); // e subscribed twice (two pages)
  add(cube, 'M1', ['vk'], ['f']); // a page attached at the district itself
  add(cube, 'R2', ['ok'], ['a']);
  const rows = rollUp(cube, tree);

  it('lists every node in tree order, each facet value seen in its subtree, then *', () => {
    expect(rows.map((r) => `${r.node.code}/${r.facetValues.join('+')}`)).toEqual([
      'RU/ok', 'RU/tg', 'RU/vk', 'RU/*',
      'R1/tg', 'R1/vk', 'R1/*',
      'M1/tg', 'M1/vk', 'M1/*',
      'L1/tg', 'L1/vk', 'L1/*',
      'L2/vk', 'L2/*',
      'M2/*',
      'R2/ok', 'R2/*',
    ]);
  });

  it('hands the same rows out node by node, children before parents, with stable sketches (rollUpEach)', () => {
    const visited: Array<{ index: number; rows: readonly RolledCell[]; hex: string[] }> = [];
    rollUpEach(cube, tree, (cells, index) => visited.push({ index, rows: cells, hex: cells.map((c) => c.sketch.toHex()) }));
    expect(visited.map((v) => v.index)).toEqual(tree.nodes().map((_, i) => i).reverse());
    const inOrder = [...visited].reverse().flatMap((v) => v.rows);
    expect(inOrder.map((r) => `${r.node.code}/${r.facetValues.join('+')}/${r.subscriptions}`)).toEqual(
      rows.map((r) => `${r.node.code}/${r.facetValues.join('+')}/${r.subscriptions}`),
    );
    // a sketch handed out is not changed by the parents' unions that come after it
    for (const v of visited) expect(v.rows.map((c) => c.sketch.toHex())).toEqual(v.hex);
  });

  it('counts a subscription at its node and every ancestor, exactly', () => {
    expect(find(rows, 'L1', 'vk').subscriptions).toBe(3);
    expect(find(rows, 'M1', 'vk').subscriptions).toBe(3 + 3 + 1);
    expect(find(rows, 'R1', '*').subscriptions).toBe(3 + 2 + 3 + 1);
    expect(find(rows, 'RU', '*').subscriptions).toBe(3 + 2 + 3 + 1 + 1);
  });

  it('unions people: a person in two localities or on two platforms counts once', () => {
    expect(unique(find(rows, 'M1', 'vk'))).toBe(5); // a b c e f
    expect(unique(find(rows, 'L1', '*'))).toBe(4); // a b c d
    expect(unique(find(rows, 'M1', '*'))).toBe(6); // a b c d e f
    expect(unique(find(rows, 'RU', '*'))).toBe(6); // R2's a is L1's a
    expect(unique(find(rows, 'RU', 'ok'))).toBe(1);
  });

  it('gives each rolled sketch the bytes of one sketch built from all its ids', () => {
    expect(find(rows, 'M1', 'vk').sketch.toHex()).toBe(sketchOf(['a', 'b', 'c', 'c', 'e', 'f']).toHex());
    expect(find(rows, 'RU', '*').sketch.toHex()).toBe(sketchOf(['a', 'b', 'c', 'd', 'e', 'f']).toHex());
  });

  it('reports an empty * row for a node without data', () => {
    const m2 = find(rows, 'M2', '*');
    expect(m2.subscriptions).toBe(0);
    expect(m2.sketch.representation).toBe('EMPTY');
    expect(m2.largestExactChild).toBe(0);
  });

  it('names the largest exact child count as a lower bound', () => {
    expect(find(rows, 'M1', 'vk').largestExactChild).toBe(3); // L1: a b c; L2: c e
    expect(find(rows, 'M1', '*').largestExactChild).toBe(4); // L1/*: a b c d
    expect(find(rows, 'RU', '*').largestExactChild).toBe(6); // R1/*
    expect(find(rows, 'L1', 'vk').largestExactChild).toBe(0);
  });

  it('leaves the cube untouched, sharing a sketch only where a result has a single input', () => {
    const before = cube.cells().map((c) => `${c.cell.subscriptions}/${c.cell.sketch.toHex()}`);
    const again = rollUp(cube, tree);
    expect(cube.cells().map((c) => `${c.cell.subscriptions}/${c.cell.sketch.toHex()}`)).toEqual(before);
    const l2 = cube.peek(node('L2'), ['vk'])!.sketch;
    expect(find(again, 'L2', 'vk').sketch).toBe(l2);
    expect(find(again, 'L2', '*').sketch).toBe(l2);
    expect(find(again, 'M1', 'vk').sketch).not.toBe(l2);
  });

  it('ignores the largest exact child once children are estimates', () => {
    const big = new Cube(params, ['platform']);
    add(big, 'L1', ['vk'], Array.from({ length: 20_000 }, (_, i) => `big${i}`));
    add(big, 'L2', ['vk'], ['x', 'y']);
    const r = rollUp(big, tree);
    expect(find(r, 'L1', 'vk').sketch.estimate().exact).toBe(false);
    expect(find(r, 'M1', 'vk').largestExactChild).toBe(2);
    expect(Math.abs(unique(find(r, 'RU', '*')) - 20_002) / 20_002).toBeLessThan(0.05);
  });

  it('makes one row per node without facet columns', () => {
    const flat = new Cube(params, []);
    add(flat, 'L1', [], ['a', 'b']);
    add(flat, 'R2', [], ['b', 'c']);
    const r = rollUp(flat, tree);
    expect(r.map((x) => `${x.node.code}:${x.facetValues.length}:${x.subscriptions}`)).toEqual([
      'RU:0:4', 'R1:0:2', 'M1:0:2', 'L1:0:2', 'L2:0:0', 'M2:0:0', 'R2:0:2',
    ]);
    expect(unique(r[0]!)).toBe(3);
    expect(r[0]!.largestExactChild).toBe(2);
  });

  it('is the same whatever the order cells were created in', () => {
    const a = new Cube(params, ['platform']);
    const b = new Cube(params, ['platform']);
    const cells: Array<[string, string, string[]]> = [
      ['L1', 'vk', ['p', 'q']],
      ['R2', 'ok', ['q']],
      ['M2', 'tg', ['r']],
      ['L2', 'vk', ['s']],
    ];
    for (const [c, f, ids] of cells) add(a, c, [f], ids);
    for (const [c, f, ids] of [...cells].reverse()) add(b, c, [f], ids);
    const dump = (rows: RolledCell[]) => rows.map((r) => `${r.node.code}/${r.facetValues[0]}/${r.subscriptions}/${r.sketch.toHex()}/${r.largestExactChild}`);
    expect(dump(rollUp(a, tree))).toEqual(dump(rollUp(b, tree)));
  });
});
