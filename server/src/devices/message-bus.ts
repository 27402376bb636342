import type { DeviceFilter, DeviceMessage, DeviceSubscription } from '@gridflow/nodes/device';
import type { Logger } from '../logger.js';

/**
 * Fans device messages out to subscribers (device in nodes) with their filters, and turns
 * subscribers' pause / resume into one pressure signal the broker obeys.
 */
export interface MessageBus {
  emit(message: DeviceMessage): void;
  subscribe(filter: DeviceFilter, listener: (message: DeviceMessage) => void): DeviceSubscription;
  /** True while at least one subscriber is paused. */
  readonly paused: boolean;
  onPressure(listener: (paused: boolean) => void): () => void;
  readonly subscribers: number;
}

interface Subscriber {
  products: Set<string> | null;
  devices: Set<string> | null;
  pairs: Set<string> | null;
  kinds: Set<string> | null;
  listener: (message: DeviceMessage) => void;
  paused: boolean;
}

const setOrNull = (xs: readonly string[] | undefined) => (xs && xs.length ? new Set(xs) : null);

export function createMessageBus(logger: Logger): MessageBus {
  let subs: Subscriber[] = [];
  let pausedCount = 0;
  const pressureListeners = new Set<(paused: boolean) => void>();

  const setPaused = (sub: Subscriber, value: boolean) => {
    if (sub.paused === value) return;
    sub.paused = value;
    const before = pausedCount > 0;
    pausedCount += value ? 1 : -1;
    const after = pausedCount > 0;
    if (before !== after) for (const l of pressureListeners) l(after);
  };

  return {
    emit(message) {
      for (let i = 0; i < subs.length; i++) {
        const s = subs[i] as Subscriber;
        if (s.kinds !== null && !s.kinds.has(message.kind)) continue;
        if (s.products !== null && !s.products.has(message.productKey)) continue;
        if (s.devices !== null || s.pairs !== null) {
          const byKey = s.devices !== null && s.devices.has(message.deviceKey);
          if (!byKey && !(s.pairs !== null && s.pairs.has(`${message.productKey}/${message.deviceKey}`))) continue;
        }
        try {
          s.listener(message);
        } catch (err) {
          logger.error('device message listener failed', { error: err instanceof Error ? err.message : String(err) });
        }
      }
    },
    subscribe(filter, listener) {
      const keys = filter.deviceKeys ?? [];
      const sub: Subscriber = {
        products: setOrNull(filter.productKeys),
        devices: setOrNull(keys.filter((k) => !k.includes('/'))),
        pairs: setOrNull(keys.filter((k) => k.includes('/'))),
        kinds: setOrNull(filter.kinds),
        listener,
        paused: false,
      };
      subs = [...subs, sub];
      return {
        pause: () => setPaused(sub, true),
        resume: () => setPaused(sub, false),
        close() {
          setPaused(sub, false);
          subs = subs.filter((s) => s !== sub);
        },
      };
    },
    get paused() {
      return pausedCount > 0;
    },
    onPressure(listener) {
      pressureListeners.add(listener);
      return () => pressureListeners.delete(listener);
    },
    get subscribers() {
      return subs.length;
    },
  };
}
