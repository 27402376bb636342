import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { streamNodes } from '../src/stream/index.js';
import { runFlow, type FlowHarness } from './flow-harness.js';
import { FAKE, feed, values } from './stream-kit.js';

const nodes = streamNodes;

let h: FlowHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  vi.useRealTimers();
});
describe('stream node descriptors', () => {
  it('are complete and their configs convert to JSON Schema for the editor', () => {
    expect(nodes.map((n) => n.type)).toEqual([
      'window',
      'aggregate',
      'rate limit',
      'deadband',
      'smooth',
      'merge',
      'data quality',
      'anomaly',
      'threshold alert',
    ]);
    for (const n of nodes) {
      expect(n.category).toBe('stream');
      expect(n.label && n.icon && n.color && n.help && n.paletteLabel).toBeTruthy();
      expect(() => z.toJSONSchema(n.config, { io: 'input' })).not.toThrow();
    }
  });
});

describe('rate limit', () => {
  it('drops over the limit per key, to the second output', async () => {
    vi.useFakeTimers({ toFake: FAKE });
    h = await runFlow([{ id: 'rl', type: 'rate limit', rate: 2, interval: 1, wires: [['ok'], ['dropped']] }], {
      nodes,
    });
    await feed(
      h,
      'rl',
      [1, 2, 3, 4].map((payload) => ({ topic: 'a', payload })),
    );
    await feed(h, 'rl', [{ topic: 'b', payload: 10 }]);
    expect(values(h, 'ok')).toEqual([1, 2, 10]);
    expect(values(h, 'dropped')).toEqual([3, 4]);
    await vi.advanceTimersByTimeAsync(500); // one token back
    await feed(
      h,
      'rl',
      [5, 6].map((payload) => ({ topic: 'a', payload })),
    );
    expect(values(h, 'ok')).toEqual([1, 2, 10, 5]);
  });

  it('queues over the limit and releases at the rate, with a bounded queue', async () => {
    vi.useFakeTimers({ toFake: FAKE });
    vi.setSystemTime(0);
    h = await runFlow(
      [
        {
          id: 'rl',
          type: 'rate limit',
          rate: 1,
          interval: 1,
          mode: 'queue',
          maxQueue: 2,
          wires: [['ok'], ['dropped']],
        },
      ],
      { nodes },
    );
    await feed(
      h,
      'rl',
      [1, 2, 3, 4].map((payload) => ({ topic: 'a', payload })),
    );
    expect(values(h, 'ok')).toEqual([1]);
    expect(values(h, 'dropped')).toEqual([4]);
    await vi.advanceTimersByTimeAsync(1000);
    await h.runtime.idle();
    expect(values(h, 'ok')).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(1000);
    await h.runtime.idle();
    expect(values(h, 'ok')).toEqual([1, 2, 3]);
  });
});

describe('deadband', () => {
  it('passes changes of at least the band from the last value sent, per key', async () => {
    h = await runFlow([{ id: 'db', type: 'deadband', band: 1, wires: [['out']] }], { nodes });
    await feed(
      h,
      'db',
      [10, 10.5, 10.9, 11, 11.5, 12.2, 9].map((payload) => ({ topic: 'a', payload })),
    );
    await feed(h, 'db', [{ topic: 'b', payload: 10.5 }]);
    expect(values(h, 'out')).toEqual([10, 11, 12.2, 9, 10.5]);
  });

  it('works in percent and sends a heartbeat after maxInterval', async () => {
    vi.useFakeTimers({ toFake: FAKE });
    h = await runFlow([{ id: 'db', type: 'deadband', mode: 'percent', band: 10, maxInterval: 60, wires: [['out']] }], {
      nodes,
    });
    await feed(
      h,
      'db',
      [100, 105, 109.9, 110, 115].map((payload) => ({ topic: 'a', payload })),
    );
    expect(values(h, 'out')).toEqual([100, 110]);
    await vi.advanceTimersByTimeAsync(60_000);
    await feed(h, 'db', [{ topic: 'a', payload: 111 }]);
    expect(values(h, 'out')).toEqual([100, 110, 111]);
  });

  it('reports values that are not numbers', async () => {
    h = await runFlow([{ id: 'db', type: 'deadband', band: 1, wires: [['out']] }], { nodes });
    h.send('db', { topic: 'a', payload: 'high' });
    const [err] = await h.waitErrors(1, 'db');
    expect(err!.message).toMatch(/value of key "a" is not a number \("high"\)/);
  });
});

describe('smooth', () => {
  it('moving average over N per key', async () => {
    h = await runFlow([{ id: 's', type: 'smooth', count: 3, wires: [['out']] }], { nodes });
    await feed(
      h,
      's',
      [3, 6, 9, 12].map((payload) => ({ topic: 'a', payload })),
    );
    await feed(h, 's', [{ topic: 'b', payload: 100 }]);
    expect(values(h, 'out')).toEqual([3, 4.5, 6, 9, 100]);
  });

  it('EWMA with alpha, on a nested property', async () => {
    h = await runFlow(
      [{ id: 's', type: 'smooth', method: 'ewma', alpha: 0.5, property: 'payload.temp', wires: [['out']] }],
      { nodes },
    );
    await feed(
      h,
      's',
      [10, 20, 20].map((temp) => ({ topic: 'a', payload: { temp, unit: 'C' } })),
    );
    expect(values(h, 'out')).toEqual([
      { temp: 10, unit: 'C' },
      { temp: 15, unit: 'C' },
      { temp: 17.5, unit: 'C' },
    ]);
  });
});

describe('merge', () => {
  const inputs = [
    { name: 'p', match: 'meter/power' },
    { name: 'q', match: 'meter/reactive', initial: 0 },
    { name: 'on', match: 'meter/on' },
  ];

  it('computes the formula from the latest values and flags filled inputs', async () => {
    h = await runFlow(
      [
        {
          id: 'm',
          type: 'merge',
          inputs,
          formula: 'if(on, round(p / max(1, p + q) * 100, 1), 0)',
          outputTopic: 'meter/pf',
          wires: [['out']],
        },
      ],
      { nodes },
    );
    await feed(h, 'm', [{ topic: 'meter/power', payload: 80 }]); // waits for "on"
    await feed(h, 'm', [{ topic: 'meter/on', payload: true }]);
    await feed(h, 'm', [{ topic: 'meter/reactive', payload: '20' }]);
    await feed(h, 'm', [{ topic: 'other', payload: 1 }]);
    const out = h.received('out');
    expect(out.map((m) => m.payload)).toEqual([100, 80]);
    expect(out[0]).toMatchObject({
      topic: 'meter/pf',
      merge: { key: '', values: { p: 80, q: 0, on: true }, filled: { q: 'initial' } },
    });
    expect(out[1]!['merge']).toMatchObject({ filled: { p: 'last', on: 'last' } });
  });

  it('triggers on a chosen input only, per key', async () => {
    h = await runFlow(
      [
        {
          id: 'm',
          type: 'merge',
          inputs: [
            { name: 'a', match: 'a' },
            { name: 'b', match: 'b' },
          ],
          formula: 'a - b',
          trigger: 'input',
          triggerInput: 'a',
          key: 'device',
          keyType: 'msg',
          wires: [['out']],
        },
      ],
      { nodes },
    );
    await feed(h, 'm', [
      { topic: 'b', device: 'd1', payload: 1 },
      { topic: 'b', device: 'd2', payload: 2 },
      { topic: 'a', device: 'd1', payload: 10 },
      { topic: 'b', device: 'd1', payload: 5 },
      { topic: 'a', device: 'd2', payload: 10 },
    ]);
    expect(h.received('out').map((m) => [m.topic, m.payload])).toEqual([
      ['d1', 9],
      ['d2', 8],
    ]);
  });

  it('computes on a fixed period', async () => {
    vi.useFakeTimers({ toFake: FAKE });
    h = await runFlow(
      [
        {
          id: 'm',
          type: 'merge',
          inputs: [{ name: 'a', match: 'a' }],
          formula: 'a * 2',
          trigger: 'interval',
          interval: 5,
          wires: [['out']],
        },
      ],
      { nodes },
    );
    await feed(h, 'm', [{ topic: 'a', payload: 4 }]);
    expect(h.received('out')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(10_000);
    await h.runtime.idle();
    expect(h.received('out').map((m) => [m.payload, m['merge']])).toEqual([
      [8, { key: '', values: { a: 4 }, filled: {} }],
      [8, { key: '', values: { a: 4 }, filled: { a: 'last' } }],
    ]);
  });

  it('fails the deploy naming the position and token of a bad formula', async () => {
    await expect(
      runFlow([{ id: 'm', type: 'merge', inputs, formula: 'p + * q', wires: [[]] }], { nodes }),
    ).rejects.toThrow(
      /node m \(merge\) property "formula": expected a number, an input name or "\(": unexpected token "\*" at position 5 in "p \+ \* q"/,
    );
    await expect(
      runFlow([{ id: 'm', type: 'merge', inputs, formula: 'p + x', wires: [[]] }], { nodes }),
    ).rejects.toThrow(/unknown input "x"; inputs are p, q, on at position 5/);
    await expect(
      runFlow([{ id: 'm', type: 'merge', inputs: [{ name: 'if', match: 'x' }], formula: '1', wires: [[]] }], { nodes }),
    ).rejects.toThrow(/property "inputs.0.name": "if" is reserved/);
  });

  it('reports a division by zero instead of sending Infinity', async () => {
    h = await runFlow(
      [{ id: 'm', type: 'merge', inputs: [{ name: 'a', match: 'a' }], formula: '1 / a', wires: [['out']] }],
      { nodes },
    );
    h.send('m', { topic: 'a', payload: 0 });
    const [err] = await h.waitErrors(1, 'm');
    expect(err!.message).toMatch(/gave Infinity/);
  });
});
