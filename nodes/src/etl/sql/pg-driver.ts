import pg from 'pg';
import Cursor from 'pg-cursor';
import { dialectOf } from './dialect.js';
import type { Query, QueryResult, SqlConnectionOptions, SqlDriver, SqlRow } from './driver.js';

const INT8_OID = 20;

// int8 (bigint, count(*)) as a number while it is exact, else the string pg gives; per pool, never global.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') {
      return (value: string) => {
        const n = Number(value);
        return Number.isSafeInteger(n) ? n : value;
      };
    }
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

const resultOf = (r: pg.QueryResult): QueryResult => ({
  rows: r.rows as SqlRow[],
  rowCount: r.rowCount ?? r.rows.length,
  fields: (r.fields ?? []).map((f) => f.name),
});

/** PostgreSQL, and QuestDB over its PostgreSQL wire protocol. */
export function createPgDriver(o: SqlConnectionOptions): SqlDriver {
  const pool = new pg.Pool({
    host: o.host,
    port: o.port,
    user: o.user,
    password: o.password,
    database: o.database,
    max: o.poolSize,
    connectionTimeoutMillis: o.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    types,
    ...(o.tls ? { ssl: o.tls } : {}),
  });
  pool.on('error', (err) => o.onIdleError?.(err));
  const dialect = dialectOf(o.driver);

  const query: Query = async (text, values) => resultOf(await pool.query({ text, values: [...values], types }));

  return {
    dialect,
    query,
    async *pages(text, values, pageSize) {
      const client = await pool.connect();
      let failed: Error | undefined;
      const cursor = client.query(new Cursor<SqlRow>(text, [...values], { types }));
      try {
        for (;;) {
          const rows = await cursor.read(pageSize);
          if (rows.length === 0) return;
          yield rows;
          if (rows.length < pageSize) return;
        }
      } catch (err) {
        failed = err as Error;
        throw err;
      } finally {
        try {
          await cursor.close();
        } catch (err) {
          failed ??= err as Error;
        }
        // A connection whose cursor failed is not given back for reuse.
        client.release(failed);
      }
    },
    async transaction(fn) {
      const client = await pool.connect();
      const q: Query = async (text, values) => resultOf(await client.query({ text, values: [...values], types }));
      const useTx = o.driver !== 'questdb';
      let failed: Error | undefined;
      try {
        if (useTx) await client.query('BEGIN');
        const result = await fn(q);
        if (useTx) await client.query('COMMIT');
        return result;
      } catch (err) {
        failed = err as Error;
        if (useTx) {
          try {
            await client.query('ROLLBACK');
            failed = undefined;
          } catch (rollbackErr) {
            failed = rollbackErr as Error;
          }
        }
        throw err;
      } finally {
        client.release(failed);
      }
    },
    close: () => pool.end(),
  };
}
