import { describe, expect, it } from 'vitest';
import { createAckOrder, createDurabilityBarrier } from './durability-barrier.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('durability barrier', () => {
  it('waits for every registered store, and for none when nothing is pending', async () => {
    const errors: unknown[] = [];
    const barrier = createDurabilityBarrier((err) => errors.push(err));
    expect(barrier.whenStored()).toBeUndefined();
    let release = () => undefined as void;
    const pending = new Promise<void>((r) => (release = r));
    const off = barrier.register(() => pending);
    barrier.register(() => undefined);
    barrier.take();
    expect(barrier.taken).toBe(1);
    let done = false;
    void barrier.whenStored()?.then(() => (done = true));
    await tick();
    expect(done).toBe(false);
    release();
    await tick();
    expect(done).toBe(true);
    off();
    expect(barrier.whenStored()).toBeUndefined();
  });

  it('lets the acks go when a store fails, and reports it', async () => {
    const errors: unknown[] = [];
    const barrier = createDurabilityBarrier((err) => errors.push(err));
    barrier.register(() => Promise.reject(new Error('writer gone')));
    await expect(barrier.whenStored()).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
  });
});

describe('ack order', () => {
  it('keeps acks that need no wait behind earlier held ones', async () => {
    const order = createAckOrder();
    expect(order.after(undefined)).toBeUndefined();
    let release = () => undefined as void;
    const sent: string[] = [];
    void order.after(new Promise<void>((r) => (release = r)))?.then(() => sent.push('held'));
    const next = order.after(undefined);
    expect(next).toBeDefined();
    void next?.then(() => sent.push('next'));
    await tick();
    expect(sent).toEqual([]);
    release();
    await tick();
    expect(sent).toEqual(['held', 'next']);
    expect(order.after(undefined)).toBeUndefined(); // nothing held any more
  });
});
