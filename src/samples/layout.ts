/**
 * Where the synthetic people of a sample live, and which levels carry pages.
 *
 * A layout is a territory tree plus a list of *homes* (the finest node a person lives in) weighted by
 * population. Every person subscribes only to pages at their home and its ancestors, which is what lets
 * the generator count the true unique audience of every node exactly as it goes.
 *
 * magadan: the real formations and localities of Magadan Oblast (magadan.ts). Each formation's
 *   population is split between its listed localities and "the rest of the formation" (people whose home
 *   is the formation node itself). A locality without a known population gets a synthetic share: 90 % of
 *   what the known localities leave, split 1 : 1/2 : 1/3 … in code order (the centre, coded first, is
 *   largest); the remainder stays with the formation. Pages: region, formations, localities.
 *
 * national: all subjects with a census population (the four 2022 additions have none and get no
 *   people), with a synthetic but valid-shaped OKTMO structure per subject, sized by population:
 *   m = clamp(round(√population / 50), 3, 60) formations weighted 1 : 1/2 : 1/3 …;
 *   - federal cities (40, 45, 67): intracity territories XX3nn000, homes themselves;
 *   - autonomous okrugs nested in 11 / 71 (118, 718, 719): formations <prefix>nn000 (nn from 11) with a town
 *     …001 and rural localities …101, …106 …;
 *   - elsewhere: formation 0 a city okrug XX701000 (town …001 + rural localities), then alternately
 *     municipal districts XX6nn000 (an urban settlement XX6nn151 with localities …051, …101, and
 *     2–4 rural settlements XX6nn4kk with 1–3 rural localities each) and municipal okrugs XX5nn000
 *     (urban-type settlement …051 + 2–4 rural localities).
 *   Weights split 1 : 1/2 : 1/3 … at every level. The codes are synthetic: they may coincide with real
 *   OKTMO codes but do not denote those territories. Pages: every level, federation and districts included.
 *
 * Only divisions and sums of doubles are used (no Math.pow), so layouts are identical on every engine.
 */

import { oktmoTree, SUBJECTS, type LevelName, type Subject, type TerritoryTree } from '../territory/index.js';
import { MAGADAN_FORMATIONS, MAGADAN_LOCALITIES, MAGADAN_REGION } from './magadan.js';

export type SampleScope = 'magadan' | 'national';

export interface Home {
  readonly code: string;
  readonly weight: number;
}

export interface SampleLayout {
  readonly scope: SampleScope;
  /** OKTMO-mode tree holding every home and its ancestors (names from `names`). */
  readonly tree: TerritoryTree;
  readonly homes: readonly Home[];
  /** Relative share of pages per level; a level not listed carries no pages. */
  readonly pageWeights: Readonly<Partial<Record<LevelName, number>>>;
  /** code → name for the formations and localities (the sample's names.csv), or null if synthetic. */
  readonly names: ReadonlyMap<string, string> | null;
}

/** Share of an unknown-population locality group in what the known localities leave. */
const UNKNOWN_LOCALITIES_SHARE = 0.9;

export function sampleLayout(scope: SampleScope): SampleLayout {
  return scope === 'magadan' ? magadanLayout() : nationalLayout();
}

function magadanLayout(): SampleLayout {
  const names = new Map<string, string>();
  const homes: Home[] = [];
  for (const f of MAGADAN_FORMATIONS) {
    names.set(f.code, f.nameRu);
    const localities = MAGADAN_LOCALITIES.filter((l) => l.formation === f.code);
    const known = localities.reduce((sum, l) => sum + (l.population ?? 0), 0);
    let rest = Math.max(0, f.population - known);
    const unknown = localities.filter((l) => l.population === null);
    const shares = harmonic(unknown.length);
    const pool = rest * UNKNOWN_LOCALITIES_SHARE;
    for (const l of localities) {
      names.set(l.code, l.nameRu);
      let weight = l.population;
      if (weight === null) {
        weight = pool * (shares[unknown.indexOf(l)] as number);
        rest -= weight;
      }
      homes.push({ code: l.code, weight });
    }
    if (rest > 0) homes.push({ code: f.code, weight: rest });
  }
  const tree = oktmoTree({ names });
  tree.resolve(MAGADAN_REGION);
  for (const h of homes) tree.resolve(h.code);
  return { scope: 'magadan', tree, homes, pageWeights: { region: 0.3, municipal: 0.3, locality: 0.4 }, names };
}

const FEDERAL_CITIES = new Set(['40000000', '45000000', '67000000']);

function nationalLayout(): SampleLayout {
  const homes: Home[] = [];
  for (const s of SUBJECTS) {
    if (s.population !== null) subjectHomes(s, s.population, homes);
  }
  const tree = oktmoTree();
  for (const h of homes) tree.resolve(h.code);
  return {
    scope: 'national',
    tree,
    homes,
    pageWeights: { federation: 0.07, federal_district: 0.02, region: 0.28, municipal: 0.3, settlement: 0.08, locality: 0.25 },
    names: null,
  };
}

function subjectHomes(s: Subject, population: number, out: Home[]): void {
  const m = Math.min(60, Math.max(3, Math.round(Math.sqrt(population) / 50)));
  const shares = harmonic(m);
  let districts = 0;
  let okrugs = 0;
  for (let i = 0; i < m; i++) {
    const weight = population * (shares[i] as number);
    if (FEDERAL_CITIES.has(s.code)) {
      out.push({ code: `${s.prefix}3${pad2(i + 1)}000`, weight });
    } else if (s.prefix.length === 3) {
      localities(`${s.prefix}${pad2(11 + i)}000`, ['001', ...rural(1 + (i % 3))], weight, out);
    } else if (i === 0) {
      localities(`${s.prefix}701000`, ['001', ...rural(2)], weight, out);
    } else if (i % 2 === 1) {
      districts++;
      const formation = `${s.prefix}6${pad2(districts)}`;
      const settlements = 1 + 2 + (districts % 3);
      const settlementShares = harmonic(settlements);
      localities(`${formation}151`, ['051', '101'], weight * (settlementShares[0] as number), out);
      for (let k = 1; k < settlements; k++) {
        localities(`${formation}4${pad2(k)}`, rural(1 + (k % 3)), weight * (settlementShares[k] as number), out);
      }
    } else {
      okrugs++;
      localities(`${s.prefix}5${pad2(okrugs)}000`, ['051', ...rural(2 + (okrugs % 3))], weight, out);
    }
  }
}

/** Homes for the localities `suffixes` of an 8-digit parent, splitting `weight` 1 : 1/2 : 1/3 … */
function localities(parent: string, suffixes: readonly string[], weight: number, out: Home[]): void {
  const shares = harmonic(suffixes.length);
  suffixes.forEach((suffix, j) => out.push({ code: `${parent}${suffix}`, weight: weight * (shares[j] as number) }));
}

/** Rural locality suffixes 101, 106, 111 … (numbered in steps of 5 as in OKTMO Section 2). */
function rural(n: number): string[] {
  return Array.from({ length: n }, (_, j) => String(101 + 5 * j));
}

/** Shares proportional to 1, 1/2, 1/3 … 1/n, summing to 1. */
function harmonic(n: number): number[] {
  const raw = Array.from({ length: n }, (_, i) => 1 / (i + 1));
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((r) => r / total);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
