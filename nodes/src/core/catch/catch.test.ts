import { afterEach, describe, expect, it } from 'vitest';
import { probe, startFlows, tab, type FlowHarness } from '../../../test/sequence-harness.js';

let h: FlowHarness;
afterEach(() => h?.close());

interface ErrorInfo {
  message: string;
  source: { id: string; type: string; name: string };
}
const errorsAt = (id: string) => h.at(id).map((m) => m['error'] as ErrorInfo);

describe('catch', () => {
  it('catches errors from every node on its tab, with the message and error.source', async () => {
    h = startFlows();
    await h.deploy([
      tab('t1'),
      tab('t2'),
      { id: 'f1', type: 'test-fail', z: 't1', name: 'failer', message: 'bad thing', wires: [[]] },
      { id: 'c1', type: 'catch', z: 't1', scope: null, uncaught: false, wires: [['p1']] },
      probe('p1'),
      { id: 'c2', type: 'catch', z: 't2', scope: null, wires: [['p2']] },
      probe('p2', 't2'),
    ]);
    h.send('f1', { payload: 42, error: 'older' });
    await h.settle();
    const [msg] = h.at('p1');
    expect(msg?.payload).toBe(42);
    expect(msg?.['_error']).toBe('older');
    expect(errorsAt('p1')).toEqual([
      expect.objectContaining({
        message: 'Error: bad thing',
        source: expect.objectContaining({ id: 'f1', type: 'test-fail', name: 'failer' }),
      }),
    ]);
    expect(h.at('p2')).toHaveLength(0); // other tabs do not see it
  });

  it('scoped catch takes only its nodes; an uncaught-only catch takes what nobody else did', async () => {
    h = startFlows();
    await h.deploy([
      tab(),
      { id: 'f1', type: 'test-fail', z: 't1', wires: [[]] },
      { id: 'f2', type: 'test-fail', z: 't1', wires: [[]] },
      { id: 'scoped', type: 'catch', z: 't1', scope: ['f1'], wires: [['p-scoped']] },
      { id: 'rest', type: 'catch', z: 't1', scope: null, uncaught: true, wires: [['p-rest']] },
      probe('p-scoped'),
      probe('p-rest'),
    ]);
    h.send('f1', { payload: 1 });
    h.send('f2', { payload: 2 });
    await h.settle();
    expect(h.payloads('p-scoped')).toEqual([1]);
    expect(h.payloads('p-rest')).toEqual([2]);
  });

  it("scope 'group' catches errors from nodes in its group only", async () => {
    h = startFlows();
    await h.deploy([
      tab(),
      { id: 'g1', type: 'group', z: 't1', nodes: ['in-group', 'cg'] },
      { id: 'in-group', type: 'test-fail', z: 't1', g: 'g1', wires: [[]] },
      { id: 'outside', type: 'test-fail', z: 't1', wires: [[]] },
      { id: 'cg', type: 'catch', z: 't1', g: 'g1', scope: 'group', wires: [['pg']] },
      probe('pg'),
    ]);
    h.send('in-group', { payload: 'a' });
    h.send('outside', { payload: 'b' });
    await h.settle();
    expect(h.payloads('pg')).toEqual(['a']);
    expect(h.errors.find((e) => e.id === 'outside')?.handled).toBe(false);
  });

  it('an error inside a subflow goes to its own catch node first, else up to the tab', async () => {
    h = startFlows();
    const subflow = (id: string, withCatch: boolean) => [
      { id, type: 'subflow', name: id, in: [{ wires: [{ id: `${id}-fail` }] }], out: [] },
      { id: `${id}-fail`, type: 'test-fail', z: id, wires: [[]] },
      ...(withCatch ? [{ id: `${id}-catch`, type: 'catch', z: id, scope: null, wires: [[`${id}-probe`]] }] : []),
      ...(withCatch ? [{ id: `${id}-probe`, type: 'probe', z: id, wires: [] }] : []),
    ];
    await h.deploy([
      tab(),
      ...subflow('inner', true),
      ...subflow('bare', false),
      { id: 'i1', type: 'subflow:inner', z: 't1', wires: [] },
      { id: 'i2', type: 'subflow:bare', z: 't1', wires: [] },
      { id: 'tab-catch', type: 'catch', z: 't1', scope: null, wires: [['pt']] },
      probe('pt'),
    ]);
    h.send('i1', { payload: 'inside' });
    h.send('i2', { payload: 'bubbles' });
    await h.settle();
    expect(h.payloads('i1-inner-probe')).toEqual(['inside']);
    expect(h.payloads('pt')).toEqual(['bubbles']);
    expect(errorsAt('pt')[0]?.source.id).toBe('i2-bare-fail');
  });

  it('stops an error loop after nine catches of the same message, with a warning', async () => {
    h = startFlows();
    await h.deploy([
      tab(),
      { id: 'f', type: 'test-fail', z: 't1', wires: [[]] },
      { id: 'c', type: 'catch', z: 't1', scope: ['f'], wires: [['f', 'p']] },
      probe('p'),
    ]);
    h.send('f', { payload: 1 });
    await h.settle(30);
    expect(errorsAt('p').map((e) => (e.source as { count?: number }).count)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(h.warnings).toEqual([{ id: 'f', message: 'Message exceeded maximum number of catches' }]);
  });

  it('fails the deploy on a bad scope, naming the property', async () => {
    h = startFlows();
    await expect(h.deploy([tab(), { id: 'c', type: 'catch', z: 't1', scope: 'everything' }])).rejects.toThrow(
      /node c \(catch\) property "scope"/,
    );
  });
});
