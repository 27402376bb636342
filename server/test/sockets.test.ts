import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import {
  debugBatchSchema,
  deployEventSchema,
  helloEventSchema,
  metricsEventSchema,
  runtimeLogEventSchema,
  statusEventSchema,
  type DebugBatch,
  type ServerToClientEvents,
} from '@gridflow/runtime/contract';
import { adminClient, client, startTestServer, waitFor, type Client, type TestServer } from './helpers.js';
import { tickFlow } from './test-nodes.js';

let t: TestServer;
let admin: Client;
const sockets: Socket[] = [];
beforeAll(async () => {
  t = await startTestServer({ metrics: { intervalMs: 200 }, debug: { maxPerNode: 20, intervalMs: 100 } });
  admin = await adminClient(t.url);
  await admin.request('POST', '/api/deploy', { flows: tickFlow('hi') });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await t.close();
});

type ClientSocket = Socket<ServerToClientEvents>;

/** Connects; `listen` attaches handlers before the connection opens, so `hello` is not missed. */
function open(
  opts: { cookie?: string; token?: string; origin?: string },
  listen: (socket: ClientSocket) => void = () => undefined,
): Promise<{ socket: ClientSocket; error?: Error }> {
  const socket: ClientSocket = connect(t.url, {
    transports: ['websocket'],
    reconnection: false,
    autoConnect: false,
    ...(opts.cookie ? { extraHeaders: { cookie: opts.cookie, ...(opts.origin ? { origin: opts.origin } : {}) } } : {}),
    ...(opts.token ? { auth: { token: opts.token } } : {}),
  });
  sockets.push(socket);
  listen(socket);
  socket.connect();
  return new Promise((resolve) => {
    socket.on('connect', () => resolve({ socket }));
    socket.on('connect_error', (error) => resolve({ socket, error }));
  });
}

describe('editor socket', () => {
  it('refuses a connection without a session or token', async () => {
    const { socket, error } = await open({});
    expect(error?.message).toBe('unauthorized');
    expect(socket.connected).toBe(false);
    const bad = await open({ token: 'gft_not-a-token' });
    expect(bad.error?.message).toBe('unauthorized');
  });

  it('ignores the session cookie when the page is from another origin', async () => {
    const { error } = await open({ cookie: admin.cookie as string, origin: 'http://evil.example' });
    expect(error?.message).toBe('unauthorized');
    const same = await open({ cookie: admin.cookie as string, origin: t.url });
    expect(same.error).toBeUndefined();
  });

  it('sends hello, debug, status and deploy events to a session-authenticated client only', async () => {
    const hello: unknown[] = [];
    const debug: DebugBatch[] = [];
    const status: unknown[] = [];
    const deploys: unknown[] = [];
    const { error } = await open({ cookie: admin.cookie as string }, (socket) => {
      socket.on('hello', (e) => hello.push(e));
      socket.on('debug', (e) => debug.push(e));
      socket.on('status', (e) => status.push(e));
      socket.on('deploy', (e) => deploys.push(e));
    });
    expect(error).toBeUndefined();
    const outsider = await open({});
    let leaked = 0;
    outsider.socket.onAny(() => leaked++);

    await waitFor(() => hello.length > 0, 2000, 'hello');
    expect(helloEventSchema.parse(hello[0])).toMatchObject({ username: 'admin', role: 'admin', version: 1 });

    expect((await admin.request('POST', '/api/inject/t1', { msg: { payload: 'over the wire', topic: 'tp' } })).status).toBe(200);
    await waitFor(() => debug.length > 0 && status.length > 0, 2000, 'debug and status');
    const batch = debugBatchSchema.parse(debug[0]);
    expect(batch.messages[0]).toMatchObject({ id: 'p1', z: 'tab1', property: 'payload', msg: 'over the wire', format: 'string[13]', topic: 'tp' });
    expect(statusEventSchema.parse(status[0])).toEqual({ id: 'p1', z: 'tab1', status: { fill: 'green', shape: 'dot', text: 'over the wire' } });

    const rev = ((await admin.request('GET', '/api/flows')).body as { rev: string }).rev;
    await admin.request('POST', '/api/deploy', { flows: tickFlow('again'), rev, type: 'nodes' });
    await waitFor(() => deploys.length > 0, 2000, 'deploy event');
    expect(deployEventSchema.parse(deploys[0])).toMatchObject({ user: 'admin', version: 2, type: 'nodes', result: { started: ['t1'] } });
    expect(leaked).toBe(0);
  });

  it('throttles debug per node and counts the dropped messages', async () => {
    const { socket } = await open({ cookie: admin.cookie as string });
    const batches: DebugBatch[] = [];
    socket.on('debug', (b) => batches.push(b));
    const total = 2000;
    for (let i = 0; i < total; i++) t.server.runtime.receive('t1', { payload: i });
    await t.server.runtime.idle();
    const count = () => batches.reduce((sum, b) => sum + b.messages.length + (b.dropped['p1'] ?? 0), 0);
    await waitFor(() => count() >= total, 3000, 'all debug messages accounted for');
    expect(count()).toBe(total);
    for (const b of batches) expect(b.messages.filter((m) => m.id === 'p1').length).toBeLessThanOrEqual(20);
    const dropped = batches.reduce((sum, b) => sum + (b.dropped['p1'] ?? 0), 0);
    expect(dropped).toBeGreaterThan(0);
    // What passed is in order.
    const passed = batches.flatMap((b) => b.messages.map((m) => m.msg as number));
    expect([...passed].sort((a, b) => a - b)).toEqual(passed);
  });

  it('accepts an API token in auth and sends metrics snapshots and runtime logs', async () => {
    const secret = ((await admin.request('POST', '/api/tokens', { name: 'socket', role: 'viewer' })).body as { secret: string }).secret;
    const { socket, error } = await open({ token: secret });
    expect(error).toBeUndefined();
    const metrics: unknown[] = [];
    const logs: unknown[] = [];
    socket.on('metrics', (m) => metrics.push(m));
    socket.on('runtime-log', (l) => logs.push(l));
    await waitFor(() => metrics.length > 0, 2000, 'metrics');
    const m = metricsEventSchema.parse(metrics[0]);
    expect(m.nodes.map((n) => n.id).sort()).toEqual(['p1', 't1']);
    expect(m.memory.rss).toBeGreaterThan(0);
    // The probe warns on the payload 'warn'; node warnings reach the editor.
    await admin.request('POST', '/api/inject/t1', { msg: { payload: 'warn' } });
    await waitFor(() => logs.length > 0, 2000, 'runtime-log');
    expect(runtimeLogEventSchema.parse(logs[0]).entries[0]).toMatchObject({ level: 'warn', message: 'watch out', id: 'p1', type: 'probe' });
  });

  it('an unauthenticated HTTP client gets no socket.io handshake either', async () => {
    const res = await client(t.url).request('GET', '/socket.io/?EIO=4&transport=polling');
    expect(res.status).toBe(200);
    // The handshake succeeds at the engine level, but the namespace connect is refused (checked above);
    // here we only make sure the SPA fallback does not swallow the socket.io path.
    expect(String(res.body)).toContain('"sid"');
  });
});
