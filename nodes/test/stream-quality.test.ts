import { afterEach, describe, expect, it, vi } from 'vitest';
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

describe('data quality', () => {
  it('tags range violations and spikes, and accepts a new level after spikeReset', async () => {
    h = await runFlow(
      [
        {
          id: 'dq',
          type: 'data quality',
          min: 0,
          max: 100,
          maxRate: 10,
          spikeReset: 3,
          timeProperty: 'ts',
          wires: [['out'], ['bad']],
        },
      ],
      { nodes },
    );
    const series: [number, unknown][] = [
      [0, 50],
      [1000, 55],
      [2000, 150],
      [3000, 58],
      [4000, 90],
      [5000, 91],
      [6000, 92],
      [7000, 93],
      [7000, 93.5],
      [8000, 'x'],
    ];
    await feed(
      h,
      'dq',
      series.map(([ts, payload]) => ({ topic: 'a', ts, payload })),
    );
    const tags = h.received('out').map((m) => [m.payload, m['quality'], (m['qualityReasons'] as string[]).join(',')]);
    expect(tags).toEqual([
      [50, 'good', ''],
      [55, 'good', ''],
      [150, 'bad', 'out-of-range,spike'],
      [58, 'good', ''],
      [90, 'bad', 'spike'],
      [91, 'bad', 'spike'],
      [92, 'uncertain', 'new-level'],
      [93, 'good', ''],
      [93.5, 'uncertain', 'time-not-increasing'],
      ['x', 'bad', 'not-a-number'],
    ]);
  });

  it('sends bad values to the second output when asked, and keeps upstream quality', async () => {
    h = await runFlow([{ id: 'dq', type: 'data quality', max: 10, bad: 'second', wires: [['out'], ['bad']] }], {
      nodes,
    });
    await feed(h, 'dq', [
      { topic: 'a', payload: 5 },
      { topic: 'a', payload: 50 },
      { topic: 'a', payload: 6, quality: 'uncertain' },
    ]);
    expect(h.received('out').map((m) => [m.payload, m['quality']])).toEqual([
      [5, 'good'],
      [6, 'uncertain'],
    ]);
    expect(h.received('bad').map((m) => m['qualityReasons'])).toEqual([['out-of-range']]);
  });

  it('reports a key once when it goes stale, and marks the value that resumes it', async () => {
    vi.useFakeTimers({ toFake: FAKE });
    vi.setSystemTime(0);
    h = await runFlow([{ id: 'dq', type: 'data quality', staleAfter: 10, wires: [['out'], []] }], { nodes });
    await feed(h, 'dq', [
      { topic: 'a', payload: 1 },
      { topic: 'b', payload: 2 },
    ]);
    await vi.advanceTimersByTimeAsync(6000);
    await feed(h, 'dq', [{ topic: 'b', payload: 3 }]);
    await vi.advanceTimersByTimeAsync(5000); // a: 11 s quiet; b: 5 s
    await h.runtime.idle();
    let stale = h.received('out').filter((m) => m['stale']);
    expect(stale.map((m) => [m.topic, m.payload, m['quality'], m['stale']])).toEqual([
      ['a', 1, 'bad', { key: 'a', lastSeen: 0, after: 10_000 }],
    ]);
    await vi.advanceTimersByTimeAsync(30_000);
    await h.runtime.idle();
    stale = h.received('out').filter((m) => m['stale']);
    expect(stale.map((m) => m.topic)).toEqual(['a', 'b']);
    await feed(h, 'dq', [{ topic: 'a', payload: 4 }]);
    expect(h.received('out').at(-1)).toMatchObject({
      payload: 4,
      quality: 'uncertain',
      qualityReasons: ['resumed-after-stale'],
    });
  });
});

describe('anomaly', () => {
  const normal = [10, 11, 9, 10, 12, 8, 10, 11, 9, 10, 11, 9];

  it('flags outliers by rolling z-score on the second output, with the score', async () => {
    h = await runFlow(
      [
        {
          id: 'an',
          type: 'anomaly',
          window: 20,
          minSamples: 10,
          sensitivity: 'medium',
          wires: [['ok'], ['anomalies']],
        },
      ],
      { nodes },
    );
    await feed(
      h,
      'an',
      [...normal, 30, 10.5].map((payload) => ({ topic: 'a', payload })),
    );
    await feed(h, 'an', [{ topic: 'b', payload: 30 }]); // another key is still warming up
    expect(values(h, 'anomalies')).toEqual([30]);
    const info = h.received('anomalies')[0]!['anomaly'] as {
      score: number;
      anomaly: boolean;
      threshold: number;
      method: string;
    };
    expect(info).toMatchObject({ anomaly: true, threshold: 3, method: 'zscore' });
    expect(info.score).toBeGreaterThan(10);
    expect(h.received('ok').at(-1)!['anomaly']).toMatchObject({ key: 'b', score: null, anomaly: false });
    expect(
      h
        .received('ok')
        .slice(0, 10)
        .every((m) => (m['anomaly'] as { score: null }).score === null),
    ).toBe(true);
  });

  it('EWMA detection with sensitivity and flag output', async () => {
    const flow = (sensitivity: string) => [
      {
        id: 'an',
        type: 'anomaly',
        method: 'ewma',
        alpha: 0.2,
        minSamples: 5,
        sensitivity,
        output: 'flag',
        wires: [['out'], []],
      },
    ];
    const run = async (sensitivity: string) => {
      h = await runFlow(flow(sensitivity), { nodes });
      await feed(
        h,
        'an',
        [...normal, 13.5].map((payload) => ({ topic: 'a', payload })),
      );
      const flagged = h
        .received('out')
        .filter((m) => (m['anomaly'] as { anomaly: boolean }).anomaly)
        .map((m) => m.payload);
      await h.close();
      h = undefined;
      return flagged;
    };
    expect(await run('high')).toContain(13.5);
    expect(await run('low')).toEqual([]);
  });
});
