import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { runFlow, type FlowHarness } from '../../test/flow-harness.js';
import { appNodes } from './index.js';
import { websocketUpgradesKey, type WebSocketUpgrades } from './websocket-services.js';

/** A stand-in for the server's upgrade service: a real HTTP server dispatching upgrades by path. */
function upgradeHost() {
  const paths = new Map<string, Parameters<WebSocketUpgrades['register']>[2]>();
  const server = http.createServer();
  server.on('upgrade', (req, socket, head) => {
    const handler = paths.get(new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/endpoints/, ''));
    if (handler) handler(req, socket, head);
    else socket.destroy();
  });
  const service: WebSocketUpgrades = {
    prefix: '/endpoints',
    register(path, owner, handler) {
      if (paths.has(path)) throw new Error(`websocket path ${path} is already served`);
      paths.set(path, handler);
      void owner;
      return () => paths.delete(path);
    },
  };
  return { server, service, paths };
}

const open = (url: string, protocols?: string[]) =>
  new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(url, protocols);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
const next = (ws: WebSocket) => new Promise<string>((resolve) => ws.once('message', (d) => resolve(d.toString())));

describe('websocket listener, in and out', () => {
  let host: ReturnType<typeof upgradeHost>;
  let url: string;
  let h: FlowHarness | undefined;
  const clients: WebSocket[] = [];
  beforeEach(async () => {
    host = upgradeHost();
    await new Promise<void>((r) => host.server.listen(0, '127.0.0.1', r));
    url = `ws://127.0.0.1:${(host.server.address() as AddressInfo).port}/endpoints`;
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.terminate();
    await h?.close();
    h = undefined;
    host.server.closeAllConnections();
    await new Promise<void>((r) => host.server.close(() => r()));
  });

  const start = (flows: Record<string, unknown>[]) => runFlow(flows, { nodes: appNodes, services: { [websocketUpgradesKey.name]: host.service } });

  it('receives text with a session, answers that session alone, and broadcasts to all', async () => {
    h = await start([
      { id: 'l', type: 'websocket-listener', path: '/ws/echo', wholemsg: 'false' },
      { id: 'in', type: 'websocket in', server: 'l', client: '', wires: [['got', 'out']] },
      { id: 'out', type: 'websocket out', server: 'l', client: '', wires: [] },
    ]);
    const a = await open(`${url}/ws/echo`);
    const b = await open(`${url}/ws/echo`);
    clients.push(a, b);
    const echoed = next(a);
    a.send('hello');
    expect(await echoed).toBe('hello');
    const [got] = await h.outputs('got', 1);
    expect(got?.payload).toBe('hello');
    expect(got?.['_session']).toEqual({ type: 'websocket', id: expect.any(String) });

    const toA = next(a);
    const toB = next(b);
    h.send('out', { payload: { all: true } });
    expect(await toA).toBe('{"all":true}');
    expect(await toB).toBe('{"all":true}');
    await h.settle();
    expect(h.statuses('in').at(-1)).toEqual({ fill: 'green', shape: 'dot', text: 'connected 2' });
  });

  it('passes binary frames as Buffers and whole messages as JSON', async () => {
    h = await start([
      { id: 'l', type: 'websocket-listener', path: '/ws/whole', wholemsg: 'true' },
      { id: 'in', type: 'websocket in', server: 'l', wires: [['got']] },
      { id: 'out', type: 'websocket out', server: 'l', wires: [] },
      { id: 'lb', type: 'websocket-listener', path: '/ws/bin', wholemsg: false },
      { id: 'inb', type: 'websocket in', server: 'lb', wires: [['bin']] },
    ]);
    const ws = await open(`${url}/ws/whole`);
    const bin = await open(`${url}/ws/bin`);
    clients.push(ws, bin);
    ws.send(JSON.stringify({ topic: 't', payload: [1, 2] }));
    const [got] = await h.outputs('got', 1);
    expect(got).toMatchObject({ topic: 't', payload: [1, 2] });
    const sent = next(ws);
    h.send('out', { topic: 'back', payload: 7, _session: { type: 'websocket', id: 'gone' } } as never);
    h.send('out', { topic: 'all', payload: 8 });
    expect(JSON.parse(await sent)).toMatchObject({ topic: 'all', payload: 8 });
    bin.send(Buffer.from([1, 2, 3]));
    const [b] = await h.outputs('bin', 1);
    expect(Buffer.isBuffer(b?.payload) && [...(b?.payload as Buffer)]).toEqual([1, 2, 3]);
  });

  it('fails to start a listener without the server service, and a second listener on a taken path', async () => {
    const alone = await runFlow([{ id: 'l', type: 'websocket-listener', path: '/x' }, { id: 'in', type: 'websocket in', server: 'l', wires: [[]] }], { nodes: appNodes });
    try {
      const messages = alone.logs.filter((l) => l.level === 'error').map((l) => `${l.id ?? ''}: ${l.message}`);
      expect(messages).toEqual([
        expect.stringMatching(/^l: failed to start: websocket-listener l: serving \/x needs the Gridflow server/),
        expect.stringMatching(/^in: failed to start: websocket in in: websocket config "l" is missing/),
      ]);
    } finally {
      await alone.close();
    }
    h = await start([
      { id: 'l1', type: 'websocket-listener', path: '/same' },
      { id: 'l2', type: 'websocket-listener', path: '/same' },
    ]);
    expect(h.logs.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([expect.stringContaining('websocket path /same is already served')]);
  });
});

describe('websocket client', () => {
  let wss: WebSocketServer;
  let port: number;
  let h: FlowHarness | undefined;
  beforeEach(async () => {
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((r) => wss.once('listening', r));
    port = (wss.address() as AddressInfo).port;
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
    for (const c of wss.clients) c.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
  });

  it('connects out with headers, receives, sends, and reconnects after the server drops it', async () => {
    const seenHeaders: string[] = [];
    const received: string[] = [];
    wss.on('connection', (ws, req) => {
      seenHeaders.push(String(req.headers['x-key']));
      ws.on('message', (d) => received.push(d.toString()));
      ws.send('from server');
    });
    h = await runFlow(
      [
        { id: 'c', type: 'websocket-client', path: `ws://127.0.0.1:${port}/feed`, headers: [{ keyType: 'other', keyValue: 'x-key', valueType: 'other', valueValue: 'k1' }] },
        { id: 'in', type: 'websocket in', client: 'c', wires: [['got']] },
        { id: 'out', type: 'websocket out', client: 'c', wires: [] },
      ],
      { nodes: appNodes, timeoutMs: 6000 },
    );
    const [got] = await h.outputs('got', 1);
    expect(got?.payload).toBe('from server');
    h.send('out', { payload: 'to server' });
    await expect.poll(() => received, { timeout: 2000 }).toEqual(['to server']);
    expect(seenHeaders).toEqual(['k1']);

    for (const c of wss.clients) c.terminate();
    // Node-RED's client reconnects 3 s after a drop.
    const again = await h.outputs('got', 2, 6000);
    expect(again[1]?.payload).toBe('from server');
    expect(seenHeaders).toEqual(['k1', 'k1']);
  }, 15_000);

  it('pings every hb seconds: keeps a connection that answers, drops one that does not, and reconnects', async () => {
    let connections = 0;
    wss.on('connection', () => connections++);
    h = await runFlow(
      [
        { id: 'c', type: 'websocket-client', path: `ws://127.0.0.1:${port}/hb`, hb: 0.2 },
        { id: 'in', type: 'websocket in', client: 'c', wires: [['got']] },
      ],
      { nodes: appNodes, timeoutMs: 6000 },
    );
    const harness = h;
    await expect.poll(() => connections, { timeout: 2000 }).toBe(1);
    // Five heartbeats answered (ws answers pings itself): the connection stays.
    await new Promise((r) => setTimeout(r, 1000));
    expect(connections).toBe(1);
    expect(harness.statuses('in').some((st) => st.text?.includes('no pong'))).toBe(false);

    // The server stops reading (a hung peer): no pong, so the client drops it within two beats.
    for (const c of wss.clients) (c as unknown as { _socket: Socket })._socket.pause();
    await expect.poll(() => harness.statuses('in').some((st) => st.text?.includes('no pong within 0.2 s')), { timeout: 2000 }).toBe(true);
    // Node-RED's reconnect delay (3 s), then a fresh connection.
    await expect.poll(() => connections, { timeout: 5000 }).toBe(2);
  }, 15_000);

  it('refuses a URL that is not ws:// or wss:// at deploy', async () => {
    await expect(runFlow([{ id: 'c', type: 'websocket-client', path: 'http://x' }, { id: 'in', type: 'websocket in', client: 'c', wires: [[]] }], { nodes: appNodes })).rejects.toThrow(/ws:\/\/ or wss:\/\//);
  });
});
