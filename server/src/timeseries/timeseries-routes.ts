import { Router, type RequestHandler } from 'express';
import { latestQuerySchema, sqlRequestSchema, timeseriesQuerySchema, type Role } from '@gridflow/runtime/contract';
import { QuestDbParamError, QuestDbSqlError, QuestDbUnavailableError } from '@gridflow/nodes/storage';
import { ApiFailure } from '../errors.js';
import { parseInput } from '../http/validate.js';
import { ReadOnlySqlError, runConsoleQuery } from './sql-console.js';
import { readLatest, readSeries, type TimeseriesDeps } from './timeseries-service.js';

export interface TimeseriesRouteDeps extends TimeseriesDeps {
  requireRole(role: Role): RequestHandler;
}

/** QuestDB's errors as API errors: its SQL messages are the client's to fix, an unreachable QuestDB is not. */
export function toApiFailure(err: unknown): unknown {
  if (err instanceof QuestDbSqlError)
    return new ApiFailure('VALIDATION', err.message, { details: { position: err.position ?? null } });
  if (err instanceof QuestDbParamError || err instanceof ReadOnlySqlError)
    return new ApiFailure('VALIDATION', err.message);
  if (err instanceof QuestDbUnavailableError)
    return new ApiFailure('INTERNAL', `QuestDB is not reachable: ${err.message}`);
  return err;
}

const guard =
  (fn: RequestHandler): RequestHandler =>
  async (req, res, next) => {
    try {
      await fn(req, res, next);
    } catch (err) {
      throw toApiFailure(err);
    }
  };

/** GET /api/timeseries, GET /api/timeseries/latest, POST /api/sql (timeseriesEndpoints in the contract). */
export function timeseriesRoutes(deps: TimeseriesRouteDeps): Router {
  const router = Router();
  router.get(
    '/timeseries',
    deps.requireRole('viewer'),
    guard(async (req, res) => {
      res.json(await readSeries(deps, parseInput(timeseriesQuerySchema, req.query, 'query')));
    }),
  );
  router.get(
    '/timeseries/latest',
    deps.requireRole('viewer'),
    guard(async (req, res) => {
      res.json(await readLatest(deps, parseInput(latestQuerySchema, req.query, 'query')));
    }),
  );
  router.post(
    '/sql',
    deps.requireRole('editor'),
    guard(async (req, res) => {
      const body = parseInput(sqlRequestSchema, req.body);
      res.json(await runConsoleQuery(deps.sql, body.sql, body.limit));
    }),
  );
  return router;
}
