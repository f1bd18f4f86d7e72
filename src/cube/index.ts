// Public surface of the cube module: cells by (territory, facet values), the roll-up, and the cells interchange rows.
export { ALL, Cube, compareFacetValues, comparePaths } from './cube.js';
export type { Cell, CubeCell } from './cube.js';
export { rollUp, rollUpEach } from './rollup.js';
export type { RolledCell } from './rollup.js';
export { CellsDecoder, cellRowFields, cellsHeader, describeParams, encodeCells, SKETCH_COLUMN, SUBSCRIPTIONS_COLUMN, TERRITORY_COLUMN } from './cells.js';
export type { CellRow, CellsDecoderOptions } from './cells.js';
