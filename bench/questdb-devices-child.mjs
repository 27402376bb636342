// Simulated devices for the QuestDB benchmark, in a process of their own as real devices would be:
// they connect to the device broker with their own credentials and post measure points with QoS 1
// (the broker answers every PUBLISH with a PUBACK). Driven over IPC by bench/questdb-device-path.mjs;
// times are epoch ms with sub-ms precision.
//
// The MQTT client is a minimal one (MQTT 3.1.1 CONNECT, QoS 1 PUBLISH written as bytes, PUBACKs
// counted): on a 2-core machine the load generator shares the CPU with the broker, the writer and
// QuestDB, and mqtt.js cost ~25 µs a message (a store, a callback and a packet object per publish),
// which the direct ILP writer it is compared with never pays. The wire traffic is the same.
import { connect as tcpConnect } from 'node:net';
import mqttPacket from 'mqtt-packet';
import { connectCredentials } from '../server/dist/devices/index.js';
import { rowValues } from './questdb-lib.mjs';

const { port, devices } = JSON.parse(process.env.GRIDFLOW_BENCH_DEVICES ?? '{}');
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Most unacknowledged messages per connection in a burst (mqtt.js has no limit; brokers often allow 100s). */
const MAX_INFLIGHT = 500;

/** A QoS 1 PUBLISH: fixed header, remaining length, topic, packet id, payload. */
function publishPacket(topic, id, payload) {
  const body = topic.length + 4 + payload.length;
  const lengthBytes = body < 128 ? 1 : body < 16_384 ? 2 : 3;
  const out = Buffer.allocUnsafe(1 + lengthBytes + body);
  let p = 0;
  out[p++] = 0x32; // PUBLISH, QoS 1
  for (let n = body; ;) {
    const byte = n % 128;
    n = Math.floor(n / 128);
    out[p++] = n > 0 ? byte | 0x80 : byte;
    if (n === 0) break;
  }
  out.writeUInt16BE(topic.length, p);
  p += 2;
  topic.copy(out, p);
  p += topic.length;
  out.writeUInt16BE(id, p);
  p += 2;
  payload.copy(out, p);
  return out;
}

function connectDevice(d) {
  const { clientId, username, password } = connectCredentials({
    productKey: d.productKey,
    deviceKey: d.deviceKey,
    secret: d.deviceSecret,
  });
  const socket = tcpConnect({ host: '127.0.0.1', port, noDelay: true });
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  const device = {
    d,
    socket,
    topic: Buffer.from(`/sys/${d.productKey}/${d.deviceKey}/thing/measurepoint/post`),
    nextId: 1,
    inflight: 0,
    acked: 0,
    onAck: () => undefined,
    /** Publish time of each packet id still waiting for its PUBACK (paced runs measure the broker's share). */
    sentAt: new Map(),
    ackDelays: undefined,
    publish(payload) {
      const id = this.nextId;
      this.nextId = id === 65_535 ? 1 : id + 1;
      this.inflight++;
      if (this.ackDelays) this.sentAt.set(id, now());
      return socket.write(publishPacket(this.topic, id, payload));
    },
    end: () => new Promise((resolve) => socket.end(mqttPacket.generate({ cmd: 'disconnect' }), resolve)),
  };
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.on('data', (chunk) => parser.parse(chunk));
    parser.on('error', reject);
    parser.on('packet', (packet) => {
      if (packet.cmd === 'connack') {
        if (packet.returnCode !== 0) reject(new Error(`${clientId}: CONNACK ${packet.returnCode}`));
        else resolve(device);
      } else if (packet.cmd === 'puback') {
        device.inflight--;
        device.acked++;
        if (device.ackDelays) {
          const at = device.sentAt.get(packet.messageId);
          device.sentAt.delete(packet.messageId);
          if (at !== undefined) device.ackDelays.push(now() - at);
        }
        device.onAck();
      }
    });
    socket.write(
      mqttPacket.generate({
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 4,
        clean: true,
        keepalive: 0,
        clientId,
        username,
        password: Buffer.from(password),
      }),
    );
  });
}

const payload = (i, t0) => {
  const v = rowValues(i);
  return Buffer.from(
    `{"id":"${i}","version":"1.0","method":"thing.measurepoint.post","params":{"measurepoints":` +
      `{"power":${v.power},"energy":${v.energy},"count":${v.count},"on":${v.on}},"time":${t0 + i}}}`,
  );
};

function corked(cs, publishSome) {
  for (const c of cs) c.socket.cork();
  try {
    publishSome();
  } finally {
    for (const c of cs) c.socket.uncork();
  }
}

const clients = await Promise.all(devices.map(connectDevice));
const byProduct = (productKey) => clients.filter((x) => x.d.productKey === productKey);

/** As fast as the broker takes them: each connection keeps up to MAX_INFLIGHT messages unacknowledged. */
async function burst({ productKey, rows, t0 }) {
  const cs = byProduct(productKey);
  const started = now();
  const cpuBefore = process.cpuUsage();
  let i = 0;
  await new Promise((resolve) => {
    let outstanding = rows;
    const pump = () => {
      // Round-robin over the connections, as the rows' device is i % devices. What one turn
      // publishes goes out in one write per connection, as mqtt.js's corked stream did.
      corked(cs, () => {
        for (; i < rows; i++) {
          const c = cs[i % cs.length];
          if (c.inflight >= MAX_INFLIGHT) return;
          c.publish(payload(i, t0));
        }
      });
    };
    for (const c of cs)
      c.onAck = () => {
        if (--outstanding === 0) resolve();
        else if (i < rows && c.inflight < MAX_INFLIGHT / 2) pump();
      };
    pump();
  });
  for (const c of cs) c.onAck = () => undefined;
  const cpu = process.cpuUsage(cpuBefore);
  return { started, finished: now(), cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** `rate` messages a second in 5 ms steps; returns each message's publish time and publish -> PUBACK delays. */
async function paced({ productKey, seconds, rate, t0 }) {
  const cs = byProduct(productKey);
  const ackDelays = [];
  for (const c of cs) c.ackDelays = ackDelays;
  const times = [];
  const total = rate * seconds;
  const start = performance.now();
  let i = 0;
  while (i < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
    corked(cs, () => {
      for (; i < due; i++) {
        times.push(now());
        cs[i % cs.length].publish(payload(i, t0));
      }
    });
    await sleep(5);
  }
  const deadline = performance.now() + 30_000;
  while (cs.some((c) => c.inflight > 0) && performance.now() < deadline) await sleep(10);
  for (const c of cs) c.ackDelays = undefined;
  return { times, ackDelays };
}

process.on('message', async (m) => {
  try {
    if (m.run === 'burst') process.send({ ok: true, ...(await burst(m)) });
    else if (m.run === 'paced') process.send({ ok: true, ...(await paced(m)) });
    else if (m.run === 'stop') {
      await Promise.all(clients.map((c) => c.end()));
      process.send({ ok: true });
      process.exit(0);
    }
  } catch (err) {
    process.send({ ok: false, error: String(err?.stack ?? err) });
  }
});
process.send({ ready: true });
