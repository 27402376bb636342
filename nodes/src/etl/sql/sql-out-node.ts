import { z } from 'zod';
import { defineNode, type Done, type Msg, type NodeContext, type NodeHandlers, type Send } from '@gridflow/runtime';
import { boolish, numberish, stringish } from '../../shared/typed-value.js';
import { jobHandle } from '../services.js';
import { checkIdentifier, type Dialect } from './dialect.js';
import type { Query } from './driver.js';
import { insertStatement, rowsPerStatement, type InsertPlan } from './insert.js';
import { rowsFromPayload, type ColumnMapping, type RowBatch } from './rows.js';
import { sqlError } from './sql-errors.js';
import { connectionOf, openDriver } from './use-connection.js';
import { createIlpLoader } from './questdb-ilp.js';
import { createWriteBuffer } from './write-buffer.js';

const columnSchema = z.object({ column: stringish(), property: stringish() });

const sqlOutConfig = z
  .object({
    name: stringish(),
    connection: stringish().pipe(z.string().min(1, 'choose a SQL connection')),
    table: stringish().pipe(z.string().trim().min(1, 'the table is required')),
    /** upsert: rows whose key exists are updated (PostgreSQL ON CONFLICT, MySQL ON DUPLICATE KEY). */
    mode: z.enum(['insert', 'upsert']).default('insert'),
    /** Key columns of an upsert, comma separated (PostgreSQL's conflict target; MySQL uses the table's unique keys). */
    keys: stringish(''),
    /** Columns and the row property each comes from; empty: the keys of the row objects. */
    columns: z.array(columnSchema).default([]),
    /** Rows per INSERT statement (fewer when the driver's parameter limit says so). */
    batchSize: numberish(500).pipe(z.number().int().min(1, 'batch size must be at least 1').max(10_000, 'batch size must be at most 10000')),
    /** All statements of a message in one transaction: a message's rows are stored all or none. */
    transaction: boolish(true),
    /**
     * 0: each message is written on its own. More: rows of consecutive messages are gathered for up
     * to this many ms (or until *batch size* rows wait) and written together, each message going on
     * once its rows are stored.
     */
    /** QuestDB: load over ILP/HTTP (fast; the table must exist) or with INSERT over the PostgreSQL wire. */
    ingest: z.enum(['ilp', 'sql']).default('ilp'),
    flushInterval: numberish(0).pipe(z.number().min(0, 'flush interval must not be negative').max(60_000, 'flush interval must be at most 60000 ms')),
  })
  .superRefine((c, issue) => {
    const check = (name: string, path: (string | number)[], what: string) => {
      try {
        checkIdentifier(name, what);
      } catch (err) {
        issue.addIssue({ code: 'custom', path, message: (err as Error).message });
      }
    };
    check(c.table.trim(), ['table'], 'table');
    c.columns.forEach((col, i) => check(col.column.trim(), ['columns', i, 'column'], 'column'));
    const keys = keyList(c.keys);
    keys.forEach((k) => check(k, ['keys'], 'key column'));
    if (c.mode === 'upsert' && keys.length && c.columns.length) {
      const cols = new Set(c.columns.map((col) => col.column.trim()));
      for (const k of keys) if (!cols.has(k)) issue.addIssue({ code: 'custom', path: ['keys'], message: `key column "${k}" is not among the columns` });
    }
  });
type SqlOutConfig = z.infer<typeof sqlOutConfig>;

function keyList(keys: string): string[] {
  return keys
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
}

/** Statements by shape (columns and rows per statement), so that a steady stream of pages builds each once. */
function statementCache(dialect: Dialect, base: Omit<InsertPlan, 'columns'>) {
  const cache = new Map<string, string>();
  return (columns: string[], rows: number): string => {
    const key = `${columns.join('\u0000')}\u0001${rows}`;
    let sql = cache.get(key);
    if (sql === undefined) {
      sql = insertStatement(dialect, { ...base, columns }, rows);
      if (cache.size >= 64) cache.delete(cache.keys().next().value as string);
      cache.set(key, sql);
    }
    return sql;
  };
}

async function createSqlOut(ctx: NodeContext, c: SqlOutConfig): Promise<NodeHandlers> {
  const where = `sql out ${ctx.id}`;
  const conn = connectionOf(ctx, c.connection, 'sql out');
  const { dialectOf } = await import('./dialect.js');
  const dialect = dialectOf(conn.driver);
  const mode = c.mode;
  const keys = keyList(c.keys);
  if (mode === 'upsert' && dialect.driver === 'questdb') {
    throw new Error(`${where}: QuestDB has no upsert over SQL: declare DEDUP UPSERT KEYS on the table and use mode insert`);
  }
  if (mode === 'upsert' && dialect.driver === 'postgres' && keys.length === 0) {
    throw new Error(`${where}: an upsert into PostgreSQL needs the key columns (keys), the target of ON CONFLICT`);
  }
  const mapping: ColumnMapping[] = c.columns.map((m) => ({ column: m.column.trim(), property: m.property.trim() }));
  const statement = statementCache(dialect, { table: c.table.trim(), mode, keys });
  let written = 0;

  /** Stores rows of one set of columns: in one transaction when asked. */
  const ilp =
    conn.questdb && c.ingest === 'ilp'
      ? createIlpLoader({ connection: conn.questdb, query: async (text, values) => (await openDriver(conn, where)).query(text, values), requestTimeoutMs: 60_000 })
      : undefined;

  async function store(columns: string[], rows: unknown[][], scope = 'message'): Promise<void> {
    if (ilp) {
      try {
        return await ilp.load(c.table.trim(), columns, rows);
      } catch (err) {
        throw new Error(`${where} (QuestDB ILP http://${conn.questdb?.host ?? ''}:${conn.questdb?.httpPort ?? ''}, ${rows.length} rows of the ${scope}): ${(err as Error).message}`, { cause: err });
      }
    }
    const driver = await openDriver(conn, where);
    if (c.transaction) await driver.transaction((q) => write(q, columns, rows, scope));
    else await write(driver.query, columns, rows, scope);
  }

  const buffer =
    c.flushInterval > 0
      ? createWriteBuffer({
          maxRows: c.batchSize,
          flushMs: c.flushInterval,
          write: (columns, rows) => store(columns, rows, 'gathered batch'),
          setTimer: (fn, ms) => ctx.timers.setTimeout(fn, ms),
          clearTimer: (t) => ctx.timers.clearTimeout(t),
        })
      : undefined;

  /** Writes the rows in statements of at most the batch size (or the driver's parameter limit). */
  async function write(query: Query, columns: string[], rows: unknown[][], scope: string): Promise<void> {
    const per = rowsPerStatement(dialect, columns.length, c.batchSize);
    for (let from = 0; from < rows.length; from += per) {
      const chunk = rows.slice(from, from + per);
      const sql = statement(columns, chunk.length);
      const values: unknown[] = [];
      for (const row of chunk) for (const v of row) values.push(v);
      try {
        await query(sql, values);
      } catch (err) {
        const last = from + chunk.length - 1;
        throw sqlError(`${where} (${conn.label}, rows ${from}-${last} of the ${scope})`, err, sql);
      }
    }
  }

  return {
    async input(msg: Msg, send: Send, done: Done) {
      const job = jobHandle(ctx, msg);
      let held = 0;
      try {
        let batch: RowBatch;
        try {
          batch = rowsFromPayload(msg.payload, mapping);
        } catch (err) {
          throw new Error(`${where}: msg.payload: ${(err as Error).message}`, { cause: err });
        }
        const { columns, rows } = batch;
        if (rows.length) {
          held = rows.length;
          job.hold(held);
          if (buffer) {
            await new Promise<void>((resolve, reject) => buffer.add({ columns, rows, settle: (err) => (err ? reject(err) : resolve()) }));
          } else await store(columns, rows);
          job.written(held);
          held = 0;
          written += rows.length;
          ctx.status({ fill: 'green', shape: 'dot', text: `${written} rows` });
        }
        send({ ...msg, rowsWritten: rows.length });
        done();
      } catch (err) {
        if (held) job.dropped(held);
        ctx.status({ fill: 'red', shape: 'ring', text: (err as Error).message.slice(0, 60) });
        job.problem((err as Error).message);
        done(err);
      }
    },
    // Rows still gathered are written before the connection closes.
    async close() {
      await buffer?.flush();
      await ilp?.close();
    },
  };
}

export const sqlOutNode = defineNode({
  type: 'sql out',
  version: 1,
  category: 'etl',
  inputs: 1,
  outputs: 1,
  config: sqlOutConfig,
  label: 'sql out',
  paletteLabel: 'sql out',
  icon: 'font-awesome/fa-database',
  color: '#e2d96e',
  outputLabels: ['stored'],
  create: createSqlOut,
  help: `Stores the rows of \`msg.payload\` (an object, an array of objects, or arrays of values in the
order of *columns*) in a table of PostgreSQL, MySQL / MariaDB or QuestDB, with multi-row INSERT
statements of up to *batch size* rows. Every value is bound as a parameter; table and column
names must be plain identifiers. Objects are stored as JSON; on PostgreSQL an array is an array
value (for a json column, give it as JSON text).

**Mode** *upsert* updates the rows whose key exists: PostgreSQL \`ON CONFLICT (keys) DO UPDATE\`,
MySQL \`ON DUPLICATE KEY UPDATE\` (the table's unique keys). QuestDB de-duplicates with the
table's DEDUP UPSERT KEYS, so use *insert* there. Into QuestDB, rows go over ILP/HTTP by default
(*ingest* ilp: the table must exist; its SYMBOL and designated timestamp columns are read from it),
or as INSERT statements (*ingest* sql).

With *transaction* on, a message's rows are stored all or none. With a *flush interval*, the rows of
consecutive messages (one row each, from a device) are gathered and stored together. After storing, the message goes on
with \`msg.rowsWritten\`; wire it back to the schedule node to end a job run.`,
});
