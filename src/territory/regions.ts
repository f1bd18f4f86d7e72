/**
 * Subjects of the Russian Federation and federal districts: reachtree's own reference table.
 *
 * Facts from the research notes in ../shared/reference (regions.csv, federal_districts.csv), which
 * take them from hflabs/region `region.csv` (HFLabs / DaData.ru, CC BY-SA 4.0, data of 2022-12-19:
 * names, OKTMO codes, federal districts) and from the Rosstat 2020 All-Russia census (reference date
 * 2021-10-01: permanent population). This table is therefore offered under CC BY-SA 4.0 with the
 * attribution "HFLabs / DaData.ru, hflabs/region"; see the README.
 *
 * Columns of `subject(…)`: the 8-digit OKTMO code of the subject heading, the OKTMO prefix that
 * selects it (2 digits, or 3 for the autonomous okrugs nested in another subject's range), name in
 * Russian and English, federal district, census population.
 *
 * What to keep in mind when using it:
 * - OKTMO prefixes are not unique by 2 digits: 11 is Arkhangelsk Oblast *and* Nenets AO (118), 71 is
 *   Tyumen Oblast *and* Khanty-Mansi AO (718) and Yamalo-Nenets AO (719). The AOs are separate subjects
 *   (and separate members of their federal districts), so a code is matched on the 3-digit prefixes first.
 * - Populations of Arkhangelsk and Tyumen oblasts exclude their AOs, so the column sums without double
 *   counting to the census total, 147,182,123.
 * - The four subjects added in 2022 (21 DPR, 23 Zaporozhye, 39 Kherson, 43 LPR) have no verified federal
 *   district and no census population. reachtree hangs them directly under the federation, still at
 *   level `region`, rather than guess a district (`federalDistrict: null`). Their prefixes 21, 23 and 39
 *   are unverified (43 is supported by one municipal code). Crimea and Sevastopol are in the Southern FD
 *   as in the source. All six are internationally recognised as parts of Ukraine; they are listed
 *   because OKTMO lists them.
 * - The federal-district codes (CFD, NWFD, …) are project-local abbreviations, not official codes. OKTMO
 *   itself has no federal-district level: membership comes from this table, never from the code (OKTMO
 *   volume 7 still holds Buryatia and Zabaykalsky Krai, which moved to the Far Eastern FD in 2018).
 */

export type FederalDistrictCode = 'CFD' | 'NWFD' | 'SFD' | 'NCFD' | 'VFD' | 'UFD' | 'SibFD' | 'FEFD';

export interface FederalDistrict {
  readonly code: FederalDistrictCode;
  readonly nameRu: string;
  readonly nameEn: string;
}

export interface Subject {
  /** 8-digit OKTMO code of the subject heading: `XX000000`, or `11800000` / `71800000` / `71900000`. */
  readonly code: string;
  /** The code prefix that selects this subject: 2 digits, 3 for the nested autonomous okrugs. */
  readonly prefix: string;
  readonly nameRu: string;
  readonly nameEn: string;
  /** null for the four 2022 additions (not verified; they hang under the federation). */
  readonly federalDistrict: FederalDistrictCode | null;
  /** Permanent population, 2020 census (2021-10-01); null where the census did not cover the subject. */
  readonly population: number | null;
}

/** The federation's own node code and names. */
export const FEDERATION = Object.freeze({ code: 'RU', nameRu: 'Российская Федерация', nameEn: 'Russian Federation' });

/** In the order reachtree reports them (the order of OKTMO's eight volumes). */
export const FEDERAL_DISTRICTS: readonly FederalDistrict[] = Object.freeze([
  district('CFD', 'Центральный федеральный округ', 'Central Federal District'),
  district('NWFD', 'Северо-Западный федеральный округ', 'Northwestern Federal District'),
  district('SFD', 'Южный федеральный округ', 'Southern Federal District'),
  district('NCFD', 'Северо-Кавказский федеральный округ', 'North Caucasian Federal District'),
  district('VFD', 'Приволжский федеральный округ', 'Volga Federal District'),
  district('UFD', 'Уральский федеральный округ', 'Ural Federal District'),
  district('SibFD', 'Сибирский федеральный округ', 'Siberian Federal District'),
  district('FEFD', 'Дальневосточный федеральный округ', 'Far Eastern Federal District'),
]);

/** The 89 subjects as Russian law counts them (85 + 4 added in 2022), by OKTMO code. */
export const SUBJECTS: readonly Subject[] = Object.freeze([
  subject('01000000', '01', 'Алтайский край', 'Altai Krai', 'SibFD', 2163693),
  subject('03000000', '03', 'Краснодарский край', 'Krasnodar Krai', 'SFD', 5838273),
  subject('04000000', '04', 'Красноярский край', 'Krasnoyarsk Krai', 'SibFD', 2856971),
  subject('05000000', '05', 'Приморский край', 'Primorsky Krai', 'FEFD', 1845165),
  subject('07000000', '07', 'Ставропольский край', 'Stavropol Krai', 'NCFD', 2907593),
  subject('08000000', '08', 'Хабаровский край', 'Khabarovsk Krai', 'FEFD', 1292944),
  subject('10000000', '10', 'Амурская область', 'Amur Oblast', 'FEFD', 766912),
  subject('11000000', '11', 'Архангельская область', 'Arkhangelsk Oblast', 'NWFD', 978873),
  subject('11800000', '118', 'Ненецкий автономный округ', 'Nenets Autonomous Okrug', 'NWFD', 41434),
  subject('12000000', '12', 'Астраханская область', 'Astrakhan Oblast', 'SFD', 960142),
  subject('14000000', '14', 'Белгородская область', 'Belgorod Oblast', 'CFD', 1540486),
  subject('15000000', '15', 'Брянская область', 'Bryansk Oblast', 'CFD', 1169161),
  subject('17000000', '17', 'Владимирская область', 'Vladimir Oblast', 'CFD', 1348134),
  subject('18000000', '18', 'Волгоградская область', 'Volgograd Oblast', 'SFD', 2500781),
  subject('19000000', '19', 'Вологодская область', 'Vologda Oblast', 'NWFD', 1142827),
  subject('20000000', '20', 'Воронежская область', 'Voronezh Oblast', 'CFD', 2308792),
  subject('21000000', '21', 'Донецкая Народная Республика', "Donetsk People's Republic", null, null),
  subject('22000000', '22', 'Нижегородская область', 'Nizhny Novgorod Oblast', 'VFD', 3119115),
  subject('23000000', '23', 'Запорожская область', 'Zaporozhye Oblast', null, null),
  subject('24000000', '24', 'Ивановская область', 'Ivanovo Oblast', 'CFD', 927828),
  subject('25000000', '25', 'Иркутская область', 'Irkutsk Oblast', 'SibFD', 2370102),
  subject('26000000', '26', 'Республика Ингушетия', 'Republic of Ingushetia', 'NCFD', 509541),
  subject('27000000', '27', 'Калининградская область', 'Kaliningrad Oblast', 'NWFD', 1029966),
  subject('28000000', '28', 'Тверская область', 'Tver Oblast', 'CFD', 1230171),
  subject('29000000', '29', 'Калужская область', 'Kaluga Oblast', 'CFD', 1069904),
  subject('30000000', '30', 'Камчатский край', 'Kamchatka Krai', 'FEFD', 291705),
  subject('32000000', '32', 'Кемеровская область — Кузбасс', 'Kemerovo Oblast – Kuzbass', 'SibFD', 2600923),
  subject('33000000', '33', 'Кировская область', 'Kirov Oblast', 'VFD', 1153680),
  subject('34000000', '34', 'Костромская область', 'Kostroma Oblast', 'CFD', 580976),
  subject('35000000', '35', 'Республика Крым', 'Republic of Crimea', 'SFD', 1934630),
  subject('36000000', '36', 'Самарская область', 'Samara Oblast', 'VFD', 3172925),
  subject('37000000', '37', 'Курганская область', 'Kurgan Oblast', 'UFD', 776661),
  subject('38000000', '38', 'Курская область', 'Kursk Oblast', 'CFD', 1082458),
  subject('39000000', '39', 'Херсонская область', 'Kherson Oblast', null, null),
  subject('40000000', '40', 'Санкт-Петербург', 'Saint Petersburg', 'NWFD', 5601911),
  subject('41000000', '41', 'Ленинградская область', 'Leningrad Oblast', 'NWFD', 2000997),
  subject('42000000', '42', 'Липецкая область', 'Lipetsk Oblast', 'CFD', 1143224),
  subject('43000000', '43', 'Луганская Народная Республика', "Luhansk People's Republic", null, null),
  subject('44000000', '44', 'Магаданская область', 'Magadan Oblast', 'FEFD', 136085),
  subject('45000000', '45', 'Москва', 'Moscow', 'CFD', 13010112),
  subject('46000000', '46', 'Московская область', 'Moscow Oblast', 'CFD', 8524665),
  subject('47000000', '47', 'Мурманская область', 'Murmansk Oblast', 'NWFD', 667744),
  subject('49000000', '49', 'Новгородская область', 'Novgorod Oblast', 'NWFD', 583387),
  subject('50000000', '50', 'Новосибирская область', 'Novosibirsk Oblast', 'SibFD', 2797176),
  subject('52000000', '52', 'Омская область', 'Omsk Oblast', 'SibFD', 1858798),
  subject('53000000', '53', 'Оренбургская область', 'Orenburg Oblast', 'VFD', 1862767),
  subject('54000000', '54', 'Орловская область', 'Oryol Oblast', 'CFD', 713374),
  subject('56000000', '56', 'Пензенская область', 'Penza Oblast', 'VFD', 1266348),
  subject('57000000', '57', 'Пермский край', 'Perm Krai', 'VFD', 2532405),
  subject('58000000', '58', 'Псковская область', 'Pskov Oblast', 'NWFD', 599084),
  subject('60000000', '60', 'Ростовская область', 'Rostov Oblast', 'SFD', 4200729),
  subject('61000000', '61', 'Рязанская область', 'Ryazan Oblast', 'CFD', 1102810),
  subject('63000000', '63', 'Саратовская область', 'Saratov Oblast', 'VFD', 2442575),
  subject('64000000', '64', 'Сахалинская область', 'Sakhalin Oblast', 'FEFD', 466609),
  subject('65000000', '65', 'Свердловская область', 'Sverdlovsk Oblast', 'UFD', 4268998),
  subject('66000000', '66', 'Смоленская область', 'Smolensk Oblast', 'CFD', 888421),
  subject('67000000', '67', 'Севастополь', 'Sevastopol', 'SFD', 547820),
  subject('68000000', '68', 'Тамбовская область', 'Tambov Oblast', 'CFD', 982991),
  subject('69000000', '69', 'Томская область', 'Tomsk Oblast', 'SibFD', 1062666),
  subject('70000000', '70', 'Тульская область', 'Tula Oblast', 'CFD', 1501214),
  subject('71000000', '71', 'Тюменская область', 'Tyumen Oblast', 'UFD', 1601940),
  subject('71800000', '718', 'Ханты-Мансийский автономный округ — Югра', 'Khanty-Mansi Autonomous Okrug – Yugra', 'UFD', 1711480),
  subject('71900000', '719', 'Ямало-Ненецкий автономный округ', 'Yamalo-Nenets Autonomous Okrug', 'UFD', 510490),
  subject('73000000', '73', 'Ульяновская область', 'Ulyanovsk Oblast', 'VFD', 1196745),
  subject('75000000', '75', 'Челябинская область', 'Chelyabinsk Oblast', 'UFD', 3431224),
  subject('76000000', '76', 'Забайкальский край', 'Zabaykalsky Krai', 'FEFD', 1004125),
  subject('77000000', '77', 'Чукотский автономный округ', 'Chukotka Autonomous Okrug', 'FEFD', 47490),
  subject('78000000', '78', 'Ярославская область', 'Yaroslavl Oblast', 'CFD', 1209811),
  subject('79000000', '79', 'Республика Адыгея', 'Republic of Adygea', 'SFD', 496934),
  subject('80000000', '80', 'Республика Башкортостан', 'Republic of Bashkortostan', 'VFD', 4091423),
  subject('81000000', '81', 'Республика Бурятия', 'Republic of Buryatia', 'FEFD', 978588),
  subject('82000000', '82', 'Республика Дагестан', 'Republic of Dagestan', 'NCFD', 3182054),
  subject('83000000', '83', 'Кабардино-Балкарская Республика', 'Kabardino-Balkarian Republic', 'NCFD', 904200),
  subject('84000000', '84', 'Республика Алтай', 'Altai Republic', 'SibFD', 210924),
  subject('85000000', '85', 'Республика Калмыкия', 'Republic of Kalmykia', 'SFD', 267133),
  subject('86000000', '86', 'Республика Карелия', 'Republic of Karelia', 'NWFD', 533121),
  subject('87000000', '87', 'Республика Коми', 'Komi Republic', 'NWFD', 737853),
  subject('88000000', '88', 'Республика Марий Эл', 'Mari El Republic', 'VFD', 677097),
  subject('89000000', '89', 'Республика Мордовия', 'Republic of Mordovia', 'VFD', 783552),
  subject('90000000', '90', 'Республика Северная Осетия — Алания', 'Republic of North Ossetia–Alania', 'NCFD', 687357),
  subject('91000000', '91', 'Карачаево-Черкесская Республика', 'Karachay-Cherkess Republic', 'NCFD', 469865),
  subject('92000000', '92', 'Республика Татарстан', 'Republic of Tatarstan', 'VFD', 4004809),
  subject('93000000', '93', 'Республика Тыва', 'Tuva Republic', 'SibFD', 336651),
  subject('94000000', '94', 'Удмуртская Республика', 'Udmurt Republic', 'VFD', 1452914),
  subject('95000000', '95', 'Республика Хакасия', 'Republic of Khakassia', 'SibFD', 534795),
  subject('96000000', '96', 'Чеченская Республика', 'Chechen Republic', 'NCFD', 1510824),
  subject('97000000', '97', 'Чувашская Республика — Чувашия', 'Chuvash Republic', 'VFD', 1186909),
  subject('98000000', '98', 'Республика Саха (Якутия)', 'Sakha (Yakutia) Republic', 'FEFD', 995686),
  subject('99000000', '99', 'Еврейская автономная область', 'Jewish Autonomous Oblast', 'FEFD', 150453),
]);

const subjectsByPrefix: ReadonlyMap<string, Subject> = new Map(SUBJECTS.map((s) => [s.prefix, s]));
const districtsByCode: ReadonlyMap<string, FederalDistrict> = new Map(FEDERAL_DISTRICTS.map((d) => [d.code, d]));

/**
 * The subject an OKTMO code (of any length ≥ 3) belongs to, or undefined if its prefix names none.
 * The 3-digit prefixes of the nested autonomous okrugs win over their host's 2-digit prefix.
 */
export function subjectOf(code: string): Subject | undefined {
  return subjectsByPrefix.get(code.slice(0, 3)) ?? subjectsByPrefix.get(code.slice(0, 2));
}

export function federalDistrict(code: string): FederalDistrict | undefined {
  return districtsByCode.get(code);
}

function subject(
  code: string,
  prefix: string,
  nameRu: string,
  nameEn: string,
  federalDistrict: FederalDistrictCode | null,
  population: number | null,
): Subject {
  return Object.freeze({ code, prefix, nameRu, nameEn, federalDistrict, population });
}

function district(code: FederalDistrictCode, nameRu: string, nameEn: string): FederalDistrict {
  return Object.freeze({ code, nameRu, nameEn });
}
