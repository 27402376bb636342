import type { MqttClient } from 'mqtt';
import type { DeviceHub } from '@gridflow/nodes/device';
import { createSqlClient, type QuestDbHostService, type SqlClient, type Writer } from '@gridflow/nodes/storage';
import type { Device, StoragePolicyView, ThingModelInput } from '@gridflow/runtime/contract';
import { devicesModule } from '../../src/devices/devices-module.js';
import { questdbModule, type QuestDbModuleOptions } from '../../src/questdb/questdb-module.js';
import type { QuestDbService } from '../../src/questdb/service.js';
import { connectDevice, createDevice, ok, request } from '../devices/support.js';
import { adminClient, startTestServer, type Client, type TestServer } from '../helpers.js';
import type { TestQuestDb } from '../support/questdb.js';

/** A server with the devices and QuestDB modules on a test QuestDB, plus a SQL client of its own. */

export const meterModel: ThingModelInput = {
  id: 'Meter',
  name: 'Meter',
  measurePoints: [
    { identifier: 'power', name: 'Power', pointType: 'AI', spec: { type: 'double', unit: 'kW' }, hasQuality: true },
    { identifier: 'count', name: 'Count', pointType: 'PI', spec: { type: 'int' } },
    { identifier: 'on', name: 'On', pointType: 'DI', spec: { type: 'bool' } },
    { identifier: 'label', name: 'Label', spec: { type: 'string', maxLength: 40 } },
  ],
  events: [
    {
      identifier: 'trip',
      name: 'Trip',
      eventType: 'warning',
      outputs: [{ identifier: 'reason', spec: { type: 'string' }, required: true }],
    },
  ],
};

export interface StorageTestServer {
  ts: TestServer;
  admin: Client;
  hub: DeviceHub;
  mqttPort: number;
  writer: Writer;
  service: QuestDbHostService;
  sql: SqlClient;
  close(): Promise<void>;
}

export async function startStorageServer(
  qdb: TestQuestDb,
  options: Omit<QuestDbModuleOptions, 'service' | 'deviceHub' | 'onStarted'> = {},
): Promise<StorageTestServer> {
  let hub: DeviceHub | undefined;
  let port = 0;
  let writer: Writer | undefined;
  let host: QuestDbHostService | undefined;
  // The test's QuestDB is handed over as a service, so the module neither starts nor stops it.
  const service: QuestDbService = {
    get connection() {
      return qdb.connection;
    },
    managed: undefined,
    close: async () => undefined,
  };
  const ts = await startTestServer(
    {},
    {
      modules: [
        devicesModule({
          mqttPort: 0,
          mqttHost: '127.0.0.1',
          stateFlushMs: 100,
          onStarted: (s) => ((hub = s.hub), (port = s.broker.port)),
        }),
        questdbModule({
          service,
          // No deviceHub option: the module finds the hub the devices module provides.
          writer: { flushIntervalMs: 50 },
          ...options,
          onStarted: (s) => ((writer = s.writer), (host = s.service)),
        }),
      ],
    },
  );
  if (!hub || !writer || !host) throw new Error('the devices or questdb module did not start');
  const admin = await adminClient(ts.url);
  const sql = createSqlClient({ connection: qdb.connection });
  return {
    ts,
    admin,
    hub,
    mqttPort: port,
    writer,
    service: host,
    sql,
    async close() {
      await ts.close();
      await sql.close();
    },
  };
}

export async function createProduct(admin: Client, productKey: string, modelId = 'Meter'): Promise<void> {
  await ok(admin.request('POST', '/api/products', { productKey, name: productKey, modelId }), 201);
}

export async function createDevices(admin: Client, productKey: string, keys: readonly string[]): Promise<Device[]> {
  const out: Device[] = [];
  for (const k of keys) out.push(await createDevice(admin, productKey, k, { attributes: {} }));
  return out;
}

export function patchPolicy(admin: Client, productKey: string, body: unknown): Promise<StoragePolicyView> {
  return ok<StoragePolicyView>(admin.request('PATCH', `/api/storage-policies/${productKey}`, body));
}

export async function connect(s: StorageTestServer, d: Device): Promise<MqttClient> {
  return connectDevice(s.mqttPort, { productKey: d.productKey, deviceKey: d.deviceKey, secret: d.deviceSecret });
}

/** Posts measure points with the device's own time (or resumes them: back-filled data). */
export async function post(
  c: MqttClient,
  d: Device,
  points: Record<string, unknown>,
  time: number,
  resume = false,
): Promise<void> {
  const kind = resume ? 'resume' : 'post';
  const reply = await request(
    c,
    `/sys/${d.productKey}/${d.deviceKey}/thing/measurepoint/${kind}`,
    `thing.measurepoint.${kind}`,
    { measurepoints: points, time },
  );
  if (reply.code !== 200) throw new Error(`${d.deviceKey}: measure point ${kind} refused: ${JSON.stringify(reply)}`);
}

/**
 * A device that posts many measure point messages quickly: one subscription to its reply topic,
 * replies matched by id, each post resolving when the broker has accepted the message.
 */
export async function fastPoster(
  c: MqttClient,
  d: Device,
): Promise<(points: Record<string, unknown>, time: number) => Promise<void>> {
  const topic = `/sys/${d.productKey}/${d.deviceKey}/thing/measurepoint/post`;
  const pending = new Map<string, { resolve: () => void; reject: (err: Error) => void }>();
  await c.subscribeAsync(`${topic}_reply`, { qos: 1 });
  c.on('message', (t, buf) => {
    if (t !== `${topic}_reply`) return;
    const reply = JSON.parse(buf.toString()) as { id: string; code: number; message?: string };
    const waiter = pending.get(String(reply.id));
    if (!waiter) return;
    pending.delete(String(reply.id));
    if (reply.code === 200) waiter.resolve();
    else waiter.reject(new Error(`${d.deviceKey}: post refused (${reply.code}): ${reply.message ?? ''}`));
  });
  let next = 0;
  return (points, time) =>
    new Promise<void>((resolve, reject) => {
      const id = `${d.deviceKey}-${next++}`;
      pending.set(id, { resolve, reject });
      c.publish(
        topic,
        JSON.stringify({
          id,
          version: '1.0',
          method: 'thing.measurepoint.post',
          params: { measurepoints: points, time },
        }),
        { qos: 1 },
      );
    });
}

export async function count(sql: SqlClient, query: string, params: (string | number)[] = []): Promise<number> {
  const { rows } = await sql.query(query, params);
  const first = rows[0];
  return first ? Number(Object.values(first)[0]) : 0;
}

export { ok, createSqlClient };
