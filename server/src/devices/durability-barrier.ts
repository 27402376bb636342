import { serviceKey } from '@gridflow/runtime';

/**
 * Lets the broker hold a QoS 1 PUBACK until what the publish carried is committed to storage: a
 * device that got its PUBACK never sends the message again, so acknowledging rows that sit in a
 * write buffer loses them when the process dies. Storage says what it took (synchronously, in its
 * device feed listener: the broker compares `taken` around handling a read) and how to wait for it;
 * publishes storage did not take are acknowledged at once.
 */
export interface DurabilityBarrier {
  /** Storage: it took rows from the device message being handled. */
  take(): void;
  /** How many messages storage has taken so far. */
  readonly taken: number;
  /** Storage: how to wait until everything it took so far is committed (undefined: nothing pending). Returns the unregister function. */
  register(whenStored: () => Promise<void> | undefined): () => void;
  /** Resolves (never rejects) when everything taken so far is committed; undefined when nothing is pending. */
  whenStored(): Promise<void> | undefined;
}

export const durabilityBarrierKey = serviceKey<DurabilityBarrier>('device-durability-barrier');

export function createDurabilityBarrier(onError: (err: unknown) => void): DurabilityBarrier {
  let taken = 0;
  const stores = new Set<() => Promise<void> | undefined>();
  return {
    take() {
      taken++;
    },
    get taken() {
      return taken;
    },
    register(whenStored) {
      stores.add(whenStored);
      return () => stores.delete(whenStored);
    },
    whenStored() {
      let waits: Promise<void>[] | undefined;
      for (const s of stores) {
        const w = s();
        if (w) (waits ??= []).push(w);
      }
      if (!waits) return undefined;
      // A PUBACK held forever is worse than one sent early: a failing store lets it go (and is logged).
      const all = waits.length === 1 ? (waits[0] as Promise<void>) : Promise.all(waits).then(() => undefined);
      return all.catch((err: unknown) => {
        onError(err);
      });
    },
  };
}

/**
 * One connection's held PUBACKs, in the order their publishes arrived (MQTT-4.6.0-2): acks that
 * need no wait still wait behind earlier held ones.
 */
export interface AckOrder {
  /** What the next acks must wait for (`wait` and every earlier hold), or undefined to send them now. */
  after(wait: Promise<void> | undefined): Promise<void> | undefined;
}

export function createAckOrder(): AckOrder {
  let tail: Promise<void> | undefined;
  return {
    after(wait) {
      if (!wait && !tail) return undefined;
      const next: Promise<void> = tail && wait ? tail.then(() => wait) : ((tail ?? wait) as Promise<void>);
      tail = next;
      // Runs before the caller's own then() on `next` (registered first), so no later read sees a stale tail.
      void next.then(() => {
        if (tail === next) tail = undefined;
      });
      return next;
    },
  };
}
