import { serviceKey } from '@gridflow/runtime';
import { replyCodes, type DeviceRef } from '@gridflow/runtime/contract';
import type { ModelCache } from './model-cache.js';
import { deviceKeyOf, type DeviceIdentity } from './sessions.js';
import { createGatewayPresence } from './gateway-presence.js';
import type { DeviceStore } from './store.js';
import type { BrokerCounters } from './upstream-context.js';
import { ingestAttributes, ingestEvent, ingestPoints, type IngestContext, type IngestResult } from './upstream-tsl.js';

/**
 * Device data a gateway posts without an MQTT session of its own (an edge agent bound to a
 * gateway device). It goes through the same checks and the same path as a device's own post
 * (upstream-tsl.ts): thing-model validation, latest values, device in nodes, storage, alerts.
 */

export type GatewayPostKind = 'points' | 'event' | 'attributes';

export interface GatewayPost {
  /** The gateway device speaking. */
  gateway: DeviceRef;
  /** Whom the data is for: the gateway itself or a sub-device in its topology. */
  device: DeviceRef;
  kind: GatewayPostKind;
  /** As in the MQTT envelope: `{ measurepoints, time }`, `{ events, time }` or `{ attributes }`. */
  params: unknown;
  /** The event's identifier (kind `event`). */
  event?: string | undefined;
  /** Data resumed after a disconnect (thing.measurepoint.resume): stored, not fed to alert rules. */
  backfill: boolean;
}

export interface GatewayPosts {
  /** Why this device cannot act as a gateway (not registered, disabled, not a gateway product), or undefined. */
  checkGateway(gateway: DeviceRef): Promise<string | undefined>;
  post(post: GatewayPost): Promise<IngestResult>;
  /**
   * Resolves once device message subscribers (device in nodes) keep up again; at once when they
   * do. The MQTT broker stops reading device sockets meanwhile; an edge's acknowledgement waits
   * instead, so the backlog stays on the edge's disk.
   */
  flowing(): Promise<void>;
  /** Forgets cached topology (after it changed); all gateways when none is given. */
  invalidate(gateway?: DeviceRef): void;
  /**
   * An edge bound to the gateway connected: the gateway is online (when it may act as one), and
   * each device it posts for comes online with its first post, as after an MQTT sub-device login.
   * Rejects only on a database error. Every attach is matched by one detach.
   */
  attach(gateway: DeviceRef): Promise<void>;
  /** The edge disconnected, was revoked or unbound: offline, unless another edge is bound to it (gateway-presence.ts). */
  detach(gateway: DeviceRef, reason: string): void;
}

export const gatewayPostsKey = serviceKey<GatewayPosts>('device-gateway-posts');

export interface GatewayPostsOptions extends Omit<IngestContext, 'counters'> {
  store: DeviceStore;
  models: ModelCache;
  /**
   * Whether a device has an MQTT session (the broker's `online`): its online state is then the
   * broker's, and an edge leaving does not take it offline. None when there is no broker (tests).
   */
  connected?(productKey: string, deviceKey: string): boolean;
  /** How long a gateway's topology is trusted before it is read again (ms). */
  topologyTtlMs?: number;
  now?(): number;
}

/** A gateway and the devices it may speak for: an identity, or why that device is refused. */
interface Topology {
  problem: string | undefined;
  devices: Map<string, DeviceIdentity | string>;
}

export function createGatewayPosts(options: GatewayPostsOptions): GatewayPosts {
  const { store, models } = options;
  const ttl = options.topologyTtlMs ?? 2000;
  const now = options.now ?? Date.now;
  const counters: BrokerCounters = { messages: 0, rejectedConnects: 0, aclViolations: 0, invalidMessages: 0 };
  const ctx: IngestContext = { store, models, state: options.state, bus: options.bus, counters };
  const cache = new Map<string, { topology: Promise<Topology>; loadedAt: number }>();
  /** A refusal is final (the edge drops the item), so it is only given on a topology read this recently. */
  const recheckAfterMs = Math.min(ttl, 100);
  const connected = options.connected ?? (() => false);
  const presence = createGatewayPresence({ state: options.state, bus: options.bus, connected });

  /** The identity a registered device posts as, or why it cannot post. */
  async function identify(ref: DeviceRef): Promise<DeviceIdentity | string> {
    const key = deviceKeyOf(ref.productKey, ref.deviceKey);
    const device = await store.getDevice(ref.productKey, ref.deviceKey);
    if (!device) return `device ${key} is not registered`;
    if (device.disabled) return `device ${key} is disabled`;
    const product = await store.getProduct(ref.productKey);
    if (!product) return `product ${ref.productKey} is not registered`;
    if (!(await models.load(product.modelId))) return `model "${product.modelId}" of device ${key} does not exist`;
    return {
      productKey: ref.productKey,
      deviceKey: ref.deviceKey,
      key,
      modelId: product.modelId,
      nodeType: product.nodeType,
    };
  }

  async function load(gateway: DeviceRef): Promise<Topology> {
    const devices = new Map<string, DeviceIdentity | string>();
    const self = await identify(gateway);
    const topology = (problem: string | undefined): Topology => ({ problem, devices });
    if (typeof self === 'string') return topology(self);
    if (self.nodeType !== 'gateway')
      return topology(`device ${self.key} is not a gateway (its product's node type is "${self.nodeType}")`);
    devices.set(self.key, self);
    for (const sub of await store.listSubDevices(gateway))
      devices.set(deviceKeyOf(sub.productKey, sub.deviceKey), await identify(sub));
    return topology(undefined);
  }

  function topologyOf(gateway: DeviceRef, maxAgeMs = ttl): Promise<Topology> {
    const key = deviceKeyOf(gateway.productKey, gateway.deviceKey);
    const hit = cache.get(key);
    if (hit && now() - hit.loadedAt < maxAgeMs) return hit.topology;
    const topology = load(gateway);
    cache.set(key, { topology, loadedAt: now() });
    // A failed read (database error) is not kept: the next post tries again.
    topology.catch(() => cache.get(key)?.topology === topology && cache.delete(key));
    return topology;
  }

  const invalidate = (gateway?: DeviceRef) => {
    if (gateway) cache.delete(deviceKeyOf(gateway.productKey, gateway.deviceKey));
    else cache.clear();
  };

  const open = Promise.resolve();

  return {
    flowing() {
      const bus = options.bus;
      if (!bus.paused) return open;
      return new Promise<void>((resolve) => {
        const off = bus.onPressure((paused) => {
          if (paused) return;
          off();
          resolve();
        });
      });
    },
    async checkGateway(gateway) {
      invalidate(gateway);
      return (await topologyOf(gateway)).problem;
    },
    async post(post) {
      const key = deviceKeyOf(post.device.productKey, post.device.deviceKey);
      let topology = await topologyOf(post.gateway);
      let who = topology.devices.get(key);
      if (topology.problem || typeof who !== 'object') {
        // Maybe added, enabled or bound a moment ago: read again before refusing for good.
        topology = await topologyOf(post.gateway, recheckAfterMs);
        who = topology.devices.get(key);
      }
      if (topology.problem) return { ok: false, code: replyCodes.unknownDevice, message: topology.problem };
      const gatewayKey = deviceKeyOf(post.gateway.productKey, post.gateway.deviceKey);
      if (who === undefined) {
        return {
          ok: false,
          code: replyCodes.unknownDevice,
          message: `device ${key} is neither gateway ${gatewayKey} nor one of its sub-devices`,
        };
      }
      if (typeof who === 'string') return { ok: false, code: replyCodes.unknownDevice, message: who };
      // Before the data, as an MQTT sub-device's login comes before its first message.
      presence.seen(post.gateway, who);
      const via = key === gatewayKey ? undefined : post.gateway;
      switch (post.kind) {
        case 'points':
          return ingestPoints(ctx, who, post.params, post.backfill, false, via);
        case 'event':
          if (!post.event)
            return { ok: false, code: replyCodes.badPayload, message: 'an event post needs the event identifier' };
          return ingestEvent(ctx, who, post.event, post.params, via);
        case 'attributes':
          return ingestAttributes(ctx, who, post.params);
      }
    },
    invalidate,
    async attach(gateway) {
      presence.attach(gateway);
      invalidate(gateway);
      let problem: string | undefined;
      try {
        problem = (await topologyOf(gateway)).problem;
      } catch (err) {
        throw new Error(
          `reading gateway ${deviceKeyOf(gateway.productKey, gateway.deviceKey)} failed: ${(err as Error).message}`,
        );
      }
      // A gateway that may not post (disabled, not a gateway) does not come online; it may be detached by now.
      if (!problem) presence.seen(gateway, gateway);
    },
    detach: (gateway, reason) => presence.detach(gateway, reason),
  };
}
