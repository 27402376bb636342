import type { DeviceFilter, DeviceMessage, DeviceSubscription, MeasurePointsMessage } from '@gridflow/nodes/device';
import type { MessageBus } from './message-bus.js';

/**
 * How other server modules (QuestDB storage policies, alert rules) receive what devices send,
 * without going through flows. Obtained from the devices module before or after it starts:
 *
 *   const devices = devicesModule();
 *   const storage = storageModule({ deviceFeed: devices.feed });
 *   // in storage's setup:
 *   const sub = deviceFeed.onMeasurePoints((m) => write(m), { backfill: 'include' });
 *
 * Every message has been checked against the device's thing model. `m.backfill` is true for
 * points a device resumed after being offline (thing.measurepoint.resume): store them, but do
 * not feed them to live alert rules (pass `backfill: 'exclude'`). Listeners run synchronously
 * on the broker's message path: keep them cheap (queue and batch), and call `pause()` on the
 * subscription when falling behind — the broker then stops reading from device sockets (TCP
 * back-pressure) until every paused subscriber resumes.
 */
export interface DeviceFeed {
  /** Measure points (post, post/batch, resume, resume/batch), one message per device and timestamp. */
  onMeasurePoints(listener: (message: MeasurePointsMessage) => void, options?: MeasurePointOptions): DeviceSubscription;
  /** Any device message kinds (events, lifecycle, attributes, replies) by filter. */
  subscribe(filter: DeviceFilter, listener: (message: DeviceMessage) => void): DeviceSubscription;
}

export interface MeasurePointOptions {
  productKeys?: readonly string[];
  /** Device keys or `productKey/deviceKey` pairs. */
  deviceKeys?: readonly string[];
  /** include (default): live and back-filled; exclude: live only (alerts); only: back-filled only. */
  backfill?: 'include' | 'exclude' | 'only';
}

export function createDeviceFeed(bus: MessageBus): DeviceFeed {
  return {
    onMeasurePoints(listener, options = {}) {
      const backfill = options.backfill ?? 'include';
      const filter: DeviceFilter = {
        kinds: ['measurepoints'],
        ...(options.productKeys ? { productKeys: options.productKeys } : {}),
        ...(options.deviceKeys ? { deviceKeys: options.deviceKeys } : {}),
      };
      return bus.subscribe(filter, (m) => {
        if (m.kind !== 'measurepoints') return;
        if (backfill === 'exclude' && m.backfill) return;
        if (backfill === 'only' && !m.backfill) return;
        listener(m);
      });
    },
    subscribe: (filter, listener) => bus.subscribe(filter, listener),
  };
}
