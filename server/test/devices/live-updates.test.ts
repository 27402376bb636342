import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { io as connect, type Socket } from 'socket.io-client';
import {
  deviceLifecycleEventSchema,
  deviceLiveUpdateSchema,
  type ClientToServerEvents,
  type Device,
  type DeviceLifecycleEvent,
  type DeviceLiveUpdate,
  type DeviceWatchAck,
  type ServerToClientEvents,
} from '@gridflow/runtime/contract';
import { userClient } from '../helpers.js';
import {
  closed,
  connectDevice,
  createDevice,
  ok,
  request,
  seed,
  startDeviceServer,
  until,
  type DeviceTestServer,
} from './support.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let s: DeviceTestServer;
let inv1: Device;
let inv2: Device;
const sockets: ClientSocket[] = [];
const devices: MqttClient[] = [];

/** A socket with everything it received about devices. */
interface Listener {
  socket: ClientSocket;
  error?: Error;
  lifecycle: DeviceLifecycleEvent[];
  updates: DeviceLiveUpdate[];
}

async function open(auth: { cookie?: string }): Promise<Listener> {
  const socket: ClientSocket = connect(s.ts.url, {
    transports: ['websocket'],
    reconnection: false,
    autoConnect: false,
    ...(auth.cookie ? { extraHeaders: { cookie: auth.cookie } } : {}),
  });
  sockets.push(socket);
  const l: Listener = { socket, lifecycle: [], updates: [] };
  // Every payload must match the contract's schema, not only the fields a test looks at.
  socket.on('devices:lifecycle', (e) => l.lifecycle.push(deviceLifecycleEventSchema.parse(e)));
  socket.on('devices:device', (u) => l.updates.push(deviceLiveUpdateSchema.parse(u)));
  socket.connect();
  await new Promise<void>((resolve) => {
    socket.on('connect', () => resolve());
    socket.on('connect_error', (error) => {
      l.error = error;
      resolve();
    });
  });
  return l;
}

const watch = (l: Listener, req: unknown) =>
  new Promise<DeviceWatchAck>((resolve) =>
    l.socket.emit('devices:watch', req as { productKey: string; deviceKey: string }, resolve),
  );
const watchLifecycle = (l: Listener, req: unknown = {}) =>
  new Promise<DeviceWatchAck>((resolve) =>
    l.socket.emit('devices:watch-lifecycle', req as { productKey?: string }, resolve),
  );
const changesOf = (l: Listener, deviceKey: string) =>
  l.lifecycle.flatMap((e) => e.changes).filter((c) => c.deviceKey === deviceKey);
const post = (c: MqttClient, deviceKey: string, points: Record<string, unknown>, time = Date.now()) =>
  c.publish(
    `/sys/invPK/${deviceKey}/thing/measurepoint/post`,
    JSON.stringify({
      id: '1',
      version: '1.0',
      method: 'thing.measurepoint.post',
      params: { measurepoints: points, time },
    }),
    { qos: 0 },
  );

beforeAll(async () => {
  s = await startDeviceServer();
  await seed(s.admin);
  inv1 = await createDevice(s.admin, 'invPK', 'inv1');
  inv2 = await createDevice(s.admin, 'invPK', 'inv2');
});
afterAll(async () => {
  for (const d of devices) d.end(true);
  for (const so of sockets) so.close();
  await s?.close();
});

describe('live device updates over the editor socket', () => {
  let page: Listener;
  let list: Listener;
  let idle: Listener;
  let outsider: Listener;

  it('accepts watches from logged-in clients only, with a clear error for bad input', async () => {
    outsider = await open({});
    expect(outsider.error?.message).toBe('unauthorized');
    const viewer = await userClient(s.ts.url, s.admin, 'vera', 'viewer');
    page = await open({ cookie: viewer.cookie as string });
    list = await open({ cookie: s.admin.cookie as string });
    idle = await open({ cookie: s.admin.cookie as string });
    expect([page.error, list.error, idle.error]).toEqual([undefined, undefined, undefined]);

    expect(await watch(page, { productKey: 'invPK', deviceKey: 'bad key!' })).toEqual({
      ok: false,
      error: 'devices:watch: deviceKey: may contain letters, digits and _ . - only',
    });
    expect(await watch(page, { productKey: 'invPK' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^devices:watch: deviceKey: /),
    });
    expect(await watch(page, 'invPK/inv1')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^devices:watch: /),
    });
    expect(await watch(page, { productKey: 'invPK', deviceKey: 'nope' })).toEqual({
      ok: false,
      error: 'devices:watch: device "invPK/nope" does not exist',
    });
    expect(await watchLifecycle(list, { product: 'x' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^devices:watch-lifecycle: /),
    });

    expect(await watch(page, { productKey: 'invPK', deviceKey: 'inv1' })).toEqual({ ok: true });
    expect(await watchLifecycle(list)).toEqual({ ok: true });
  });

  it('pushes a device coming online to the list, and coalesces its points into few updates for the page', async () => {
    const d1 = await connectDevice(s.port, { productKey: 'invPK', deviceKey: 'inv1', secret: inv1.deviceSecret });
    devices.push(d1);
    await until(() => changesOf(list, 'inv1').some((c) => c.state === 'online'), 3000, 'inv1 online on the list');
    expect(changesOf(list, 'inv1').find((c) => c.state === 'online')?.lastSeen).toMatch(/^\d{4}-\d\d-\d\dT/);
    await until(() => page.updates.some((u) => u.lifecycle?.state === 'online'), 3000, 'inv1 online on its page');

    const before = page.updates.length;
    const started = Date.now();
    const t0 = Date.now();
    // 300 messages spread over about a second (10 every 30 ms), as a device posting at 300/s.
    for (let i = 1; i <= 300; i++) {
      post(d1, 'inv1', { power: i, temp: i / 10 }, t0 + i);
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 30));
    }
    await until(
      () => page.updates.some((u) => u.points?.power?.value === 300),
      5000,
      'the last power value on the page',
    );
    const elapsed = Date.now() - started;
    const got = page.updates.slice(before).filter((u) => u.points);
    // 300 messages, a handful of updates: at most one per 250 ms flush (plus the one in flight).
    expect(elapsed).toBeGreaterThan(900);
    expect(got.length).toBeLessThanOrEqual(Math.ceil(elapsed / 250) + 1);
    expect(got.at(-1)?.points).toMatchObject({
      power: { value: 300, time: t0 + 300 },
      temp: { value: 30, time: t0 + 300 },
    });
  });

  it('pushes new events of the watched device', async () => {
    const d1 = devices[0] as MqttClient;
    const reply = await request(d1, '/sys/invPK/inv1/thing/event/overheat/post', 'thing.event.overheat.post', {
      events: { temp: 99.5 },
    });
    expect(reply.code).toBe(200);
    await until(() => page.updates.some((u) => u.events?.length), 3000, 'the event on the page');
    const events = page.updates.flatMap((u) => u.events ?? []);
    expect(events).toEqual([{ event: 'overheat', values: { temp: 99.5 }, time: expect.any(Number) as number }]);
  });

  it('sends a device that is not watched to nobody, and nothing to a client that did not subscribe', async () => {
    const d2 = await connectDevice(s.port, { productKey: 'invPK', deviceKey: 'inv2', secret: inv2.deviceSecret });
    devices.push(d2);
    post(d2, 'inv2', { power: 7 });
    await until(() => changesOf(list, 'inv2').some((c) => c.state === 'online'), 3000, 'inv2 online on the list');
    // Two more flushes for anything that might still come.
    await new Promise((r) => setTimeout(r, 600));
    expect(page.updates.filter((u) => u.deviceKey !== 'inv1')).toEqual([]);
    expect(list.updates).toEqual([]);
    expect(idle.lifecycle).toEqual([]);
    expect(idle.updates).toEqual([]);
    expect(outsider.lifecycle).toEqual([]);
    expect(outsider.updates).toEqual([]);
  });

  it('pushes disabling (and the drop it causes), creation and deletion; unwatching stops the page updates', async () => {
    await ok(s.admin.request('PATCH', '/api/devices/invPK/inv2', { disabled: true }));
    await until(() => changesOf(list, 'inv2').some((c) => c.disabled === true), 3000, 'inv2 disabled on the list');
    await until(() => changesOf(list, 'inv2').some((c) => c.state === 'offline'), 3000, 'inv2 offline on the list');
    await createDevice(s.admin, 'invPK', 'inv3');
    await until(() => changesOf(list, 'inv3').some((c) => c.created && c.state === 'inactive'), 3000, 'inv3 created');
    await ok(s.admin.request('DELETE', '/api/devices/invPK/inv3'), 204);
    await until(() => changesOf(list, 'inv3').some((c) => c.deleted), 3000, 'inv3 deleted');

    page.socket.emit('devices:unwatch', { productKey: 'invPK', deviceKey: 'inv1' });
    await new Promise((r) => setTimeout(r, 300));
    const count = page.updates.length;
    const d1 = devices[0] as MqttClient;
    d1.end(true);
    await closed(d1);
    await until(() => changesOf(list, 'inv1').some((c) => c.state === 'offline'), 3000, 'inv1 offline on the list');
    await new Promise((r) => setTimeout(r, 600));
    expect(page.updates.length).toBe(count);
  });

  it('subscribes afresh once every watcher has left, and a product page gets its product only', async () => {
    list.socket.close();
    page.socket.close();
    await new Promise((r) => setTimeout(r, 300));
    const again = await open({ cookie: s.admin.cookie as string });
    expect(await watchLifecycle(again, { productKey: 'invPK' })).toEqual({ ok: true });
    const other = await createDevice(s.admin, 'dynPK', 'dyn1');
    const d4 = await createDevice(s.admin, 'invPK', 'inv4');
    const cOther = await connectDevice(s.port, { productKey: 'dynPK', deviceKey: 'dyn1', secret: other.deviceSecret });
    const c4 = await connectDevice(s.port, { productKey: 'invPK', deviceKey: 'inv4', secret: d4.deviceSecret });
    devices.push(cOther, c4);
    await until(() => changesOf(again, 'inv4').some((c) => c.state === 'online'), 3000, 'inv4 online for the new page');
    await new Promise((r) => setTimeout(r, 300));
    expect(again.lifecycle.flatMap((e) => e.changes).filter((c) => c.productKey !== 'invPK')).toEqual([]);
    expect(idle.lifecycle).toEqual([]);
  });
});
