import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '@gridflow/runtime';
import { appNodes } from '@gridflow/nodes/app';
import { endpointsModule } from '../src/endpoints/endpoints-module.js';
import { adminClient, startTestServer, type TestServer } from './helpers.js';
import { testNodes } from './test-nodes.js';

describe('http in / http response endpoints', () => {
  let t: TestServer;
  let token: string;

  beforeAll(async () => {
    t = await startTestServer({}, { registry: createRegistry([...appNodes, ...testNodes]), modules: [endpointsModule({ responseTimeoutMs: 300 })] });
    const admin = await adminClient(t.url);
    const created = await admin.request('POST', '/api/tokens', { name: 'app' });
    token = (created.body as { secret: string }).secret;
    const deployed = await admin.request('POST', '/api/deploy', {
      type: 'full',
      flows: [
        { id: 't', type: 'tab' },
        { id: 'in1', type: 'http in', z: 't', url: '/hello/:name', method: 'get', wires: [['out1']] },
        { id: 'out1', type: 'http response', z: 't', statusCode: '', headers: { 'x-flow': 'yes' }, wires: [] },
        { id: 'in2', type: 'http in', z: 't', url: '/secure', method: 'post', auth: 'apikey', wires: [['out2']] },
        { id: 'out2', type: 'http response', z: 't', statusCode: '201', headers: {}, wires: [] },
        { id: 'in3', type: 'http in', z: 't', url: '/silent', method: 'get', wires: [[]] },
      ],
    });
    expect(deployed.body).toMatchObject({ rev: expect.any(String) });
  });
  afterAll(() => t.close());

  it('answers a GET with the query as payload and the node headers', async () => {
    const res = await fetch(`${t.url}/endpoints/hello/ada?x=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-flow')).toBe('yes');
    expect(await res.json()).toEqual({ x: '1' });
  });

  it('protects an endpoint with an API token', async () => {
    const anon = await fetch(`${t.url}/endpoints/secure`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(anon.status).toBe(401);
    const ok = await fetch(`${t.url}/endpoints/secure`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{"a":1}',
    });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toEqual({ a: 1 });
  });

  it('answers 404 for paths no flow serves and 504 when no response node answers', async () => {
    expect((await fetch(`${t.url}/endpoints/nothing`)).status).toBe(404);
    const slow = await fetch(`${t.url}/endpoints/silent`);
    expect(slow.status).toBe(504);
  });

  it('fails the deploy of an http in without a url, naming the property', async () => {
    const admin = await adminClient(t.url);
    const res = await admin.request('POST', '/api/deploy', { type: 'full', flows: [{ id: 't', type: 'tab' }, { id: 'x', type: 'http in', z: 't', url: '', wires: [] }] });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/url/);
  });
});
