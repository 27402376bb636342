import { errorMessage } from '@gridflow/runtime';
import type { JobEvent, JobRun } from '@gridflow/runtime/contract';
import { createJobTracker, jobsKey } from '@gridflow/nodes/etl';
import type { ServerModule } from '../server.js';
import { jobRoutes } from './job-routes.js';
import { createSqliteJobStore } from './job-store.js';
import { jobMigrations } from './migrations.js';

export interface JobsModuleOptions {
  /** Runs kept in the database; older ones are removed. */
  keepRuns?: number;
  /** Least time between two progress events (socket `job`, and the stored run) of one run. */
  progressIntervalMs?: number;
}

const PRUNE_EVERY = 100;

/**
 * ETL jobs: the `jobs` service the schedule and ETL nodes report to, every run stored in SQLite,
 * REST under /api/jobs, and socket.io `job` events for the Jobs page.
 */
export function jobsModule(options: JobsModuleOptions = {}): ServerModule {
  const keepRuns = options.keepRuns ?? 10_000;
  return {
    name: 'jobs',
    migrations: jobMigrations,
    async setup(host) {
      const store = createSqliteJobStore(host.db);
      const log = (what: string) => (err: unknown) => host.logger.error(`jobs: ${what}: ${errorMessage(err)}`);
      const stale = await store.failRunning('the server stopped before the run ended', new Date().toISOString());
      if (stale) host.logger.warn(`jobs: ${stale} runs were left running by the last server and are marked failed`);
      const lastRuns = new Map((await store.latestBySchedule()).map((r) => [r.scheduleId, r]));
      const paused = await store.pausedIds();
      const emit = (event: JobEvent) => host.io.emit('job', event);
      let ended = 0;

      const tracker = createJobTracker({
        ...(options.progressIntervalMs !== undefined ? { progressIntervalMs: options.progressIntervalMs } : {}),
        onRun(run: JobRun, change) {
          store.save(run).catch(log(`saving run ${run.id}`));
          emit({ kind: 'run', run });
          if (change !== 'end') return;
          lastRuns.set(run.scheduleId, run);
          if (run.status === 'failed') host.logger.warn(`job ${run.name} (${run.scheduleId}) run ${run.id} failed: ${run.error ?? ''}`);
          if (++ended % PRUNE_EVERY === 0) store.prune(keepRuns).catch(log('removing old runs'));
        },
        onSchedule(schedule, removed) {
          emit(removed ? { kind: 'schedule-removed', scheduleId: schedule.id } : { kind: 'schedule', schedule });
        },
        pausedStore: {
          load: () => paused,
          save: (id, value) => void store.setPaused(id, value).catch(log(`saving the pause of ${id}`)),
        },
        lastStoredRun: (id) => lastRuns.get(id),
      });
      host.provide(jobsKey, tracker);
      host.api.use(jobRoutes({ auth: host.auth, store, tracker, audit: host.audit }));
      await store.prune(keepRuns);
      return {
        close() {
          tracker.close('the server stopped before the run ended');
        },
      };
    },
  };
}
