import { describe, expect, it } from 'vitest';
import { ReachtreeError } from '../../src/errors.js';
import { oktmoTree } from '../../src/territory/oktmoTree.js';
import type { TerritoryNode } from '../../src/territory/tree.js';

/** The codes from a node up to the root, following `parent` links. */
function chain(node: TerritoryNode): string[] {
  const out: string[] = [];
  for (let n: TerritoryNode | null = node; n !== null; n = n.parent) out.push(n.code);
  return out;
}

describe('oktmoTree', () => {
  it('starts with the federation, 8 federal districts and 89 subjects', () => {
    const tree = oktmoTree();
    expect(tree.size).toBe(98);
    expect(tree.root).toMatchObject({ id: 0, code: 'RU', level: 'federation', depth: 0, parent: null, name: 'Российская Федерация' });
    expect(tree.get('FEFD')).toMatchObject({ level: 'federal_district', depth: 1, name: 'Дальневосточный федеральный округ' });
    expect(tree.get('44000000')).toMatchObject({ level: 'region', depth: 2, name: 'Магаданская область' });
    expect(tree.levels()).toEqual(['federation', 'federal_district', 'region', 'municipal', 'settlement', 'locality']);
  });

  it('hangs every subject under its federal district, the 2022 additions under RU', () => {
    const tree = oktmoTree();
    const subjects = tree.nodes().filter((n) => n.level === 'region');
    expect(subjects).toHaveLength(89);
    const underRu = subjects.filter((n) => n.parent?.code === 'RU').map((n) => n.code);
    expect(underRu).toEqual(['21000000', '23000000', '39000000', '43000000']);
    expect(subjects.filter((n) => n.parent?.level === 'federal_district')).toHaveLength(85);
    expect(tree.get('11800000')?.parent?.code).toBe('NWFD');
    expect(tree.get('81000000')?.parent?.code).toBe('FEFD'); // Buryatia moved from Siberia in 2018
  });

  describe('resolve', () => {
    it('creates a Magadan locality with its formation: 44701000001 → 44701000 → 44000000 → FEFD → RU', () => {
      const tree = oktmoTree();
      const node = tree.resolve('44701000001');
      expect(chain(node)).toEqual(['44701000001', '44701000', '44000000', 'FEFD', 'RU']);
      expect(node).toMatchObject({ level: 'locality', depth: 4 });
      expect(tree.get('44701000')).toMatchObject({ level: 'municipal', depth: 3 });
      expect(tree.size).toBe(100);
    });

    it('creates settlement and district for 84640440101 → 84640440 → 84640000 → 84000000 → SibFD', () => {
      const tree = oktmoTree();
      expect(chain(tree.resolve('84640440101'))).toEqual(['84640440101', '84640440', '84640000', '84000000', 'SibFD', 'RU']);
      expect(tree.get('84640440')).toMatchObject({ level: 'settlement', depth: 4 });
      expect(tree.get('84640440101')?.depth).toBe(5);
    });

    it('returns the same node for every spelling of a code', () => {
      const tree = oktmoTree();
      const node = tree.resolve('44701000');
      expect(tree.resolve('44701000000')).toBe(node);
      expect(tree.resolve(' 44701000')).toBe(node);
      expect(tree.resolve('44701000')).toBe(node);
      expect(tree.resolve('fefd')).toBe(tree.get('FEFD'));
      expect(tree.size).toBe(99);
    });

    it('gives dense ids in creation order', () => {
      const tree = oktmoTree();
      tree.resolve('44519000051');
      tree.resolve('84640440101');
      const ids = tree.nodes().map((n) => n.id).sort((a, b) => a - b);
      expect(ids).toEqual([...Array(tree.size).keys()]);
      expect(tree.get('44519000')?.id).toBe(98);
      expect(tree.get('44519000051')?.id).toBe(99);
    });

    it('throws typed errors without location for bad codes, and creates nothing', () => {
      const tree = oktmoTree();
      for (const [code, error] of [
        ['44700000', 'E_INPUT_TERRITORY_MALFORMED'],
        ['44700000001', 'E_INPUT_TERRITORY_MALFORMED'],
        ['02000000', 'E_INPUT_TERRITORY_UNKNOWN'],
      ] as const) {
        expect(() => tree.resolve(code)).toThrow(ReachtreeError);
        try {
          tree.resolve(code);
        } catch (e) {
          expect((e as ReachtreeError).code).toBe(error);
          expect((e as ReachtreeError).location).toBeUndefined();
        }
      }
      expect(tree.size).toBe(98);
    });
  });

  describe('get', () => {
    it('finds existing nodes by any spelling but never creates one', () => {
      const tree = oktmoTree();
      expect(tree.get('44701000')).toBeUndefined();
      tree.resolve('44701000');
      expect(tree.get('44701000000')?.code).toBe('44701000');
      expect(tree.get('not a code')).toBeUndefined();
      expect(tree.size).toBe(99);
    });
  });

  describe('names', () => {
    it('uses the names map, then the table, then a fallback from the kind of code', () => {
      const tree = oktmoTree({ names: new Map([['44701000000', 'город Магадан'], ['44000000', 'Магаданская обл.']]) });
      expect(tree.resolve('44701000').name).toBe('город Магадан');
      expect(tree.get('44000000')?.name).toBe('Магаданская обл.');
      expect(tree.resolve('44507000').name).toBe('муниципальный округ 44507000');
      expect(tree.resolve('84640440101').name).toBe('населённый пункт 84640440101');
      expect(tree.get('84640440')?.name).toBe('сельское поселение 84640440');
    });

    it('speaks English when asked', () => {
      const tree = oktmoTree({ language: 'en' });
      expect(tree.root.name).toBe('Russian Federation');
      expect(tree.get('44000000')?.name).toBe('Magadan Oblast');
      expect(tree.resolve('44701000').name).toBe('city okrug 44701000');
      expect(tree.resolve('84640000').name).toBe('municipal district 84640000');
    });

    it('rejects names keyed by codes that are not territories', () => {
      expect(() => oktmoTree({ names: new Map([['44700000', 'city okrugs']]) })).toThrow(/^names: OKTMO code "44700000" is a grouping heading/);
    });
  });

  describe('nodes', () => {
    it('lists parents before children: RU, districts in table order, subjects by code', () => {
      const tree = oktmoTree();
      tree.resolve('44701000001');
      tree.resolve('44522000071');
      tree.resolve('44502000051');
      tree.resolve('44522000051');
      const codes = tree.nodes().map((n) => n.code);
      expect(codes.slice(0, 3)).toEqual(['RU', 'CFD', '14000000']);
      expect(codes.filter((c) => /^[A-Za-z]+$/.test(c))).toEqual(['RU', 'CFD', 'NWFD', 'SFD', 'NCFD', 'VFD', 'UFD', 'SibFD', 'FEFD']);
      const fefd = codes.indexOf('FEFD');
      expect(codes.slice(fefd, fefd + 14)).toEqual([
        'FEFD', '05000000', '08000000', '10000000', '30000000', '44000000',
        '44502000', '44502000051', '44522000', '44522000051', '44522000071', '44701000', '44701000001', '64000000',
      ]);
      expect(codes.slice(-4)).toEqual(['21000000', '23000000', '39000000', '43000000']);
    });

    it('puts every node after its parent and returns a fresh array each time', () => {
      const tree = oktmoTree();
      for (const c of ['84640440106', '84640440101', '71816000101', '11811000001', '44713000001']) tree.resolve(c);
      const order = tree.nodes();
      const position = new Map(order.map((n, i) => [n, i]));
      for (const n of order) if (n.parent !== null) expect(position.get(n.parent)).toBeLessThan(position.get(n) as number);
      expect(order).toHaveLength(tree.size);
      order.pop();
      expect(tree.nodes()).toHaveLength(tree.size);
    });
  });

  describe('ancestors', () => {
    it('lists parent first, root last', () => {
      const tree = oktmoTree();
      const node = tree.resolve('84640440101');
      expect(tree.ancestors(node).map((n) => n.code)).toEqual(['84640440', '84640000', '84000000', 'SibFD', 'RU']);
      expect(tree.ancestors(tree.root)).toEqual([]);
    });
  });
});
