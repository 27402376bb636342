import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { DevicePointsResponse, Device } from '@gridflow/runtime/contract';
import type { DeviceMessage, MeasurePointsMessage } from '@gridflow/nodes/device';
import type { Client } from '../helpers.js';
import { collect, connectDevice, createDevice, ok, raw, request, seed, startDeviceServer, until, type DeviceTestServer } from './support.js';

let s: DeviceTestServer;
let admin: Client;
let device: Device;
let c: MqttClient;
const base = '/sys/invPK/topic1';

beforeAll(async () => {
  s = await startDeviceServer();
  admin = s.admin;
  await seed(admin);
  device = await createDevice(admin, 'invPK', 'topic1', { attributes: { capacity: 3, site: 'west' } });
  c = await connectDevice(s.port, { productKey: 'invPK', deviceKey: 'topic1', secret: device.deviceSecret });
});
afterAll(async () => {
  await c.endAsync();
  await s.close();
});

const points = (messages: DeviceMessage[]) => messages.filter((m): m is MeasurePointsMessage => m.kind === 'measurepoints');

describe('measure point post', () => {
  it('accepts points of every data type and hands them to the hub', async () => {
    const sub = collect(s.hub, { kinds: ['measurepoints'] });
    const reply = await request(c, `${base}/thing/measurepoint/post`, 'thing.measurepoint.post', {
      measurepoints: {
        power: { value: 12.5, quality: 9 },
        temp: '21.5',
        status: 1,
        energy: 1000.25,
        running: true,
        label: 'ok',
        currents: ['1.02', 2.02, 7.93],
        pos: { lat: 52.5, lon: 13.4 },
        since: '2024-01-01T00:00:00Z',
        count: 7,
      },
      time: 1_700_000_000_000,
    });
    expect(reply).toMatchObject({ code: 200, data: {} });
    await until(() => sub.messages.length === 1);
    expect(sub.messages[0]).toMatchObject({
      kind: 'measurepoints',
      productKey: 'invPK',
      deviceKey: 'topic1',
      time: 1_700_000_000_000,
      backfill: false,
      points: { power: 12.5, temp: 21.5, currents: [1.02, 2.02, 7.93], pos: { lat: 52.5, lon: 13.4 }, count: 7 },
      quality: { power: 9 },
    });
    sub.close();
    await until(() => s.registry !== undefined);
    const latest = await ok<DevicePointsResponse>(admin.request('GET', '/api/devices/invPK/topic1/points'));
    expect(latest.points['power']).toEqual({ value: 12.5, time: 1_700_000_000_000, quality: 9 });
  });

  it.each([
    [{ nope: 1 }, /measure point "nope" is not defined in model "Inverter"/],
    [{ temp: 'hot' }, /measure point "temp": expected float, got string "hot"/],
    [{ power: -1 }, /measure point "power": -1 is out of range/],
    [{ status: 5 }, /measure point "status": expected one of 0, 1/],
    [{ count: 1.5 }, /measure point "count": expected int, got 1.5/],
    [{ label: 'x'.repeat(21) }, /measure point "label": string is longer than 20/],
    [{ pos: { lat: 1 } }, /measure point "pos": field "lon" is required/],
    [{ currents: [1, 'a'] }, /measure point "currents": item 1: expected float/],
    [{ running: 'yes' }, /measure point "running": expected bool/],
  ])('replies 1204 naming the point for %j', async (mp, message) => {
    const reply = await request(c, `${base}/thing/measurepoint/post`, 'thing.measurepoint.post', { measurepoints: mp });
    expect(reply.code).toBe(1204);
    expect(reply.message).toMatch(message);
  });

  it('skips invalid points when the device asks for it', async () => {
    const sub = collect(s.hub, { kinds: ['measurepoints'] });
    const reply = await request(c, `${base}/thing/measurepoint/post`, 'thing.measurepoint.post', { measurepoints: { temp: 1, nope: 2 } }, { skipInvalidMeasurepoints: true });
    expect(reply.code).toBe(200);
    await until(() => sub.messages.length === 1);
    expect(points(sub.messages)[0]?.points).toEqual({ temp: 1 });
    sub.close();
  });

  it('replies 1202 to bad JSON and bad params, 1250 to unknown methods, 1260 to a method that does not match', async () => {
    expect((await raw(c, `${base}/thing/measurepoint/post`, '{not json')).code).toBe(1202);
    const noParams = await request(c, `${base}/thing/measurepoint/post`, 'thing.measurepoint.post', 'nope');
    expect(noParams).toMatchObject({ code: 1202, message: 'params must be an object' });
    const badTime = await request(c, `${base}/thing/measurepoint/post`, 'thing.measurepoint.post', { measurepoints: {}, time: 'yesterday' });
    expect(badTime.code).toBe(1202);
    const unknown = await request(c, `${base}/thing/whatever/post`, 'thing.whatever.post', {});
    expect(unknown.code).toBe(1250);
    const mismatch = await request(c, `${base}/thing/measurepoint/post`, 'thing.event.x.post', { measurepoints: {} });
    expect(mismatch.code).toBe(1260);
  });

  it('accepts the older Java SDK topic thing/event/measurepoint/post', async () => {
    const reply = await request(c, `${base}/thing/event/measurepoint/post`, 'thing.measurepoint.post', { measurepoints: { temp: 3 } });
    expect(reply.code).toBe(200);
  });

  it('takes post/batch with several timestamps, checking every entry first', async () => {
    const sub = collect(s.hub, { kinds: ['measurepoints'] });
    const good = await request(c, `${base}/thing/measurepoint/post/batch`, 'thing.measurepoint.post.batch', [
      { measurepoints: { temp: 1 }, time: 1000 },
      { productKey: 'invPK', deviceKey: 'topic1', measurepoints: { temp: 2 }, time: 2000 },
    ]);
    expect(good.code).toBe(200);
    await until(() => sub.messages.length === 2);
    expect(points(sub.messages).map((m) => [m.time, m.points['temp']])).toEqual([
      [1000, 1],
      [2000, 2],
    ]);
    const bad = await request(c, `${base}/thing/measurepoint/post/batch`, 'thing.measurepoint.post.batch', [
      { measurepoints: { temp: 1 }, time: 3000 },
      { measurepoints: { temp: 'x' }, time: 4000 },
    ]);
    expect(bad.code).toBe(1204);
    expect(bad.message).toContain('params[1]');
    const foreign = await request(c, `${base}/thing/measurepoint/post/batch`, 'thing.measurepoint.post.batch', [
      { productKey: 'invPK', deviceKey: 'someoneElse', measurepoints: { temp: 1 } },
    ]);
    expect(foreign.code).toBe(1257);
    await new Promise((r) => setTimeout(r, 50));
    expect(sub.messages).toHaveLength(2);
    sub.close();
  });

  it('flags resumed (back-filled) points and does not let them replace newer latest values', async () => {
    const sub = collect(s.hub, { kinds: ['measurepoints'] });
    const now = Date.now();
    await request(c, `${base}/thing/measurepoint/post`, 'thing.measurepoint.post', { measurepoints: { energy: 50 }, time: now });
    const resumed = await request(c, `${base}/thing/measurepoint/resume`, 'thing.measurepoint.resume', { measurepoints: { energy: 10 }, time: now - 3_600_000 });
    expect(resumed.code).toBe(200);
    const batch = await request(c, `${base}/thing/measurepoint/resume/batch`, 'thing.measurepoint.resume.batch', [{ measurepoints: { energy: 11 }, time: now - 3_500_000 }]);
    expect(batch.code).toBe(200);
    await until(() => sub.messages.length === 3);
    expect(points(sub.messages).map((m) => m.backfill)).toEqual([false, true, true]);
    const latest = await ok<DevicePointsResponse>(admin.request('GET', '/api/devices/invPK/topic1/points'));
    expect(latest.points['energy']?.value).toBe(50);
    sub.close();
  });
});

describe('events and attributes', () => {
  it('posts events checked against the model', async () => {
    const sub = collect(s.hub, { kinds: ['event'] });
    const good = await request(c, `${base}/thing/event/overheat/post`, 'thing.event.overheat.post', { events: { temp: 99.5 }, time: 123 });
    expect(good.code).toBe(200);
    const javaStyle = await request(c, `${base}/thing/event/overheat/post`, 'thing.event.overheat.post', { value: { temp: 98 } });
    expect(javaStyle.code).toBe(200);
    await until(() => sub.messages.length === 2);
    expect(sub.messages[0]).toMatchObject({ kind: 'event', event: 'overheat', values: { temp: 99.5 }, time: 123 });
    const missing = await request(c, `${base}/thing/event/overheat/post`, 'thing.event.overheat.post', { events: {} });
    expect(missing).toMatchObject({ code: 1204, message: 'event "overheat": "temp" is required' });
    const unknown = await request(c, `${base}/thing/event/boom/post`, 'thing.event.boom.post', { events: {} });
    expect(unknown).toMatchObject({ code: 1204, message: 'event "boom" is not defined in model "Inverter"' });
    sub.close();
  });

  it('updates, queries and deletes attributes', async () => {
    const sub = collect(s.hub, { kinds: ['attributes'] });
    const upd = await request(c, `${base}/thing/attribute/update`, 'thing.attribute.update', { attributes: { capacity: 9.5 } });
    expect(upd.code).toBe(200);
    const q = await request(c, `${base}/thing/attribute/query`, 'thing.attribute.query', { attributes: ['capacity'] });
    expect(q).toMatchObject({ code: 200, data: { capacity: 9.5 } });
    const all = await request(c, `${base}/thing/attribute/query`, 'thing.attribute.query', {});
    expect(all.data).toEqual({ capacity: 9.5, site: 'west' });
    const del = await request(c, `${base}/thing/attribute/delete`, 'thing.attribute.delete', { attributes: ['site'] });
    expect(del.code).toBe(200);
    const required = await request(c, `${base}/thing/attribute/delete`, 'thing.attribute.delete', { attributes: ['capacity'] });
    expect(required.code).toBe(1204);
    const wrong = await request(c, `${base}/thing/attribute/update`, 'thing.attribute.update', { attributes: { capacity: 'big' } });
    expect(wrong.code).toBe(1204);
    const unknown = await request(c, `${base}/thing/attribute/query`, 'thing.attribute.query', { attributes: ['nope'] });
    expect(unknown.code).toBe(1204);
    expect((await ok<Device>(admin.request('GET', '/api/devices/invPK/topic1'))).attributes).toEqual({ capacity: 9.5 });
    await until(() => sub.messages.length === 2);
    expect(sub.messages.map((m) => (m.kind === 'attributes' ? [m.attributes, m.removed] : null))).toEqual([
      [{ capacity: 9.5 }, []],
      [{}, ['site']],
    ]);
    sub.close();
  });
});

describe('commands down to the device', () => {
  it('invokes a sync service and returns the device reply', async () => {
    await c.subscribeAsync(`${base}/thing/service/reboot`, { qos: 1 });
    const onCommand = (topic: string, buf: Buffer) => {
      if (topic !== `${base}/thing/service/reboot`) return;
      const cmd = JSON.parse(buf.toString()) as { id: string; method: string; params: { delay: number } };
      expect(cmd.method).toBe('thing.service.reboot');
      c.publish(`${topic}_reply`, JSON.stringify({ id: cmd.id, code: 200, data: { ok: cmd.params.delay === 5 } }));
    };
    c.on('message', onCommand);
    const sub = collect(s.hub, { kinds: ['reply'] });
    const reply = await s.hub.invokeService({ productKey: 'invPK', deviceKey: 'topic1' }, 'reboot', { delay: 5 });
    expect(reply).toMatchObject({ code: 200, data: { ok: true } });
    await until(() => sub.messages.length === 1);
    expect(sub.messages[0]).toMatchObject({ kind: 'reply', method: 'thing.service.reboot', code: 200 });
    const viaApi = await ok<{ code: number }>(admin.request('POST', '/api/devices/invPK/topic1/services/reboot', { params: { delay: 5 } }));
    expect(viaApi.code).toBe(200);
    c.off('message', onCommand);
    sub.close();
  });

  it('refuses bad service input, unknown services and offline devices; times out without a reply', async () => {
    await expect(s.hub.invokeService({ productKey: 'invPK', deviceKey: 'topic1' }, 'reboot', { delay: -1 })).rejects.toThrow(/delay.*out of range/);
    await expect(s.hub.invokeService({ productKey: 'invPK', deviceKey: 'topic1' }, 'fly', {})).rejects.toMatchObject({ code: 'invalid' });
    await createDevice(admin, 'invPK', 'sleeper');
    await expect(s.hub.invokeService({ productKey: 'invPK', deviceKey: 'sleeper' }, 'reboot', {})).rejects.toMatchObject({ code: 'offline' });
    await expect(s.hub.invokeService({ productKey: 'invPK', deviceKey: 'ghost' }, 'reboot', {})).rejects.toMatchObject({ code: 'not-found' });
    const viaApi = await admin.request('POST', '/api/devices/invPK/sleeper/services/reboot', {});
    expect(viaApi.status).toBe(409);
    await expect(s.hub.invokeService({ productKey: 'invPK', deviceKey: 'topic1' }, 'reboot', {}, { timeoutMs: 150 })).rejects.toMatchObject({ code: 'timeout' });
  });

  it('sends async services without waiting', async () => {
    const got = new Promise<string>((resolve) => c.on('message', (t, buf) => t.endsWith('/thing/service/notify') && resolve(buf.toString())));
    await c.subscribeAsync(`${base}/thing/service/notify`);
    const reply = await s.hub.invokeService({ productKey: 'invPK', deviceKey: 'topic1' }, 'notify', { text: 'hi' });
    expect(reply.code).toBe(200);
    expect(JSON.parse(await got)).toMatchObject({ method: 'thing.service.notify', params: { text: 'hi' } });
  });

  it('sets measure points on the device', async () => {
    const topic = `${base}/thing/service/measurepoint/set`;
    await c.subscribeAsync(topic, { qos: 1 });
    const onSet = (t: string, buf: Buffer) => {
      if (t !== topic) return;
      const cmd = JSON.parse(buf.toString()) as { id: string; method: string; params: Record<string, unknown> };
      c.publish(`${t}_reply`, JSON.stringify({ id: cmd.id, code: 200, data: cmd.params, message: cmd.method }));
    };
    c.on('message', onSet);
    const reply = await s.hub.setMeasurePoints({ productKey: 'invPK', deviceKey: 'topic1' }, { temp: '18', status: 0 });
    expect(reply).toMatchObject({ code: 200, data: { temp: 18, status: 0 }, message: 'thing.service.measurepoint.set' });
    await expect(s.hub.setMeasurePoints({ productKey: 'invPK', deviceKey: 'topic1' }, { temp: 'cold' })).rejects.toThrow(/temp/);
    c.off('message', onSet);
  });

  it('sets attributes in the registry through the hub', async () => {
    const all = await s.hub.setAttributes({ productKey: 'invPK', deviceKey: 'topic1' }, { site: 'east' });
    expect(all).toEqual({ capacity: 9.5, site: 'east' });
    await expect(s.hub.setAttributes({ productKey: 'invPK', deviceKey: 'topic1' }, { capacity: 'x' })).rejects.toMatchObject({ code: 'invalid' });
  });
});

describe('robustness', () => {
  it('survives garbage from one device while another keeps working', async () => {
    const other = await createDevice(admin, 'invPK', 'calm');
    const calm = await connectDevice(s.port, { productKey: 'invPK', deviceKey: 'calm', secret: other.deviceSecret });
    const payloads = ['', 'null', '[]', '{"params":null}', '{"params":{"measurepoints":[1,2]}}', '\u0000\u00ff', '{"id":{"x":1},"params":{"measurepoints":{"pos":"x"}}}'];
    for (const p of payloads) c.publish(`${base}/thing/measurepoint/post`, p);
    c.publish(`${base}/thing/measurepoint/post/batch`, '{"params":[null,{"measurepoints":null}]}');
    c.publish(`${base}/thing/topo/add`, '{"params":{}}');
    const reply = await request(calm, '/sys/invPK/calm/thing/measurepoint/post', 'thing.measurepoint.post', { measurepoints: { temp: 1 } });
    expect(reply.code).toBe(200);
    expect(c.connected).toBe(true);
    const still = await request(c, `${base}/thing/measurepoint/post`, 'thing.measurepoint.post', { measurepoints: { temp: 2 } });
    expect(still.code).toBe(200);
    await calm.endAsync();
  });

  it('still forwards a post to a device that subscribed to its own topics, and acknowledges QoS 1 posts', async () => {
    const created = await createDevice(admin, 'invPK', 'echo');
    const e = await connectDevice(s.port, { productKey: 'invPK', deviceKey: 'echo', secret: created.deviceSecret });
    const post = '/sys/invPK/echo/thing/measurepoint/post';
    const body = (temp: number) => JSON.stringify({ id: String(temp), version: '1.0', params: { measurepoints: { temp } }, method: 'thing.measurepoint.post' });
    const echoed: string[] = [];
    e.on('message', (t, buf) => t === post && echoed.push(buf.toString()));
    const sub = collect(s.hub, { kinds: ['measurepoints'], deviceKeys: ['echo'] });
    await e.publishAsync(post, body(1), { qos: 1 });
    await e.subscribeAsync('/sys/invPK/echo/thing/measurepoint/#', { qos: 0 });
    await e.publishAsync(post, body(2), { qos: 1 });
    await until(() => echoed.length === 1 && sub.messages.length === 2, 3000, 'the echoed post');
    await e.unsubscribeAsync('/sys/invPK/echo/thing/measurepoint/#');
    await e.publishAsync(post, body(3), { qos: 1 });
    e.publish(post, body(4), { qos: 0 });
    await until(() => sub.messages.length === 4, 3000, 'all four posts');
    expect(points(sub.messages).map((m) => m.points['temp'])).toEqual([1, 2, 3, 4]);
    expect(echoed).toEqual([body(2)]);
    sub.close();
    await e.endAsync();
  });
});
