import type { Dialect, SqlDriverName } from './dialect.js';

export type SqlRow = Record<string, unknown>;

export interface QueryResult {
  rows: SqlRow[];
  /** Rows returned, or rows affected by INSERT / UPDATE / DELETE. */
  rowCount: number;
  fields: string[];
}

export type Query = (text: string, values: readonly unknown[]) => Promise<QueryResult>;

/** One pooled connection to PostgreSQL, MySQL/MariaDB or QuestDB (pg wire). */
export interface SqlDriver {
  readonly dialect: Dialect;
  query: Query;
  /**
   * The rows of a query, a page at a time, read from the server only as the pages are asked for
   * (a PostgreSQL cursor, a MySQL streaming result). Leaving the loop early closes the cursor.
   */
  pages(text: string, values: readonly unknown[], pageSize: number): AsyncGenerator<SqlRow[], void, undefined>;
  /** Runs `fn` on one connection inside a transaction (QuestDB: without one, it has none over pg wire). */
  transaction<T>(fn: (query: Query) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface SqlConnectionOptions {
  driver: SqlDriverName;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** node:tls options; undefined: plain TCP. */
  tls?: Record<string, unknown>;
  poolSize: number;
  connectTimeoutMs: number;
  /** Told about errors of idle connections (which would otherwise crash the process). */
  onIdleError?(err: Error): void;
}
