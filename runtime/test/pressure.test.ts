import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineNode } from '../src/index.js';
import { startHarness } from './harness.js';

// A source that honours back-pressure: it awaits flowControl.ready() before each send.
const burst = defineNode({
  type: 'burst',
  category: 'core',
  inputs: 1,
  outputs: 1,
  config: z.object({ count: z.number() }),
  create: (ctx, config) => ({
    async input(_msg, send, done) {
      for (let i = 0; i < config.count; i++) {
        if (ctx.flowControl.paused) await ctx.flowControl.ready();
        send({ _msgid: '', payload: i });
      }
      done();
    },
  }),
});

const sink = defineNode({
  type: 'sink',
  category: 'core',
  inputs: 1,
  outputs: 0,
  config: z.object({}).passthrough(),
  create: (ctx) => {
    let n = 0;
    let last = -1;
    return {
      input(msg) {
        n++;
        if ((msg.payload as number) !== last + 1) ctx.error(new Error(`out of order at ${n}`));
        last = msg.payload as number;
        if (n % 250_000 === 0) ctx.status({ text: String(n) });
      },
    };
  },
});

describe('back-pressure', () => {
  it('a burst of 1,000,000 messages stays within a bounded queue and arrives in order', async () => {
    const h = startHarness([burst, sink]);
    let maxDepth = 0;
    let pauses = 0;
    const errors: string[] = [];
    h.runtime.events.on('pressure', (e) => {
      if (e.paused) pauses++;
    });
    h.runtime.events.on('error', (e) => errors.push(e.message));
    await h.runtime.deploy([
      { id: 't', type: 'tab' },
      { id: 'b', type: 'burst', z: 't', count: 1_000_000, wires: [['p1']] },
      { id: 'p1', type: 'pass', z: 't', wires: [['p2']] },
      { id: 'p2', type: 'pass', z: 't', wires: [['s']] },
      { id: 's', type: 'sink', z: 't', wires: [] },
    ]);
    const sampler = setInterval(() => {
      maxDepth = Math.max(maxDepth, h.runtime.metrics().queueDepth);
    }, 1);
    const heapBefore = process.memoryUsage().heapUsed;
    h.runtime.receive('b', {});
    let statusSeen = 0;
    h.runtime.events.on('status', () => statusSeen++);
    while (statusSeen < 4) await new Promise((r) => setTimeout(r, 20));
    clearInterval(sampler);
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    expect(errors).toEqual([]);
    expect(pauses).toBeGreaterThan(0);
    // The queue never holds more than the high-water mark plus one burst step per hop.
    expect(maxDepth).toBeLessThan(20_000);
    expect(heapGrowth).toBeLessThan(100 * 1024 * 1024);
    const s = h.runtime.metrics().nodes.find((n) => n.id === 's');
    expect(s?.in).toBe(1_000_000);
    await h.runtime.close();
  }, 60_000);
});
