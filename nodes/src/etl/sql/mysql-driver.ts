import mysql from 'mysql2';
import type { FieldPacket, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2';
import { dialectOf } from './dialect.js';
import type { Query, QueryResult, SqlConnectionOptions, SqlDriver, SqlRow } from './driver.js';

// Prepared statements take no undefined and no plain objects: those become NULL and JSON text.
type Bindable = string | number | bigint | boolean | Date | Buffer | null;

function bindable(value: unknown): Bindable {
  if (value === undefined || value === null) return null;
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return value;
  return JSON.stringify(value) ?? null;
}

const callback = (start: (cb: (err: unknown) => void) => void) =>
  new Promise<void>((resolve, reject) => start((err) => (err ? reject(err as Error) : resolve())));

function resultOf(rows: unknown, fields: FieldPacket[] | undefined): QueryResult {
  if (Array.isArray(rows)) return { rows: rows as SqlRow[], rowCount: rows.length, fields: (fields ?? []).map((f) => f.name) };
  const header = rows as ResultSetHeader;
  return { rows: [], rowCount: header.affectedRows ?? 0, fields: [] };
}

/** MySQL and MariaDB through mysql2, with server-side prepared statements. */
export function createMysqlDriver(o: SqlConnectionOptions): SqlDriver {
  const pool = mysql.createPool({
    host: o.host,
    port: o.port,
    user: o.user,
    password: o.password,
    database: o.database,
    connectionLimit: o.poolSize,
    connectTimeout: o.connectTimeoutMs,
    supportBigNumbers: true,
    maxPreparedStatements: 64,
    ...(o.tls ? { ssl: o.tls } : {}),
  });
  pool.on('connection', (conn) => conn.on('error', (err: Error) => o.onIdleError?.(err)));
  const promisePool = pool.promise();

  const onConnection =
    (conn: { execute: PoolConnection['execute'] }): Query =>
    (text, values) =>
      new Promise((resolve, reject) => {
        conn.execute<RowDataPacket[] | ResultSetHeader>(text, values.map(bindable), (err, rows, fields) =>
          err ? reject(err) : resolve(resultOf(rows, fields)),
        );
      });

  const getConnection = () =>
    new Promise<PoolConnection>((resolve, reject) => pool.getConnection((err, conn) => (err ? reject(err) : resolve(conn))));

  return {
    dialect: dialectOf('mysql'),
    query: async (text, values) => {
      const [rows, fields] = await promisePool.execute<RowDataPacket[] | ResultSetHeader>(text, values.map(bindable));
      return resultOf(rows, fields);
    },
    async *pages(text, values, pageSize) {
      const conn = await getConnection();
      // The stream pauses the connection when its buffer is full: rows are read from the server only as fast as we take them.
      const stream = conn.execute(text, values.map(bindable)).stream({ highWaterMark: pageSize });
      let finished = false;
      try {
        let page: SqlRow[] = [];
        for await (const row of stream as AsyncIterable<SqlRow>) {
          page.push(row);
          if (page.length >= pageSize) {
            yield page;
            page = [];
          }
        }
        finished = true;
        if (page.length) yield page;
      } finally {
        // A result left half read cannot be skipped on the wire: that connection is closed, not reused.
        if (finished) conn.release();
        else {
          stream.destroy();
          conn.destroy();
        }
      }
    },
    async transaction(fn) {
      const conn = await getConnection();
      let broken = false;
      try {
        await callback((cb) => conn.beginTransaction(cb));
        const result = await fn(onConnection(conn));
        await callback((cb) => conn.commit(cb));
        return result;
      } catch (err) {
        try {
          await callback((cb) => conn.rollback(cb));
        } catch (rollbackErr) {
          // The original error is what the caller needs; a connection that cannot roll back is not reused.
          broken = rollbackErr !== undefined;
        }
        throw err;
      } finally {
        if (broken) conn.destroy();
        else conn.release();
      }
    },
    close: () => promisePool.end(),
  };
}
