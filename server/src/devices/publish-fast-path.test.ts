import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Client } from 'aedes';
import mqttPacket from 'mqtt-packet';
import { installPublishFastPath } from './publish-fast-path.js';

/**
 * A stand-in for an aedes client: mqtt-packet's real parser (what aedes uses), a stream for the
 * socket that records writes, and aedes's reading rule (client.js nextBatch) on 'readable'.
 */
function fakeClient(version = 4) {
  const parser = mqttPacket.parser({ protocolVersion: version });
  const toAedes: string[] = [];
  const written: Buffer[] = [];
  const conn = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, cb) {
      written.push(chunk);
      cb();
    },
  });
  let rescheduled = 0;
  const client = Object.assign(new EventEmitter(), {
    _parser: parser,
    version,
    conn,
    closed: false,
    connected: true,
    _keepaliveInterval: 1000,
    _keepaliveTimer: { reschedule: () => rescheduled++ },
    _parsingBatch: 0,
    _paused: false,
    _nextBatch(): void {
      if (client._paused) return;
      if (--client._parsingBatch <= 0) {
        client._parsingBatch = 0;
        const buf = conn.read() as Buffer | null;
        if (buf) parser.parse(buf);
      }
    },
  });
  // aedes handles each packet asynchronously and reads on when done (or when the test says so).
  let hold = false;
  const held: (() => void)[] = [];
  parser.on('packet', (p: mqttPacket.Packet) => {
    toAedes.push(p.cmd === 'publish' ? `publish ${p.topic} ${p.payload.toString()}` : p.cmd);
    client._parsingBatch++;
    const done = () => client._nextBatch();
    if (hold) held.push(done);
    else setImmediate(done);
  });
  const holdAedes = (on: boolean) => {
    hold = on;
    if (!on) held.splice(0).forEach((done) => done());
  };
  conn.on('readable', client._nextBatch);
  /** Bytes arriving on the socket, and time for them to be read. */
  const arrive = async (...chunks: Buffer[]) => {
    for (const c of chunks) conn.push(c);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };
  return { client: client as unknown as Client, raw: client, parser, toAedes, written, arrive, holdAedes, rescheduled: () => rescheduled };
}

const publish = (topic: string, payload: string, qos: 0 | 1 | 2 = 0, messageId = 1) =>
  mqttPacket.generate({ cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain: false, dup: false, ...(qos ? { messageId } : {}) });

function target(claimable: (topic: string) => boolean = (t) => t.startsWith('/sys/pk/dk/')) {
  const handled: string[] = [];
  return {
    handled,
    claim: claimable,
    handle: (topic: string, payload: Buffer, qos: 0 | 1) => handled.push(`${qos} ${topic} ${payload.toString()}`),
  };
}

describe('publish fast path', () => {
  const post = '/sys/pk/dk/thing/measurepoint/post';

  it('takes claimed publishes and hands every other packet to aedes whole, however the bytes are split', async () => {
    const stream = Buffer.concat([
      publish(post, '{"n":1}'),
      mqttPacket.generate({ cmd: 'pingreq' }),
      publish('/sys/other/dev/thing/measurepoint/post', '{"n":2}'),
      publish(post, 'é'.repeat(200)), // two remaining-length bytes
      publish(post, '{"n":3}', 2, 7), // QoS 2: aedes
      publish(post, '{"n":4}'),
    ]);
    for (const size of [1, 2, 3, 7, 64, stream.length]) {
      const f = fakeClient();
      const t = target();
      expect(installPublishFastPath(f.client, t)).toBe(true);
      const chunks: Buffer[] = [];
      for (let o = 0; o < stream.length; o += size) chunks.push(stream.subarray(o, o + size));
      await f.arrive(...chunks);
      expect(t.handled, `chunks of ${size}`).toEqual([`0 ${post} {"n":1}`, `0 ${post} ${'é'.repeat(200)}`, `0 ${post} {"n":4}`]);
      expect(f.toAedes, `chunks of ${size}`).toEqual(['pingreq', 'publish /sys/other/dev/thing/measurepoint/post {"n":2}', `publish ${post} {"n":3}`]);
      expect(f.rescheduled()).toBeGreaterThan(0);
    }
  });

  it('acknowledges QoS 1 publishes it takes', async () => {
    const f = fakeClient();
    const t = target();
    installPublishFastPath(f.client, t);
    await f.arrive(Buffer.concat([publish(post, 'a', 1, 0x1234), publish(post, 'b', 1, 2)]));
    expect(t.handled).toEqual([`1 ${post} a`, `1 ${post} b`]);
    expect([...Buffer.concat(f.written)]).toEqual([0x40, 2, 0x12, 0x34, 0x40, 2, 0, 2]);
  });

  it('holds the PUBACKs of a read until ackWait resolves, in order with those of later reads', async () => {
    const f = fakeClient();
    const waits: (() => void)[] = [];
    let tail: Promise<void> | undefined;
    const t = {
      ...target(),
      // The broker's AckOrder in small: a held read, then one that needs no wait but must not overtake it.
      ackWait(): Promise<void> | undefined {
        const wait = waits.length === 0 ? new Promise<void>((r) => waits.push(r)) : undefined;
        tail = tail && wait ? tail.then(() => wait) : (tail ?? wait);
        return tail;
      },
    };
    installPublishFastPath(f.client, t);
    await f.arrive(Buffer.concat([publish(post, 'a', 1, 1), publish(post, 'b', 0), publish(post, 'c', 1, 2)]));
    expect(t.handled).toEqual([`1 ${post} a`, `0 ${post} b`, `1 ${post} c`]);
    expect(f.written).toEqual([]);
    await f.arrive(publish(post, 'd', 1, 3));
    expect(f.written).toEqual([]);
    (waits[0] as () => void)();
    await f.arrive();
    // Both reads' PUBACKs, the first read's in one write.
    expect(f.written.map((b) => [...b])).toEqual([[0x40, 2, 0, 1, 0x40, 2, 0, 2], [0x40, 2, 0, 3]]);
  });

  it('sends no held PUBACK once the connection is gone', async () => {
    const f = fakeClient();
    let release = () => undefined as void;
    const t = { ...target(), ackWait: () => new Promise<void>((r) => (release = r)) };
    installPublishFastPath(f.client, t);
    await f.arrive(publish(post, 'a', 1, 1));
    f.raw.connected = false;
    release();
    await f.arrive();
    expect(f.written).toEqual([]);
  });

  it('leaves refused publishes and wildcard topics to aedes, and MQTT 5 clients alone', async () => {
    const f = fakeClient();
    const t = target(() => false);
    installPublishFastPath(f.client, t);
    await f.arrive(Buffer.concat([publish(post, 'x', 1), publish('/sys/pk/dk/thing/#', 'y')]));
    expect(t.handled).toEqual([]);
    expect(f.toAedes).toEqual([`publish ${post} x`, 'publish /sys/pk/dk/thing/# y']);
    expect(f.written).toEqual([]);
    expect(installPublishFastPath(fakeClient(5).client, target())).toBe(false);
  });

  it('lets aedes finish a packet it had started before the fast path was put in', async () => {
    const f = fakeClient();
    const t = target();
    const first = publish(post, 'started');
    await f.arrive(first.subarray(0, 5));
    installPublishFastPath(f.client, t);
    await f.arrive(Buffer.concat([first.subarray(5), publish(post, 'next')]));
    await f.arrive(publish(post, 'after'));
    expect(f.toAedes).toEqual([`publish ${post} started`, `publish ${post} next`]);
    expect(t.handled).toEqual([`0 ${post} after`]);
  });

  it('stops at a connection aedes closed while handling a packet', async () => {
    const f = fakeClient();
    const t = target();
    installPublishFastPath(f.client, t);
    f.parser.on('packet', () => (f.raw.closed = true));
    await f.arrive(Buffer.concat([mqttPacket.generate({ cmd: 'pingreq' }), publish(post, 'late')]));
    expect(t.handled).toEqual([]);
  });

  it('does not read while aedes is paused or still handling a packet, and reads on after', async () => {
    const f = fakeClient();
    const t = target();
    installPublishFastPath(f.client, t);
    await f.arrive(publish(post, '1'));
    f.raw._paused = true;
    // The read in hand is finished; the next waits.
    await f.arrive(publish(post, '2'));
    await f.arrive(publish(post, '3'));
    expect(t.handled).toEqual(['1', '2'].map((n) => `0 ${post} ${n}`));
    f.raw._paused = false;
    f.raw._nextBatch();
    await f.arrive();
    expect(t.handled).toEqual(['1', '2', '3'].map((n) => `0 ${post} ${n}`));
    f.holdAedes(true);
    await f.arrive(mqttPacket.generate({ cmd: 'pingreq' }));
    await f.arrive(publish(post, '4'));
    expect(t.handled).toHaveLength(3);
    f.holdAedes(false);
    await f.arrive();
    expect(t.handled.at(-1)).toBe(`0 ${post} 4`);
  });

  it('reads nothing when put in while aedes is paused, until aedes resumes', async () => {
    const f = fakeClient();
    const t = target();
    f.raw._paused = true;
    f.raw.conn.push(publish(post, 'early'));
    installPublishFastPath(f.client, t);
    await f.arrive(publish(post, 'later'));
    expect(t.handled).toEqual([]);
    f.raw._paused = false;
    f.raw._nextBatch();
    await f.arrive();
    expect(t.handled).toEqual([`0 ${post} early`, `0 ${post} later`]);
  });
});
