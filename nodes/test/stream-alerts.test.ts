import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Msg } from '@gridflow/runtime';
import { streamNodes, type Alert, type AlertSink } from '../src/stream/index.js';
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
const alerts = (h: FlowHarness, id = 'out') => h.received(id).map((m) => m['alert'] as Alert);

let h: FlowHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  vi.useRealTimers();
});

async function feed(harness: FlowHarness, id: string, values: (number | Partial<Msg>)[], topic = 'pump1') {
  for (const v of values) harness.send(id, typeof v === 'number' ? { topic, payload: v } : { topic, ...v });
  await harness.runtime.idle();
}

describe('threshold alert', () => {
  it('raises above the limit and clears only past the hysteresis', async () => {
    h = await runFlow(
      [
        {
          id: 'ta',
          type: 'threshold alert',
          op: '>',
          threshold: 80,
          hysteresis: 5,
          severity: 'major',
          wires: [['out']],
        },
      ],
      { nodes },
    );
    await feed(h, 'ta', [70, 81, 90, 79, 76, 81, 75, 74, 85]);
    const got = alerts(h);
    expect(got.map((a) => [a.state, a.value])).toEqual([
      ['raised', 81],
      ['cleared', 75],
      ['raised', 85],
    ]);
    expect(got[0]).toMatchObject({
      key: 'pump1',
      severity: 'major',
      source: 'ta',
      message: 'pump1: raised at 81 (limit > 80)',
    });
    expect(got[1]!.id).toBe(got[0]!.id);
    expect(got[2]!.id).not.toBe(got[0]!.id);
    expect(h.received('out')[0]!.payload).toBe('pump1: raised at 81 (limit > 80)');
  });

  it('keeps one alert state per key', async () => {
    h = await runFlow([{ id: 'ta', type: 'threshold alert', op: '<', threshold: 10, wires: [['out']] }], { nodes });
    await feed(h, 'ta', [5], 'a');
    await feed(h, 'ta', [5, 20], 'b');
    await feed(h, 'ta', [4], 'a');
    expect(alerts(h).map((a) => `${a.key} ${a.state}`)).toEqual(['a raised', 'b raised', 'b cleared']);
  });

  it('waits for the on delay and the off delay, cancelling when the condition breaks', async () => {
    vi.useFakeTimers({ toFake: FAKE });
    vi.setSystemTime(1_000_000);
    h = await runFlow(
      [
        {
          id: 'ta',
          type: 'threshold alert',
          op: '>',
          threshold: 80,
          hysteresis: 2,
          onDelay: 10,
          offDelay: 5,
          wires: [['out']],
        },
      ],
      { nodes },
    );
    await feed(h, 'ta', [90]);
    await vi.advanceTimersByTimeAsync(9000);
    await feed(h, 'ta', [70]); // breaks the condition before the on delay ends
    await vi.advanceTimersByTimeAsync(20_000);
    expect(alerts(h)).toEqual([]);

    await feed(h, 'ta', [85]);
    await vi.advanceTimersByTimeAsync(5000);
    await feed(h, 'ta', [95]); // still above: the delay keeps running from the first crossing
    await vi.advanceTimersByTimeAsync(5000);
    await h.runtime.idle();
    expect(alerts(h).map((a) => [a.state, a.value, a.time])).toEqual([['raised', 95, 1_000_000 + 29_000 + 10_000]]);

    await feed(h, 'ta', [79]); // inside the hysteresis band: no clear pending
    await vi.advanceTimersByTimeAsync(10_000);
    expect(alerts(h)).toHaveLength(1);
    await feed(h, 'ta', [70]);
    await vi.advanceTimersByTimeAsync(3000);
    await feed(h, 'ta', [81]); // back above: the clear is cancelled
    await vi.advanceTimersByTimeAsync(10_000);
    expect(alerts(h)).toHaveLength(1);
    await feed(h, 'ta', [60]);
    await vi.advanceTimersByTimeAsync(4999);
    expect(alerts(h)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await h.runtime.idle();
    expect(alerts(h).map((a) => a.state)).toEqual(['raised', 'cleared']);
  });

  it('never raises on back-filled or resumed data', async () => {
    vi.useFakeTimers({ toFake: FAKE });
    h = await runFlow([{ id: 'ta', type: 'threshold alert', op: '>=', threshold: 50, onDelay: 1, wires: [['out']] }], {
      nodes,
    });
    await feed(h, 'ta', [
      { payload: 99, backfill: true },
      { payload: 99, resume: true },
    ]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(alerts(h)).toEqual([]);
    // A live value raises; back-filled low values afterwards do not clear it either.
    await feed(h, 'ta', [60]);
    await vi.advanceTimersByTimeAsync(1000);
    await feed(h, 'ta', [{ payload: 0, backfill: true }]);
    await vi.advanceTimersByTimeAsync(5000);
    await h.runtime.idle();
    expect(alerts(h).map((a) => a.state)).toEqual(['raised']);
  });

  it('offers alerts to the host alert service', async () => {
    const seen: string[] = [];
    const sink: AlertSink = {
      raise: (a) => void seen.push(`raise ${a.key} ${a.value}`),
      clear: async (a) => {
        seen.push(`clear ${a.key} ${a.value}`);
        throw new Error('database down');
      },
    };
    h = await runFlow(
      [
        {
          id: 'ta',
          type: 'threshold alert',
          op: 'outside',
          threshold: 10,
          threshold2: 20,
          template: '{{msg.site}}/{{key}} {{severity}}: {{value}}',
          severity: 'critical',
          wires: [['out']],
        },
      ],
      { nodes, services: { alerts: sink } },
    );
    await feed(h, 'ta', [
      { payload: 25, site: 'plant-a' },
      { payload: 15, site: 'plant-a' },
    ]);
    expect(seen).toEqual(['raise pump1 25', 'clear pump1 15']);
    expect(alerts(h)[0]!.message).toBe('plant-a/pump1 critical: 25');
    const [err] = await h.waitErrors(1, 'ta');
    expect(err!.message).toMatch(/alert sink rejected cleared .*database down/);
  });

  it('fails the deploy for a bad template or inverted limits', async () => {
    await expect(
      runFlow([{ id: 'x', type: 'threshold alert', threshold: 1, template: '{{#open}}', wires: [[]] }], { nodes }),
    ).rejects.toThrow(/node x \(threshold alert\) property "template": bad template/);
    await expect(
      runFlow([{ id: 'y', type: 'threshold alert', op: 'between', threshold: 5, threshold2: 1, wires: [[]] }], {
        nodes,
      }),
    ).rejects.toThrow(/property "threshold2"/);
    await expect(runFlow([{ id: 'z', type: 'threshold alert', wires: [[]] }], { nodes })).rejects.toThrow(
      /property "threshold"/,
    );
  });
});

describe('state across a deploy of other nodes', () => {
  it('keeps open windows and raised alerts when only other nodes change', async () => {
    h = await runFlow(
      [
        { id: 'w', type: 'window', by: 'count', size: 3, wires: [['agg'], []] },
        { id: 'agg', type: 'aggregate', ops: ['sum'], wires: [['sums']] },
        { id: 'ta', type: 'threshold alert', op: '>', threshold: 10, wires: [['out']] },
        { id: 'other', type: 'smooth', count: 3, wires: [['smoothed']] },
      ],
      { nodes },
    );
    await feed(h, 'w', [1, 2]);
    await feed(h, 'ta', [50]);
    const raised = alerts(h)[0]!;
    expect(raised.state).toBe('raised');

    const changed = h.runtime
      .flows()
      .map((n) => (n.id === 'other' ? { ...n, count: 5 } : n.id === 'agg' ? { ...n, ops: ['sum', 'count'] } : n));
    const result = await h.runtime.deploy(changed, 'nodes');
    expect(result.stopped.sort()).toEqual(['agg', 'other']);
    expect(result.started.sort()).toEqual(['agg', 'other']);

    await feed(h, 'w', [3]);
    await feed(h, 'ta', [5]);
    expect(h.received('sums').map((m) => m.payload)).toEqual([
      { key: 'pump1', start: expect.any(Number), end: expect.any(Number), count: 3, values: { sum: 6, count: 3 } },
    ]);
    const cleared = alerts(h)[1]!;
    expect(cleared).toMatchObject({ state: 'cleared', id: raised.id });
  });

  it('a full deploy restarts them and the state is gone (the control case)', async () => {
    h = await runFlow([{ id: 'w', type: 'window', by: 'count', size: 3, wires: [['out'], []] }], { nodes });
    await feed(h, 'w', [1, 2]);
    await h.runtime.deploy(h.runtime.flows(), 'full');
    await feed(h, 'w', [3]);
    expect(h.received('out')).toHaveLength(0);
  });
});
