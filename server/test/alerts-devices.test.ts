import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { createRegistry, type FlowNode } from '@gridflow/runtime';
import type { AlertsResponse, Device } from '@gridflow/runtime/contract';
import { deviceNodes } from '@gridflow/nodes/device';
import { streamNodes } from '@gridflow/nodes/stream';
import { alertsModule } from '../src/alerts/index.js';
import type { DeviceBroker } from '../src/devices/broker.js';
import { devicesModule } from '../src/devices/index.js';
import { adminClient, startTestServer, waitFor, type Client, type TestServer } from './helpers.js';
import { connectDevice, createDevice, inverterModel, ok, request } from './devices/support.js';
import { testNodes } from './test-nodes.js';

/**
 * Back-fill end to end: a device resumes (back-fills) measure points over MQTT, `device in` flags
 * them, and the threshold alert behind it raises nothing; the same value posted live raises.
 */

const flows: FlowNode[] = [
  { id: 'tab', type: 'tab', label: 'Inverters' },
  { id: 'in', type: 'device in', z: 'tab', products: 'invPK', kinds: 'measurepoints', wires: [['hot']] },
  {
    id: 'hot',
    type: 'threshold alert',
    z: 'tab',
    property: 'payload.points.temp',
    op: '>',
    threshold: 80,
    severity: 'major',
    template: '{{key}} at {{value}} °C',
    wires: [[]],
  },
];

let t: TestServer;
let admin: Client;
let broker: DeviceBroker | undefined;
let device: Device;
let mqtt: MqttClient;
let delivered = 0;

beforeAll(async () => {
  t = await startTestServer(
    {},
    {
      registry: createRegistry([...testNodes, ...deviceNodes, ...streamNodes]),
      modules: [
        devicesModule({ mqttPort: 0, mqttHost: '127.0.0.1', onStarted: (s) => (broker = s.broker) }),
        alertsModule(),
      ],
    },
  );
  admin = await adminClient(t.url);
  await ok(admin.request('POST', '/api/thing-models', inverterModel), 201);
  await ok(
    admin.request('POST', '/api/products', { productKey: 'invPK', name: 'Inverters', modelId: 'Inverter' }),
    201,
  );
  device = await createDevice(admin, 'invPK', 'inv1');
  await ok(admin.request('POST', '/api/deploy', { flows }));
  mqtt = await connectDevice((broker as DeviceBroker).port, {
    productKey: 'invPK',
    deviceKey: 'inv1',
    secret: device.deviceSecret,
  });
});
afterAll(async () => {
  mqtt?.end(true);
  await t?.close();
});

const send = async (kind: 'post' | 'resume', temp: number, time: number) => {
  const reply = await request(mqtt, `/sys/invPK/inv1/thing/measurepoint/${kind}`, `thing.measurepoint.${kind}`, {
    measurepoints: { temp },
    time,
  });
  expect(reply.code).toBe(200);
  delivered++;
};
const alerts = async () => (await ok<AlertsResponse>(admin.request('GET', '/api/alerts'))).alerts;
/** Messages the node took in: proves the back-filled points did reach the alert node. */
const inputsOf = (id: string) => t.server.runtime.metrics().nodes.find((n) => n.id === id)?.in ?? 0;

describe('alerts from device data', () => {
  it('raises nothing from resumed (back-filled) points, and raises from the same value live', async () => {
    await send('resume', 95, Date.now() - 3_600_000);
    await send('resume', 97, Date.now() - 1_800_000);
    await waitFor(() => inputsOf('hot') >= 2, 5000, 'the resumed points at the threshold alert node');
    await t.server.runtime.idle();
    expect(await alerts()).toEqual([]);

    await send('post', 95, Date.now());
    await waitFor(() => inputsOf('hot') >= 3, 5000, 'the live point at the threshold alert node');
    await t.server.runtime.idle();
    const raised = await alerts();
    expect(raised.map((a) => [a.key, a.state, a.value, a.message, a.flowId])).toEqual([
      ['invPK/inv1', 'raised', 95, 'invPK/inv1 at 95 °C', 'tab'],
    ]);
    expect(delivered).toBe(3);
  });
});
