import { Router } from 'express';
import { basename } from 'node:path';
import {
  createEnrollmentSchema,
  enrollRequestSchema,
  patchEdgeSchema,
  type DeviceRef,
  type EdgeInfo,
} from '@gridflow/runtime/contract';
import type { GatewayPosts } from '../devices/gateway-posts.js';
import type { DevicePostStats } from './edge-device-posts.js';
import type { AuditLog } from '../audit-log.js';
import type { AuthService } from '../auth/auth-service.js';
import { principalOf, requireRole } from '../auth/middleware.js';
import { ApiFailure, notFound } from '../errors.js';
import { parseInput } from '../http/validate.js';
import type { EdgeHubControl } from './edge-hub.js';
import type { EdgeRecord, EdgeStore } from './edge-store.js';
import { findEdgeTarball, installCommands, packageRoutes, serverUrl } from './package-routes.js';

export interface EdgeRouteDeps {
  auth: AuthService;
  store: EdgeStore;
  hub: EdgeHubControl;
  audit: AuditLog;
  /** Folder where `npm run build:edge` leaves the agent tarball. */
  packageDir: string;
  /** The device registry's entry point for gateway posts (checks a gateway binding); absent without devices. */
  gatewayPosts?(): GatewayPosts | undefined;
  devicePostStats?(edgeId: string): DevicePostStats;
}

const publicEdge = (e: EdgeRecord, online: boolean, posts?: DevicePostStats): EdgeInfo => ({
  id: e.id,
  name: e.name,
  group: e.group,
  online,
  revoked: e.revoked,
  enrolledAt: e.enrolledAt,
  lastSeen: e.lastSeen,
  health: e.health,
  runningRev: e.runningRev,
  targetRev: e.targetRev,
  deployError: e.deployError,
  gateway: e.gateway,
  ...(posts ? { devicePosts: posts } : {}),
});

export function edgeRoutes(deps: EdgeRouteDeps): Router {
  const { auth, store, hub, audit } = deps;
  const router = Router();
  const viewer = requireRole(auth, 'viewer');
  const editor = requireRole(auth, 'editor');

  const info = (e: EdgeRecord, online = hub.isOnline(e.id)) => publicEdge(e, online, deps.devicePostStats?.(e.id));

  /** A gateway binding must name a registered, enabled gateway device. */
  const checkGateway = async (gateway: DeviceRef) => {
    const posts = deps.gatewayPosts?.();
    if (!posts)
      throw new ApiFailure(
        'CONFLICT',
        'this server has no device registry (the devices module is off): an edge cannot be bound to a gateway device',
      );
    const problem = await posts.checkGateway(gateway);
    if (problem)
      throw new ApiFailure('VALIDATION', `gateway: ${problem}`, { fields: [{ path: 'gateway', message: problem }] });
  };

  const edgeOr404 = async (id: string | undefined) => {
    const edge = id ? await store.get(id) : undefined;
    if (!edge) throw notFound(`no edge with id "${id ?? ''}"`);
    return edge;
  };

  router.post('/edge/enroll', async (req, res) => {
    const body = parseInput(enrollRequestSchema, req.body);
    const result = await store.enroll(body.token, body.name ?? body.hostname);
    if ('refused' in result) throw new ApiFailure('UNAUTHORIZED', `enrollment refused: ${result.refused}`);
    await audit.record({
      user: `edge:${result.edge.id}`,
      action: 'edge-enroll',
      target: result.edge.name,
      ip: req.ip ?? null,
      details: { hostname: body.hostname ?? null },
    });
    res.status(201).json({ edgeId: result.edge.id, credential: result.credential, name: result.edge.name });
  });

  router.get('/edges', viewer, async (_req, res) => {
    res.json({ edges: (await store.list()).map((e) => info(e)) });
  });

  router.get('/edges/enrollments', editor, async (_req, res) => {
    res.json({ enrollments: await store.listEnrollments() });
  });

  router.post('/edges/enrollments', editor, async (req, res) => {
    const body = parseInput(createEnrollmentSchema, req.body);
    if (body.gateway) await checkGateway(body.gateway);
    const user = principalOf(req).username;
    const created = await store.createEnrollment({
      name: body.name,
      group: body.group,
      createdBy: user,
      expiresAt: new Date(Date.now() + body.expiresInMinutes * 60_000),
      gateway: body.gateway,
    });
    await audit.fromRequest(req, user, 'edge-enrollment-create', created.name ?? created.id, {
      expiresAt: created.expiresAt,
      ...(created.gateway ? { gateway: `${created.gateway.productKey}/${created.gateway.deviceKey}` } : {}),
    });
    const tarball = findEdgeTarball(deps.packageDir);
    const file = tarball ? basename(tarball) : 'gridflow-edge.tgz';
    res.status(201).json({ ...created, commands: installCommands(serverUrl(req), file, created.token) });
  });

  router.delete('/edges/enrollments/:id', editor, async (req, res) => {
    if (!(await store.revokeEnrollment(String(req.params['id']))))
      throw notFound(`no enrollment token with id "${req.params['id']}"`);
    await audit.fromRequest(req, principalOf(req).username, 'edge-enrollment-revoke', String(req.params['id']));
    res.status(204).end();
  });

  router.patch('/edges/:id', editor, async (req, res) => {
    const edge = await edgeOr404(String(req.params['id']));
    const body = parseInput(patchEdgeSchema, req.body);
    if (body.gateway) await checkGateway(body.gateway);
    const updated = (await store.update(edge.id, body)) as EdgeRecord;
    if (body.gateway !== undefined) hub.rebind(edge.id, updated.gateway);
    await audit.fromRequest(req, principalOf(req).username, 'edge-update', edge.id, body);
    // A new name or group may change which tabs the edge runs.
    if (body.name !== undefined || body.group !== undefined) await hub.deploy();
    res.json(info(updated));
  });

  router.post('/edges/:id/revoke', editor, async (req, res) => {
    const edge = await edgeOr404(String(req.params['id']));
    await store.revoke(edge.id);
    hub.disconnect(edge.id, 'edge revoked');
    await audit.fromRequest(req, principalOf(req).username, 'edge-revoke', edge.id, { name: edge.name });
    res.json(info({ ...edge, revoked: true }, false));
  });

  router.post('/edges/:id/restart', editor, async (req, res) => {
    const edge = await edgeOr404(String(req.params['id']));
    if (!hub.restartFlows(edge.id)) throw new ApiFailure('CONFLICT', `edge "${edge.name}" is offline`);
    await audit.fromRequest(req, principalOf(req).username, 'edge-restart', edge.id);
    res.json({ ok: true });
  });

  router.use(packageRoutes({ auth, store, packageDir: deps.packageDir }));

  return router;
}
