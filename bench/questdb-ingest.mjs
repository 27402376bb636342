// QuestDB ingest: Gridflow's write paths side by side with a single @questdb/nodejs-client writing
// the same rows over ILP/HTTP (the ceiling), on one QuestDB started for the run.
//   1. throughput to queryable: N rows as fast as each path takes them, until `count()` shows them all
//   2. delay from publish to queryable at a steady 10,000 rows/s (p50, p99)
// Each throughput is the best of a few rounds (contenders take turns), since other work on the
// machine shifts single runs a lot. "Queryable" is the same for every contender: `SELECT count()`
// on the table shows the row (QuestDB's WAL apply has run), polled every 10 ms from a thread of its
// own (questdb-visibility-worker.mjs) so a busy server does not delay the observation itself.
// Build first (npx tsc -b), then: node bench/questdb-ingest.mjs [rows] [seconds at 10k rows/s] [rounds]
import { createRegistry, createRuntime } from '@gridflow/runtime';
import { storageNodes } from '@gridflow/nodes/storage';
import { Sender } from '@questdb/nodejs-client';
import { startDevicePath } from './questdb-device-path.mjs';
import {
  columns,
  createBenchTable,
  fmt,
  ms,
  percentile,
  rowValues,
  startBenchQuestDb,
  trackVisibility,
  whenQueryable,
} from './questdb-lib.mjs';

const ROWS = Number(process.argv[2] ?? 100_000);
const PACED_SECONDS = Number(process.argv[3] ?? 10);
const ROUNDS = Number(process.argv[4] ?? 3);
const RATE = 10_000;
const DEVICES = 10;
const T0 = Date.UTC(2026, 0, 1);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function directSender(c, rows) {
  return Sender.fromConfig(
    `http::addr=${c.host}:${c.httpPort};username=${c.user};password=${c.password};auto_flush_rows=${rows};auto_flush_interval=100;protocol_version=2`,
  );
}

async function direct(db, table, i0, count) {
  const sender = await directSender(db.qdb.connection, 5000);
  for (let i = i0; i < i0 + count; i++) {
    const v = rowValues(i);
    sender
      .table(table)
      .symbol('device', `d${i % DEVICES}`)
      .floatColumn('power', v.power)
      .floatColumn('energy', v.energy)
      .intColumn('count', v.count)
      .booleanColumn('on', v.on);
    await sender.at(BigInt(T0 + i) * 1000n, 'us');
  }
  await sender.flush();
  await sender.close();
}

async function directThroughput(db, round) {
  const table = `direct_rows_${round}`;
  await createBenchTable(db.sql, table);
  const started = performance.now();
  await direct(db, table, 0, ROWS);
  return (ROWS / ((await whenQueryable(db.sql, table, ROWS)) - started)) * 1000;
}

/** A flow with a `questdb out` node, fed through the runtime with its back-pressure. */
async function questdbOutThroughput(db, round) {
  const table = `flow_rows_${round}`;
  await createBenchTable(db.sql, table);
  const c = db.qdb.connection;
  const runtime = createRuntime({ registry: createRegistry(storageNodes), metricsIntervalMs: 0 });
  await runtime.deploy([
    { id: 't', type: 'tab', label: 'bench' },
    {
      id: 'q',
      type: 'questdb-config',
      host: c.host,
      httpPort: c.httpPort,
      pgPort: c.pgPort,
      batchRows: 5000,
      maxBufferedRows: 50_000,
      flushInterval: 100,
    },
    {
      id: 'o',
      type: 'questdb out',
      z: 't',
      questdb: 'q',
      table,
      symbols: ['device'],
      columns,
      timestamp: 'ts',
      wires: [],
    },
  ]);
  const started = performance.now();
  for (let i = 0; i < ROWS; i++) {
    runtime.receive('o', { payload: { device: `d${i % DEVICES}`, ...rowValues(i), ts: T0 + i } });
    if (i % 1000 === 999) while (runtime.metrics().queueDepth > 20_000) await sleep(1);
  }
  const visible = await whenQueryable(db.sql, table, ROWS);
  await runtime.close();
  return (ROWS / (visible - started)) * 1000;
}

/** Sends `rate` rows a second for `seconds`, in 10 ms ticks; returns each row's publish time. */
async function paced(seconds, sendRow, rate = RATE) {
  const publishTimes = [];
  const start = performance.now();
  const total = rate * seconds;
  let i = 0;
  while (i < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
    for (; i < due; i++) {
      publishTimes.push(performance.now());
      await sendRow(i);
    }
    await sleep(5);
  }
  return publishTimes;
}

async function directPaced(db) {
  const table = 'direct_paced';
  await createBenchTable(db.sql, table);
  const sender = await directSender(db.qdb.connection, 1000);
  const track = await trackVisibility(db, table);
  const times = await paced(PACED_SECONDS, async (i) => {
    const v = rowValues(i);
    sender
      .table(table)
      .symbol('device', `d${i % DEVICES}`)
      .floatColumn('power', v.power)
      .floatColumn('energy', v.energy)
      .intColumn('count', v.count)
      .booleanColumn('on', v.on);
    await sender.at(BigInt(T0 + i) * 1000n, 'us');
  });
  await sender.flush();
  await whenQueryable(db.sql, table, times.length);
  await sleep(50);
  await sender.close();
  return track.delays(times);
}

const line = (label, value, extra = '') => console.log(`  ${label.padEnd(44)} ${value}${extra}`);

const db = await startBenchQuestDb();
try {
  console.log(
    `QuestDB ${db.qdb.connection.host}:${db.qdb.connection.httpPort}; ${fmt(ROWS)} rows of a device symbol and 4 values, ` +
      `${DEVICES} devices (MQTT QoS 1: each message acknowledged with a PUBACK)`,
  );
  // QuestDB's JIT warms up over the first few hundred thousand rows; no contender should pay for it.
  await createBenchTable(db.sql, 'warmup');
  await direct(db, 'warmup', 0, 300_000);
  await whenQueryable(db.sql, 'warmup', 300_000);
  const devicePath = await startDevicePath(db, { devices: DEVICES, t0: T0 });
  try {
    const best = { direct: 0, out: 0, device: 0, broker: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      best.direct = Math.max(best.direct, await directThroughput(db, round));
      best.out = Math.max(best.out, await questdbOutThroughput(db, round));
      const d = await devicePath.throughput(ROWS, round);
      best.device = Math.max(best.device, d.rate);
      best.broker = Math.max(best.broker, d.brokerRate);
    }
    console.log(`throughput to queryable (rows/s, best of ${ROUNDS}):`);
    line('direct ILP, one @questdb/nodejs-client', fmt(best.direct));
    line('gridflow flow: questdb out node', fmt(best.out), `   (${(best.out / best.direct).toFixed(2)}x direct)`);
    line(
      'gridflow devices: MQTT -> broker -> storage',
      fmt(best.device),
      `   (${(best.device / best.direct).toFixed(2)}x direct, target >= 0.5x)`,
    );
    line('  broker alone (until all PUBACKs are back)', fmt(best.broker));

    console.log(`delay publish -> queryable at ${fmt(RATE)} rows/s for ${PACED_SECONDS} s:`);
    const d = await directPaced(db);
    line('direct ILP (flush every 100 ms or 1000 rows)', `p50 ${ms(percentile(d, 50))}, p99 ${ms(percentile(d, 99))}`);
    const g = await devicePath.paced(PACED_SECONDS, RATE, 0);
    line(
      'gridflow devices: MQTT -> broker -> storage',
      `p50 ${ms(percentile(g.delays, 50))}, p99 ${ms(percentile(g.delays, 99))}`,
      `   (target p99 < 1000 ms; ${fmt(g.stored)} of ${fmt(g.sent)} stored)`,
    );
    line(
      '  of which publish -> PUBACK (broker)',
      `p50 ${ms(percentile(g.ackDelays, 50))}, p99 ${ms(percentile(g.ackDelays, 99))}`,
    );
    // At half the rate the broker is not the limit, which shows the storage's own share of the delay.
    const h = await devicePath.paced(PACED_SECONDS, RATE / 2, 1);
    line(
      `gridflow devices at ${fmt(RATE / 2)} rows/s`,
      `p50 ${ms(percentile(h.delays, 50))}, p99 ${ms(percentile(h.delays, 99))}`,
      `   (PUBACK p99 ${ms(percentile(h.ackDelays, 99))})`,
    );
  } finally {
    await devicePath.close();
  }
} finally {
  await db.close();
}
