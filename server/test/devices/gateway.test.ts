import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { Device } from '@gridflow/runtime/contract';
import type { MeasurePointsMessage } from '@gridflow/nodes/device';
import { closed, collect, connectDevice, createDevice, ok, request, seed, startDeviceServer, subLogin, until, type DeviceTestServer } from './support.js';

let s: DeviceTestServer;
let gw: Device;
let subA: Device;
let subB: Device;
let stranger: Device;
let g: MqttClient;
const gwTopic = '/sys/gwPK/gw1';
const session = '/ext/session/gwPK/gw1';

beforeAll(async () => {
  s = await startDeviceServer();
  await seed(s.admin);
  gw = await createDevice(s.admin, 'gwPK', 'gw1', { attributes: {} });
  subA = await createDevice(s.admin, 'invPK', 'subA');
  subB = await createDevice(s.admin, 'invPK', 'subB');
  stranger = await createDevice(s.admin, 'invPK', 'stranger');
  g = await connectDevice(s.port, { productKey: 'gwPK', deviceKey: 'gw1', secret: gw.deviceSecret });
});
afterAll(async () => {
  await g.endAsync(true);
  await s.close();
});

describe('gateway and sub-devices', () => {
  it('adds sub-devices to its topology only with their valid signatures', async () => {
    const badSign = await request(g, `${gwTopic}/thing/topo/add`, 'thing.topo.add', [subLogin('invPK', 'subA', 'not-the-secret')]);
    expect(badSign.code).toBe(1258);
    const unknown = await request(g, `${gwTopic}/thing/topo/add`, 'thing.topo.add', [subLogin('invPK', 'ghost', 'whatever')]);
    expect(unknown.code).toBe(1257);
    const added = await request(g, `${gwTopic}/thing/topo/add`, 'thing.topo.add', [
      subLogin('invPK', 'subA', subA.deviceSecret),
      subLogin('invPK', 'subB', subB.deviceSecret),
    ]);
    expect(added.code).toBe(200);
    const topo = await request(g, `${gwTopic}/thing/topo/get`, 'thing.topo.get', {});
    expect(topo.code).toBe(200);
    expect((topo.data as { deviceKey: string; status: string }[]).map((d) => [d.deviceKey, d.status])).toEqual([
      ['subA', 'inactive'],
      ['subB', 'inactive'],
    ]);
    expect((await ok<Device>(s.admin.request('GET', '/api/devices/invPK/subA'))).gateway).toEqual({ productKey: 'gwPK', deviceKey: 'gw1' });
  });

  it('logs a sub-device in, posts for it on its own topic and in a batch, then logs it out', async () => {
    const events = collect(s.hub);
    const notInTopo = await request(g, `${session}/combine/login`, 'combine.login', subLogin('invPK', 'stranger', stranger.deviceSecret));
    expect(notInTopo.code).toBe(1257);
    const login = await request(g, `${session}/combine/login`, 'combine.login', subLogin('invPK', 'subA', subA.deviceSecret));
    expect(login).toMatchObject({ code: 200, data: { productKey: 'invPK', deviceKey: 'subA' } });
    expect((await ok<Device>(s.admin.request('GET', '/api/devices/invPK/subA'))).state).toBe('online');

    const post = await request(g, '/sys/invPK/subA/thing/measurepoint/post', 'thing.measurepoint.post', { measurepoints: { temp: 30 } });
    expect(post.code).toBe(200);
    const wrong = await request(g, '/sys/invPK/subA/thing/measurepoint/post', 'thing.measurepoint.post', { measurepoints: { temp: 'x' } });
    expect(wrong.code).toBe(1204);
    const batch = await request(g, `${gwTopic}/thing/measurepoint/post/batch`, 'thing.measurepoint.post.batch', [
      { productKey: 'invPK', deviceKey: 'subA', measurepoints: { temp: 31 }, time: Date.now() },
    ]);
    expect(batch.code).toBe(200);
    const notLoggedIn = await request(g, `${gwTopic}/thing/measurepoint/post/batch`, 'thing.measurepoint.post.batch', [
      { productKey: 'invPK', deviceKey: 'subB', measurepoints: { temp: 1 } },
    ]);
    expect(notLoggedIn.code).toBe(1257);
    const offlineAllowed = await request(
      g,
      `${gwTopic}/thing/measurepoint/resume/batch`,
      'thing.measurepoint.resume.batch',
      [{ productKey: 'invPK', deviceKey: 'subB', measurepoints: { temp: 1 }, time: Date.now() - 60_000 }],
      { allowOfflineSubDevice: true },
    );
    expect(offlineAllowed.code).toBe(200);

    await until(() => events.messages.filter((m) => m.kind === 'measurepoints').length === 3);
    const mps = events.messages.filter((m): m is MeasurePointsMessage => m.kind === 'measurepoints');
    expect(mps.map((m) => [m.deviceKey, m.points['temp'], m.backfill, m.gateway?.deviceKey])).toEqual([
      ['subA', 30, false, 'gw1'],
      ['subA', 31, false, 'gw1'],
      ['subB', 1, true, 'gw1'],
    ]);
    expect(events.messages.find((m) => m.kind === 'lifecycle' && m.deviceKey === 'subA')).toMatchObject({ state: 'online', gateway: { deviceKey: 'gw1' } });

    // Commands to the sub-device travel through the gateway's connection.
    await g.subscribeAsync('/sys/invPK/subA/thing/service/reboot', { qos: 1 });
    const onCmd = (t: string, buf: Buffer) => {
      if (t !== '/sys/invPK/subA/thing/service/reboot') return;
      const cmd = JSON.parse(buf.toString()) as { id: string };
      g.publish(`${t}_reply`, JSON.stringify({ id: cmd.id, code: 200, data: { ok: true } }));
    };
    g.on('message', onCmd);
    expect(await s.hub.invokeService({ productKey: 'invPK', deviceKey: 'subA' }, 'reboot', {})).toMatchObject({ code: 200 });
    g.off('message', onCmd);

    const logout = await request(g, `${session}/combine/logout`, 'combine.logout', { productKey: 'invPK', deviceKey: 'subA' });
    expect(logout.code).toBe(200);
    expect((await ok<Device>(s.admin.request('GET', '/api/devices/invPK/subA'))).state).toBe('offline');
    const again = await request(g, `${session}/combine/logout`, 'combine.logout', { productKey: 'invPK', deviceKey: 'subA' });
    expect(again.code).toBe(1257);
    events.close();
  });

  it('logs several sub-devices in at once, and reports the failures', async () => {
    const timestamp = Date.now();
    const a = subLogin('invPK', 'subA', subA.deviceSecret, timestamp);
    const b = subLogin('invPK', 'subB', 'wrong-secret', timestamp);
    const reply = await request(g, `${session}/combine/login/batch`, 'combine.login.batch', {
      clientId: 'subA',
      timestamp,
      signMethod: 'sha256',
      subDevices: [
        { productKey: 'invPK', deviceKey: 'subA', sign: a.sign },
        { productKey: 'invPK', deviceKey: 'subB', sign: b.sign },
      ],
    });
    expect(reply.code).toBe(200);
    // subB signed with a wrong secret: it fails alone, subA still logs in.
    const data = reply.data as { loginedSubDevices: { deviceKey: string }[]; failedSubDevices: { deviceKey: string; code: number }[] };
    expect(data.loginedSubDevices.map((d) => d.deviceKey)).toEqual(['subA']);
    expect(data.failedSubDevices).toMatchObject([{ deviceKey: 'subB', code: 1258 }]);
  });

  it('refuses gateway methods from a plain device and posts for sub-devices that are not logged in', async () => {
    const plain = await connectDevice(s.port, { productKey: 'invPK', deviceKey: 'stranger', secret: stranger.deviceSecret });
    const reply = await request(plain, '/sys/invPK/stranger/thing/topo/get', 'thing.topo.get', {});
    expect(reply.code).toBe(1250);
    await plain.endAsync();

    const gone = closed(g);
    g.publish('/sys/invPK/subB/thing/measurepoint/post', JSON.stringify({ id: '1', params: { measurepoints: { temp: 1 } } }), { qos: 1 });
    await gone;
    g = await connectDevice(s.port, { productKey: 'gwPK', deviceKey: 'gw1', secret: gw.deviceSecret });
  });

  it('logs sub-devices out when the gateway disconnects, and removes them from the topology', async () => {
    const login = await request(g, `${session}/combine/login`, 'combine.login', subLogin('invPK', 'subB', subB.deviceSecret));
    expect(login.code).toBe(200);
    expect(s.broker.online('invPK', 'subB')).toBeDefined();
    const del = await request(g, `${gwTopic}/thing/topo/delete`, 'thing.topo.delete', [{ productKey: 'invPK', deviceKey: 'subB' }]);
    expect(del.code).toBe(200);
    expect(s.broker.online('invPK', 'subB')).toBeUndefined();
    expect((await ok<Device>(s.admin.request('GET', '/api/devices/invPK/subB'))).gateway).toBeNull();

    const relogin = await request(g, `${session}/combine/login`, 'combine.login', subLogin('invPK', 'subA', subA.deviceSecret));
    expect(relogin.code).toBe(200);
    await g.endAsync();
    await until(() => s.broker.online('invPK', 'subA') === undefined, 2000, 'sub-device offline');
    g = await connectDevice(s.port, { productKey: 'gwPK', deviceKey: 'gw1', secret: gw.deviceSecret });
  });

  it('logs out a sub-device that is disabled through the API', async () => {
    const login = await request(g, `${session}/combine/login`, 'combine.login', subLogin('invPK', 'subA', subA.deviceSecret));
    expect(login.code).toBe(200);
    await ok(s.admin.request('PATCH', '/api/devices/invPK/subA', { disabled: true }));
    expect(s.broker.online('invPK', 'subA')).toBeUndefined();
    const refused = await request(g, `${session}/combine/login`, 'combine.login', subLogin('invPK', 'subA', subA.deviceSecret));
    expect(refused.code).toBe(1258);
  });
});
