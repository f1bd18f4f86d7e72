import { describe, expect, it } from 'vitest';
import { ReachtreeError } from '../../src/errors.js';
import { canonicalOktmoCode, parseOktmoCode } from '../../src/territory/oktmo.js';

/** The error parseOktmoCode throws for `code` (fails the test if it does not throw). */
function failure(code: string): ReachtreeError {
  try {
    parseOktmoCode(code);
  } catch (e) {
    if (e instanceof ReachtreeError) return e;
    throw e;
  }
  throw new Error(`expected ${code} to be rejected`);
}

describe('parseOktmoCode', () => {
  describe('Magadan Oblast', () => {
    it('reads a locality of a city okrug: 44701000001 → 44701000', () => {
      expect(parseOktmoCode('44701000001')).toMatchObject({ code: '44701000001', level: 'locality', kind: 'locality', parent: '44701000' });
    });

    it('reads the city okrug: 44701000 → 44000000', () => {
      expect(parseOktmoCode('44701000')).toMatchObject({ level: 'municipal', kind: 'city_okrug', parent: '44000000' });
    });

    it('reads a municipal okrug: 44507000 → 44000000', () => {
      expect(parseOktmoCode('44507000')).toMatchObject({ level: 'municipal', kind: 'municipal_okrug', parent: '44000000' });
    });

    it('reads the subject: 44000000 → FEFD → RU', () => {
      const subject = parseOktmoCode('44000000');
      expect(subject).toMatchObject({ level: 'region', kind: 'subject', parent: 'FEFD' });
      expect(subject.subject?.nameEn).toBe('Magadan Oblast');
      expect(parseOktmoCode('FEFD')).toMatchObject({ level: 'federal_district', parent: 'RU', subject: null });
      expect(parseOktmoCode('RU')).toMatchObject({ level: 'federation', parent: null });
    });
  });

  describe('settlements', () => {
    it('reads a rural-settlement locality: 84640440101 → 84640440 → 84640000', () => {
      expect(parseOktmoCode('84640440101')).toMatchObject({ level: 'locality', parent: '84640440' });
      expect(parseOktmoCode('84640440')).toMatchObject({ level: 'settlement', kind: 'rural_settlement', parent: '84640000' });
      expect(parseOktmoCode('84640000')).toMatchObject({ level: 'municipal', kind: 'municipal_district', parent: '84000000' });
    });

    it('tells urban settlements and inter-settlement territories by digit 6', () => {
      expect(parseOktmoCode('04639151').kind).toBe('urban_settlement');
      expect(parseOktmoCode('81645701').kind).toBe('inter_settlement_territory');
    });
  });

  describe('autonomous okrugs nested in another subject', () => {
    it.each([
      ['11800000', 'Nenets Autonomous Okrug', 'NWFD'],
      ['71800000', 'Khanty-Mansi Autonomous Okrug – Yugra', 'UFD'],
      ['71900000', 'Yamalo-Nenets Autonomous Okrug', 'UFD'],
      ['11000000', 'Arkhangelsk Oblast', 'NWFD'],
      ['71000000', 'Tyumen Oblast', 'UFD'],
    ])('reads %s as the subject %s', (code, name, fd) => {
      const parsed = parseOktmoCode(code);
      expect(parsed).toMatchObject({ code, level: 'region', parent: fd });
      expect(parsed.subject?.nameEn).toBe(name);
    });

    it('hangs 118/718/719 formations under the okrug, other 11/71 formations under the host', () => {
      expect(parseOktmoCode('11811000').parent).toBe('11800000');
      expect(parseOktmoCode('11701000').parent).toBe('11000000');
      expect(parseOktmoCode('71816000').parent).toBe('71800000');
      expect(parseOktmoCode('71951000').parent).toBe('71900000');
      expect(parseOktmoCode('71701000').parent).toBe('71000000');
      expect(parseOktmoCode('71816000').kind).toBe('municipal_formation');
    });

    it('carries the okrug down to its localities', () => {
      expect(parseOktmoCode('71816000101').subject?.code).toBe('71800000');
      expect(parseOktmoCode('11611000101').subject?.code).toBe('11000000');
    });
  });

  describe('normalisation', () => {
    it('reads an 11-digit code ending in 000 as the 8-digit formation', () => {
      expect(parseOktmoCode('44701000000')).toMatchObject({ code: '44701000', level: 'municipal' });
      expect(parseOktmoCode('84640440000')).toMatchObject({ code: '84640440', level: 'settlement' });
      expect(parseOktmoCode('44000000000')).toMatchObject({ code: '44000000', level: 'region' });
    });

    it('ignores surrounding spaces and the case of RU and federal-district codes', () => {
      expect(canonicalOktmoCode(' 44701000 ')).toBe('44701000');
      expect(canonicalOktmoCode('ru')).toBe('RU');
      expect(canonicalOktmoCode('sibfd')).toBe('SibFD');
      expect(canonicalOktmoCode('FEFD')).toBe('FEFD');
    });

    it('hangs the 2022 additions directly under the federation', () => {
      for (const code of ['21000000', '23000000', '39000000', '43000000']) expect(parseOktmoCode(code).parent).toBe('RU');
      expect(parseOktmoCode('43735000').parent).toBe('43000000');
    });
  });

  describe('grouping headings', () => {
    it('rejects a 2nd-level heading: 44700000 "city okrugs of Magadan Oblast"', () => {
      const e = failure('44700000');
      expect(e.code).toBe('E_INPUT_TERRITORY_MALFORMED');
      expect(e.message).toBe(
        'OKTMO code "44700000" is a grouping heading ("city okrugs of Magadan Oblast"), not a municipal formation; ' +
          'formation codes have digits 4–5 other than 00 (e.g. 44701000)',
      );
      expect(e.location).toBeUndefined();
    });

    it('rejects municipal-district and municipal-okrug headings', () => {
      expect(failure('84600000').message).toContain('"municipal districts of Altai Republic"');
      expect(failure('44500000').message).toContain('"municipal okrugs of Magadan Oblast"');
    });

    it('rejects 3rd-level headings XXYYY100 / XXYYY400', () => {
      const e = failure('84640400');
      expect(e.code).toBe('E_INPUT_TERRITORY_MALFORMED');
      expect(e.message).toBe(
        'OKTMO code "84640400" is a grouping heading ("rural settlements of 84640000"), not a settlement; ' +
          'settlement codes have digits 7–8 other than 00 (e.g. 84640401)',
      );
      expect(failure('04639100').message).toContain('"urban settlements of 04639000"');
    });

    it('rejects a heading written in 11-digit form, and localities under a heading', () => {
      expect(failure('44700000000').message).toMatch(/^OKTMO code "44700000000" \(formation 44700000 in 11-digit form\) is a grouping heading/);
      expect(failure('44700000001').message).toMatch(/^OKTMO code "44700000001" is a locality under "44700000", which is a grouping heading/);
    });
  });

  describe('malformed and unknown codes', () => {
    it.each([
      ['', 'empty territory code; expected an OKTMO code of 8 or 11 digits'],
      ['4470100', 'territory code "4470100" has 7 digits; expected an OKTMO code of 8 or 11 digits'],
      ['447010000010', 'territory code "447010000010" has 12 digits'],
      ['44A01000', 'OKTMO code "44A01000" has a non-digit "A" at position 3'],
      ['44701000-01', 'OKTMO code "44701000-01" has a non-digit "-" at position 9'],
      ['44 701 000', 'territory code "44 701 000" is not a code reachtree knows'],
    ])('rejects %j as malformed', (code, message) => {
      const e = failure(code);
      expect(e.code).toBe('E_INPUT_TERRITORY_MALFORMED');
      expect(e.message).toContain(message);
      expect(e.message).toContain('"RU" or a federal-district code (CFD, NWFD, SFD, NCFD, VFD, UFD, SibFD, FEFD)');
    });

    it('rejects settlements and localities without a municipal formation', () => {
      expect(failure('44000100').message).toBe(
        'OKTMO code "44000100" is a settlement code without a municipal formation: digits 3–5 are 000, the subject\'s own; ' +
          'expected digits 3–5 naming a municipal district or okrug (e.g. 44701000)',
      );
      expect(failure('11800101').message).toContain('digits 3–5 are 800, the subject\'s own');
      expect(failure('44000000101').message).toBe(
        'OKTMO code "44000000101" is a locality directly under the subject heading 44000000; ' +
          'a locality code needs a municipal formation in digits 3–8 (e.g. 44701000001)',
      );
    });

    it('rejects digit 3 = 0 below the subject heading', () => {
      expect(failure('44012000').message).toContain('digit 3 (the kind of formation) is 0');
    });

    it('reports an unknown subject prefix with the prefixes that exist', () => {
      const e = failure('02000000');
      expect(e.code).toBe('E_INPUT_TERRITORY_UNKNOWN');
      expect(e.message).toBe(
        'OKTMO code "02000000" is in no subject of the federation: no subject has the OKTMO prefix 02; ' +
          'subject prefixes are 01–99 except 02, 06, 09, 13, 16, 31, 48, 51, 55, 59, 62, 72, 74; ' +
          'nested autonomous okrugs 118, 718, 719',
      );
    });

    it('names Baikonur when it sees prefix 55', () => {
      expect(failure('55701000001').message).toContain('(55 is Baikonur, leased from Kazakhstan, not a federal subject)');
    });

    it('reports letter codes that are no federal district as unknown', () => {
      const e = failure('CRFD');
      expect(e.code).toBe('E_INPUT_TERRITORY_UNKNOWN');
      expect(e.message).toMatch(/^unknown territory code "CRFD"; expected/);
    });
  });
});
