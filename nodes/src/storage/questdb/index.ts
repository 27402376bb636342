/**
 * Gridflow's QuestDB client: a batching, back-pressured ILP writer, a parameterised SQL client over
 * the PostgreSQL wire, and pure builders for the table layout. The client libraries
 * (@questdb/nodejs-client, pg, pg-cursor) are imported on first use, so importing this is cheap.
 */
export * from './column-types.js';
export * from './connection.js';
export * from './identifiers.js';
export * from './materialized-views.js';
export * from './table-layout.js';
export * from './schema-sync.js';
export {
  createWriter,
  WriterClosedError,
  type RejectedRow,
  type Writer,
  type WriterOptions,
  type WriterStats,
  type WriterState,
  type WriteOptions,
} from './writer.js';
export { prepareRow, toMicros, InvalidRowError, type FieldValue, type Row, type SymbolValue } from './row.js';
export { classifyIngestError, type IngestFailure } from './ingest-errors.js';
export { createBoundedQueue, type BoundedQueue } from './bounded-queue.js';
export {
  createSqlClient,
  type ColumnInfo,
  type QueryResult,
  type ResultPage,
  type ResultRow,
  type SqlClient,
  type SqlClientOptions,
} from './sql-client.js';
export { checkParams, placeholdersIn, QuestDbParamError, type SqlParam } from './sql-params.js';
export { QuestDbSqlError, QuestDbUnavailableError, isConnectionError } from './sql-errors.js';
