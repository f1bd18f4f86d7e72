import { describe, expect, it } from 'vitest';
import { FEDERAL_DISTRICTS, SUBJECTS, federalDistrict, subjectOf } from '../../src/territory/regions.js';

// Expected membership, written from ../shared/reference/regions.csv (subject codes by district) and
// the per-district counts and census sums of federal_districts.csv.
const MEMBERS: Record<string, string[]> = {
  CFD: ['14', '15', '17', '20', '24', '28', '29', '34', '38', '42', '45', '46', '54', '61', '66', '68', '70', '78'],
  NWFD: ['11', '118', '19', '27', '40', '41', '47', '49', '58', '86', '87'],
  SFD: ['03', '12', '18', '35', '60', '67', '79', '85'],
  NCFD: ['07', '26', '82', '83', '90', '91', '96'],
  VFD: ['22', '33', '36', '53', '56', '57', '63', '73', '80', '88', '89', '92', '94', '97'],
  UFD: ['37', '65', '71', '718', '719', '75'],
  SibFD: ['01', '04', '25', '32', '50', '52', '69', '84', '93', '95'],
  FEFD: ['05', '08', '10', '30', '44', '64', '76', '77', '81', '98', '99'],
};
const CENSUS_BY_DISTRICT: Record<string, number> = {
  CFD: 40_334_532,
  NWFD: 13_917_197,
  SFD: 16_746_442,
  NCFD: 10_171_434,
  VFD: 28_943_264,
  UFD: 12_300_793,
  SibFD: 16_792_699,
  FEFD: 7_975_762,
};

describe('regions', () => {
  it('lists 89 subjects with unique codes and prefixes', () => {
    expect(SUBJECTS).toHaveLength(89);
    expect(new Set(SUBJECTS.map((s) => s.code)).size).toBe(89);
    expect(new Set(SUBJECTS.map((s) => s.prefix)).size).toBe(89);
  });

  it('writes every subject code as its prefix padded with zeros to 8 digits', () => {
    for (const s of SUBJECTS) expect(s.code).toBe(s.prefix.padEnd(8, '0'));
  });

  it('lists the eight federal districts in volume order', () => {
    expect(FEDERAL_DISTRICTS.map((d) => d.code)).toEqual(['CFD', 'NWFD', 'SFD', 'NCFD', 'VFD', 'UFD', 'SibFD', 'FEFD']);
    expect(federalDistrict('FEFD')?.nameEn).toBe('Far Eastern Federal District');
  });

  it.each(Object.entries(MEMBERS))('assigns exactly the right subjects to %s', (fd, prefixes) => {
    const actual = SUBJECTS.filter((s) => s.federalDistrict === fd).map((s) => s.prefix);
    expect(actual).toEqual(prefixes);
  });

  it.each(Object.entries(CENSUS_BY_DISTRICT))('sums the census population of %s to the district total', (fd, total) => {
    const sum = SUBJECTS.filter((s) => s.federalDistrict === fd).reduce((a, s) => a + (s.population ?? 0), 0);
    expect(sum).toBe(total);
  });

  it('sums to the census total 147,182,123 (host oblasts exclude their autonomous okrugs)', () => {
    expect(SUBJECTS.reduce((a, s) => a + (s.population ?? 0), 0)).toBe(147_182_123);
  });

  it('leaves the four 2022 additions without federal district and census population', () => {
    const unassigned = SUBJECTS.filter((s) => s.federalDistrict === null);
    expect(unassigned.map((s) => s.code)).toEqual(['21000000', '23000000', '39000000', '43000000']);
    for (const s of unassigned) expect(s.population).toBeNull();
    expect(SUBJECTS.filter((s) => s.population === null)).toHaveLength(4);
  });

  describe('subjectOf', () => {
    it('matches the nested autonomous okrugs on 3 digits before their hosts on 2', () => {
      expect(subjectOf('11811000')?.nameEn).toBe('Nenets Autonomous Okrug');
      expect(subjectOf('11701000')?.nameEn).toBe('Arkhangelsk Oblast');
      expect(subjectOf('71816000')?.nameEn).toBe('Khanty-Mansi Autonomous Okrug – Yugra');
      expect(subjectOf('71951000001')?.nameEn).toBe('Yamalo-Nenets Autonomous Okrug');
      expect(subjectOf('71701000')?.nameEn).toBe('Tyumen Oblast');
    });

    it('finds no subject for unused prefixes such as 02 or Baikonur 55', () => {
      expect(subjectOf('02000000')).toBeUndefined();
      expect(subjectOf('55000000')).toBeUndefined();
    });
  });
});
