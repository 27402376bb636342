import { describe, expect, it } from 'vitest';
import { decodePayload, encodePayload, isValidFilter, isValidPublishTopic, topicMatches } from './mqtt-topic.js';

describe('MQTT topics', () => {
  it('matches filters with + and # as the MQTT specification says', () => {
    expect(topicMatches('a/+/c', 'a/b/c')).toBe(true);
    expect(topicMatches('a/+/c', 'a/b/d')).toBe(false);
    expect(topicMatches('a/#', 'a')).toBe(true);
    expect(topicMatches('a/#', 'a/b/c')).toBe(true);
    expect(topicMatches('a/+', 'a/b/c')).toBe(false);
    expect(topicMatches('#', '$SYS/x')).toBe(false);
    expect(topicMatches('$share/g/a/+', 'a/b')).toBe(true);
  });

  it('validates filters and publish topics', () => {
    expect(['a/#', '+/b', '#', 'a/+/c'].every(isValidFilter)).toBe(true);
    expect(['a/#/b', 'a+', 'a/b#', ''].some(isValidFilter)).toBe(false);
    expect(isValidPublishTopic('a/b')).toBe(true);
    expect(isValidPublishTopic('a/+')).toBe(false);
  });

  it("decodes and encodes payloads as Node-RED's mqtt nodes", () => {
    expect(decodePayload(Buffer.from('{"a":1}'), 'auto-detect')).toEqual({ a: 1 });
    expect(decodePayload(Buffer.from('{"a":1}'), 'auto')).toBe('{"a":1}');
    expect(decodePayload(Buffer.from('12'), 'utf8')).toBe('12');
    expect(decodePayload(Buffer.from('hi'), 'base64')).toBe('aGk=');
    expect(Buffer.isBuffer(decodePayload(Buffer.from([0xff]), 'auto-detect'))).toBe(true);
    expect(() => decodePayload(Buffer.from('nope'), 'json')).toThrow(/not valid JSON/);
    expect(decodePayload(Buffer.from('{"a":1}'), 'auto-detect', 'text/plain')).toBe('{"a":1}');
    expect(encodePayload({ a: 1 })).toBe('{"a":1}');
    expect(encodePayload(5)).toBe('5');
    expect(encodePayload(null)).toBe('');
  });
});
