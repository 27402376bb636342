import { Router, type Request } from 'express';
import { z } from 'zod';
import { flowNodeSchema } from '@gridflow/runtime/contract';
import type { AuditLog } from '../audit-log.js';
import type { AuthService } from '../auth/auth-service.js';
import type { Stores } from '../store/types.js';
import { clientIp, principalOf, requireRole } from '../auth/middleware.js';
import { ApiFailure } from '../errors.js';
import { toApiError } from '../http/error-handler.js';
import { parseInput } from '../http/validate.js';
import type { DeployService } from './deploy-service.js';

const v1Body = z.array(flowNodeSchema);
const v2Body = z.object({ flows: z.array(flowNodeSchema), rev: z.string().optional() });
const deploymentType = z.enum(['full', 'flows', 'nodes', 'reload']);

const apiVersion = (req: Request) => (String(req.get('Node-RED-API-Version') ?? 'v1').toLowerCase() === 'v2' ? 'v2' : 'v1');

/**
 * Node-RED's admin API for flows, so its tooling (node-red-admin, CI scripts, the Node-RED
 * editor's deploy) works against Gridflow: GET/POST /flows with the `Node-RED-API-Version`
 * and `Node-RED-Deployment-Type` headers, bearer-token auth.
 */
export function nodeRedRoutes(deps: { auth: AuthService; deployService: DeployService }): Router {
  const { auth, deployService } = deps;
  const router = Router();

  router.get('/flows', requireRole(auth, 'viewer'), async (req, res) => {
    const cur = await deployService.current();
    res.setHeader('Node-RED-API-Version', apiVersion(req));
    if (apiVersion(req) === 'v2') res.json({ rev: cur.rev, flows: cur.flows });
    else res.json(cur.flows);
  });

  router.post('/flows', requireRole(auth, 'editor'), async (req, res) => {
    const version = apiVersion(req);
    const typeHeader = req.get('Node-RED-Deployment-Type') ?? 'full';
    const type = parseInput(deploymentType, typeHeader.toLowerCase(), 'Node-RED-Deployment-Type header');
    const user = principalOf(req).username;
    try {
      if (type === 'reload') {
        const response = await deployService.reload({ user });
        if (version === 'v2') res.json({ rev: response.rev });
        else res.status(204).end();
        return;
      }
      const body = version === 'v2' ? parseInput(v2Body, req.body) : { flows: parseInput(v1Body, req.body) };
      const response = await deployService.deploy({
        flows: body.flows,
        ...('rev' in body && body.rev !== undefined ? { rev: body.rev } : {}),
        type,
        user,
        ip: clientIp(req),
      });
      if (version === 'v2') res.json({ rev: response.rev });
      else res.status(204).end();
    } catch (err) {
      // Node-RED's editor recognises a stale revision by `code: 'version_mismatch'` at the top level.
      if (err instanceof ApiFailure && err.code === 'CONFLICT') {
        const { body } = toApiError(err);
        res.status(409).json({ code: 'version_mismatch', message: err.message, ...body });
        return;
      }
      throw err;
    }
  });

  return router;
}

const tokenRequest = z.object({
  client_id: z.string().optional(),
  grant_type: z.literal('password'),
  scope: z.string().optional(),
  username: z.string().min(1, 'username is required'),
  password: z.string().min(1, 'password is required'),
});
const NODE_RED_TOKEN_DAYS = 7;

/**
 * Node-RED's admin login, as `node-red-admin login` uses it: GET /auth/login names the
 * credentials scheme, POST /auth/token trades a password for a bearer token (an API token that
 * expires after a week, listed with the user's tokens), POST /auth/revoke deletes it.
 */
export function nodeRedAuthRoutes(deps: { auth: AuthService; audit: AuditLog; stores: Stores }): Router {
  const { auth, audit, stores } = deps;
  const router = Router();
  router.get('/auth/login', (_req, res) => {
    res.json({
      type: 'credentials',
      prompts: [
        { id: 'username', type: 'text', label: 'Username' },
        { id: 'password', type: 'password', label: 'Password' },
      ],
    });
  });
  router.post('/auth/token', async (req, res) => {
    const body = parseInput(tokenRequest, req.body);
    let principal;
    try {
      principal = await auth.verifyPassword({ username: body.username, password: body.password, ip: clientIp(req) });
    } catch (err) {
      if (err instanceof ApiFailure) await audit.fromRequest(req, body.username, 'login-failed', null, { via: 'node-red-admin' });
      throw err;
    }
    const { token, secret } = await auth.createToken(principal, {
      name: `${body.client_id ?? 'node-red-admin'} login`,
      expiresInDays: NODE_RED_TOKEN_DAYS,
    });
    await audit.fromRequest(req, principal.username, 'login', null, { via: 'node-red-admin' });
    await audit.fromRequest(req, principal.username, 'token-create', token.id, { name: token.name, role: token.role });
    res.json({ access_token: secret, expires_in: NODE_RED_TOKEN_DAYS * 86_400, token_type: 'Bearer' });
  });
  router.post('/auth/revoke', requireRole(auth, 'viewer'), async (req, res) => {
    const me = principalOf(req);
    if (me.tokenId) {
      await stores.tokens.delete(me.tokenId);
      await audit.fromRequest(req, me.username, 'token-delete', me.tokenId, { via: 'node-red-admin' });
    }
    res.json({ ok: true });
  });
  return router;
}
