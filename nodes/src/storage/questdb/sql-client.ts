import type { FieldDef, Pool, PoolClient, QueryResult as PgQueryResult } from 'pg';
import { describeConnection, questDbConnection, type QuestDbConnectionInput } from './connection.js';
import { checkParams, type SqlParam } from './sql-params.js';
import { toSqlError } from './sql-errors.js';

/**
 * SQL over the PostgreSQL wire protocol. Queries take their values as parameters ($1..$n) and never
 * as text pasted into the SQL; large results are read page by page through a cursor, so a query
 * over millions of rows holds one page in memory.
 */

export type ResultRow = Record<string, unknown>;

export interface ColumnInfo {
  name: string;
  /** The PostgreSQL type id QuestDB reports (701 double, 20 long, 1114 timestamp, 1043 varchar, ...). */
  typeId: number;
}

export interface QueryResult<R extends ResultRow = ResultRow> {
  rows: R[];
  rowCount: number;
  columns: ColumnInfo[];
}

export interface ResultPage<R extends ResultRow = ResultRow> {
  rows: R[];
  /** 0-based page number. */
  index: number;
  columns: ColumnInfo[];
}

export interface SqlClientOptions {
  connection: QuestDbConnectionInput;
  /** Pooled connections (queries run in parallel up to this). */
  maxConnections?: number;
  connectTimeoutMs?: number;
  /** Client-side limit for one query, or one page of a cursor. */
  queryTimeoutMs?: number;
  log?: (level: 'warn' | 'error', message: string) => void;
}

export interface SqlClient {
  /** Runs one statement (a query or DDL) and returns all rows. */
  query<R extends ResultRow = ResultRow>(sql: string, params?: readonly SqlParam[]): Promise<QueryResult<R>>;
  /** Reads the result `pageRows` rows at a time; breaking out of the loop closes the cursor. */
  pages<R extends ResultRow = ResultRow>(
    sql: string,
    params?: readonly SqlParam[],
    options?: { pageRows?: number },
  ): AsyncGenerator<ResultPage<R>, void, void>;
  close(): Promise<void>;
}

// QuestDB sends LONG as int8 and TIMESTAMP as "timestamp without time zone" holding UTC. pg would
// give int8 as text and read timestamps in the machine's zone; numbers and UTC Dates are what flows want.
const INT8 = 20;
const TIMESTAMP = 1114;

function parseInt8(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

function parseUtcTimestamp(text: string): Date {
  const iso = text.includes('T') ? text : text.replace(' ', 'T');
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
}

const columnsOf = (fields: readonly FieldDef[] | undefined): ColumnInfo[] =>
  (fields ?? []).map((f) => ({ name: f.name, typeId: f.dataTypeID }));

/** Closes a cursor that ended normally; returns an error (so the connection is dropped) if that fails or hangs. */
async function closeCursor(cursor: { close(): Promise<void> }): Promise<Error | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timedOut = new Promise<Error>(
      (resolve) => (timer = setTimeout(() => resolve(new Error('closing the cursor timed out')), 5000)),
    );
    return await Promise.race([cursor.close().then(() => undefined), timedOut]);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  } finally {
    clearTimeout(timer);
  }
}

export function createSqlClient(options: SqlClientOptions): SqlClient {
  const connection = questDbConnection(options.connection);
  const target = describeConnection(connection);
  let pool: Promise<Pool> | undefined;

  function getPool(): Promise<Pool> {
    pool ??= (async () => {
      const pg = (await import('pg')).default;
      const getTypeParser = ((oid: number, format?: 'text' | 'binary') => {
        if (format !== 'binary' && oid === INT8) return parseInt8;
        if (format !== 'binary' && oid === TIMESTAMP) return parseUtcTimestamp;
        return pg.types.getTypeParser(oid, format ?? 'text');
      }) as typeof pg.types.getTypeParser;
      const p = new pg.Pool({
        host: connection.host,
        port: connection.pgPort,
        user: connection.user,
        password: connection.password,
        database: connection.database,
        ssl: connection.tls ? { rejectUnauthorized: false } : false,
        max: options.maxConnections ?? 4,
        connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
        query_timeout: options.queryTimeoutMs ?? 60_000,
        idleTimeoutMillis: 30_000,
        types: { getTypeParser },
      });
      // An idle connection dropped by a restarting QuestDB must not become an unhandled 'error' event.
      p.on('error', (err) => options.log?.('warn', `${target}: idle connection closed: ${err.message}`));
      return p;
    })();
    return pool;
  }

  async function connect(): Promise<PoolClient> {
    try {
      return await (await getPool()).connect();
    } catch (err) {
      throw toSqlError(err, '', target);
    }
  }

  return {
    async query<R extends ResultRow = ResultRow>(sql: string, params: readonly SqlParam[] = []) {
      const values = checkParams(sql, params);
      const client = await connect();
      let broken: Error | undefined;
      try {
        const result: PgQueryResult<R> = await client.query<R>(sql, values);
        return { rows: result.rows, rowCount: result.rows.length, columns: columnsOf(result.fields) };
      } catch (err) {
        const e = toSqlError(err, sql, target);
        if (e.name === 'QuestDbUnavailableError') broken = e;
        throw e;
      } finally {
        client.release(broken);
      }
    },

    async *pages<R extends ResultRow = ResultRow>(
      sql: string,
      params: readonly SqlParam[] = [],
      opts: { pageRows?: number } = {},
    ) {
      const values = checkParams(sql, params);
      const pageRows = Math.max(1, opts.pageRows ?? 1000);
      const { default: Cursor } = await import('pg-cursor');
      const client = await connect();
      // After a failed cursor step QuestDB answers the messages already pipelined with more errors
      // ("portal does not exist"), which reach the client with no query to own them. They are
      // caught here, and the connection is then thrown away rather than reused out of step.
      let broken: Error | undefined;
      const onError = (err: Error) => {
        broken ??= err;
      };
      client.on('error', onError);
      const cursor = client.query(new Cursor<R>(sql, values));
      try {
        for (let index = 0; ; index++) {
          const { rows, fields } = await new Promise<{ rows: R[]; fields: FieldDef[] }>((resolve, reject) => {
            cursor.read(pageRows, (err, rows, result) =>
              err ? reject(err) : resolve({ rows, fields: result?.fields ?? [] }),
            );
          });
          if (rows.length === 0 && index > 0) return;
          yield { rows, index, columns: columnsOf(fields) };
          if (rows.length < pageRows) return;
        }
      } catch (err) {
        const e = toSqlError(err, sql, target);
        broken ??= e;
        throw e;
      } finally {
        if (!broken) broken = await closeCursor(cursor);
        client.removeListener('error', onError);
        client.release(broken);
      }
    },

    async close() {
      const p = pool;
      pool = undefined;
      if (p) await (await p).end();
    },
  };
}
