import type { JobEvent, JobRun, JobSchedule, JobStatus } from '@gridflow/runtime/contract';

export interface RunFilter {
  scheduleId?: string | undefined;
  status?: JobStatus | undefined;
}

export interface JobsState {
  schedules: JobSchedule[];
  runs: JobRun[];
}

function runMatches(r: JobRun, f: RunFilter): boolean {
  return (!f.scheduleId || r.scheduleId === f.scheduleId) && (!f.status || r.status === f.status);
}

/** Order of a run's life: a progress event that arrives after the end must not revive it. */
const stage: Record<JobStatus, number> = { running: 0, succeeded: 1, failed: 1 };

/**
 * Applies a live job event: a run is added or updated (newest start first, at most `limit`), a
 * schedule is updated or added, a removed schedule leaves.
 */
export function applyJobEvent(state: JobsState, event: JobEvent, filter: RunFilter, limit: number): JobsState {
  switch (event.kind) {
    case 'run': {
      const run = event.run;
      const known = state.runs.find((r) => r.id === run.id);
      if (known && stage[known.status] > stage[run.status]) return state;
      const others = state.runs.filter((r) => r.id !== run.id);
      const runs = runMatches(run, filter) ? [run, ...others] : others;
      runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id));
      // The schedule's lastRun and running count change with its runs.
      const schedules = state.schedules.map((s) =>
        s.id === run.scheduleId && (!s.lastRun || s.lastRun.id === run.id || s.lastRun.startedAt <= run.startedAt) ? { ...s, lastRun: run } : s,
      );
      return { schedules, runs: runs.slice(0, limit) };
    }
    case 'schedule': {
      const exists = state.schedules.some((s) => s.id === event.schedule.id);
      const schedules = exists ? state.schedules.map((s) => (s.id === event.schedule.id ? event.schedule : s)) : [...state.schedules, event.schedule];
      return { ...state, schedules };
    }
    case 'schedule-removed':
      return { ...state, schedules: state.schedules.filter((s) => s.id !== event.scheduleId) };
  }
}

/** "every 30 s", "cron 0 * * * * * (Europe/Berlin)". */
export function describeSchedule(s: JobSchedule): string {
  if (s.kind === 'interval') return `every ${s.intervalSeconds ?? '?'} s`;
  return `cron ${s.cron ?? '?'}${s.timezone ? ` (${s.timezone})` : ''}`;
}
