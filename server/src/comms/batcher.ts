/**
 * Collects items between flushes with a per-source limit, so one chatty node cannot crowd out
 * the others or flood a browser: at most `maxPerSource` items per source and `maxPerBatch` in
 * all per interval; the rest are only counted. Items are built lazily (`make` runs only for
 * accepted ones), so dropped messages cost a counter increment, not an encoding.
 */
export interface Batcher<T> {
  offer(source: string, make: () => T): boolean;
  /** The batch since the last take, or undefined when nothing was offered; starts a new interval. */
  take(): { items: T[]; dropped: Record<string, number> } | undefined;
  readonly pending: number;
}

export function createBatcher<T>(options: { maxPerSource: number; maxPerBatch: number }): Batcher<T> {
  let items: T[] = [];
  let perSource = new Map<string, number>();
  let dropped = new Map<string, number>();
  return {
    offer(source, make) {
      const count = perSource.get(source) ?? 0;
      if (count >= options.maxPerSource || items.length >= options.maxPerBatch) {
        dropped.set(source, (dropped.get(source) ?? 0) + 1);
        return false;
      }
      perSource.set(source, count + 1);
      items.push(make());
      return true;
    },
    take() {
      if (items.length === 0 && dropped.size === 0) {
        perSource.clear();
        return undefined;
      }
      const batch = { items, dropped: Object.fromEntries(dropped) };
      items = [];
      perSource = new Map();
      dropped = new Map();
      return batch;
    },
    get pending() {
      return items.length;
    },
  };
}
