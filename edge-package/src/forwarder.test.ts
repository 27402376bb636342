import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UpstreamItem } from '@gridflow/runtime/contract';
import { openDiskQueue } from './disk-queue.js';
import { createForwarder } from './forwarder.js';

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('forwarder', () => {
  it('sends live items first, then the backlog as back-fill at a bounded rate, and drops only acked items', async () => {
    const q = openDiskQueue({ file: join(mkdtempSync(join(tmpdir(), 'gf-fw-')), 'q.db'), limit: 100_000 });
    q.append(Array.from({ length: 300 }, (_, i) => ({ time: i, channel: 'c', msg: { i } })));
    const received: UpstreamItem[] = [];
    let failNext = true;
    const fw = createForwarder({
      queue: q,
      backfillRate: 1000,
      batchSize: 100,
      send: async (items) => {
        if (failNext && items[0]?.backfill) {
          failNext = false;
          throw new Error('link dropped');
        }
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
    expect(received[0]?.backfill).toBe(false);
    expect(received[0]?.msg).toEqual({ live: true });
    const backfill = received.filter((r) => r.backfill).map((r) => r.seq);
    expect(backfill).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    q.close();
  });
});
