import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGridflowClient } from './client.js';
import { GridflowApiError, GridflowContractError } from './errors.js';

/** A tiny HTTP server that answers each path with a canned reply and records what it was sent. */
let server: Server;
let base: string;
const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
const replies: Record<string, { status: number; type: string; body: string; cookie?: string }> = {
  '/gf/api/auth/login': {
    status: 200,
    type: 'application/json',
    body: JSON.stringify({
      username: 'ann',
      role: 'editor',
      auth: 'session',
      permissions: { deploy: true, admin: false },
    }),
    cookie: 'gridflow_session=s3cret; Path=/; HttpOnly',
  },
  '/gf/api/flows': {
    status: 200,
    type: 'application/json',
    body: JSON.stringify({ flows: 'not an array', rev: 'r1' }),
  },
  '/gf/api/health': { status: 502, type: 'text/html', body: '<h1>Bad gateway</h1>' },
  '/gf/api/auth/logout': {
    status: 200,
    type: 'application/json',
    body: '{"ok":true}',
    cookie: 'gridflow_session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
  },
  '/gf/api/alerts': {
    status: 200,
    type: 'application/json',
    body: JSON.stringify({ alerts: [], counts: { raised: 0, unacknowledged: 0 } }),
  },
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const reply = replies[(req.url ?? '').split('?')[0] ?? ''] ?? {
        status: 404,
        type: 'application/json',
        body: JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no such thing' } }),
      };
      res.writeHead(reply.status, {
        'content-type': reply.type,
        ...(reply.cookie ? { 'set-cookie': reply.cookie } : {}),
      });
      res.end(reply.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/gf`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('client over HTTP', () => {
  it('keeps the session cookie from login, sends it, and drops it at logout', async () => {
    const c = createGridflowClient({ baseUrl: base });
    await c.login('ann', 'pw');
    expect(JSON.parse(seen.at(-1)?.body ?? '')).toEqual({ username: 'ann', password: 'pw' });
    await c.api.listAlerts({ query: { state: 'raised', acknowledged: false } });
    const list = seen.at(-1);
    expect(list?.url).toBe('/gf/api/alerts?state=raised&acknowledged=false');
    expect(list?.headers.cookie).toBe('gridflow_session=s3cret');
    await c.logout();
    expect(c.authenticated).toBe(false);
    await c.api.listAlerts();
    expect(seen.at(-1)?.headers.cookie).toBeUndefined();
  });

  it('sends a token as a bearer and fills path parameters', async () => {
    const c = createGridflowClient({ baseUrl: base, token: 'gft_abc' });
    const err = (await c.api
      .getDevice({ params: { productKey: 'p/1', deviceKey: 'd 2' } })
      .catch((e: unknown) => e)) as GridflowApiError;
    expect(seen.at(-1)?.url).toBe('/gf/api/devices/p%2F1/d%202');
    expect(seen.at(-1)?.headers.authorization).toBe('Bearer gft_abc');
    expect(err).toBeInstanceOf(GridflowApiError);
    expect(err).toMatchObject({ status: 404, code: 'NOT_FOUND', route: 'getDevice' });
    expect(err.message).toBe('getDevice: 404 NOT_FOUND: no such thing');
  });

  it('reports a non-API error page as UNKNOWN with its text', async () => {
    const err = (await createGridflowClient({ baseUrl: base })
      .api.health()
      .catch((e: unknown) => e)) as GridflowApiError;
    expect(err).toMatchObject({ status: 502, code: 'UNKNOWN' });
    expect(err.message).toContain('Bad gateway');
  });

  it('checks answers against the contract only when asked', async () => {
    const loose = await createGridflowClient({ baseUrl: base }).api.getFlows();
    expect(loose.flows).toBe('not an array');
    const strict = createGridflowClient({ baseUrl: base, validateResponses: true });
    const err = await strict.api.getFlows().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GridflowContractError);
    expect((err as GridflowContractError).message).toMatch(
      /^getFlows: the answer does not match the API contract at flows: /,
    );
  });
});
