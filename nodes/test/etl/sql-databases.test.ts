import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { coreNodes } from '@gridflow/nodes/core';
import { etlNodes } from '@gridflow/nodes/etl';
import { harnessCatch, runFlow } from '../flow-harness.js';
import { countingSink, heapSampler, tableName } from './support.js';

/** sql in / sql out against the machine's PostgreSQL (127.0.0.1:5432, trust) and MariaDB (127.0.0.1:3306, root, db test). */

interface Db {
  driver: 'postgres' | 'mysql';
  connection: Record<string, unknown>;
  exec(sql: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
  createTable(name: string): string;
}

async function postgres(): Promise<Db> {
  const pool = new pg.Pool({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', max: 2 });
  return {
    driver: 'postgres',
    connection: { id: 'conn', type: 'sql-connection', driver: 'postgres', host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' },
    exec: async (sql, values = []) => (await pool.query(sql, values)).rows as Record<string, unknown>[],
    close: () => pool.end(),
    createTable: (name) => `CREATE TABLE ${name} (id integer PRIMARY KEY, name text, score double precision, tags jsonb)`,
  };
}

async function mariadb(): Promise<Db> {
  const pool = mysql.createPool({ host: '127.0.0.1', port: 3306, user: 'root', database: 'test', connectionLimit: 2 });
  return {
    driver: 'mysql',
    connection: { id: 'conn', type: 'sql-connection', driver: 'mysql', host: '127.0.0.1', port: 3306, user: 'root', database: 'test' },
    exec: async (sql, values = []) => {
      const [rows] = await pool.query(sql, values);
      return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
    },
    close: () => pool.end(),
    createTable: (name) => `CREATE TABLE ${name} (id int PRIMARY KEY, name varchar(100), score double, tags json)`,
  };
}

const nodes = [...etlNodes, ...coreNodes, harnessCatch];

describe.each([
  ['PostgreSQL', postgres],
  ['MariaDB', mariadb],
])('sql in / sql out on %s', (_label, open) => {
  let db: Db;
  let table: string;

  beforeAll(async () => {
    db = await open();
    table = tableName('etl_sql');
    await db.exec(db.createTable(table));
  });
  afterAll(async () => {
    await db.exec(`DROP TABLE IF EXISTS ${table}`);
    await db.close();
  });

  it('inserts rows in batches, upserts by key, and reads them back with bound parameters', async () => {
    const h = await runFlow(
      [
        db.connection,
        { id: 'out', type: 'sql out', connection: 'conn', table, mode: 'insert', batchSize: 300, wires: [['stored']] },
        { id: 'up', type: 'sql out', connection: 'conn', table, mode: 'upsert', keys: 'id', wires: [['upserted']] },
        {
          id: 'q',
          type: 'sql in',
          connection: 'conn',
          sql: `SELECT id, name, score FROM ${table} WHERE id >= :min AND name <> :skip ORDER BY id`,
          params: [
            { name: 'min', type: 'msg', value: 'min' },
            { name: 'skip', type: 'str', value: "x' OR '1'='1" },
          ],
          wires: [['rows']],
        },
      ],
      { nodes, timeoutMs: 10_000 },
    );
    try {
      const rows = Array.from({ length: 1000 }, (_, i) => ({ id: i, name: `n${i}`, score: i / 2, tags: { i } }));
      h.send('out', { payload: rows });
      const [stored] = await h.outputs('stored', 1);
      expect(stored?.['rowsWritten']).toBe(1000);
      expect((await db.exec(`SELECT count(*) AS c FROM ${table}`))[0]?.['c']).toEqual(db.driver === 'postgres' ? '1000' : 1000);

      h.send('up', { payload: [{ id: 5, name: 'five', score: 55, tags: null }, { id: 2000, name: 'new', score: 1, tags: { list: [1, 2] } }] });
      await h.outputs('upserted', 1);
      const five = await db.exec(`SELECT name, score FROM ${table} WHERE id = 5`);
      expect(five[0]).toMatchObject({ name: 'five', score: 55 });

      h.send('q', { min: 998 } as never);
      const [result] = await h.outputs('rows', 1);
      expect(result?.payload).toEqual([
        { id: 998, name: 'n998', score: 499 },
        { id: 999, name: 'n999', score: 499.5 },
        { id: 2000, name: 'new', score: 1 },
      ]);
      expect(result?.['rowCount']).toBe(3);
    } finally {
      await h.close();
    }
  });

  it('streams pages with msg.parts, the last one counted', async () => {
    const h = await runFlow(
      [db.connection, { id: 'q', type: 'sql in', connection: 'conn', sql: `SELECT id FROM ${table} ORDER BY id`, output: 'page', pageSize: 400, wires: [['pages']] }],
      { nodes, timeoutMs: 10_000 },
    );
    try {
      h.send('q', {});
      const pages = await h.outputs('pages', 3);
      expect(pages.map((p) => (p.payload as unknown[]).length)).toEqual([400, 400, 201]);
      expect(pages.map((p) => (p['parts'] as { index: number }).index)).toEqual([0, 1, 2]);
      expect((pages[2]?.['parts'] as { count?: number }).count).toBe(3);
      expect((pages[0]?.['parts'] as { count?: number }).count).toBeUndefined();
      expect(pages[2]?.['rowCount']).toBe(1001);
    } finally {
      await h.close();
    }
  });

  it('fails a bad statement with the database error and the SQL, to catch nodes', async () => {
    const h = await runFlow(
      [
        db.connection,
        { id: 'q', type: 'sql in', connection: 'conn', sql: `SELEC id FROM ${table}`, wires: [['rows']] },
        { id: 'bad', type: 'sql out', connection: 'conn', table, wires: [['stored']] },
        { id: 'c', type: 'harness-catch', wires: [['caught']] },
      ],
      { nodes, timeoutMs: 10_000 },
    );
    try {
      h.send('q', {});
      const [caught] = await h.outputs('caught', 1);
      const error = caught?.['error'] as { message: string; source: { id: string } };
      expect(error.source.id).toBe('q');
      expect(error.message).toContain('sql in q');
      expect(error.message).toContain(`SELEC id FROM ${table}`);
      expect(error.message.toLowerCase()).toContain('syntax');

      h.send('bad', { payload: [{ id: 1, nosuchcolumn: 2 }] });
      const [second] = await h.outputs('caught', 2).then((l) => l.slice(1));
      const err2 = second?.['error'] as { message: string };
      expect(err2.message).toContain('sql out bad');
      expect(err2.message).toContain('nosuchcolumn');
      expect(h.received('rows')).toHaveLength(0);
      expect(h.received('stored')).toHaveLength(0);
    } finally {
      await h.close();
    }
  });

  it('gathers one-row messages into batches with a flush interval, each message going on once stored', async () => {
    const h = await runFlow([db.connection, { id: 'out', type: 'sql out', connection: 'conn', table, batchSize: 100, flushInterval: 50, wires: [['stored']] }], { nodes, timeoutMs: 10_000 });
    try {
      for (let i = 0; i < 250; i++) h.send('out', { payload: { id: 10_000 + i, name: `row ${i}` } });
      const stored = await h.outputs('stored', 250);
      expect(stored.every((m) => m['rowsWritten'] === 1)).toBe(true);
      const n = await db.exec(`SELECT count(*) AS c FROM ${table} WHERE id >= 10000 AND id < 11000`);
      expect(Number(n[0]?.['c'])).toBe(250);
      await db.exec(`DELETE FROM ${table} WHERE id >= 10000 AND id < 11000`);
    } finally {
      await h.close();
    }
  });

  it('stores nothing of a message when one of its statements fails (transaction)', async () => {
    const h = await runFlow(
      [db.connection, { id: 'out', type: 'sql out', connection: 'conn', table, batchSize: 2, wires: [['stored']] }, { id: 'c', type: 'harness-catch', wires: [['caught']] }],
      { nodes, timeoutMs: 10_000 },
    );
    try {
      // Rows 5000..5002 are new; 0 exists: the second statement fails on the duplicate key.
      h.send('out', { payload: [{ id: 5000 }, { id: 5001 }, { id: 5002 }, { id: 0 }] });
      const [caught] = await h.outputs('caught', 1);
      expect((caught?.['error'] as { message: string }).message).toContain('rows 2-3 of the message');
      expect(await db.exec(`SELECT id FROM ${table} WHERE id >= 5000 AND id < 6000`)).toEqual([]);
    } finally {
      await h.close();
    }
  });
});

describe('sql in on PostgreSQL: a large result in bounded memory', () => {
  it('streams 1,000,000 rows of 100 characters page by page without holding the result', async () => {
    const sink = countingSink();
    const h = await runFlow(
      [
        { id: 'conn', type: 'sql-connection', driver: 'postgres', host: '127.0.0.1', user: 'postgres', database: 'test' },
        {
          id: 'q',
          type: 'sql in',
          connection: 'conn',
          sql: `SELECT g AS id, repeat('x', 100) || g::text AS pad FROM generate_series(1, :n) AS g`,
          params: [{ name: 'n', type: 'num', value: '1000000' }],
          output: 'page',
          pageSize: 2000,
          wires: [['sink']],
        },
        { id: 'sink', type: 'count-sink', wires: [] },
      ],
      { nodes: [...nodes, sink.node], timeoutMs: 60_000 },
    );
    try {
      global.gc?.();
      const before = process.memoryUsage().heapUsed;
      const sampler = heapSampler();
      const started = Date.now();
      h.send('q', {});
      while (!sink.counts.done && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 20));
      const peak = sampler.stop();
      expect(sink.counts.rows).toBe(1_000_000);
      expect(sink.counts.messages).toBe(500);
      // The whole result as objects takes well over 200 MB; a few pages in flight take a few MB.
      const grown = (peak - before) / 1024 / 1024;
      console.log(`sql in: 1M rows in ${Date.now() - started} ms, heap grew by at most ${grown.toFixed(1)} MB`);
      expect(grown).toBeLessThan(120);
    } finally {
      await h.close();
    }
  }, 90_000);
});
