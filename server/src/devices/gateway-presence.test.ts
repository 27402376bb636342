import { beforeEach, describe, expect, it } from 'vitest';
import type { DeviceMessage } from '@gridflow/nodes/device';
import { createDeviceStateCache, type DeviceStateCache } from './device-state.js';
import { createGatewayPresence, type GatewayPresence } from './gateway-presence.js';
import { createMessageBus } from './message-bus.js';
import type { DeviceStore } from './store.js';

const silent = { error() {}, warn() {}, info() {}, debug() {} };
const gw = { productKey: 'gwPK', deviceKey: 'gw1' };
const gw2 = { productKey: 'gwPK', deviceKey: 'gw2' };
const m1 = { productKey: 'mPK', deviceKey: 'm1' };
const m2 = { productKey: 'mPK', deviceKey: 'm2' };

let state: DeviceStateCache;
let presence: GatewayPresence;
let lifecycle: string[];
/** Devices with an MQTT session of their own, by `pk/dk`. */
let mqtt: Set<string>;

beforeEach(() => {
  // Never flushed in these tests: the store is not reached.
  state = createDeviceStateCache({} as DeviceStore, silent);
  const bus = createMessageBus(silent);
  lifecycle = [];
  bus.subscribe({ kinds: ['lifecycle'] }, (m: DeviceMessage) => {
    if (m.kind !== 'lifecycle') return;
    const via = m.gateway ? ` via ${m.gateway.deviceKey}` : '';
    lifecycle.push(`${m.deviceKey} ${m.state} (${m.reason ?? ''})${via}`);
  });
  mqtt = new Set();
  presence = createGatewayPresence({ state, bus, connected: (pk, dk) => mqtt.has(`${pk}/${dk}`) });
});

const stateOf = (d: { productKey: string; deviceKey: string }) => state.currentState(d.productKey, d.deviceKey);

describe('gateway presence', () => {
  it('logs the gateway and each sub-device in once, and out together when the gateway is detached', () => {
    presence.attach(gw);
    presence.seen(gw, gw);
    presence.seen(gw, m1);
    presence.seen(gw, m1);
    presence.seen(gw, m2);
    expect([stateOf(gw), stateOf(m1), stateOf(m2)]).toEqual(['online', 'online', 'online']);
    presence.detach(gw, 'edge disconnected');
    expect([stateOf(gw), stateOf(m1), stateOf(m2)]).toEqual(['offline', 'offline', 'offline']);
    expect(lifecycle).toEqual([
      'gw1 online (edge connected)',
      'm1 online (sub-device login) via gw1',
      'm2 online (sub-device login) via gw1',
      'm1 offline (gateway disconnected) via gw1',
      'm2 offline (gateway disconnected) via gw1',
      'gw1 offline (edge disconnected)',
    ]);
  });

  it('does nothing for a gateway that is not attached', () => {
    presence.seen(gw, m1);
    presence.detach(gw, 'edge disconnected');
    expect(stateOf(m1)).toBeUndefined();
    expect(lifecycle).toEqual([]);
    expect(presence.attached(gw)).toBe(false);
  });

  it('leaves devices with their own MQTT session to the broker', () => {
    mqtt.add('mPK/m1');
    state.setState('mPK', 'm1', 'online');
    presence.attach(gw);
    presence.seen(gw, m1);
    presence.detach(gw, 'edge disconnected');
    expect(stateOf(m1)).toBe('online');
    expect(lifecycle).toEqual(['gw1 online (edge connected)', 'gw1 offline (edge disconnected)']);
  });

  it('logs a device in again after its own MQTT session ended while the gateway spoke for it', () => {
    mqtt.add('mPK/m1');
    state.setState('mPK', 'm1', 'online');
    presence.attach(gw);
    presence.seen(gw, m1);
    // The broker's disconnect: offline.
    mqtt.delete('mPK/m1');
    state.setState('mPK', 'm1', 'offline');
    presence.seen(gw, m1);
    expect(stateOf(m1)).toBe('online');
    presence.detach(gw, 'edge revoked');
    expect(stateOf(m1)).toBe('offline');
  });

  it('keeps the gateway online until the last of several attachments goes', () => {
    presence.attach(gw);
    presence.attach(gw);
    presence.seen(gw, m1);
    presence.detach(gw, 'edge disconnected');
    expect([stateOf(gw), stateOf(m1)]).toEqual(['online', 'online']);
    presence.detach(gw, 'edge disconnected');
    expect([stateOf(gw), stateOf(m1)]).toEqual(['offline', 'offline']);
  });

  it('moves a sub-device to the gateway that spoke for it last', () => {
    presence.attach(gw);
    presence.attach(gw2);
    presence.seen(gw, m1);
    presence.seen(gw2, m1);
    presence.detach(gw, 'edge unbound');
    expect(stateOf(m1)).toBe('online');
    presence.detach(gw2, 'edge disconnected');
    expect(stateOf(m1)).toBe('offline');
  });

  it('does not take a device offline that is offline already', () => {
    presence.attach(gw);
    presence.seen(gw, m1);
    state.setState('mPK', 'm1', 'offline');
    lifecycle = [];
    presence.detach(gw, 'edge disconnected');
    expect(lifecycle).toEqual(['gw1 offline (edge disconnected)']);
  });
});
