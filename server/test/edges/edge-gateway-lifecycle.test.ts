import { mkdtempSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '@gridflow/runtime';
import type { Device, EdgeInfo } from '@gridflow/runtime/contract';
import type { DeviceMessage } from '@gridflow/nodes/device';
import { allNodes } from '@gridflow/nodes';
import { devicesModule } from '../../src/devices/index.js';
import { edgeModule } from '../../src/edges/edge-module.js';
import { adminClient, startTestServer, waitFor, type Client, type TestServer } from '../helpers.js';
import { connectDevice, createDevice, ok } from '../devices/support.js';
import { testNodes } from '../test-nodes.js';
import { startEdge, type EdgeProcess } from './edge-process.js';
import { createGatewayProducts, plantTab } from './gateway-plant.js';

/**
 * The lifecycle of devices an edge speaks for, as with an EnOS Edge: the bound gateway is online
 * while the edge is connected, a sub-device from the edge's first post for it (sub-device login),
 * and both go offline when the edge leaves or is unbound, except a sub-device that is connected
 * over MQTT itself. `device in` nodes get the lifecycle messages, as from the broker.
 */

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

const topic = `gridflow-test/edge-gateway-lifecycle/${process.pid}-${Date.now()}`;

const flows = (edgeId: string) => [
  { id: 'cloud', type: 'tab', label: 'Cloud' },
  { id: 'life', type: 'device in', z: 'cloud', kinds: 'lifecycle', wires: [['probe']] },
  { id: 'probe', type: 'probe', z: 'cloud', wires: [] },
  ...plantTab(edgeId, topic),
];

describe('edge as a gateway: device lifecycle', () => {
  let server: TestServer;
  let admin: Client;
  let edge: EdgeProcess | undefined;
  let local: MqttClient;
  let own: MqttClient | undefined;
  let edgeId: string;
  const lifecycle: DeviceMessage[] = [];

  const stateOf = async (pk: string, dk: string) =>
    (await ok<Device>(admin.request('GET', `/api/devices/${pk}/${dk}`))).state;
  const states = async () => ({
    gw1: await stateOf('gwPK', 'gw1'),
    m1: await stateOf('mPK', 'm1'),
    m2: await stateOf('mPK', 'm2'),
  });
  const until = async (expected: Record<string, string>, timeoutMs: number, what: string) => {
    const start = Date.now();
    let last: Record<string, string> = await states();
    while (!Object.entries(expected).every(([k, v]) => last[k] === v)) {
      if (Date.now() - start > timeoutMs)
        throw new Error(`timed out waiting for ${what}; states: ${JSON.stringify(last)}`);
      await new Promise((r) => setTimeout(r, 100));
      last = await states();
    }
  };
  const publish = (dk: string, temp: number) =>
    local.publishAsync(topic, JSON.stringify({ pk: 'mPK', dk, body: { points: { temp }, time: Date.now() } }), {
      qos: 1,
    });
  /** Posts once and waits for the value to arrive (the device may be online already). */
  const postFor = async (dk: string, temp: number) => {
    await publish(dk, temp);
    const latest = async () =>
      (await ok<{ points: Record<string, { value: unknown }> }>(admin.request('GET', `/api/devices/mPK/${dk}/points`)))
        .points['temp']?.value;
    for (let i = 0; i < 50 && (await latest()) !== temp; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await latest()).toBe(temp);
  };
  /** Posts until the device shows online (the edge's mqtt in subscribes only once deployed). */
  const postUntilOnline = async (dk: string) => {
    for (let i = 0; i < 50 && (await stateOf('mPK', dk)) !== 'online'; i++) {
      await publish(dk, 20);
      await new Promise((r) => setTimeout(r, 300));
    }
  };

  beforeAll(async () => {
    const port = await freePort();
    server = await startTestServer(
      { port },
      {
        dataDir: mkdtempSync(join(tmpdir(), 'gf-edge-life-server-')),
        registry: createRegistry([...allNodes, ...testNodes.filter((n) => n.type === 'probe')]),
        modules: [devicesModule({ mqttPort: 0, mqttHost: '127.0.0.1', stateFlushMs: 100 }), edgeModule()],
      },
    );
    server.server.runtime.events.on('debug', (d) => {
      if (d.id === 'probe') lifecycle.push(d.msg as DeviceMessage);
    });
    admin = await adminClient(server.url);
    await createGatewayProducts(admin);
    await createDevice(admin, 'gwPK', 'gw1', { attributes: {} });
    await createDevice(admin, 'mPK', 'm1', { attributes: {} });
    const m2 = await createDevice(admin, 'mPK', 'm2', { attributes: {} });
    await ok(
      admin.request('POST', '/api/devices/gwPK/gw1/sub-devices', {
        subDevices: [
          { productKey: 'mPK', deviceKey: 'm1' },
          { productKey: 'mPK', deviceKey: 'm2' },
        ],
      }),
    );
    // m2 has an MQTT connection of its own besides the edge's posts.
    const broker = await ok<{ port: number }>(admin.request('GET', '/api/devices/broker'));
    own = await connectDevice(broker.port, { productKey: 'mPK', deviceKey: 'm2', secret: m2.deviceSecret });
    local = await connectAsync('mqtt://127.0.0.1:1883', { clientId: `gf-edge-life-test-${process.pid}` });
  }, 30_000);
  afterAll(async () => {
    await local?.endAsync();
    await own?.endAsync();
    await edge?.kill('SIGKILL');
    await server?.close();
  });

  it('sets the bound gateway online while the edge is connected, and a sub-device once posted for', async () => {
    // Never connected so far: inactive, as in EnOS.
    expect(await states()).toEqual({ gw1: 'inactive', m1: 'inactive', m2: 'online' });
    const created = await ok<{ token: string }>(
      admin.request('POST', '/api/edges/enrollments', {
        name: 'line-1',
        gateway: { productKey: 'gwPK', deviceKey: 'gw1' },
      }),
      201,
    );
    const edgeDir = mkdtempSync(join(tmpdir(), 'gf-edge-life-agent-'));
    edge = startEdge(['--server', server.url, '--token', created.token, '--data', edgeDir, '--heartbeat-ms', '1000']);
    await edge.waitForLine(/connected to/);
    edgeId = (await ok<{ edges: EdgeInfo[] }>(admin.request('GET', '/api/edges'))).edges[0]!.id;
    await until({ gw1: 'online', m1: 'inactive' }, 5_000, 'the gateway online with its edge');

    await ok(admin.request('POST', '/api/deploy', { flows: flows(edgeId), type: 'full' }));
    await edge.waitForLine(/running deployment/);
    await postUntilOnline('m1');
    expect(await stateOf('mPK', 'm1')).toBe('online');
    // m2 is online through its own connection: wait for the edge's post for it to arrive.
    await postFor('m2', 42);
    await waitFor(() => lifecycle.some((m) => m.deviceKey === 'm1'), 5_000, 'the lifecycle message in device in');
    expect(lifecycle.find((m) => m.deviceKey === 'm1')).toMatchObject({
      kind: 'lifecycle',
      state: 'online',
      reason: 'sub-device login',
      gateway: { productKey: 'gwPK', deviceKey: 'gw1' },
    });
    const recent = await ok<{ messages: DeviceMessage[] }>(
      admin.request('GET', '/api/devices/mPK/m1/messages?kind=lifecycle'),
    );
    expect(recent.messages[0]).toMatchObject({ state: 'online', reason: 'sub-device login' });
  }, 45_000);

  it('takes the gateway and its sub-devices offline when the edge is unbound, and back when bound again', async () => {
    await ok(admin.request('PATCH', `/api/edges/${edgeId}`, { gateway: null }));
    await until({ gw1: 'offline', m1: 'offline', m2: 'online' }, 5_000, 'offline after unbinding');
    await ok(admin.request('PATCH', `/api/edges/${edgeId}`, { gateway: { productKey: 'gwPK', deviceKey: 'gw1' } }));
    await until({ gw1: 'online' }, 5_000, 'the gateway online after binding again');
    await postUntilOnline('m1');
    await postFor('m2', 43);
    expect(await states()).toEqual({ gw1: 'online', m1: 'online', m2: 'online' });
  }, 30_000);

  it('takes them offline within seconds when the edge agent stops; not the device connected itself', async () => {
    const before = lifecycle.length;
    const stopped = Date.now();
    await edge!.kill('SIGTERM');
    await until({ gw1: 'offline', m1: 'offline' }, 5_000, 'offline after the edge stopped');
    expect(Date.now() - stopped).toBeLessThan(5_000);
    expect(await stateOf('mPK', 'm2')).toBe('online');
    await waitFor(() => lifecycle.length >= before + 2, 5_000, 'the offline lifecycle messages');
    expect(
      lifecycle.slice(before).map((m) => m.kind === 'lifecycle' && `${m.deviceKey} ${m.state} ${m.reason ?? ''}`),
    ).toEqual(['m1 offline gateway disconnected', 'gw1 offline edge disconnected']);
    // m2's state was never the edge's: no lifecycle message for it at all (nor an offline one stored).
    expect(lifecycle.filter((m) => m.deviceKey === 'm2')).toEqual([]);
    const m2Recent = await ok<{ messages: DeviceMessage[] }>(
      admin.request('GET', '/api/devices/mPK/m2/messages?kind=lifecycle'),
    );
    expect(m2Recent.messages.filter((m) => m.kind === 'lifecycle' && m.state === 'offline')).toEqual([]);
  }, 30_000);
});
