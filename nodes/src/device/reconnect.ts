import type { NodeStatus } from '@gridflow/runtime';

/**
 * Connection life of a connector (MQTT broker, OPC UA endpoint, Modbus server): open, watch,
 * and after a failure or a loss open again after a bounded exponential back-off, calling
 * `onOpen` each time so the connector re-subscribes. One loop, written once, for every connector.
 */

export type ConnectionState =
  | { state: 'connecting' }
  | { state: 'connected' }
  | { state: 'disconnected'; error?: string; retryInMs?: number }
  | { state: 'closed' };

/** How a node using the connection shows its state (Node-RED's colours and shapes). */
export function connectionStatus(s: ConnectionState): NodeStatus {
  switch (s.state) {
    case 'connecting':
      return { fill: 'yellow', shape: 'ring', text: 'connecting' };
    case 'connected':
      return { fill: 'green', shape: 'dot', text: 'connected' };
    case 'disconnected': {
      const retry = s.retryInMs !== undefined ? `; retry in ${Math.max(1, Math.round(s.retryInMs / 1000))} s` : '';
      return { fill: 'red', shape: 'ring', text: `disconnected${s.error ? `: ${s.error.slice(0, 60)}` : ''}${retry}` };
    }
    case 'closed':
      return {};
  }
}

export interface BackoffOptions {
  /** First retry delay (ms). */
  initialDelayMs?: number;
  /** Longest retry delay (ms). */
  maxDelayMs?: number;
}

/** Delay before retry number `attempt` (0-based): doubling from the initial delay up to the maximum, ±20 % jitter. */
export function backoffDelay(attempt: number, o: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = o.initialDelayMs ?? 500;
  const max = o.maxDelayMs ?? 30_000;
  const base = Math.min(max, initial * 2 ** Math.min(attempt, 30));
  const jittered = base * (0.8 + 0.4 * random());
  return Math.round(Math.min(max, jittered));
}

export interface ReconnectorOptions<C> extends BackoffOptions {
  /** Opens a connection; rejects when it cannot. */
  open(): Promise<C>;
  /** Closes a connection (on stop, or a half-open one after onOpen failed). */
  close(conn: C): Promise<void> | void;
  /** Runs after every successful open, first and later ones: subscribe here. A throw counts as a failed open. */
  onOpen?(conn: C): Promise<void> | void;
  onState?(state: ConnectionState): void;
  /** How long a close may take before the connection is given up on (ms); 2 s by default. */
  closeTimeoutMs?: number;
}

export interface Reconnector<C> {
  start(): void;
  /** The connection reports it broke: close it and open again after the back-off. */
  lost(conn: C, err?: unknown): void;
  readonly connection: C | undefined;
  readonly state: ConnectionState;
  /** Resolves with the connection once there is one (at once when connected); rejects when stopped. */
  ready(): Promise<C>;
  stop(): Promise<void>;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : err === undefined ? undefined : String(err));

export function createReconnector<C>(options: ReconnectorOptions<C>): Reconnector<C> {
  // A client library whose close callback never comes (some do not call it for a socket that is
  // already gone) must not stall the reconnect loop.
  const closeWithin = (conn: C): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, options.closeTimeoutMs ?? 2000);
    });
    return Promise.race([Promise.resolve().then(() => options.close(conn)), limit]).finally(() => clearTimeout(timer));
  };
  let state: ConnectionState = { state: 'closed' };
  let connection: C | undefined;
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running = false;
  let waiters: { resolve(c: C): void; reject(e: Error): void }[] = [];

  const setState = (s: ConnectionState) => {
    state = s;
    options.onState?.(s);
  };

  const schedule = (err: unknown) => {
    if (stopped) return;
    const delay = backoffDelay(attempt++, options);
    const error = messageOf(err);
    setState({ state: 'disconnected', ...(error !== undefined ? { error } : {}), retryInMs: delay });
    timer = setTimeout(() => {
      timer = undefined;
      void tryOpen();
    }, delay);
  };

  async function tryOpen(): Promise<void> {
    if (stopped || running) return;
    running = true;
    setState({ state: 'connecting' });
    let conn: C | undefined;
    try {
      conn = await options.open();
      if (stopped) {
        await options.close(conn);
        return;
      }
      await options.onOpen?.(conn);
      if (stopped) {
        await options.close(conn);
        return;
      }
      connection = conn;
      attempt = 0;
      setState({ state: 'connected' });
      const ready = waiters;
      waiters = [];
      for (const w of ready) w.resolve(conn);
    } catch (err) {
      if (conn !== undefined) {
        try {
          await options.close(conn);
        } catch {
          // The connection is being thrown away; a failing close changes nothing.
        }
      }
      schedule(err);
    } finally {
      running = false;
    }
  }

  return {
    start() {
      if (stopped || running || connection !== undefined || timer) return;
      void tryOpen();
    },
    lost(conn, err) {
      if (stopped || conn !== connection) return;
      connection = undefined;
      closeWithin(conn)
        .catch(() => undefined)
        .finally(() => schedule(err ?? new Error('connection lost')));
    },
    get connection() {
      return connection;
    },
    get state() {
      return state;
    },
    ready() {
      if (connection !== undefined) return Promise.resolve(connection);
      if (stopped) return Promise.reject(new Error('connection closed'));
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      const conn = connection;
      connection = undefined;
      for (const w of waiters) w.reject(new Error('connection closed'));
      waiters = [];
      setState({ state: 'closed' });
      if (conn !== undefined) await closeWithin(conn);
    },
  };
}

/** A connection state that nodes using a config node watch to show as their status. */
export interface StateFeed {
  readonly current: ConnectionState;
  /** Calls the listener with the current state now and with every change; returns the unsubscribe. */
  watch(listener: (state: ConnectionState) => void): () => void;
  set(state: ConnectionState): void;
}

export function createStateFeed(): StateFeed {
  let current: ConnectionState = { state: 'closed' };
  const listeners = new Set<(state: ConnectionState) => void>();
  return {
    get current() {
      return current;
    },
    watch(listener) {
      listeners.add(listener);
      listener(current);
      return () => listeners.delete(listener);
    },
    set(state) {
      current = state;
      for (const l of listeners) l(state);
    },
  };
}
