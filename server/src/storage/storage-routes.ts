import { Router, type Request, type RequestHandler } from 'express';
import {
  keySchema,
  rejectedRowsQuerySchema,
  storagePolicyPatchSchema,
  type Role,
  type StorageStatus,
} from '@gridflow/runtime/contract';
import type { AuditLog } from '../audit-log.js';
import type { Principal } from '../auth/auth-service.js';
import { parseInput } from '../http/validate.js';
import type { StoragePolicyStore } from './policy-store.js';
import type { StorageService } from './storage-service.js';

export interface StorageRouteDeps {
  storage: StorageService;
  store: StoragePolicyStore;
  status(): StorageStatus;
  audit: AuditLog;
  requireRole(role: Role): RequestHandler;
  principalOf(req: Request): Principal;
}

/** The storage policy REST API (storageEndpoints in the contract), mounted under /api. */
export function storageRoutes(deps: StorageRouteDeps): Router {
  const { storage } = deps;
  const viewer = deps.requireRole('viewer');
  const editor = deps.requireRole('editor');
  const router = Router();
  const productKey = (req: Request) => parseInput(keySchema, req.params['productKey'], 'path parameter productKey');

  router.get('/storage-policies', viewer, async (_req, res) => {
    res.json({ policies: await storage.list() });
  });
  router.get('/storage-policies/:productKey', viewer, async (req, res) => {
    res.json(await storage.get(productKey(req)));
  });
  router.patch('/storage-policies/:productKey', editor, async (req, res) => {
    const key = productKey(req);
    const patch = parseInput(storagePolicyPatchSchema, req.body ?? {});
    const view = await storage.patch(key, patch);
    await deps.audit.fromRequest(req, deps.principalOf(req).username, 'storage-policy.update', key, { patch });
    res.json(view);
  });
  router.post('/storage-policies/:productKey/preview', viewer, async (req, res) => {
    res.json(await storage.preview(productKey(req), parseInput(storagePolicyPatchSchema, req.body ?? {})));
  });
  router.delete('/storage-policies/:productKey', editor, async (req, res) => {
    const key = productKey(req);
    await storage.remove(key);
    await deps.audit.fromRequest(req, deps.principalOf(req).username, 'storage-policy.delete', key);
    res.status(204).end();
  });
  router.get('/storage/status', viewer, (_req, res) => {
    res.json(deps.status());
  });
  router.get('/storage/rejected', viewer, async (req, res) => {
    const q = parseInput(rejectedRowsQuerySchema, req.query, 'query');
    res.json(await deps.store.listRejected(q));
  });
  return router;
}
