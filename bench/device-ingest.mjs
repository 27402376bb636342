// Device ingest: 1,000 simulated devices post measure points over MQTT through Gridflow's device
// broker (EnOS authentication, every payload validated against its thing model) into a
// `device in` -> sink flow; then the same clients publish the same payloads through the machine's
// Mosquitto to one subscriber. Sustained messages per second and p99 latency, side by side.
// Build first (npx tsc -b), then: node bench/device-ingest.mjs [seconds] [rate per device] [batch sizes, e.g. 1,10]
// Env: BENCH_DEVICES (1000), BENCH_LOAD_PROCS (2), MOSQUITTO_URL (mqtt://127.0.0.1:1883; "off" to skip), BENCH_CPU_PROF and BENCH_LOAD_PROF
// (directories for CPU profiles of the server and of the load generator).
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.argv[2] ?? 10);
const RATE = Number(process.argv[3] ?? 60);
// Entries per publish: 1 is thing/measurepoint/post, more is post/batch (as EnOS SDKs send buffered points).
const BATCHES = (process.argv[4] ?? '1,10').split(',').map(Number);
const DEVICES = Number(process.env.BENCH_DEVICES ?? 1000);
const WARMUP_S = 3;
const MOSQUITTO = process.env.MOSQUITTO_URL ?? 'mqtt://127.0.0.1:1883';
// Processes the simulated devices are spread over: one event loop cannot write 50,000 packets a
// second to a thousand sockets, whichever broker is on the other side.
const LOAD_PROCS = Math.max(1, Number(process.env.BENCH_LOAD_PROCS ?? 2));
const fmt = (n) => Math.round(n).toLocaleString('en');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const children = new Set();
// A failed or interrupted run must not leave a broker or a thousand MQTT clients behind.
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
process.on('SIGINT', () => process.exit(130));

/** A forked child and a way to ask it something over IPC. */
function child(file, args = [], env = {}) {
  const c = fork(join(here, 'devices', file), args, { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(c);
  c.on('exit', () => children.delete(c));
  const inbox = [];
  const waiters = [];
  c.on('message', (m) => (waiters.length ? waiters.shift()(m) : inbox.push(m)));
  const next = (timeoutMs = 120_000) =>
    new Promise((resolve, reject) => {
      if (inbox.length) return resolve(inbox.shift());
      const t = setTimeout(() => reject(new Error(`${file} did not answer within ${timeoutMs} ms`)), timeoutMs);
      waiters.push((m) => {
        clearTimeout(t);
        resolve(m);
      });
    });
  c.on('exit', (code) => waiters.splice(0).forEach((w) => w(code ? { error: `${file} exited with ${code}` } : { exited: true })));
  return { process: c, next, ask: (cmd) => (c.send({ cmd }), next()) };
}

async function measure(name, sinkChild, brokerUrl, devicesFile, auth, batch) {
  name = batch > 1 ? `${name}, batch ${batch}` : name;
  const all = JSON.parse(readFileSync(devicesFile, 'utf8'));
  const share = Math.ceil(all.length / LOAD_PROCS);
  const loads = [];
  for (let k = 0; k < LOAD_PROCS && k * share < all.length; k++) {
    const file = `${devicesFile}.${k}.json`;
    writeFileSync(file, JSON.stringify(all.slice(k * share, (k + 1) * share)));
    loads.push(child('load-child.mjs', [brokerUrl, file, String(RATE), String(batch), auth]));
  }
  const connecting = performance.now();
  const answers = await Promise.all(loads.map((l) => l.next()));
  const failed = answers.find((a) => a.error);
  if (failed) throw new Error(failed.error);
  const connected = { connected: answers.reduce((n, a) => n + a.connected, 0) };
  const connectS = (performance.now() - connecting) / 1000;
  await Promise.all(loads.map((l) => l.ask('start')));
  await sleep(WARMUP_S * 1000);
  await sinkChild.ask('mark');
  await sleep(SECONDS * 1000);
  const r = await sinkChild.ask('report');
  const stopped = await Promise.all(loads.map((l) => l.ask('stop')));
  const bad = stopped.find((x) => x.error);
  if (bad) throw new Error(bad.error);
  const sent = {
    sent: stopped.reduce((n, x) => n + x.sent, 0),
    seconds: Math.max(...stopped.map((x) => x.seconds)),
    cpuMs: stopped.reduce((n, x) => n + x.cpuMs, 0),
  };
  const sentRate = sent.sent / (sent.seconds ?? WARMUP_S + SECONDS);
  const rate = r.count / r.seconds;
  // CPU time per message is what the machine's load does not distort: one core's worth of it
  // is the capacity of the receiving process on an otherwise idle core.
  const usPerMsg = (r.cpuMs * 1000) / Math.max(1, r.count);
  console.log(
    `${name.padEnd(50)} ${fmt(rate).padStart(9)} msg/s  p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(5)} ms  ` +
      `(devices sent ${fmt(sentRate)}/s at ${((sent.cpuMs * 1000) / Math.max(1, sent.sent)).toFixed(1)} µs/msg)  CPU ${usPerMsg.toFixed(1)} µs/msg (= ${fmt(1e6 / usPerMsg)} msg/s per core)  ` +
      `(${fmt(connected.connected)} devices connected in ${connectS.toFixed(1)} s; RSS ${fmt(r.rss / 1048576)} MB${r.invalid ? `; ${r.invalid} invalid` : ''})`,
  );
  return { rate, p99: r.p99, sent, usPerMsg };
}

console.log(
  `device ingest: ${fmt(DEVICES)} devices x ${RATE}/s offered = ${fmt(DEVICES * RATE)} measure point msg/s` +
    `; publishes of ${BATCHES.join(' and ')} entries; devices in ${LOAD_PROCS} load processes; ${WARMUP_S} s warm-up, ${SECONDS} s measured; node ${process.version}`,
);

// BENCH_CPU_PROF=<dir>: CPU profiles of the Gridflow server's measured windows (devices/window-profile.mjs).
// BENCH_LOAD_PROF=<dir>: the same of the simulated devices' process, to see whether the load generator is the limit.
const server = child('server-child.mjs', [], { BENCH_DEVICES: String(DEVICES) });
const ready = await server.next();
if (ready.error) throw new Error(ready.error);
const gridflow = [];
for (const batch of BATCHES) gridflow.push(await measure('Gridflow broker -> device in (validated)', server, `mqtt://127.0.0.1:${ready.port}`, ready.devicesFile, 'enos', batch));
await server.ask('stop').catch(() => undefined);

const mosquitto = [];
if (MOSQUITTO !== 'off') {
  const dir = mkdtempSync(join(tmpdir(), 'gridflow-bench-mosq-'));
  const file = join(dir, 'devices.json');
  writeFileSync(file, JSON.stringify(Array.from({ length: DEVICES }, (_, i) => ({ productKey: 'benchPK', deviceKey: `inv${String(i).padStart(5, '0')}`, deviceSecret: 'unused' }))));
  const consumer = child('mosquitto-consumer.mjs', [MOSQUITTO]);
  const ok = await consumer.next(10_000).catch((e) => ({ error: e.message }));
  if (ok.error) console.log(`Mosquitto at ${MOSQUITTO} not usable: ${ok.error}`);
  else for (const batch of BATCHES) mosquitto.push(await measure('Mosquitto -> 1 subscriber (JSON parse)', consumer, MOSQUITTO, file, 'plain', batch));
  consumer.process.kill();
  rmSync(dir, { recursive: true, force: true });
}

mosquitto.forEach((m, i) => {
  const g = gridflow[i];
  console.log(
    `ratio Gridflow / Mosquitto (batch ${BATCHES[i]}): ${(g.rate / m.rate).toFixed(2)}x throughput, p99 ${g.p99} ms vs ${m.p99} ms ` +
      `(Mosquitto's own CPU is not counted; its subscriber's is)`,
  );
});
const load = (await import('node:os')).loadavg()[0];
if (load > 2.5) console.log(`note: load average ${load.toFixed(1)} on ${(await import('node:os')).cpus().length} cores during the run: throughput and latency reflect a busy machine`);
// The target is about single posts (one MQTT publish per measure point message); batches only when no single run.
const singleIndex = BATCHES.indexOf(1);
const judged = singleIndex >= 0 ? gridflow[singleIndex] : gridflow.reduce((a, b) => (b.rate > a.rate ? b : a));
const what = singleIndex >= 0 ? 'single-post' : `batch ${BATCHES[gridflow.indexOf(judged)]}`;
console.log(
  judged.rate >= 50_000
    ? `ok: at least 50,000 validated ${what} measure point messages per second`
    : `below target: ${fmt(judged.rate)} of 50,000 validated ${what} msg/s (server capacity at its CPU cost: ${fmt(1e6 / judged.usPerMsg)} msg/s per core)`,
);
