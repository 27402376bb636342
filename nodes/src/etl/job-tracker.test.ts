import { describe, expect, it } from 'vitest';
import type { JobRun, JobSchedule } from '@gridflow/runtime/contract';
import { createJobTracker, JobOverlapError, UnknownScheduleError } from './job-tracker.js';
import type { ScheduleControl } from './services.js';

const info = (id: string) => ({ id, flowId: 'f', name: `job ${id}`, kind: 'interval' as const, cron: null, timezone: null, intervalSeconds: 60, timeoutSeconds: 0 });

function control(overrides: Partial<ScheduleControl> = {}): ScheduleControl & { paused: boolean[] } {
  const paused: boolean[] = [];
  return { paused, runNow: () => ({ id: 'x', schedule: 's', name: 's' }), setPaused: (p) => paused.push(p), nextRun: () => new Date(0), ...overrides };
}

describe('job tracker', () => {
  it('counts rows and progress of a run, and ends it succeeded or failed', () => {
    let clock = 1000;
    const changes: [string, JobRun][] = [];
    const t = createJobTracker({ now: () => clock, onRun: (run, change) => changes.push([change, run]) });
    t.addSchedule(info('s'), control());
    const ref = t.start('s', 'cron');
    t.report(ref.id, { rowsRead: 10, progress: 0.25, message: 'page 1' });
    t.report(ref.id, { rowsRead: 5, rowsWritten: 15, progress: 7 });
    t.problem(ref.id, 'n1', 'row 3 rejected');
    clock = 1500;
    t.finish(ref.id);
    t.finish(ref.id, 'late');
    const run = t.get(ref.id) as JobRun;
    expect(run).toMatchObject({ status: 'succeeded', rowsRead: 15, rowsWritten: 15, progress: 1, message: 'page 1', durationMs: 500, error: null, name: 'job s', trigger: 'cron' });
    expect(run.errors).toEqual([{ time: new Date(1000).toISOString(), nodeId: 'n1', message: 'row 3 rejected' }]);
    expect(changes.map(([c]) => c)).toEqual(['start', 'end']);

    const failed = t.start('s', 'manual', 'ada');
    t.finish(failed.id, 'boom');
    expect(t.get(failed.id)).toMatchObject({ status: 'failed', error: 'boom', user: 'ada' });
    expect(t.schedule('s')?.lastRun?.id).toBe(failed.id);
  });

  it('emits progress at most once per interval', async () => {
    const changes: string[] = [];
    const t = createJobTracker({ progressIntervalMs: 30, onRun: (_r, c) => changes.push(c) });
    const ref = t.start('s', 'interval');
    for (let i = 0; i < 50; i++) t.report(ref.id, { rowsRead: 1 });
    await new Promise((r) => setTimeout(r, 60));
    expect(changes).toEqual(['start', 'progress']);
    t.finish(ref.id);
  });

  it('makes a reader wait while writers hold rows, and lets it go when they store them or the run ends', async () => {
    const t = createJobTracker();
    const ref = t.start('s', 'manual');
    t.hold(ref.id, 100);
    let woke = false;
    const waiting = t.room(ref.id, 50).then(() => (woke = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(woke).toBe(false);
    t.release(ref.id, 60);
    await waiting;
    expect(woke).toBe(true);

    t.hold(ref.id, 100);
    const second = t.room(ref.id, 50);
    t.finish(ref.id, 'stopped');
    await second;
    expect(t.isRunning(ref.id)).toBe(false);
  });

  it('pauses and resumes through the schedule control, keeping the pause in the store', () => {
    const saved: [string, boolean][] = [];
    const events: [JobSchedule, boolean][] = [];
    const t = createJobTracker({ pausedStore: { load: () => ['s'], save: (id, p) => saved.push([id, p]) }, onSchedule: (s, removed) => events.push([s, removed]) });
    const c = control();
    const remove = t.addSchedule(info('s'), c);
    expect(t.isPaused('s')).toBe(true);
    expect(t.schedule('s')).toMatchObject({ paused: true, nextRun: null });
    expect(t.setPaused('s', false)).toBe(true);
    expect(c.paused).toEqual([false]);
    expect(saved).toEqual([['s', false]]);
    expect(t.schedule('s')?.nextRun).toBe(new Date(0).toISOString());
    expect(t.setPaused('other', true)).toBe(false);
    remove();
    expect(events.at(-1)?.[1]).toBe(true);
    expect(t.schedules()).toEqual([]);
  });

  it('runs now through the schedule node, and names unknown schedules and overlaps', () => {
    const t = createJobTracker();
    expect(() => t.runNow('nope')).toThrow(UnknownScheduleError);
    t.addSchedule(
      info('s'),
      control({
        runNow: () => {
          throw new JobOverlapError('s', 'r1');
        },
      }),
    );
    expect(() => t.runNow('s')).toThrow(/still running \(run r1\)/);
  });

  it('fails every open run on close', () => {
    const t = createJobTracker();
    const a = t.start('s', 'cron');
    const b = t.start('s', 'cron');
    t.close('server stopped');
    expect(t.running()).toEqual([]);
    expect([t.get(a.id)?.error, t.get(b.id)?.error]).toEqual(['server stopped', 'server stopped']);
  });
});
