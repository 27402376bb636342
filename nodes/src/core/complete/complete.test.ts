import { afterEach, describe, expect, it } from 'vitest';
import { probe, startFlows, tab, type FlowHarness } from '../../../test/sequence-harness.js';

let h: FlowHarness;
afterEach(() => h?.close());

describe('complete', () => {
  it('fires with msg.complete when a scoped node finishes a message', async () => {
    h = startFlows();
    await h.deploy([
      tab(),
      { id: 'j', type: 'junction', z: 't1', wires: [[]] },
      { id: 'other', type: 'junction', z: 't1', wires: [[]] },
      { id: 'c', type: 'complete', z: 't1', scope: ['j'], uncaught: false, wires: [['p']] },
      probe('p'),
    ]);
    h.send('j', { payload: 7 });
    h.send('other', { payload: 8 });
    await h.settle();
    expect(h.at('p')).toEqual([
      expect.objectContaining({ payload: 7, complete: { source: { id: 'j', type: 'junction' } } }),
    ]);
  });

  it('does not fire for errors, and ignores a scoped node it is wired to', { timeout: 5000 }, async () => {
    h = startFlows();
    await h.deploy([
      tab(),
      { id: 'f', type: 'test-fail', z: 't1', wires: [[]] },
      { id: 'j', type: 'junction', z: 't1', wires: [['p-j']] },
      { id: 'c', type: 'complete', z: 't1', scope: ['f', 'j'], wires: [['j', 'p']] },
      probe('p'),
      probe('p-j'),
    ]);
    h.send('f', { payload: 1 });
    h.send('j', { payload: 2 });
    await h.settle(30);
    expect(h.at('p')).toHaveLength(0);
    expect(h.payloads('p-j')).toEqual([2]);
  });

  it('works inside subflow instances, each instance on its own copies', async () => {
    h = startFlows();
    await h.deploy([
      tab(),
      {
        id: 'sf',
        type: 'subflow',
        name: 'sf',
        in: [{ wires: [{ id: 'sj' }] }],
        out: [{ wires: [{ id: 'sc', port: 0 }] }],
      },
      { id: 'sj', type: 'junction', z: 'sf', wires: [[]] },
      { id: 'sc', type: 'complete', z: 'sf', scope: ['sj'], wires: [[]] },
      { id: 'a', type: 'subflow:sf', z: 't1', wires: [['pa']] },
      { id: 'b', type: 'subflow:sf', z: 't1', wires: [['pb']] },
      probe('pa'),
      probe('pb'),
    ]);
    h.send('a', { payload: 'A' });
    await h.settle();
    expect(h.payloads('pa')).toEqual(['A']);
    expect(h.at('pa')[0]?.['complete']).toEqual({ source: { id: 'a-sj', type: 'junction' } });
    expect(h.at('pb')).toHaveLength(0);
  });
});
