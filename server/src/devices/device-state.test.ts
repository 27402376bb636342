import { beforeEach, describe, expect, it } from 'vitest';
import { thingModelSchema } from '@gridflow/runtime/contract';
import { migrate, openDatabase, type SqliteDatabase } from '../store/db.js';
import { createDeviceStateCache, type DeviceStateCache } from './device-state.js';
import { deviceMigrations } from './migrations.js';
import { createSqliteDeviceStore } from './sqlite-store.js';
import type { DeviceStore } from './store.js';

const silent = { error() {}, warn() {}, info() {}, debug() {} };
let db: SqliteDatabase;
let store: DeviceStore;
let state: DeviceStateCache;

beforeEach(async () => {
  db = openDatabase(':memory:');
  migrate(db, [deviceMigrations]);
  store = createSqliteDeviceStore(db);
  await store.createModel(thingModelSchema.parse({ id: 'M', name: 'M' }));
  await store.createProduct({ productKey: 'pk', name: 'P', modelId: 'M', nodeType: 'device', authMode: 'device-secret', productSecret: 's'.repeat(16) });
  const device = (deviceKey: string) => ({ productKey: 'pk', deviceKey, name: deviceKey, deviceSecret: 'x'.repeat(16), attributes: {} });
  await store.createDevices([device('a'), device('b')]);
  state = createDeviceStateCache(store, silent);
});

const storedText = (deviceKey: string) =>
  (db.prepare('SELECT points FROM devices WHERE product_key = ? AND device_key = ?').get('pk', deviceKey) as { points: string }).points;

describe('device state flush', () => {
  it('merges only the changed points into the stored ones, replacing each changed point whole', async () => {
    state.recordPoints('pk', 'a', { temp: 20, pos: { lat: 1, lon: 2 }, label: 'x' }, 1000, { temp: 3 });
    await state.flush();
    expect(await store.getPoints('pk', 'a')).toEqual({
      temp: { value: 20, time: 1000, quality: 3 },
      pos: { value: { lat: 1, lon: 2 }, time: 1000 },
      label: { value: 'x', time: 1000 },
    });
    // A later value without quality, and a struct with fewer fields: nothing of the old one stays.
    state.recordPoints('pk', 'a', { temp: 21.5, pos: { lat: 5 } }, 2000);
    // Older than the latest value: not the latest, not written.
    state.recordPoints('pk', 'a', { label: 'old' }, 500);
    await state.flush();
    expect(await store.getPoints('pk', 'a')).toEqual({
      temp: { value: 21.5, time: 2000 },
      pos: { value: { lat: 5 }, time: 2000 },
      label: { value: 'x', time: 1000 },
    });
    expect(JSON.parse(storedText('a'))).toEqual(await store.getPoints('pk', 'a'));
    expect(await store.getPoints('pk', 'b')).toEqual({});
  });

  it('writes state and last seen without touching points, and only for devices that changed', async () => {
    state.recordPoints('pk', 'a', { temp: 1 }, 1000);
    await state.flush();
    const before = storedText('a');
    state.setState('pk', 'b', 'online');
    await state.flush();
    expect(storedText('a')).toBe(before);
    expect((await store.getDevice('pk', 'b'))?.state).toBe('online');
    expect((await store.getDevice('pk', 'b'))?.lastSeen).not.toBeNull();
    expect(storedText('b')).toBe('{}');
  });

  it('starts from nothing for a device deleted and created again', async () => {
    state.recordPoints('pk', 'a', { temp: 1, label: 'gone' }, 1000);
    await state.flush();
    await store.deleteDevice('pk', 'a');
    state.forget('pk', 'a');
    await store.createDevices([{ productKey: 'pk', deviceKey: 'a', name: 'a', deviceSecret: 'x'.repeat(16), attributes: {} }]);
    state.recordPoints('pk', 'a', { temp: 2 }, 2000);
    await state.flush();
    expect(await store.getPoints('pk', 'a')).toEqual({ temp: { value: 2, time: 2000 } });
  });
});
