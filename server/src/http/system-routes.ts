import { Router, type RequestHandler } from 'express';
import type { Registry, Runtime } from '@gridflow/runtime';
import { injectRequestSchema, type HealthResponse, type NodeCatalogEntry } from '@gridflow/runtime/contract';
import type { AuthService } from '../auth/auth-service.js';
import { requireRole } from '../auth/middleware.js';
import { buildCatalog } from '../catalog/catalog.js';
import { notFound } from '../errors.js';
import type { DeployService } from '../flows/deploy-service.js';
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from '../metrics/prometheus.js';
import { parseInput } from './validate.js';

export interface SystemDeps {
  auth: AuthService;
  runtime: Runtime;
  registry: Registry;
  deployService: DeployService;
  serverVersion: string;
  startedAt: number;
  metricsPublic: boolean;
  clients: () => number;
}

/** Node catalog, inject, statuses and health under /api. */
export function systemRoutes(deps: SystemDeps): Router {
  const { auth, runtime, deployService } = deps;
  const router = Router();
  let catalog: NodeCatalogEntry[] | undefined;

  router.get('/nodes', requireRole(auth, 'viewer'), (_req, res) => {
    catalog ??= buildCatalog(deps.registry);
    res.json({ nodes: catalog });
  });

  router.post('/inject/:id', requireRole(auth, 'editor'), (req, res) => {
    const id = String(req.params['id']);
    const body = parseInput(injectRequestSchema, req.body ?? {});
    if (!runtime.receive(id, body.msg ?? {})) throw notFound(`node ${id} is not running`);
    res.json({ ok: true });
  });

  router.get('/status', requireRole(auth, 'viewer'), (_req, res) => {
    const flowOf = new Map(runtime.flows().map((n) => [n.id, n.z]));
    res.json({
      statuses: runtime.statuses().map((s) => {
        const z = flowOf.get(s.id);
        return { id: s.id, ...(z !== undefined ? { z } : {}), status: s.status };
      }),
    });
  });

  router.get('/health', async (_req, res) => {
    const cur = await deployService.current();
    const body: HealthResponse = {
      status: deployService.startError() ? 'degraded' : 'ok',
      version: deps.serverVersion,
      uptime: Math.round((Date.now() - deps.startedAt) / 1000),
      rev: cur.rev,
      nodes: cur.flows.length,
      nodeTypes: deps.registry.types().length,
    };
    res.json(body);
  });

  return router;
}

/** GET /metrics in the Prometheus text format; needs a login or token unless configured public. */
export function metricsRoute(deps: SystemDeps): RequestHandler[] {
  const handler: RequestHandler = async (_req, res) => {
    const cur = await deps.deployService.current();
    const text = renderPrometheus({
      snapshot: deps.runtime.metrics(),
      memory: process.memoryUsage(),
      uptimeSeconds: (Date.now() - deps.startedAt) / 1000,
      flowsVersion: cur.version ?? 0,
      clients: deps.clients(),
    });
    res.setHeader('Content-Type', PROMETHEUS_CONTENT_TYPE);
    res.send(text);
  };
  return deps.metricsPublic ? [handler] : [requireRole(deps.auth, 'viewer'), handler];
}
