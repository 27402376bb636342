import type { DeviceMessage } from '@gridflow/nodes/device';
import type {
  DeviceLifecycleChange,
  DeviceLiveUpdate,
  DeviceRef,
  LiveDeviceEvent,
  PointValue,
} from '@gridflow/runtime/contract';

/**
 * Turns the device message stream into few, small updates for editor pages: per device the
 * newest lifecycle change (state, disabled, last seen) and, for watched devices, the latest value
 * of each point and the new events, all sent at each `flush()` (the owner calls it a few times a
 * second). `offer` runs on the broker's message path for every message, so it only marks: a
 * couple of map lookups, no string building, no clock read unless something is due.
 */
export interface LiveCoalescer {
  offer(message: DeviceMessage): void;
  /** A change the registry made (disabled, created, deleted). */
  note(ref: DeviceRef, change: Omit<DeviceLifecycleChange, 'productKey' | 'deviceKey'>): void;
  /** Lifecycle changes of all devices are collected only while someone wants them. */
  setLifecycleWatched(on: boolean): void;
  readonly lifecycleWatched: boolean;
  watch(ref: DeviceRef): void;
  unwatch(ref: DeviceRef): void;
  watchedDevices(): DeviceRef[];
  readonly watchCount: number;
  flush(): void;
}

export interface LiveSink {
  lifecycle(changes: DeviceLifecycleChange[], pending: number): void;
  device(update: DeviceLiveUpdate): void;
}

export interface LiveCoalescerOptions {
  /** Devices per lifecycle update; the rest wait for the next flush (bounds what a browser gets). */
  maxLifecyclePerFlush?: number;
  /** A device that keeps talking has its last seen sent at most this often. */
  seenResolutionMs?: number;
  /** New events per watched device per flush; more are counted in `droppedEvents`. */
  maxEventsPerFlush?: number;
  now?: () => number;
}

interface Watch {
  points: Record<string, PointValue> | null;
  /** Newest time sent per point: an older back-filled value must not replace a newer one. */
  times: Record<string, number>;
  events: LiveDeviceEvent[];
  droppedEvents: number;
}

interface Entry {
  productKey: string;
  deviceKey: string;
  /** Clock (coarse) when last seen was last marked; 0 = never. */
  seenAt: number;
  change: DeviceLifecycleChange | null;
  watch: Watch | null;
}

export function createLiveCoalescer(sink: LiveSink, options: LiveCoalescerOptions = {}): LiveCoalescer {
  const maxLifecycle = options.maxLifecyclePerFlush ?? 500;
  const seenResolution = options.seenResolutionMs ?? 5000;
  const maxEvents = options.maxEventsPerFlush ?? 20;
  const now = options.now ?? Date.now;
  // By product, then device: no `pk/dk` string per message (the same layout as device-state.ts).
  const entries = new Map<string, Map<string, Entry>>();
  const pending = new Set<Entry>();
  const dirtyWatches = new Set<Entry>();
  let lifecycleOn = false;
  let watchCount = 0;
  // Read per flush, not per message: last seen only needs second resolution.
  let clock = now();

  const find = (productKey: string, deviceKey: string) => entries.get(productKey)?.get(deviceKey);
  const entry = (productKey: string, deviceKey: string): Entry => {
    let devices = entries.get(productKey);
    if (!devices) entries.set(productKey, (devices = new Map()));
    let e = devices.get(deviceKey);
    if (!e) devices.set(deviceKey, (e = { productKey, deviceKey, seenAt: 0, change: null, watch: null }));
    return e;
  };
  const drop = (e: Entry) => {
    const devices = entries.get(e.productKey);
    devices?.delete(e.deviceKey);
    if (devices?.size === 0) entries.delete(e.productKey);
    pending.delete(e);
    dirtyWatches.delete(e);
  };

  const mark = (e: Entry, change: Omit<DeviceLifecycleChange, 'productKey' | 'deviceKey'>) => {
    if (!e.change) {
      e.change = { productKey: e.productKey, deviceKey: e.deviceKey };
      pending.add(e);
    }
    Object.assign(e.change, change);
    if (e.watch) dirtyWatches.add(e);
  };
  const markSeen = (e: Entry) => {
    e.seenAt = clock;
    mark(e, { lastSeen: new Date(now()).toISOString() });
  };

  const onWatched = (w: Watch, e: Entry, m: DeviceMessage) => {
    if (m.kind === 'measurepoints') {
      const { points, quality, time } = m;
      for (const id in points) {
        const prev = w.times[id];
        if (prev !== undefined && prev > time) continue;
        w.times[id] = time;
        const q = quality?.[id];
        (w.points ??= {})[id] = q === undefined ? { value: points[id], time } : { value: points[id], time, quality: q };
      }
      dirtyWatches.add(e);
    } else if (m.kind === 'event') {
      if (w.events.length < maxEvents) w.events.push({ event: m.event, values: m.values, time: m.time });
      else w.droppedEvents++;
      dirtyWatches.add(e);
    }
  };

  const takeUpdate = (e: Entry, w: Watch): DeviceLiveUpdate => {
    const update: DeviceLiveUpdate = { productKey: e.productKey, deviceKey: e.deviceKey };
    if (w.points) update.points = w.points;
    if (w.events.length) update.events = w.events;
    if (w.droppedEvents) update.droppedEvents = w.droppedEvents;
    // A copy: the entry's change may stay pending for the lifecycle update and change further.
    if (e.change) update.lifecycle = { ...e.change };
    w.points = null;
    w.events = [];
    w.droppedEvents = 0;
    return update;
  };

  return {
    offer(m) {
      const e = lifecycleOn ? entry(m.productKey, m.deviceKey) : find(m.productKey, m.deviceKey);
      if (!e) return;
      if (m.kind === 'lifecycle') {
        e.seenAt = clock;
        mark(e, { state: m.state, lastSeen: new Date(now()).toISOString() });
      } else if (clock - e.seenAt >= seenResolution) {
        markSeen(e);
      }
      if (e.watch) onWatched(e.watch, e, m);
    },
    note(ref, change) {
      const e = lifecycleOn ? entry(ref.productKey, ref.deviceKey) : find(ref.productKey, ref.deviceKey);
      if (e) mark(e, change);
    },
    setLifecycleWatched(on) {
      if (on === lifecycleOn) return;
      lifecycleOn = on;
      if (on) return;
      // Nobody lists devices any more: keep only what watched devices need.
      for (const e of [...pending]) {
        if (!e.watch) drop(e);
      }
      for (const devices of entries.values()) {
        for (const e of devices.values()) if (!e.watch) drop(e);
      }
    },
    get lifecycleWatched() {
      return lifecycleOn;
    },
    watch(ref) {
      const e = entry(ref.productKey, ref.deviceKey);
      if (e.watch) return;
      e.watch = { points: null, times: {}, events: [], droppedEvents: 0 };
      watchCount++;
    },
    unwatch(ref) {
      const e = find(ref.productKey, ref.deviceKey);
      if (!e?.watch) return;
      e.watch = null;
      watchCount--;
      dirtyWatches.delete(e);
      if (!lifecycleOn) drop(e);
    },
    get watchCount() {
      return watchCount;
    },
    watchedDevices() {
      const out: DeviceRef[] = [];
      if (watchCount === 0) return out;
      for (const devices of entries.values()) {
        for (const e of devices.values()) if (e.watch) out.push({ productKey: e.productKey, deviceKey: e.deviceKey });
      }
      return out;
    },
    flush() {
      clock = now();
      for (const e of dirtyWatches) {
        if (e.watch) sink.device(takeUpdate(e, e.watch));
      }
      if (!lifecycleOn) {
        // Only watched devices have entries now; their change went out with the device update.
        for (const e of dirtyWatches) {
          e.change = null;
          pending.delete(e);
        }
        dirtyWatches.clear();
        return;
      }
      dirtyWatches.clear();
      if (pending.size === 0) return;
      const changes: DeviceLifecycleChange[] = [];
      for (const e of pending) {
        if (changes.length >= maxLifecycle) break;
        if (e.change) changes.push(e.change);
        e.change = null;
        pending.delete(e);
      }
      sink.lifecycle(changes, pending.size);
    },
  };
}
