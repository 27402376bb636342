import { describe, expect, it } from 'vitest';
import type { Client } from 'aedes';
import { topicInfo, type DeviceSession } from './sessions.js';

const session = (): DeviceSession => ({
  client: {} as Client,
  productKey: 'pk',
  deviceKey: 'dk',
  key: 'pk/dk',
  modelId: 'm',
  nodeType: 'device',
  mode: 'normal',
  subDevices: new Map(),
  topology: new Map(),
  ready: true,
  lastTopic: undefined,
});

describe('topicInfo', () => {
  it('parses and routes a topic once per run of publishes to it', () => {
    const s = session();
    const a = topicInfo(s, '/sys/pk/dk/thing/measurepoint/post');
    expect(a?.parsed).toEqual({ scope: 'sys', productKey: 'pk', deviceKey: 'dk', rest: 'thing/measurepoint/post' });
    expect(a?.route).toMatchObject({ kind: 'points', batch: false, backfill: false });
    expect(a?.replyTopic).toBe('/sys/pk/dk/thing/measurepoint/post_reply');
    // The same topic built anew (as the MQTT parser does) hits the cache.
    expect(topicInfo(s, ['/sys/pk/dk/thing', 'measurepoint/post'].join('/'))).toBe(a);
  });

  it('follows a change of topic and refuses topics outside the device name space', () => {
    const s = session();
    topicInfo(s, '/sys/pk/dk/thing/measurepoint/post');
    const b = topicInfo(s, '/sys/pk/sub1/thing/event/alarm/post');
    expect(b?.parsed.deviceKey).toBe('sub1');
    expect(b?.route).toMatchObject({ kind: 'event', event: 'alarm' });
    expect(topicInfo(s, 'plain/topic')).toBeUndefined();
    // A refused topic leaves the last good one cached.
    expect(s.lastTopic).toBe(b);
  });
});
