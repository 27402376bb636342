// Shared pieces of the QuestDB benchmarks: a QuestDB of their own, the row shape, and measuring
// when rows become queryable.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createSqlClient, ensureTable } from '@gridflow/nodes/storage';
import { startQuestDb } from '../server/dist/questdb/index.js';

/** The benchmark rows: a device symbol and four values, like a small meter. */
export const columns = [
  { name: 'power', type: 'double' },
  { name: 'energy', type: 'double' },
  { name: 'count', type: 'long' },
  { name: 'on', type: 'boolean' },
];

export const rowValues = (i) => ({ power: (i % 1000) / 10, energy: i * 0.5, count: i, on: i % 2 === 0 });

export async function startBenchQuestDb() {
  const root = mkdtempSync(join(tmpdir(), 'gridflow-bench-questdb-'));
  const qdb = await startQuestDb({ root, httpPort: 0, pgPort: 0, heapMb: 1024 });
  const sql = createSqlClient({ connection: qdb.connection });
  return {
    qdb,
    sql,
    async close() {
      await sql.close();
      await qdb.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The same table every contender writes to: WAL, daily partitions, dedup keys (ts, device). */
export async function createBenchTable(sql, table) {
  await ensureTable(sql, { table, symbols: ['device'], columns, timestamp: 'ts' });
}

export async function countRows(sql, table) {
  const { rows } = await sql.query(`SELECT count() n FROM "${table}"`);
  return Number(rows[0]?.n ?? 0);
}

/** Polls until the table holds `expected` rows; resolves with the time (performance.now()) it did. */
export async function whenQueryable(sql, table, expected, timeoutMs = 300_000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const n = await countRows(sql, table);
    if (n >= expected) return performance.now();
    if (performance.now() > deadline) throw new Error(`${table}: ${n} of ${expected} rows after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Follows a table's row count while rows are published at known times and returns each row's delay
 * from publish to queryable. Rows become visible in commit order, which is the order they were
 * published in (one writer, FIFO), so row k is queryable at the first poll that counts k rows
 * (beyond the `already` rows the table held before). The polling runs in a worker thread (see
 * questdb-visibility-worker.mjs) for every contender alike. Resolves once the first poll is under way.
 */
export async function trackVisibility(db, table, already = 0) {
  const worker = new Worker(new URL('./questdb-visibility-worker.mjs', import.meta.url), {
    workerData: { connection: db.qdb.connection, table, already },
  });
  const next = () =>
    new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  await next();
  return {
    /** Publish times are this thread's performance.now(). */
    async delays(publishTimes) {
      const answer = next();
      worker.postMessage('stop');
      const seen = (await answer).map(([epochMs, n]) => [epochMs - performance.timeOrigin, n]);
      const out = [];
      let j = 0;
      for (let k = 0; k < publishTimes.length; k++) {
        while (j < seen.length && seen[j][1] < k + 1) j++;
        if (j === seen.length) break; // never became visible while we watched
        out.push(seen[j][0] - publishTimes[k]);
      }
      return out;
    },
  };
}

export function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const fmt = (n) => Math.round(n).toLocaleString('en-US');
export const ms = (n) => `${Math.round(n)} ms`;
