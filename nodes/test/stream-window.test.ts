import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Msg } from '@gridflow/runtime';
import { streamNodes } from '../src/stream/index.js';
import { runFlow, type FlowHarness } from './flow-harness.js';

const nodes = streamNodes;
// setImmediate stays real: the runtime's scheduler delivers with it. clear* must be faked with set*,
// or clearing a fake timer would silently do nothing.
const FAKE: ('setTimeout' | 'clearTimeout' | 'setInterval' | 'clearInterval' | 'Date')[] = [
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'Date',
];
const payloads = (m: Msg) => (m.payload as Msg[]).map((x) => x.payload);
const meta = (m: Msg) => m['window'] as { key: string; start: number; end: number; count: number };

let h: FlowHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  vi.useRealTimers();
});

describe('window by count', () => {
  it('tumbling windows hold size messages; sliding windows move by slide', async () => {
    h = await runFlow(
      [
        { id: 'tumble', type: 'window', by: 'count', size: 4, wires: [['tumbled'], []] },
        { id: 'slide', type: 'window', by: 'count', kind: 'sliding', size: 4, slide: 2, wires: [['slid'], []] },
      ],
      { nodes },
    );
    for (let i = 0; i < 10; i++) {
      h.send('tumble', { topic: 'a', payload: i });
      h.send('slide', { topic: 'a', payload: i });
    }
    await h.settle();
    expect(h.received('tumbled').map(payloads)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
    expect(h.received('slid').map(payloads)).toEqual([
      [0, 1],
      [0, 1, 2, 3],
      [2, 3, 4, 5],
      [4, 5, 6, 7],
      [6, 7, 8, 9],
    ]);
    expect(meta(h.received('tumbled')[1]!)).toMatchObject({ key: 'a', count: 4 });
  });

  it('keeps one window per key', async () => {
    h = await runFlow([{ id: 'w', type: 'window', by: 'count', size: 2, wires: [['out'], []] }], { nodes });
    for (const [topic, payload] of [
      ['a', 1],
      ['b', 10],
      ['a', 2],
      ['b', 20],
      ['c', 100],
    ] as const)
      h.send('w', { topic, payload });
    await h.settle();
    const got = h.received('out').map((m) => [meta(m).key, payloads(m)]);
    expect(got).toEqual([
      ['a', [1, 2]],
      ['b', [10, 20]],
    ]);
  });

  it('keys by any message property', async () => {
    h = await runFlow([{ id: 'w', type: 'window', by: 'count', size: 2, key: 'device.id', wires: [['out'], []] }], {
      nodes,
    });
    h.send('w', { topic: 'x', device: { id: 'd1' }, payload: 1 });
    h.send('w', { topic: 'y', device: { id: 'd2' }, payload: 2 });
    h.send('w', { topic: 'z', device: { id: 'd1' }, payload: 3 });
    const [w] = await h.outputs('out', 1);
    expect(meta(w!).key).toBe('d1');
    expect(payloads(w!)).toEqual([1, 3]);
  });
});

describe('window by event time', () => {
  const flow = (extra: Record<string, unknown> = {}) => [
    {
      id: 'w',
      type: 'window',
      time: 'event',
      size: 10,
      units: 'seconds',
      lateness: 2,
      ...extra,
      wires: [['windows'], ['late']],
    },
  ];

  it('fires when the watermark passes the end and sends late data to the second output', async () => {
    h = await runFlow(flow(), { nodes });
    const at = (timestamp: number, payload: number, topic = 'a') => h!.send('w', { topic, payload, timestamp });
    at(1000, 1);
    at(9500, 2);
    at(3000, 3); // out of order, not late: window [0, 10 s) is still open
    at(11_000, 4); // watermark 9 s: nothing fires yet
    await h.settle();
    expect(h.received('windows')).toHaveLength(0);
    at(12_500, 5); // watermark 10.5 s: [0, 10 s) fires
    await h.settle();
    const [first] = h.received('windows');
    expect(payloads(first!)).toEqual([1, 3, 2]);
    expect(meta(first!)).toEqual({ key: 'a', start: 0, end: 10_000, count: 3 });
    at(9999, 6); // its window has fired: late
    at(10_000, 7); // belongs to [10 s, 20 s): on time
    at(5000, 8, 'b'); // another key has its own watermark
    await h.settle();
    const late = h.received('late');
    expect(late.map((m) => m.payload)).toEqual([6]);
    expect(late[0]!['window']).toEqual({ key: 'a', late: true, watermark: 10_500 });
    at(30_000, 9);
    await h.settle();
    expect(h.received('windows').map(payloads)).toEqual([
      [1, 3, 2],
      [7, 4, 5],
    ]);
  });

  it('accepts ISO strings and Dates, and rejects a message without a time', async () => {
    h = await runFlow(flow({ size: 1, lateness: 0 }), { nodes });
    h.send('w', { topic: 'a', payload: 1, timestamp: '2024-01-01T00:00:00.500Z' });
    h.send('w', { topic: 'a', payload: 2, timestamp: new Date('2024-01-01T00:00:01.200Z') as unknown as number });
    h.send('w', { topic: 'a', payload: 3 });
    const [w] = await h.outputs('windows', 1);
    expect(meta(w!).start).toBe(Date.parse('2024-01-01T00:00:00Z'));
    const [err] = await h.waitErrors(1, 'w');
    expect(err!.message).toMatch(/msg.timestamp of key "a" is not a time/);
  });

  it('sliding event-time windows hold each message in size/slide windows', async () => {
    h = await runFlow(flow({ kind: 'sliding', size: 4, slide: 2, lateness: 0 }), { nodes });
    for (const t of [0, 1, 2, 3, 4, 5, 6, 7, 8]) h.send('w', { topic: 'a', payload: t, timestamp: t * 1000 });
    await h.settle();
    const got = h.received('windows').map((m) => [meta(m).start, meta(m).end, payloads(m)]);
    expect(got).toEqual([
      [-2000, 2000, [0, 1]],
      [0, 4000, [0, 1, 2, 3]],
      [2000, 6000, [2, 3, 4, 5]],
      [4000, 8000, [4, 5, 6, 7]],
    ]);
  });

  it('fires the open windows of a key that went idle', async () => {
    vi.useFakeTimers({ toFake: FAKE });
    h = await runFlow(flow({ idleTimeout: 5 }), { nodes });
    h.send('w', { topic: 'a', payload: 1, timestamp: 1000 });
    await h.runtime.idle();
    expect(h.received('windows')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(6000);
    await h.runtime.idle();
    expect(h.received('windows').map(payloads)).toEqual([[1]]);
  });
});

describe('window by arrival time', () => {
  it('tumbling and sliding time windows fire on the clock', async () => {
    vi.useFakeTimers({ toFake: FAKE });
    vi.setSystemTime(100_000);
    h = await runFlow(
      [
        { id: 'tumble', type: 'window', size: 10, units: 'seconds', wires: [['tumbled'], []] },
        { id: 'slide', type: 'window', kind: 'sliding', size: 10, slide: 5, units: 'seconds', wires: [['slid'], []] },
      ],
      { nodes },
    );
    for (let s = 0; s < 20; s++) {
      h.send('tumble', { topic: 'a', payload: s });
      h.send('slide', { topic: 'a', payload: s });
      await h.runtime.idle();
      await vi.advanceTimersByTimeAsync(1000);
    }
    await vi.advanceTimersByTimeAsync(10_000);
    await h.runtime.idle();
    const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
    expect(h.received('tumbled').map(payloads)).toEqual([range(0, 10), range(10, 20)]);
    expect(h.received('tumbled').map((m) => meta(m).start)).toEqual([100_000, 110_000]);
    expect(h.received('slid').map(payloads)).toEqual([
      range(0, 5),
      range(0, 10),
      range(5, 15),
      range(10, 20),
      range(15, 20),
    ]);
  });

  it('emits empty windows when asked, at most maxEmpty in a row, and aggregate gives nulls', async () => {
    vi.useFakeTimers({ toFake: FAKE });
    vi.setSystemTime(0);
    h = await runFlow(
      [
        {
          id: 'w',
          type: 'window',
          size: 1,
          units: 'seconds',
          emitEmpty: true,
          maxEmpty: 2,
          wires: [['agg', 'drop'], []],
        },
        { id: 'agg', type: 'aggregate', ops: ['avg', 'count', 'max'], wires: [['out']] },
        { id: 'drop', type: 'aggregate', ops: ['avg'], empty: 'drop', wires: [['dropped']] },
      ],
      { nodes },
    );
    h.send('w', { topic: 'a', payload: 4 });
    h.send('w', { topic: 'a', payload: 6 });
    await h.runtime.idle();
    await vi.advanceTimersByTimeAsync(5000);
    await h.runtime.idle();
    const out = h.received('out').map((m) => m.payload);
    expect(out).toEqual([
      { key: 'a', start: 0, end: 1000, count: 2, values: { avg: 5, count: 2, max: 6 } },
      { key: 'a', start: 1000, end: 2000, count: 0, values: { avg: null, count: 0, max: null } },
      { key: 'a', start: 2000, end: 3000, count: 0, values: { avg: null, count: 0, max: null } },
    ]);
    expect(h.received('dropped')).toHaveLength(1);
  });

  it('without emitEmpty a quiet key sends nothing and is forgotten', async () => {
    vi.useFakeTimers({ toFake: FAKE });
    vi.setSystemTime(0);
    h = await runFlow([{ id: 'w', type: 'window', size: 1, units: 'seconds', wires: [['out'], []] }], { nodes });
    h.send('w', { topic: 'a', payload: 1 });
    await h.runtime.idle();
    await vi.advanceTimersByTimeAsync(5000);
    expect(h.received('out')).toHaveLength(1);
    expect(h.statuses('w').at(-1)?.text).toBe('0 keys');
  });
});

describe('bounded keys', () => {
  it('evicts the least recently used key beyond maxKeys and reports it', async () => {
    vi.useFakeTimers({ toFake: FAKE });
    h = await runFlow([{ id: 'w', type: 'window', by: 'count', size: 2, maxKeys: 100, wires: [['out'], []] }], {
      nodes,
    });
    h.send('w', { topic: 'keep', payload: 1 });
    for (let i = 0; i < 1000; i++) {
      h.send('w', { topic: `k${i}`, payload: i });
      // Using "keep" now and then keeps it recent, so it survives the explosion.
      if (i % 50 === 0) h.send('w', { topic: 'keep', payload: -1 });
    }
    h.send('w', { topic: 'keep', payload: 2 });
    await h.runtime.idle();
    await vi.advanceTimersByTimeAsync(1000);
    const status = h.statuses('w').at(-1);
    expect(status?.text).toBe('100 keys, 901 evicted');
    expect(status?.fill).toBe('yellow');
    // A key that was evicted starts again from nothing.
    h.send('w', { topic: 'k0', payload: 'again' });
    await h.runtime.idle();
    expect(h.received('out').every((m) => meta(m).key === 'keep')).toBe(true);
    h.send('w', { topic: 'k0', payload: 'twice' });
    await h.runtime.idle();
    expect(payloads(h.received('out').at(-1)!)).toEqual(['again', 'twice']);
  });
});

describe('aggregate', () => {
  it('computes several statistics per window and key', async () => {
    h = await runFlow(
      [
        { id: 'w', type: 'window', by: 'count', size: 5, wires: [['agg'], []] },
        {
          id: 'agg',
          type: 'aggregate',
          ops: ['avg', 'sum', 'first', 'last', 'stddev', 'percentile'],
          percentiles: '50, 90',
          wires: [['out']],
        },
      ],
      { nodes },
    );
    for (const v of [2, 4, 4, 4, 5, 5, 7, 9]) h.send('w', { topic: 'a', payload: v });
    for (const v of [1, 2, 3, 4, 'x']) h.send('w', { topic: 'b', payload: v });
    const [a1, b] = await h.outputs('out', 2);
    expect(a1!.payload).toMatchObject({ key: 'a', count: 5, values: { avg: 3.8, sum: 19, first: 2, last: 5, p50: 4 } });
    expect(b!.payload).toMatchObject({
      key: 'b',
      count: 5,
      skipped: 1,
      values: { avg: 2.5, sum: 10, first: 1, last: 4, p50: 2.5 },
    });
    h.send('w', { topic: 'a', payload: 0 });
    h.send('w', { topic: 'a', payload: 0 });
    const [, , a2] = await h.outputs('out', 3);
    expect(a2!.payload).toMatchObject({ key: 'a', count: 5, values: { avg: 4.2, sum: 21, first: 5, last: 0 } });
    const values = (b!.payload as { values: Record<string, number> }).values;
    expect(values['stddev']).toBeCloseTo(Math.sqrt(1.25));
    expect(values['p90']).toBeCloseTo(3.7);
  });

  it('rejects a message that is not a window', async () => {
    h = await runFlow([{ id: 'agg', type: 'aggregate', wires: [['out']] }], { nodes });
    h.send('agg', { payload: 5 });
    const [err] = await h.waitErrors(1, 'agg');
    expect(err!.message).toMatch(/not a window/);
  });

  it('fails the deploy for a bad window config, naming the property', async () => {
    await expect(
      runFlow([{ id: 'w', type: 'window', kind: 'sliding', size: 5, slide: 10, wires: [[], []] }], { nodes }),
    ).rejects.toThrow(/node w \(window\) property "slide": slide \(10\) must not exceed size \(5\)/);
    await expect(runFlow([{ id: 'a', type: 'aggregate', ops: ['median'], wires: [[]] }], { nodes })).rejects.toThrow(
      /node a \(aggregate\) property "ops.0"/,
    );
  });
});
