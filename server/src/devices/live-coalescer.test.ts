import { describe, expect, it } from 'vitest';
import type { DeviceMessage } from '@gridflow/nodes/device';
import type { DeviceLifecycleChange, DeviceLiveUpdate } from '@gridflow/runtime/contract';
import { createLiveCoalescer, type LiveCoalescerOptions } from './live-coalescer.js';

function setup(options: LiveCoalescerOptions = {}) {
  let t = 1_000_000;
  const lifecycles: { changes: DeviceLifecycleChange[]; pending: number }[] = [];
  const updates: DeviceLiveUpdate[] = [];
  const c = createLiveCoalescer(
    { lifecycle: (changes, pending) => lifecycles.push({ changes, pending }), device: (u) => updates.push(u) },
    { now: () => t, ...options },
  );
  return { c, lifecycles, updates, advance: (ms: number) => (t += ms) };
}

const points = (
  deviceKey: string,
  values: Record<string, unknown>,
  time: number,
  productKey = 'pk',
): DeviceMessage => ({
  kind: 'measurepoints',
  productKey,
  deviceKey,
  time,
  points: values,
  backfill: false,
});
const online = (deviceKey: string, state: 'online' | 'offline' = 'online'): DeviceMessage => ({
  kind: 'lifecycle',
  productKey: 'pk',
  deviceKey,
  time: 1,
  state,
});
const event = (deviceKey: string, n: number): DeviceMessage => ({
  kind: 'event',
  productKey: 'pk',
  deviceKey,
  time: n,
  event: 'overheat',
  values: { temp: n },
});

describe('live device coalescer', () => {
  it('collects nothing while no page watches', () => {
    const { c, lifecycles, updates } = setup();
    c.offer(online('d1'));
    c.offer(points('d1', { power: 1 }, 1));
    c.note({ productKey: 'pk', deviceKey: 'd1' }, { disabled: true });
    c.flush();
    expect(lifecycles).toEqual([]);
    expect(updates).toEqual([]);
  });

  it('sends the newest lifecycle change per device once per flush', () => {
    const { c, lifecycles } = setup();
    c.setLifecycleWatched(true);
    c.offer(online('d1'));
    c.offer(online('d1', 'offline'));
    c.offer(online('d1'));
    c.offer(online('d2'));
    c.note({ productKey: 'pk', deviceKey: 'd2' }, { disabled: true });
    c.flush();
    expect(lifecycles).toHaveLength(1);
    expect(lifecycles[0]?.pending).toBe(0);
    expect(lifecycles[0]?.changes).toEqual([
      { productKey: 'pk', deviceKey: 'd1', state: 'online', lastSeen: new Date(1_000_000).toISOString() },
      {
        productKey: 'pk',
        deviceKey: 'd2',
        state: 'online',
        disabled: true,
        lastSeen: new Date(1_000_000).toISOString(),
      },
    ]);
    c.flush();
    expect(lifecycles).toHaveLength(1);
  });

  it('sends last seen of a talking device at most once per resolution', () => {
    const { c, lifecycles, advance } = setup({ seenResolutionMs: 5000 });
    c.setLifecycleWatched(true);
    for (let i = 0; i < 1000; i++) c.offer(points('d1', { power: i }, i));
    c.flush();
    expect(lifecycles.map((l) => l.changes)).toEqual([
      [{ productKey: 'pk', deviceKey: 'd1', lastSeen: new Date(1_000_000).toISOString() }],
    ]);
    advance(1000);
    c.flush();
    for (let i = 0; i < 1000; i++) c.offer(points('d1', { power: i }, i));
    c.flush();
    expect(lifecycles).toHaveLength(1);
    advance(4000);
    c.flush();
    c.offer(points('d1', { power: 1 }, 1));
    c.flush();
    expect(lifecycles).toHaveLength(2);
    expect(lifecycles[1]?.changes[0]?.lastSeen).toBe(new Date(1_005_000).toISOString());
  });

  it('bounds the devices per lifecycle update; the rest follow in the next ones, oldest first', () => {
    const { c, lifecycles } = setup({ maxLifecyclePerFlush: 400 });
    c.setLifecycleWatched(true);
    for (let i = 0; i < 1000; i++) c.offer(online(`d${i}`));
    c.flush();
    c.flush();
    c.flush();
    expect(lifecycles.map((l) => [l.changes.length, l.pending])).toEqual([
      [400, 600],
      [400, 200],
      [200, 0],
    ]);
    expect(lifecycles[0]?.changes[0]?.deviceKey).toBe('d0');
    expect(lifecycles[2]?.changes[199]?.deviceKey).toBe('d999');
  });

  it('coalesces a watched device into its latest point values and its new events', () => {
    const { c, updates } = setup({ maxEventsPerFlush: 3 });
    c.watch({ productKey: 'pk', deviceKey: 'd1' });
    for (let i = 1; i <= 100; i++) c.offer(points('d1', { power: i, temp: i / 10 }, 1000 + i));
    // Back-filled older data does not replace newer values.
    c.offer({
      ...(points('d1', { power: -1, energy: 7 }, 5) as Extract<DeviceMessage, { kind: 'measurepoints' }>),
      backfill: true,
      quality: { energy: 2 },
    });
    for (let i = 0; i < 5; i++) c.offer(event('d1', i));
    c.offer(points('d2', { power: 99 }, 2000));
    c.flush();
    expect(updates).toHaveLength(1);
    expect(updates[0]).toEqual({
      productKey: 'pk',
      deviceKey: 'd1',
      points: {
        power: { value: 100, time: 1100 },
        temp: { value: 10, time: 1100 },
        energy: { value: 7, time: 5, quality: 2 },
      },
      events: [0, 1, 2].map((n) => ({ event: 'overheat', values: { temp: n }, time: n })),
      droppedEvents: 2,
      lifecycle: { productKey: 'pk', deviceKey: 'd1', lastSeen: new Date(1_000_000).toISOString() },
    });
    c.flush();
    expect(updates).toHaveLength(1);
    c.offer(points('d1', { power: 5 }, 1050));
    c.offer(points('d1', { temp: 5 }, 1200));
    c.flush();
    expect(updates[1]).toEqual({ productKey: 'pk', deviceKey: 'd1', points: { temp: { value: 5, time: 1200 } } });
  });

  it('tells a watched device page about its own state without a lifecycle watcher, and stops at unwatch', () => {
    const { c, updates, lifecycles } = setup();
    const d1 = { productKey: 'pk', deviceKey: 'd1' };
    c.watch(d1);
    c.offer(online('d1', 'offline'));
    c.note(d1, { disabled: true });
    c.flush();
    expect(updates).toEqual([
      { ...d1, lifecycle: { ...d1, state: 'offline', disabled: true, lastSeen: new Date(1_000_000).toISOString() } },
    ]);
    expect(lifecycles).toEqual([]);
    expect(c.watchedDevices()).toEqual([d1]);
    c.unwatch(d1);
    expect(c.watchCount).toBe(0);
    c.offer(points('d1', { power: 1 }, 1));
    c.flush();
    expect(updates).toHaveLength(1);
  });

  it('forgets unwatched devices when the last list stops watching', () => {
    const { c, lifecycles } = setup();
    c.setLifecycleWatched(true);
    c.offer(online('d1'));
    c.setLifecycleWatched(false);
    c.flush();
    c.offer(online('d1', 'offline'));
    c.flush();
    expect(lifecycles).toEqual([]);
    c.setLifecycleWatched(true);
    c.offer(online('d1', 'offline'));
    c.flush();
    expect(lifecycles[0]?.changes).toEqual([
      { productKey: 'pk', deviceKey: 'd1', state: 'offline', lastSeen: new Date(1_000_000).toISOString() },
    ]);
  });
});
