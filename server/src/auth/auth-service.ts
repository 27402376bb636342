import { hasRole, roleRank, type Role } from '@gridflow/runtime/contract';
import { ApiFailure } from '../errors.js';
import type { Stores, TokenRecord } from '../store/types.js';
import { hashPassword, verifyPassword } from './password.js';
import { createFailureLimiter, type FailureLimiter } from './rate-limit.js';
import { hashSecret, randomId, randomSecret, TOKEN_PREFIX } from './secrets.js';

/** Who is making a request, and with what rights. */
export interface Principal {
  username: string;
  role: Role;
  auth: 'session' | 'token';
  /** For token auth: the token's id. */
  tokenId?: string;
}

export interface AuthServiceOptions {
  stores: Stores;
  sessionTtlMs: number;
  login: { maxFailures: number; windowMs: number };
}

export interface AuthService {
  /** Checks the password, rate-limited per user and IP; throws 401 or 429. */
  verifyPassword(input: { username: string; password: string; ip: string }): Promise<Principal>;
  /** Checks the password (rate-limited per user and IP) and opens a session; throws 401 or 429. */
  login(input: { username: string; password: string; ip: string }): Promise<{ principal: Principal; sessionId: string; maxAgeSeconds: number }>;
  logout(sessionId: string): Promise<void>;
  fromSession(sessionId: string): Promise<Principal | undefined>;
  fromToken(secret: string): Promise<Principal | undefined>;
  createToken(owner: Principal, input: { name: string; role?: Role; expiresInDays?: number }): Promise<{ token: TokenRecord; secret: string }>;
  limiter: FailureLimiter;
}

const lesser = (a: Role, b: Role): Role => (roleRank[a] <= roleRank[b] ? a : b);

export function createAuthService(options: AuthServiceOptions): AuthService {
  const { stores } = options;
  const limiter = createFailureLimiter({ maxFailures: options.login.maxFailures, windowMs: options.login.windowMs });
  // Compared against when the user does not exist, so a wrong username takes as long as a wrong password.
  let dummyHash: Promise<string> | undefined;

  const service: AuthService = {
    limiter,
    async verifyPassword({ username, password, ip }) {
      const key = `${username.toLowerCase()}|${ip}`;
      const wait = limiter.retryAfter(key);
      if (wait > 0) {
        throw new ApiFailure('RATE_LIMITED', `too many failed logins for "${username}"; try again in ${wait} s`, { retryAfter: wait });
      }
      const user = await stores.users.get(username);
      dummyHash ??= hashPassword('not-a-password');
      const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash));
      if (!user || !ok || user.disabled) {
        limiter.fail(key);
        throw new ApiFailure('UNAUTHORIZED', 'wrong username or password');
      }
      limiter.reset(key);
      return { username: user.username, role: user.role, auth: 'session' };
    },
    async login(input) {
      const user = await service.verifyPassword(input);
      const sessionId = randomSecret();
      const now = Date.now();
      await stores.sessions.create({
        idHash: hashSecret(sessionId),
        username: user.username,
        createdAt: new Date(now).toISOString(),
        expiresAt: new Date(now + options.sessionTtlMs).toISOString(),
      });
      return {
        principal: user,
        sessionId,
        maxAgeSeconds: Math.floor(options.sessionTtlMs / 1000),
      };
    },
    async logout(sessionId) {
      await stores.sessions.delete(hashSecret(sessionId));
    },
    async fromSession(sessionId) {
      const session = await stores.sessions.get(hashSecret(sessionId));
      if (!session) return undefined;
      if (Date.parse(session.expiresAt) <= Date.now()) {
        await stores.sessions.delete(session.idHash);
        return undefined;
      }
      const user = await stores.users.get(session.username);
      if (!user || user.disabled) return undefined;
      return { username: user.username, role: user.role, auth: 'session' };
    },
    async fromToken(secret) {
      if (!secret.startsWith(TOKEN_PREFIX)) return undefined;
      const token = await stores.tokens.getByHash(hashSecret(secret));
      if (!token) return undefined;
      if (token.expiresAt !== null && Date.parse(token.expiresAt) <= Date.now()) return undefined;
      const user = await stores.users.get(token.username);
      if (!user || user.disabled) return undefined;
      const now = new Date();
      // Recording every use would write on every request; once a minute is enough to show activity.
      if (token.lastUsedAt === null || now.getTime() - Date.parse(token.lastUsedAt) > 60_000) {
        await stores.tokens.touch(token.id, now.toISOString());
      }
      return { username: user.username, role: lesser(token.role, user.role), auth: 'token', tokenId: token.id };
    },
    async createToken(owner, input) {
      const role = input.role ?? owner.role;
      if (!hasRole(owner.role, role)) {
        throw new ApiFailure('FORBIDDEN', `a ${owner.role} cannot create a token with role ${role}`);
      }
      const secret = randomSecret(TOKEN_PREFIX);
      const now = Date.now();
      const token: TokenRecord = {
        id: randomId(),
        name: input.name,
        username: owner.username,
        role,
        tokenHash: hashSecret(secret),
        createdAt: new Date(now).toISOString(),
        expiresAt: input.expiresInDays ? new Date(now + input.expiresInDays * 86_400_000).toISOString() : null,
        lastUsedAt: null,
      };
      await stores.tokens.create(token);
      return { token, secret };
    },
  };
  return service;
}
