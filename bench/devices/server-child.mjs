// The Gridflow side of bench/device-ingest.mjs: a real server with its device broker on a free
// port, 1,000 registered devices, and a `device in` -> sink flow. The sink counts measure point
// messages and their latency (now - the time the device put in the message). IPC: 'mark' starts
// a measurement window, 'report' answers with what reached the sink since the mark.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { createRegistry, defineNode } from '@gridflow/runtime';
import { allNodes } from '@gridflow/nodes';
import { thingModelSchema } from '@gridflow/runtime/contract';
import { createServer, configSchema, silentLogger } from '../../server/dist/index.js';
import { devicesModule } from '../../server/dist/devices/index.js';
import { benchModel } from './model.mjs';
import { windowProfile } from './window-profile.mjs';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 1000);
const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-bench-devices-'));

let count = 0;
let markCount = 0;
let markAt = 0;
let markCpu = process.cpuUsage();
let hist = new Uint32Array(60_001);
let profile;
let windows = 0;
const sink = defineNode({
  type: 'bench-sink',
  category: 'core',
  inputs: 1,
  outputs: 0,
  config: z.object({}).passthrough(),
  create: () => ({
    input(msg, _send, done) {
      count++;
      const lat = Date.now() - msg.payload.time;
      hist[Math.max(0, Math.min(60_000, lat))]++;
      done();
    },
  }),
});

let started;
const modules = [devicesModule({ mqttPort: 0, mqttHost: '127.0.0.1', onStarted: (s) => (started = s) })];
const config = configSchema.parse({ port: 0, host: '127.0.0.1', dataDir, adminPassword: 'bench-password-1', logLevel: 'error' });
const server = await createServer(config, { registry: createRegistry([...allNodes, sink]), modules, logger: silentLogger });
await server.listen();
const { registry, broker } = started;
await registry.createModel(thingModelSchema.parse(benchModel));
await registry.createProduct({ productKey: 'benchPK', name: 'Bench inverters', modelId: benchModel.id });
const csv = ['deviceKey,name', ...Array.from({ length: DEVICES }, (_, i) => `inv${String(i).padStart(5, '0')},Inverter ${i}`)].join('\n');
const devices = await registry.importDevices(csv, 'benchPK');
const devicesFile = join(dataDir, 'devices.json');
writeFileSync(devicesFile, JSON.stringify(devices.map((d) => ({ productKey: d.productKey, deviceKey: d.deviceKey, deviceSecret: d.deviceSecret }))));
await server.runtime.deploy([
  { id: 't', type: 'tab', label: 'bench' },
  { id: 'in', type: 'device in', z: 't', products: 'benchPK', kinds: ['measurepoints'], wires: [['s']] },
  { id: 's', type: 'bench-sink', z: 't', wires: [] },
]);

function percentile(p) {
  let total = 0;
  for (const n of hist) total += n;
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i];
    if (seen >= total * p) return i;
  }
  return hist.length - 1;
}

process.on('message', async (m) => {
  if (m.cmd === 'mark') {
    markCount = count;
    markAt = performance.now();
    markCpu = process.cpuUsage();
    hist = new Uint32Array(60_001);
    profile = await windowProfile(process.env.BENCH_CPU_PROF);
    process.send({ ok: true });
  } else if (m.cmd === 'report') {
    const status = broker.status();
    const cpu = process.cpuUsage(markCpu);
    const seconds = (performance.now() - markAt) / 1000;
    const received = count - markCount;
    await profile?.stop(`server-${++windows}`);
    process.send({
      count: received,
      seconds,
      cpuMs: (cpu.user + cpu.system) / 1000,
      p50: percentile(0.5),
      p99: percentile(0.99),
      invalid: status.counters.invalidMessages,
      connected: status.connected,
      rss: process.memoryUsage().rss,
    });
  } else if (m.cmd === 'stop') {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  }
});
process.send({ ready: true, port: broker.port, devicesFile });
