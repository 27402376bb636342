import type { DeviceState, PointValue } from '@gridflow/runtime/contract';
import type { Logger } from '../logger.js';
import type { DeviceRuntimeUpdate, DeviceStore } from './store.js';

/**
 * Live state of devices (online state, last seen, latest value of each point), kept in memory
 * and written to the store in one transaction per interval: at tens of thousands of messages
 * per second a write per message would be the bottleneck.
 */
export interface DeviceStateCache {
  setState(productKey: string, deviceKey: string, state: DeviceState): void;
  /** Records points; back-filled values older than the latest value do not replace it. */
  recordPoints(productKey: string, deviceKey: string, points: Record<string, unknown>, time: number, quality?: Record<string, number>): void;
  touch(productKey: string, deviceKey: string): void;
  /** Latest values seen since the server started (the store has older ones); live objects, to be read at once. */
  latest(productKey: string, deviceKey: string): Record<string, PointValue> | undefined;
  /** The state the broker last set since the server started. */
  currentState(productKey: string, deviceKey: string): DeviceState | undefined;
  /** Epoch ms of the device's last message since the server started. */
  lastSeen(productKey: string, deviceKey: string): number | undefined;
  forget(productKey: string, deviceKey: string): void;
  flush(): Promise<void>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

interface Entry {
  productKey: string;
  deviceKey: string;
  latest: Record<string, PointValue>;
  dirtyPoints: Record<string, PointValue> | null;
  state: DeviceState | null;
  current: DeviceState | undefined;
  lastSeen: number;
  lastSeenDirty: boolean;
}

export function createDeviceStateCache(store: DeviceStore, logger: Logger): DeviceStateCache {
  // By product, then device: a lookup per message without building a `pk/dk` string to hash.
  const entries = new Map<string, Map<string, Entry>>();
  const dirty = new Set<Entry>();
  const find = (productKey: string, deviceKey: string) => entries.get(productKey)?.get(deviceKey);
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  const entry = (productKey: string, deviceKey: string): Entry => {
    let devices = entries.get(productKey);
    if (!devices) entries.set(productKey, (devices = new Map()));
    let e = devices.get(deviceKey);
    if (!e) {
      e = { productKey, deviceKey, latest: {}, dirtyPoints: null, state: null, current: undefined, lastSeen: 0, lastSeenDirty: false };
      devices.set(deviceKey, e);
    }
    return e;
  };

  async function flushNow(): Promise<void> {
    if (dirty.size === 0) return;
    const updates: DeviceRuntimeUpdate[] = [];
    for (const e of dirty) {
      updates.push({
        productKey: e.productKey,
        deviceKey: e.deviceKey,
        ...(e.state !== null ? { state: e.state } : {}),
        ...(e.lastSeenDirty ? { lastSeen: new Date(e.lastSeen).toISOString() } : {}),
        ...(e.dirtyPoints ? { points: e.dirtyPoints } : {}),
      });
      e.state = null;
      e.dirtyPoints = null;
      e.lastSeenDirty = false;
    }
    dirty.clear();
    await store.applyRuntimeUpdates(updates);
  }

  const cache: DeviceStateCache = {
    setState(productKey, deviceKey, state) {
      const e = entry(productKey, deviceKey);
      e.state = state;
      e.current = state;
      e.lastSeen = Date.now();
      e.lastSeenDirty = true;
      dirty.add(e);
    },
    recordPoints(productKey, deviceKey, points, time, quality) {
      const e = entry(productKey, deviceKey);
      const latest = e.latest;
      let changed = e.dirtyPoints;
      for (const id in points) {
        const q = quality?.[id];
        let v = latest[id];
        if (v === undefined) latest[id] = v = q === undefined ? { value: points[id], time } : { value: points[id], time, quality: q };
        else {
          if (v.time > time) continue;
          // Updated in place: one object per point for the device's lifetime, not one per message.
          v.value = points[id];
          v.time = time;
          if (q !== undefined) v.quality = q;
          else if (v.quality !== undefined) delete v.quality;
        }
        (changed ??= {})[id] = v;
      }
      e.dirtyPoints = changed;
      e.lastSeen = Date.now();
      e.lastSeenDirty = true;
      dirty.add(e);
    },
    touch(productKey, deviceKey) {
      const e = entry(productKey, deviceKey);
      e.lastSeen = Date.now();
      e.lastSeenDirty = true;
      dirty.add(e);
    },
    latest: (productKey, deviceKey) => find(productKey, deviceKey)?.latest,
    currentState: (productKey, deviceKey) => find(productKey, deviceKey)?.current,
    lastSeen(productKey, deviceKey) {
      const seen = find(productKey, deviceKey)?.lastSeen;
      return seen ? seen : undefined;
    },
    forget(productKey, deviceKey) {
      const devices = entries.get(productKey);
      const e = devices?.get(deviceKey);
      if (!devices || !e) return;
      dirty.delete(e);
      devices.delete(deviceKey);
      if (devices.size === 0) entries.delete(productKey);
    },
    flush() {
      flushing = flushing.then(flushNow).catch((err: unknown) => {
        logger.error('writing device state failed', { error: err instanceof Error ? err.message : String(err) });
      });
      return flushing;
    },
    start(intervalMs) {
      if (timer) return;
      timer = setInterval(() => void cache.flush(), intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await cache.flush();
    },
  };
  return cache;
}
