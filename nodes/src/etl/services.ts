import { serviceKey, type Msg, type NodeContext } from '@gridflow/runtime';
import type { JobRun, JobSchedule, JobTrigger } from '@gridflow/runtime/contract';

/** `msg.job`: which run a message belongs to. The schedule node puts it on the messages it starts. */
export interface JobRef {
  /** The run's id. */
  id: string;
  /** The schedule node's id. */
  schedule: string;
  name: string;
}

/** What a node tells a run; row counts are increments. */
export interface JobReport {
  rowsRead?: number;
  rowsWritten?: number;
  /** Fraction done (0..1), when the node knows it. */
  progress?: number;
  /** A short note: "page 12", "orders.csv". */
  message?: string;
}

/** A schedule node's description, as the Jobs page shows it (runtime state is added by the tracker). */
export type ScheduleInfo = Omit<JobSchedule, 'paused' | 'running' | 'lastRun' | 'nextRun'>;

/** What the host can ask of a schedule node, by node id. */
export interface ScheduleControl {
  /** Starts a run now; throws when the schedule allows no overlap and a run is going on. */
  runNow(user?: string): JobRef;
  /** Stops or restarts the timer; runs in progress go on. */
  setPaused(paused: boolean): void;
  /** The next time the timer fires (undefined when paused or never). */
  nextRun(): Date | undefined;
}

/**
 * The jobs service: the server hosts one (runs kept in SQLite, REST, socket events); a runtime
 * without it runs schedules all the same and ignores the reports. `createJobTracker` is the
 * in-memory implementation the server builds on.
 */
export interface JobTracker {
  /** A schedule node announces itself when it starts; the returned function removes it when it closes. */
  addSchedule(info: ScheduleInfo, control: ScheduleControl): () => void;
  /** Whether the schedule was paused (kept across deploys and restarts by the host). */
  isPaused(scheduleId: string): boolean;
  /** Pauses or resumes a schedule by node id; false when there is no such schedule. */
  setPaused(scheduleId: string, paused: boolean): boolean;
  /** Starts a run of a schedule (called by the schedule node). */
  start(scheduleId: string, trigger: JobTrigger, user?: string): JobRef;
  /** Adds rows and progress to a running run; ignored for runs that ended. */
  report(jobId: string, report: JobReport): void;
  /** Records a problem that does not end the run. */
  problem(jobId: string, nodeId: string, message: string): void;
  /** Ends a run: failed when `error` is given. Ignored when it has ended already. */
  finish(jobId: string, error?: string): void;
  /** The run, while it is running (and shortly after). */
  get(jobId: string): JobRun | undefined;
  isRunning(jobId: string): boolean;
  /**
   * Back-pressure within a run: a writing node holds rows it accepted and has not stored yet;
   * a reading node waits in `room` while the run's held rows reach its limit.
   */
  hold(jobId: string, rows: number): void;
  release(jobId: string, rows: number): void;
  /** Resolves when fewer than `limit` rows of the run are held, or the run has ended. */
  room(jobId: string, limit: number): Promise<void>;
}

export const jobsKey = serviceKey<JobTracker>('jobs');

/** `msg.job` when it is a well-formed job reference. */
export function jobOf(msg: Msg): JobRef | undefined {
  const j = msg['job'];
  if (j === null || typeof j !== 'object') return undefined;
  const { id, schedule, name } = j as Record<string, unknown>;
  if (typeof id !== 'string' || typeof schedule !== 'string') return undefined;
  return { id, schedule, name: typeof name === 'string' ? name : schedule };
}

/** A node's handle on the run of one message; every call is a no-op when the message has no job or the host no jobs service. */
export interface JobHandle {
  readonly job: JobRef | undefined;
  read(rows: number, extra?: Omit<JobReport, 'rowsRead' | 'rowsWritten'>): void;
  /** Counts rows as written and releases as many held rows. */
  written(rows: number, extra?: Omit<JobReport, 'rowsRead' | 'rowsWritten'>): void;
  /** Rows this node accepted and has not stored yet (released by `written` or `dropped`). */
  hold(rows: number): void;
  /** Releases held rows that will not be written (failed, rejected). */
  dropped(rows: number): void;
  progress(fraction: number | undefined, message?: string): void;
  problem(message: string): void;
  /** Waits while the run holds `limit` rows or more; false when the run has ended (stop reading). */
  room(limit: number): Promise<boolean>;
  /** True while the run goes on (always true without a job). */
  readonly running: boolean;
}

/**
 * The one call a reading or writing node needs:
 *
 *   const job = jobHandle(ctx, msg);
 *   job.hold(rows.length); await store(rows); job.written(rows.length);
 */
export function jobHandle(ctx: Pick<NodeContext, 'id' | 'service'>, msg: Msg): JobHandle {
  const job = jobOf(msg);
  const tracker = job ? ctx.service(jobsKey) : undefined;
  if (!job || !tracker) {
    return {
      job,
      read: () => undefined,
      written: () => undefined,
      hold: () => undefined,
      dropped: () => undefined,
      progress: () => undefined,
      problem: () => undefined,
      room: () => Promise.resolve(true),
      running: true,
    };
  }
  const id = job.id;
  const extraOf = (extra: Omit<JobReport, 'rowsRead' | 'rowsWritten'> | undefined) => extra ?? {};
  return {
    job,
    read: (rows, extra) => tracker.report(id, { rowsRead: rows, ...extraOf(extra) }),
    written(rows, extra) {
      tracker.report(id, { rowsWritten: rows, ...extraOf(extra) });
      tracker.release(id, rows);
    },
    hold: (rows) => tracker.hold(id, rows),
    dropped: (rows) => tracker.release(id, rows),
    progress: (fraction, message) =>
      tracker.report(id, { ...(fraction !== undefined ? { progress: fraction } : {}), ...(message !== undefined ? { message } : {}) }),
    problem: (message) => tracker.problem(id, ctx.id, message),
    async room(limit) {
      await tracker.room(id, limit);
      return tracker.isRunning(id);
    },
    get running() {
      return tracker.isRunning(id);
    },
  };
}
