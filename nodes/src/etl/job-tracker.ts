import { generateId } from '@gridflow/runtime';
import type { JobRun, JobSchedule, JobTrigger } from '@gridflow/runtime/contract';
import type { JobRef, JobReport, JobTracker, ScheduleControl, ScheduleInfo } from './services.js';

/** "Run now" of a schedule that allows no overlap while a run is going on. */
export class JobOverlapError extends Error {
  constructor(readonly scheduleId: string, readonly runningId: string) {
    super(`schedule ${scheduleId} is still running (run ${runningId}) and does not allow overlapping runs`);
    this.name = 'JobOverlapError';
  }
}

/** A schedule id that no running schedule node has. */
export class UnknownScheduleError extends Error {
  constructor(readonly scheduleId: string) {
    super(`no schedule node "${scheduleId}" is running`);
    this.name = 'UnknownScheduleError';
  }
}

export type RunChange = 'start' | 'progress' | 'end';

export interface JobTrackerOptions {
  /** Every start and end at once; progress at most every `progressIntervalMs` per run. */
  onRun?(run: JobRun, change: RunChange): void;
  /** A schedule was added, changed (paused, resumed) or removed (`removed` true). */
  onSchedule?(schedule: JobSchedule, removed: boolean): void;
  /** Paused schedule ids, kept by the host across deploys and restarts. */
  pausedStore?: { load(): Iterable<string>; save(scheduleId: string, paused: boolean): void };
  /** The latest stored run of a schedule, for schedules that have not run since the start. */
  lastStoredRun?(scheduleId: string): JobRun | undefined;
  progressIntervalMs?: number;
  now?: () => number;
}

/** The tracker plus what a host (the server's jobs module) needs to list and steer schedules. */
export interface JobTrackerHost extends JobTracker {
  schedules(): JobSchedule[];
  schedule(scheduleId: string): JobSchedule | undefined;
  /** Starts a run of a schedule; throws UnknownScheduleError or JobOverlapError. */
  runNow(scheduleId: string, user?: string): JobRun;
  /** Runs in progress. */
  running(): JobRun[];
  /** Fails every run in progress (server shutting down). */
  close(reason: string): void;
}

interface ActiveRun {
  run: JobRun;
  startedMs: number;
  held: number;
  waiters: { limit: number; resolve: () => void }[];
  progressTimer: NodeJS.Timeout | undefined;
}

const MAX_ERRORS = 100;
const RECENT_RUNS = 200;

export function createJobTracker(options: JobTrackerOptions = {}): JobTrackerHost {
  const now = options.now ?? Date.now;
  const progressIntervalMs = options.progressIntervalMs ?? 500;
  const active = new Map<string, ActiveRun>();
  // Ended runs stay readable for a while, so that a late report or a REST read right after the end finds them.
  const recent = new Map<string, JobRun>();
  const schedules = new Map<string, { info: ScheduleInfo; control: ScheduleControl }>();
  const lastRuns = new Map<string, JobRun>();
  const paused = new Set<string>(options.pausedStore?.load() ?? []);

  const iso = (ms: number) => new Date(ms).toISOString();
  const copy = (run: JobRun): JobRun => ({ ...run, errors: [...run.errors] });

  function describe(id: string): JobSchedule | undefined {
    const s = schedules.get(id);
    if (!s) return undefined;
    const next = paused.has(id) ? undefined : s.control.nextRun();
    const last = lastRuns.get(id) ?? options.lastStoredRun?.(id);
    let running = 0;
    for (const a of active.values()) if (a.run.scheduleId === id) running++;
    return { ...s.info, paused: paused.has(id), nextRun: next ? next.toISOString() : null, running, lastRun: last ? copy(last) : null };
  }

  const scheduleChanged = (id: string) => {
    const d = describe(id);
    if (d) options.onSchedule?.(d, false);
  };

  function emit(a: ActiveRun, change: RunChange): void {
    lastRuns.set(a.run.scheduleId, a.run);
    options.onRun?.(copy(a.run), change);
  }

  function wake(a: ActiveRun): void {
    const ended = !active.has(a.run.id);
    a.waiters = a.waiters.filter((w) => {
      if (ended || a.held < w.limit) {
        w.resolve();
        return false;
      }
      return true;
    });
  }

  const tracker: JobTrackerHost = {
    addSchedule(info, control) {
      schedules.set(info.id, { info, control });
      scheduleChanged(info.id);
      return () => {
        const s = schedules.get(info.id);
        if (s?.control !== control) return;
        const last = describe(info.id);
        schedules.delete(info.id);
        if (last) options.onSchedule?.(last, true);
      };
    },
    isPaused: (id) => paused.has(id),
    setPaused(id, value) {
      const s = schedules.get(id);
      if (!s) return false;
      if (value) paused.add(id);
      else paused.delete(id);
      options.pausedStore?.save(id, value);
      s.control.setPaused(value);
      scheduleChanged(id);
      return true;
    },
    start(scheduleId, trigger: JobTrigger, user) {
      const info = schedules.get(scheduleId)?.info;
      const startedMs = now();
      const run: JobRun = {
        id: generateId(),
        scheduleId,
        flowId: info?.flowId ?? '',
        name: info?.name ?? scheduleId,
        trigger,
        status: 'running',
        startedAt: iso(startedMs),
        endedAt: null,
        durationMs: null,
        rowsRead: 0,
        rowsWritten: 0,
        progress: null,
        message: null,
        error: null,
        errors: [],
        user: user ?? null,
      };
      const a: ActiveRun = { run, startedMs, held: 0, waiters: [], progressTimer: undefined };
      active.set(run.id, a);
      emit(a, 'start');
      scheduleChanged(scheduleId);
      return { id: run.id, schedule: scheduleId, name: run.name } satisfies JobRef;
    },
    report(jobId, r: JobReport) {
      const a = active.get(jobId);
      if (!a) return;
      if (r.rowsRead) a.run.rowsRead += r.rowsRead;
      if (r.rowsWritten) a.run.rowsWritten += r.rowsWritten;
      if (r.progress !== undefined && Number.isFinite(r.progress)) a.run.progress = Math.min(1, Math.max(0, r.progress));
      if (r.message !== undefined) a.run.message = r.message.slice(0, 200);
      if (a.progressTimer === undefined) {
        a.progressTimer = setTimeout(() => {
          a.progressTimer = undefined;
          if (active.has(jobId)) emit(a, 'progress');
        }, progressIntervalMs);
        a.progressTimer.unref();
      }
    },
    problem(jobId, nodeId, message) {
      const a = active.get(jobId);
      if (!a || a.run.errors.length >= MAX_ERRORS) return;
      a.run.errors.push({ time: iso(now()), nodeId, message: message.slice(0, 1000) });
    },
    finish(jobId, error) {
      const a = active.get(jobId);
      if (!a) return;
      active.delete(jobId);
      clearTimeout(a.progressTimer);
      const endedMs = now();
      a.run.status = error === undefined ? 'succeeded' : 'failed';
      a.run.error = error === undefined ? null : error.slice(0, 2000);
      a.run.endedAt = iso(endedMs);
      a.run.durationMs = Math.max(0, Math.round(endedMs - a.startedMs));
      if (a.run.status === 'succeeded' && a.run.progress !== null) a.run.progress = 1;
      recent.set(jobId, a.run);
      if (recent.size > RECENT_RUNS) recent.delete(recent.keys().next().value as string);
      wake(a);
      emit(a, 'end');
      scheduleChanged(a.run.scheduleId);
    },
    get(jobId) {
      const run = active.get(jobId)?.run ?? recent.get(jobId);
      return run ? copy(run) : undefined;
    },
    isRunning: (jobId) => active.has(jobId),
    hold(jobId, rows) {
      const a = active.get(jobId);
      if (a && rows > 0) a.held += rows;
    },
    release(jobId, rows) {
      const a = active.get(jobId);
      if (!a || rows <= 0) return;
      a.held = Math.max(0, a.held - rows);
      if (a.waiters.length) wake(a);
    },
    room(jobId, limit) {
      const a = active.get(jobId);
      if (!a || a.held < limit) return Promise.resolve();
      return new Promise((resolve) => a.waiters.push({ limit, resolve }));
    },
    schedules: () => [...schedules.keys()].map((id) => describe(id) as JobSchedule),
    schedule: describe,
    runNow(scheduleId, user) {
      const s = schedules.get(scheduleId);
      if (!s) throw new UnknownScheduleError(scheduleId);
      const ref = s.control.runNow(user);
      return tracker.get(ref.id) as JobRun;
    },
    running: () => [...active.values()].map((a) => copy(a.run)),
    close(reason) {
      for (const id of [...active.keys()]) tracker.finish(id, reason);
    },
  };
  return tracker;
}
