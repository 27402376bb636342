import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { io as connect, type Socket } from 'socket.io-client';
import { createRegistry } from '@gridflow/runtime';
import { jobEventSchema, jobRunSchema, jobScheduleSchema, type JobEvent, type JobRun, type JobSchedule, type ServerToClientEvents } from '@gridflow/runtime/contract';
import { coreNodes } from '@gridflow/nodes/core';
import { etlNodes } from '@gridflow/nodes/etl';
import { jobsModule } from '../../src/jobs/jobs-module.js';
import { adminClient, startTestServer, userClient, waitFor, type Client, type TestServer } from '../helpers.js';
import { testNodes } from '../test-nodes.js';

/**
 * The jobs module against a real server: an ETL job from PostgreSQL to PostgreSQL started by
 * "run now", its run stored, listed and pushed over socket.io; pause kept across a restart.
 */

const registry = () => createRegistry([...etlNodes, ...coreNodes, ...testNodes]);
const table = `jobs_api_${process.pid}_${Math.floor(Math.random() * 1e9)}`;

const flows = [
  { id: 'tab', type: 'tab', label: 'ETL' },
  { id: 'conn', type: 'sql-connection', driver: 'postgres', host: '127.0.0.1', user: 'postgres', database: 'test' },
  // Copies 2500 generated rows into a table, a page of 100 at a time, then ends the run.
  { id: 'copy', type: 'schedule', z: 'tab', name: 'copy numbers', kind: 'cron', cron: '0 0 0 1 1 *', timezone: 'Europe/Berlin', timeout: 30, wires: [['read']] },
  { id: 'read', type: 'sql in', z: 'tab', connection: 'conn', sql: 'SELECT g AS id, g * 2 AS double FROM generate_series(1, 2500) AS g', output: 'page', pageSize: 100, wires: [['write']] },
  { id: 'write', type: 'sql out', z: 'tab', connection: 'conn', table, mode: 'upsert', keys: 'id', wires: [['copy']] },
  // Never ends by itself: its run times out after a second.
  { id: 'stuck', type: 'schedule', z: 'tab', kind: 'interval', interval: 3600, timeout: 1, wires: [[]] },
  // A bad query: the catch node carries the error back to the schedule, which fails the run.
  { id: 'broken', type: 'schedule', z: 'tab', kind: 'interval', interval: 3600, timeout: 30, wires: [['badq']] },
  { id: 'badq', type: 'sql in', z: 'tab', connection: 'conn', sql: 'SELECT * FROM no_such_table_here', wires: [['broken']] },
  { id: 'catch', type: 'catch', z: 'tab', scope: ['badq'], uncaught: false, wires: [['broken']] },
];

type ClientSocket = Socket<ServerToClientEvents>;

describe('jobs module', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-jobs-'));
  const db = new pg.Pool({ host: '127.0.0.1', user: 'postgres', database: 'test', max: 1 });
  let t: TestServer;
  let admin: Client;
  let socket: ClientSocket;
  const events: JobEvent[] = [];

  const start = async () => {
    t = await startTestServer({}, { registry: registry(), modules: [jobsModule({ progressIntervalMs: 50 })], dataDir });
    admin = await adminClient(t.url);
  };

  beforeAll(async () => {
    await db.query(`CREATE TABLE ${table} (id integer PRIMARY KEY, double integer)`);
    await start();
    const deployed = await admin.request('POST', '/api/deploy', { type: 'full', flows });
    expect(deployed.status).toBe(200);
    socket = connect(t.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: admin.cookie ?? '' } });
    socket.on('job', (e) => events.push(jobEventSchema.parse(e)));
    await new Promise<void>((resolve, reject) => {
      socket.on('connect', resolve);
      socket.on('connect_error', reject);
    });
  });
  afterAll(async () => {
    socket?.close();
    await t?.close();
    await db.query(`DROP TABLE IF EXISTS ${table}`);
    await db.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const run = async (id: string): Promise<JobRun> => jobRunSchema.parse(((await admin.request('GET', `/api/jobs/runs/${id}`)).body as { run: unknown }).run);
  const ended = (id: string) => () => events.some((e) => e.kind === 'run' && e.run.id === id && e.run.status !== 'running');

  it('lists the deployed schedules', async () => {
    const res = await admin.request('GET', '/api/jobs/schedules');
    expect(res.status).toBe(200);
    const schedules = (res.body as { schedules: unknown[] }).schedules.map((s) => jobScheduleSchema.parse(s));
    const copy = schedules.find((s) => s.id === 'copy') as JobSchedule;
    expect(copy).toMatchObject({ name: 'copy numbers', kind: 'cron', cron: '0 0 0 1 1 *', timezone: 'Europe/Berlin', paused: false, running: 0, flowId: 'tab' });
    // Midnight of 1 January in Berlin is 23:00 UTC of 31 December.
    expect(copy.nextRun).toMatch(/-12-31T23:00:00\.000Z$/);
    expect(schedules.map((s) => s.id).sort()).toEqual(['broken', 'copy', 'stuck']);
  });

  it('runs a job now: rows read and written are stored, listed and pushed live', async () => {
    const res = await admin.request('POST', '/api/jobs/schedules/copy/run');
    expect(res.status).toBe(201);
    const started = jobRunSchema.parse((res.body as { run: unknown }).run);
    expect(started).toMatchObject({ scheduleId: 'copy', trigger: 'manual', status: 'running', user: 'admin' });
    await waitFor(ended(started.id), 15_000, 'the end of the copy run');
    const done = await run(started.id);
    expect(done).toMatchObject({ status: 'succeeded', rowsRead: 2500, rowsWritten: 2500, error: null });
    expect(done.durationMs).toBeGreaterThanOrEqual(0);
    expect((await db.query(`SELECT count(*)::int AS c, sum(double)::int AS s FROM ${table}`)).rows[0]).toEqual({ c: 2500, s: 2500 * 2501 });

    const kinds = events.filter((e) => e.kind === 'run' && e.run.id === started.id).map((e) => (e.kind === 'run' ? e.run.status : ''));
    expect(kinds[0]).toBe('running');
    expect(kinds.at(-1)).toBe('succeeded');
    // Progress while running: a later event of the same run with rows already counted.
    const progress = events.filter((e) => e.kind === 'run' && e.run.id === started.id && e.run.status === 'running' && e.run.rowsRead > 0);
    expect(progress.length).toBeGreaterThan(0);

    const list = await admin.request('GET', '/api/jobs/runs?schedule=copy&status=succeeded');
    expect((list.body as { runs: JobRun[] }).runs.map((r) => r.id)).toEqual([started.id]);
    const schedule = jobScheduleSchema.parse(((await admin.request('GET', '/api/jobs/schedules/copy')).body as { schedule: unknown }).schedule);
    expect(schedule.lastRun?.id).toBe(started.id);
  });

  it('refuses an overlapping run with 409 and fails a run that times out', async () => {
    const first = await admin.request('POST', '/api/jobs/schedules/stuck/run');
    expect(first.status).toBe(201);
    const id = (first.body as { run: JobRun }).run.id;
    const second = await admin.request('POST', '/api/jobs/schedules/stuck/run');
    expect(second.status).toBe(409);
    expect((second.body as { error: { code: string } }).error.code).toBe('CONFLICT');
    await waitFor(ended(id), 5000, 'the timeout of the stuck run');
    expect(await run(id)).toMatchObject({ status: 'failed', error: 'timed out after 1 s' });
  });

  it('fails a run with the error of the bad query, naming the SQL', async () => {
    const res = await admin.request('POST', '/api/jobs/schedules/broken/run');
    const id = (res.body as { run: JobRun }).run.id;
    await waitFor(ended(id), 10_000, 'the end of the broken run');
    const failed = await run(id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain('no_such_table_here');
    expect(failed.error).toContain('badq');
    expect(failed.errors[0]).toMatchObject({ nodeId: 'badq' });
  });

  it('answers 404 for unknown schedules and runs, 403 for a viewer pressing run now, 400 for a bad query', async () => {
    expect((await admin.request('POST', '/api/jobs/schedules/nope/run')).status).toBe(404);
    expect((await admin.request('POST', '/api/jobs/schedules/nope/pause')).status).toBe(404);
    expect((await admin.request('GET', '/api/jobs/runs/nope')).status).toBe(404);
    expect((await admin.request('GET', '/api/jobs/runs?limit=0')).status).toBe(400);
    const viewer = await userClient(t.url, admin, 'watcher', 'viewer');
    expect((await viewer.request('GET', '/api/jobs/runs')).status).toBe(200);
    expect((await viewer.request('POST', '/api/jobs/schedules/copy/run')).status).toBe(403);
  });

  it('pages runs newest first', async () => {
    const all = (await admin.request('GET', '/api/jobs/runs')).body as { runs: JobRun[] };
    expect(all.runs.length).toBe(3);
    const page1 = (await admin.request('GET', '/api/jobs/runs?limit=2')).body as { runs: JobRun[] };
    const page2 = (await admin.request('GET', `/api/jobs/runs?limit=2&before=${page1.runs[1]?.id ?? ''}`)).body as { runs: JobRun[] };
    expect([...page1.runs, ...page2.runs].map((r) => r.id)).toEqual(all.runs.map((r) => r.id));
    const starts = all.runs.map((r) => r.startedAt);
    expect([...starts].sort().reverse()).toEqual(starts);
  });

  it('pauses a schedule, and the pause survives a restart', async () => {
    const res = await admin.request('POST', '/api/jobs/schedules/copy/pause');
    expect(res.status).toBe(200);
    expect((res.body as { schedule: JobSchedule }).schedule).toMatchObject({ paused: true, nextRun: null });
    await waitFor(() => events.some((e) => e.kind === 'schedule' && e.schedule.id === 'copy' && e.schedule.paused), 2000, 'the schedule event');

    socket.close();
    await t.close();
    await start();
    const after = (await admin.request('GET', '/api/jobs/schedules/copy')).body as { schedule: JobSchedule };
    expect(after.schedule.paused).toBe(true);
    // Stored runs outlive the server; the last one is known before the schedule runs again.
    expect(after.schedule.lastRun?.status).toBe('succeeded');
    expect(((await admin.request('GET', '/api/jobs/runs')).body as { runs: JobRun[] }).runs).toHaveLength(3);

    const resumed = await admin.request('POST', '/api/jobs/schedules/copy/resume');
    expect((resumed.body as { schedule: JobSchedule }).schedule).toMatchObject({ paused: false, nextRun: expect.any(String) });
  });
});
