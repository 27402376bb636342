// Benchmark: the same flows.json in Gridflow and in Node-RED 4.1, separate processes, one run.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { burstFlow, fanoutFlow, steadyFlow } from './flows.mjs';
import { fmt, mb, runChild } from '../lib/child.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const quick = process.env.BENCH_QUICK === '1';
const N = quick ? 100_000 : 1_000_000;
const RATE = 20_000;
const SECONDS = quick ? 5 : 30;

const systems = {
  gridflow: (file) => ({ command: process.execPath, args: [join(here, 'gridflow-child.mjs'), file] }),
  'node-red': (file, dir) => ({ command: process.execPath, args: [join(here, 'node-red-child.cjs'), file, dir] }),
};

async function measure(system, flows, timeoutMs) {
  const dir = mkdtempSync(join(tmpdir(), `bench-${system}-`));
  const file = join(dir, 'flows.json');
  writeFileSync(file, JSON.stringify(flows));
  const res = await runChild({ ...systems[system](file, dir), cwd: root, until: (l) => l.some((x) => x.startsWith('BENCH_DONE')), timeoutMs });
  const start = Number(res.lines.find((l) => l.startsWith('BENCH_START'))?.split(' ')[1]);
  const done = Number(res.lines.find((l) => l.startsWith('BENCH_DONE'))?.split(' ')[1]);
  const lat = res.lines.find((l) => l.startsWith('BENCH_LAT'))?.split(' ').slice(1).map(Number);
  if (res.reason !== 'done') {
    // A runtime that runs out of time is measured on what it finished: its last progress line.
    const last = res.lines.filter((l) => l.startsWith('BENCH_PROGRESS')).pop()?.split(' ').map(Number);
    if (last && Number.isFinite(start) && last[2] > start) {
      const seconds = (last[2] - start) / 1000;
      return { seconds, count: last[1], peakRss: res.peakRss, lat, partial: `${res.reason} after ${fmt(timeoutMs / 1000)} s, ${fmt(last[1])} messages done` };
    }
    console.error(`  ${system}: did not finish (${res.reason})\n${res.stderr.slice(-2000)}`);
    return undefined;
  }
  return { seconds: (done - start) / 1000, peakRss: res.peakRss, lat };
}

const cases = [
  { name: `(a) burst ${fmt(N)} msgs: function → change → switch → function`, flows: burstFlow(N), count: N, timeoutMs: 300_000 },
  { name: `(b) fan-out to 4 branches, ~1 KB payload, ${fmt(N)} msgs`, flows: fanoutFlow(N), count: N, timeoutMs: 300_000 },
  { name: `(c) steady ${fmt(RATE)} msg/s for ${SECONDS} s through 5 nodes`, flows: steadyFlow(RATE, SECONDS), count: RATE * SECONDS, timeoutMs: (SECONDS + 60) * 1000 },
];

console.log('\nRuntime: Gridflow vs Node-RED 4.1 (same flows.json, separate processes)');
const results = [];
for (const c of cases) {
  console.log(`\n${c.name}`);
  const row = { name: c.name };
  for (const system of Object.keys(systems)) {
    process.stdout.write(`  running ${system}... `);
    const r = await measure(system, c.flows, c.timeoutMs);
    if (!r) continue;
    const rate = (r.count ?? c.count) / r.seconds;
    row[system] = { ...r, rate };
    const lat = r.lat ? `, latency p50 ${fmt(r.lat[0], 2)} ms p99 ${fmt(r.lat[1], 2)} ms` : '';
    const partial = r.partial ? ` (did not finish: ${r.partial}; rate of those)` : '';
    console.log(`${fmt(rate)} msg/s, peak RSS ${mb(r.peakRss)}${lat}${partial}`);
  }
  const g = row.gridflow;
  const n = row['node-red'];
  if (g && n) {
    const note = g.partial || n.partial ? ' (from a partial run, see above)' : '';
    console.log(`  ratio: ${fmt(g.rate / n.rate, 1)}x msg/s, RSS ${fmt((g.peakRss / n.peakRss) * 100)}% of Node-RED's${note}`);
  }
  results.push(row);
}
export default results;
