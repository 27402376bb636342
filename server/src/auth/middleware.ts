import type { Request, RequestHandler } from 'express';
import { hasRole, SESSION_COOKIE, type Role } from '@gridflow/runtime/contract';
import { ApiFailure } from '../errors.js';
import { parseCookies } from '../http/cookies.js';
import type { AuthService, Principal } from './auth-service.js';

const principals = new WeakMap<Request, Principal>();

/** The principal `authenticate` attached to this request; throws when the route forgot to authenticate. */
export function principalOf(req: Request): Principal {
  const p = principals.get(req);
  if (!p) throw new Error(`route ${req.method} ${req.path} reads the principal without requireRole()`);
  return p;
}

/** The bearer token of an Authorization header, if any. */
export function bearerOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

/** Finds who is calling from the Authorization header (tokens) or the session cookie. */
export async function resolvePrincipal(
  auth: AuthService,
  headers: { authorization?: string | undefined; cookie?: string | undefined },
): Promise<Principal | undefined> {
  const bearer = bearerOf(headers.authorization);
  if (bearer) return auth.fromToken(bearer);
  const sessionId = parseCookies(headers.cookie).get(SESSION_COOKIE);
  return sessionId ? auth.fromSession(sessionId) : undefined;
}

/** Requires a login (401) with at least the given role (403). */
export function requireRole(auth: AuthService, role: Role): RequestHandler {
  return async (req, _res, next) => {
    const existing = principals.get(req);
    const principal = existing ?? (await resolvePrincipal(auth, req.headers));
    if (!principal) throw new ApiFailure('UNAUTHORIZED', 'login required: send the session cookie or an Authorization: Bearer token');
    principals.set(req, principal);
    if (!hasRole(principal.role, role)) {
      throw new ApiFailure('FORBIDDEN', `this needs the ${role} role; ${principal.username} is ${principal.role}`);
    }
    next();
  };
}

/** The client address as Express sees it (honours trust proxy). */
export const clientIp = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';
