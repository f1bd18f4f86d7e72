/**
 * Magadan Oblast as the bundled sample models it: the region, its 9 municipal formations and 13 main
 * localities, with the populations that weight where synthetic subscribers live.
 *
 * Facts from ../shared/reference/magadan.csv (codes and names from Russian-Wikipedia mirrors and
 * hflabs/city, CC BY-SA 4.0; populations from the 2020 census, reference date 2021-10-01, except
 * Magadan city okrug, a Rosstat estimate for 2022-01-01, and Severo-Evensky, an estimate for
 * 2023-01-01). Codes are the current ones (since 2023-01-01: municipal okrugs 445xx). Only 44000000,
 * 44701000, 44701000001 and 44507000 were seen in a source; the other current codes are inferred
 * from the 447xx → 445xx renumbering, which kept the last two digits. They are valid OKTMO shapes either
 * way, and the sample's truth file is exact for whatever codes it uses.
 *
 * `population: null` means no figure was found; the generator then gives the locality a synthetic share
 * of its formation (see `homesOf` in layout.ts).
 */

export interface MagadanFormation {
  readonly code: string;
  readonly nameRu: string;
  readonly nameEn: string;
  readonly population: number;
}

export interface MagadanLocality {
  readonly code: string;
  readonly formation: string;
  readonly nameRu: string;
  readonly nameEn: string;
  readonly population: number | null;
}

export const MAGADAN_REGION = '44000000';

export const MAGADAN_FORMATIONS: readonly MagadanFormation[] = Object.freeze([
  { code: '44701000', nameRu: 'город Магадан (городской округ)', nameEn: 'Magadan Urban Okrug', population: 98_217 },
  { code: '44502000', nameRu: 'Ольский муниципальный округ', nameEn: 'Olsky Municipal Okrug', population: 8_601 },
  { code: '44504000', nameRu: 'Омсукчанский муниципальный округ', nameEn: 'Omsukchansky Municipal Okrug', population: 4_543 },
  { code: '44507000', nameRu: 'Северо-Эвенский муниципальный округ', nameEn: 'Severo-Evensky Municipal Okrug', population: 1_525 },
  { code: '44510000', nameRu: 'Среднеканский муниципальный округ', nameEn: 'Srednekansky Municipal Okrug', population: 2_275 },
  { code: '44513000', nameRu: 'Сусуманский муниципальный округ', nameEn: 'Susumansky Municipal Okrug', population: 6_458 },
  { code: '44516000', nameRu: 'Тенькинский муниципальный округ', nameEn: 'Tenkinsky Municipal Okrug', population: 3_216 },
  { code: '44519000', nameRu: 'Хасынский муниципальный округ', nameEn: 'Khasynsky Municipal Okrug', population: 6_823 },
  { code: '44522000', nameRu: 'Ягоднинский муниципальный округ', nameEn: 'Yagodninsky Municipal Okrug', population: 6_238 },
]);

export const MAGADAN_LOCALITIES: readonly MagadanLocality[] = Object.freeze([
  { code: '44701000001', formation: '44701000', nameRu: 'г Магадан', nameEn: 'Magadan', population: null },
  { code: '44502000051', formation: '44502000', nameRu: 'пгт Ола', nameEn: 'Ola', population: 5_704 },
  { code: '44504000051', formation: '44504000', nameRu: 'пгт Омсукчан', nameEn: 'Omsukchan', population: null },
  { code: '44504000056', formation: '44504000', nameRu: 'пгт Дукат', nameEn: 'Dukat', population: null },
  { code: '44507000051', formation: '44507000', nameRu: 'пгт Эвенск', nameEn: 'Evensk', population: null },
  { code: '44510000051', formation: '44510000', nameRu: 'пгт Сеймчан', nameEn: 'Seymchan', population: 2_153 },
  { code: '44513000001', formation: '44513000', nameRu: 'г Сусуман', nameEn: 'Susuman', population: 4_439 },
  { code: '44516000051', formation: '44516000', nameRu: 'пгт Усть-Омчуг', nameEn: 'Ust-Omchug', population: 2_572 },
  { code: '44516000106', formation: '44516000', nameRu: 'п Омчак', nameEn: 'Omchak', population: 442 },
  { code: '44519000051', formation: '44519000', nameRu: 'пгт Палатка', nameEn: 'Palatka', population: 3_965 },
  { code: '44522000051', formation: '44522000', nameRu: 'пгт Ягодное', nameEn: 'Yagodnoye', population: null },
  { code: '44522000066', formation: '44522000', nameRu: 'пгт Синегорье', nameEn: 'Sinegorye', population: null },
  { code: '44522000071', formation: '44522000', nameRu: 'пгт Оротукан', nameEn: 'Orotukan', population: null },
]);
