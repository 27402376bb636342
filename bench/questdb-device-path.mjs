// The device path of the QuestDB benchmark: a Gridflow server (devices + QuestDB modules) on the
// benchmark's QuestDB, simulated devices posting EnOS measure point messages over MQTT (QoS 1),
// and the storage policy storing them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'mqtt';
import { configSchema, createServer, silentLogger } from '../server/dist/index.js';
import { connectCredentials, devicesModule } from '../server/dist/devices/index.js';
import { questdbModule } from '../server/dist/questdb/questdb-module.js';
import { rowValues, trackVisibility, whenQueryable } from './questdb-lib.mjs';

const PASSWORD = 'bench-admin-password';
const model = {
  id: 'BenchMeter',
  name: 'Bench meter',
  measurePoints: [
    { identifier: 'power', name: 'Power', pointType: 'AI', spec: { type: 'double' } },
    { identifier: 'energy', name: 'Energy', pointType: 'PI', spec: { type: 'double' } },
    { identifier: 'count', name: 'Count', pointType: 'PI', spec: { type: 'int' } },
    { identifier: 'on', name: 'On', pointType: 'DI', spec: { type: 'bool' } },
  ],
};

async function apiClient(url) {
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  if (!login.ok) throw new Error(`admin login failed: ${login.status}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  return async (method, path, body) => {
    const res = await fetch(url + path, { method, headers: { 'content-type': 'application/json', cookie }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
}

function connectDevice(port, d) {
  const { clientId, username, password } = connectCredentials({ productKey: d.productKey, deviceKey: d.deviceKey, secret: d.deviceSecret });
  const c = connect(`mqtt://127.0.0.1:${port}`, { clientId, username, password, protocolVersion: 4, reconnectPeriod: 0 });
  return new Promise((resolve, reject) => {
    c.once('connect', () => resolve(c));
    c.once('error', reject);
  });
}

const payload = (i, t0) => JSON.stringify({ id: String(i), version: '1.0', method: 'thing.measurepoint.post', params: { measurepoints: rowValues(i), time: t0 + i } });

export async function startDevicePath(db, { devices, t0 }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-bench-server-'));
  let hub;
  let mqttPort = 0;
  const service = { connection: db.qdb.connection, managed: undefined, close: async () => undefined };
  const config = configSchema.parse({ port: 0, host: '127.0.0.1', dataDir, adminPassword: PASSWORD, logLevel: 'error' });
  const server = await createServer(config, {
    logger: silentLogger,
    modules: [
      devicesModule({ mqttPort: 0, mqttHost: '127.0.0.1', onStarted: (s) => ((hub = s.hub), (mqttPort = s.broker.port)) }),
      questdbModule({ service, deviceHub: () => hub }),
    ],
  });
  const { url } = await server.listen();
  const api = await apiClient(url);
  await api('POST', '/api/thing-models', model);
  const clients = {};
  for (const productKey of ['benchPK', 'pacedPK']) {
    await api('POST', '/api/products', { productKey, name: productKey, modelId: model.id });
    // The same table shape as the direct writer's: no downsampling views, so both do the same work.
    await api('PATCH', `/api/storage-policies/${productKey}`, { tiers: ['1m', '1h', '1d'].map((tier) => ({ tier, enabled: false })) });
    clients[productKey] = [];
    for (let k = 0; k < devices; k++) {
      const d = await api('POST', '/api/devices', { productKey, deviceKey: `d${k}`, name: `d${k}`, attributes: {} });
      const c = await connectDevice(mqttPort, d);
      clients[productKey].push({ c, topic: `/sys/${productKey}/d${k}/thing/measurepoint/post` });
    }
  }

  return {
    /** Rows/s from the first publish until QuestDB counts every row. */
    async throughput(rows) {
      const cs = clients['benchPK'];
      const started = performance.now();
      const WINDOW = 5000;
      for (let i0 = 0; i0 < rows; i0 += WINDOW) {
        const acks = [];
        for (let i = i0; i < Math.min(rows, i0 + WINDOW); i++) {
          const { c, topic } = cs[i % cs.length];
          acks.push(new Promise((resolve, reject) => c.publish(topic, payload(i, t0), { qos: 1 }, (err) => (err ? reject(err) : resolve()))));
        }
        await Promise.all(acks);
      }
      const visible = await whenQueryable(db.sql, 'mp_benchPK', rows);
      return (rows / (visible - started)) * 1000;
    },
    /** Publish -> queryable delay of every row at a steady rate. */
    async paced(seconds, rate, pacer) {
      const cs = clients['pacedPK'];
      const track = trackVisibility(db.sql, 'mp_pacedPK');
      const times = await pacer(seconds, (i) => {
        const { c, topic } = cs[i % cs.length];
        c.publish(topic, payload(i, t0), { qos: 1 });
      });
      await whenQueryable(db.sql, 'mp_pacedPK', times.length, 60_000).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 50));
      const delays = await track.delays(times);
      return { delays, sent: times.length, stored: delays.length };
    },
    async close() {
      for (const list of Object.values(clients)) for (const { c } of list) await c.endAsync(true);
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
