// Public surface of the ingest module: subscription CSV in (files, streams, row objects), cells files in and out.
export { ingestFiles, ingestRows, ingestStream } from './pipeline.js';
export type { IngestIo, IngestResult, RowObject } from './pipeline.js';
export { resolveIngestOptions, DEFAULT_FACET_COLUMNS, DEFAULT_ID_COLUMN, DEFAULT_TERRITORY_COLUMN, MAX_WORKERS } from './options.js';
export type { IngestArgs, IngestOptions } from './options.js';
export { formatSummary, ProgressReporter } from './progress.js';
export type { IngestSummary, ProgressSink, ProgressState } from './progress.js';
export type { RejectedRow, ColumnLayout } from './ingester.js';
export { openSource, streamSource, STDIN_NAME } from './sources.js';
export type { ByteSource, SourceOptions } from './sources.js';
export { cellsCsv, readCellsFiles, readCellsStream, writeCellsFile } from './cells.js';
export type { CellsReadResult, ReadCellsOptions } from './cells.js';
export { CsvScanner } from './scanner.js';
export type { ScanIssue, ScannerOptions } from './scanner.js';
