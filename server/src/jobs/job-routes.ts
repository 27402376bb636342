import { Router } from 'express';
import { jobRunsQuerySchema, type JobRunResponse, type JobRunsResponse, type JobScheduleResponse, type JobSchedulesResponse, type RunNowResponse } from '@gridflow/runtime/contract';
import { JobOverlapError, UnknownScheduleError, type JobTrackerHost } from '@gridflow/nodes/etl';
import type { AuditLog } from '../audit-log.js';
import type { AuthService } from '../auth/auth-service.js';
import { principalOf, requireRole } from '../auth/middleware.js';
import { conflict, notFound } from '../errors.js';
import { parseInput } from '../http/validate.js';
import type { JobStore } from './job-store.js';

export interface JobRouteDeps {
  auth: AuthService;
  store: JobStore;
  tracker: JobTrackerHost;
  audit: AuditLog;
}

/** REST under /api/jobs: runs (list, one), schedules (list, one, run now, pause, resume). */
export function jobRoutes(deps: JobRouteDeps): Router {
  const { store, tracker, audit } = deps;
  const router = Router();
  const viewer = requireRole(deps.auth, 'viewer');
  const editor = requireRole(deps.auth, 'editor');

  const scheduleOr404 = (id: string) => {
    const schedule = tracker.schedule(id);
    if (!schedule) throw notFound(`no schedule node "${id}" is running`);
    return schedule;
  };

  router.get('/jobs/runs', viewer, async (req, res) => {
    const q = parseInput(jobRunsQuerySchema, req.query, 'query');
    const runs = await store.list({
      limit: q.limit,
      ...(q.schedule ? { schedule: q.schedule } : {}),
      ...(q.flow ? { flow: q.flow } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.since ? { since: q.since } : {}),
      ...(q.until ? { until: q.until } : {}),
      ...(q.before ? { before: q.before } : {}),
    });
    // A running run's counts in the store lag by up to one progress interval; the tracker has them now.
    const body: JobRunsResponse = { runs: runs.map((r) => (r.status === 'running' ? (tracker.get(r.id) ?? r) : r)) };
    res.json(body);
  });

  router.get('/jobs/runs/:id', viewer, async (req, res) => {
    const id = String(req.params['id']);
    const run = tracker.get(id) ?? (await store.get(id));
    if (!run) throw notFound(`no job run with id "${id}"`);
    const body: JobRunResponse = { run };
    res.json(body);
  });

  router.get('/jobs/schedules', viewer, (_req, res) => {
    const body: JobSchedulesResponse = { schedules: tracker.schedules() };
    res.json(body);
  });

  router.get('/jobs/schedules/:id', viewer, (req, res) => {
    const body: JobScheduleResponse = { schedule: scheduleOr404(String(req.params['id'])) };
    res.json(body);
  });

  router.post('/jobs/schedules/:id/run', editor, async (req, res) => {
    const id = String(req.params['id']);
    const user = principalOf(req).username;
    let run;
    try {
      run = tracker.runNow(id, user);
    } catch (err) {
      if (err instanceof UnknownScheduleError) throw notFound(err.message);
      if (err instanceof JobOverlapError) throw conflict(err.message, { runningId: err.runningId });
      throw err;
    }
    await audit.fromRequest(req, user, 'job-run-now', id, { runId: run.id });
    const body: RunNowResponse = { run };
    res.status(201).json(body);
  });

  for (const action of ['pause', 'resume'] as const) {
    router.post(`/jobs/schedules/:id/${action}`, editor, async (req, res) => {
      const id = String(req.params['id']);
      scheduleOr404(id);
      tracker.setPaused(id, action === 'pause');
      await audit.fromRequest(req, principalOf(req).username, `job-${action}`, id);
      const body: JobScheduleResponse = { schedule: scheduleOr404(id) };
      res.json(body);
    });
  }

  return router;
}
