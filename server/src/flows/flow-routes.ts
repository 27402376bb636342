import { Router } from 'express';
import { diffFlows } from '@gridflow/runtime';
import { deployRequestSchema, rollbackRequestSchema, versionsQuerySchema } from '@gridflow/runtime/contract';
import type { AuthService } from '../auth/auth-service.js';
import { clientIp, principalOf, requireRole } from '../auth/middleware.js';
import { notFound } from '../errors.js';
import { intParam, parseInput } from '../http/validate.js';
import type { Stores } from '../store/types.js';
import type { DeployService } from './deploy-service.js';

/** GET /api/flows, POST /api/deploy and the version history. */
export function flowRoutes(deps: { auth: AuthService; deployService: DeployService; stores: Stores }): Router {
  const { auth, deployService, stores } = deps;
  const router = Router();
  const viewer = requireRole(auth, 'viewer');
  const editor = requireRole(auth, 'editor');

  router.get('/flows', viewer, async (_req, res) => {
    const cur = await deployService.current();
    res.json({ flows: cur.flows, rev: cur.rev });
  });

  router.post('/deploy', editor, async (req, res) => {
    const body = parseInput(deployRequestSchema, req.body);
    const response = await deployService.deploy({
      flows: body.flows,
      ...(body.rev !== undefined ? { rev: body.rev } : {}),
      type: body.type,
      user: principalOf(req).username,
      ip: clientIp(req),
    });
    res.json(response);
  });

  router.get('/versions', viewer, async (req, res) => {
    const query = parseInput(versionsQuerySchema, req.query, 'query');
    res.json({ versions: await stores.versions.list(query) });
  });

  router.get('/versions/:n', viewer, async (req, res) => {
    const n = intParam(req.params['n'], 'version');
    const stored = await stores.versions.get(n);
    if (!stored) throw notFound(`no version ${n}`);
    res.json({ version: stored.summary, flows: stored.flows });
  });

  router.get('/versions/:n/diff', viewer, async (req, res) => {
    const n = intParam(req.params['n'], 'version');
    const stored = await stores.versions.get(n);
    if (!stored) throw notFound(`no version ${n}`);
    const cur = await deployService.current();
    const diff = diffFlows(cur.flows, stored.flows);
    res.json({
      version: n,
      currentVersion: cur.version,
      currentRev: cur.rev,
      added: diff.added,
      removed: diff.removed,
      changed: diff.changed,
      rewired: diff.rewired,
    });
  });

  router.post('/versions/:n/rollback', editor, async (req, res) => {
    const n = intParam(req.params['n'], 'version');
    const body = parseInput(rollbackRequestSchema, req.body ?? {});
    const response = await deployService.rollback({
      version: n,
      ...(body.rev !== undefined ? { rev: body.rev } : {}),
      user: principalOf(req).username,
      ip: clientIp(req),
    });
    res.json(response);
  });

  return router;
}
