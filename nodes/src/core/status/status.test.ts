import { afterEach, describe, expect, it } from 'vitest';
import { probe, startFlows, tab, type FlowHarness } from '../../../test/sequence-harness.js';

let h: FlowHarness;
afterEach(() => h?.close());

describe('status', () => {
  it('reports status changes of nodes on its tab, scoped or not', async () => {
    h = startFlows();
    await h.deploy([
      tab(),
      { id: 's1', type: 'test-status', z: 't1', name: 'first', wires: [[]] },
      { id: 's2', type: 'test-status', z: 't1', wires: [[]] },
      { id: 'all', type: 'status', z: 't1', scope: null, wires: [['p-all']] },
      { id: 'only2', type: 'status', z: 't1', scope: ['s2'], wires: [['p-2']] },
      probe('p-all'),
      probe('p-2'),
    ]);
    h.send('s1', { payload: 'one' });
    await h.settle();
    h.send('s2', { payload: 'two' });
    await h.settle();
    const all = h.at('p-all').map((m) => m['status']);
    expect(all).toEqual([
      { fill: 'green', shape: 'dot', text: 'one', source: { id: 's1', type: 'test-status', name: 'first' } },
      { fill: 'green', shape: 'dot', text: 'two', source: { id: 's2', type: 'test-status' } },
    ]);
    expect(h.at('p-all')[0]?.payload).toBeUndefined();
    expect(h.at('p-2').map((m) => (m['status'] as { text: string }).text)).toEqual(['two']);
  });

  it('ignores a scoped node it is wired to, so the two cannot loop', { timeout: 5000 }, async () => {
    h = startFlows();
    await h.deploy([
      tab(),
      { id: 's1', type: 'test-status', z: 't1', wires: [[]] },
      { id: 'st', type: 'status', z: 't1', scope: ['s1'], wires: [['s1', 'p']] },
      probe('p'),
    ]);
    h.send('s1', { payload: 'x' });
    await h.settle(30);
    expect(h.at('p')).toHaveLength(0);
  });
});
