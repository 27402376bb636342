// Throughput of window -> aggregate over 10,000 keys through a real runtime.
// Build first (npx tsc -b), then: node bench/stream-window.mjs [seconds per case]
import { z } from 'zod';
import { createRegistry, createRuntime, defineNode } from '@gridflow/runtime';
import { streamNodes } from '@gridflow/nodes/stream';

const KEYS = 10_000;
const SECONDS = Number(process.argv[2] ?? 6);
const BATCH = 4096;

const cases = [
  { name: 'tumbling 1 s, arrival time', window: { kind: 'tumbling', by: 'time', size: 1, units: 'seconds' } },
  { name: 'tumbling 20 messages', window: { kind: 'tumbling', by: 'count', size: 20 } },
  {
    name: 'sliding 2 s / 1 s, event time',
    window: { kind: 'sliding', by: 'time', size: 2, slide: 1, units: 'seconds', time: 'event', lateness: 0.1 },
  },
];

async function runCase(c) {
  let windows = 0;
  let windowed = 0;
  const sink = defineNode({
    type: 'bench-sink',
    category: 'core',
    inputs: 1,
    outputs: 0,
    config: z.object({}).passthrough(),
    create: () => ({
      input(msg) {
        windows++;
        windowed += msg.payload.count;
      },
    }),
  });
  const runtime = createRuntime({ registry: createRegistry([...streamNodes, sink]), metricsIntervalMs: 0 });
  await runtime.deploy([
    { id: 't', type: 'tab', label: 'bench' },
    { id: 'w', type: 'window', z: 't', ...c.window, wires: [['a'], []] },
    {
      id: 'a',
      type: 'aggregate',
      z: 't',
      ops: ['avg', 'min', 'max', 'count', 'percentile'],
      percentiles: [95],
      wires: [['s']],
    },
    { id: 's', type: 'bench-sink', z: 't', wires: [] },
  ]);
  const topics = Array.from({ length: KEYS }, (_, i) => `device/${i}/power`);
  const started = performance.now();
  const until = started + SECONDS * 1000;
  let sent = 0;
  let eventTime = Date.now();
  while (performance.now() < until) {
    for (let i = 0; i < BATCH; i++) {
      const n = sent + i;
      // Event time advances 1 ms per 20 messages: with 10,000 keys each key sees ordered times.
      runtime.receive('w', {
        _msgid: 'b' + n,
        topic: topics[n % KEYS],
        payload: (n * 7919) % 1000,
        timestamp: (eventTime + n / 20) | 0,
      });
    }
    sent += BATCH;
    await runtime.idle();
  }
  const elapsed = (performance.now() - started) / 1000;
  await runtime.close();
  const rate = sent / elapsed;
  console.log(
    `${c.name.padEnd(34)} ${Math.round(rate).toLocaleString('en').padStart(10)} msg/s  ` +
      `(${sent.toLocaleString('en')} messages in ${elapsed.toFixed(1)} s, ${windows.toLocaleString('en')} windows holding ${windowed.toLocaleString('en')})`,
  );
  return rate;
}

console.log(`window -> aggregate, ${KEYS.toLocaleString('en')} keys, ${SECONDS} s per case, node ${process.version}`);
const rates = [];
for (const c of cases) rates.push(await runCase(c));
const rssMb = process.resourceUsage().maxRSS / 1024;
console.log(`peak RSS ${rssMb.toFixed(0)} MB`);
const worst = Math.min(...rates);
console.log(
  worst >= 200_000 ? `ok: every case at least 200,000 msg/s` : `below target: slowest case ${Math.round(worst)} msg/s`,
);
