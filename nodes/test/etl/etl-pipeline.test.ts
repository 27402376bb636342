import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { z } from 'zod';
import { defineNode, type AnyNodeDefinition } from '@gridflow/runtime';
import type { JobRun } from '@gridflow/runtime/contract';
import { createJobTracker, etlNodes, jobHandle, jobsKey } from '@gridflow/nodes/etl';
import { runFlow } from '../flow-harness.js';
import { tableName } from './support.js';

/** Whole ETL pipelines in the flow harness: schedule → source → sink → back to the schedule. */

const db = new pg.Pool({ host: '127.0.0.1', user: 'postgres', database: 'test', max: 2 });
const table = tableName('etl_pipe');
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gridflow-etl-'));
  await db.query(`CREATE TABLE ${table} (id integer PRIMARY KEY, city text, temp double precision)`);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db.query(`DROP TABLE IF EXISTS ${table}`);
  await db.end();
});

function tracked() {
  const runs: JobRun[] = [];
  const tracker = createJobTracker({ onRun: (run, change) => change === 'end' && runs.push(run) });
  return { tracker, runs, services: { [jobsKey.name]: tracker } };
}

const waitRun = async (runs: JobRun[], timeoutMs = 20_000) => {
  const start = Date.now();
  while (!runs.length && Date.now() - start < timeoutMs) await new Promise((r) => setTimeout(r, 20));
  expect(runs.length).toBeGreaterThan(0);
  return runs[0] as JobRun;
};

describe('ETL pipelines', () => {
  it('loads a CSV file into PostgreSQL as one job run, counting rows read and written and the bad line', async () => {
    const file = join(dir, 'temps.csv');
    const lines = ['id,city,temp'];
    for (let i = 1; i <= 2000; i++) lines.push(`${i},city ${i % 7},${(i % 40) - 5}.5`);
    lines[777] = '777,bro"ken,1';
    writeFileSync(file, `${lines.join('\n')}\n`);
    const { runs, services } = tracked();
    const h = await runFlow(
      [
        { id: 'conn', type: 'sql-connection', driver: 'postgres', host: '127.0.0.1', user: 'postgres', database: 'test' },
        { id: 'job', type: 'schedule', name: 'temps', kind: 'interval', interval: 3600, runOnStart: true, wires: [['read']] },
        { id: 'read', type: 'file in', filename: file, format: 'csv', pageSize: 500, wires: [['write']] },
        { id: 'write', type: 'sql out', connection: 'conn', table, mode: 'upsert', keys: 'id', wires: [['job']] },
      ],
      { nodes: etlNodes, services },
    );
    try {
      const run = await waitRun(runs);
      expect(run).toMatchObject({ status: 'succeeded', rowsRead: 1999, rowsWritten: 1999, trigger: 'startup', name: 'temps' });
      expect(run.errors).toEqual([expect.objectContaining({ nodeId: 'read', message: expect.stringContaining('temps.csv line 778: a quote inside the unquoted field 2') })]);
      expect((await db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]).toEqual({ n: 1999 });
    } finally {
      await h.close();
    }
  });

  it('exports a table to JSON lines through sql in pages and file out', async () => {
    const out = join(dir, 'export.jsonl');
    const { runs, services } = tracked();
    const h = await runFlow(
      [
        { id: 'conn', type: 'sql-connection', driver: 'postgres', host: '127.0.0.1', user: 'postgres', database: 'test' },
        { id: 'job', type: 'schedule', kind: 'interval', interval: 3600, runOnStart: true, wires: [['read']] },
        { id: 'read', type: 'sql in', connection: 'conn', sql: `SELECT id, temp FROM ${table} WHERE id <= :last ORDER BY id`, params: [{ name: 'last', type: 'num', value: '1200' }], output: 'page', pageSize: 250, wires: [['write']] },
        { id: 'write', type: 'file out', filename: out, format: 'jsonl', wires: [['job']] },
      ],
      { nodes: etlNodes, services },
    );
    try {
      const run = await waitRun(runs);
      expect(run).toMatchObject({ status: 'succeeded', rowsRead: 1199, rowsWritten: 1199 });
      const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: number });
      expect(rows).toHaveLength(1199);
      expect(rows[0]).toEqual({ id: 1, temp: -4.5 });
    } finally {
      await h.close();
    }
  });

  it('holds back a source while a slow writer has many rows pending (job back-pressure)', async () => {
    let held = 0;
    let maxHeld = 0;
    const slowWriter = defineNode({
      type: 'slow-writer',
      category: 'core',
      inputs: 1,
      outputs: 1,
      config: z.object({}).passthrough(),
      create: (ctx) => ({
        input(msg, send, done) {
          const job = jobHandle(ctx, msg);
          const n = (msg.payload as unknown[]).length;
          job.hold(n);
          held += n;
          maxHeld = Math.max(maxHeld, held);
          setTimeout(() => {
            held -= n;
            job.written(n);
            send(msg);
            done();
          }, 15);
        },
      }),
    }) as AnyNodeDefinition;
    const { runs, services } = tracked();
    const h = await runFlow(
      [
        { id: 'conn', type: 'sql-connection', driver: 'postgres', host: '127.0.0.1', user: 'postgres', database: 'test' },
        { id: 'job', type: 'schedule', kind: 'interval', interval: 3600, runOnStart: true, wires: [['read']] },
        { id: 'read', type: 'sql in', connection: 'conn', sql: 'SELECT g FROM generate_series(1, 30000) AS g', output: 'page', pageSize: 1000, holdLimit: 3000, wires: [['write']] },
        { id: 'write', type: 'slow-writer', wires: [['job']] },
      ],
      { nodes: [...etlNodes, slowWriter], services },
    );
    try {
      const run = await waitRun(runs);
      expect(run).toMatchObject({ status: 'succeeded', rowsRead: 30_000, rowsWritten: 30_000 });
      // Without the hold limit the reader would hand all 30 pages over at once.
      expect(maxHeld).toBeLessThanOrEqual(4000);
    } finally {
      await h.close();
    }
  });
});
