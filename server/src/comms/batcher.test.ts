import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher.js';

describe('batcher', () => {
  it('passes at most maxPerSource per interval per source and counts the rest', () => {
    const b = createBatcher<number>({ maxPerSource: 2, maxPerBatch: 100 });
    let built = 0;
    for (let i = 0; i < 5; i++) b.offer('a', () => (built++, i));
    b.offer('b', () => 99);
    expect(built).toBe(2);
    expect(b.take()).toEqual({ items: [0, 1, 99], dropped: { a: 3 } });
    // A new interval starts after take.
    expect(b.offer('a', () => 7)).toBe(true);
    expect(b.take()).toEqual({ items: [7], dropped: {} });
    expect(b.take()).toBeUndefined();
  });

  it('caps the whole batch', () => {
    const b = createBatcher<string>({ maxPerSource: 10, maxPerBatch: 3 });
    for (const s of ['a', 'b', 'c', 'd', 'e']) b.offer(s, () => s);
    expect(b.take()).toEqual({ items: ['a', 'b', 'c'], dropped: { d: 1, e: 1 } });
  });

  it('keeps up with 10,000 offers in well under a frame', () => {
    const b = createBatcher<number>({ maxPerSource: 20, maxPerBatch: 500 });
    const start = performance.now();
    for (let i = 0; i < 10_000; i++) b.offer(`n${i % 10}`, () => i);
    const batch = b.take();
    expect(performance.now() - start).toBeLessThan(50);
    expect(batch?.items).toHaveLength(200);
    expect(Object.values(batch?.dropped ?? {}).reduce((a, c) => a + c, 0)).toBe(9_800);
  });
});
