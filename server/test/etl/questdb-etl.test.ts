import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createRegistry } from '@gridflow/runtime';
import type { JobRun } from '@gridflow/runtime/contract';
import { coreNodes } from '@gridflow/nodes/core';
import { etlNodes } from '@gridflow/nodes/etl';
import { jobsModule } from '../../src/jobs/jobs-module.js';
import { adminClient, startTestServer, waitFor, type Client, type TestServer } from '../helpers.js';
import { useQuestDb } from '../support/questdb.js';
import { testNodes } from '../test-nodes.js';

/**
 * An ETL job from PostgreSQL into QuestDB, end to end on a real server: a schedule started by
 * "run now", `sql in` paging the source, `sql out` batching into QuestDB over its PostgreSQL wire
 * protocol, the run stored with its row counts; then `sql in` reading QuestDB with a bound parameter.
 */
const qdb = useQuestDb();
const ROWS = 5000;
const source = `etl_src_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
const T0 = Date.UTC(2025, 0, 1);

describe('ETL job PostgreSQL → QuestDB', () => {
  const pgPool = new pg.Pool({ host: '127.0.0.1', user: 'postgres', database: 'test', max: 1 });
  let quest: pg.Pool;
  let t: TestServer;
  let admin: Client;

  beforeAll(async () => {
    const c = qdb().connection;
    quest = new pg.Pool({ host: c.host, port: c.pgPort, user: c.user, password: c.password, database: 'qdb', max: 1 });
    await quest.query('CREATE TABLE readings (ts TIMESTAMP, device SYMBOL, value DOUBLE, note VARCHAR) TIMESTAMP(ts) PARTITION BY DAY WAL');
    await quest.query('CREATE TABLE readings_sql (ts TIMESTAMP, device SYMBOL, value DOUBLE, note VARCHAR) TIMESTAMP(ts) PARTITION BY DAY WAL');
    await pgPool.query(`CREATE TABLE ${source} (ts timestamptz, device text, value double precision, note text)`);
    await pgPool.query(
      `INSERT INTO ${source} SELECT to_timestamp($1::bigint / 1000.0) + g * interval '1 second', 'dev' || (g % 5), g / 10.0, CASE WHEN g % 100 = 0 THEN 'it''s "odd"' END
       FROM generate_series(1, $2::int) AS g`,
      [T0, ROWS],
    );
    t = await startTestServer({}, { registry: createRegistry([...etlNodes, ...coreNodes, ...testNodes]), modules: [jobsModule()] });
    admin = await adminClient(t.url);
    const res = await admin.request('POST', '/api/deploy', {
      type: 'full',
      flows: [
        { id: 'tab', type: 'tab' },
        { id: 'src', type: 'sql-connection', driver: 'postgres', host: '127.0.0.1', user: 'postgres', database: 'test' },
        { id: 'dst', type: 'sql-connection', driver: 'questdb', host: c.host, port: c.pgPort, httpPort: c.httpPort, user: c.user, password: c.password },
        { id: 'job', type: 'schedule', z: 'tab', name: 'pg to questdb', kind: 'interval', interval: 86400, timeout: 60, wires: [['read']] },
        { id: 'read', type: 'sql in', z: 'tab', connection: 'src', sql: `SELECT ts, device, value, note FROM ${source} WHERE value > :min ORDER BY ts`, params: [{ name: 'min', type: 'num', value: '0' }], output: 'page', pageSize: 1000, wires: [['write']] },
        { id: 'write', type: 'sql out', z: 'tab', connection: 'dst', table: 'readings', wires: [['job']] },
        // The same copy with INSERT statements over the PostgreSQL wire instead of ILP.
        { id: 'jobsql', type: 'schedule', z: 'tab', kind: 'interval', interval: 86400, timeout: 60, wires: [['readsql']] },
        { id: 'readsql', type: 'sql in', z: 'tab', connection: 'src', sql: `SELECT ts, device, value, note FROM ${source} ORDER BY ts`, output: 'page', pageSize: 1000, wires: [['writesql']] },
        { id: 'writesql', type: 'sql out', z: 'tab', connection: 'dst', table: 'readings_sql', ingest: 'sql', batchSize: 500, wires: [['jobsql']] },
        { id: 'nope', type: 'sql out', z: 'tab', connection: 'dst', table: 'no_such_table', wires: [['probe']] },
        { id: 'catch', type: 'catch', z: 'tab', scope: ['nope'], uncaught: false, wires: [['probe']] },
        { id: 'ask', type: 'sql in', z: 'tab', connection: 'dst', sql: 'SELECT count() AS n, max(value) AS top FROM readings WHERE device = :device', params: [{ name: 'device', type: 'msg', value: 'payload' }], wires: [['probe']] },
        { id: 'probe', type: 'probe', z: 'tab', wires: [] },
      ],
    });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await quest?.end();
    await pgPool.query(`DROP TABLE IF EXISTS ${source}`);
    await pgPool.end();
  });

  const runJob = async (schedule: string): Promise<JobRun> => {
    const started = await admin.request('POST', `/api/jobs/schedules/${schedule}/run`);
    expect(started.status).toBe(201);
    const id = (started.body as { run: JobRun }).run.id;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const run = ((await admin.request('GET', `/api/jobs/runs/${id}`)).body as { run: JobRun }).run;
      if (run.status !== 'running' || Date.now() > deadline) return run;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const countOf = async (table: string) => {
    // QuestDB applies WAL transactions in the background.
    let count = 0;
    const deadline = Date.now() + 20_000;
    while (count < ROWS && Date.now() < deadline) {
      count = Number((await quest.query(`SELECT count() AS n FROM ${table}`)).rows[0]?.n ?? 0);
      if (count < ROWS) await new Promise((r) => setTimeout(r, 200));
    }
    return count;
  };

  it.each([
    ['ILP', 'job', 'readings'],
    ['INSERT statements', 'jobsql', 'readings_sql'],
  ])('copies every row over %s, counted in the job run', async (_how, schedule, table) => {
    const run = await runJob(schedule);
    expect(run).toMatchObject({ status: 'succeeded', rowsRead: ROWS, rowsWritten: ROWS, error: null });
    expect(await countOf(table)).toBe(ROWS);
    const row = (await quest.query(`SELECT ts, device, value, note FROM ${table} WHERE value = 10.0`)).rows[0] as Record<string, unknown>;
    expect(row['device']).toBe('dev0');
    expect((row['ts'] as Date).toISOString()).toBe(new Date(T0 + 100_000).toISOString());
    expect(row['note']).toBe('it\'s "odd"');
  }, 60_000);

  it('fails loading into a table QuestDB does not have, naming it', async () => {
    const errors: string[] = [];
    const offErr = t.server.runtime.events.on('error', (e) => errors.push(e.message));
    try {
      t.server.runtime.receive('nope', { payload: [{ ts: new Date(T0), value: 1 }] });
      await waitFor(() => errors.length > 0, 10_000, 'the error');
      expect(errors[0]).toMatch(/^sql out nope \(QuestDB ILP .*\): .*does not exist.*no_such_table/);
    } finally {
      offErr();
    }
  });

  it('reads QuestDB with a bound parameter through sql in', async () => {
    const events: unknown[] = [];
    const off = t.server.runtime.events.on('debug', (d) => events.push(d.msg));
    try {
      t.server.runtime.receive('ask', { payload: 'dev3' });
      await waitFor(() => events.length > 0, 10_000, 'the probe');
      expect(events[0]).toEqual([{ n: ROWS / 5, top: 499.8 }]);
    } finally {
      off();
    }
  });
});
