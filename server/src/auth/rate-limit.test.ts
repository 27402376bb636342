import { describe, expect, it } from 'vitest';
import { createFailureLimiter } from './rate-limit.js';

describe('failure limiter', () => {
  it('blocks after maxFailures in the window until the oldest failure leaves it', () => {
    const l = createFailureLimiter({ maxFailures: 3, windowMs: 60_000 });
    l.fail('k', 0);
    l.fail('k', 10_000);
    expect(l.retryAfter('k', 10_000)).toBe(0);
    l.fail('k', 20_000);
    expect(l.retryAfter('k', 20_000)).toBe(40);
    expect(l.retryAfter('k', 59_500)).toBe(1);
    expect(l.retryAfter('k', 60_000)).toBe(0);
    expect(l.retryAfter('other', 20_000)).toBe(0);
  });

  it('forgets a key on reset and bounds the number of keys', () => {
    const l = createFailureLimiter({ maxFailures: 1, windowMs: 1000, maxKeys: 2 });
    l.fail('a', 0);
    expect(l.retryAfter('a', 0)).toBe(1);
    l.reset('a');
    expect(l.retryAfter('a', 0)).toBe(0);
    l.fail('a', 0);
    l.fail('b', 0);
    l.fail('c', 0);
    expect(l.size()).toBe(2);
    expect(l.retryAfter('a', 0)).toBe(0);
  });
});
