// The edge agent as shipped (one bundle): idle RSS and start-to-first-message with a 50-node flow
// beside Node-RED 4.1; upstream throughput through the disk queue with the link up; drain time of a
// 10-minute backlog.
// Build first (`npm run build`), then: node bench/edge.mjs   (BENCH_QUICK=1: smaller runs)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as netServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createRegistry, defineNode } from '@gridflow/runtime';
import { allNodes } from '@gridflow/nodes';
import { openDiskQueue } from '../edge-package/dist/disk-queue.js';
import { bundleAgent } from '../edge-package/scripts/bundle.mjs';
import { configSchema, createServer, silentLogger } from '../server/dist/index.js';
import { edgeModule } from '../server/dist/edges/edge-module.js';
import { currentRss, fmt, mb } from './lib/child.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const quick = process.env.BENCH_QUICK === '1';
// The agent as shipped (`npm run build:edge` packs this same bundle and launcher), built here from
// the fresh dist; the workspace's unbundled dist is measured beside it for the idle footprint.
const shippedDir = join(root, 'edge-package', 'release', 'bench');
await bundleAgent(shippedDir);
const edgeBin = join(shippedDir, 'bin', 'gridflow-edge.mjs');
const distBin = join(root, 'edge-package', 'bin', 'gridflow-edge.mjs');
// BENCH_EDGE_BASELINE_BIN=/path/to/gridflow-edge.mjs: another build of the agent (an older commit)
// measured in the same run, for before/after figures.
const baselineBin = process.env.BENCH_EDGE_BASELINE_BIN;
// BENCH_EDGE_NODE_ARGS='--optimize-for-size': Node/V8 flags for the agent process only, to weigh
// memory against throughput (both halves report with the same flags).
const agentNodeArgs = (process.env.BENCH_EDGE_NODE_ARGS ?? '').split(' ').filter(Boolean);
/** The V8 flags the launcher sets on itself (v8.setFlagsFromString) before the agent loads, and after it runs. */
const flagsIn = (text) => [...text.matchAll(/setFlagsFromString\('([^']+)'\)/g)].map((m) => m[1]).join(' ');
const [launcherStart, launcherAfter] = readFileSync(distBin, 'utf8').split('await import(');
const THROUGHPUT_N = quick ? 100_000 : 400_000;
const BACKLOG_MINUTES = quick ? 1 : 10;
const BACKLOG_RATE = 1000; // msg/s that built the backlog: a 10-minute outage at 1,000 msg/s
const PASSWORD = 'bench-admin-password';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** CPU seconds (user + system) a live process has used: a throughput figure less shaken by a busy machine. */
const cpuSeconds = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const freePort = () =>
  new Promise((resolve) => {
    const s = netServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** Spawns a command; `lineOf(pattern)` resolves with the first stdout/stderr line matching it. */
function start(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  const waiters = [];
  const onData = (d) => {
    for (const line of String(d).split('\n')) {
      if (!line) continue;
      lines.push(line);
      for (const w of [...waiters]) {
        if (!w.pattern.test(line)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return {
    child,
    lines,
    lineOf(pattern, timeoutMs = 60_000) {
      const found = lines.find((l) => pattern.test(l));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = { pattern, resolve };
        waiters.push(w);
        setTimeout(
          () => reject(new Error(`no line ${pattern} within ${timeoutMs} ms:\n${lines.slice(-20).join('\n')}`)),
          timeoutMs,
        ).unref();
      });
    },
    stop: (signal = 'SIGKILL') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill(signal);
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// (1) Idle RSS and start → first message, 50-node flow, edge agent vs Node-RED.
const IDLE_SETTLE_S = Math.max(5, Number(process.env.BENCH_IDLE_SETTLE_S ?? 60));

/** inject → 48 change nodes → function printing the first message's arrival: 50 nodes. */
function fiftyNodeFlow() {
  const z = 'fifty';
  const nodes = [{ id: z, type: 'tab', label: 'fifty', target: 'edge' }];
  const id = (i) => `${z}-n${i}`;
  nodes.push({
    id: id(0),
    type: 'inject',
    z,
    props: [{ p: 'payload' }],
    payload: '1',
    payloadType: 'num',
    repeat: '',
    crontab: '',
    once: true,
    onceDelay: '0',
    topic: '',
    wires: [[id(1)]],
  });
  for (let i = 1; i <= 48; i++) {
    nodes.push({
      id: id(i),
      type: 'change',
      z,
      name: '',
      rules: [{ t: 'set', p: `step${i % 5}`, pt: 'msg', to: String(i), tot: 'num' }],
      action: '',
      property: '',
      from: '',
      to: '',
      reg: false,
      wires: [[id(i + 1)]],
    });
  }
  nodes.push({
    id: id(49),
    type: 'function',
    z,
    name: 'first',
    func: "console.log('BENCH_FIRST ' + Date.now()); return null;",
    outputs: 1,
    timeout: 0,
    noerr: 0,
    initialize: '',
    finalize: '',
    libs: [],
    wires: [[]],
  });
  return nodes;
}

async function startupCase(system, flows) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-edge-startup-'));
  let proc;
  const t0 = Date.now();
  if (system !== 'node-red') {
    // An enrolled edge whose server is unreachable: it starts its saved deployment on its own.
    const port = await freePort();
    writeFileSync(
      join(dir, 'identity.json'),
      JSON.stringify({
        edgeId: 'bench',
        credential: 'c'.repeat(43),
        name: 'bench',
        server: `http://127.0.0.1:${port}`,
      }),
    );
    writeFileSync(join(dir, 'deployment.json'), JSON.stringify({ rev: 'bench', flows, type: 'full' }));
    const bin = system === 'gridflow-edge' ? edgeBin : system.includes('baseline') ? baselineBin : distBin;
    proc = start(process.execPath, [...agentNodeArgs, bin, '--server', `http://127.0.0.1:${port}`, '--data', dir]);
  } else {
    const file = join(dir, 'flows.json');
    writeFileSync(
      file,
      JSON.stringify(flows.map((n) => (n.type === 'tab' ? { id: n.id, type: 'tab', label: n.label } : n))),
    );
    proc = start(process.execPath, [join(here, 'edge-node-red-child.cjs'), file, dir]);
  }
  try {
    const first = Number((await proc.lineOf(/^BENCH_FIRST /)).split(' ')[1]);
    // Idle RSS once settled: V8's memory reducer shrinks an idle heap some 20-40 s after the last
    // activity (Node-RED drops from ~110 to ~90 MB then), so a sample taken seconds after the
    // first message flatters whichever side has not been reduced yet. Both sides get the same wait.
    await sleep(5000);
    const earlyRss = currentRss(proc.child.pid);
    await sleep(IDLE_SETTLE_S * 1000 - 5000);
    return { firstMs: first - t0, earlyRss, idleRss: currentRss(proc.child.pid) };
  } finally {
    await proc.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// (2) and (3): a real server with the edges module and a counting `edge in` → sink flow.

function counter() {
  const state = { count: 0, first: 0, last: 0, backfill: 0 };
  const node = defineNode({
    type: 'bench-count',
    category: 'core',
    inputs: 1,
    outputs: 0,
    config: z.object({}).passthrough(),
    create: () => ({
      input(msg) {
        const now = Date.now();
        if (state.count === 0) state.first = now;
        state.count++;
        state.last = now;
        if (msg.edge?.backfill) state.backfill++;
      },
    }),
  });
  return { node, state, reset: () => Object.assign(state, { count: 0, first: 0, last: 0, backfill: 0 }) };
}

async function api(url, cookie, method, path, body) {
  const res = await fetch(url + path, {
    method,
    headers: { cookie, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const generator = (n) => `
console.log('BENCH_START ' + Date.now());
for (let i = 0; i < ${n}; i++) {
  node.send({ payload: { i, v: i * 0.5 } });
  if (i % 1000 === 999) await new Promise((r) => setTimeout(r, 0));
}
return null;`;

const cloudTab = [
  { id: 'cloud', type: 'tab', label: 'Cloud' },
  { id: 'in', type: 'edge in', z: 'cloud', edges: [], channel: '', backfill: true, wires: [['count']] },
  { id: 'count', type: 'bench-count', z: 'cloud', wires: [] },
];
const edgeTab = (edgeId, extra) => [
  { id: 'plant', type: 'tab', label: 'Plant', target: 'edge', edges: [edgeId] },
  ...extra,
];

async function waitFor(check, timeoutMs, what, proc) {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end)
      throw new Error(
        `timed out waiting for ${what}${proc ? `; the agent said:\n${proc.lines.slice(-20).join('\n')}` : ''}`,
      );
    await sleep(20);
  }
}

async function upstreamCases() {
  const count = counter();
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-edge-server-'));
  const config = configSchema.parse({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    adminPassword: PASSWORD,
    logLevel: 'error',
  });
  const server = await createServer(config, {
    logger: silentLogger,
    registry: createRegistry([...allNodes, count.node]),
    modules: [edgeModule()],
  });
  const { url } = await server.listen();
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  const cookie = (login.headers.getSetCookie()[0] ?? '').split(';')[0];
  const { token } = await api(url, cookie, 'POST', '/api/edges/enrollments', { name: 'bench-edge' });
  const edgeDir = mkdtempSync(join(tmpdir(), 'bench-edge-agent-'));
  const results = {};
  let edge = start(process.execPath, [...agentNodeArgs, edgeBin, '--server', url, '--token', token, '--data', edgeDir]);
  try {
    await edge.lineOf(/connected to/);
    const { edges } = await api(url, cookie, 'GET', '/api/edges');
    const edgeId = edges[0].id;

    // (2) Link up: a burst through cloud out → disk queue → socket → dedup → edge in.
    const gen = {
      id: 'gen',
      type: 'function',
      z: 'plant',
      func: generator(THROUGHPUT_N),
      outputs: 1,
      timeout: 0,
      wires: [['up']],
    };
    const go = {
      id: 'go',
      type: 'inject',
      z: 'plant',
      props: [{ p: 'payload' }],
      payload: '',
      payloadType: 'date',
      once: true,
      onceDelay: 0.2,
      repeat: '',
      wires: [['gen']],
    };
    const up = { id: 'up', type: 'cloud out', z: 'plant', channel: 'bench', wires: [] };
    await api(url, cookie, 'POST', '/api/deploy', {
      flows: [...cloudTab, ...edgeTab(edgeId, [go, gen, up])],
      type: 'full',
    });
    const started = Number((await edge.lineOf(/^BENCH_START /, 30_000)).split(' ')[1]);
    const cpuAtStart = cpuSeconds(edge.child.pid);
    await waitFor(
      () => count.state.count >= THROUGHPUT_N,
      300_000,
      `${THROUGHPUT_N} messages upstream (have ${count.state.count})`,
      edge,
    );
    results.throughput = {
      n: THROUGHPUT_N,
      seconds: (count.state.last - started) / 1000,
      agentCpu: cpuSeconds(edge.child.pid) - cpuAtStart,
    };

    // (3) A backlog: an empty edge tab (nothing new is produced), the agent stopped, the queue filled.
    await api(url, cookie, 'POST', '/api/deploy', {
      flows: [...cloudTab, ...edgeTab(edgeId, [{ id: 'idle', type: 'comment', z: 'plant', name: 'idle' }])],
      type: 'full',
    });
    await edge.lineOf(/running deployment .*$/);
    await sleep(500);
    await edge.stop('SIGTERM');
    const backlog = BACKLOG_MINUTES * 60 * BACKLOG_RATE;
    const queue = openDiskQueue({ file: join(edgeDir, 'upstream.db'), limit: 5_000_000 });
    const t = Date.now() - BACKLOG_MINUTES * 60_000;
    for (let i = 0; i < backlog; i += 10_000) {
      queue.append(
        Array.from({ length: Math.min(10_000, backlog - i) }, (_, k) => ({
          time: t + (i + k),
          channel: 'bench',
          msg: { payload: { i: i + k, v: (i + k) * 0.5 } },
        })),
      );
    }
    queue.close();
    count.reset();
    for (const [label, rate] of [
      ['bounded at the default 10,000 msg/s', 10_000],
      ['unbounded (--backfill-rate 1000000)', 1_000_000],
    ]) {
      if (label.startsWith('unbounded')) {
        // Refill for the second run: the first drained the queue.
        await edge.stop('SIGTERM');
        const q = openDiskQueue({ file: join(edgeDir, 'upstream.db'), limit: 5_000_000 });
        for (let i = 0; i < backlog; i += 10_000)
          q.append(
            Array.from({ length: Math.min(10_000, backlog - i) }, (_, k) => ({
              time: t + i + k,
              channel: 'bench',
              msg: { payload: { i: i + k } },
            })),
          );
        q.close();
        count.reset();
      }
      const t0 = Date.now();
      edge = start(process.execPath, [
        ...agentNodeArgs,
        edgeBin,
        '--server',
        url,
        '--data',
        edgeDir,
        '--backfill-rate',
        String(rate),
      ]);
      await waitFor(
        () => count.state.count >= backlog,
        Math.max(60_000, (backlog / rate) * 3000),
        `the backlog of ${backlog}`,
        edge,
      );
      results[label] = { n: backlog, seconds: (count.state.last - t0) / 1000, backfill: count.state.backfill };
    }
  } finally {
    await edge.stop();
    await server.close();
  }
  return results;
}

// ---------------------------------------------------------------------------------------------

// BENCH_EDGE_PARTS=startup or =upstream runs one half.
const parts = (process.env.BENCH_EDGE_PARTS ?? 'startup,upstream').split(',');
const startup = {};
console.log(
  `\nAgent V8 flags, set by the gridflow-edge launcher on itself: ${flagsIn(launcherStart)} while it starts,` +
    ` ${flagsIn(launcherAfter)} once the saved deployment runs; extra Node flags (BENCH_EDGE_NODE_ARGS): ${agentNodeArgs.join(' ') || 'none'}`,
);
if (parts.includes('startup'))
  console.log(
    '\nEdge agent vs Node-RED 4.1: the same 50-node flow (inject → 48 change → function), separate processes',
  );
const systems = [
  'gridflow-edge',
  'gridflow-edge, workspace dist (unbundled, as in a checkout)',
  ...(baselineBin ? [`gridflow-edge, baseline ${baselineBin}`] : []),
  'node-red',
];
for (const system of parts.includes('startup') ? systems : []) {
  process.stdout.write(`  ${system}: `);
  try {
    startup[system] = await startupCase(system, fiftyNodeFlow());
    console.log(
      `start → first message ${fmt(startup[system].firstMs)} ms, idle RSS ${mb(startup[system].idleRss)} after ${IDLE_SETTLE_S} s (${mb(startup[system].earlyRss)} at 5 s)`,
    );
  } catch (err) {
    console.log(`failed: ${err.message}`);
  }
}
if (startup['gridflow-edge'] && startup['node-red']) {
  const ratio = startup['gridflow-edge'].idleRss / startup['node-red'].idleRss;
  console.log(
    `  idle RSS ratio edge (as shipped) / Node-RED: ${fmt(ratio * 100)} % (target ≤ 60 %: ${ratio <= 0.6 ? 'met' : 'NOT met'})`,
  );
  for (const system of systems.slice(1, -1)) {
    const other = startup[system];
    if (other)
      console.log(
        `  idle RSS ratio ${system} / Node-RED: ${fmt((other.idleRss / startup['node-red'].idleRss) * 100)} %`,
      );
  }
}

if (parts.includes('upstream')) {
  console.log('\nUpstream through the disk queue (real server, agent as its own process)');
  const up = await upstreamCases();
  const rate = up.throughput.n / up.throughput.seconds;
  console.log(
    `  link up: ${fmt(up.throughput.n)} msgs in ${fmt(up.throughput.seconds, 2)} s = ${fmt(rate)} msg/s (target ≥ 20,000: ${rate >= 20_000 ? 'met' : 'NOT met'}); the agent used ${fmt(up.throughput.agentCpu, 2)} s of CPU = ${fmt(up.throughput.n / up.throughput.agentCpu)} msg per CPU-second`,
  );
  for (const [label, r] of Object.entries(up)) {
    if (label === 'throughput') continue;
    console.log(
      `  drain a ${BACKLOG_MINUTES}-minute backlog (${fmt(r.n)} msgs at ${fmt(BACKLOG_RATE)} msg/s), ${label}: ${fmt(r.seconds, 1)} s = ${fmt(r.n / r.seconds)} msg/s, ${fmt(r.backfill)} marked back-fill`,
    );
  }
}
