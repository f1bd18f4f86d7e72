/**
 * The six levels of the OKTMO roll-up, root first.
 *
 * A level says what a node *is*, not how deep it sits: the four subjects added in 2022 hang directly
 * under the federation (no verified federal district, see regions.ts), and localities of city or
 * municipal okrugs hang directly under their formation (those have no settlement tier), so depth and
 * level differ there. Reports group by level name.
 */

export type LevelName = 'federation' | 'federal_district' | 'region' | 'municipal' | 'settlement' | 'locality';

/** Root level first; the order in which `TerritoryTree.levels()` lists them in OKTMO mode. */
export const OKTMO_LEVELS: readonly LevelName[] = Object.freeze([
  'federation',
  'federal_district',
  'region',
  'municipal',
  'settlement',
  'locality',
]);
