import { jobErrorSchema, type JobRun, type JobRunsQuery, type JobStatus, type JobTrigger } from '@gridflow/runtime/contract';
import { z } from 'zod';
import type { SqliteDatabase } from '../store/db.js';

/** The parsed `GET /api/jobs/runs` query. */
export interface RunFilter {
  schedule?: string;
  flow?: string;
  status?: JobStatus;
  since?: string;
  until?: string;
  limit: number;
  before?: string;
}
export type { JobRunsQuery };

/**
 * Job runs and paused schedules. Async like every store, so that PostgreSQL can take SQLite's place
 * when several servers share one state.
 */
export interface JobStore {
  /** Inserts or replaces a run (a run is saved at its start, on progress and at its end). */
  save(run: JobRun): Promise<void>;
  get(id: string): Promise<JobRun | undefined>;
  /** Newest first; `before` pages past a run id. */
  list(filter: RunFilter): Promise<JobRun[]>;
  /** The latest run of every schedule. */
  latestBySchedule(): Promise<JobRun[]>;
  pausedIds(): Promise<string[]>;
  setPaused(scheduleId: string, paused: boolean): Promise<void>;
  /** Marks runs left "running" by a server that stopped without ending them; returns how many. */
  failRunning(reason: string, at: string): Promise<number>;
  /** Keeps the newest `keep` runs. */
  prune(keep: number): Promise<number>;
}

interface RunRow {
  id: string;
  schedule_id: string;
  flow_id: string;
  name: string;
  trigger: string;
  status: string;
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  rows_read: number;
  rows_written: number;
  progress: number | null;
  message: string | null;
  error: string | null;
  errors: string;
  user: string | null;
}

const errorsSchema = z.array(jobErrorSchema);

function parseErrors(text: string): JobRun['errors'] {
  try {
    const parsed = errorsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch (err) {
    // A row written by hand or cut short: the run is still worth listing without its problems.
    if (err instanceof SyntaxError) return [];
    throw err;
  }
}

const toRun = (r: RunRow): JobRun => ({
  id: r.id,
  scheduleId: r.schedule_id,
  flowId: r.flow_id,
  name: r.name,
  trigger: r.trigger as JobTrigger,
  status: r.status as JobStatus,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  durationMs: r.duration_ms,
  rowsRead: r.rows_read,
  rowsWritten: r.rows_written,
  progress: r.progress,
  message: r.message,
  error: r.error,
  errors: parseErrors(r.errors),
  user: r.user,
});

export function createSqliteJobStore(db: SqliteDatabase): JobStore {
  const upsert = db.prepare(`
    INSERT INTO job_runs (id, schedule_id, flow_id, name, trigger, status, started_at, ended_at, duration_ms, rows_read, rows_written, progress, message, error, errors, user)
    VALUES (@id, @scheduleId, @flowId, @name, @trigger, @status, @startedAt, @endedAt, @durationMs, @rowsRead, @rowsWritten, @progress, @message, @error, @errors, @user)
    ON CONFLICT (id) DO UPDATE SET status = excluded.status, ended_at = excluded.ended_at, duration_ms = excluded.duration_ms,
      rows_read = excluded.rows_read, rows_written = excluded.rows_written, progress = excluded.progress,
      message = excluded.message, error = excluded.error, errors = excluded.errors`);
  const byId = db.prepare<[string], RunRow>('SELECT * FROM job_runs WHERE id = ?');
  const latest = db.prepare<[], RunRow>(`
    SELECT r.* FROM job_runs r
    JOIN (SELECT schedule_id, max(started_at) AS started_at FROM job_runs GROUP BY schedule_id) m
      ON m.schedule_id = r.schedule_id AND m.started_at = r.started_at`);
  const paused = db.prepare<[], { schedule_id: string }>('SELECT schedule_id FROM job_paused');
  const pause = db.prepare('INSERT OR REPLACE INTO job_paused (schedule_id, paused_at) VALUES (?, ?)');
  const resume = db.prepare('DELETE FROM job_paused WHERE schedule_id = ?');
  const failRunning = db.prepare(`UPDATE job_runs SET status = 'failed', error = ?, ended_at = ? WHERE status = 'running'`);
  const prune = db.prepare(`DELETE FROM job_runs WHERE id IN (SELECT id FROM job_runs ORDER BY started_at DESC, id DESC LIMIT -1 OFFSET ?)`);

  return {
    async save(run) {
      upsert.run({ ...run, errors: JSON.stringify(run.errors) });
    },
    async get(id) {
      const row = byId.get(id);
      return row ? toRun(row) : undefined;
    },
    async list(f) {
      const where: string[] = [];
      const args: (string | number)[] = [];
      const add = (clause: string, value: string) => {
        where.push(clause);
        args.push(value);
      };
      if (f.schedule) add('schedule_id = ?', f.schedule);
      if (f.flow) add('flow_id = ?', f.flow);
      if (f.status) add('status = ?', f.status);
      // Stored times are ISO 8601 in UTC, so comparing normalised text compares times.
      if (f.since) add('started_at >= ?', new Date(f.since).toISOString());
      if (f.until) add('started_at < ?', new Date(f.until).toISOString());
      if (f.before) {
        const cursor = byId.get(f.before);
        if (!cursor) return [];
        where.push('(started_at, id) < (?, ?)');
        args.push(cursor.started_at, cursor.id);
      }
      const sql = `SELECT * FROM job_runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, id DESC LIMIT ?`;
      return db
        .prepare<(string | number)[], RunRow>(sql)
        .all(...args, f.limit)
        .map(toRun);
    },
    async latestBySchedule() {
      return latest.all().map(toRun);
    },
    async pausedIds() {
      return paused.all().map((r) => r.schedule_id);
    },
    async setPaused(scheduleId, value) {
      if (value) pause.run(scheduleId, new Date().toISOString());
      else resume.run(scheduleId);
    },
    async failRunning(reason, at) {
      return failRunning.run(reason, at).changes;
    },
    async prune(keep) {
      return prune.run(keep).changes;
    },
  };
}
