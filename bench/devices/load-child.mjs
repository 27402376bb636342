// The device side of bench/device-ingest.mjs: N simulated devices (Gridflow's simulator, real
// MQTT connections) posting at a fixed total rate. argv: brokerUrl devicesFile rate batch auth.
// IPC: prints connected, then 'start' begins posting, 'stop' ends and reports what was sent.
import { readFileSync } from 'node:fs';
import { createSimulator } from '../../server/dist/devices/simulator/simulator.js';
import { thingModelSchema } from '@gridflow/runtime/contract';
import { benchModel } from './model.mjs';
import { windowProfile } from './window-profile.mjs';

const [brokerUrl, devicesFile, rate, batch, auth] = process.argv.slice(2);
const devices = JSON.parse(readFileSync(devicesFile, 'utf8'));
const sim = createSimulator({
  brokerUrl,
  devices,
  model: thingModelSchema.parse(benchModel),
  rate: Number(rate),
  batch: Number(batch),
  auth,
  connectConcurrency: 100,
});
const connecting = setInterval(() => process.stderr.write(`load: ${sim.stats().connected} of ${devices.length} connected\n`), 5000);
await sim.connect();
clearInterval(connecting);
let startedAt = 0;
let startCpu = process.cpuUsage();
let profile;
process.on('message', async (m) => {
  if (m.cmd === 'start') {
    startedAt = performance.now();
    startCpu = process.cpuUsage();
    profile = await windowProfile(process.env.BENCH_LOAD_PROF);
    sim.start();
    process.send({ started: true });
  } else if (m.cmd === 'stop') {
    const s = sim.stats();
    const seconds = (performance.now() - startedAt) / 1000;
    const cpu = process.cpuUsage(startCpu);
    await profile?.stop(`load-batch${batch}`);
    await sim.stop();
    process.send({ sent: s.sent, publishes: s.publishes, seconds, cpuMs: (cpu.user + cpu.system) / 1000 });
    process.exit(0);
  }
});
process.send({ connected: devices.length });
