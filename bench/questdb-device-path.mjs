// The device path of the QuestDB benchmark: a Gridflow server (devices + QuestDB modules) on the
// benchmark's QuestDB, simulated devices posting EnOS measure point messages over MQTT (QoS 1,
// each message acknowledged with a PUBACK), and the storage policy storing them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { configSchema, createServer, silentLogger } from '../server/dist/index.js';
import { devicesModule } from '../server/dist/devices/index.js';
import { questdbModule } from '../server/dist/questdb/questdb-module.js';
import { countRows, trackVisibility, whenQueryable } from './questdb-lib.mjs';

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
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  if (!login.ok) throw new Error(`admin login failed: ${login.status}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  return async (method, path, body) => {
    const res = await fetch(url + path, {
      method,
      headers: { 'content-type': 'application/json', cookie },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
}

/** The devices' process; `ask` sends it a command and resolves with its answer. */
async function startDevices(port, devices) {
  const child = fork(fileURLToPath(new URL('./questdb-devices-child.mjs', import.meta.url)), [], {
    env: { ...process.env, GRIDFLOW_BENCH_DEVICES: JSON.stringify({ port, devices }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // BENCH_LOAD_PROF=<dir>: a CPU profile of the devices' process, to see whether they are the limit.
    execArgv: process.env.BENCH_LOAD_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_LOAD_PROF}`] : [],
  });
  const next = () =>
    new Promise((resolve, reject) => {
      child.once('message', (m) => (m.ok === false ? reject(new Error(m.error)) : resolve(m)));
      child.once('exit', (code) => reject(new Error(`the devices process exited (${code})`)));
    });
  await next();
  return {
    ask(command) {
      const answer = next();
      child.send(command);
      return answer;
    },
  };
}

export async function startDevicePath(db, { devices, t0 }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-bench-server-'));
  let hub;
  let mqttPort = 0;
  const service = { connection: db.qdb.connection, managed: undefined, close: async () => undefined };
  const config = configSchema.parse({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    adminPassword: PASSWORD,
    logLevel: 'error',
  });
  const server = await createServer(config, {
    logger: silentLogger,
    modules: [
      devicesModule({
        mqttPort: 0,
        mqttHost: '127.0.0.1',
        onStarted: (s) => ((hub = s.hub), (mqttPort = s.broker.port)),
      }),
      questdbModule({ service, deviceHub: () => hub }),
    ],
  });
  const { url } = await server.listen();
  const api = await apiClient(url);
  await api('POST', '/api/thing-models', model);
  const made = [];
  for (const productKey of ['benchPK', 'pacedPK']) {
    await api('POST', '/api/products', { productKey, name: productKey, modelId: model.id });
    // The same table shape as the direct writer's: no downsampling views, so both do the same work.
    await api('PATCH', `/api/storage-policies/${productKey}`, {
      tiers: ['1m', '1h', '1d'].map((tier) => ({ tier, enabled: false })),
    });
    for (let k = 0; k < devices; k++)
      made.push(await api('POST', '/api/devices', { productKey, deviceKey: `d${k}`, name: `d${k}`, attributes: {} }));
  }
  const sim = await startDevices(mqttPort, made);
  const toLocal = (epochMs) => epochMs - performance.timeOrigin;

  return {
    /** Rows/s from the first publish until QuestDB counts every row, and the broker's own rate. */
    async throughput(rows, round = 0) {
      // Each round has rows of its own times (the same times would be replaced, not added, by the dedup keys).
      const cpuBefore = process.cpuUsage();
      const { started, finished, cpuMs } = await sim.ask({
        run: 'burst',
        productKey: 'benchPK',
        rows,
        t0: t0 + round * rows,
      });
      const visible = await whenQueryable(db.sql, 'mp_benchPK', rows * (round + 1));
      // CPU per row tells which side is the limit on a busy machine (this process is the server and its writer).
      const cpu = process.cpuUsage(cpuBefore);
      console.log(
        `    device path round ${round + 1}: CPU per row ${((cpu.user + cpu.system) / rows).toFixed(1)} µs in the server, ` +
          `${((cpuMs * 1000) / rows).toFixed(1)} µs in the simulated devices (MQTT 3.1.1, QoS 1)`,
      );
      // The broker's own rate (every PUBACK back) tells the broker's share from the storage's.
      return { rate: (rows / (visible - toLocal(started))) * 1000, brokerRate: (rows / (finished - started)) * 1000 };
    },
    /** Publish -> queryable delay of every row at a steady rate. */
    async paced(seconds, rate, round) {
      const before = await countRows(db.sql, 'mp_pacedPK');
      const track = await trackVisibility(db, 'mp_pacedPK', before);
      const { times, ackDelays } = await sim.ask({
        run: 'paced',
        productKey: 'pacedPK',
        seconds,
        rate,
        t0: t0 + round * 10_000_000,
      });
      await whenQueryable(db.sql, 'mp_pacedPK', before + times.length, 60_000).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 50));
      const delays = await track.delays(times.map(toLocal));
      // Publish -> PUBACK is the broker's share of the delay (it acknowledges once the message is handed on).
      return { delays, ackDelays, sent: times.length, stored: delays.length };
    },
    async close() {
      await sim.ask({ run: 'stop' }).catch(() => undefined);
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
