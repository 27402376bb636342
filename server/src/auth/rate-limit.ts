/**
 * Counts failures per key (user + IP) in a sliding window. When a key has `maxFailures`
 * failures in the window, it is blocked until the oldest of them leaves the window.
 * In memory: with several servers each counts its own (a shared store can replace it).
 */
export interface FailureLimiter {
  /** Seconds until the key may try again, or 0 when it may try now. */
  retryAfter(key: string, now?: number): number;
  fail(key: string, now?: number): void;
  reset(key: string): void;
  size(): number;
}

export function createFailureLimiter(options: { maxFailures: number; windowMs: number; maxKeys?: number }): FailureLimiter {
  const failures = new Map<string, number[]>();
  const maxKeys = options.maxKeys ?? 100_000;

  const recent = (key: string, now: number): number[] => {
    const list = failures.get(key);
    if (!list) return [];
    const kept = list.filter((t) => now - t < options.windowMs);
    if (kept.length) failures.set(key, kept);
    else failures.delete(key);
    return kept;
  };

  return {
    retryAfter(key, now = Date.now()) {
      const list = recent(key, now);
      if (list.length < options.maxFailures) return 0;
      const unblockAt = (list[list.length - options.maxFailures] as number) + options.windowMs;
      return Math.max(1, Math.ceil((unblockAt - now) / 1000));
    },
    fail(key, now = Date.now()) {
      const list = recent(key, now);
      list.push(now);
      // Bounded memory under a flood of distinct keys: drop the oldest key.
      if (!failures.has(key) && failures.size >= maxKeys) {
        const oldest = failures.keys().next().value;
        if (oldest !== undefined) failures.delete(oldest);
      }
      failures.set(key, list.slice(-options.maxFailures));
    },
    reset(key) {
      failures.delete(key);
    },
    size: () => failures.size,
  };
}
