import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { thingModelSchema, type ThingModelInput } from '@gridflow/runtime/contract';
import type { DeviceMessage } from '@gridflow/nodes/device';
import { migrate, openDatabase, type SqliteDatabase } from '../store/db.js';
import { createDeviceStateCache } from './device-state.js';
import { createGatewayPosts, type GatewayPosts } from './gateway-posts.js';
import { createMessageBus } from './message-bus.js';
import { deviceMigrations } from './migrations.js';
import { createModelCache } from './model-cache.js';
import { createSqliteDeviceStore } from './sqlite-store.js';
import type { DeviceStore } from './store.js';
import type { DeviceStateCache } from './device-state.js';

const meter: ThingModelInput = {
  id: 'Meter',
  name: 'Meter',
  measurePoints: [
    { identifier: 'temp', name: 'Temperature', spec: { type: 'float' } },
    { identifier: 'count', name: 'Count', spec: { type: 'int' } },
  ],
  events: [
    {
      identifier: 'trip',
      name: 'Trip',
      eventType: 'warning',
      outputs: [{ identifier: 'code', spec: { type: 'int' }, required: true }],
    },
  ],
  attributes: [{ identifier: 'site', name: 'Site', spec: { type: 'string' } }],
};

const silent = { error() {}, warn() {}, info() {}, debug() {} };
let db: SqliteDatabase;
let store: DeviceStore;
let state: DeviceStateCache;
let posts: GatewayPosts;
let seen: DeviceMessage[];
let bus: ReturnType<typeof createMessageBus>;
const gw = { productKey: 'gwPK', deviceKey: 'gw1' };
const sub = { productKey: 'mPK', deviceKey: 'm1' };

beforeEach(async () => {
  db = openDatabase(':memory:');
  migrate(db, [deviceMigrations]);
  store = createSqliteDeviceStore(db);
  await store.createModel(thingModelSchema.parse(meter));
  await store.createModel(thingModelSchema.parse({ id: 'Gateway', name: 'Gateway' }));
  const product = { authMode: 'device-secret' as const, productSecret: 's'.repeat(16) };
  await store.createProduct({
    productKey: 'gwPK',
    name: 'Gateways',
    modelId: 'Gateway',
    nodeType: 'gateway',
    ...product,
  });
  await store.createProduct({ productKey: 'mPK', name: 'Meters', modelId: 'Meter', nodeType: 'device', ...product });
  const device = (deviceKey: string, productKey = 'mPK') => ({
    productKey,
    deviceKey,
    name: deviceKey,
    deviceSecret: 'x'.repeat(16),
    attributes: {},
  });
  await store.createDevices([device('gw1', 'gwPK'), device('m1'), device('m2'), device('m3')]);
  await store.addSubDevices(gw, [sub, { productKey: 'mPK', deviceKey: 'm3' }]);
  await store.updateDevice('mPK', 'm3', { disabled: true });
  const models = createModelCache(store);
  state = createDeviceStateCache(store, silent);
  bus = createMessageBus(silent);
  seen = [];
  bus.subscribe({}, (m) => seen.push(m));
  posts = createGatewayPosts({ store, models, state, bus, topologyTtlMs: 60_000 });
});
afterEach(() => db.close());

const points = (
  device: { productKey: string; deviceKey: string },
  measurepoints: Record<string, unknown>,
  backfill = false,
) => posts.post({ gateway: gw, device, kind: 'points', params: { measurepoints, time: 1_700_000_000_000 }, backfill });

describe('gateway posts', () => {
  it('ingests points of a sub-device as if it had posted them: latest values, the bus, the gateway named', async () => {
    expect(await points(sub, { temp: 21.5 })).toEqual({ ok: true });
    expect(state.latest('mPK', 'm1')).toEqual({ temp: { value: 21.5, time: 1_700_000_000_000 } });
    expect(seen).toEqual([
      expect.objectContaining({
        kind: 'measurepoints',
        productKey: 'mPK',
        deviceKey: 'm1',
        points: { temp: 21.5 },
        backfill: false,
        gateway: gw,
      }),
    ]);
  });

  it('marks back-filled points, which do not replace a newer latest value', async () => {
    await posts.post({
      gateway: gw,
      device: sub,
      kind: 'points',
      params: { measurepoints: { temp: 30 }, time: 2_000 },
      backfill: false,
    });
    expect(
      await posts.post({
        gateway: gw,
        device: sub,
        kind: 'points',
        params: { measurepoints: { temp: 10 }, time: 1_000 },
        backfill: true,
      }),
    ).toEqual({ ok: true });
    expect(seen.map((m) => m.kind === 'measurepoints' && m.backfill)).toEqual([false, true]);
    expect(state.latest('mPK', 'm1')?.['temp']?.value).toBe(30);
  });

  it('lets the gateway post for itself, without a gateway field', async () => {
    expect(
      await posts.post({ gateway: gw, device: gw, kind: 'points', params: { measurepoints: {} }, backfill: false }),
    ).toEqual({ ok: true });
    expect(seen[0]).toMatchObject({ productKey: 'gwPK', deviceKey: 'gw1', gateway: undefined });
  });

  it('refuses devices outside the topology, disabled ones, and unknown or mistyped points, with the reason', async () => {
    expect(await points({ productKey: 'mPK', deviceKey: 'm2' }, { temp: 1 })).toEqual({
      ok: false,
      code: 1257,
      message: 'device mPK/m2 is neither gateway gwPK/gw1 nor one of its sub-devices',
    });
    expect(await points({ productKey: 'mPK', deviceKey: 'm3' }, { temp: 1 })).toMatchObject({
      ok: false,
      message: 'device mPK/m3 is disabled',
    });
    const unknown = await points(sub, { humidity: 1 });
    expect(unknown).toMatchObject({ ok: false, code: 1204 });
    expect(!unknown.ok && unknown.message).toContain('humidity');
    const mistyped = await points(sub, { count: 'many' });
    expect(!mistyped.ok && mistyped.message).toContain('count');
    expect(seen).toEqual([]);
  });

  it('refuses a gateway that is not registered or not a gateway product', async () => {
    expect(await posts.checkGateway({ productKey: 'gwPK', deviceKey: 'nope' })).toBe(
      'device gwPK/nope is not registered',
    );
    expect(await posts.checkGateway(sub)).toBe('device mPK/m1 is not a gateway (its product\'s node type is "device")');
    expect(await posts.checkGateway(gw)).toBeUndefined();
    const r = await posts.post({
      gateway: sub,
      device: sub,
      kind: 'points',
      params: { measurepoints: { temp: 1 } },
      backfill: false,
    });
    expect(r).toMatchObject({ ok: false, message: expect.stringContaining('is not a gateway') });
  });

  it('checks events and attributes against the model too', async () => {
    expect(
      await posts.post({
        gateway: gw,
        device: sub,
        kind: 'event',
        event: 'trip',
        params: { events: { code: 3 } },
        backfill: false,
      }),
    ).toEqual({ ok: true });
    expect(
      await posts.post({
        gateway: gw,
        device: sub,
        kind: 'event',
        event: 'trip',
        params: { events: {} },
        backfill: false,
      }),
    ).toMatchObject({ ok: false, code: 1204 });
    expect(
      await posts.post({
        gateway: gw,
        device: sub,
        kind: 'attributes',
        params: { attributes: { site: 'north' } },
        backfill: false,
      }),
    ).toEqual({ ok: true });
    expect((await store.getDevice('mPK', 'm1'))?.attributes).toEqual({ site: 'north' });
    expect(seen.map((m) => m.kind)).toEqual(['event', 'attributes']);
  });

  it('reads the topology again before refusing, so a sub-device added a moment ago is not refused', async () => {
    let clock = 0;
    posts = createGatewayPosts({
      store,
      models: createModelCache(store),
      state,
      bus: createMessageBus(silent),
      topologyTtlMs: 60_000,
      now: () => clock,
    });
    const m2 = { productKey: 'mPK', deviceKey: 'm2' };
    expect((await points(m2, { temp: 1 })).ok).toBe(false);
    await store.addSubDevices(gw, [m2]);
    // Within the recheck interval the cached refusal stands (a flood of bad posts reads the database rarely).
    clock += 50;
    expect((await points(m2, { temp: 1 })).ok).toBe(false);
    clock += 100;
    expect((await points(m2, { temp: 1 })).ok).toBe(true);
    await store.removeSubDevices(gw, [m2]);
    // Accepted devices are trusted for the time to live, or until invalidated.
    clock += 1000;
    expect((await points(m2, { temp: 1 })).ok).toBe(true);
    posts.invalidate(gw);
    expect((await points(m2, { temp: 1 })).ok).toBe(false);
  });

  it('waits while device message subscribers lag behind (back-pressure), and not otherwise', async () => {
    await posts.flowing();
    const slow = bus.subscribe({}, () => undefined);
    slow.pause();
    let flowing = false;
    const waiting = posts.flowing().then(() => (flowing = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(flowing).toBe(false);
    slow.resume();
    await waiting;
    expect(flowing).toBe(true);
  });

  it('while attached (an edge connected): the gateway online, a sub-device from its first post; offline at detach', async () => {
    await posts.attach(gw);
    expect(state.currentState('gwPK', 'gw1')).toBe('online');
    expect(state.currentState('mPK', 'm1')).toBeUndefined();
    await points(sub, { temp: 1 });
    // The login comes before the data, as with an MQTT sub-device.
    expect(seen.map((m) => `${m.deviceKey} ${m.kind}`)).toEqual(['gw1 lifecycle', 'm1 lifecycle', 'm1 measurepoints']);
    expect(seen[1]).toMatchObject({ kind: 'lifecycle', state: 'online', reason: 'sub-device login', gateway: gw });
    posts.detach(gw, 'edge disconnected');
    expect(state.currentState('gwPK', 'gw1')).toBe('offline');
    expect(state.currentState('mPK', 'm1')).toBe('offline');
    expect(seen.slice(3)).toEqual([
      expect.objectContaining({ kind: 'lifecycle', deviceKey: 'm1', state: 'offline', reason: 'gateway disconnected' }),
      expect.objectContaining({ kind: 'lifecycle', deviceKey: 'gw1', state: 'offline', reason: 'edge disconnected' }),
    ]);
    // Posts after the edge left log nobody in.
    await points(sub, { temp: 2 });
    expect(state.currentState('mPK', 'm1')).toBe('offline');
  });

  it('logs in neither a refused device nor a gateway that may not post', async () => {
    await posts.attach(gw);
    await points({ productKey: 'mPK', deviceKey: 'm2' }, { temp: 1 });
    expect(state.currentState('mPK', 'm2')).toBeUndefined();
    await store.updateDevice('gwPK', 'gw1', { disabled: true });
    posts.detach(gw, 'edge disconnected');
    await posts.attach(gw);
    expect(state.currentState('gwPK', 'gw1')).toBe('offline');
  });

  it('leaves a device with its own MQTT session online when the edge leaves', async () => {
    const mqtt = new Set(['mPK/m1']);
    posts = createGatewayPosts({
      store,
      models: createModelCache(store),
      state,
      bus,
      connected: (pk, dk) => mqtt.has(`${pk}/${dk}`),
    });
    state.setState('mPK', 'm1', 'online');
    await posts.attach(gw);
    await points(sub, { temp: 1 });
    posts.detach(gw, 'edge disconnected');
    expect(state.currentState('mPK', 'm1')).toBe('online');
    expect(state.currentState('gwPK', 'gw1')).toBe('offline');
  });

  it('does not move last seen backwards with back-filled posts', async () => {
    await posts.attach(gw);
    await points(sub, { temp: 1 });
    const before = state.lastSeen('mPK', 'm1') ?? 0;
    await posts.post({
      gateway: gw,
      device: sub,
      kind: 'points',
      params: { measurepoints: { temp: 0 }, time: 1_000 },
      backfill: true,
    });
    expect(state.lastSeen('mPK', 'm1')).toBeGreaterThanOrEqual(before);
    expect(state.currentState('mPK', 'm1')).toBe('online');
  });
});
