import { describe, expect, it } from 'vitest';
import { createBoundedQueue } from './bounded-queue.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('createBoundedQueue', () => {
  it('holds at most its capacity, counting taken items until released', async () => {
    const q = createBoundedQueue<number>({ capacity: 3, lowWater: 1 });
    const paused: boolean[] = [];
    q.onPausedChange((p) => paused.push(p));
    await q.put(1);
    await q.put(2);
    expect(q.offer(3)).toBe(true);
    expect(q.offer(4)).toBe(false);
    expect(q.paused).toBe(true);
    expect(q.take(2)).toEqual([1, 2]);
    expect(q.size).toBe(3);
    expect(q.offer(4)).toBe(false); // taken items still count
    let admitted = false;
    const waiting = q.put(4).then(() => (admitted = true));
    await tick();
    expect(admitted).toBe(false);
    q.release(2);
    await waiting;
    expect(q.size).toBe(2);
    expect(q.paused).toBe(true); // above the low-water mark
    q.take(1);
    q.release(1);
    expect(q.paused).toBe(false);
    expect(paused).toEqual([true, false]);
    expect(q.take(5)).toEqual([4]);
  });

  it('admits waiting producers in order, before later offers', async () => {
    const q = createBoundedQueue<string>({ capacity: 1 });
    await q.put('a');
    const order: string[] = [];
    const b = q.put('b').then(() => order.push('b'));
    const c = q.put('c').then(() => order.push('c'));
    expect(q.offer('d')).toBe(false);
    for (const expected of ['a', 'b', 'c']) {
      expect(q.take(1)).toEqual([expected]);
      q.release(1);
      await tick();
    }
    await Promise.all([b, c]);
    expect(order).toEqual(['b', 'c']);
  });

  it('wakes the consumer and rejects waiting producers on close', async () => {
    const q = createBoundedQueue<number>({ capacity: 1 });
    const empty = q.whenNotEmpty();
    await q.put(1);
    await empty;
    const blocked = q.put(2);
    q.close(new Error('closed'));
    await expect(blocked).rejects.toThrow('closed');
    await expect(q.put(3)).rejects.toThrow('closed');
    expect(q.peek()).toBe(1);
  });
});
