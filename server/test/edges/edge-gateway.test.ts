import { mkdtempSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '@gridflow/runtime';
import type { AlertsResponse, EdgeInfo } from '@gridflow/runtime/contract';
import type { MeasurePointsMessage } from '@gridflow/nodes/device';
import { allNodes } from '@gridflow/nodes';
import { alertsModule } from '../../src/alerts/index.js';
import { devicesModule } from '../../src/devices/index.js';
import { edgeModule } from '../../src/edges/edge-module.js';
import { adminClient, startTestServer, waitFor, type Client, type TestServer } from '../helpers.js';
import { createDevice, ok } from '../devices/support.js';
import { testNodes } from '../test-nodes.js';
import { startEdge, type EdgeProcess } from './edge-process.js';
import { createGatewayProducts, plantTab } from './gateway-plant.js';

/**
 * An edge bound to a gateway device posts measure points for its sub-device (read from a local
 * MQTT broker, as it would read OPC UA or Modbus): they become the device's latest values and
 * reach a cloud `device in` flow. A post for a device outside the gateway's topology is refused.
 * Points queued while the server is down arrive after the reconnect as back-fill and raise no
 * threshold alert; the same value posted live does.
 */

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

const topic = `gridflow-test/edge-gateway/${process.pid}-${Date.now()}`;

const flows = (edgeId: string) => [
  { id: 'cloud', type: 'tab', label: 'Cloud' },
  { id: 'in', type: 'device in', z: 'cloud', products: 'mPK', kinds: 'measurepoints', wires: [['probe', 'hot']] },
  { id: 'probe', type: 'probe', z: 'cloud', wires: [] },
  {
    id: 'hot',
    type: 'threshold alert',
    z: 'cloud',
    property: 'payload.points.temp',
    op: '>',
    threshold: 80,
    severity: 'major',
    wires: [[]],
  },
  ...plantTab(edgeId, topic),
];

describe('edge as a gateway: device posts', () => {
  let port: number;
  let serverDir: string;
  let edgeDir: string;
  let server: TestServer | undefined;
  let admin: Client;
  let edge: EdgeProcess | undefined;
  let local: MqttClient;
  let edgeId: string;
  const arrived: MeasurePointsMessage[] = [];

  const startServer = async () => {
    server = await startTestServer(
      { port },
      {
        dataDir: serverDir,
        registry: createRegistry([...allNodes, ...testNodes.filter((n) => n.type === 'probe')]),
        modules: [
          devicesModule({ mqttPort: 0, mqttHost: '127.0.0.1', stateFlushMs: 100 }),
          alertsModule(),
          edgeModule(),
        ],
      },
    );
    server.server.runtime.events.on('debug', (d) => {
      if (d.id === 'probe') arrived.push(d.msg as MeasurePointsMessage);
    });
    admin = await adminClient(server.url);
  };
  const publish = (dk: string, temp: number, time = Date.now()) =>
    local.publishAsync(topic, JSON.stringify({ pk: 'mPK', dk, body: { points: { temp }, time } }), { qos: 1 });
  const edgeInfo = async () =>
    (await ok<{ edges: EdgeInfo[] }>(admin.request('GET', '/api/edges'))).edges.find((e) => e.id === edgeId);
  const alerts = async () => (await ok<AlertsResponse>(admin.request('GET', '/api/alerts'))).alerts;

  beforeAll(async () => {
    port = await freePort();
    serverDir = mkdtempSync(join(tmpdir(), 'gf-edge-gw-server-'));
    edgeDir = mkdtempSync(join(tmpdir(), 'gf-edge-gw-agent-'));
    await startServer();
    await createGatewayProducts(admin);
    for (const [pk, dk] of [
      ['gwPK', 'gw1'],
      ['mPK', 'm1'],
      ['mPK', 'm2'],
    ] as const)
      await createDevice(admin, pk, dk, { attributes: {} });
    await ok(
      admin.request('POST', '/api/devices/gwPK/gw1/sub-devices', {
        subDevices: [{ productKey: 'mPK', deviceKey: 'm1' }],
      }),
    );
    local = await connectAsync('mqtt://127.0.0.1:1883', { clientId: `gf-edge-gw-test-${process.pid}` });
  }, 30_000);
  afterAll(async () => {
    await local?.endAsync();
    await edge?.kill('SIGKILL');
    await server?.close();
  });

  it('binds an edge only to a registered gateway device, with clear 4xx errors', async () => {
    const notGateway = await admin.request('POST', '/api/edges/enrollments', {
      name: 'bad',
      gateway: { productKey: 'mPK', deviceKey: 'm1' },
    });
    expect(notGateway.status).toBe(400);
    expect(JSON.stringify(notGateway.body)).toContain('device mPK/m1 is not a gateway');
    const unknown = await admin.request('POST', '/api/edges/enrollments', {
      name: 'bad',
      gateway: { productKey: 'gwPK', deviceKey: 'nope' },
    });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('device gwPK/nope is not registered');

    const created = await admin.request('POST', '/api/edges/enrollments', {
      name: 'line-1',
      gateway: { productKey: 'gwPK', deviceKey: 'gw1' },
    });
    expect(created.status).toBe(201);
    const { token } = created.body as { token: string };
    edge = startEdge(['--server', server!.url, '--token', token, '--data', edgeDir, '--heartbeat-ms', '1000']);
    await edge.waitForLine(/connected to/);
    edgeId = (await ok<{ edges: EdgeInfo[] }>(admin.request('GET', '/api/edges'))).edges[0]!.id;
    expect(await edgeInfo()).toMatchObject({ name: 'line-1', gateway: { productKey: 'gwPK', deviceKey: 'gw1' } });
    const badPatch = await admin.request('PATCH', `/api/edges/${edgeId}`, {
      gateway: { productKey: 'mPK', deviceKey: 'm2' },
    });
    expect(badPatch.status).toBe(400);
  }, 30_000);

  it('posts points for a sub-device: latest values, device in flow; refuses an unrelated device', async () => {
    await ok(admin.request('POST', '/api/deploy', { flows: flows(edgeId), type: 'full' }));
    const deployed = await edge!.waitForLine(/running deployment|deployment .* refused/);
    // The agent registers the node types of edgeAgentNodes (@gridflow/nodes/edge), device post among them.
    expect(deployed, 'the edge agent must know the device post node').toMatch(/running deployment/);
    // mqtt in subscribes once deployed: publish until the first post made it through.
    for (let i = 0; i < 50 && arrived.length === 0; i++) {
      await publish('m1', 20);
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(arrived[0]).toMatchObject({
      productKey: 'mPK',
      deviceKey: 'm1',
      points: { temp: 20 },
      backfill: false,
      gateway: { productKey: 'gwPK', deviceKey: 'gw1' },
    });
    const points = await ok<{ points: Record<string, { value: unknown }> }>(
      admin.request('GET', '/api/devices/mPK/m1/points'),
    );
    expect(points.points['temp']?.value).toBe(20);
    const device = await ok<{ lastSeen: string | null }>(admin.request('GET', '/api/devices/mPK/m1'));
    expect(device.lastSeen).not.toBeNull();

    await publish('m2', 21);
    let info = await edgeInfo();
    for (let i = 0; i < 100 && !info?.devicePosts?.rejected; i++) {
      await new Promise((r) => setTimeout(r, 100));
      info = await edgeInfo();
    }
    expect(info?.devicePosts).toMatchObject({
      rejected: 1,
      lastRejection: {
        device: 'mPK/m2',
        message: 'device mPK/m2 is neither gateway gwPK/gw1 nor one of its sub-devices',
      },
    });
    expect(arrived.some((m) => m.deviceKey === 'm2')).toBe(false);
  }, 30_000);

  it('delivers points queued while the server was down as back-fill, which raise no alert; live ones do', async () => {
    const before = arrived.length;
    await server!.server.close();
    server = undefined;
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) await publish('m1', 95 + i, t0 + i);
    const queue = new Database(join(edgeDir, 'upstream.db'), { readonly: true });
    try {
      await waitFor(
        () =>
          (queue.prepare("SELECT COUNT(*) AS n FROM queue WHERE channel = '$device'").get() as { n: number }).n >= 3,
        10_000,
        'the posts queued on the edge',
      );
    } finally {
      queue.close();
    }
    await startServer();
    // Only what was posted from t0 on: a first-post retry from the test above may still trickle in.
    const fromT0 = () => arrived.slice(before).filter((m) => m.time >= t0);
    await waitFor(() => fromT0().length >= 3, 30_000, 'the queued points after the reconnect');
    const resumed = fromT0();
    expect(resumed.map((m) => [m.points['temp'], m.time, m.backfill])).toEqual([
      [95, t0, true],
      [96, t0 + 1, true],
      [97, t0 + 2, true],
    ]);
    await server!.server.runtime.idle();
    expect(await alerts()).toEqual([]);

    await publish('m1', 99);
    await waitFor(() => fromT0().length >= 4, 10_000, 'a live point');
    expect(arrived.at(-1)).toMatchObject({ backfill: false, points: { temp: 99 } });
    let raised = await alerts();
    for (let i = 0; i < 50 && raised.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      raised = await alerts();
    }
    expect(raised.map((a) => [a.key, a.value])).toEqual([['mPK/m1', 99]]);
    // The latest value is the live one, not the older back-filled ones.
    const points = await ok<{ points: Record<string, { value: unknown }> }>(
      admin.request('GET', '/api/devices/mPK/m1/points'),
    );
    expect(points.points['temp']?.value).toBe(99);
  }, 45_000);
});
