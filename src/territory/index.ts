// Public surface of the territory module: the tree contract, both modes, OKTMO codes and the region table.
export type { TerritoryNode, TerritoryTree } from './tree.js';
export type { LevelName } from './levels.js';
export { OKTMO_LEVELS } from './levels.js';
export { oktmoTree } from './oktmoTree.js';
export type { NameLanguage, OktmoTreeOptions } from './oktmoTree.js';
export { treeFromRows } from './hierarchy.js';
export type { HierarchyRow } from './hierarchy.js';
export { parseOktmoCode, canonicalOktmoCode } from './oktmo.js';
export type { OktmoCode, OktmoKind } from './oktmo.js';
export { FEDERATION, FEDERAL_DISTRICTS, SUBJECTS, subjectOf, federalDistrict } from './regions.js';
export type { FederalDistrict, FederalDistrictCode, Subject } from './regions.js';
