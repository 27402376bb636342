import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeTimerOptions, probe, startFlows, tab, type FlowHarness } from '../../../test/sequence-harness.js';

let h: FlowHarness;
afterEach(async () => {
  vi.useRealTimers();
  await h?.close();
});

const batchFlow = (props: Record<string, unknown>) => [
  tab(),
  {
    id: 'b',
    type: 'batch',
    z: 't1',
    mode: 'count',
    count: 2,
    overlap: 0,
    interval: 10,
    allowEmptySequence: false,
    honourParts: false,
    topics: [{ topic: '' }],
    ...props,
    wires: [['p']],
  },
  probe('p'),
  { id: 'c', type: 'catch', z: 't1', scope: null, wires: [['errs']] },
  probe('errs'),
];
const partsOf = (id: string) => h.at(id).map((m) => m['parts'] as { id: string; index: number; count: number });

describe('batch', () => {
  it('groups by count into sequences identified by the first message', async () => {
    h = startFlows();
    await h.deploy(batchFlow({ count: '2' }));
    for (let i = 1; i <= 5; i++) h.send('b', { _msgid: `m${i}`, payload: i });
    await h.settle();
    expect(h.payloads('p')).toEqual([1, 2, 3, 4]);
    expect(partsOf('p')).toEqual([
      { id: 'm1', index: 0, count: 2 },
      { id: 'm1', index: 1, count: 2 },
      { id: 'm3', index: 0, count: 2 },
      { id: 'm3', index: 1, count: 2 },
    ]);
  });

  it('repeats the overlap at the start of the next group; msg.reset drops the pending ones', async () => {
    h = startFlows();
    await h.deploy(batchFlow({ count: 3, overlap: 1 }));
    for (let i = 1; i <= 5; i++) h.send('b', { payload: i });
    h.send('b', { reset: true });
    h.send('b', { payload: 6 });
    h.send('b', { payload: 7 });
    await h.settle();
    expect(h.payloads('p')).toEqual([1, 2, 3, 3, 4, 5]);
  });

  it('closes a group early at the end of a msg.parts sequence when honouring parts', async () => {
    h = startFlows();
    await h.deploy([...batchFlow({ count: 10, honourParts: true, wires: [['p']] })]);
    h.send('b', { payload: 'x', parts: { id: 'q', index: 0, count: 2 } });
    h.send('b', { payload: 'y', parts: { id: 'q', index: 1, count: 2 } });
    await h.settle();
    expect(h.payloads('p')).toEqual(['x', 'y']);
  });

  it('groups what arrives in each interval, sending an empty message for a quiet one when asked', async () => {
    vi.useFakeTimers(fakeTimerOptions);
    h = startFlows();
    await h.deploy(batchFlow({ mode: 'interval', interval: '1', allowEmptySequence: true }));
    h.send('b', { payload: 1 });
    h.send('b', { payload: 2 });
    await h.runtime.idle();
    await vi.advanceTimersByTimeAsync(1000);
    await h.runtime.idle();
    expect(h.payloads('p')).toEqual([1, 2]);
    expect(partsOf('p').map((p) => [p.index, p.count])).toEqual([
      [0, 2],
      [1, 2],
    ]);
    await vi.advanceTimersByTimeAsync(1000);
    await h.runtime.idle();
    expect(h.at('p')[2]).toMatchObject({ payload: null, parts: { index: 0, count: 1 } });
  });

  it('concatenates one sequence per listed topic, in list order', async () => {
    h = startFlows();
    await h.deploy([
      ...batchFlow({ mode: 'concat', topics: [{ topic: 'a' }, { topic: 'b' }] }),
      { id: 'sp', type: 'split', z: 't1', wires: [['b']] },
    ]);
    h.send('sp', { topic: 'b', payload: [3, 4] });
    h.send('sp', { topic: 'a', payload: [1, 2] });
    h.send('sp', { topic: 'a', payload: [5] });
    h.send('b', { topic: 'a', payload: 'no parts' });
    await h.settle();
    expect(h.payloads('p')).toEqual([1, 2, 3, 4]);
    expect(partsOf('p').map((p) => [p.index, p.count])).toEqual([
      [0, 4],
      [1, 4],
      [2, 4],
      [3, 4],
    ]);
    expect(h.at('errs').map((m) => (m['error'] as { message: string }).message)).toEqual([
      'no parts property in message',
    ]);
  });

  it('drops held messages with an error beyond nodeMessageBufferMaxLength', async () => {
    h = startFlows({ nodeMessageBufferMaxLength: 2 });
    await h.deploy(batchFlow({ count: 5 }));
    for (let i = 1; i <= 4; i++) h.send('b', { payload: i });
    await h.settle();
    expect(h.at('errs').map((m) => [m.payload, (m['error'] as { message: string }).message])).toEqual([
      [3, 'too many pending messages in batch node'],
    ]);
    expect(h.payloads('p')).toEqual([]);
  });

  it('fails the deploy when the overlap is not smaller than the count', async () => {
    h = startFlows();
    await expect(h.deploy(batchFlow({ count: 2, overlap: 2 }))).rejects.toThrow(
      /property "overlap": Invalid count and overlap/,
    );
  });
});
