import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { DeviceHub, DeviceMessage } from '@gridflow/nodes/device';
import type { Device, Product, ThingModelInput } from '@gridflow/runtime/contract';
import { devicesModule, type DevicesServerModule } from '../../src/devices/devices-module.js';
import type { DeviceBroker } from '../../src/devices/broker.js';
import type { DeviceRegistry } from '../../src/devices/registry.js';
import { connectCredentials, sign } from '../../src/devices/enos-auth.js';
import type { CreateServerOptions } from '../../src/server.js';
import { adminClient, startTestServer, type Client, type TestServer } from '../helpers.js';

export const inverterModel: ThingModelInput = {
  id: 'Inverter',
  name: 'Inverter',
  attributes: [
    { identifier: 'capacity', name: 'Capacity', spec: { type: 'double', unit: 'kW' }, required: true },
    { identifier: 'site', name: 'Site', spec: { type: 'string' } },
  ],
  measurePoints: [
    { identifier: 'power', name: 'Power', pointType: 'AI', spec: { type: 'double', unit: 'kW', min: 0, max: 10_000 }, hasQuality: true },
    { identifier: 'temp', name: 'Temperature', pointType: 'AI', spec: { type: 'float', unit: '°C' } },
    { identifier: 'status', name: 'Status', pointType: 'DI', spec: { type: 'enum', values: [{ value: 0, label: 'off' }, { value: 1, label: 'on' }] } },
    { identifier: 'energy', name: 'Energy', pointType: 'PI', spec: { type: 'double', unit: 'kWh' } },
    { identifier: 'running', name: 'Running', pointType: 'DI', spec: { type: 'bool' } },
    { identifier: 'label', name: 'Label', spec: { type: 'string', maxLength: 20 } },
    { identifier: 'currents', name: 'Currents', spec: { type: 'array', items: { type: 'float' } } },
    {
      identifier: 'pos',
      name: 'Position',
      spec: {
        type: 'struct',
        fields: [
          { identifier: 'lat', spec: { type: 'double' }, required: true },
          { identifier: 'lon', spec: { type: 'double' }, required: true },
        ],
      },
    },
    { identifier: 'since', name: 'Since', spec: { type: 'date' } },
    { identifier: 'count', name: 'Count', pointType: 'PI', spec: { type: 'int' } },
  ],
  events: [{ identifier: 'overheat', name: 'Overheat', eventType: 'warning', outputs: [{ identifier: 'temp', spec: { type: 'float' }, required: true }] }],
  services: [
    {
      identifier: 'reboot',
      name: 'Reboot',
      callType: 'sync',
      inputs: [{ identifier: 'delay', spec: { type: 'int', min: 0 } }],
      outputs: [{ identifier: 'ok', spec: { type: 'bool' } }],
    },
    { identifier: 'notify', name: 'Notify', callType: 'async', inputs: [{ identifier: 'text', spec: { type: 'string' } }] },
  ],
};

export const gatewayModel: ThingModelInput = { id: 'Gateway', name: 'Gateway' };

export interface DeviceTestServer {
  ts: TestServer;
  admin: Client;
  broker: DeviceBroker;
  registry: DeviceRegistry;
  hub: DeviceHub;
  port: number;
  close(): Promise<void>;
}

/** A real server with the devices module, its broker on a free port, and a logged-in admin client. */
export async function startDeviceServer(options: CreateServerOptions = {}, withModule?: (m: DevicesServerModule) => void): Promise<DeviceTestServer> {
  let started: { broker: DeviceBroker; registry: DeviceRegistry; hub: DeviceHub } | undefined;
  const module = devicesModule({ mqttPort: 0, mqttHost: '127.0.0.1', stateFlushMs: 100, onStarted: (s) => (started = s) });
  withModule?.(module);
  const ts = await startTestServer({}, { ...options, modules: [module] });
  if (!started) throw new Error('devices module did not start');
  const admin = await adminClient(ts.url);
  const { broker, registry, hub } = started;
  return { ts, admin, broker, registry, hub, port: broker.port, close: () => ts.close() };
}

export async function ok<T>(p: Promise<{ status: number; body: unknown }>, status = 200): Promise<T> {
  const res = await p;
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as T;
}

/** Creates the Inverter and Gateway models, a device product, a dynamic product and a gateway product. */
export async function seed(admin: Client) {
  await ok(admin.request('POST', '/api/thing-models', inverterModel), 201);
  await ok(admin.request('POST', '/api/thing-models', gatewayModel), 201);
  const product = await ok<Product>(admin.request('POST', '/api/products', { productKey: 'invPK', name: 'Inverters', modelId: 'Inverter' }), 201);
  const dynamic = await ok<Product>(
    admin.request('POST', '/api/products', { productKey: 'dynPK', name: 'Dynamic inverters', modelId: 'Inverter', authMode: 'dynamic' }),
    201,
  );
  const gatewayProduct = await ok<Product>(
    admin.request('POST', '/api/products', { productKey: 'gwPK', name: 'Gateways', modelId: 'Gateway', nodeType: 'gateway' }),
    201,
  );
  return { product, dynamic, gatewayProduct };
}

export async function createDevice(admin: Client, productKey: string, deviceKey: string, extra: Record<string, unknown> = {}): Promise<Device> {
  return ok<Device>(admin.request('POST', '/api/devices', { productKey, deviceKey, name: deviceKey, attributes: { capacity: 5 }, ...extra }), 201);
}

export interface DeviceCredentials {
  productKey: string;
  deviceKey: string;
  secret: string;
  secureMode?: 2 | 3;
}

/** Connects like an EnOS SDK does; rejects with the CONNACK error when refused. */
export function connectDevice(port: number, cred: DeviceCredentials, extra: IClientOptions = {}): Promise<MqttClient> {
  const { clientId, username, password } = connectCredentials(cred);
  const c = connect(`mqtt://127.0.0.1:${port}`, {
    clientId,
    username,
    password,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 3000,
    ...extra,
  });
  return new Promise((resolve, reject) => {
    c.once('connect', () => resolve(c));
    c.once('error', (err) => {
      c.end(true);
      reject(err);
    });
    c.once('close', () => reject(new Error('connection closed before CONNACK')));
  });
}

export interface Reply {
  id: unknown;
  code: number;
  data: unknown;
  message?: string;
}

let nextId = 1;

/** Publishes an EnOS request and waits for `{topic}_reply` with the same id. */
export async function request(c: MqttClient, topic: string, method: string, params: unknown, extra: Record<string, unknown> = {}): Promise<Reply> {
  const id = String(nextId++);
  return raw(c, topic, JSON.stringify({ id, version: '1.0', params, method, ...extra }), id);
}

/** Publishes a raw payload and waits for the reply with the given id (or any reply when id is undefined). */
export async function raw(c: MqttClient, topic: string, payload: string, id?: string, timeoutMs = 3000): Promise<Reply> {
  const replyTopic = `${topic}_reply`;
  await c.subscribeAsync(replyTopic, { qos: 1 });
  return new Promise<Reply>((resolve, reject) => {
    const timer = setTimeout(() => {
      c.off('message', onMessage);
      reject(new Error(`no reply on ${replyTopic}`));
    }, timeoutMs);
    const onMessage = (t: string, buf: Buffer) => {
      if (t !== replyTopic) return;
      const body = JSON.parse(buf.toString()) as Reply;
      if (id !== undefined && String(body.id) !== id) return;
      clearTimeout(timer);
      c.off('message', onMessage);
      resolve(body);
    };
    c.on('message', onMessage);
    c.publish(topic, payload, { qos: 1 });
  });
}

/** Collects hub messages while a test runs. */
export function collect(hub: DeviceHub, filter: Parameters<DeviceHub['subscribe']>[0] = {}) {
  const messages: DeviceMessage[] = [];
  const sub = hub.subscribe(filter, (m) => messages.push(m));
  return { messages, close: () => sub.close() };
}

/** Login info of a sub-device, signed as the SDKs sign it. */
export function subLogin(productKey: string, deviceKey: string, secret: string, timestamp = Date.now()) {
  const clientId = deviceKey;
  const params = { clientId, deviceKey, productKey, timestamp: String(timestamp) };
  return { productKey, deviceKey, clientId, timestamp, signMethod: 'sha256', sign: sign(params, secret, 'sha256') };
}

export const until = async (check: () => boolean, timeoutMs = 3000, what = 'condition') => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

export const closed = (c: MqttClient) => new Promise<void>((resolve) => (c.connected ? c.once('close', () => resolve()) : resolve()));
