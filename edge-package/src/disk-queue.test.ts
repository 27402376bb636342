import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDiskQueue } from './disk-queue.js';

const dir = () => mkdtempSync(join(tmpdir(), 'gf-queue-'));
const item = (i: number) => ({ time: 1000 + i, channel: 'c', msg: { payload: i } });

describe('disk queue', () => {
  it('keeps items across a reopen and never reuses a sequence number', () => {
    const file = join(dir(), 'q.db');
    const q = openDiskQueue({ file, limit: 100 });
    expect(q.append([item(1), item(2), item(3)])).toEqual([1, 2, 3]);
    q.ack([1, 2, 3]);
    q.append([item(4)]);
    q.close();
    const again = openDiskQueue({ file, limit: 100 });
    expect(again.size()).toBe(1);
    expect(again.read(0, 10).map((i) => [i.seq, i.msg['payload']])).toEqual([[4, 4]]);
    expect(again.append([item(5)])).toEqual([5]);
    again.close();
  });

  it('drops the oldest items beyond its limit and counts them', () => {
    const q = openDiskQueue({ file: join(dir(), 'q.db'), limit: 3 });
    q.append([1, 2, 3, 4, 5].map(item));
    expect(q.size()).toBe(3);
    expect(q.dropped()).toBe(2);
    expect(q.read(0, 10).map((i) => i.seq)).toEqual([3, 4, 5]);
    expect(q.oldestTime()).toBe(1003);
    q.close();
  });

  it('reads a bounded range', () => {
    const q = openDiskQueue({ file: join(dir(), 'q.db'), limit: 100 });
    q.append([1, 2, 3, 4, 5].map(item));
    expect(q.read(1, 2, 4).map((i) => i.seq)).toEqual([2, 3]);
    expect(q.read(3, 10, 4).map((i) => i.seq)).toEqual([4]);
    q.close();
  });
});
