import { describe, expect, it } from 'vitest';
import { startHarness, settle } from './harness.js';

const tab = { id: 't1', type: 'tab', label: 'Flow 1' };

describe('delivery', () => {
  it('delivers asynchronously, in order, and copies on fan-out', async () => {
    const { runtime, at } = startHarness();
    await runtime.deploy([
      tab,
      { id: 'a', type: 'pass', z: 't1', wires: [['p1', 'p2']] },
      { id: 'p1', type: 'probe', z: 't1', wires: [] },
      { id: 'p2', type: 'probe', z: 't1', wires: [] },
    ]);
    const buf = Buffer.from('abc');
    for (let i = 0; i < 100; i++) runtime.receive('a', { payload: i, buf });
    expect(at('p1')).toHaveLength(0);
    await runtime.idle();
    expect(at('p1').map((m) => m.payload)).toEqual([...Array(100).keys()]);
    const first = at('p1')[0]!;
    const second = at('p2')[0]!;
    expect(first).not.toBe(second);
    expect(first._msgid).toBe(second._msgid);
    expect(second['buf']).not.toBe(first['buf']);
    expect(Buffer.isBuffer(second['buf'])).toBe(true);
    await runtime.close();
  });

  it('routes thrown, done(err) and rejected errors to catch nodes with msg.error', async () => {
    const { runtime, at } = startHarness();
    await runtime.deploy([
      tab,
      { id: 'f1', type: 'fail', z: 't1', mode: 'throw', wires: [[]] },
      { id: 'f2', type: 'fail', z: 't1', mode: 'done', wires: [[]] },
      { id: 'f3', type: 'fail', z: 't1', mode: 'reject', wires: [[]] },
      { id: 'c', type: 'catch', z: 't1', scope: null, wires: [['p']] },
      { id: 'p', type: 'probe', z: 't1', wires: [] },
    ]);
    runtime.receive('f1', { payload: 1 });
    runtime.receive('f2', { payload: 2 });
    runtime.receive('f3', { payload: 3 });
    // The rejected promise settles a few event-loop turns later; on a loaded machine that can take a while.
    for (let i = 0; i < 200 && at('p').length < 3; i++) await settle(10);
    const errors = at('p').map((m) => m['error'] as { message: string; source: { id: string } });
    expect(errors.map((e) => e.message).sort()).toEqual(['Error: async-boom', 'Error: boom', 'Error: done-boom']);
    expect(errors.map((e) => e.source.id).sort()).toEqual(['f1', 'f2', 'f3']);
    await runtime.close();
  });

  it('fails the deploy naming node, type and property', async () => {
    const { runtime } = startHarness();
    await expect(runtime.deploy([tab, { id: 'x', type: 'fail', z: 't1', mode: 'nope' }])).rejects.toThrow(
      /node x \(fail\) property "mode"/,
    );
    await expect(runtime.deploy([tab, { id: 'y', type: 'nosuch', z: 't1' }])).rejects.toThrow(/unknown node type "nosuch"/);
  });
});
