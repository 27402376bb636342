import { mkdtempSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '@gridflow/runtime';
import { allNodes } from '@gridflow/nodes';
import { edgeModule } from '../../src/edges/edge-module.js';
import { adminClient, startTestServer, waitFor, type Client, type TestServer } from '../helpers.js';
import { testNodes } from '../test-nodes.js';
import { startEdge, type EdgeProcess } from './edge-process.js';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

/** Every message the cloud's probe saw, across server restarts: `${run}:${i}` → count. */
const arrivals = new Map<string, number>();
const registry = () => createRegistry([...allNodes, ...testNodes.filter((n) => n.type === 'probe')]);

// A generator on the edge: `rate` messages a second, numbered, with a run id so restarts are told apart.
const generator = (total: number, rate: number) => `
const run = Date.now().toString(36);
let i = 0;
const perTick = ${Math.max(1, Math.round(rate / 100))};
const t = setInterval(() => {
  for (let k = 0; k < perTick && i < ${total}; k++, i++) node.send({ payload: { run, i } });
  if (i >= ${total}) clearInterval(t);
}, 10);
return null;`;

const edgeFlows = (edgeId: string, total: number, rate: number, extra: object[] = []) => [
  { id: 'cloud', type: 'tab', label: 'Cloud' },
  { id: 'in', type: 'edge in', z: 'cloud', edges: [], channel: '', wires: [['probe']] },
  { id: 'probe', type: 'probe', z: 'cloud', wires: [] },
  { id: 'plant', type: 'tab', label: 'Plant', target: 'edge', edges: [edgeId] },
  {
    id: 'go',
    type: 'inject',
    z: 'plant',
    props: [{ p: 'payload' }],
    payload: '',
    payloadType: 'date',
    once: true,
    onceDelay: 0.1,
    repeat: '',
    wires: [['gen']],
  },
  { id: 'gen', type: 'function', z: 'plant', func: generator(total, rate), outputs: 1, wires: [['up']] },
  { id: 'up', type: 'cloud out', z: 'plant', channel: 'counts', wires: [] },
  ...extra,
];

describe('edge agent against a real server', () => {
  let port: number;
  let serverDir: string;
  let edgeDir: string;
  let server: TestServer | undefined;
  let admin: Client;
  let edge: EdgeProcess | undefined;
  let edgeId: string;

  const startServer = async () => {
    server = await startTestServer({ port }, { dataDir: serverDir, registry: registry(), modules: [edgeModule()] });
    server.server.runtime.events.on('debug', (d) => {
      const p = d.msg as { run?: string; i?: number };
      if (p && typeof p.i === 'number') arrivals.set(`${p.run}:${p.i}`, (arrivals.get(`${p.run}:${p.i}`) ?? 0) + 1);
    });
    admin = await adminClient(server.url);
  };
  const edgeInfo = async () => {
    const res = await admin.request('GET', '/api/edges');
    return (
      res.body as {
        edges: {
          id: string;
          online: boolean;
          runningRev: string | null;
          deployError: { problems?: { nodeId: string }[] } | null;
          health: { backlog: { size: number } } | null;
        }[];
      }
    ).edges.find((e) => e.id === edgeId);
  };

  beforeAll(async () => {
    port = await freePort();
    serverDir = mkdtempSync(join(tmpdir(), 'gf-edge-server-'));
    edgeDir = mkdtempSync(join(tmpdir(), 'gf-edge-agent-'));
    await startServer();
  });
  afterAll(async () => {
    await edge?.kill('SIGKILL');
    await server?.close();
  });

  it('enrolls with a single-use token and connects with its own credential', async () => {
    const created = await admin.request('POST', '/api/edges/enrollments', { name: 'press-1', group: 'plant-a' });
    expect(created.status).toBe(201);
    const { token, commands } = created.body as { token: string; commands: string[] };
    expect(commands.join('\n')).toContain(`--token ${token}`);
    edge = startEdge(['--server', server!.url, '--token', token, '--data', edgeDir, '--heartbeat-ms', '1000']);
    await edge.waitForLine(/enrolled as "press-1"/);
    await edge.waitForLine(/connected to/);
    const edges = (await admin.request('GET', '/api/edges')).body as {
      edges: { id: string; name: string; online: boolean }[];
    };
    edgeId = edges.edges[0]!.id;
    expect(edges.edges[0]).toMatchObject({ name: 'press-1', online: true });
    // The token was single use.
    const again = await fetch(`${server!.url}/api/edge/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/already used/);
  });

  it('runs the tab deployed to it and sends data upstream, exactly once across a 30 s server outage', async () => {
    const total = 45_000;
    const deployed = await admin.request('POST', '/api/deploy', {
      flows: edgeFlows(edgeId, total, 1000),
      type: 'full',
    });
    expect(deployed.status).toBe(200);
    await edge!.waitForLine(/running deployment/);
    await waitFor(() => arrivals.size > 2000, 15_000, 'first messages upstream');
    await server!.server.close();
    server = undefined;
    await new Promise((r) => setTimeout(r, 30_000));
    await startServer();
    await waitFor(() => arrivals.size >= total, 60_000, `all ${total} messages (have ${arrivals.size})`);
    const runs = new Set([...arrivals.keys()].map((k) => k.split(':')[0]));
    expect(runs.size).toBe(1);
    expect([...arrivals.values()].every((n) => n === 1)).toBe(true);
    expect(arrivals.size).toBe(total);
  }, 150_000);

  it('keeps the old deployment running when a broken one is deployed, and shows the error by node', async () => {
    const before = (await edgeInfo())?.runningRev;
    const broken = edgeFlows(edgeId, 10, 100, [{ id: 'bad', type: 'questdb out', z: 'plant', wires: [] }]);
    const res = await admin.request('POST', '/api/deploy', { flows: broken, type: 'full' });
    expect(res.status).toBe(200);
    await waitFor(() => false, 0).catch(() => undefined);
    let info = await edgeInfo();
    for (let i = 0; i < 100 && !info?.deployError; i++) {
      await new Promise((r) => setTimeout(r, 100));
      info = await edgeInfo();
    }
    expect(info?.deployError?.problems?.map((p) => p.nodeId)).toContain('bad');
    expect(info?.runningRev).toBe(before);
  }, 30_000);

  it('restarts its last deployment after kill -9 and loses nothing it had queued', async () => {
    arrivals.clear();
    const total = 3000;
    await admin.request('POST', '/api/deploy', { flows: edgeFlows(edgeId, total, 1000), type: 'full' });
    await waitFor(() => arrivals.size > 200, 15_000, 'messages upstream');
    await server!.server.close();
    server = undefined;
    await new Promise((r) => setTimeout(r, 1500));
    await edge!.kill('SIGKILL');
    const queue = new Database(join(edgeDir, 'upstream.db'), { readonly: true });
    const queued = (queue.prepare('SELECT msg FROM queue').all() as { msg: string }[]).map(
      (r) => JSON.parse(r.msg) as { payload: { run: string; i: number } },
    );
    queue.close();
    expect(queued.length).toBeGreaterThan(0);
    edge = startEdge(['--server', `http://127.0.0.1:${port}`, '--data', edgeDir]);
    await edge.waitForLine(/started the saved deployment/);
    await startServer();
    await waitFor(
      () => queued.every((m) => arrivals.has(`${m.payload.run}:${m.payload.i}`)),
      30_000,
      'the queued messages',
    );
    expect([...arrivals.values()].every((n) => n === 1)).toBe(true);
  }, 90_000);

  it('refuses a revoked edge', async () => {
    const res = await admin.request('POST', `/api/edges/${edgeId}/revoke`);
    expect(res.status).toBe(200);
    await edge!.waitForLine(/refused this edge: this edge was revoked/, 20_000);
    expect((await edgeInfo())?.online).toBe(false);
  }, 30_000);
});
