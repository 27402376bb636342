import type { Msg } from '@gridflow/runtime';
import type { EdgeUplink } from '@gridflow/nodes/edge';
import type { DiskQueue } from './disk-queue.js';

interface Pending {
  channel: string;
  /** The message as JSON: taken at enqueue time, so later changes to the object do not leak in. */
  json: string;
  time: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Group-commits `cloud out` messages: messages arriving within a few milliseconds are written in
 * one transaction, and each caller's promise resolves once its message is on disk.
 */
export function createUplink(
  queue: DiskQueue,
  onAppended: () => void,
  flushMs = 2,
  maxBatch = 2000,
): EdgeUplink & { flush(): void } {
  let pending: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const batch = pending;
    pending = [];
    if (!batch.length) return;
    try {
      queue.append(batch.map((p) => ({ channel: p.channel, msg: p.json, time: p.time })));
      for (const p of batch) p.resolve();
      onAppended();
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  };
  return {
    enqueue(channel: string, msg: Msg) {
      return new Promise<void>((resolve, reject) => {
        // Strip what cannot travel (HTTP req/res objects) and keep the rest as JSON.
        const { req: _req, res: _res, ...rest } = msg as Msg & { req?: unknown; res?: unknown };
        let json: string;
        try {
          json = JSON.stringify(rest);
        } catch (err) {
          reject(new Error(`cloud out: the message cannot be sent upstream as JSON: ${(err as Error).message}`));
          return;
        }
        pending.push({ channel, json, time: Date.now(), resolve, reject });
        if (pending.length >= maxBatch) flush();
        else timer ??= setTimeout(flush, flushMs);
      });
    },
    flush,
  };
}
