import { Router, type RequestHandler, type Request } from 'express';
import {
  alertsQuerySchema,
  alertSeveritySchema,
  type AckAlertResponse,
  type AlertsResponse,
  type Role,
} from '@gridflow/runtime/contract';
import type { AuditLog } from '../audit-log.js';
import type { Principal } from '../auth/auth-service.js';
import { ApiFailure, notFound } from '../errors.js';
import { parseInput } from '../http/validate.js';
import type { AlertService } from './alert-service.js';
import { UnknownAlertError, type AlertStore } from './alert-store.js';

export interface AlertRouteDeps {
  store: AlertStore;
  service: AlertService;
  audit: AuditLog;
  requireRole(role: Role): RequestHandler;
  principalOf(req: Request): Principal;
}

/** GET /alerts and POST /alerts/:id/ack (listAlerts and ackAlert in the contract), mounted under /api. */
export function alertRoutes(deps: AlertRouteDeps): Router {
  const router = Router();

  router.get('/alerts', deps.requireRole('viewer'), async (req, res) => {
    const query = parseInput(alertsQuerySchema, req.query, 'query');
    // Raises and clears still queued (this turn of the event loop) belong in the answer.
    await deps.service.flush();
    let alerts;
    try {
      alerts = await deps.store.list({
        state: query.state,
        severities: query.severity?.split(',').map((s) => alertSeveritySchema.parse(s)),
        acknowledged: query.acknowledged,
        source: query.source,
        search: query.search,
        limit: query.limit,
        before: query.before,
      });
    } catch (err) {
      if (err instanceof UnknownAlertError) {
        throw new ApiFailure('VALIDATION', `invalid query: before: ${err.message}`, {
          fields: [{ path: 'before', message: err.message }],
        });
      }
      throw err;
    }
    const body: AlertsResponse = { alerts, counts: await deps.store.counts() };
    res.json(body);
  });

  router.post('/alerts/:id/ack', deps.requireRole('editor'), async (req, res) => {
    const id = String(req.params['id']);
    const user = deps.principalOf(req).username;
    let result;
    try {
      result = await deps.service.acknowledge(id, user);
    } catch (err) {
      if (err instanceof UnknownAlertError) throw notFound(err.message);
      throw err;
    }
    const { alert, changed } = result;
    if (changed) await deps.audit.fromRequest(req, user, 'alert-ack', id, { key: alert.key, source: alert.source });
    const body: AckAlertResponse = { alert };
    res.json(body);
  });

  return router;
}
