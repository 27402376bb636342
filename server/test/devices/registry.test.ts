import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, Device, DevicesResponse, Product, StoredThingModel, SubDevicesResponse } from '@gridflow/runtime/contract';
import { userClient, type Client } from '../helpers.js';
import { createDevice, inverterModel, ok, seed, startDeviceServer, type DeviceTestServer } from './support.js';

let s: DeviceTestServer;
let admin: Client;

beforeAll(async () => {
  s = await startDeviceServer();
  admin = s.admin;
  await seed(admin);
});
afterAll(() => s.close());

const errorOf = (body: unknown) => (body as ApiError).error;

describe('thing models', () => {
  it('lists, reads and counts the products using a model', async () => {
    const list = await ok<{ models: StoredThingModel[] }>(admin.request('GET', '/api/thing-models'));
    expect(list.models.map((m) => m.model.id)).toEqual(['Gateway', 'Inverter']);
    const inv = await ok<StoredThingModel>(admin.request('GET', '/api/thing-models/Inverter'));
    expect(inv.products).toBe(2);
    expect(inv.model.measurePoints.find((p) => p.identifier === 'label')?.spec).toEqual({ type: 'string', maxLength: 20 });
  });

  it('refuses bad identifiers and wrong point types, naming the field', async () => {
    const bad = await admin.request('POST', '/api/thing-models', { ...inverterModel, id: 'Bad', attributes: [{ identifier: '1st', name: 'x', spec: { type: 'int' } }] });
    expect(bad.status).toBe(400);
    expect(errorOf(bad.body).message).toContain('attributes.0.identifier');
    expect(errorOf(bad.body).message).toContain('must start with a letter');

    const wrongType = await admin.request('POST', '/api/thing-models', {
      id: 'Bad2',
      name: 'x',
      measurePoints: [{ identifier: 'p', name: 'p', pointType: 'AI', spec: { type: 'string' } }],
    });
    expect(wrongType.status).toBe(400);
    expect(errorOf(wrongType.body).fields?.[0]?.path).toBe('measurePoints.0.spec.type');

    const dup = await admin.request('POST', '/api/thing-models', {
      id: 'Bad3',
      name: 'x',
      attributes: [{ identifier: 'a', name: 'a', spec: { type: 'int' } }],
      measurePoints: [{ identifier: 'a', name: 'a', spec: { type: 'int' } }],
    });
    expect(dup.status).toBe(400);
    expect(errorOf(dup.body).message).toContain('measurePoints.0.identifier');
  });

  it('updates a model (id must match the path) and will not delete one in use', async () => {
    const mismatch = await admin.request('PATCH', '/api/thing-models/Gateway', { id: 'Other', name: 'x' });
    expect(mismatch.status).toBe(400);
    const updated = await ok<StoredThingModel>(admin.request('PATCH', '/api/thing-models/Gateway', { id: 'Gateway', name: 'Gateway v2' }));
    expect(updated.model.name).toBe('Gateway v2');
    const inUse = await admin.request('DELETE', '/api/thing-models/Inverter');
    expect(inUse.status).toBe(409);
    expect(errorOf(inUse.body).message).toContain('used by 2 product');
    expect((await admin.request('POST', '/api/thing-models', inverterModel)).status).toBe(409);
    await ok(admin.request('POST', '/api/thing-models', { id: 'Temp', name: 'temp' }), 201);
    await ok(admin.request('DELETE', '/api/thing-models/Temp'), 204);
    expect((await admin.request('GET', '/api/thing-models/Temp')).status).toBe(404);
  });
});

describe('products', () => {
  it('generates keys and secrets, and needs an existing model', async () => {
    const p = await ok<Product>(admin.request('POST', '/api/products', { name: 'Generated', modelId: 'Inverter' }), 201);
    expect(p.productKey).toMatch(/^[A-Za-z0-9]{10}$/);
    expect(p.productSecret).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(p.authMode).toBe('device-secret');
    const noModel = await admin.request('POST', '/api/products', { name: 'x', modelId: 'Nope' });
    expect(noModel.status).toBe(404);
    expect(errorOf(noModel.body).fields?.[0]?.path).toBe('modelId');
    const badKey = await admin.request('POST', '/api/products', { productKey: 'has space', name: 'x', modelId: 'Inverter' });
    expect(badKey.status).toBe(400);
    expect(errorOf(badKey.body).message).toContain('productKey');
    const patched = await ok<Product>(admin.request('PATCH', `/api/products/${p.productKey}`, { name: 'Renamed', authMode: 'dynamic' }));
    expect(patched).toMatchObject({ name: 'Renamed', authMode: 'dynamic', modelId: 'Inverter' });
    const noModelChange = await admin.request('PATCH', `/api/products/${p.productKey}`, { modelId: 'Gateway' });
    expect(noModelChange.status).toBe(400);
    await ok(admin.request('DELETE', `/api/products/${p.productKey}`), 204);
  });
});

describe('devices', () => {
  it('creates a device with generated key and secret, checking attributes against the model', async () => {
    const d = await ok<Device>(admin.request('POST', '/api/devices', { productKey: 'invPK', name: 'Gen', attributes: { capacity: '7.5', site: 'north' } }), 201);
    expect(d.deviceKey).toMatch(/^[A-Za-z0-9]{10}$/);
    expect(d.deviceSecret).toHaveLength(20);
    expect(d).toMatchObject({ state: 'inactive', disabled: false, lastSeen: null, attributes: { capacity: 7.5, site: 'north' } });

    const missing = await admin.request('POST', '/api/devices', { productKey: 'invPK', name: 'x', attributes: {} });
    expect(missing.status).toBe(400);
    expect(errorOf(missing.body).message).toContain('"capacity" is required');
    const wrong = await admin.request('POST', '/api/devices', { productKey: 'invPK', name: 'x', attributes: { capacity: 'lots' } });
    expect(wrong.status).toBe(400);
    expect(errorOf(wrong.body).message).toMatch(/capacity.*expected double/);
    const unknown = await admin.request('POST', '/api/devices', { productKey: 'invPK', name: 'x', attributes: { capacity: 1, color: 'red' } });
    expect(errorOf(unknown.body).message).toContain('"color" is not defined');
    const noProduct = await admin.request('POST', '/api/devices', { productKey: 'nope', name: 'x' });
    expect(noProduct.status).toBe(404);

    await createDevice(admin, 'invPK', 'dup1');
    expect((await admin.request('POST', '/api/devices', { productKey: 'invPK', deviceKey: 'dup1', name: 'x', attributes: { capacity: 1 } })).status).toBe(409);
  });

  it('updates attributes (null removes), disables, lists and deletes', async () => {
    await createDevice(admin, 'invPK', 'upd1', { attributes: { capacity: 1, site: 'a' } });
    const u = await ok<Device>(admin.request('PATCH', '/api/devices/invPK/upd1', { attributes: { site: null, capacity: 2 }, disabled: true }));
    expect(u.attributes).toEqual({ capacity: 2 });
    expect(u.disabled).toBe(true);
    const cannotDropRequired = await admin.request('PATCH', '/api/devices/invPK/upd1', { attributes: { capacity: null } });
    expect(cannotDropRequired.status).toBe(400);
    const list = await ok<DevicesResponse>(admin.request('GET', '/api/devices?productKey=invPK&search=upd&limit=10'));
    expect(list.devices.map((d) => d.deviceKey)).toEqual(['upd1']);
    expect(list.total).toBe(1);
    const badQuery = await admin.request('GET', '/api/devices?limit=0');
    expect(badQuery.status).toBe(400);
    expect(errorOf(badQuery.body).message).toContain('limit');
    await ok(admin.request('DELETE', '/api/devices/invPK/upd1'), 204);
    expect((await admin.request('GET', '/api/devices/invPK/upd1')).status).toBe(404);
  });

  it('imports devices from CSV text, all or nothing', async () => {
    const csv = 'deviceKey,name,capacity,site\ncsv1,First,10,"north, hall 2"\ncsv2,Second,12.5,\n';
    const created = await admin.request('POST', '/api/devices/import?productKey=invPK', csv, { 'content-type': 'text/csv' });
    expect(created.status).toBe(201);
    const devices = (created.body as { created: Device[] }).created;
    expect(devices.map((d) => [d.deviceKey, d.attributes])).toEqual([
      ['csv1', { capacity: 10, site: 'north, hall 2' }],
      ['csv2', { capacity: 12.5 }],
    ]);

    const bad = await admin.request('POST', '/api/devices/import', {
      csv: 'productKey,deviceKey,name,capacity\ninvPK,csv3,Third,1\ninvPK,csv4,Fourth,many\nnope,csv5,Fifth,1\n',
    });
    expect(bad.status).toBe(400);
    const message = errorOf(bad.body).message;
    expect(message).toContain('line 3');
    expect(message).toContain('capacity');
    expect(message).toContain('line 4: product "nope" does not exist');
    expect((await admin.request('GET', '/api/devices/invPK/csv3')).status).toBe(404);

    const noHeader = await admin.request('POST', '/api/devices/import', { csv: 'deviceKey\nx\n', productKey: 'invPK' });
    expect(errorOf(noHeader.body).message).toContain('no "name" column');
  });

  it('manages gateway topology', async () => {
    await createDevice(admin, 'gwPK', 'gw1', { attributes: {} });
    await createDevice(admin, 'invPK', 'sub1');
    await createDevice(admin, 'invPK', 'sub2');
    const added = await ok<SubDevicesResponse>(
      admin.request('POST', '/api/devices/gwPK/gw1/sub-devices', { subDevices: [{ productKey: 'invPK', deviceKey: 'sub1' }, { productKey: 'invPK', deviceKey: 'sub2' }] }),
    );
    expect(added.subDevices.map((d) => d.deviceKey)).toEqual(['sub1', 'sub2']);
    expect((await ok<Device>(admin.request('GET', '/api/devices/invPK/sub1'))).gateway).toEqual({ productKey: 'gwPK', deviceKey: 'gw1' });
    const notGateway = await admin.request('POST', '/api/devices/invPK/sub1/sub-devices', { subDevices: [{ productKey: 'invPK', deviceKey: 'sub2' }] });
    expect(notGateway.status).toBe(409);
    await ok(admin.request('DELETE', '/api/devices/gwPK/gw1/sub-devices/invPK/sub2'), 204);
    const left = await ok<SubDevicesResponse>(admin.request('GET', '/api/devices/gwPK/gw1/sub-devices'));
    expect(left.subDevices.map((d) => d.deviceKey)).toEqual(['sub1']);
    expect((await admin.request('DELETE', '/api/devices/gwPK/gw1/sub-devices/invPK/sub2')).status).toBe(404);
    const productInUse = await admin.request('DELETE', '/api/products/gwPK');
    expect(productInUse.status).toBe(409);
  });

  it('lets viewers read but not write', async () => {
    const viewer = await userClient(s.ts.url, admin, 'devview', 'viewer');
    expect((await viewer.request('GET', '/api/devices')).status).toBe(200);
    expect((await viewer.request('POST', '/api/devices', { productKey: 'invPK', name: 'x' })).status).toBe(403);
    expect((await viewer.request('GET', '/api/devices/broker')).status).toBe(200);
  });
});
