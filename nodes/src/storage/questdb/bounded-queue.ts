/**
 * A FIFO with a hard capacity, for the writer's buffer. Items the consumer has taken but not yet
 * released (a batch being sent or retried) still count against the capacity, so the bound holds
 * while QuestDB is down. Producers that find it full wait in line (FIFO, so rows keep their order);
 * `paused` turns on at capacity and off again at the low-water mark, so sources watching it
 * do not flap.
 */
export interface BoundedQueue<T> {
  /** Items waiting plus items taken and not yet released. */
  readonly size: number;
  /** Items waiting to be taken. */
  readonly length: number;
  readonly capacity: number;
  readonly paused: boolean;
  /** Adds the item at once when there is room and nobody is waiting; false otherwise. */
  offer(item: T): boolean;
  /** Adds the item, waiting for room; rejects if the queue is closed first. */
  put(item: T): Promise<void>;
  /** The item at the front, without taking it. */
  peek(): T | undefined;
  /** Removes up to `max` items from the front; they count against the capacity until released. */
  take(max: number): T[];
  /** Frees room for `count` taken items (sent, or given up on). */
  release(count: number): void;
  /** Resolves when at least one item is waiting (at once if one is). */
  whenNotEmpty(): Promise<void>;
  onPausedChange(listener: (paused: boolean) => void): () => void;
  /** Rejects every waiting producer; later puts reject too. */
  close(reason: Error): void;
}

export interface BoundedQueueOptions {
  capacity: number;
  /** `paused` turns off when the size falls to this; half the capacity by default. */
  lowWater?: number;
}

interface Waiter<T> {
  item: T;
  resolve: () => void;
  reject: (err: Error) => void;
}

export function createBoundedQueue<T>(options: BoundedQueueOptions): BoundedQueue<T> {
  const capacity = Math.max(1, Math.floor(options.capacity));
  const lowWater = Math.min(capacity - 1, Math.max(0, Math.floor(options.lowWater ?? capacity / 2)));
  let items: T[] = [];
  let head = 0;
  let taken = 0;
  let paused = false;
  let closed: Error | undefined;
  const waiters: Waiter<T>[] = [];
  let waiterHead = 0;
  const listeners = new Set<(paused: boolean) => void>();
  let notEmpty: (() => void)[] = [];

  const length = () => items.length - head;
  const size = () => length() + taken;
  const waiting = () => waiters.length - waiterHead;

  function setPaused(next: boolean): void {
    if (next === paused) return;
    paused = next;
    for (const l of [...listeners]) l(paused);
  }

  function updatePaused(): void {
    if (!paused && (size() >= capacity || waiting() > 0)) setPaused(true);
    else if (paused && size() <= lowWater && waiting() === 0) setPaused(false);
  }

  function push(item: T): void {
    items.push(item);
    if (notEmpty.length) {
      const wake = notEmpty;
      notEmpty = [];
      for (const w of wake) w();
    }
  }

  function admitWaiters(): void {
    while (waiting() > 0 && size() < capacity) {
      const w = waiters[waiterHead++] as Waiter<T>;
      push(w.item);
      w.resolve();
    }
    if (waiterHead > 256 && waiterHead * 2 > waiters.length) {
      waiters.splice(0, waiterHead);
      waiterHead = 0;
    }
  }

  return {
    get size() {
      return size();
    },
    get length() {
      return length();
    },
    capacity,
    get paused() {
      return paused;
    },
    offer(item) {
      if (closed || waiting() > 0 || size() >= capacity) return false;
      push(item);
      updatePaused();
      return true;
    },
    put(item) {
      if (closed) return Promise.reject(closed);
      if (waiting() === 0 && size() < capacity) {
        push(item);
        updatePaused();
        return Promise.resolve();
      }
      return new Promise<void>((resolve, reject) => {
        waiters.push({ item, resolve, reject });
        updatePaused();
      });
    },
    peek: () => (length() > 0 ? items[head] : undefined),
    take(max) {
      const n = Math.min(Math.max(0, max), length());
      const out = items.slice(head, head + n);
      head += n;
      taken += n;
      if (head > 1024 && head * 2 > items.length) {
        items = items.slice(head);
        head = 0;
      }
      return out;
    },
    release(count) {
      taken = Math.max(0, taken - count);
      admitWaiters();
      updatePaused();
    },
    whenNotEmpty() {
      if (length() > 0) return Promise.resolve();
      return new Promise<void>((resolve) => notEmpty.push(resolve));
    },
    onPausedChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close(reason) {
      closed = reason;
      while (waiting() > 0) (waiters[waiterHead++] as Waiter<T>).reject(reason);
      const wake = notEmpty;
      notEmpty = [];
      for (const w of wake) w();
      updatePaused();
    },
  };
}
