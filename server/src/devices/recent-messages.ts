import type { DeviceMessage } from '@gridflow/nodes/device';
import type { MessageBus } from './message-bus.js';

type RecentMessage = Exclude<DeviceMessage, { kind: 'measurepoints' }>;

/**
 * The last messages of each device other than measure points (events, lifecycle, attribute
 * changes, command replies), in memory, for the device detail page. Measure points are left
 * out: at their rate they would push everything else out; their latest values are kept apart.
 */
export interface RecentMessages {
  /** Newest first. */
  list(productKey: string, deviceKey: string, options: { kind?: RecentMessage['kind']; limit: number }): RecentMessage[];
  forget(productKey: string, deviceKey: string): void;
  close(): void;
}

export function createRecentMessages(bus: MessageBus, perDevice = 200): RecentMessages {
  const rings = new Map<string, RecentMessage[]>();
  const sub = bus.subscribe({ kinds: ['event', 'lifecycle', 'attributes', 'reply'] }, (m) => {
    if (m.kind === 'measurepoints') return;
    const key = `${m.productKey}/${m.deviceKey}`;
    let ring = rings.get(key);
    if (!ring) rings.set(key, (ring = []));
    ring.push(m);
    // Trim in steps, not per message: a splice per message would be quadratic at the limit.
    if (ring.length > perDevice * 1.25) ring.splice(0, ring.length - perDevice);
  });
  return {
    list(productKey, deviceKey, { kind, limit }) {
      const ring = rings.get(`${productKey}/${deviceKey}`) ?? [];
      const out: RecentMessage[] = [];
      for (let i = ring.length - 1; i >= 0 && out.length < limit && ring.length - i <= perDevice; i--) {
        const m = ring[i] as RecentMessage;
        if (!kind || m.kind === kind) out.push(m);
      }
      return out;
    },
    forget: (productKey, deviceKey) => void rings.delete(`${productKey}/${deviceKey}`),
    close: () => sub.close(),
  };
}
