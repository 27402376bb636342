import { createServer, type Server } from 'node:net';
import aedesPackage from 'aedes';
import type { Client, PublishPacket } from 'aedes';
import type { BrokerStatus } from '@gridflow/runtime/contract';
import type { Logger } from '../logger.js';
import { authenticateDevice, authError, mayPublish, maySubscribe } from './broker-auth.js';
import { createCommandSender, type CommandSender } from './commands.js';
import type { DeviceStateCache } from './device-state.js';
import { createAckOrder, type AckOrder, type DurabilityBarrier } from './durability-barrier.js';
import { activateInfoTopic } from './enos-topics.js';
import type { MessageBus } from './message-bus.js';
import type { ModelCache } from './model-cache.js';
import { installPublishFastPath } from './publish-fast-path.js';
import { carrierOf, createSessionTable, deviceKeyOf, type DeviceIdentity, type DeviceSession } from './sessions.js';
import type { DeviceStore } from './store.js';
import type { BrokerCounters, UpstreamContext } from './upstream-context.js';
import { createUpstream } from './upstream.js';

/**
 * The embedded MQTT broker (aedes) devices connect to, speaking EnOS's device protocol:
 * authentication, ACL, lifecycle, upstream handling and the downstream command channel.
 */
export interface DeviceBrokerOptions {
  store: DeviceStore;
  models: ModelCache;
  state: DeviceStateCache;
  bus: MessageBus;
  logger: Logger;
  /** Preferred port; when taken, the next free one is used (and logged). 0 picks any free port. */
  port: number;
  host: string;
  /** How many ports after `port` to try. */
  portAttempts?: number;
  /** QoS 1 PUBACKs of publishes whose rows storage took wait until they are committed. */
  barrier?: DurabilityBarrier;
}

export interface DeviceBroker {
  start(): Promise<number>;
  stop(): Promise<void>;
  readonly port: number;
  status(): BrokerStatus;
  readonly commands: CommandSender;
  /** The connected identity of a device (direct or through its gateway), if online. */
  online(productKey: string, deviceKey: string): DeviceIdentity | undefined;
  /** Disconnects a device (disabled, deleted); a sub-device is logged out of its gateway. */
  drop(productKey: string, deviceKey: string, reason: string): void;
  /** Re-reads a connected gateway's topology after it changed through the API. */
  refreshTopology(productKey: string, deviceKey: string): Promise<void>;
}

/** aedes clients have these, though its type declarations omit them. */
interface AedesClientInternals {
  pause(): void;
  resume(): void;
  subscriptions: Record<string, unknown>;
}
const internals = (client: Client) => client as unknown as AedesClientInternals;

/** aedes's topic matcher (mqemitter's qlobber): who subscribed to a topic, synchronously. */
interface TopicMatcher {
  match(topic: string): unknown[];
}
function subscriptionMatcher(aedes: unknown): TopicMatcher | undefined {
  const matcher = (aedes as { mq?: { _matcher?: Partial<TopicMatcher> } }).mq?._matcher;
  return matcher && typeof matcher.match === 'function' ? (matcher as TopicMatcher) : undefined;
}

function hasSubscriptions(client: Client): boolean {
  for (const _ in internals(client).subscriptions) return true;
  return false;
}

export function createDeviceBroker(options: DeviceBrokerOptions): DeviceBroker {
  const { store, models, state, bus, logger } = options;
  const sessions = createSessionTable();
  const counters: BrokerCounters = { messages: 0, rejectedConnects: 0, aclViolations: 0, invalidMessages: 0 };
  // aedes is CommonJS: module.exports is the broker class, with createBroker pointing at it too.
  const aedes = aedesPackage.createBroker({ heartbeatInterval: 60_000, connectTimeout: 30_000 });
  let server: Server | undefined;
  let port = 0;
  // Subscriptions change the answer to "does anyone else want this publish?": bumped before a
  // subscription is added (authorizeSubscribe), after (subscribe), when a session's stored ones
  // come back (clientReady) and on unsubscribe.
  let subscriptionGeneration = 0;
  const matcher = subscriptionMatcher(aedes);
  const barrier = options.barrier;
  const ackOrders = new WeakMap<Client, AckOrder>();
  const ackOrderOf = (client: Client) => {
    let order = ackOrders.get(client);
    if (!order) ackOrders.set(client, (order = createAckOrder()));
    return order;
  };

  const publishRaw = (topic: string, payload: Buffer, qos: 0 | 1) => {
    const packet: PublishPacket = { cmd: 'publish', topic, payload, qos, retain: false, dup: false };
    aedes.publish(packet, (err) => {
      if (err) logger.warn('publishing to a device failed', { topic, error: err.message });
    });
  };
  const commands = createCommandSender((topic, payload) => publishRaw(topic, payload, 1));

  function lifecycle(who: DeviceIdentity, stateName: 'online' | 'offline', reason: string, gateway?: DeviceSession): void {
    state.setState(who.productKey, who.deviceKey, stateName);
    bus.emit({
      kind: 'lifecycle',
      productKey: who.productKey,
      deviceKey: who.deviceKey,
      time: Date.now(),
      state: stateName,
      reason,
      ...(gateway ? { gateway: { productKey: gateway.productKey, deviceKey: gateway.deviceKey } } : {}),
    });
  }

  const ctx: UpstreamContext = {
    store,
    models,
    state,
    bus,
    sessions,
    commands,
    counters,
    logger,
    loginSubDevice(gateway, sub) {
      const current = sessions.viaGateway.get(sub.key);
      if (current && current !== gateway) ctx.logoutSubDevice(current, sub.key, 'logged in through another gateway');
      const again = gateway.subDevices.has(sub.key);
      gateway.subDevices.set(sub.key, sub);
      sessions.viaGateway.set(sub.key, gateway);
      if (!again) lifecycle(sub, 'online', 'sub-device login', gateway);
    },
    logoutSubDevice(gateway, key, reason) {
      const sub = gateway.subDevices.get(key);
      if (!sub) return;
      gateway.subDevices.delete(key);
      if (sessions.viaGateway.get(key) === gateway) sessions.viaGateway.delete(key);
      commands.failAll(`device ${key} went offline (${reason})`, sub.productKey, sub.deviceKey);
      lifecycle(sub, 'offline', reason, gateway);
    },
  };
  const handle = createUpstream(ctx, {
    // A device that subscribed to nothing cannot receive a reply: do not even build one.
    wants: (session) => hasSubscriptions(session.client),
    publish: (_session, topic, payload, qos) => publishRaw(topic, payload, qos),
  });

  aedes.authenticate = (client, username, password, done) => {
    authenticateDevice({ store, models, state, logger }, client, username, password).then(
      (result) => {
        if (result.ok) {
          sessions.byClient.set(client, result.session);
          return done(null, true);
        }
        counters.rejectedConnects++;
        logger.info('device connection refused', { client: client.id, reason: result.reason });
        done(authError(result.returnCode, result.reason), false);
      },
      (err: unknown) => {
        counters.rejectedConnects++;
        logger.error('device authentication failed', { client: client.id, error: err instanceof Error ? err.message : String(err) });
        done(authError(5, 'server error'), false);
      },
    );
  };

  aedes.authorizePublish = (client, packet, done) => {
    const session = client ? sessions.byClient.get(client) : undefined;
    if (!session || !mayPublish(session, packet.topic)) {
      counters.aclViolations++;
      logger.info('device publish refused', { client: client?.id, topic: packet.topic });
      // MQTT 3.1.1 has no negative PUBACK: the broker closes the connection [MQTT-3.3.5-2].
      return done(new Error(`not allowed to publish to ${packet.topic}`));
    }
    // Devices do not get to park retained messages in the broker's memory.
    packet.retain = false;
    // aedes writes a QoS 1 PUBACK right after this (before `published`), so such a publish is
    // handled here and its PUBACK held until what it carried is stored.
    if (packet.qos !== 1 || session.mode !== 'normal') return done(null);
    const before = barrier?.taken;
    onDevicePublish(session, packet.topic, Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload), 1);
    const wait = ackOrderOf(client as Client).after(barrier && barrier.taken !== before ? barrier.whenStored() : undefined);
    if (wait) void wait.then(() => done(null));
    else done(null);
  };

  aedes.authorizeSubscribe = (client, sub, done) => {
    subscriptionGeneration++;
    const session = sessions.byClient.get(client);
    if (!session || !maySubscribe(session, sub)) {
      counters.aclViolations++;
      logger.info('device subscription refused', { client: client.id, topic: sub.topic });
      return done(null, null);
    }
    done(null, sub);
  };

  function onDevicePublish(session: DeviceSession, topic: string, payload: Buffer, qos: 0 | 1 | 2): void {
    try {
      handle(session, topic, payload, qos);
    } catch (err) {
      logger.error('device message handling failed', { device: session.key, topic, error: err instanceof Error ? err.message : String(err) });
    }
  }

  aedes.published = (packet, client, done) => {
    // QoS 1 publishes of devices were handled in authorizePublish.
    if (client && packet.qos !== 1) {
      const session = sessions.byClient.get(client);
      if (session && session.mode === 'normal') onDevicePublish(session, packet.topic, Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload), packet.qos);
    }
    done(null);
  };

  /** The device publish fast path (publish-fast-path.ts) for a session's own upstream topics. */
  function fastPath(session: DeviceSession): void {
    if (!matcher) return;
    let lastTopic = '';
    let lastGeneration = -1;
    let lastForwarded = false;
    const forwarded = (topic: string) => {
      if (topic !== lastTopic || lastGeneration !== subscriptionGeneration) {
        lastTopic = topic;
        lastGeneration = subscriptionGeneration;
        lastForwarded = matcher.match(topic).length > 0;
      }
      return lastForwarded;
    };
    const order = ackOrderOf(session.client);
    // What storage had taken before the first QoS 1 publish whose PUBACK is still to go (-1: none).
    let takenBefore = -1;
    installPublishFastPath(session.client, {
      // Refused publishes go to aedes, whose authorizePublish counts, logs and disconnects.
      claim: (topic) => mayPublish(session, topic) && !forwarded(topic),
      handle(topic, payload, qos) {
        if (qos === 1 && barrier && takenBefore < 0) takenBefore = barrier.taken;
        onDevicePublish(session, topic, payload, qos);
      },
      ackWait() {
        const held = barrier !== undefined && takenBefore >= 0 && barrier.taken !== takenBefore;
        takenBefore = -1;
        return order.after(held ? barrier.whenStored() : undefined);
      },
    });
  }

  aedes.on('clientReady', (client) => {
    const session = sessions.byClient.get(client);
    if (!session) return;
    session.ready = true;
    subscriptionGeneration++;
    if (session.mode !== 'normal') return;
    fastPath(session);
    const previous = sessions.direct.get(session.key);
    sessions.direct.set(session.key, session);
    if (previous && previous !== session) {
      logger.info('device connected again; closing its older connection', { device: session.key });
      previous.client.close();
    } else lifecycle(session, 'online', 'connected');
    if (bus.paused) internals(client).pause();
  });

  aedes.on('clientDisconnect', (client) => {
    const session = sessions.byClient.get(client);
    if (!session) return;
    sessions.byClient.delete(client);
    for (const key of [...session.subDevices.keys()]) ctx.logoutSubDevice(session, key, 'gateway disconnected');
    if (sessions.direct.get(session.key) !== session) return;
    sessions.direct.delete(session.key);
    commands.failAll(`device ${session.key} disconnected`, session.productKey, session.deviceKey);
    lifecycle(session, 'offline', 'disconnected');
  });

  aedes.on('subscribe', (subs, client) => {
    subscriptionGeneration++;
    const session = sessions.byClient.get(client);
    if (!session || session.mode !== 'activation') return;
    const topic = activateInfoTopic(session.productKey, session.deviceKey);
    if (!subs.some((s) => s.topic === topic)) return;
    void sendActivation(session, topic);
  });

  aedes.on('unsubscribe', () => subscriptionGeneration++);
  aedes.on('clientError', (client, err) => logger.debug('device connection error', { client: client.id, error: err.message }));
  aedes.on('connectionError', (client, err) => logger.debug('device connection error', { client: client.id, error: err.message }));

  async function sendActivation(session: DeviceSession, topic: string): Promise<void> {
    const device = await store.getDevice(session.productKey, session.deviceKey);
    if (!device || device.disabled) return session.client.close();
    const payload = {
      id: String(Date.now()),
      version: '1.0',
      method: 'thing.activate.info',
      params: { assetId: session.key, productKey: session.productKey, deviceKey: session.deviceKey, deviceSecret: device.deviceSecret },
    };
    logger.info('device activated with its product secret', { device: session.key });
    publishRaw(topic, Buffer.from(JSON.stringify(payload)), 1);
  }

  bus.onPressure((paused) => {
    for (const s of sessions.direct.values()) {
      if (paused) internals(s.client).pause();
      else internals(s.client).resume();
    }
  });

  async function listen(): Promise<number> {
    const attempts = options.portAttempts ?? 20;
    const first = options.port;
    for (let i = 0; i < (first === 0 ? 1 : attempts); i++) {
      const candidate = first === 0 ? 0 : first + i;
      // Replies and commands are small and latency-bound; do not let Nagle hold them back.
      const s = createServer((socket) => {
        socket.setNoDelay(true);
        aedes.handle(socket);
      });
      const result = await new Promise<number | NodeJS.ErrnoException>((resolve) => {
        s.once('error', (err: NodeJS.ErrnoException) => resolve(err));
        s.listen(candidate, options.host, () => {
          const addr = s.address();
          resolve(typeof addr === 'object' && addr ? addr.port : candidate);
        });
      });
      if (typeof result === 'number') {
        server = s;
        if (first !== 0 && result !== first) logger.warn(`port ${first} is taken; the device broker listens on ${result}`, { port: result });
        return result;
      }
      if (result.code !== 'EADDRINUSE') throw new Error(`device broker cannot listen on ${options.host}:${candidate}: ${result.message}`);
    }
    throw new Error(`device broker found no free port in ${first}..${first + attempts - 1}`);
  }

  return {
    async start() {
      port = await listen();
      logger.info(`device broker (MQTT) listening on ${options.host}:${port}`, { port });
      return port;
    },
    async stop() {
      commands.failAll('device broker stopped');
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      if (server) await new Promise<void>((resolve) => (server as Server).close(() => resolve()));
      server = undefined;
    },
    get port() {
      return port;
    },
    status() {
      return { port, connected: sessions.direct.size + sessions.viaGateway.size, counters: { ...counters } };
    },
    commands,
    online(productKey, deviceKey) {
      const key = deviceKeyOf(productKey, deviceKey);
      const carrier = carrierOf(sessions, key);
      if (!carrier) return undefined;
      return carrier.key === key ? carrier : carrier.subDevices.get(key);
    },
    drop(productKey, deviceKey, reason) {
      const key = deviceKeyOf(productKey, deviceKey);
      const gateway = sessions.viaGateway.get(key);
      if (gateway) ctx.logoutSubDevice(gateway, key, reason);
      const own = sessions.direct.get(key);
      if (own) {
        logger.info('dropping device connection', { device: key, reason });
        own.client.close();
      }
    },
    async refreshTopology(productKey, deviceKey) {
      const session = sessions.direct.get(deviceKeyOf(productKey, deviceKey));
      if (!session || session.nodeType !== 'gateway') return;
      const subs = await store.listSubDevices({ productKey, deviceKey });
      const next = new Map<string, string>();
      for (const sub of subs) {
        const product = await store.getProduct(sub.productKey);
        if (product && (await models.load(product.modelId))) next.set(deviceKeyOf(sub.productKey, sub.deviceKey), product.modelId);
      }
      session.topology.clear();
      for (const [k, v] of next) session.topology.set(k, v);
      for (const key of [...session.subDevices.keys()]) if (!next.has(key)) ctx.logoutSubDevice(session, key, 'removed from topology');
    },
  };
}
