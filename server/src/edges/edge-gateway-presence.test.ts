import { describe, expect, it } from 'vitest';
import type { DeviceRef } from '@gridflow/runtime/contract';
import type { GatewayPosts } from '../devices/gateway-posts.js';
import { createEdgeGatewayPresence } from './edge-gateway-presence.js';

const gw1 = { productKey: 'gwPK', deviceKey: 'gw1' };
const gw2 = { productKey: 'gwPK', deviceKey: 'gw2' };

function recorder(fail = false) {
  const calls: string[] = [];
  const warnings: string[] = [];
  const posts = {
    attach(g: DeviceRef) {
      calls.push(`attach ${g.deviceKey}`);
      return fail ? Promise.reject(new Error('database is locked')) : Promise.resolve();
    },
    detach(g: DeviceRef, reason: string) {
      calls.push(`detach ${g.deviceKey} (${reason})`);
    },
  } as unknown as GatewayPosts;
  let available: GatewayPosts | undefined = posts;
  const presence = createEdgeGatewayPresence({
    posts: () => available,
    log: { info() {}, warn: (m) => warnings.push(m) },
  });
  return { calls, warnings, presence, setAvailable: (on: boolean) => (available = on ? posts : undefined) };
}

const edge = (gateway: DeviceRef | null) => ({ id: 'e1', name: 'line-1', gateway });

describe('edge gateway presence', () => {
  it('attaches the bound gateway for the connection and detaches it once at the end', () => {
    const { calls, presence } = recorder();
    const a = presence.connected(edge(gw1));
    a.end('edge disconnected');
    a.end('edge disconnected');
    a.rebind(gw2);
    expect(calls).toEqual(['attach gw1', 'detach gw1 (edge disconnected)']);
  });

  it('follows a new binding while connected, and attaches nothing for an unbound edge', () => {
    const { calls, presence } = recorder();
    const a = presence.connected(edge(null));
    a.rebind(gw1);
    a.rebind(gw1);
    a.rebind(gw2);
    a.rebind(null);
    a.end('edge revoked');
    expect(calls).toEqual(['attach gw1', 'detach gw1 (edge unbound)', 'attach gw2', 'detach gw2 (edge unbound)']);
  });

  it('detaches nothing it did not attach (no devices module at connect time)', () => {
    const { calls, presence, setAvailable } = recorder();
    setAvailable(false);
    const a = presence.connected(edge(gw1));
    setAvailable(true);
    a.end('edge disconnected');
    expect(calls).toEqual([]);
  });

  it('logs a failed attach with the edge and the gateway, and still detaches', async () => {
    const { calls, warnings, presence } = recorder(true);
    const a = presence.connected(edge(gw1));
    await new Promise((r) => setTimeout(r, 0));
    a.end('edge disconnected');
    expect(warnings).toEqual(['edge "line-1" (e1): gateway gwPK/gw1 not set online: database is locked']);
    expect(calls).toEqual(['attach gw1', 'detach gw1 (edge disconnected)']);
  });
});
