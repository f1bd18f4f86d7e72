// Public surface of the PostgreSQL edge: cells into a table (build --pg), cells from a query (report --pg).
export { checkPgUrl, maskUrl, DEFAULT_CONNECT_TIMEOUT_MS } from './connection.js';
export type { PgConnectOptions } from './connection.js';
export { parseTableName } from './names.js';
export type { TableName } from './names.js';
export { checkCellsTable, createTableSql, writeCellsToTable } from './write.js';
export type { CellsShape, WriteCellsOptions, WriteCellsResult } from './write.js';
export { readCellsFromQuery, tableQuery } from './read.js';
export type { QueryCellsResult, ReadCellsQueryOptions } from './read.js';
