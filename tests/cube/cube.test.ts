import { describe, expect, it } from 'vitest';
import { Cube } from '../../src/cube/index.js';
import { hllHashText } from '../../src/hash/index.js';
import { HllSketch, resolveHllParams } from '../../src/sketch/index.js';
import { treeFromRows } from '../../src/territory/index.js';

const tree = treeFromRows([
  { code: 'RU', parent: '', name: 'Russia' },
  { code: 'R2', parent: 'RU', name: 'Region 2' },
  { code: 'R1', parent: 'RU', name: 'Region 1' },
  { code: 'M1', parent: 'R1', name: 'District 1' },
  { code: 'L1', parent: 'M1', name: 'Locality 1' },
]);
const node = (code: string) => tree.get(code)!;
const params = resolveHllParams();

function add(cube: Cube, code: string, facets: string[], ...ids: string[]): void {
  const cell = cube.cell(node(code), facets);
  for (const id of ids) {
    cell.sketch.addHashBigInt(hllHashText(id));
    cell.subscriptions++;
  }
}

describe('Cube', () => {
  it('creates a cell on first use and returns the same cell afterwards', () => {
    const cube = new Cube(params, ['platform']);
    const a = cube.cell(node('L1'), ['vk']);
    expect(a.subscriptions).toBe(0);
    expect(a.sketch.representation).toBe('EMPTY');
    expect(a.sketch.params).toEqual(params);
    expect(cube.cell(node('L1'), ['vk'])).toBe(a);
    expect(cube.cell(node('L1'), ['ok'])).not.toBe(a);
    expect(cube.size).toBe(2);
    expect(cube.peek(node('R1'), ['vk'])).toBeUndefined();
  });

  it('requires one value per facet column', () => {
    const cube = new Cube(params, ['platform', 'sector']);
    expect(() => cube.cell(node('L1'), ['vk'])).toThrow(RangeError);
  });

  it('lists cells in tree order, then by facet values, whatever the creation order', () => {
    const cube = new Cube(params, ['platform', 'sector']);
    for (const [code, p, s] of [
      ['L1', 'vk', 'b'],
      ['R2', 'tg', 'a'],
      ['RU', 'vk', 'a'],
      ['L1', 'ok', 'z'],
      ['R1', 'vk', 'a'],
      ['L1', 'vk', 'a'],
    ] as const) {
      cube.cell(node(code), [p, s]);
    }
    const order = cube.cells().map((c) => `${c.territory.code}/${c.facetValues.join('+')}`);
    expect(order).toEqual(['RU/vk+a', 'R1/vk+a', 'L1/ok+z', 'L1/vk+a', 'L1/vk+b', 'R2/tg+a']);
    expect(cube.cells(tree).map((c) => `${c.territory.code}/${c.facetValues.join('+')}`)).toEqual(order);
  });

  describe('merge', () => {
    it('unions sketches and adds subscriptions, cell by cell', () => {
      const a = new Cube(params, ['platform']);
      const b = new Cube(params, ['platform']);
      add(a, 'L1', ['vk'], 'u1', 'u2');
      add(b, 'L1', ['vk'], 'u2', 'u3', 'u3');
      add(b, 'R2', ['ok'], 'u9');
      a.merge(b);
      const l1 = a.peek(node('L1'), ['vk'])!;
      expect(l1.subscriptions).toBe(5);
      expect(l1.sketch.estimate()).toMatchObject({ value: 3, exact: true });
      expect(a.peek(node('R2'), ['ok'])!.subscriptions).toBe(1);
      expect(a.size).toBe(2);
      // b is untouched.
      expect(b.peek(node('L1'), ['vk'])!.subscriptions).toBe(3);
    });

    it('gives the same bytes in either order (commutative)', () => {
      const mk = (ids: string[]) => {
        const c = new Cube(params, ['platform']);
        add(c, 'L1', ['vk'], ...ids);
        return c;
      };
      const big = Array.from({ length: 3000 }, (_, i) => `id${i}`);
      const ab = mk(big.slice(0, 2000));
      ab.merge(mk(big.slice(1000)));
      const ba = mk(big.slice(1000));
      ba.merge(mk(big.slice(0, 2000)));
      const hex = (c: Cube) => c.peek(node('L1'), ['vk'])!.sketch.toHex();
      expect(hex(ab)).toBe(hex(ba));
      expect(hex(ab)).toBe(hex(mk(big)));
    });

    it('refuses cubes with other facet columns', () => {
      const a = new Cube(params, ['platform']);
      expect(() => a.merge(new Cube(params, ['sector']))).toThrow(
        expect.objectContaining({ code: 'E_CONFIG_OPTION', message: 'cannot merge cells by [sector] into cells by [platform]' }),
      );
    });

    it('refuses sketches with other parameters, like the extension', () => {
      const a = new Cube(params, ['platform']);
      const b = new Cube(resolveHllParams({ log2m: 11 }), ['platform']);
      add(b, 'L1', ['vk'], 'u1');
      expect(() => a.merge(b)).toThrow(expect.objectContaining({ code: 'E_PARAM_LOG2M_MISMATCH' }));
    });
  });

  it('starts every cell from HllSketch.empty(params)', () => {
    const p = resolveHllParams({ log2m: 11, expthresh: 0 });
    const cube = new Cube(p, []);
    expect(cube.cell(node('RU'), []).sketch.toHex()).toBe(HllSketch.empty(p).toHex());
  });
});
