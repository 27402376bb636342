import { describe, expect, it } from 'vitest';
import mqttPacket from 'mqtt-packet';
import { createRawPublisher } from './raw-publish.js';

describe('createRawPublisher', () => {
  const topic = '/sys/pk/dev-é/thing/measurepoint/post';
  // Remaining lengths around each varint boundary (1, 2 and 3 length bytes).
  for (const size of [0, 10, 80, 127 - 40, 200, 16_383 - 40, 20_000, 2_097_151 - 40, 2_200_000]) {
    it(`encodes a ${size}-character payload exactly as mqtt-packet does`, () => {
      const payload = 'x'.repeat(Math.max(0, size - 2)) + (size >= 2 ? 'é' : '');
      const expected = mqttPacket.generate({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 0, retain: false, dup: false });
      expect(createRawPublisher(topic).packet(payload).equals(expected)).toBe(true);
    });
  }

  it('round-trips through the mqtt-packet parser', () => {
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    const got: mqttPacket.Packet[] = [];
    parser.on('packet', (p) => got.push(p));
    const raw = createRawPublisher(topic);
    parser.parse(Buffer.concat([raw.packet('{"id":"1"}'), raw.packet('{"id":"2"}')]));
    expect(got.map((p) => (p.cmd === 'publish' ? [p.topic, p.payload.toString(), p.qos] : p.cmd))).toEqual([
      [topic, '{"id":"1"}', 0],
      [topic, '{"id":"2"}', 0],
    ]);
  });
});
