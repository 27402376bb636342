import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UpstreamItem } from '@gridflow/runtime/contract';
import { DEVICE_POST_CHANNEL, type UpstreamMessage } from '@gridflow/nodes/edge';
import type { GatewayPost, GatewayPosts } from '../devices/gateway-posts.js';
import { migrate, openDatabase, type SqliteDatabase } from '../store/db.js';
import { createEdgeDevicePosts } from './edge-device-posts.js';
import type { EdgeRelayEvent } from './edge-hub.js';
import { createSqliteEdgeStore, type EdgeRecord, type EdgeStore } from './edge-store.js';
import { createUpstreamReceiver } from './edge-upstream.js';
import { edgeMigrations } from './migrations.js';

const gw = { productKey: 'gwPK', deviceKey: 'gw1' };

/** Accepts posts for gw1 and m1; refuses others the way the device registry words it. */
function fakeRegistry(): GatewayPosts & { posts: GatewayPost[] } {
  const posts: GatewayPost[] = [];
  return {
    posts,
    checkGateway: async () => undefined,
    flowing: () => Promise.resolve(),
    invalidate() {},
    attach: () => Promise.resolve(),
    detach() {},
    async post(p) {
      if (p.device.deviceKey === 'boom') throw new Error('database is locked');
      if (p.device.deviceKey !== 'gw1' && p.device.deviceKey !== 'm1') {
        return {
          ok: false,
          code: 1257,
          message: `device ${p.device.productKey}/${p.device.deviceKey} is neither gateway gwPK/gw1 nor one of its sub-devices`,
        };
      }
      posts.push(p);
      return { ok: true };
    },
  };
}

const item = (seq: number, deviceKey: string, backfill = false, nodeId = 'post'): UpstreamItem => ({
  seq,
  time: 1,
  channel: DEVICE_POST_CHANNEL,
  backfill,
  msg: { kind: 'points', productKey: 'mPK', deviceKey, params: { measurepoints: { temp: seq } }, nodeId, z: 'plant' },
});

let db: SqliteDatabase;
let store: EdgeStore;
let edge: EdgeRecord;
let registry: ReturnType<typeof fakeRegistry>;
let warnings: string[];
let relayed: EdgeRelayEvent[];

beforeEach(async () => {
  db = openDatabase(':memory:');
  migrate(db, [edgeMigrations]);
  store = createSqliteEdgeStore(db);
  const { token } = await store.createEnrollment({
    createdBy: 'admin',
    expiresAt: new Date(Date.now() + 60_000),
    gateway: gw,
  });
  const enrolled = await store.enroll(token, 'press-1');
  if ('refused' in enrolled) throw new Error(enrolled.refused);
  edge = enrolled.edge;
  registry = fakeRegistry();
  warnings = [];
  relayed = [];
});
afterEach(() => db.close());

/** null: a server without the devices module. */
const devicePosts = (posts: GatewayPosts | null = registry) =>
  createEdgeDevicePosts({
    posts: () => posts ?? undefined,
    log: { info() {}, warn: (m) => warnings.push(m) },
    relay: (e) => relayed.push(e),
    logEveryMs: 60_000,
  });

describe('edge device posts', () => {
  it('binds the edge to the gateway chosen for its enrollment, and can rebind or unbind it', async () => {
    expect(edge.gateway).toEqual(gw);
    expect((await store.listEnrollments())[0]?.gateway).toEqual(gw);
    expect((await store.update(edge.id, { gateway: { productKey: 'gwPK', deviceKey: 'gw2' } }))?.gateway).toEqual({
      productKey: 'gwPK',
      deviceKey: 'gw2',
    });
    expect((await store.update(edge.id, { name: 'renamed' }))?.gateway).toEqual({
      productKey: 'gwPK',
      deviceKey: 'gw2',
    });
    expect((await store.update(edge.id, { gateway: null }))?.gateway).toBeNull();
  });

  it('posts as the bound gateway with the back-fill flag, and counts', async () => {
    const posts = devicePosts();
    expect(await posts.handle(edge, item(1, 'm1'))).toBeUndefined();
    expect(await posts.handle(edge, item(2, 'm1', true))).toBeUndefined();
    expect(registry.posts.map((p) => [p.gateway, p.device.deviceKey, p.kind, p.backfill])).toEqual([
      [gw, 'm1', 'points', false],
      [gw, 'm1', 'points', true],
    ]);
    expect(posts.stats(edge.id)).toEqual({ accepted: 2, rejected: 0, lastRejection: null });
  });

  it('refuses other devices with the reason: counted, logged at a bounded rate, red under the node until it posts again', async () => {
    const posts = devicePosts();
    const reason = await posts.handle(edge, item(1, 'm9'));
    expect(reason).toBe('mPK/m9: device mPK/m9 is neither gateway gwPK/gw1 nor one of its sub-devices');
    await posts.handle(edge, item(2, 'm9'));
    expect(posts.stats(edge.id)).toMatchObject({ accepted: 0, rejected: 2, lastRejection: { device: 'mPK/m9' } });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/edge "press-1" .*device post for mPK\/m9 refused: device mPK\/m9 is neither/);
    expect(relayed[0]).toMatchObject({
      kind: 'status',
      data: { id: 'post', z: 'plant', status: { fill: 'red', text: expect.stringContaining('mPK/m9') } },
    });
    await posts.handle(edge, item(3, 'm1'));
    expect(relayed.at(-1)).toMatchObject({ kind: 'status', data: { id: 'post', status: {} } });
  });

  it('refuses an unbound edge, a server without devices, a malformed item and a failing registry, without throwing', async () => {
    expect(await devicePosts().handle({ ...edge, gateway: null }, item(1, 'm1'))).toMatch(
      /not bound to a gateway device/,
    );
    expect(await devicePosts(null).handle(edge, item(1, 'm1'))).toMatch(/no device registry/);
    expect(await devicePosts().handle(edge, { ...item(1, 'm1'), msg: { kind: 'points' } })).toMatch(
      /not a device post: productKey/,
    );
    expect(await devicePosts().handle(edge, item(1, 'boom'))).toMatch(/server error: database is locked/);
  });
});

describe('upstream receiver', () => {
  it('sends device posts to the registry and cloud out messages to edge in, once each, and reports refusals in the ack', async () => {
    const seen: UpstreamMessage[] = [];
    const receiver = createUpstreamReceiver({
      store,
      listeners: new Set([(m: UpstreamMessage) => seen.push(m)]),
      devicePosts: devicePosts(),
    });
    const batch = {
      items: [
        item(1, 'm1'),
        { seq: 2, time: 1, channel: 'counts', backfill: true, msg: { payload: 7 } },
        item(3, 'm9', false, 'post2'),
      ],
      floor: 1,
    };
    expect(await receiver.receive(edge, batch)).toEqual({
      acked: [1, 2, 3],
      rejected: [{ seq: 3, nodeId: 'post2', message: expect.stringContaining('mPK/m9') }],
    });
    // Sent again (the ack was lost): acknowledged, delivered to no one twice.
    expect(await receiver.receive(edge, batch)).toEqual({ acked: [1, 2, 3] });
    expect(registry.posts).toHaveLength(1);
    expect(seen.map((m) => [m.channel, m.seq, m.backfill])).toEqual([['counts', 2, true]]);
  });

  it('refuses device posts when the hub has no device post handler', async () => {
    const receiver = createUpstreamReceiver({ store, listeners: new Set() });
    expect((await receiver.receive(edge, { items: [item(1, 'm1')] })).rejected?.[0]?.message).toMatch(
      /does not take device posts/,
    );
  });
});
