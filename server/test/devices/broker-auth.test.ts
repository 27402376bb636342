import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'mqtt';
import type { BrokerStatus, Device } from '@gridflow/runtime/contract';
import { connectCredentials } from '../../src/devices/enos-auth.js';
import type { Client } from '../helpers.js';
import { closed, collect, connectDevice, createDevice, ok, request, seed, startDeviceServer, until, type DeviceTestServer } from './support.js';

let s: DeviceTestServer;
let admin: Client;
let device: Device;

beforeAll(async () => {
  s = await startDeviceServer();
  admin = s.admin;
  await seed(admin);
  device = await createDevice(admin, 'invPK', 'auth1');
});
afterAll(() => s.close());

const cred = (d: Device) => ({ productKey: d.productKey, deviceKey: d.deviceKey, secret: d.deviceSecret });

describe('CONNECT', () => {
  it('accepts the EnOS signature and reports the device online, then offline', async () => {
    const events = collect(s.hub, { kinds: ['lifecycle'] });
    const c = await connectDevice(s.port, cred(device));
    await until(() => events.messages.length === 1, 2000, 'online event');
    expect(events.messages[0]).toMatchObject({ kind: 'lifecycle', state: 'online', productKey: 'invPK', deviceKey: 'auth1' });
    expect((await ok<Device>(admin.request('GET', '/api/devices/invPK/auth1'))).state).toBe('online');
    await c.endAsync();
    await until(() => events.messages.length === 2, 2000, 'offline event');
    expect(events.messages[1]).toMatchObject({ state: 'offline' });
    const after = await ok<Device>(admin.request('GET', '/api/devices/invPK/auth1'));
    expect(after.state).toBe('offline');
    expect(after.lastSeen).not.toBeNull();
    events.close();
  });

  it('refuses a wrong secret, an unregistered device and a malformed client id', async () => {
    await expect(connectDevice(s.port, { ...cred(device), secret: 'wrong-secret' })).rejects.toThrow(/Bad username or password/);
    await expect(connectDevice(s.port, { productKey: 'invPK', deviceKey: 'ghost', secret: 'whatever1' })).rejects.toThrow(/Bad username or password/);
    const plain = connect(`mqtt://127.0.0.1:${s.port}`, { clientId: 'plain-client', username: 'auth1&invPK', password: 'x', reconnectPeriod: 0 });
    await expect(new Promise((_r, reject) => plain.once('error', reject))).rejects.toThrow(/Identifier rejected/);
    plain.end(true);
    // The username must name the device of the client id.
    const creds = connectCredentials(cred(device));
    const mixed = connect(`mqtt://127.0.0.1:${s.port}`, { ...creds, username: 'other&invPK', reconnectPeriod: 0 });
    await expect(new Promise((_r, reject) => mixed.once('error', reject))).rejects.toThrow(/Bad username or password/);
    mixed.end(true);
    const status = await ok<BrokerStatus>(admin.request('GET', '/api/devices/broker'));
    expect(status.counters.rejectedConnects).toBeGreaterThanOrEqual(4);
    expect(status.port).toBe(s.port);
  });

  it('refuses a disabled device and drops one that is disabled while connected', async () => {
    const d = await createDevice(admin, 'invPK', 'dis1');
    const c = await connectDevice(s.port, cred(d));
    const gone = closed(c);
    await ok(admin.request('PATCH', '/api/devices/invPK/dis1', { disabled: true }));
    await gone;
    expect(c.connected).toBe(false);
    await expect(connectDevice(s.port, cred(d))).rejects.toThrow(/Not authorized/);
    await ok(admin.request('PATCH', '/api/devices/invPK/dis1', { disabled: false }));
    const again = await connectDevice(s.port, cred(d));
    await again.endAsync();
  });

  it('closes the older connection when a device connects again', async () => {
    const d = await createDevice(admin, 'invPK', 'twice');
    const first = await connectDevice(s.port, cred(d));
    const firstClosed = closed(first);
    const second = await connectDevice(s.port, cred(d), {});
    await firstClosed;
    expect(second.connected).toBe(true);
    expect((await ok<Device>(admin.request('GET', '/api/devices/invPK/twice'))).state).toBe('online');
    await second.endAsync();
  });
});

describe('ACL', () => {
  it("refuses subscriptions outside the device's own topics", async () => {
    const c = await connectDevice(s.port, cred(device));
    // mqtt.js rejects a SUBACK with a failure code; the packet tells which were refused.
    const err = await c
      .subscribeAsync(['/sys/invPK/auth1/thing/service/#', '/sys/invPK/other/thing/service/#', '/sys/+/+/thing/#', '#'])
      .then(() => undefined, (e: unknown) => e as { packet?: { granted: number[] } });
    expect(err?.packet?.granted).toEqual([0, 128, 128, 128]);
    await c.endAsync();
  });

  it("disconnects a device that publishes to another device's topic, and counts it", async () => {
    const before = (await ok<BrokerStatus>(admin.request('GET', '/api/devices/broker'))).counters.aclViolations;
    const c = await connectDevice(s.port, cred(device));
    const gone = closed(c);
    c.publish('/sys/invPK/other/thing/measurepoint/post', JSON.stringify({ id: '1', params: { measurepoints: { temp: 1 } } }), { qos: 1 });
    await gone;
    const after = (await ok<BrokerStatus>(admin.request('GET', '/api/devices/broker'))).counters.aclViolations;
    expect(after).toBe(before + 1);
  });
});

describe('dynamic activation', () => {
  it('sends the device secret to a device that signs with the product secret, once', async () => {
    const product = s.registry.getProduct('dynPK');
    const { productSecret } = await product;
    const d = await createDevice(admin, 'dynPK', 'dyn1');
    const c = await connectDevice(s.port, { productKey: 'dynPK', deviceKey: 'dyn1', secret: productSecret, secureMode: 3 });
    const topic = '/ext/session/dynPK/dyn1/thing/activate/info';
    const info = new Promise<Record<string, unknown>>((resolve) =>
      c.on('message', (t, buf) => {
        if (t === topic) resolve(JSON.parse(buf.toString()) as Record<string, unknown>);
      }),
    );
    await c.subscribeAsync(topic, { qos: 1 });
    const body = await info;
    expect(body).toMatchObject({ method: 'thing.activate.info', params: { productKey: 'dynPK', deviceKey: 'dyn1', deviceSecret: d.deviceSecret } });
    // The activation session may not post data.
    const gone = closed(c);
    c.publish('/sys/dynPK/dyn1/thing/measurepoint/post', '{}', { qos: 1 });
    await gone;

    const secret = (body['params'] as { deviceSecret: string }).deviceSecret;
    const normal = await connectDevice(s.port, { productKey: 'dynPK', deviceKey: 'dyn1', secret });
    const reply = await request(normal, '/sys/dynPK/dyn1/thing/measurepoint/post', 'thing.measurepoint.post', { measurepoints: { temp: 20 } });
    expect(reply.code).toBe(200);
    await normal.endAsync();
    await until(() => s.broker.online('dynPK', 'dyn1') === undefined);
    await expect(connectDevice(s.port, { productKey: 'dynPK', deviceKey: 'dyn1', secret: productSecret, secureMode: 3 })).rejects.toThrow(/Not authorized/);
  });

  it('refuses product-secret activation for a product without dynamic activation', async () => {
    const { productSecret } = await s.registry.getProduct('invPK');
    const d = await createDevice(admin, 'invPK', 'nodyn');
    await expect(connectDevice(s.port, { productKey: 'invPK', deviceKey: d.deviceKey, secret: productSecret, secureMode: 3 })).rejects.toThrow(
      /Not authorized/,
    );
  });
});
