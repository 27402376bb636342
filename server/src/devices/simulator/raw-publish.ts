/**
 * QoS 0 PUBLISH packets encoded by hand (MQTT 3.1.1 §3.3): fixed header 0x30, remaining length,
 * topic, payload. The simulator writes these straight to a connected client's socket because
 * mqtt.js's publish (packet object, option merging, outgoing store, generic encoder) costs more
 * CPU per message than the broker under test spends receiving it, which made the load generator
 * the bottleneck of device benchmarks. The bytes on the wire are the same as mqtt.js sends.
 */
export interface RawPublisher {
  /** The full PUBLISH packet for `payload` on this publisher's topic. */
  packet(payload: string): Buffer;
}

export function createRawPublisher(topic: string): RawPublisher {
  const topicBytes = Buffer.from(topic, 'utf8');
  if (topicBytes.length > 0xffff) throw new Error(`topic is too long for MQTT (${topicBytes.length} bytes): ${topic.slice(0, 80)}…`);
  const topicLength = 2 + topicBytes.length;
  return {
    packet(payload) {
      const payloadLength = Buffer.byteLength(payload, 'utf8');
      const remaining = topicLength + payloadLength;
      if (remaining > 268_435_455) throw new Error(`MQTT packet too large (${remaining} bytes) on ${topic}`);
      const lengthBytes = remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4;
      const buf = Buffer.allocUnsafe(1 + lengthBytes + remaining);
      let o = 0;
      buf[o++] = 0x30;
      let n = remaining;
      do {
        let byte = n % 128;
        n = Math.floor(n / 128);
        if (n > 0) byte |= 0x80;
        buf[o++] = byte;
      } while (n > 0);
      buf[o++] = topicBytes.length >> 8;
      buf[o++] = topicBytes.length & 0xff;
      o += topicBytes.copy(buf, o);
      buf.write(payload, o, 'utf8');
      return buf;
    },
  };
}
