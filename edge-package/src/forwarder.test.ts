import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDiskQueue } from './disk-queue.js';
import { createForwarder, type OutgoingItem } from './forwarder.js';

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};
const tempQueue = (limit = 100_000) =>
  openDiskQueue({ file: join(mkdtempSync(join(tmpdir(), 'gf-fw-')), 'q.db'), limit });

describe('forwarder', () => {
  it('sends live items first, then the backlog as back-fill, and drops only acked items', async () => {
    const q = tempQueue();
    q.append(Array.from({ length: 300 }, (_, i) => ({ time: i, channel: 'c', msg: { i } })));
    const received: OutgoingItem[] = [];
    const floors: number[] = [];
    let failNext = true;
    const fw = createForwarder({
      queue: q,
      backfillRate: 1000,
      batchSize: 100,
      retryMs: 50,
      send: async ({ items, floor }) => {
        if (failNext && items[0]?.backfill) {
          failNext = false;
          throw new Error('link dropped');
        }
        floors.push(floor);
        received.push(...items);
        return items.map((i) => i.seq);
      },
    });
    fw.start();
    q.append([{ time: 999, channel: 'c', msg: { live: true } }]);
    fw.notify();
    await until(() => received.some((r) => !r.backfill));
    await until(() => q.size() === 0);
    fw.stop();
    // The live item is not held up by the backlog: most of the backlog follows it.
    const liveAt = received.findIndex((r) => !r.backfill);
    expect(JSON.parse(received[liveAt]?.json ?? 'null')).toEqual({ live: true });
    expect(received.slice(liveAt + 1).filter((r) => r.backfill).length).toBeGreaterThan(150);
    // Every backlog item once (the failed batch was read again from disk), nothing else.
    const backfill = received.filter((r) => r.backfill).map((r) => r.seq);
    expect([...backfill].sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    // The floor only rises, and never past an item not yet acknowledged.
    expect(floors).toEqual([...floors].sort((a, b) => a - b));
    expect(floors[0]).toBe(1);
    q.close();
  });

  it('drains the backlog at the bounded rate while live items keep flowing', async () => {
    const q = tempQueue();
    q.append(Array.from({ length: 2000 }, (_, i) => ({ time: i, channel: 'c', msg: { i } })));
    const received: { item: OutgoingItem; at: number }[] = [];
    const fw = createForwarder({
      queue: q,
      backfillRate: 2000,
      batchSize: 200,
      send: async ({ items }) => {
        const at = Date.now();
        for (const item of items) received.push({ item, at });
        await new Promise((r) => setTimeout(r, 2));
        return items.map((i) => i.seq);
      },
    });
    const started = Date.now();
    fw.start();
    let n = 0;
    const live = setInterval(() => {
      q.append([{ time: Date.now(), channel: 'c', msg: { live: n++ } }]);
      fw.notify();
    }, 5);
    await until(() => fw.sent.backfill === 2000);
    clearInterval(live);
    const took = Date.now() - started;
    fw.stop();
    // 2000 back-fill items at 2000/s: about a second, not all at once, and not starved by live data.
    expect(took).toBeGreaterThan(700);
    expect(took).toBeLessThan(5000);
    const liveDuring = received.filter((r) => !r.item.backfill);
    expect(liveDuring.length).toBeGreaterThan(50);
    expect(liveDuring.every((r) => r.item.seq > 2000)).toBe(true);
    expect(fw.sent.backfill).toBe(2000);
    q.close();
  });

  it('keeps unacknowledged items on disk for the next connection', async () => {
    const q = tempQueue();
    const fw = createForwarder({
      queue: q,
      backfillRate: 1000,
      send: async ({ items }) => items.filter((i) => i.seq % 2 === 0).map((i) => i.seq),
    });
    fw.start();
    q.append([1, 2, 3, 4].map((i) => ({ time: i, channel: 'c', msg: { i } })));
    fw.notify();
    await until(() => q.size() === 2);
    fw.stop();
    expect(q.read(0, 10).map((i) => i.seq)).toEqual([1, 3]);
    q.close();
  });
});
