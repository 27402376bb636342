/**
 * Per-key state with a bound on the number of live keys: the least recently used key is evicted
 * when a new one would exceed `maxKeys`, so a key explosion (a topic per message, say) cannot grow
 * memory without bound. An intrusive linked list keeps `touch` to a few pointer writes, with no
 * Map mutation on the hot path.
 */
interface Entry<S> {
  key: string;
  state: S;
  prev: Entry<S> | undefined;
  next: Entry<S> | undefined;
}

export interface KeyedStateOptions<S> {
  maxKeys: number;
  /** Called for each evicted key, to release timers or emit what it held. */
  onEvict?(key: string, state: S): void;
}

export interface KeyedState<S> {
  /** The key's state, marked most recently used; created with `init` when missing. */
  use(key: string, init: (key: string) => S): S;
  /** The key's state without changing its recency. */
  peek(key: string): S | undefined;
  delete(key: string): boolean;
  readonly size: number;
  /** How many keys were evicted since the node started. */
  readonly evicted: number;
  /** Oldest (least recently used) first; safe against deleting the current key while iterating. */
  entries(): IterableIterator<[string, S]>;
  clear(): void;
}

export function createKeyedState<S>(options: KeyedStateOptions<S>): KeyedState<S> {
  const max = Math.max(1, Math.floor(options.maxKeys));
  const map = new Map<string, Entry<S>>();
  let head: Entry<S> | undefined; // least recently used
  let tail: Entry<S> | undefined; // most recently used
  let evicted = 0;

  const unlink = (e: Entry<S>) => {
    if (e.prev) e.prev.next = e.next;
    else head = e.next;
    if (e.next) e.next.prev = e.prev;
    else tail = e.prev;
    e.prev = e.next = undefined;
  };
  const append = (e: Entry<S>) => {
    e.prev = tail;
    e.next = undefined;
    if (tail) tail.next = e;
    else head = e;
    tail = e;
  };

  return {
    use(key, init) {
      let e = map.get(key);
      if (e) {
        if (e !== tail) {
          unlink(e);
          append(e);
        }
        return e.state;
      }
      if (map.size >= max && head) {
        const old = head;
        unlink(old);
        map.delete(old.key);
        evicted++;
        options.onEvict?.(old.key, old.state);
      }
      e = { key, state: init(key), prev: undefined, next: undefined };
      map.set(key, e);
      append(e);
      return e.state;
    },
    peek: (key) => map.get(key)?.state,
    delete(key) {
      const e = map.get(key);
      if (!e) return false;
      unlink(e);
      map.delete(key);
      return true;
    },
    get size() {
      return map.size;
    },
    get evicted() {
      return evicted;
    },
    *entries() {
      let e = head;
      while (e) {
        const next = e.next;
        yield [e.key, e.state];
        e = next;
      }
    },
    clear() {
      map.clear();
      head = tail = undefined;
    },
  };
}
