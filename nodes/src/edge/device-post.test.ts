import { afterEach, describe, expect, it } from 'vitest';
import type { Msg } from '@gridflow/runtime';
import { runFlow, type FlowHarness } from '../../test/flow-harness.js';
import { cloudOutNode } from './cloud-out.js';
import { buildDevicePost, devicePostNode, parseTopicMap } from './device-post.js';
import { DEVICE_POST_CHANNEL, devicePostSchema, edgeUplinkKey, type EdgeUplink } from './services.js';

const base = { name: '', kind: 'points' as const, productKey: '', deviceKey: '', point: '', topicMap: '', event: '' };
const msg = (m: Partial<Msg>): Msg => ({ _msgid: 'm1', ...m });

describe('buildDevicePost', () => {
  it('takes points from { point: value } or { points, time }, and the device from the node or msg', () => {
    const fixed = { ...base, productKey: 'pk', deviceKey: 'dk' };
    expect(buildDevicePost(msg({ payload: { temp: 1 }, time: 5 }), fixed, new Map())).toEqual({
      kind: 'points',
      productKey: 'pk',
      deviceKey: 'dk',
      params: { measurepoints: { temp: 1 }, time: 5 },
    });
    expect(
      buildDevicePost(
        msg({ payload: { points: { a: 2 }, time: 7 }, productKey: 'p', deviceKey: 'd' }),
        base,
        new Map(),
      ),
    ).toEqual({
      kind: 'points',
      productKey: 'p',
      deviceKey: 'd',
      params: { measurepoints: { a: 2 }, time: 7 },
    });
    expect(buildDevicePost(msg({ payload: { a: 1 }, device: 'p2/d2', time: 1 }), base, new Map())).toMatchObject({
      productKey: 'p2',
      deviceKey: 'd2',
    });
  });

  it('names the point of a single value (opcua in) by node, msg.point or topic map, with the source time', () => {
    const map = parseTopicMap('ns=1;s=Temp = temp\nbad line\nholding/0=count');
    expect([...map]).toEqual([
      ['ns=1;s=Temp', 'temp'],
      ['holding/0', 'count'],
    ]);
    const when = new Date('2026-01-01T00:00:00Z');
    const opcua = msg({ topic: 'ns=1;s=Temp', payload: 21.5, sourceTimestamp: when, productKey: 'p', deviceKey: 'd' });
    expect(buildDevicePost(opcua, base, map).params).toEqual({ measurepoints: { temp: 21.5 }, time: when.getTime() });
    expect(buildDevicePost({ ...opcua, point: 'other' }, base, map).params['measurepoints']).toEqual({ other: 21.5 });
    expect(buildDevicePost(opcua, { ...base, point: 'fixed' }, map).params['measurepoints']).toEqual({ fixed: 21.5 });
    // A Modbus read's array of registers is one (array) value too.
    expect(
      buildDevicePost(msg({ topic: 'holding/0', payload: [1, 2], productKey: 'p', deviceKey: 'd' }), base, map).params[
        'measurepoints'
      ],
    ).toEqual({ count: [1, 2] });
  });

  it('stamps the time on the edge when the message has none', () => {
    const before = Date.now();
    const time = buildDevicePost(msg({ payload: { a: 1 }, productKey: 'p', deviceKey: 'd' }), base, new Map()).params[
      'time'
    ] as number;
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(Date.now());
  });

  it('builds events and attribute updates', () => {
    const d = { ...base, productKey: 'p', deviceKey: 'd' };
    expect(
      buildDevicePost(msg({ payload: { code: 3 }, event: 'trip', time: 9 }), { ...d, kind: 'event' }, new Map()),
    ).toEqual({
      kind: 'event',
      productKey: 'p',
      deviceKey: 'd',
      event: 'trip',
      params: { events: { code: 3 }, time: 9 },
    });
    expect(buildDevicePost(msg({ payload: { site: 'n' } }), { ...d, kind: 'attributes' }, new Map()).params).toEqual({
      attributes: { site: 'n' },
    });
  });

  it('says what is missing', () => {
    expect(() => buildDevicePost(msg({ payload: { a: 1 } }), base, new Map())).toThrow(/no device/);
    const d = { ...base, productKey: 'p', deviceKey: 'd' };
    expect(() => buildDevicePost(msg({ topic: 'x', payload: 1 }), d, new Map())).toThrow(
      /single value needs a point.*"x"/,
    );
    expect(() => buildDevicePost(msg({ payload: {} }), d, new Map())).toThrow(/no measure points/);
    expect(() => buildDevicePost(msg({ payload: {} }), { ...d, kind: 'event' }, new Map())).toThrow(/no event/);
    expect(() => buildDevicePost(msg({ payload: 1 }), { ...d, kind: 'attributes' }, new Map())).toThrow(
      /attribute values/,
    );
  });
});

describe('device post node', () => {
  let h: FlowHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const fakeUplink = () => {
    const queued: { channel: string; msg: Msg }[] = [];
    const uplink: EdgeUplink = {
      enqueue: async (channel, m) => {
        queued.push({ channel, msg: JSON.parse(JSON.stringify(m)) as Msg });
      },
    };
    return { queued, services: { [edgeUplinkKey.name]: uplink } };
  };

  it('queues posts on the reserved channel with the node id, and shows a local error on the node', async () => {
    const { queued, services } = fakeUplink();
    h = await runFlow([{ id: 'post', type: 'device post', productKey: 'p', deviceKey: 'd', wires: [] }], {
      nodes: [devicePostNode],
      services,
    });
    h.send('post', { payload: { temp: 20 }, time: 1 });
    h.send('post', { payload: 5 });
    await h.waitErrors(1, 'post');
    h.send('post', { payload: { temp: 21 }, time: 2 });
    await h.settle();
    expect(queued.map((q) => q.channel)).toEqual([DEVICE_POST_CHANNEL, DEVICE_POST_CHANNEL]);
    const parsed = devicePostSchema.parse(queued[0]?.msg);
    expect(parsed).toMatchObject({
      kind: 'points',
      productKey: 'p',
      deviceKey: 'd',
      nodeId: 'post',
      params: { measurepoints: { temp: 20 }, time: 1 },
    });
    expect(h.errors[0]?.message).toMatch(/single value needs a point/);
    expect(h.statuses('post').map((s) => s.fill ?? '')).toEqual(['red', '']);
  });

  it('refuses to start without an uplink (in the cloud)', async () => {
    h = await runFlow([{ id: 'post', type: 'device post', wires: [] }], { nodes: [devicePostNode] });
    expect(h.logs).toContainEqual({
      level: 'error',
      id: 'post',
      message: expect.stringMatching(/failed to start: device post runs on an edge agent only/),
    });
  });

  it('keeps cloud out off the reserved channel', async () => {
    const { queued, services } = fakeUplink();
    await expect(
      runFlow([{ id: 'c', type: 'cloud out', channel: '$device', wires: [] }], { nodes: [cloudOutNode], services }),
    ).rejects.toThrow(/reserved/);
    h = await runFlow([{ id: 'c', type: 'cloud out', name: DEVICE_POST_CHANNEL, wires: [] }], {
      nodes: [cloudOutNode],
      services,
    });
    h.send('c', { payload: 1 });
    await h.settle();
    expect(queued.map((q) => q.channel)).toEqual(['device']);
  });
});
