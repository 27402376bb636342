import type { DiskQueue, RawItem } from './disk-queue.js';

/** An item on its way upstream: as on disk, flagged live or back-fill. */
export interface OutgoingItem extends RawItem {
  backfill: boolean;
}

/** One batch: its items and the lowest sequence number still queued (see UpstreamBatch). */
export interface OutgoingBatch {
  items: OutgoingItem[];
  floor: number;
}

export interface ForwarderOptions {
  queue: DiskQueue;
  /** Sends one batch and resolves with the sequence numbers the server stored; rejects when it stored nothing. */
  send(batch: OutgoingBatch): Promise<number[]>;
  /** Back-fill drain rate after a reconnect (messages per second). */
  backfillRate: number;
  /** Most live items, and most back-fill items, in one batch. */
  batchSize?: number;
  /** Pause after a failed send before the same items are tried again (ms). */
  retryMs?: number;
  /** Most batches sent and not yet acknowledged. */
  window?: number;
  onError?(err: unknown): void;
}

export interface Forwarder {
  /** Called on (re)connect: everything queued until now is back-fill. */
  start(): void;
  stop(): void;
  /** Wakes the loop when new items were queued. */
  notify(): void;
  readonly running: boolean;
  /** Items sent since the agent started, live and back-fill. */
  readonly sent: { live: number; backfill: number };
}

/**
 * Drains the disk queue upstream while the link is up. Items queued before the (re)connect are
 * the backlog: they go out flagged as back-fill, at most `backfillRate` a second, and always
 * after the live items of the same batch, so live data is never held up by the backlog and the
 * backlog still drains while live data flows. Items leave the disk only once the server
 * acknowledged them; the batch carries the lowest sequence number still queued (`floor`), below
 * which the server may forget what it has seen.
 */
export function createForwarder(options: ForwarderOptions): Forwarder {
  const batchSize = options.batchSize ?? 1000;
  const retryMs = options.retryMs ?? 1000;
  const window = Math.max(1, options.window ?? 4);
  const sent = { live: 0, backfill: 0 };
  let running = false;
  let generation = 0;
  let wake: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        wake = undefined;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(t);
        wake = undefined;
        resolve();
      };
    });

  async function loop(gen: number) {
    const { queue } = options;
    // Everything on disk when the link came up is the backlog; what is queued afterwards is live.
    const backlogEnd = queue.lastSeq();
    let backlogCursor = 0;
    let backlogDone = queue.size() === 0;
    let liveCursor = backlogEnd;
    let tokens = Math.min(batchSize, options.backfillRate);
    let lastRefill = Date.now();
    // Several batches travel at once, so the edge reads the next while the server stores one.
    const inflight = new Set<Promise<void>>();
    let failure: { err: unknown } | undefined;

    while (running && gen === generation) {
      if (failure) {
        // A batch was not stored: let the others settle, then read again whatever is still on
        // disk (the server drops what it had already seen). Live items stay live.
        await Promise.allSettled(inflight);
        if (gen !== generation) return;
        options.onError?.(failure.err);
        failure = undefined;
        liveCursor = backlogEnd;
        backlogCursor = 0;
        backlogDone = false;
        await sleep(retryMs);
        continue;
      }
      const now = Date.now();
      tokens = Math.min(options.backfillRate, tokens + ((now - lastRefill) / 1000) * options.backfillRate);
      lastRefill = now;

      const live = queue.readRaw(liveCursor, batchSize);
      let old: typeof live = [];
      const allowed = Math.floor(Math.min(batchSize, tokens));
      if (!backlogDone && allowed > 0) {
        old = queue.readRaw(backlogCursor, allowed, backlogEnd);
        if (old.length < allowed) backlogDone = true;
      }
      if (!live.length && !old.length) {
        // Idle, or waiting for back-fill tokens: new live items wake the loop early.
        if (inflight.size) await Promise.race(inflight);
        else await sleep(backlogDone ? 250 : Math.max(5, Math.ceil(1000 / options.backfillRate)));
        continue;
      }
      const lastLive = live[live.length - 1];
      const lastOld = old[old.length - 1];
      if (lastLive) liveCursor = lastLive.seq;
      if (lastOld) backlogCursor = lastOld.seq;
      tokens -= old.length;
      const items: OutgoingItem[] = [
        ...live.map((i) => ({ ...i, backfill: false })),
        ...old.map((i) => ({ ...i, backfill: true })),
      ];
      const batch = options.send({ items, floor: queue.firstSeq() }).then(
        (acked) => {
          // Items the server did not acknowledge stay on disk until a later pass or reconnect.
          if (gen !== generation) return;
          queue.ack(acked);
          sent.live += live.length;
          sent.backfill += old.length;
        },
        (err: unknown) => {
          failure ??= { err };
        },
      );
      inflight.add(batch);
      void batch.then(() => inflight.delete(batch));
      if (inflight.size >= window) await Promise.race(inflight);
    }
  }

  return {
    start() {
      running = true;
      generation++;
      void loop(generation);
    },
    stop() {
      running = false;
      generation++;
      wake?.();
    },
    notify: () => wake?.(),
    get running() {
      return running;
    },
    sent,
  };
}
