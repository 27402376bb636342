/**
 * The delivery queue: one FIFO ring buffer for every wire, drained in batches that yield to the
 * event loop, so a node's send never runs the next node inside its own call stack.
 */
export interface SchedulerOptions {
  /** Queue length at which sources are told to pause. */
  highWater: number;
  /** Queue length at which paused sources are told to resume. */
  lowWater: number;
  /** Longest a drain may hold the event loop before it yields (ms). */
  sliceMs: number;
}

export interface Scheduler<T, M> {
  enqueue(target: T, msg: M): void;
  readonly length: number;
  readonly paused: boolean;
  onPressure(listener: (paused: boolean) => void): () => void;
  /** Resolves when the queue is empty (for tests and clean shutdown). */
  idle(): Promise<void>;
  clear(): void;
}

export function createScheduler<T, M>(
  deliver: (target: T, msg: M) => void,
  options: SchedulerOptions,
): Scheduler<T, M> {
  let cap = 1024;
  let targets: (T | undefined)[] = new Array<T | undefined>(cap);
  let msgs: (M | undefined)[] = new Array<M | undefined>(cap);
  let head = 0;
  let size = 0;
  let scheduled = false;
  let paused = false;
  const listeners = new Set<(paused: boolean) => void>();
  let idleWaiters: (() => void)[] = [];

  const grow = () => {
    const nt = new Array<T | undefined>(cap * 2);
    const nm = new Array<M | undefined>(cap * 2);
    for (let i = 0; i < size; i++) {
      const j = (head + i) & (cap - 1);
      nt[i] = targets[j];
      nm[i] = msgs[j];
    }
    targets = nt;
    msgs = nm;
    head = 0;
    cap *= 2;
  };

  const setPaused = (value: boolean) => {
    if (paused === value) return;
    paused = value;
    for (const l of listeners) l(value);
  };

  const drain = () => {
    scheduled = false;
    const start = performance.now();
    let n = 0;
    while (size > 0) {
      const target = targets[head] as T;
      const msg = msgs[head] as M;
      targets[head] = undefined;
      msgs[head] = undefined;
      head = (head + 1) & (cap - 1);
      size--;
      deliver(target, msg);
      if ((++n & 255) === 0 && performance.now() - start > options.sliceMs) break;
    }
    if (paused && size <= options.lowWater) setPaused(false);
    if (size > 0) schedule();
    else if (idleWaiters.length) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  };

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(drain);
  };

  return {
    enqueue(target, msg) {
      if (size === cap) grow();
      const i = (head + size) & (cap - 1);
      targets[i] = target;
      msgs[i] = msg;
      size++;
      if (!paused && size >= options.highWater) setPaused(true);
      schedule();
    },
    get length() {
      return size;
    },
    get paused() {
      return paused;
    },
    onPressure(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    idle() {
      if (size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    clear() {
      targets = new Array<T | undefined>(cap);
      msgs = new Array<M | undefined>(cap);
      head = 0;
      size = 0;
      setPaused(false);
    },
  };
}
