// Simulated devices for the QuestDB benchmark, in a process of their own as real devices would be:
// they connect to the device broker with their own credentials and post measure points (QoS 1).
// Driven over IPC by bench/questdb-device-path.mjs; times are epoch ms with sub-ms precision.
import { connect } from 'mqtt';
import { connectCredentials } from '../server/dist/devices/index.js';
import { rowValues } from './questdb-lib.mjs';

const { port, devices } = JSON.parse(process.env.GRIDFLOW_BENCH_DEVICES ?? '{}');
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function connectDevice(d) {
  const { clientId, username, password } = connectCredentials({
    productKey: d.productKey,
    deviceKey: d.deviceKey,
    secret: d.deviceSecret,
  });
  const c = connect(`mqtt://127.0.0.1:${port}`, {
    clientId,
    username,
    password,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  return new Promise((resolve, reject) => {
    c.once('connect', () => resolve({ c, d, topic: `/sys/${d.productKey}/${d.deviceKey}/thing/measurepoint/post` }));
    c.once('error', reject);
  });
}

const payload = (i, t0) =>
  JSON.stringify({
    id: String(i),
    version: '1.0',
    method: 'thing.measurepoint.post',
    params: { measurepoints: rowValues(i), time: t0 + i },
  });

const clients = await Promise.all(devices.map(connectDevice));
const byProduct = (productKey) => clients.filter((x) => x.d.productKey === productKey);

/** As fast as the broker takes them: windows of 5000 messages, each window waiting for its PUBACKs. */
async function burst({ productKey, rows, t0 }) {
  const cs = byProduct(productKey);
  const started = now();
  const cpuBefore = process.cpuUsage();
  for (let i0 = 0; i0 < rows; i0 += 5000) {
    const acks = [];
    for (let i = i0; i < Math.min(rows, i0 + 5000); i++) {
      const { c, topic } = cs[i % cs.length];
      acks.push(
        new Promise((resolve, reject) =>
          c.publish(topic, payload(i, t0), { qos: 1 }, (err) => (err ? reject(err) : resolve())),
        ),
      );
    }
    await Promise.all(acks);
  }
  const cpu = process.cpuUsage(cpuBefore);
  return { started, finished: now(), cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** `rate` messages a second in 5 ms steps; returns each message's publish time. */
async function paced({ productKey, seconds, rate, t0 }) {
  const cs = byProduct(productKey);
  const times = [];
  const total = rate * seconds;
  const start = performance.now();
  let i = 0;
  while (i < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
    for (; i < due; i++) {
      const { c, topic } = cs[i % cs.length];
      times.push(now());
      c.publish(topic, payload(i, t0), { qos: 1 });
    }
    await sleep(5);
  }
  return { times };
}

process.on('message', async (m) => {
  try {
    if (m.run === 'burst') process.send({ ok: true, ...(await burst(m)) });
    else if (m.run === 'paced') process.send({ ok: true, ...(await paced(m)) });
    else if (m.run === 'stop') {
      await Promise.all(clients.map(({ c }) => c.endAsync(true)));
      process.send({ ok: true });
      process.exit(0);
    }
  } catch (err) {
    process.send({ ok: false, error: String(err?.stack ?? err) });
  }
});
process.send({ ready: true });
