import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { z } from 'zod';
import { createRegistry, defineNode, type AnyNodeDefinition, type Msg } from '@gridflow/runtime';
import { deviceMessagesResponseSchema, type Device, type DeviceMessagesResponse } from '@gridflow/runtime/contract';
import { deviceNodes, type MeasurePointsMessage } from '@gridflow/nodes/device';
import { relayNode } from '../../../runtime/test/harness.js';
import type { DevicesServerModule } from '../../src/devices/index.js';
import { connectDevice, createDevice, ok, request, seed, startDeviceServer, until, type DeviceTestServer } from './support.js';

/** What reached each `sink` node, by node id. */
const sunk = new Map<string, Msg[]>();
const sinkNode = defineNode({
  type: 'sink',
  category: 'core',
  inputs: 1,
  outputs: 0,
  config: z.object({}).passthrough(),
  create: (ctx) => ({
    input(msg, _send, done) {
      const list = sunk.get(ctx.id) ?? [];
      list.push(msg);
      sunk.set(ctx.id, list);
      done();
    },
  }),
});
const catchAll = relayNode('catch', 'catch');
const got = (id: string) => sunk.get(id) ?? [];

let s: DeviceTestServer;
let module: DevicesServerModule | undefined;
let dev: Device;
let c: MqttClient;
const base = '/sys/invPK/node1';

beforeAll(async () => {
  s = await startDeviceServer({ registry: createRegistry([...deviceNodes, sinkNode, catchAll] as AnyNodeDefinition[]) }, (m) => (module = m));
  await seed(s.admin);
  dev = await createDevice(s.admin, 'invPK', 'node1');
  await s.ts.server.runtime.deploy([
    { id: 'tab', type: 'tab', label: 'devices' },
    { id: 'live', type: 'device in', z: 'tab', products: 'invPK', kinds: ['measurepoints'], backfill: 'exclude', wires: [['liveSink']] },
    { id: 'all', type: 'device in', z: 'tab', devices: 'invPK/node1', kinds: 'measurepoints,lifecycle,event', wires: [['allSink']] },
    { id: 'invoke', type: 'device out', z: 'tab', action: 'invoke', service: 'reboot', timeout: 1, wires: [['replies']] },
    { id: 'setp', type: 'device out', z: 'tab', action: 'set-points', productKey: 'invPK', deviceKey: 'node1', wires: [['replies']] },
    { id: 'attrs', type: 'device out', z: 'tab', action: 'set-attributes', wires: [['replies']] },
    { id: 'c1', type: 'catch', z: 'tab', wires: [['errors']] },
    ...['liveSink', 'allSink', 'replies', 'errors'].map((id) => ({ id, type: 'sink', z: 'tab', wires: [] })),
  ]);
  c = await connectDevice(s.port, { productKey: 'invPK', deviceKey: 'node1', secret: dev.deviceSecret });
});
afterAll(async () => {
  await c?.endAsync();
  await s.close();
});

describe('device in', () => {
  it('emits typed measure point messages, leaving back-fill out when asked', async () => {
    await until(() => got('allSink').some((m) => m['kind'] === 'lifecycle'), 3000, 'online lifecycle');
    expect(got('allSink').find((m) => m['kind'] === 'lifecycle')?.payload).toMatchObject({ state: 'online', productKey: 'invPK', deviceKey: 'node1' });
    const t = Date.now() - 60_000;
    expect((await request(c, `${base}/thing/measurepoint/post`, 'thing.measurepoint.post', { measurepoints: { temp: 21.5, power: 3 } })).code).toBe(200);
    expect((await request(c, `${base}/thing/measurepoint/resume`, 'thing.measurepoint.resume', { measurepoints: { temp: 19 }, time: t })).code).toBe(200);
    await until(() => got('allSink').filter((m) => m['kind'] === 'measurepoints').length === 2, 3000, 'two point messages');
    const live = got('liveSink');
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ topic: 'invPK/node1', kind: 'measurepoints', backfill: false, payload: { points: { temp: 21.5, power: 3 } } });
    const resumed = got('allSink').find((m) => m['backfill'] === true);
    expect(resumed?.payload).toMatchObject({ points: { temp: 19 }, time: t, backfill: true });
  });
});

describe('device out', () => {
  it('invokes a service with the reply as output, and routes a timeout to catch', async () => {
    const topic = `${base}/thing/service/reboot`;
    await c.subscribeAsync(topic, { qos: 1 });
    let answer = true;
    c.on('message', (t, buf) => {
      if (t !== topic || !answer) return;
      const cmd = JSON.parse(buf.toString()) as { id: string; params: { delay?: number } };
      c.publish(`${t}_reply`, JSON.stringify({ id: cmd.id, code: 200, data: { ok: cmd.params.delay === 2 } }));
    });
    s.ts.server.runtime.receive('invoke', { topic: 'invPK/node1', payload: { delay: 2 } });
    await until(() => got('replies').length === 1, 3000, 'reply');
    expect(got('replies')[0]).toMatchObject({ productKey: 'invPK', deviceKey: 'node1', payload: { code: 200, data: { ok: true } } });
    answer = false;
    s.ts.server.runtime.receive('invoke', { productKey: 'invPK', deviceKey: 'node1', payload: {} });
    await until(() => got('errors').length === 1, 3000, 'timeout error');
    expect((got('errors')[0]?.['error'] as { message: string }).message).toMatch(/did not reply to reboot within 1000 ms/);
    s.ts.server.runtime.receive('invoke', { topic: 'invPK/ghost', payload: {} });
    await until(() => got('errors').length === 2, 3000, 'not-found error');
    expect((got('errors')[1]?.['error'] as { message: string }).message).toMatch(/not registered/);
  });

  it('sets points on the device and attributes in the registry', async () => {
    const topic = `${base}/thing/service/measurepoint/set`;
    await c.subscribeAsync(topic, { qos: 1 });
    c.on('message', (t, buf) => {
      if (t !== topic) return;
      const cmd = JSON.parse(buf.toString()) as { id: string; params: unknown };
      c.publish(`${t}_reply`, JSON.stringify({ id: cmd.id, code: 200, data: cmd.params }));
    });
    const before = got('replies').length;
    s.ts.server.runtime.receive('setp', { payload: { temp: 17 } });
    s.ts.server.runtime.receive('attrs', { topic: 'invPK/node1', payload: { site: 'harbour' } });
    await until(() => got('replies').length === before + 2, 3000, 'two replies');
    const outs = got('replies').slice(before).map((m) => m.payload);
    expect(outs).toContainEqual({ id: expect.any(String), code: 200, data: { temp: 17 } });
    expect(outs).toContainEqual({ capacity: 5, site: 'harbour' });
    expect((await ok<Device>(s.admin.request('GET', '/api/devices/invPK/node1'))).attributes).toEqual({ capacity: 5, site: 'harbour' });
  });
});

describe('device feed for other modules', () => {
  it('hands measure points to subscribers with the back-fill flag, filtered as asked', async () => {
    if (!module) throw new Error('module not captured');
    const all: MeasurePointsMessage[] = [];
    const live: MeasurePointsMessage[] = [];
    const backfill: MeasurePointsMessage[] = [];
    const subs = [
      module.feed.onMeasurePoints((m) => all.push(m)),
      module.feed.onMeasurePoints((m) => live.push(m), { backfill: 'exclude', productKeys: ['invPK'] }),
      module.feed.onMeasurePoints((m) => backfill.push(m), { backfill: 'only', deviceKeys: ['invPK/node1'] }),
    ];
    await request(c, `${base}/thing/measurepoint/post`, 'thing.measurepoint.post', { measurepoints: { temp: 30 } });
    await request(c, `${base}/thing/measurepoint/resume/batch`, 'thing.measurepoint.resume.batch', [
      { measurepoints: { temp: 10 }, time: Date.now() - 2000 },
      { measurepoints: { temp: 11 }, time: Date.now() - 1000 },
    ]);
    await until(() => all.length === 3, 3000, 'three messages');
    expect(live.map((m) => m.points['temp'])).toEqual([30]);
    expect(backfill.map((m) => m.points['temp'])).toEqual([10, 11]);
    expect(backfill.every((m) => m.backfill)).toBe(true);
    for (const sub of subs) sub.close();
  });
});

describe('recent device messages', () => {
  it('keeps events, lifecycle, attribute changes and replies for the device page, newest first', async () => {
    expect((await request(c, `${base}/thing/event/overheat/post`, 'thing.event.overheat.post', { events: { temp: 99.5 } })).code).toBe(200);
    expect((await request(c, `${base}/thing/attribute/update`, 'thing.attribute.update', { attributes: { site: 'quay' } })).code).toBe(200);
    const all = await ok<DeviceMessagesResponse>(s.admin.request('GET', '/api/devices/invPK/node1/messages'));
    expect(all.messages[0]).toMatchObject({ kind: 'attributes', attributes: { site: 'quay' } });
    expect(all.messages[1]).toMatchObject({ kind: 'event', event: 'overheat', values: { temp: 99.5 } });
    expect(all.messages.map((m) => m.kind)).toEqual(expect.arrayContaining(['lifecycle', 'reply']));
    expect(all.messages.some((m) => (m.kind as string) === 'measurepoints')).toBe(false);
    expect(deviceMessagesResponseSchema.safeParse(all).success).toBe(true);
    const events = await ok<DeviceMessagesResponse>(s.admin.request('GET', '/api/devices/invPK/node1/messages?kind=event&limit=5'));
    expect(events.messages.map((m) => m.kind)).toEqual(['event']);
    expect((await s.admin.request('GET', '/api/devices/invPK/ghost/messages')).status).toBe(404);
    expect((await s.admin.request('GET', '/api/devices/invPK/node1/messages?limit=0')).status).toBe(400);
  });
});
