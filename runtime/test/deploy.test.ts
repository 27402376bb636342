import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineNode } from '../src/index.js';
import { settle, startHarness } from './harness.js';

// Counts messages in node state, so a restart is visible as a reset count.
const counter = defineNode({
  type: 'counter',
  category: 'core',
  inputs: 1,
  outputs: 1,
  config: z.object({ label: z.string().optional() }),
  create: () => {
    let n = 0;
    return { input: (msg, send) => send({ ...msg, payload: ++n }) };
  },
});

const slowClose = defineNode({
  type: 'slow-close',
  category: 'core',
  inputs: 1,
  outputs: 0,
  config: z.object({}).passthrough(),
  create: () => ({ close: () => new Promise<void>(() => undefined) }),
});

const doc = (labelA: string, labelB: string) => [
  { id: 't1', type: 'tab' },
  { id: 't2', type: 'tab' },
  { id: 'a', type: 'counter', z: 't1', label: labelA, wires: [['pa']] },
  { id: 'pa', type: 'probe', z: 't1', wires: [] },
  { id: 'a2', type: 'counter', z: 't1', wires: [['pa']] },
  { id: 'b', type: 'counter', z: 't2', label: labelB, wires: [['pb']] },
  { id: 'pb', type: 'probe', z: 't2', wires: [] },
];

async function pump(h: ReturnType<typeof startHarness>, ids: string[]) {
  for (const id of ids) h.runtime.receive(id, { payload: 0 });
  await settle();
}

describe('deploy by diff', () => {
  it('nodes: only the changed node restarts, the others keep their state', async () => {
    const h = startHarness([counter]);
    await h.runtime.deploy(doc('x', 'y'));
    await pump(h, ['a', 'a2', 'b', 'a', 'a2', 'b']);
    const result = await h.runtime.deploy(doc('x', 'changed'), 'nodes');
    expect(result.stopped).toEqual(['b']);
    expect(result.started).toEqual(['b']);
    h.received.length = 0;
    await pump(h, ['a', 'a2', 'b']);
    expect(h.at('pa').map((m) => m.payload)).toEqual([3, 3]);
    expect(h.at('pb').map((m) => m.payload)).toEqual([1]);
    await h.runtime.close();
  });

  it('flows: every node of a changed tab restarts, other tabs keep running', async () => {
    const h = startHarness([counter]);
    await h.runtime.deploy(doc('x', 'y'));
    await pump(h, ['a', 'a2', 'b']);
    const result = await h.runtime.deploy(doc('changed', 'y'), 'flows');
    expect(result.stopped.sort()).toEqual(['a', 'a2', 'pa']);
    h.received.length = 0;
    await pump(h, ['a', 'a2', 'b']);
    expect(h.at('pa').map((m) => m.payload)).toEqual([1, 1]);
    expect(h.at('pb').map((m) => m.payload)).toEqual([2]);
    await h.runtime.close();
  });

  it('full: everything restarts', async () => {
    const h = startHarness([counter]);
    await h.runtime.deploy(doc('x', 'y'));
    await pump(h, ['b']);
    await h.runtime.deploy(doc('x', 'y'), 'full');
    h.received.length = 0;
    await pump(h, ['b']);
    expect(h.at('pb').map((m) => m.payload)).toEqual([1]);
    await h.runtime.close();
  });

  it('a rewired node keeps running and sends to its new target', async () => {
    const h = startHarness([counter]);
    await h.runtime.deploy(doc('x', 'y'));
    await pump(h, ['a']);
    const next = doc('x', 'y').map((n) => (n.id === 'a' ? { ...n, wires: [['pb']] } : n));
    const result = await h.runtime.deploy(next, 'nodes');
    expect(result.stopped).toEqual([]);
    h.received.length = 0;
    await pump(h, ['a']);
    expect(h.at('pb').map((m) => m.payload)).toEqual([2]);
    await h.runtime.close();
  });

  it('an invalid deploy changes nothing', async () => {
    const h = startHarness([counter]);
    await h.runtime.deploy(doc('x', 'y'));
    await pump(h, ['a']);
    await expect(h.runtime.deploy([...doc('x', 'y'), { id: 'bad', type: 'counter', z: 't1', label: 5 }], 'nodes')).rejects.toThrow(
      /node bad \(counter\) property "label"/,
    );
    h.received.length = 0;
    await pump(h, ['a']);
    expect(h.at('pa').map((m) => m.payload)).toEqual([2]);
    await h.runtime.close();
  });

  it('reports nodes whose close overran the time limit', async () => {
    const h = startHarness([slowClose], { closeTimeoutMs: 50 });
    await h.runtime.deploy([{ id: 't1', type: 'tab' }, { id: 's', type: 'slow-close', z: 't1', wires: [] }]);
    const started = Date.now();
    const result = await h.runtime.stop();
    expect(result.overran).toEqual(['s']);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
