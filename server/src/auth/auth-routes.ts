import { Router } from 'express';
import { hasRole, loginRequestSchema, SESSION_COOKIE, type MeResponse } from '@gridflow/runtime/contract';
import type { AuditLog } from '../audit-log.js';
import { ApiFailure } from '../errors.js';
import { parseCookies, serializeCookie } from '../http/cookies.js';
import { parseInput } from '../http/validate.js';
import type { AuthService, Principal } from './auth-service.js';
import { clientIp, principalOf, requireRole } from './middleware.js';

export const meOf = (p: Principal): MeResponse => ({
  username: p.username,
  role: p.role,
  auth: p.auth,
  permissions: { deploy: hasRole(p.role, 'editor'), admin: p.role === 'admin' },
});

export function authRoutes(deps: { auth: AuthService; audit: AuditLog; secureCookies: boolean }): Router {
  const { auth, audit } = deps;
  const router = Router();

  router.post('/auth/login', async (req, res) => {
    const body = parseInput(loginRequestSchema, req.body);
    try {
      const { principal, sessionId, maxAgeSeconds } = await auth.login({ ...body, ip: clientIp(req) });
      res.setHeader('Set-Cookie', serializeCookie(SESSION_COOKIE, sessionId, { maxAgeSeconds, secure: deps.secureCookies }));
      await audit.fromRequest(req, principal.username, 'login');
      res.json(meOf(principal));
    } catch (err) {
      if (err instanceof ApiFailure && err.code === 'UNAUTHORIZED') {
        await audit.fromRequest(req, body.username, 'login-failed');
      } else if (err instanceof ApiFailure && err.code === 'RATE_LIMITED') {
        await audit.fromRequest(req, body.username, 'login-failed', null, { rateLimited: true });
      }
      throw err;
    }
  });

  router.post('/auth/logout', async (req, res) => {
    const sessionId = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    if (sessionId) {
      const principal = await auth.fromSession(sessionId);
      await auth.logout(sessionId);
      if (principal) await audit.fromRequest(req, principal.username, 'logout');
    }
    res.setHeader('Set-Cookie', serializeCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: deps.secureCookies }));
    res.json({ ok: true });
  });

  router.get('/auth/me', requireRole(auth, 'viewer'), (req, res) => {
    res.json(meOf(principalOf(req)));
  });

  return router;
}
