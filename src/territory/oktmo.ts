/**
 * OKTMO codes: parse, classify, find the parent.
 *
 * Reference: OK 033-2013 (ОКТМО, Rosstat, in force since 2014-01-01), as summarised in
 * ../shared/reference/README.md. A code is `XX YYY ZZZ NNN`:
 *
 *   XX   subject of the federation      (inherited from OKATO: Magadan Oblast is 44, not 49)
 *   YYY  2nd-level municipal formation  (first digit = kind: 3 intracity territory of a federal
 *                                        city, 5 municipal okrug, 6 municipal district, 7 city okrug;
 *                                        8/9 units of an autonomous okrug nested in another subject)
 *   ZZZ  3rd-level formation            (first digit = kind: 1 urban settlement, 4 rural settlement,
 *                                        7 inter-settlement territory)
 *   NNN  inhabited locality (Section 2 of the classifier)
 *
 * Worked example, Magadan Oblast:
 *
 *   44701000001  locality (г Магадан)   → its formation is digits 1–8
 *   44701000     city okrug of Magadan  → ZZZ = 000: a 2nd-level formation, parent = the subject
 *   44000000     Magadan Oblast         → subject heading, parent = its federal district (FEFD) → RU
 *
 * and a municipal district with settlements, Altai Republic:
 *   84640440101 (с Карагай) → 84640440 (Karagayskoye rural settlement) → 84640000 (Ust-Koksinsky
 *   municipal district) → 84000000.
 *
 * Rules that matter for input files:
 * - An 11-digit code ending in 000 is the 8-digit formation written in 11-digit form (in the classifier
 *   it heads the list of the formation's localities); it is normalised to 8 digits, so rows keyed
 *   either way meet in one node.
 * - Codes whose YYY ends in 00 (`44700000` "city okrugs of Magadan Oblast") or whose ZZZ ends in 00
 *   (`84640400` "rural settlements of …") are grouping headings in the classifier, not territories:
 *   they are rejected rather than silently turned into nodes nobody can name.
 * - The subject is found from the prefix, 3-digit prefixes first: 118 Nenets AO inside 11 Arkhangelsk
 *   Oblast, 718 Khanty-Mansi AO and 719 Yamalo-Nenets AO inside 71 Tyumen Oblast. Their own 2nd-level
 *   grouping headings are not verified, so only the subject heading itself is treated as one there.
 * - OKTMO has no federal-district level; pages of a federal district or of the whole federation use
 *   the project codes from regions.ts (CFD … FEFD, matched case-insensitively) and `RU`.
 *
 * Errors are typed (`E_INPUT_TERRITORY_MALFORMED` for shapes, `E_INPUT_TERRITORY_UNKNOWN` for codes of
 * the right shape naming nothing) and carry no location: the caller knows the file, line and column.
 */

import { ReachtreeError } from '../errors.js';
import type { LevelName } from './levels.js';
import { FEDERAL_DISTRICTS, FEDERATION, SUBJECTS, subjectOf, type Subject } from './regions.js';

/** What a code denotes, finer than its level; used for fallback names and messages. */
export type OktmoKind =
  | 'federation'
  | 'federal_district'
  | 'subject'
  | 'intracity_territory'
  | 'municipal_okrug'
  | 'municipal_district'
  | 'city_okrug'
  | 'municipal_formation'
  | 'urban_settlement'
  | 'rural_settlement'
  | 'inter_settlement_territory'
  | 'settlement'
  | 'locality';

export interface OktmoCode {
  /** Canonical form: 'RU', a federal-district code, 8 digits (subjects, formations) or 11 (localities). */
  readonly code: string;
  readonly level: LevelName;
  readonly kind: OktmoKind;
  /** Canonical code of the parent node; null for the federation. */
  readonly parent: string | null;
  /** The subject the code lies in; null for the federation and federal districts. */
  readonly subject: Subject | null;
}

const FD_CODES: ReadonlyMap<string, string> = new Map(FEDERAL_DISTRICTS.map((d) => [d.code.toUpperCase(), d.code]));
const EXPECTED = `expected an OKTMO code of 8 or 11 digits, "RU" or a federal-district code (${FEDERAL_DISTRICTS.map((d) => d.code).join(', ')})`;
/** "01–99 except 02, 06, …; nested: 118, 718, 719" — shorter in a message than all 89 prefixes. */
const KNOWN_PREFIXES = ((): string => {
  const used = new Set(SUBJECTS.map((s) => s.prefix));
  const unused: string[] = [];
  for (let i = 1; i <= 99; i++) {
    const p = String(i).padStart(2, '0');
    if (!used.has(p)) unused.push(p);
  }
  const nested = SUBJECTS.filter((s) => s.prefix.length === 3).map((s) => s.prefix);
  return `01–99 except ${unused.join(', ')}; nested autonomous okrugs ${nested.join(', ')}`;
})();

const FORMATION_KINDS: Readonly<Record<string, OktmoKind>> = { '3': 'intracity_territory', '5': 'municipal_okrug', '6': 'municipal_district', '7': 'city_okrug' };
const SETTLEMENT_KINDS: Readonly<Record<string, OktmoKind>> = { '1': 'urban_settlement', '4': 'rural_settlement', '7': 'inter_settlement_territory' };
const FORMATION_GROUPS: Readonly<Record<string, string>> = { '3': 'intracity territories', '5': 'municipal okrugs', '6': 'municipal districts', '7': 'city okrugs' };
const SETTLEMENT_GROUPS: Readonly<Record<string, string>> = { '1': 'urban settlements', '4': 'rural settlements', '7': 'inter-settlement territories' };

/**
 * Parses and classifies a territory code as found in input (surrounding spaces ignored).
 * @throws ReachtreeError E_INPUT_TERRITORY_MALFORMED or E_INPUT_TERRITORY_UNKNOWN (no location).
 */
export function parseOktmoCode(input: string): OktmoCode {
  const text = input.trim();
  if (text.length === 0) throw malformed(`empty territory code; ${EXPECTED}`);

  const upper = text.toUpperCase();
  if (upper === FEDERATION.code) {
    return { code: FEDERATION.code, level: 'federation', kind: 'federation', parent: null, subject: null };
  }
  const fd = FD_CODES.get(upper);
  if (fd !== undefined) return { code: fd, level: 'federal_district', kind: 'federal_district', parent: FEDERATION.code, subject: null };

  if (!isDigits(text)) {
    if (text.length === 8 || text.length === 11) {
      const at = firstNonDigit(text);
      throw malformed(`OKTMO code "${text}" has a non-digit ${JSON.stringify(text[at])} at position ${at + 1}; ${EXPECTED}`);
    }
    if (/^[A-Za-z]{2,6}$/.test(text)) throw unknown(`unknown territory code "${text}"; ${EXPECTED}`);
    throw malformed(`territory code "${text}" is not a code reachtree knows; ${EXPECTED}`);
  }
  if (text.length !== 8 && text.length !== 11) {
    throw malformed(`territory code "${text}" has ${text.length} digits; ${EXPECTED}`);
  }

  if (text.length === 8) return parseFormation(text, `OKTMO code "${text}" is`);
  const formation = text.slice(0, 8);
  if (text.endsWith('000')) {
    return parseFormation(formation, `OKTMO code "${text}" (formation ${formation} in 11-digit form) is`);
  }
  const parent = parseFormation(formation, `OKTMO code "${text}" is a locality under "${formation}", which is`);
  if (parent.level === 'region') {
    throw malformed(
      `OKTMO code "${text}" is a locality directly under the subject heading ${formation}; ` +
        `a locality code needs a municipal formation in digits 3–8 (e.g. 44701000001)`,
    );
  }
  return { code: text, level: 'locality', kind: 'locality', parent: parent.code, subject: parent.subject };
}

/** The canonical code for an input code (see `parseOktmoCode`): '44701000000' → '44701000', 'sibfd' → 'SibFD'. */
export function canonicalOktmoCode(input: string): string {
  return parseOktmoCode(input).code;
}

/** Classifies an 8-digit code; `what` starts the error messages ("OKTMO code "…" is"). */
function parseFormation(code: string, what: string): OktmoCode {
  const subject = subjectOf(code);
  if (subject === undefined) {
    const prefix = code.slice(0, 2);
    const baikonur = prefix === '55' ? ' (55 is Baikonur, leased from Kazakhstan, not a federal subject)' : '';
    throw unknown(
      `${what} in no subject of the federation: no subject has the OKTMO prefix ${prefix}${baikonur}; ` +
        `subject prefixes are ${KNOWN_PREFIXES}`,
    );
  }
  if (code === subject.code) {
    return { code, level: 'region', kind: 'subject', parent: subject.federalDistrict ?? FEDERATION.code, subject };
  }

  const mid = code.slice(2, 5); // YYY
  const low = code.slice(5, 8); // ZZZ
  const formation = `${code.slice(0, 5)}000`;
  const nested = subject.prefix.length === 3;
  if (formation === subject.code) {
    throw malformed(
      `${what} a settlement code without a municipal formation: digits 3–5 are ${mid}, the subject's own; ` +
        `expected digits 3–5 naming a municipal district or okrug (e.g. ${exampleFormation(code, subject)})`,
    );
  }
  if (mid[0] === '0') {
    throw malformed(
      `${what} not a municipal formation: digit 3 (the kind of formation) is 0, which only the subject heading ` +
        `${subject.code} has; expected 3, 5, 6, 7, 8 or 9 (e.g. ${exampleFormation(code, subject)})`,
    );
  }
  if (!nested && mid.endsWith('00')) {
    const group = FORMATION_GROUPS[mid[0] ?? ''] ?? 'municipal formations';
    throw malformed(
      `${what} a grouping heading ("${group} of ${subject.nameEn}"), not a municipal formation; ` +
        `formation codes have digits 4–5 other than 00 (e.g. ${code.slice(0, 3)}01000)`,
    );
  }
  if (low === '000') {
    const kind = nested ? 'municipal_formation' : (FORMATION_KINDS[mid[0] ?? ''] ?? 'municipal_formation');
    return { code, level: 'municipal', kind, parent: subject.code, subject };
  }
  if (low.endsWith('00')) {
    const group = SETTLEMENT_GROUPS[low[0] ?? ''] ?? 'settlements';
    throw malformed(
      `${what} a grouping heading ("${group} of ${formation}"), not a settlement; ` +
        `settlement codes have digits 7–8 other than 00 (e.g. ${code.slice(0, 6)}01)`,
    );
  }
  return { code, level: 'settlement', kind: SETTLEMENT_KINDS[low[0] ?? ''] ?? 'settlement', parent: formation, subject };
}

function exampleFormation(code: string, subject: Subject): string {
  return subject.prefix.length === 3 ? `${subject.prefix}11000` : `${code.slice(0, 2)}701000`;
}

function isDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function firstNonDigit(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return i;
  }
  return -1;
}

function malformed(message: string): ReachtreeError {
  return new ReachtreeError('E_INPUT_TERRITORY_MALFORMED', message);
}

function unknown(message: string): ReachtreeError {
  return new ReachtreeError('E_INPUT_TERRITORY_UNKNOWN', message);
}
