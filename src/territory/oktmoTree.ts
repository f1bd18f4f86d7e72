/**
 * OKTMO mode (the default): the federation, its federal districts and its 89 subjects exist from the
 * start; formations, settlements and localities are created the first time input names them, together
 * with any ancestor not seen yet (a locality row alone brings in its settlement and formation).
 *
 *   RU ─ CFD … FEFD (table order) ─ subjects (by code) ─ municipal ─ settlement ─ locality
 *    └─ 21, 23, 39, 43 (the 2022 additions, no verified federal district: directly under RU)
 *
 * Siblings are reported by code, except the federation's children: federal districts in the table's
 * order first, then the subjects that hang directly under it.
 *
 * Names come from, in order: the `names` map (keys in any accepted spelling), the region table, else a
 * readable fallback built from the code's kind ("city okrug 44701000", "городской округ 44701000").
 */

import { ReachtreeError } from '../errors.js';
import { OKTMO_LEVELS } from './levels.js';
import { parseOktmoCode, type OktmoCode, type OktmoKind } from './oktmo.js';
import { FEDERAL_DISTRICTS, FEDERATION, SUBJECTS } from './regions.js';
import { compareCodes, NodeStore, type StoredNode, type TerritoryNode, type TerritoryTree } from './tree.js';

export type NameLanguage = 'ru' | 'en';

export interface OktmoTreeOptions {
  /** code → name for formations, settlements and localities (overrides the table for others too). */
  readonly names?: ReadonlyMap<string, string>;
  /** Language of the built-in names and fallbacks; default 'ru', the language of OKTMO itself. */
  readonly language?: NameLanguage;
}

const FALLBACK_KIND: Readonly<Record<NameLanguage, Readonly<Record<OktmoKind, string>>>> = {
  en: {
    federation: 'federation',
    federal_district: 'federal district',
    subject: 'subject',
    intracity_territory: 'intracity territory',
    municipal_okrug: 'municipal okrug',
    municipal_district: 'municipal district',
    city_okrug: 'city okrug',
    municipal_formation: 'municipal formation',
    urban_settlement: 'urban settlement',
    rural_settlement: 'rural settlement',
    inter_settlement_territory: 'inter-settlement territory',
    settlement: 'settlement',
    locality: 'locality',
  },
  ru: {
    federation: 'федерация',
    federal_district: 'федеральный округ',
    subject: 'субъект',
    intracity_territory: 'внутригородская территория',
    municipal_okrug: 'муниципальный округ',
    municipal_district: 'муниципальный район',
    city_okrug: 'городской округ',
    municipal_formation: 'муниципальное образование',
    urban_settlement: 'городское поселение',
    rural_settlement: 'сельское поселение',
    inter_settlement_territory: 'межселенная территория',
    settlement: 'поселение',
    locality: 'населённый пункт',
  },
};

const FD_RANK: ReadonlyMap<string, number> = new Map(FEDERAL_DISTRICTS.map((d, i) => [d.code, i]));

/** The OKTMO-mode tree (see the module comment). Names keys that are not valid codes throw. */
export function oktmoTree(options: OktmoTreeOptions = {}): TerritoryTree {
  return new OktmoTree(options);
}

/** Federal districts first (table order), then everything else by code. */
function compareOktmoSiblings(a: StoredNode, b: StoredNode): number {
  const ra = FD_RANK.get(a.code) ?? FD_RANK.size;
  const rb = FD_RANK.get(b.code) ?? FD_RANK.size;
  return ra !== rb ? ra - rb : compareCodes(a, b);
}

class OktmoTree extends NodeStore {
  private readonly names: ReadonlyMap<string, string>;
  private readonly language: NameLanguage;

  constructor(options: OktmoTreeOptions) {
    super(compareOktmoSiblings);
    this.language = options.language ?? 'ru';
    this.names = canonicalNames(options.names);
    const ru = this.language === 'ru';

    const root = this.addNode(FEDERATION.code, this.nameFor(FEDERATION.code, ru ? FEDERATION.nameRu : FEDERATION.nameEn), 'federation', null);
    for (const d of FEDERAL_DISTRICTS) {
      this.addNode(d.code, this.nameFor(d.code, ru ? d.nameRu : d.nameEn), 'federal_district', root);
    }
    for (const s of SUBJECTS) {
      const parent = s.federalDistrict === null ? root : (this.byCode.get(s.federalDistrict) as StoredNode);
      this.addNode(s.code, this.nameFor(s.code, ru ? s.nameRu : s.nameEn), 'region', parent);
    }
  }

  override resolve(code: string): TerritoryNode {
    const hit = this.byCode.get(code);
    if (hit !== undefined) return hit;
    const node = this.materialise(parseOktmoCode(code));
    // Remember this spelling too ('44701000000', ' 44701000'), so repeats are one map lookup.
    this.byCode.set(code, node);
    return node;
  }

  override get(code: string): TerritoryNode | undefined {
    const hit = this.byCode.get(code);
    if (hit !== undefined) return hit;
    try {
      return this.byCode.get(parseOktmoCode(code).code);
    } catch {
      return undefined;
    }
  }

  override levels(): string[] {
    return [...OKTMO_LEVELS];
  }

  /** The node for a parsed code, creating it and any missing ancestors (at most 3 levels up). */
  private materialise(parsed: OktmoCode): StoredNode {
    const existing = this.byCode.get(parsed.code);
    if (existing !== undefined) return existing;
    // Parent is non-null below the pre-built subjects, and the chain ends at a subject that exists.
    const parentCode = parsed.parent as string;
    const parent = this.byCode.get(parentCode) ?? this.materialise(parseOktmoCode(parentCode));
    const fallback = `${FALLBACK_KIND[this.language][parsed.kind]} ${parsed.code}`;
    return this.addNode(parsed.code, this.nameFor(parsed.code, fallback), parsed.level, parent);
  }

  private nameFor(code: string, otherwise: string): string {
    return this.names.get(code) ?? otherwise;
  }
}

/** Keys normalised, so a names file may write formations in 8- or 11-digit form. */
function canonicalNames(names: ReadonlyMap<string, string> | undefined): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  if (names === undefined) return out;
  for (const [code, name] of names) {
    let canonical: string;
    try {
      canonical = parseOktmoCode(code).code;
    } catch (e) {
      if (e instanceof ReachtreeError) throw new ReachtreeError(e.code, `names: ${e.message}`, { cause: e });
      throw e;
    }
    if (name.length > 0) out.set(canonical, name);
  }
  return out;
}
