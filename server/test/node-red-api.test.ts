import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, client, startTestServer, userClient, type Client, type TestServer } from './helpers.js';
import { tickFlow } from './test-nodes.js';

let t: TestServer;
let bearer: Client;
let viewerBearer: Client;
beforeAll(async () => {
  t = await startTestServer();
  const admin = await adminClient(t.url);
  const editor = await userClient(t.url, admin, 'nr-editor', 'editor');
  const secret = ((await editor.request('POST', '/api/tokens', { name: 'node-red-admin' })).body as { secret: string }).secret;
  bearer = client(t.url, { token: secret });
  const viewer = await userClient(t.url, admin, 'nr-viewer', 'viewer');
  viewerBearer = client(t.url, { token: ((await viewer.request('POST', '/api/tokens', { name: 'ro' })).body as { secret: string }).secret });
});
afterAll(() => t.close());

const v2 = { 'Node-RED-API-Version': 'v2' };

describe('Node-RED admin API', () => {
  it('needs a token', async () => {
    expect((await client(t.url).request('GET', '/flows')).status).toBe(401);
  });

  it('GET /flows: v1 is the array, v2 is { flows, rev }', async () => {
    const v1 = await bearer.request('GET', '/flows');
    expect(v1.status).toBe(200);
    expect(v1.body).toEqual([]);
    const res = await bearer.request('GET', '/flows', undefined, v2);
    expect(res.body).toMatchObject({ flows: [], rev: expect.any(String) });
  });

  it('POST /flows v1 with an array deploys and answers 204', async () => {
    const res = await bearer.request('POST', '/flows', tickFlow('v1'), { 'Node-RED-Deployment-Type': 'full' });
    expect(res.status).toBe(204);
    const flows = (await bearer.request('GET', '/flows')).body as { id: string; payload?: string }[];
    expect(flows.find((n) => n.id === 't1')?.payload).toBe('v1');
  });

  it('POST /flows v2 checks rev, honours the deployment type and answers { rev }', async () => {
    const { rev } = (await bearer.request('GET', '/flows', undefined, v2)).body as { rev: string };
    const started: string[][] = [];
    const off = t.server.runtime.events.on('deploy', (d) => started.push(d.started));
    const flows = tickFlow('v1').map((n) => (n.id === 'p1' ? { ...n, name: 'renamed' } : n));
    const res = await bearer.request('POST', '/flows', { flows, rev }, { ...v2, 'Node-RED-Deployment-Type': 'nodes' });
    off();
    expect(res.status).toBe(200);
    const next = (res.body as { rev: string }).rev;
    expect(next).not.toBe(rev);
    // 'nodes' restarts only the changed node.
    expect(started).toEqual([['p1']]);
    const stale = await bearer.request('POST', '/flows', { flows: tickFlow('late'), rev }, { ...v2, 'Node-RED-Deployment-Type': 'full' });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'version_mismatch', error: { code: 'CONFLICT' } });
  });

  it('reload restarts the current flows without a new version', async () => {
    const versionsBefore = ((await bearer.request('GET', '/api/versions')).body as { versions: unknown[] }).versions.length;
    const started: string[][] = [];
    const off = t.server.runtime.events.on('deploy', (d) => started.push(d.started));
    const res = await bearer.request('POST', '/flows', undefined, { ...v2, 'Node-RED-Deployment-Type': 'reload' });
    off();
    expect(res.status).toBe(200);
    expect(started[0]).toEqual(expect.arrayContaining(['t1', 'p1']));
    const versionsAfter = ((await bearer.request('GET', '/api/versions')).body as { versions: unknown[] }).versions.length;
    expect(versionsAfter).toBe(versionsBefore);
  });

  it('rejects an unknown deployment type and invalid flows with 400', async () => {
    const bad = await bearer.request('POST', '/flows', tickFlow(), { 'Node-RED-Deployment-Type': 'partial' });
    expect(bad.status).toBe(400);
    const invalid = await bearer.request('POST', '/flows', [{ id: 'c', type: 'counter', count: 'many' }]);
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ error: { code: 'FLOW_INVALID', problems: [{ nodeId: 'c', property: 'count' }] } });
  });

  it('a viewer token may read but not deploy', async () => {
    expect((await viewerBearer.request('GET', '/flows')).status).toBe(200);
    expect((await viewerBearer.request('POST', '/flows', [])).status).toBe(403);
  });
});

describe('Node-RED admin login (node-red-admin)', () => {
  it('trades a password for a bearer token that works on /flows, and revokes it', async () => {
    const c = client(t.url);
    expect((await c.request('GET', '/auth/login')).body).toMatchObject({ type: 'credentials' });
    const bad = await c.request('POST', '/auth/token', { client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: 'nr-editor', password: 'wrong-one' });
    expect(bad.status).toBe(401);
    const res = await c.request('POST', '/auth/token', {
      client_id: 'node-red-admin',
      grant_type: 'password',
      scope: '*',
      username: 'nr-editor',
      password: 'nr-editor-password',
    });
    expect(res.status).toBe(200);
    const { access_token, token_type, expires_in } = res.body as { access_token: string; token_type: string; expires_in: number };
    expect(token_type).toBe('Bearer');
    expect(expires_in).toBe(7 * 86_400);
    const nr = client(t.url, { token: access_token });
    expect((await nr.request('GET', '/flows')).status).toBe(200);
    expect((await nr.request('POST', '/auth/revoke', { token: access_token })).status).toBe(200);
    expect((await nr.request('GET', '/flows')).status).toBe(401);
  });
});
