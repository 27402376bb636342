import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobRun } from '@gridflow/runtime/contract';
import { migrate, openDatabase, type SqliteDatabase } from '../../src/store/db.js';
import { createSqliteJobStore, type JobStore } from '../../src/jobs/job-store.js';
import { jobMigrations } from '../../src/jobs/migrations.js';

const run = (id: string, over: Partial<JobRun> = {}): JobRun => ({
  id,
  scheduleId: 's1',
  flowId: 'f1',
  name: 'job',
  trigger: 'cron',
  status: 'succeeded',
  startedAt: '2026-01-01T00:00:00.000Z',
  endedAt: '2026-01-01T00:00:01.000Z',
  durationMs: 1000,
  rowsRead: 10,
  rowsWritten: 9,
  progress: 1,
  message: null,
  error: null,
  errors: [],
  user: null,
  ...over,
});

describe('SQLite job store', () => {
  let db: SqliteDatabase;
  let store: JobStore;
  beforeEach(() => {
    db = openDatabase(':memory:');
    migrate(db, [jobMigrations]);
    store = createSqliteJobStore(db);
  });
  afterEach(() => db.close());

  it('saves a run at start and updates it at the end, errors included', async () => {
    await store.save(run('a', { status: 'running', endedAt: null, durationMs: null, rowsRead: 0 }));
    await store.save(run('a', { errors: [{ time: '2026-01-01T00:00:00.500Z', nodeId: 'n', message: 'bad row' }] }));
    expect(await store.get('a')).toEqual(run('a', { errors: [{ time: '2026-01-01T00:00:00.500Z', nodeId: 'n', message: 'bad row' }] }));
    expect(await store.get('nope')).toBeUndefined();
  });

  it('filters by schedule, status and time, newest first, and pages with before', async () => {
    for (let i = 0; i < 5; i++) {
      await store.save(run(`r${i}`, { startedAt: `2026-01-0${i + 1}T00:00:00.000Z`, status: i % 2 ? 'failed' : 'succeeded', scheduleId: i < 4 ? 's1' : 's2' }));
    }
    expect((await store.list({ limit: 10 })).map((r) => r.id)).toEqual(['r4', 'r3', 'r2', 'r1', 'r0']);
    expect((await store.list({ limit: 10, status: 'failed' })).map((r) => r.id)).toEqual(['r3', 'r1']);
    expect((await store.list({ limit: 10, schedule: 's2' })).map((r) => r.id)).toEqual(['r4']);
    expect((await store.list({ limit: 10, since: '2026-01-02T01:00:00+01:00', until: '2026-01-04T00:00:00Z' })).map((r) => r.id)).toEqual(['r2', 'r1']);
    expect((await store.list({ limit: 2, before: 'r3' })).map((r) => r.id)).toEqual(['r2', 'r1']);
    expect(await store.list({ limit: 2, before: 'unknown' })).toEqual([]);
    expect((await store.latestBySchedule()).map((r) => r.id).sort()).toEqual(['r3', 'r4']);
  });

  it('fails runs left running, keeps the newest runs, and remembers paused schedules', async () => {
    await store.save(run('old', { startedAt: '2025-01-01T00:00:00.000Z' }));
    await store.save(run('mid', { startedAt: '2025-06-01T00:00:00.000Z' }));
    await store.save(run('live', { status: 'running', endedAt: null, startedAt: '2026-01-01T00:00:00.000Z' }));
    expect(await store.failRunning('server stopped', '2026-01-02T00:00:00.000Z')).toBe(1);
    expect(await store.get('live')).toMatchObject({ status: 'failed', error: 'server stopped', endedAt: '2026-01-02T00:00:00.000Z' });
    expect(await store.prune(2)).toBe(1);
    expect(await store.get('old')).toBeUndefined();
    await store.setPaused('s1', true);
    await store.setPaused('s2', true);
    await store.setPaused('s1', false);
    expect(await store.pausedIds()).toEqual(['s2']);
  });
});
