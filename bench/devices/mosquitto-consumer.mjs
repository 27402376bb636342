// The comparison's receiving end: one MQTT subscriber on the machine's Mosquitto taking every
// device post (JSON parsed, counted, latency from the message's time, no model validation).
import { connectAsync } from 'mqtt';

const [url] = process.argv.slice(2);
let count = 0;
let markCount = 0;
let markAt = 0;
let markCpu = process.cpuUsage();
let hist = new Uint32Array(60_001);
const client = await connectAsync(url, { clientId: `bench_consumer_${process.pid}`, protocolVersion: 4 });
client.on('message', (_topic, buf) => {
  const body = JSON.parse(buf.toString());
  const entries = Array.isArray(body.params) ? body.params : [body.params];
  const now = Date.now();
  for (const e of entries) {
    count++;
    hist[Math.max(0, Math.min(60_000, now - e.time))]++;
  }
});
await client.subscribeAsync(['/sys/benchPK/+/thing/measurepoint/post', '/sys/benchPK/+/thing/measurepoint/post/batch'], { qos: 0 });

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
    process.send({ ok: true });
  } else if (m.cmd === 'report') {
    const d = process.cpuUsage(markCpu);
    process.send({ count: count - markCount, seconds: (performance.now() - markAt) / 1000, cpuMs: (d.user + d.system) / 1000, p50: percentile(0.5), p99: percentile(0.99), rss: process.memoryUsage().rss });
  } else if (m.cmd === 'stop') {
    await client.endAsync();
    process.exit(0);
  }
});
process.send({ ready: true });
