/** Lets through at most `perSecond` items per key each second and counts the rest. */
export function perKeyThrottle(perSecond: number) {
  const windows = new Map<string, { start: number; count: number; dropped: number }>();
  return {
    allow(key: string, now = Date.now()): boolean {
      let w = windows.get(key);
      if (!w || now - w.start >= 1000) {
        if (windows.size > 10_000) windows.clear();
        w = { start: now, count: 0, dropped: 0 };
        windows.set(key, w);
      }
      if (w.count < perSecond) {
        w.count++;
        return true;
      }
      w.dropped++;
      return false;
    },
  };
}
