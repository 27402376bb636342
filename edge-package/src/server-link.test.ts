import { describe, expect, it } from 'vitest';
import { backoff } from './server-link.js';

describe('reconnection back-off', () => {
  it('doubles from the first delay up to the longest, with jitter, and starts over after a connection', () => {
    const mid = backoff(500, 5000, () => 0.5);
    expect([1, 2, 3, 4, 5, 6].map(() => mid.next())).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
    mid.reset();
    expect(mid.next()).toBe(500);
    const low = backoff(500, 5000, () => 0);
    const high = backoff(500, 5000, () => 1);
    expect(low.next()).toBe(350);
    expect(high.next()).toBe(650);
  });
});
