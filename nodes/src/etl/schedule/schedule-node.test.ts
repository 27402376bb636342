import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNode, type AnyNodeDefinition } from '@gridflow/runtime';
import type { JobRun } from '@gridflow/runtime/contract';
import { runFlow, type FlowHarness } from '../../../test/flow-harness.js';
import { createJobTracker } from '../job-tracker.js';
import { jobsKey } from '../services.js';
import { pieceOf } from '../messages.js';
import { createCompletion, runParts } from './run-completion.js';
import { scheduleNode } from './schedule-node.js';

/** Splits a job message into `n` pieces sent in reverse order, the way a source's pages may come back. */
const splitter = defineNode({
  type: 'test-split',
  category: 'core',
  inputs: 1,
  outputs: 1,
  config: z.object({ n: z.number().default(3) }).passthrough(),
  create: (_ctx, c) => ({
    input(msg, send) {
      const id = (msg['job'] as { id: string }).id;
      for (let i = c.n - 1; i >= 0; i--) send(pieceOf(msg, i, id, i, i === c.n - 1));
    },
  }),
}) as AnyNodeDefinition;

let h: FlowHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function harness(flows: Record<string, unknown>[]) {
  const runs: JobRun[] = [];
  const tracker = createJobTracker({ onRun: (run, change) => change === 'end' && runs.push(run) });
  return runFlow(flows, { nodes: [scheduleNode, splitter], services: { [jobsKey.name]: tracker }, timeoutMs: 5000 }).then((harness) => {
    h = harness;
    return { h: harness, tracker, runs };
  });
}

describe('schedule', () => {
  it('fires a cron expression with seconds, each start a run that ends when its message comes back', async () => {
    const { h, runs } = await harness([{ id: 's', type: 'schedule', kind: 'cron', cron: '* * * * * *', wires: [['s', 'started']] }]);
    const started = await h.outputs('started', 2, 3500);
    expect(started[0]?.['job']).toEqual({ id: expect.any(String), schedule: 's', name: 's' });
    expect(started[0]?.['job']).not.toEqual(started[1]?.['job']);
    await h.settle();
    expect(runs.slice(0, 2).map((r) => [r.status, r.trigger])).toEqual([
      ['succeeded', 'cron'],
      ['succeeded', 'cron'],
    ]);
  }, 10_000);

  it('runs on an interval, skipping starts while a run goes on, and fails a run that times out', async () => {
    const { h, runs } = await harness([{ id: 's', type: 'schedule', kind: 'interval', interval: 0.1, timeout: 0.35, wires: [['started']] }]);
    await new Promise((r) => setTimeout(r, 600));
    expect(runs[0]).toMatchObject({ status: 'failed', error: 'timed out after 0.35 s', trigger: 'interval' });
    // Starts during the open run were skipped, with a warning naming it.
    expect(h.received('started').length).toBeLessThanOrEqual(3);
    expect(h.logs.some((l) => l.level === 'warn' && /skipped a interval run: run .* is still going on/.test(l.message))).toBe(true);
  });

  it('waits for every piece of a split run, in any order', async () => {
    const { h, runs } = await harness([
      { id: 's', type: 'schedule', kind: 'interval', interval: 3600, runOnStart: true, wires: [['split']] },
      { id: 'split', type: 'test-split', n: 4, wires: [['s']] },
    ]);
    await h.settle(20);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.status).toBe('succeeded');
    expect(runs[0]?.trigger).toBe('startup');
  });

  it('fails a run with the error a catch node carries back', async () => {
    const { h, tracker, runs } = await harness([{ id: 's', type: 'schedule', kind: 'interval', interval: 3600, wires: [['started']] }]);
    const run = tracker.runNow('s', 'ada');
    h.send('s', { job: { id: run.id, schedule: 's', name: 's' }, error: { message: 'Error: table missing', source: { id: 'q1' } } } as never);
    await h.settle();
    expect(runs[0]).toMatchObject({ status: 'failed', error: 'Error: table missing (node q1)', user: 'ada', trigger: 'manual' });
  });

  it('computes the next run in the given time zone, and refuses bad expressions and zones at deploy', async () => {
    const { tracker } = await harness([{ id: 's', type: 'schedule', kind: 'cron', cron: '0 30 9 * * *', timezone: 'Asia/Tokyo', wires: [[]] }]);
    // 09:30 in Tokyo (UTC+9, no summer time) is 00:30 UTC.
    expect(tracker.schedule('s')?.nextRun).toMatch(/T00:30:00\.000Z$/);
    expect(tracker.schedule('s')).toMatchObject({ cron: '0 30 9 * * *', timezone: 'Asia/Tokyo', kind: 'cron' });
    await expect(runFlow([{ id: 'b', type: 'schedule', cron: '61 * * * * *', wires: [[]] }], { nodes: [scheduleNode] })).rejects.toThrow(/invalid cron expression "61 \* \* \* \* \*"/);
    await expect(runFlow([{ id: 'b', type: 'schedule', timezone: 'Mars/Olympus', wires: [[]] }], { nodes: [scheduleNode] })).rejects.toThrow(/unknown time zone "Mars\/Olympus"/);
  });

  it('pauses and resumes through the tracker, and fails open runs when it stops', async () => {
    const { h, tracker, runs } = await harness([{ id: 's', type: 'schedule', kind: 'interval', interval: 0.05, timeout: 0, wires: [['started']] }]);
    await h.outputs('started', 1);
    tracker.setPaused('s', true);
    await h.settle(5);
    const count = h.received('started').length;
    await new Promise((r) => setTimeout(r, 200));
    expect(h.received('started').length).toBe(count);
    expect(tracker.schedule('s')).toMatchObject({ paused: true, nextRun: null, running: 1 });
    await h.close();
    expect(runs.at(-1)).toMatchObject({ status: 'failed', error: expect.stringContaining('stopped') });
  });
});

describe('run completion', () => {
  it('finds the run\'s parts under later splits and counts out-of-order arrivals once', () => {
    expect(runParts({ id: 'x', index: 0, parts: { id: 'run', index: 2, count: 3 } }, 'run')).toEqual({ index: 2, count: 3 });
    expect(runParts({ id: 'x', index: 0 }, 'run')).toBeUndefined();
    const c = createCompletion();
    expect(c.arrive(2, 3)).toBe(false);
    expect(c.arrive(2)).toBe(false);
    expect(c.arrive(0)).toBe(false);
    expect(c.arrive(1)).toBe(true);
    expect(c.returned).toBe(3);
  });
});
