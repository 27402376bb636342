import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { io as connect } from 'socket.io-client';
import { createRegistry } from '@gridflow/runtime';
import { appNodes } from '@gridflow/nodes/app';
import { websocketModule } from '../../src/websocket/websocket-module.js';
import { adminClient, startTestServer, type Client, type TestServer } from '../helpers.js';
import { testNodes } from '../test-nodes.js';

/** websocket-listener nodes served by the server's own HTTP server, beside socket.io. */
describe('websocket module', () => {
  let t: TestServer;
  let admin: Client;
  let wsBase: string;

  const deploy = (flows: Record<string, unknown>[]) => admin.request('POST', '/api/deploy', { type: 'full', flows: [{ id: 'tab', type: 'tab' }, ...flows] });

  beforeAll(async () => {
    t = await startTestServer({}, { registry: createRegistry([...appNodes, ...testNodes]), modules: [websocketModule()] });
    admin = await adminClient(t.url);
    wsBase = `${t.url.replace(/^http/, 'ws')}/endpoints`;
    const res = await deploy([
      { id: 'l', type: 'websocket-listener', path: '/ws/echo', wholemsg: 'false' },
      { id: 'in', type: 'websocket in', z: 'tab', server: 'l', wires: [['out']] },
      { id: 'out', type: 'websocket out', z: 'tab', server: 'l', wires: [] },
    ]);
    expect(res.status).toBe(200);
  });
  afterAll(() => t.close());

  const open = (path: string) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`${wsBase}${path}`);
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });

  it('echoes through a flow on the listener path under the endpoint prefix', async () => {
    const ws = await open('/ws/echo');
    const reply = new Promise<string>((resolve) => ws.once('message', (d) => resolve(d.toString())));
    ws.send('ping 1');
    expect(await reply).toBe('ping 1');
    ws.close();
  });

  it('refuses paths no listener serves with 404, and leaves socket.io working', async () => {
    await expect(open('/ws/none')).rejects.toThrow(/404/);
    const socket = connect(t.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: admin.cookie ?? '' } });
    await new Promise<void>((resolve, reject) => {
      socket.on('connect', resolve);
      socket.on('connect_error', reject);
    });
    socket.close();
  });

  it('stops serving a path once a deploy removes its listener, and serves the new one', async () => {
    const before = await open('/ws/echo');
    const closed = new Promise<number>((resolve) => before.once('close', (code) => resolve(code)));
    const res = await deploy([
      { id: 'l2', type: 'websocket-listener', path: '/ws/other' },
      { id: 'in2', type: 'websocket in', z: 'tab', server: 'l2', wires: [['out2']] },
      { id: 'out2', type: 'websocket out', z: 'tab', server: 'l2', wires: [] },
    ]);
    expect(res.status).toBe(200);
    await closed;
    await expect(open('/ws/echo')).rejects.toThrow(/404/);
    const ws = await open('/ws/other');
    const reply = new Promise<string>((resolve) => ws.once('message', (d) => resolve(d.toString())));
    ws.send('again');
    expect(await reply).toBe('again');
    ws.close();
  });
});
