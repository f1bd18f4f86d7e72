/**
 * reachtree's public library surface. The CLI (`src/cli`) is built on exactly these exports.
 *
 *   import { estimateFiles, formatReport } from 'reachtree';
 *   const { rows, facetNames } = await estimateFiles(['subs.csv.gz']);
 *   process.stdout.write(await formatReport(rows, 'csv', { facetNames }));
 */

// Errors
export { ReachtreeError, exitCodeFor, isReachtreeError } from './errors.js';
export type { ErrorCode, InputLocation } from './errors.js';

// Hashing (PostgreSQL hll_hash_* semantics)
export * from './hash/index.js';

// Sketches (PostgreSQL hll storage spec v1)
export {
  HllSketch,
  DEFAULT_HLL_PARAMS,
  PG_DEFAULT_HLL_PARAMS,
  HLL_PARAM_LIMITS,
  resolveHllParams,
  describeBytes,
  bytesToHex,
  hexToBytes,
} from './sketch/index.js';
export type { HllParams, Estimate, Representation } from './sketch/index.js';

// Territory trees
export * from './territory/index.js';

// Cells and the roll-up
export { ALL, Cube, rollUp, rollUpEach, encodeCells, CellsDecoder, cellsHeader } from './cube/index.js';
export type { Cell, CubeCell, RolledCell, CellRow } from './cube/index.js';

// Ingest: files, streams, row objects; cells files
export {
  ingestFiles,
  ingestStream,
  ingestRows,
  resolveIngestOptions,
  readCellsFiles,
  readCellsStream,
  writeCellsFile,
  cellsCsv,
  openSource,
  formatSummary,
} from './ingest/index.js';
export type { IngestArgs, IngestOptions, IngestResult, IngestSummary, RowObject, RejectedRow } from './ingest/index.js';
export { readHierarchy, readNamesCsv, readTruthCsv } from './ingest/tables.js';

// Reports
export { buildReport, reportRow } from './report/rows.js';
export type { ReportRow, ReportOptions, Bound } from './report/rows.js';
export { formatReport, reportColumns, REPORT_FORMATS } from './report/formats.js';
export type { ReportFormat, FormatOptions } from './report/formats.js';
export { truthTable, summariseTruth, verdictFor } from './report/truth.js';
export type { TruthEntry, TruthTable, TruthSummary } from './report/truth.js';
export { writeFileAtomic } from './report/atomic.js';

// Jobs
export { estimateFiles, reportFromCells, reportCube, loadTree } from './jobs.js';
export type { TreeArgs, ReportArgs, ReportResult, EstimateResult } from './jobs.js';

// PostgreSQL / Citus edge: cells into an hll table, cells from a query
export { writeCellsToTable, readCellsFromQuery, checkCellsTable, createTableSql, tableQuery, parseTableName, maskUrl } from './pg/index.js';
export type { WriteCellsOptions, WriteCellsResult, QueryCellsResult, ReadCellsQueryOptions } from './pg/index.js';
