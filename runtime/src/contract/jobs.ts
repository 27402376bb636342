import { z } from 'zod';

/**
 * ETL jobs. A `schedule` node starts a JOB RUN each time it fires (cron, interval, or "run now");
 * the nodes of the pipeline report rows read and written to the run; the run ends when a message
 * carrying its `msg.job` comes back to the schedule node's input (failed when it has `msg.error`),
 * or when the schedule's timeout passes (failed, "timed out"). Runs are kept by the server.
 */

export const jobStatusSchema = z.enum(['running', 'succeeded', 'failed']);
export type JobStatus = z.infer<typeof jobStatusSchema>;

/** What started a run: the schedule's cron or interval, "run now" (REST or editor), or the schedule's own start. */
export const jobTriggerSchema = z.enum(['cron', 'interval', 'manual', 'startup']);
export type JobTrigger = z.infer<typeof jobTriggerSchema>;

/** A problem a node reported during a run without ending it (a rejected row, a skipped file). */
export const jobErrorSchema = z.object({
  /** ISO 8601. */
  time: z.string(),
  /** The node that reported it. */
  nodeId: z.string(),
  message: z.string(),
});
export type JobError = z.infer<typeof jobErrorSchema>;

/** One run of a schedule. */
export const jobRunSchema = z.object({
  id: z.string(),
  /** The schedule node's id. */
  scheduleId: z.string(),
  /** The flow (tab) the schedule node is on. */
  flowId: z.string(),
  /** The schedule node's name, or its id when unnamed. */
  name: z.string(),
  trigger: jobTriggerSchema,
  status: jobStatusSchema,
  /** ISO 8601. */
  startedAt: z.string(),
  /** ISO 8601; null while running. */
  endedAt: z.string().nullable(),
  /** Milliseconds from start to end; null while running. */
  durationMs: z.number().int().nullable(),
  rowsRead: z.number().int().nonnegative(),
  rowsWritten: z.number().int().nonnegative(),
  /** Fraction done, 0 to 1, when a source knows it (a file's bytes read); null when unknown. */
  progress: z.number().min(0).max(1).nullable(),
  /** The last progress note of a node, e.g. "page 12" or "orders.csv". */
  message: z.string().nullable(),
  /** Why the run failed ("timed out", the error that reached the schedule node); null otherwise. */
  error: z.string().nullable(),
  /** Problems reported during the run, at most the first 100. */
  errors: z.array(jobErrorSchema),
  /** Who pressed "run now", for manual runs. */
  user: z.string().nullable(),
});
export type JobRun = z.infer<typeof jobRunSchema>;

/** A schedule node of the deployed flows, as the Jobs page lists it. */
export const jobScheduleSchema = z.object({
  /** The schedule node's id. */
  id: z.string(),
  flowId: z.string(),
  name: z.string(),
  kind: z.enum(['cron', 'interval']),
  /** The cron expression (6 fields with seconds, or 5), for kind 'cron'. */
  cron: z.string().nullable(),
  /** IANA time zone of the cron expression; null means the server's. */
  timezone: z.string().nullable(),
  /** Seconds between runs, for kind 'interval'. */
  intervalSeconds: z.number().nullable(),
  /** A run that has not ended after this many seconds fails with "timed out"; 0: never. */
  timeoutSeconds: z.number(),
  paused: z.boolean(),
  /** ISO 8601 time of the next run; null when paused. */
  nextRun: z.string().nullable(),
  /** Runs in progress now. */
  running: z.number().int(),
  /** The latest run, if any. */
  lastRun: jobRunSchema.nullable(),
});
export type JobSchedule = z.infer<typeof jobScheduleSchema>;

/** GET /api/jobs/runs?schedule=&status=&flow=&since=&until=&limit=&before= : newest first; `before` is a run id for paging. */
export const jobRunsQuerySchema = z.object({
  schedule: z.string().optional(),
  flow: z.string().optional(),
  status: jobStatusSchema.optional(),
  /** ISO 8601: runs started at or after. */
  since: z.iso.datetime({ offset: true }).optional(),
  /** ISO 8601: runs started before. */
  until: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.string().optional(),
});
export type JobRunsQuery = z.input<typeof jobRunsQuerySchema>;

export const jobRunsResponseSchema = z.object({ runs: z.array(jobRunSchema) });
export type JobRunsResponse = z.infer<typeof jobRunsResponseSchema>;

/** GET /api/jobs/runs/:id */
export const jobRunResponseSchema = z.object({ run: jobRunSchema });
export type JobRunResponse = z.infer<typeof jobRunResponseSchema>;

/**
 * GET /api/jobs/schedules: every schedule node of the running flows. Reading needs the viewer
 * role; run now, pause and resume the editor role (403 otherwise).
 */
export const jobSchedulesResponseSchema = z.object({ schedules: z.array(jobScheduleSchema) });
export type JobSchedulesResponse = z.infer<typeof jobSchedulesResponseSchema>;

/** GET /api/jobs/schedules/:id (404 when no such schedule node runs); POST /api/jobs/schedules/:id/pause and /resume answer with the schedule too. */
export const jobScheduleResponseSchema = z.object({ schedule: jobScheduleSchema });
export type JobScheduleResponse = z.infer<typeof jobScheduleResponseSchema>;

/** POST /api/jobs/schedules/:id/run (201): the run it started. 409 CONFLICT when the schedule does not allow overlapping runs and one is running. */
export const runNowResponseSchema = z.object({ run: jobRunSchema });
export type RunNowResponse = z.infer<typeof runNowResponseSchema>;

/**
 * socket.io event `job`: a run started, made progress (at most every ~500 ms per run) or ended,
 * or a schedule changed (paused, resumed, deployed, removed).
 */
export const jobEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('run'), run: jobRunSchema }),
  z.object({ kind: z.literal('schedule'), schedule: jobScheduleSchema }),
  z.object({ kind: z.literal('schedule-removed'), scheduleId: z.string() }),
]);
export type JobEvent = z.infer<typeof jobEventSchema>;
