// A PostgreSQL → QuestDB ETL job: Gridflow's own nodes (schedule → sql in, paged through a cursor →
// sql out over ILP → back to the schedule) side by side with a minimal direct script (pg cursor →
// @questdb/nodejs-client) copying the same rows. Rows per second (start to every row queryable in
// QuestDB) and RSS sampled over the run, which must stay flat as the table grows.
// Build first (npx tsc -b), then: node bench/etl-job.mjs   (BENCH_QUICK=1: 1,000,000 rows;
// BENCH_ETL_ROWS=n for any other size). Each contender runs in a process of its own, so that its
// RSS is its own.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const CHILD = process.env.GRIDFLOW_ETL_CHILD;
const PAGE = 5000;
const T0 = Date.UTC(2026, 0, 1);
const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };
const mb = (bytes) => `${Math.round(bytes / 2 ** 20)} MB`;
const fmt = (n) => Math.round(n).toLocaleString('en-US');

/** RSS every 100 ms; `line()` describes the run so far for the progress lines. */
function rssSampler() {
  const samples = []; // [rows done, rss] at each progress line
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 100);
  return {
    note(rows) {
      const rss = process.memoryUsage.rss();
      peak = Math.max(peak, rss);
      samples.push([rows, rss]);
      return rss;
    },
    stop() {
      clearInterval(timer);
      return { peak: Math.max(peak, process.memoryUsage.rss()), samples };
    },
  };
}

/** Prints "rows, rows/s, RSS" every 2 s of the contender's run. */
function progress(label, total, rowsDone, sampler) {
  const started = performance.now();
  let last = { t: started, rows: 0 };
  const timer = setInterval(() => {
    const now = performance.now();
    const rows = rowsDone();
    const rss = sampler.note(rows);
    const pct = ((rows / total) * 100).toFixed(0).padStart(3);
    const rate = ((rows - last.rows) / (now - last.t)) * 1000;
    console.log(`  [${label}] ${pct}%  ${fmt(rows).padStart(11)} rows  ${fmt(rate).padStart(9)} rows/s  RSS ${mb(rss)}`);
    last = { t: now, rows };
  }, 2000);
  return () => clearInterval(timer);
}

// ---------------------------------------------------------------- contenders (child processes)

/** Gridflow: the job as a flow in a real runtime, with the job tracker the server uses. */
async function gridflowJob({ qdb, source, table, rows }) {
  const { createRegistry, createRuntime } = await import('@gridflow/runtime');
  const { createJobTracker, etlNodes, jobsKey } = await import('@gridflow/nodes/etl');
  let written = 0;
  let ended;
  const finished = new Promise((resolve) => (ended = resolve));
  const tracker = createJobTracker({
    progressIntervalMs: 250,
    onRun(run, change) {
      written = run.rowsWritten;
      if (change === 'end') ended(run);
    },
  });
  const runtime = createRuntime({ registry: createRegistry(etlNodes), services: { [jobsKey.name]: tracker }, metricsIntervalMs: 0 });
  const sampler = rssSampler();
  const stopProgress = progress('gridflow', rows, () => written, sampler);
  const started = Date.now();
  await runtime.deploy([
    { id: 'tab', type: 'tab', label: 'etl bench' },
    { id: 'src', type: 'sql-connection', driver: 'postgres', ...PG },
    { id: 'dst', type: 'sql-connection', driver: 'questdb', host: qdb.host, port: qdb.pgPort, httpPort: qdb.httpPort, user: qdb.user, password: qdb.password },
    { id: 'job', type: 'schedule', z: 'tab', name: 'pg to questdb', kind: 'interval', interval: 86400, timeout: 0, runOnStart: true, wires: [['read']] },
    { id: 'read', type: 'sql in', z: 'tab', connection: 'src', sql: `SELECT ts, device, value, n FROM ${source}`, output: 'page', pageSize: PAGE, wires: [['write']] },
    { id: 'write', type: 'sql out', z: 'tab', connection: 'dst', table, wires: [['job']] },
  ]);
  const run = await finished;
  const done = Date.now();
  stopProgress();
  const mem = sampler.stop();
  await runtime.close();
  if (run.status !== 'succeeded' || run.rowsWritten !== rows) {
    throw new Error(`gridflow job run ${run.id}: ${run.status}, ${run.rowsRead} read, ${run.rowsWritten} written: ${run.error ?? JSON.stringify(run.errors.slice(0, 3))}`);
  }
  return { started, done, ...mem };
}

/** The baseline: what a person would write by hand, one cursor page at a time into one ILP sender. */
async function directJob({ qdb, source, table, rows }) {
  const { default: Cursor } = await import('pg-cursor');
  const { Sender } = await import('@questdb/nodejs-client');
  let written = 0;
  const sampler = rssSampler();
  const stopProgress = progress('direct', rows, () => written, sampler);
  const started = Date.now();
  const client = new pg.Client(PG);
  await client.connect();
  const sender = await Sender.fromConfig(
    `http::addr=${qdb.host}:${qdb.httpPort};username=${qdb.user};password=${qdb.password};auto_flush=off;protocol_version=2`,
  );
  const cursor = client.query(new Cursor(`SELECT ts, device, value, n FROM ${source}`));
  for (;;) {
    const page = await cursor.read(PAGE);
    for (const r of page) {
      sender.table(table).symbol('device', r.device).floatColumn('value', r.value).intColumn('n', r.n);
      await sender.at(BigInt(r.ts.getTime()) * 1000n, 'us');
    }
    if (page.length) await sender.flush();
    written += page.length;
    if (page.length < PAGE) break;
  }
  await cursor.close();
  const done = Date.now();
  stopProgress();
  const mem = sampler.stop();
  await sender.close();
  await client.end();
  return { started, done, ...mem };
}

if (CHILD) {
  const job = JSON.parse(process.env.GRIDFLOW_ETL_JOB);
  try {
    const cpu0 = process.cpuUsage();
    const result = await (CHILD === 'gridflow' ? gridflowJob(job) : directJob(job));
    const cpu = process.cpuUsage(cpu0);
    process.send({ ok: true, result: { ...result, cpuSeconds: (cpu.user + cpu.system) / 1e6 } });
  } catch (err) {
    process.send({ ok: false, error: err.stack ?? String(err) });
  }
  process.disconnect();
} else {
  await main();
}

// ---------------------------------------------------------------- the parent: set up, run, compare

function runChild(name, job) {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], {
      env: { ...process.env, GRIDFLOW_ETL_CHILD: name, GRIDFLOW_ETL_JOB: JSON.stringify(job) },
      execArgv: process.env.BENCH_ETL_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_ETL_PROF}`] : [],
    });
    let answer;
    child.on('message', (m) => (answer = m));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (answer?.ok) resolve(answer.result);
      else reject(new Error(`${name}: ${answer?.error ?? `exited with code ${code}`}`));
    });
  });
}

async function main() {
  const rows = Number(process.env.BENCH_ETL_ROWS ?? (process.env.BENCH_QUICK ? 1_000_000 : 10_000_000));
  const { startBenchQuestDb, whenQueryable } = await import('./questdb-lib.mjs');
  const source = `bench_etl_src_${process.pid}`;
  const db = new pg.Pool({ ...PG, max: 1 });
  console.log(`PostgreSQL → QuestDB ETL job, ${fmt(rows)} rows, pages of ${fmt(PAGE)}, node ${process.version}`);
  let qdb;
  try {
    let t = performance.now();
    await db.query(`CREATE TABLE ${source} (ts timestamptz NOT NULL, device text NOT NULL, value double precision, n integer)`);
    // generate_series in the server: seeding 10 M rows takes seconds, not the minutes of inserts.
    await db.query(
      `INSERT INTO ${source} SELECT to_timestamp(${T0 / 1000}) + g * interval '10 milliseconds', 'dev' || (g % 100), (g % 10000) / 10.0, g::int
       FROM generate_series(1, ${rows}) AS g`,
    );
    await db.query(`ANALYZE ${source}`);
    console.log(`seeded ${source} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
    qdb = await startBenchQuestDb();
    console.log(`QuestDB started in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const results = {};
    for (const name of ['gridflow', 'direct']) {
      const table = `etl_${name}`;
      await qdb.sql.query(`CREATE TABLE ${table} (ts TIMESTAMP, device SYMBOL, value DOUBLE, n LONG) TIMESTAMP(ts) PARTITION BY DAY WAL`);
      console.log(`${name}:`);
      const c = qdb.qdb.connection;
      const r = await runChild(name, { qdb: { host: c.host, pgPort: c.pgPort, httpPort: c.httpPort, user: c.user, password: c.password }, source, table, rows });
      // Rows count once QuestDB has applied them (WAL), not when the last request was accepted.
      const queryable = performance.timeOrigin + (await whenQueryable(qdb.sql, table, rows, 600_000));
      const seconds = (queryable - r.started) / 1000;
      results[name] = { ...r, seconds, rate: rows / seconds };
      console.log(
        `  [${name}] done: ${fmt(rows)} rows sent in ${((r.done - r.started) / 1000).toFixed(1)} s, queryable after ${seconds.toFixed(1)} s ` +
          `= ${fmt(rows / seconds)} rows/s, peak RSS ${mb(r.peak)}, ${r.cpuSeconds.toFixed(1)} s CPU`,
      );
    }
    report(results, rows);
  } finally {
    await db.query(`DROP TABLE IF EXISTS ${source}`);
    await db.end();
    await qdb?.close();
  }
}

/** RSS over the run: the first sample after the first 10 % of the rows against the last one. */
function flatness(samples, rows) {
  const warm = samples.find(([n]) => n >= rows * 0.1) ?? samples[0];
  const last = samples[samples.length - 1];
  if (!warm || !last || warm === last) return 'too short to tell';
  const growth = last[1] - warm[1];
  return `${mb(warm[1])} at ${fmt(warm[0])} rows → ${mb(last[1])} at ${fmt(last[0])} rows (${growth >= 0 ? '+' : ''}${mb(growth)})`;
}

function report(results, rows) {
  const g = results.gridflow;
  const d = results.direct;
  const line = (name, r) =>
    console.log(
      `${name.padEnd(44)} ${fmt(r.rate).padStart(10)} rows/s  ${(r.seconds.toFixed(1) + ' s').padStart(8)}  peak RSS ${mb(r.peak).padStart(7)}  ` +
        `CPU ${((r.cpuSeconds / rows) * 1e6).toFixed(1)} µs/row`,
    );
  console.log(`\n${fmt(rows)} rows PostgreSQL → QuestDB, start to every row queryable:`);
  line('gridflow: schedule → sql in → sql out (ILP)', g);
  line('direct: pg cursor → @questdb/nodejs-client', d);
  console.log(
    `ratio gridflow / direct: ${(g.rate / d.rate).toFixed(2)} (rows/s), ${(g.peak / d.peak).toFixed(2)} (peak RSS), ` +
      `${(g.cpuSeconds / d.cpuSeconds).toFixed(2)} (CPU per row, in the copying process; PostgreSQL and QuestDB not counted)`,
  );
  console.log(`gridflow RSS over the run: ${flatness(g.samples, rows)}`);
  console.log(`direct RSS over the run:   ${flatness(d.samples, rows)}`);
}
