import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAsync, type MqttClient } from 'mqtt';
import { deviceNodes } from '../../src/device/index.js';
import { runFlow, harnessCatch, type FlowHarness } from '../flow-harness.js';
import { startTcpProxy, until, type TcpProxy } from '../device-support/tcp-proxy.js';

// The machine's Mosquitto on 127.0.0.1:1883; every test uses its own topic prefix.
const MOSQUITTO = 1883;
const nodes = [...deviceNodes, harnessCatch];
const prefix = () => `gridflow-test/${randomBytes(4).toString('hex')}`;

let peer: MqttClient;
beforeAll(async () => {
  peer = await connectAsync(`mqtt://127.0.0.1:${MOSQUITTO}`, { protocolVersion: 5, clientId: `peer_${randomBytes(3).toString('hex')}` });
});
afterAll(async () => {
  await peer.endAsync();
});

const broker = (extra: Record<string, unknown> = {}) => ({ id: 'b1', type: 'mqtt-broker', broker: '127.0.0.1', port: String(MOSQUITTO), ...extra });

async function connected(h: FlowHarness, id: string) {
  await until(() => h.statuses(id).at(-1)?.text === 'connected', 5000, `${id} connected`);
}

/** Collects what the peer receives on a filter. */
async function listen(filter: string) {
  const got: { topic: string; payload: Buffer; retain: boolean; properties?: Record<string, unknown> }[] = [];
  peer.on('message', (topic, payload, packet) => {
    if (topic.startsWith(filter.replace(/#$/, ''))) got.push({ topic, payload, retain: packet.retain, properties: packet.properties as Record<string, unknown> });
  });
  await peer.subscribeAsync(filter, { qos: 1 });
  return got;
}

describe('mqtt in', () => {
  it('decodes payloads as Node-RED does, with wildcards, qos and retain', async () => {
    const p = prefix();
    const h = await runFlow(
      [broker(), { id: 'in', type: 'mqtt in', topic: `${p}/+/data`, qos: '1', datatype: 'auto-detect', broker: 'b1', wires: [['out']] }],
      { nodes, timeoutMs: 5000 },
    );
    try {
      await connected(h, 'in');
      await peer.publishAsync(`${p}/a/data`, JSON.stringify({ v: 1 }), { qos: 1 });
      await peer.publishAsync(`${p}/b/data`, 'plain text', { qos: 0 });
      await peer.publishAsync(`${p}/c/data`, Buffer.from([0xff, 0xfe, 0x00]), { qos: 1 });
      await peer.publishAsync(`${p}/a/other`, 'not matched', { qos: 1 });
      const msgs = await h.outputs('out', 3);
      const byTopic = Object.fromEntries(msgs.map((m) => [m.topic, m]));
      expect(byTopic[`${p}/a/data`]).toMatchObject({ payload: { v: 1 }, qos: 1, retain: false });
      expect(byTopic[`${p}/b/data`]).toMatchObject({ payload: 'plain text', qos: 0 });
      expect(Buffer.isBuffer(byTopic[`${p}/c/data`]?.payload)).toBe(true);
      await h.settle(100);
      expect(h.received('out')).toHaveLength(3);
    } finally {
      await h.close();
    }
  });

  it('reports bad JSON with datatype json as an error for catch nodes', async () => {
    const p = prefix();
    const h = await runFlow(
      [broker(), { id: 'in', type: 'mqtt in', topic: `${p}/x`, qos: '0', datatype: 'json', broker: 'b1', wires: [['out']] }, { id: 'c', type: 'harness-catch', wires: [['caught']] }],
      { nodes, timeoutMs: 5000 },
    );
    try {
      await connected(h, 'in');
      await peer.publishAsync(`${p}/x`, '{not json', { qos: 0 });
      await peer.publishAsync(`${p}/x`, '[1,2]', { qos: 0 });
      const [ok] = await h.outputs('out', 1);
      expect(ok?.payload).toEqual([1, 2]);
      const [caught] = await h.outputs('caught', 1);
      expect(String((caught?.['error'] as { message: string }).message)).toMatch(/not valid JSON/);
    } finally {
      await h.close();
    }
  });

  it('subscribes and unsubscribes dynamically with msg.action', async () => {
    const p = prefix();
    const h = await runFlow([broker(), { id: 'in', type: 'mqtt in', topic: '', inputs: 1, datatype: 'utf8', broker: 'b1', wires: [['out']] }], {
      nodes,
      timeoutMs: 5000,
    });
    try {
      await connected(h, 'in');
      // Node-RED's dynamic subscribe takes a list of topics (or {topic, qos}) in msg.topic.
      h.send('in', { action: 'subscribe', topic: [`${p}/one`, { topic: `${p}/two`, qos: 1 }] as unknown as string });
      await h.settle(300);
      await peer.publishAsync(`${p}/one`, '1', { qos: 1 });
      await peer.publishAsync(`${p}/two`, '2', { qos: 1 });
      const got = await h.outputs('out', 2);
      expect(got.map((m) => m.payload).sort()).toEqual(['1', '2']);
      h.send('in', { action: 'getSubscriptions' });
      const [subs] = await h.outputs('out', 3).then((m) => m.slice(2));
      expect(subs?.payload).toEqual([{ topic: `${p}/one` }, { topic: `${p}/two` }]);
      h.send('in', { action: 'unsubscribe', topic: `${p}/one` });
      await h.settle(300);
      await peer.publishAsync(`${p}/one`, 'gone', { qos: 1 });
      await peer.publishAsync(`${p}/two`, 'still', { qos: 1 });
      const all = await h.outputs('out', 4);
      expect(all[3]?.payload).toBe('still');
    } finally {
      await h.close();
    }
  });
});

describe('mqtt out', () => {
  it('publishes objects as JSON with qos and retain from the node or msg', async () => {
    const p = prefix();
    const got = await listen(`${p}/#`);
    const h = await runFlow(
      [broker(), { id: 'out1', type: 'mqtt out', topic: '', qos: '', retain: '', broker: 'b1' }, { id: 'out2', type: 'mqtt out', topic: `${p}/fixed`, qos: '1', retain: 'true', broker: 'b1' }],
      { nodes, timeoutMs: 5000 },
    );
    try {
      await connected(h, 'out1');
      h.send('out1', { topic: `${p}/obj`, payload: { a: 1 }, qos: 1 });
      h.send('out1', { topic: `${p}/num`, payload: 42 });
      h.send('out2', { topic: 'ignored', payload: 'kept' });
      await until(() => got.length === 3, 5000, '3 messages at the peer');
      const byTopic = Object.fromEntries(got.map((g) => [g.topic, g]));
      expect(byTopic[`${p}/obj`]?.payload.toString()).toBe('{"a":1}');
      expect(byTopic[`${p}/num`]?.payload.toString()).toBe('42');
      expect(byTopic[`${p}/fixed`]?.payload.toString()).toBe('kept');
      // The retained message is there for a new subscriber.
      const late = await connectAsync(`mqtt://127.0.0.1:${MOSQUITTO}`);
      const retained = new Promise<Buffer>((resolve) => late.on('message', (_t, b, pk) => pk.retain && resolve(b)));
      await late.subscribeAsync(`${p}/fixed`);
      expect((await retained).toString()).toBe('kept');
      await late.publishAsync(`${p}/fixed`, '', { retain: true });
      await late.endAsync();
      h.send('out1', { payload: 'no topic' });
      const [err] = await h.waitErrors(1, 'out1');
      expect(err?.message).toMatch(/no topic/);
    } finally {
      await h.close();
    }
  });

  it('carries MQTT 5 properties from mqtt out to mqtt in', async () => {
    const p = prefix();
    const h = await runFlow(
      [
        broker({ protocolVersion: '5' }),
        { id: 'out', type: 'mqtt out', topic: `${p}/v5`, qos: '1', contentType: 'application/json', userProps: '{"site":"north"}', broker: 'b1' },
        { id: 'in', type: 'mqtt in', topic: `${p}/v5`, qos: '1', datatype: 'auto-detect', broker: 'b1', wires: [['got']] },
      ],
      { nodes, timeoutMs: 5000 },
    );
    try {
      await connected(h, 'in');
      h.send('out', { payload: { t: 21.5 }, responseTopic: `${p}/answer`, correlationData: 'c-1' });
      const [msg] = await h.outputs('got', 1);
      expect(msg).toMatchObject({ payload: { t: 21.5 }, contentType: 'application/json', userProperties: { site: 'north' }, responseTopic: `${p}/answer` });
      expect(Buffer.from(msg?.['correlationData'] as Buffer).toString()).toBe('c-1');
    } finally {
      await h.close();
    }
  });
});

describe('Node-RED flows', () => {
  it('runs mqtt nodes as Node-RED 4 exports them', async () => {
    const p = prefix();
    // Node-RED 4.1 export of mqtt in -> mqtt out with the broker config node, as saved.
    const exported = [
      { id: 'tab', type: 'tab', label: 'Flow 1', disabled: false, info: '', env: [] },
      { id: 'min', type: 'mqtt in', z: 'tab', name: '', topic: `${p}/in`, qos: '2', datatype: 'auto-detect', broker: 'brk', nl: false, rap: true, rh: 0, inputs: 0, x: 150, y: 100, wires: [['mout']] },
      { id: 'mout', type: 'mqtt out', z: 'tab', name: '', topic: `${p}/out`, qos: '', retain: '', respTopic: '', contentType: '', userProps: '', correl: '', expiry: '', broker: 'brk', x: 400, y: 100, wires: [] },
      {
        id: 'brk', type: 'mqtt-broker', name: 'local', broker: '127.0.0.1', port: '1883', clientid: '', autoConnect: true, usetls: false,
        protocolVersion: '4', keepalive: '60', cleansession: true, autoUnsubscribe: true, birthTopic: '', birthQos: '0', birthRetain: 'false',
        birthPayload: '', birthMsg: {}, closeTopic: '', closeQos: '0', closeRetain: 'false', closePayload: '', closeMsg: {}, willTopic: '',
        willQos: '0', willRetain: 'false', willPayload: '', willMsg: {}, userProps: '', sessionExpiry: '',
      },
    ];
    const got = await listen(`${p}/out`);
    const h = await runFlow(exported, { nodes, timeoutMs: 5000 });
    try {
      await connected(h, 'min');
      await peer.publishAsync(`${p}/in`, JSON.stringify({ relayed: true }), { qos: 1 });
      await until(() => got.length === 1, 5000, 'relayed message');
      expect(JSON.parse(got[0]?.payload.toString() ?? '')).toEqual({ relayed: true });
    } finally {
      await h.close();
    }
  });
});

describe('broker connection', () => {
  let proxy: TcpProxy;
  beforeAll(async () => {
    proxy = await startTcpProxy(MOSQUITTO);
  });
  afterAll(() => proxy.close());

  it('shows its state, reconnects with back-off after the broker goes away, and subscribes again', async () => {
    const p = prefix();
    const h = await runFlow(
      [
        broker({ port: proxy.port, reconnectMinMs: 100, reconnectMaxMs: 400 }),
        { id: 'in', type: 'mqtt in', topic: `${p}/r`, qos: '1', datatype: 'utf8', broker: 'b1', wires: [['out']] },
      ],
      { nodes, timeoutMs: 5000 },
    );
    try {
      await connected(h, 'in');
      await peer.publishAsync(`${p}/r`, 'before', { qos: 1 });
      await h.outputs('out', 1);
      await proxy.down();
      await until(() => /^disconnected/.test(h.statuses('in').at(-1)?.text ?? ''), 5000, 'disconnected status');
      expect(h.statuses('in').at(-1)).toMatchObject({ fill: 'red', shape: 'ring' });
      // Refused while down: the status keeps showing the retry, with a growing delay.
      await new Promise((r) => setTimeout(r, 600));
      await proxy.up();
      await connected(h, 'in');
      await peer.publishAsync(`${p}/r`, 'after', { qos: 1 });
      const msgs = await h.outputs('out', 2);
      expect(msgs.map((m) => m.payload)).toEqual(['before', 'after']);
    } finally {
      await h.close();
    }
  });

  it('refuses a broker that is not there with a red status rather than throwing', async () => {
    const h = await runFlow(
      [broker({ port: 1, reconnectMinMs: 1000 }), { id: 'in', type: 'mqtt in', topic: 'x', broker: 'b1', wires: [['out']] }],
      { nodes, timeoutMs: 5000 },
    );
    try {
      await until(() => /^disconnected/.test(h.statuses('in').at(-1)?.text ?? ''), 5000, 'disconnected status');
      expect(h.statuses('in').at(-1)?.text).toMatch(/ECONNREFUSED.*retry in/);
    } finally {
      await h.close();
    }
  });
});
