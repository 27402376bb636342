import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema, meResponseSchema } from '@gridflow/runtime/contract';
import { ADMIN_PASSWORD, adminClient, client, startTestServer, userClient, type TestServer } from './helpers.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ login: { maxFailures: 3, windowSeconds: 60 } });
});
afterAll(() => t.close());

describe('login', () => {
  it('logs in with the right password and sets an httpOnly SameSite=Lax cookie', async () => {
    const c = client(t.url);
    const res = await c.login('admin', ADMIN_PASSWORD);
    expect(res.status).toBe(200);
    expect(meResponseSchema.parse(res.body)).toEqual({
      username: 'admin',
      role: 'admin',
      auth: 'session',
      permissions: { deploy: true, admin: true },
    });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^gridflow_session=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    const me = await c.request('GET', '/api/auth/me');
    expect(me.status).toBe(200);
    expect((me.body as { username: string }).username).toBe('admin');
  });

  it('stores the session id only hashed', async () => {
    const c = await adminClient(t.url);
    const id = decodeURIComponent((c.cookie ?? '').split('=')[1] ?? '');
    const rows = t.server.db.prepare('SELECT id_hash FROM sessions').all() as { id_hash: string }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.id_hash === id)).toBe(false);
  });

  it('refuses a wrong password with 401 and no cookie', async () => {
    const c = client(t.url);
    const res = await c.login('admin', 'wrong-password');
    expect(res.status).toBe(401);
    expect(apiErrorSchema.parse(res.body).error.code).toBe('UNAUTHORIZED');
    expect(res.headers.get('set-cookie')).toBeNull();
    // A fresh client would be blocked by the failures above; reset for the other tests.
    t.server.auth.limiter.reset('admin|127.0.0.1');
  });

  it('names the missing field when the body is invalid', async () => {
    const res = await client(t.url).request('POST', '/api/auth/login', { username: 'admin' });
    expect(res.status).toBe(400);
    const err = apiErrorSchema.parse(res.body).error;
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toContain('password');
    expect(err.fields?.[0]?.path).toBe('password');
  });

  it('answers 400, not 500, for a body that is not JSON', async () => {
    const res = await client(t.url).request('POST', '/api/auth/login', '{"username": ', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(apiErrorSchema.parse(res.body).error.code).toBe('VALIDATION');
  });

  it('requires a login for the API', async () => {
    const res = await client(t.url).request('GET', '/api/flows');
    expect(res.status).toBe(401);
    expect(apiErrorSchema.parse(res.body).error.code).toBe('UNAUTHORIZED');
  });

  it('logout ends the session', async () => {
    const c = await adminClient(t.url);
    expect((await c.request('POST', '/api/auth/logout')).status).toBe(200);
    expect((await c.request('GET', '/api/auth/me')).status).toBe(401);
  });

  it('rate-limits failed logins per user and IP with 429 and Retry-After', async () => {
    await (await adminClient(t.url)).request('POST', '/api/users', { username: 'rl-user', password: 'rl-user-password', role: 'viewer' });
    const c = client(t.url);
    for (let i = 0; i < 3; i++) expect((await c.login('rl-user', 'nope-nope')).status).toBe(401);
    const blocked = await c.login('rl-user', 'rl-user-password');
    expect(blocked.status).toBe(429);
    const retry = Number(blocked.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    expect(apiErrorSchema.parse(blocked.body).error.code).toBe('RATE_LIMITED');
    // Another user from the same IP is not affected.
    expect((await client(t.url).login('admin', ADMIN_PASSWORD)).status).toBe(200);
  });

  it('audits logins and failed logins', async () => {
    const admin = await adminClient(t.url);
    const res = await admin.request('GET', '/api/audit?limit=200');
    expect(res.status).toBe(200);
    const entries = (res.body as { entries: { action: string; user: string; ip: string | null }[] }).entries;
    expect(entries.some((e) => e.action === 'login' && e.user === 'admin')).toBe(true);
    expect(entries.some((e) => e.action === 'login-failed' && e.user === 'rl-user')).toBe(true);
  });
});

describe('roles, users and tokens', () => {
  it('a viewer reads but cannot deploy (403) nor manage users', async () => {
    const admin = await adminClient(t.url);
    const viewer = await userClient(t.url, admin, 'vera', 'viewer');
    expect((await viewer.request('GET', '/api/flows')).status).toBe(200);
    const deploy = await viewer.request('POST', '/api/deploy', { flows: [], type: 'full' });
    expect(deploy.status).toBe(403);
    expect(apiErrorSchema.parse(deploy.body).error.code).toBe('FORBIDDEN');
    expect((await viewer.request('GET', '/api/users')).status).toBe(403);
  });

  it('an editor may deploy', async () => {
    const admin = await adminClient(t.url);
    const editor = await userClient(t.url, admin, 'eddie', 'editor');
    const res = await editor.request('POST', '/api/deploy', { flows: [], type: 'full' });
    expect(res.status).toBe(200);
  });

  it('creates, updates and deletes users; refuses duplicates and the last admin', async () => {
    const admin = await adminClient(t.url);
    expect((await admin.request('POST', '/api/users', { username: 'uma', password: 'uma-password', role: 'viewer' })).status).toBe(201);
    expect((await admin.request('POST', '/api/users', { username: 'uma', password: 'uma-password' })).status).toBe(409);
    const short = await admin.request('POST', '/api/users', { username: 'x', password: 'short' });
    expect(short.status).toBe(400);
    expect(apiErrorSchema.parse(short.body).error.fields?.[0]?.path).toBe('password');
    const patched = await admin.request('PATCH', '/api/users/uma', { role: 'editor' });
    expect(patched.status).toBe(200);
    expect((patched.body as { role: string }).role).toBe('editor');
    expect((patched.body as Record<string, unknown>)['passwordHash']).toBeUndefined();
    expect((await admin.request('PATCH', '/api/users/admin', { role: 'viewer' })).status).toBe(409);
    expect((await admin.request('DELETE', '/api/users/uma')).status).toBe(204);
    expect((await admin.request('DELETE', '/api/users/uma')).status).toBe(404);
    const users = (await admin.request('GET', '/api/users')).body as { users: { username: string }[] };
    expect(users.users.map((u) => u.username)).not.toContain('uma');
  });

  it('a disabled user cannot log in and loses their session', async () => {
    const admin = await adminClient(t.url);
    const dana = await userClient(t.url, admin, 'dana', 'viewer');
    expect((await admin.request('PATCH', '/api/users/dana', { disabled: true })).status).toBe(200);
    expect((await dana.request('GET', '/api/auth/me')).status).toBe(401);
    expect((await client(t.url).login('dana', 'dana-password')).status).toBe(401);
  });

  it('API tokens: shown once, work as bearer, capped at the owner role, deletable', async () => {
    const admin = await adminClient(t.url);
    const editor = await userClient(t.url, admin, 'tom', 'editor');
    expect((await editor.request('POST', '/api/tokens', { name: 'too much', role: 'admin' })).status).toBe(403);
    const created = await editor.request('POST', '/api/tokens', { name: 'ci' });
    expect(created.status).toBe(201);
    const { token, secret } = created.body as { token: { id: string; role: string }; secret: string };
    expect(token.role).toBe('editor');
    const bearer = client(t.url, { token: secret });
    const me = await bearer.request('GET', '/api/auth/me');
    expect(me.body).toMatchObject({ username: 'tom', auth: 'token', role: 'editor' });
    const listed = (await editor.request('GET', '/api/tokens')).body as { tokens: Record<string, unknown>[] };
    expect(listed.tokens).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect((await client(t.url, { token: 'gft_wrong' }).request('GET', '/api/auth/me')).status).toBe(401);
    expect((await editor.request('DELETE', `/api/tokens/${token.id}`)).status).toBe(204);
    expect((await bearer.request('GET', '/api/auth/me')).status).toBe(401);
    const audit = (await admin.request('GET', '/api/audit?action=token-create')).body as { entries: { user: string }[] };
    expect(audit.entries[0]?.user).toBe('tom');
  });

  it('unknown API paths are JSON 404s', async () => {
    const res = await client(t.url).request('GET', '/api/nope');
    expect(res.status).toBe(404);
    expect(apiErrorSchema.parse(res.body).error.code).toBe('NOT_FOUND');
  });
});

describe('bad input never gives a 500', () => {
  it('answers 4xx JSON for odd requests', async () => {
    const admin = await adminClient(t.url);
    const cases: [string, string, unknown, number][] = [
      ['POST', '/api/auth/login', [1, 2], 400],
      ['POST', '/api/auth/login', 'null', 400],
      ['GET', '/api/versions/%E0%A4%A', undefined, 400],
      ['GET', '/api/versions?limit=1&limit=2', undefined, 400],
      ['GET', '/api/audit?before=abc', undefined, 400],
      ['PATCH', '/api/users/admin', { rol: 'viewer' }, 400],
      ['POST', '/api/deploy', { flows: 'all of them' }, 400],
      ['POST', '/api/deploy', { flows: [{ id: 'a', type: 'tick', wires: 'nope' }] }, 400],
      ['POST', '/api/deploy', { flows: [], rev: 5 }, 400],
      ['POST', '/api/tokens', { name: 'x', expiresInDays: -1 }, 400],
    ];
    for (const [method, path, body, status] of cases) {
      const res = await admin.request(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(status);
      expect(apiErrorSchema.safeParse(res.body).success, `${method} ${path} body`).toBe(true);
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(ts|js):\d+/);
    }
  });

  it('answers 413 for a body over the limit', async () => {
    const admin = await adminClient(t.url);
    const res = await admin.request('POST', '/api/deploy', { flows: [{ id: 'a', type: 'tick', name: 'x'.repeat(6 * 1024 * 1024) }] });
    expect(res.status).toBe(413);
    expect(apiErrorSchema.parse(res.body).error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
