import { Router } from 'express';
import {
  auditQuerySchema,
  createTokenRequestSchema,
  createUserRequestSchema,
  updateUserRequestSchema,
  type ApiToken,
  type User,
} from '@gridflow/runtime/contract';
import type { AuditLog } from '../audit-log.js';
import { conflict, notFound } from '../errors.js';
import { parseInput } from '../http/validate.js';
import type { Stores, TokenRecord, UserRecord } from '../store/types.js';
import type { AuthService } from './auth-service.js';
import { principalOf, requireRole } from './middleware.js';
import { hashPassword } from './password.js';

const publicUser = (u: UserRecord): User => ({
  username: u.username,
  role: u.role,
  disabled: u.disabled,
  createdAt: u.createdAt,
  updatedAt: u.updatedAt,
});

const publicToken = (t: TokenRecord): ApiToken => ({
  id: t.id,
  name: t.name,
  username: t.username,
  role: t.role,
  createdAt: t.createdAt,
  expiresAt: t.expiresAt,
  lastUsedAt: t.lastUsedAt,
});

/** Users (admin only), API tokens (own; an admin's include everyone's) and the audit log (admin). */
export function userRoutes(deps: { auth: AuthService; stores: Stores; audit: AuditLog }): Router {
  const { auth, stores, audit } = deps;
  const router = Router();
  const admin = requireRole(auth, 'admin');
  const anyone = requireRole(auth, 'viewer');

  /** The last enabled admin may not be demoted, disabled or deleted: nobody could manage users any more. */
  async function assertNotLastAdmin(username: string, what: string): Promise<void> {
    const admins = (await stores.users.list()).filter((u) => u.role === 'admin' && !u.disabled);
    if (admins.length === 1 && admins[0]?.username === username) {
      throw conflict(`cannot ${what} "${username}": it is the last enabled admin`);
    }
  }

  router.get('/users', admin, async (_req, res) => {
    res.json({ users: (await stores.users.list()).map(publicUser) });
  });

  router.post('/users', admin, async (req, res) => {
    const body = parseInput(createUserRequestSchema, req.body);
    const user = await stores.users.create({ username: body.username, role: body.role, passwordHash: await hashPassword(body.password) });
    await audit.fromRequest(req, principalOf(req).username, 'user-create', user.username, { role: user.role });
    res.status(201).json(publicUser(user));
  });

  router.patch('/users/:username', admin, async (req, res) => {
    const username = String(req.params['username']);
    const body = parseInput(updateUserRequestSchema, req.body);
    const existing = await stores.users.get(username);
    if (!existing) throw notFound(`no user "${username}"`);
    if ((body.role !== undefined && body.role !== 'admin') || body.disabled === true) {
      if (existing.role === 'admin') await assertNotLastAdmin(username, body.disabled ? 'disable' : 'demote');
    }
    const updated = await stores.users.update(username, {
      ...(body.role !== undefined ? { role: body.role } : {}),
      ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
      ...(body.password !== undefined ? { passwordHash: await hashPassword(body.password) } : {}),
    });
    if (!updated) throw notFound(`no user "${username}"`);
    // A new password or a disabled account ends the sessions opened with the old state.
    if (body.password !== undefined || body.disabled === true) await stores.sessions.deleteForUser(username);
    await audit.fromRequest(req, principalOf(req).username, 'user-update', username, {
      ...(body.role !== undefined ? { role: body.role } : {}),
      ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
      ...(body.password !== undefined ? { password: 'changed' } : {}),
    });
    res.json(publicUser(updated));
  });

  router.delete('/users/:username', admin, async (req, res) => {
    const username = String(req.params['username']);
    const existing = await stores.users.get(username);
    if (!existing) throw notFound(`no user "${username}"`);
    if (existing.role === 'admin') await assertNotLastAdmin(username, 'delete');
    await stores.users.delete(username);
    await audit.fromRequest(req, principalOf(req).username, 'user-delete', username);
    res.status(204).end();
  });

  router.get('/tokens', anyone, async (req, res) => {
    const me = principalOf(req);
    const tokens = await stores.tokens.list(me.role === 'admin' ? undefined : me.username);
    res.json({ tokens: tokens.map(publicToken) });
  });

  router.post('/tokens', anyone, async (req, res) => {
    const me = principalOf(req);
    const body = parseInput(createTokenRequestSchema, req.body);
    const { token, secret } = await auth.createToken(me, body);
    await audit.fromRequest(req, me.username, 'token-create', token.id, { name: token.name, role: token.role });
    res.status(201).json({ token: publicToken(token), secret });
  });

  router.delete('/tokens/:id', anyone, async (req, res) => {
    const me = principalOf(req);
    const id = String(req.params['id']);
    const token = await stores.tokens.get(id);
    // Someone else's token is reported as missing, so ids cannot be probed.
    if (!token || (token.username !== me.username && me.role !== 'admin')) throw notFound(`no token "${id}"`);
    await stores.tokens.delete(id);
    await audit.fromRequest(req, me.username, 'token-delete', id, { name: token.name, owner: token.username });
    res.status(204).end();
  });

  router.get('/audit', admin, async (req, res) => {
    const query = parseInput(auditQuerySchema, req.query, 'query');
    res.json({ entries: await stores.audit.list(query) });
  });

  return router;
}
