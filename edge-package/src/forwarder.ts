import type { UpstreamItem } from '@gridflow/runtime/contract';
import type { DiskQueue } from './disk-queue.js';

export interface ForwarderOptions {
  queue: DiskQueue;
  /** Sends one batch and resolves with the sequence numbers the server stored. */
  send(items: UpstreamItem[]): Promise<number[]>;
  /** Back-fill drain rate after a reconnect (messages per second). */
  backfillRate: number;
  batchSize?: number;
  onError?(err: unknown): void;
}

export interface Forwarder {
  /** Called on (re)connect: everything queued until now is back-fill. */
  start(): void;
  stop(): void;
  /** Wakes the loop when new items were queued. */
  notify(): void;
  readonly running: boolean;
}

/**
 * Drains the disk queue upstream while the link is up: live items first, then the backlog from
 * before the reconnect at a bounded rate, flagged as back-fill. Items leave the disk only when
 * the server acknowledged them.
 */
export function createForwarder(options: ForwarderOptions): Forwarder {
  const batchSize = options.batchSize ?? 1000;
  let running = false;
  let generation = 0;
  let wake: (() => void) | undefined;
  let backlogEnd = 0;
  let backlogCursor = 0;
  let liveCursor = 0;

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
    let tokens = options.backfillRate;
    let lastRefill = Date.now();
    while (running && gen === generation) {
      const live = options.queue.read(Math.max(liveCursor, backlogEnd), batchSize);
      let batch: UpstreamItem[] = live.map((i) => ({ ...i, backfill: false }));
      if (!batch.length) {
        const now = Date.now();
        tokens = Math.min(options.backfillRate, tokens + ((now - lastRefill) / 1000) * options.backfillRate);
        lastRefill = now;
        const allowed = Math.floor(Math.min(batchSize, tokens));
        if (allowed > 0) {
          const old = options.queue.read(backlogCursor, allowed, backlogEnd);
          batch = old.map((i) => ({ ...i, backfill: true }));
          tokens -= batch.length;
        }
        if (!batch.length) {
          const backlogLeft = options.queue.read(backlogCursor, 1, backlogEnd).length > 0;
          await sleep(backlogLeft ? 20 : 250);
          continue;
        }
      }
      try {
        const acked = await options.send(batch);
        if (gen !== generation) return;
        options.queue.ack(acked);
        const last = batch[batch.length - 1] as UpstreamItem;
        // Unacknowledged items stay on disk and are resent after the next reconnect.
        if (last.backfill) backlogCursor = last.seq;
        else liveCursor = last.seq;
      } catch (err) {
        options.onError?.(err);
        await sleep(1000);
      }
    }
  }

  return {
    start() {
      running = true;
      generation++;
      backlogEnd = options.queue.lastSeq();
      backlogCursor = 0;
      liveCursor = backlogEnd;
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
  };
}
