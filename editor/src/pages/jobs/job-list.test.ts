import { describe, expect, it } from 'vitest';
import type { JobRun, JobSchedule } from '@gridflow/runtime/contract';
import { applyJobEvent, describeSchedule } from './job-list.js';

function run(id: string, patch: Partial<JobRun> = {}): JobRun {
  return {
    id,
    scheduleId: 's1',
    flowId: 'f1',
    name: 'nightly',
    trigger: 'manual',
    status: 'running',
    startedAt: `2026-01-01T00:00:0${id}.000Z`,
    endedAt: null,
    durationMs: null,
    rowsRead: 0,
    rowsWritten: 0,
    progress: null,
    message: null,
    error: null,
    errors: [],
    user: 'admin',
    ...patch,
  };
}

const schedule: JobSchedule = {
  id: 's1',
  flowId: 'f1',
  name: 'nightly',
  kind: 'interval',
  cron: null,
  timezone: null,
  intervalSeconds: 30,
  timeoutSeconds: 0,
  paused: false,
  nextRun: null,
  running: 0,
  lastRun: null,
};

describe('live job list', () => {
  it('adds a run, updates its progress and end, and sets the schedule last run', () => {
    let s = { schedules: [schedule], runs: [] as JobRun[] };
    s = applyJobEvent(s, { kind: 'run', run: run('1') }, {}, 100);
    s = applyJobEvent(s, { kind: 'run', run: run('1', { rowsRead: 50, progress: 0.5 }) }, {}, 100);
    expect(s.runs).toHaveLength(1);
    expect(s.runs[0]?.rowsRead).toBe(50);
    s = applyJobEvent(s, { kind: 'run', run: run('1', { status: 'succeeded', rowsRead: 100 }) }, {}, 100);
    // A late progress event does not undo the end.
    s = applyJobEvent(s, { kind: 'run', run: run('1', { rowsRead: 60 }) }, {}, 100);
    expect(s.runs[0]?.status).toBe('succeeded');
    expect(s.schedules[0]?.lastRun?.status).toBe('succeeded');
  });

  it('keeps the newest runs first, within the limit and the filter', () => {
    let s = { schedules: [schedule], runs: [] as JobRun[] };
    for (const id of ['1', '2', '3']) s = applyJobEvent(s, { kind: 'run', run: run(id) }, {}, 2);
    expect(s.runs.map((r) => r.id)).toEqual(['3', '2']);
    s = applyJobEvent(s, { kind: 'run', run: run('4', { scheduleId: 'other' }) }, { scheduleId: 's1' }, 2);
    expect(s.runs.map((r) => r.id)).toEqual(['3', '2']);
  });

  it('updates, adds and removes schedules', () => {
    let s = { schedules: [schedule], runs: [] as JobRun[] };
    s = applyJobEvent(s, { kind: 'schedule', schedule: { ...schedule, paused: true } }, {}, 10);
    expect(s.schedules[0]?.paused).toBe(true);
    s = applyJobEvent(s, { kind: 'schedule', schedule: { ...schedule, id: 's2' } }, {}, 10);
    expect(s.schedules.map((x) => x.id)).toEqual(['s1', 's2']);
    s = applyJobEvent(s, { kind: 'schedule-removed', scheduleId: 's1' }, {}, 10);
    expect(s.schedules.map((x) => x.id)).toEqual(['s2']);
  });

  it('describes schedules', () => {
    expect(describeSchedule(schedule)).toBe('every 30 s');
    expect(describeSchedule({ ...schedule, kind: 'cron', cron: '0 0 * * *', timezone: 'UTC' })).toBe('cron 0 0 * * * (UTC)');
  });
});
