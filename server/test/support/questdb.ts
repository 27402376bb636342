import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { SqlClient } from '@gridflow/nodes/storage';
import { startQuestDb, type ManagedQuestDb, type StartQuestDbOptions } from '../../src/questdb/manager.js';

/**
 * A real QuestDB for tests: own temp directory, free ports, small heap, one worker per pool.
 * Any package's tests may import this (nodes, e2e): `const qdb = useQuestDb();` in a test file
 * starts one QuestDB for the file and always stops it afterwards. Set GRIDFLOW_KEEP_QUESTDB=1 to
 * keep its directory (and log) for a look after a failure.
 */

export { startQuestDb, type ManagedQuestDb, type StartQuestDbOptions };

export interface TestQuestDb extends ManagedQuestDb {
  /** Stops QuestDB and removes its directory. */
  dispose(): Promise<void>;
}

export async function startTestQuestDb(options: Partial<StartQuestDbOptions> = {}): Promise<TestQuestDb> {
  const root = options.root ?? mkdtempSync(join(tmpdir(), 'gridflow-questdb-'));
  const remove = () => {
    if (!process.env['GRIDFLOW_KEEP_QUESTDB']) rmSync(root, { recursive: true, force: true });
  };
  let managed: ManagedQuestDb;
  try {
    managed = await startQuestDb({
      httpPort: 0,
      pgPort: 0,
      heapMb: 256,
      workers: 1,
      startTimeoutMs: 60_000,
      stopTimeoutMs: 5000,
      ...options,
      root,
    });
  } catch (err) {
    remove();
    throw err;
  }
  return {
    get connection() {
      return managed.connection;
    },
    root: managed.root,
    logFile: managed.logFile,
    get pid() {
      return managed.pid;
    },
    get running() {
      return managed.running;
    },
    stop: () => managed.stop(),
    kill: () => managed.kill(),
    restart: () => managed.restart(),
    logTail: (lines?: number) => managed.logTail(lines),
    async dispose() {
      try {
        await managed.stop();
      } finally {
        remove();
      }
    },
  };
}

/** One QuestDB for the calling test file: started in beforeAll, stopped in afterAll (also when tests fail). */
export function useQuestDb(options: Partial<StartQuestDbOptions> = {}): () => TestQuestDb {
  let db: TestQuestDb | undefined;
  beforeAll(async () => {
    db = await startTestQuestDb(options);
  }, 120_000);
  afterAll(async () => {
    await db?.dispose();
  }, 30_000);
  return () => {
    if (!db) throw new Error('QuestDB is not started (useQuestDb must be called at the top of the test file)');
    return db;
  };
}

/** Waits until QuestDB has applied every WAL transaction of the tables, so counts and views are final. */
export async function waitForWal(sql: SqlClient, tables: readonly string[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await sql.query<{ name: string; writerTxn: number; sequencerTxn: number; suspended: boolean }>(
      'SELECT name, writerTxn, sequencerTxn, suspended FROM wal_tables()',
    );
    const pending = tables.filter((t) => {
      const row = rows.find((r) => r.name.toLowerCase() === t.toLowerCase());
      if (row?.suspended) throw new Error(`WAL of table ${t} is suspended`);
      return !row || row.writerTxn !== row.sequencerTxn;
    });
    if (pending.length === 0) return;
    if (Date.now() > deadline) throw new Error(`WAL not applied within ${timeoutMs} ms for ${pending.join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Polls a query until its single value equals `expected` (materialized views refresh asynchronously;
 * a table the writer creates for its rows may not exist yet, which counts as not there yet).
 */
export async function waitForValue(
  sql: SqlClient,
  query: string,
  params: readonly (string | number)[],
  expected: unknown,
  timeoutMs = 20_000,
): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const { rows } = await sql.query(query, params);
      last = rows[0] ? Object.values(rows[0])[0] : undefined;
    } catch (err) {
      if (!/table does not exist/.test((err as Error).message)) throw err;
      last = (err as Error).message;
    }
    if (last === expected) return last;
    if (Date.now() > deadline)
      throw new Error(`"${query}" gave ${String(last)}, expected ${String(expected)}, after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
