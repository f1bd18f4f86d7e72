import { describe, expect, it } from 'vitest';
import { sampleLayout } from '../../src/samples/layout.js';
import { MAGADAN_FORMATIONS } from '../../src/samples/magadan.js';
import { SUBJECTS, subjectOf } from '../../src/territory/index.js';

describe('sampleLayout', () => {
  describe('magadan', () => {
    const layout = sampleLayout('magadan');
    const weight = (code: string) => layout.homes.find((h) => h.code === code)?.weight;

    it('houses people in the 13 localities and in what each formation has left over', () => {
      expect(layout.homes.filter((h) => h.code.length === 11)).toHaveLength(13);
      for (const h of layout.homes) expect(h.weight).toBeGreaterThan(0);
    });

    it('splits each formation exactly between its localities and the rest of it', () => {
      for (const f of MAGADAN_FORMATIONS) {
        const sum = layout.homes.filter((h) => h.code.startsWith(f.code.slice(0, 5))).reduce((a, h) => a + h.weight, 0);
        expect(sum).toBeCloseTo(f.population, 6);
      }
    });

    it('keeps known populations and shares 90 % of the remainder 1 : 1/2 : 1/3 among unknown ones', () => {
      expect(weight('44502000051')).toBe(5_704);
      expect(weight('44502000')).toBe(8_601 - 5_704);
      expect(weight('44701000001')).toBeCloseTo(0.9 * 98_217, 6);
      expect(weight('44504000051')).toBeCloseTo((0.9 * 4_543 * 2) / 3, 6);
      expect(weight('44504000056')).toBeCloseTo((0.9 * 4_543) / 3, 6);
      expect(weight('44522000071')).toBeCloseTo(((0.9 * 6_238) / (1 + 1 / 2 + 1 / 3)) * (1 / 3), 6);
    });

    it('puts pages only at the region, formations and localities', () => {
      expect(Object.keys(layout.pageWeights).sort()).toEqual(['locality', 'municipal', 'region']);
    });

    it('names the 9 formations and 13 localities in its tree', () => {
      expect(layout.names?.size).toBe(22);
      expect(layout.tree.get('44701000')?.name).toBe('город Магадан (городской округ)');
      expect(layout.tree.get('44516000106')?.name).toBe('п Омчак');
      expect(layout.tree.get('44000000')?.name).toBe('Магаданская область');
    });
  });

  describe('national', () => {
    const layout = sampleLayout('national');

    it('spreads every census subject over homes whose weights sum to its population', () => {
      const bySubject = new Map<string, number>();
      for (const h of layout.homes) {
        const s = subjectOf(h.code)?.code as string;
        bySubject.set(s, (bySubject.get(s) ?? 0) + h.weight);
      }
      const census = SUBJECTS.filter((s) => s.population !== null);
      expect(bySubject.size).toBe(census.length);
      for (const s of census) expect(bySubject.get(s.code)).toBeCloseTo(s.population as number, 3);
    });

    it('uses valid OKTMO shapes of every kind, all present in its tree', () => {
      const levels = new Set<string>();
      for (const h of layout.homes) {
        const node = layout.tree.get(h.code);
        expect(node, h.code).toBeDefined();
        levels.add(node?.level as string);
      }
      expect([...levels].sort()).toEqual(['locality', 'municipal']); // municipal: intracity territories of federal cities
      const levelsInTree = new Set(layout.tree.nodes().map((n) => n.level));
      expect(levelsInTree.has('settlement')).toBe(true);
      expect(layout.tree.get('45301000')?.parent?.code).toBe('45000000');
      expect(layout.tree.get('11811000')?.parent?.code).toBe('11800000');
      expect(layout.tree.get('71911000001')?.parent?.parent?.code).toBe('71900000');
    });

    it('gives the four 2022 additions no homes (they have no census population)', () => {
      for (const prefix of ['21', '23', '39', '43']) expect(layout.homes.some((h) => h.code.startsWith(prefix))).toBe(false);
    });

    it('sizes the synthetic structure by population: 3 to 60 formations per subject', () => {
      const formations = (prefix: string) =>
        new Set(layout.homes.filter((h) => subjectOf(h.code)?.prefix === prefix).map((h) => h.code.slice(0, 5))).size;
      expect(formations('45')).toBe(60); // Moscow: √13,010,112 / 50 ≈ 72, capped
      expect(formations('44')).toBe(7); // Magadan: √136,085 / 50 ≈ 7.4
      expect(formations('118')).toBe(4); // Nenets AO: √41,434 / 50 ≈ 4.1
    });
  });
});
