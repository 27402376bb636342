// The flows both runtimes execute, as Node-RED flows.json. Markers printed with console.log
// (BENCH_START / BENCH_DONE / BENCH_LAT) are read by the harness.

const tab = (id) => ({ id, type: 'tab', label: id });
const inject = (z, wires) => ({ id: `${z}-inject`, type: 'inject', z, props: [{ p: 'payload' }], payload: '', payloadType: 'date', repeat: '', crontab: '', once: true, onceDelay: '0.5', topic: '', wires: [wires] });
/**
 * A line every thousandth of the run, so that a runtime that does not finish in its time limit
 * still gives a measured (partial) rate: `BENCH_PROGRESS <messages> <epoch ms>`.
 */
const progress = (count, n) => `if (${count} % ${Math.max(1, Math.floor(n / 1000))} === 0) console.log('BENCH_PROGRESS ' + ${count} + ' ' + Date.now());`;
const fn = (z, id, func, outputs = 1, wires = [[]]) => ({ id: `${z}-${id}`, type: 'function', z, name: id, func, outputs, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], wires });

/** (a) a burst of N messages through function → change → switch → function. */
export function burstFlow(n) {
  const z = 'burst';
  const gen = `
console.log('BENCH_START ' + Date.now());
for (let i = 0; i < ${n}; i++) {
  node.send({ payload: { i, v: i * 0.5, name: 'sensor-' + (i % 100) } });
  if (i % 1000 === 999) await new Promise((r) => setTimeout(r, 0));
}
return null;`;
  const f1 = `msg.payload.v2 = msg.payload.v * 2; return msg;`;
  const f2 = `const c = (context.get('c') || 0) + 1; context.set('c', c); ${progress('c', n)} if (c === ${n}) console.log('BENCH_DONE ' + Date.now()); return null;`;
  return [
    tab(z),
    inject(z, [`${z}-gen`]),
    fn(z, 'gen', gen, 1, [[`${z}-f1`]]),
    fn(z, 'f1', f1, 1, [[`${z}-change`]]),
    { id: `${z}-change`, type: 'change', z, name: '', rules: [{ t: 'set', p: 'topic', pt: 'msg', to: 'bench', tot: 'str' }], action: '', property: '', from: '', to: '', reg: false, wires: [[`${z}-switch`]] },
    { id: `${z}-switch`, type: 'switch', z, name: '', property: 'payload.i', propertyType: 'msg', rules: [{ t: 'gte', v: '0', vt: 'num' }, { t: 'else' }], checkall: 'false', repair: false, outputs: 2, wires: [[`${z}-f2`], []] },
    fn(z, 'f2', f2, 1, [[]]),
  ];
}

/** (b) one source fanned out to four branches with a ~1 KB payload. */
export function fanoutFlow(n) {
  const z = 'fanout';
  const gen = `
const values = Array.from({ length: 120 }, (_, k) => k * 1.5);
console.log('BENCH_START ' + Date.now());
for (let i = 0; i < ${n}; i++) {
  node.send({ payload: { i, values, site: 'plant-1', line: 'A' } });
  if (i % 1000 === 999) await new Promise((r) => setTimeout(r, 0));
}
return null;`;
  // Branch 1 reports progress for all four: the branches run in step.
  const branch = (k) => fn(z, `b${k}`, `const c = (context.get('c') || 0) + 1; context.set('c', c); ${k === 1 ? progress('c', n) : ''} if (c === ${n}) { const d = (flow.get('done') || 0) + 1; flow.set('done', d); if (d === 4) console.log('BENCH_DONE ' + Date.now()); } return null;`);
  return [tab(z), inject(z, [`${z}-gen`]), fn(z, 'gen', gen, 1, [[1, 2, 3, 4].map((k) => `${z}-b${k}`)]), ...[1, 2, 3, 4].map(branch)];
}

/** (c) a steady rate for a duration through five nodes, with per-message latency. */
export function steadyFlow(rate, seconds) {
  const z = 'steady';
  const perTick = Math.round(rate / 100);
  const gen = `
const perf = global.get('perf');
const total = ${rate * seconds};
let sent = 0;
console.log('BENCH_START ' + Date.now());
const start = perf.now();
const timer = setInterval(() => {
  // Catch up to the schedule, so a late timer does not lower the rate.
  const due = Math.min(total, Math.floor(((perf.now() - start) / 1000) * ${rate}));
  while (sent < due) { node.send({ payload: { i: sent, v: sent * 0.5 }, t0: perf.now() }); sent++; }
  if (sent >= total) clearInterval(timer);
}, 10);
return null;`;
  const sink = `
const perf = global.get('perf');
let lat = context.get('lat');
if (!lat) { lat = []; context.set('lat', lat); }
lat.push(perf.now() - msg.t0);
${progress('lat.length', rate * seconds)}
if (lat.length === ${rate * seconds}) {
  lat.sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
  console.log('BENCH_LAT ' + q(0.5).toFixed(3) + ' ' + q(0.99).toFixed(3));
  console.log('BENCH_DONE ' + Date.now());
}
return null;`;
  void perTick;
  return [
    tab(z),
    inject(z, [`${z}-gen`]),
    fn(z, 'gen', gen, 1, [[`${z}-f1`]]),
    fn(z, 'f1', `msg.payload.v2 = msg.payload.v * 2; return msg;`, 1, [[`${z}-change`]]),
    { id: `${z}-change`, type: 'change', z, name: '', rules: [{ t: 'set', p: 'topic', pt: 'msg', to: 'bench', tot: 'str' }], wires: [[`${z}-switch`]] },
    { id: `${z}-switch`, type: 'switch', z, name: '', property: 'payload.i', propertyType: 'msg', rules: [{ t: 'gte', v: '0', vt: 'num' }], checkall: 'true', repair: false, outputs: 1, wires: [[`${z}-f2`]] },
    fn(z, 'f2', `msg.payload.ok = true; return msg;`, 1, [[`${z}-sink`]]),
    fn(z, 'sink', sink, 1, [[]]),
  ];
}
