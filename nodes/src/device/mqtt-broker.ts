import { randomBytes } from 'node:crypto';
import type { IClientOptions, IClientPublishOptions, IPublishPacket, MqttClient } from 'mqtt';
import { z } from 'zod';
import { defineNode } from '@gridflow/runtime';
import { boolish, numberish, stringish } from '../shared/typed-value.js';
import { createReconnector, createStateFeed, type Reconnector, type StateFeed } from './reconnect.js';
import type { ConfigRef } from './shared-connection.js';
import { isValidFilter, isValidPublishTopic, topicMatches } from './mqtt-topic.js';
import type { TlsConfigApi } from './tls-config.js';

const qosOf = z.preprocess((v) => (v === '' || v === undefined || v === null ? 0 : Number(v)), z.union([z.literal(0), z.literal(1), z.literal(2)]));

const mqttBrokerConfig = z.object({
  name: stringish(''),
  /** Host name, or a URL (mqtt://, mqtts://, ws://, wss://) that then carries its own port and scheme. */
  broker: stringish('').pipe(z.string().min(1, 'broker host is required')),
  port: numberish(1883).pipe(z.number().int().min(1).max(65535)),
  /** Empty: a random `gridflow_…` id. */
  clientid: stringish(''),
  usetls: boolish(false),
  /** Id of a tls-config node. */
  tls: stringish(''),
  /** 3 (MQTT 3.1), 4 (3.1.1) or 5. */
  protocolVersion: numberish(4).pipe(z.union([z.literal(3), z.literal(4), z.literal(5)])),
  keepalive: numberish(60).pipe(z.number().int().min(0).max(65535)),
  cleansession: boolish(true),
  /** MQTT 5 session expiry interval (s); 0 for none. */
  sessionExpiry: numberish(0).pipe(z.number().int().min(0)),
  autoUnsubscribe: boolish(true),
  birthTopic: stringish(''),
  birthQos: qosOf,
  birthRetain: boolish(false),
  birthPayload: stringish(''),
  closeTopic: stringish(''),
  closeQos: qosOf,
  closeRetain: boolish(false),
  closePayload: stringish(''),
  willTopic: stringish(''),
  willQos: qosOf,
  willRetain: boolish(false),
  willPayload: stringish(''),
  /** Node-RED keeps the user name and password as credentials. */
  credentials: z.object({ user: stringish(''), password: stringish('') }).partial().default({}),
  /** Back-off of reconnects, ms (Gridflow's). */
  reconnectMinMs: numberish(500).pipe(z.number().int().min(10)),
  reconnectMaxMs: numberish(30_000).pipe(z.number().int().min(10)),
});

export type MqttBrokerConfig = z.infer<typeof mqttBrokerConfig>;
export type Qos = 0 | 1 | 2;

export interface SubscribeOptions {
  qos: Qos;
  /** MQTT 5 no-local, retain-as-published, retain-handling. */
  nl?: boolean;
  rap?: boolean;
  rh?: 0 | 1 | 2;
}

export type MqttHandler = (topic: string, payload: Buffer, packet: IPublishPacket) => void;

/** How mqtt in and mqtt out name their broker config node. */
export const mqttBrokerRef: ConfigRef = { type: 'mqtt-broker', label: 'broker' };

export interface MqttBrokerApi {
  readonly state: StateFeed;
  readonly protocolVersion: 3 | 4 | 5;
  /** A node starts using the connection (it is opened on first use). Returns the release. */
  use(): () => void;
  /** Subscribes (again after every reconnect) until the returned function is called. */
  subscribe(filter: string, options: SubscribeOptions, handler: MqttHandler): () => void;
  /** Publishes once connected; rejects when not connected within `waitMs` (10 s by default). */
  publish(topic: string, payload: Buffer | string, options: IClientPublishOptions, waitMs?: number): Promise<void>;
  /** `msg.action` connect / disconnect, as Node-RED's dynamic control. */
  connect(): void;
  disconnect(): Promise<void>;
}

interface Subscription {
  filter: string;
  options: SubscribeOptions;
  handler: MqttHandler;
}

function brokerUrl(c: MqttBrokerConfig): string {
  if (/^[a-z]+:\/\//i.test(c.broker)) return c.broker;
  return `${c.usetls ? 'mqtts' : 'mqtt'}://${c.broker.includes(':') ? `[${c.broker}]` : c.broker}:${c.port}`;
}

/** One MQTT connection shared by the nodes that use this broker, as Node-RED's `mqtt-broker`. */
export const mqttBrokerNode = defineNode<typeof mqttBrokerConfig, MqttBrokerApi>({
  type: 'mqtt-broker',
  version: 1,
  category: 'config',
  isConfig: true,
  inputs: 0,
  outputs: 0,
  label: 'MQTT broker',
  config: mqttBrokerConfig,
  help: `A connection to an MQTT broker, shared by \`mqtt in\` and \`mqtt out\` nodes (Node-RED's properties):
host or URL, port, TLS (a \`tls-config\` node), client id, MQTT 3.1 / 3.1.1 / 5, keep-alive, clean session,
user and password, birth, close and will messages. Reconnects with a bounded exponential back-off and
subscribes again by itself.`,
  create(ctx, c) {
    const clientId = c.clientid || `gridflow_${randomBytes(4).toString('hex')}`;
    const state = createStateFeed();
    const subs = new Set<Subscription>();
    let users = 0;
    let wanted = false;
    let reconnector: Reconnector<MqttClient> | undefined;

    async function options(): Promise<IClientOptions> {
      const o: IClientOptions = {
        clientId,
        protocolVersion: c.protocolVersion,
        keepalive: c.keepalive,
        clean: c.cleansession,
        // The reconnector does the retries, with back-off, and re-subscribes.
        reconnectPeriod: 0,
        connectTimeout: 10_000,
        resubscribe: false,
      };
      if (c.credentials.user) o.username = c.credentials.user;
      if (c.credentials.password) o.password = c.credentials.password;
      if (c.protocolVersion === 5 && c.sessionExpiry > 0) o.properties = { sessionExpiryInterval: c.sessionExpiry };
      if (c.willTopic) o.will = { topic: c.willTopic, payload: Buffer.from(c.willPayload), qos: c.willQos, retain: c.willRetain };
      if (c.usetls || /^(mqtts|wss):/i.test(c.broker)) {
        const tls = ctx.configNode<TlsConfigApi>(c.tls);
        if (c.tls && !tls) throw new Error(`mqtt-broker ${ctx.id}: tls-config node ${c.tls} is missing`);
        if (tls) Object.assign(o, tls.options());
      }
      return o;
    }

    function open(): Promise<MqttClient> {
      // mqtt.js is loaded on the first connection, not at import: an agent whose flows use no
      // MQTT broker never pays its memory.
      return Promise.all([options(), import('mqtt')]).then(
        ([o, { connect }]) =>
          new Promise<MqttClient>((resolve, reject) => {
            const client = connect(brokerUrl(c), o);
            // Only our own listeners are removed: mqtt.js listens to its own events too.
            const onError = (err: Error) => fail(err);
            const onClose = () => fail(new Error('connection closed'));
            const fail = (err: Error) => {
              client.off('error', onError);
              client.off('close', onClose);
              client.on('error', () => undefined);
              client.end(true);
              // The status of the nodes using this broker shows the reason; they know which broker it is.
              ctx.debug(`mqtt-broker ${brokerUrl(c)}: ${err.message}`);
              reject(err);
            };
            client.once('error', onError);
            client.once('close', onClose);
            client.once('connect', () => {
              client.off('error', onError);
              client.off('close', onClose);
              client.on('error', (err) => ctx.debug(`mqtt-broker ${brokerUrl(c)}: ${err.message}`));
              client.on('close', () => reconnector?.lost(client, new Error('connection lost')));
              client.on('message', (topic, payload, packet) => dispatch(topic, payload, packet));
              resolve(client);
            });
          }),
      );
    }

    function dispatch(topic: string, payload: Buffer, packet: IPublishPacket): void {
      for (const s of subs) {
        if (!topicMatches(s.filter, topic)) continue;
        try {
          s.handler(topic, payload, packet);
        } catch (err) {
          ctx.error(err);
        }
      }
    }

    const subscribeOpts = (o: SubscribeOptions) => ({
      qos: o.qos,
      ...(c.protocolVersion === 5 ? { nl: o.nl ?? false, rap: o.rap ?? false, rh: o.rh ?? 0 } : {}),
    });

    async function onOpen(client: MqttClient): Promise<void> {
      const byFilter = new Map<string, SubscribeOptions>();
      for (const s of subs) {
        const prev = byFilter.get(s.filter);
        if (!prev || s.options.qos > prev.qos) byFilter.set(s.filter, s.options);
      }
      for (const [filter, o] of byFilter) await client.subscribeAsync(filter, subscribeOpts(o));
      if (c.birthTopic) await client.publishAsync(c.birthTopic, c.birthPayload, { qos: c.birthQos, retain: c.birthRetain });
    }

    function ensure(): Reconnector<MqttClient> {
      if (reconnector) return reconnector;
      const r = createReconnector<MqttClient>({
        open,
        onOpen,
        close: (client) => new Promise<void>((resolve) => client.end(true, {}, () => resolve())),
        onState: (s) => state.set(s),
        initialDelayMs: c.reconnectMinMs,
        maxDelayMs: Math.max(c.reconnectMinMs, c.reconnectMaxMs),
      });
      reconnector = r;
      r.start();
      return r;
    }

    async function closeConnection(): Promise<void> {
      const r = reconnector;
      reconnector = undefined;
      if (!r) return;
      const client = r.connection;
      if (client && c.closeTopic) {
        await client.publishAsync(c.closeTopic, c.closePayload, { qos: c.closeQos, retain: c.closeRetain }).catch(() => undefined);
      }
      await r.stop();
    }

    const api: MqttBrokerApi = {
      state,
      protocolVersion: c.protocolVersion,
      use() {
        users++;
        wanted = true;
        ensure();
        let released = false;
        return () => {
          if (released) return;
          released = true;
          users--;
        };
      },
      subscribe(filter, o, handler) {
        if (!isValidFilter(filter)) throw new Error(`"${filter}" is not a valid MQTT topic filter`);
        const sub: Subscription = { filter, options: o, handler };
        const first = ![...subs].some((s) => s.filter === filter);
        subs.add(sub);
        const client = reconnector?.connection;
        if (client && first) client.subscribe(filter, subscribeOpts(o), (err) => err && ctx.warn(`subscribing to ${filter} failed: ${err.message}`));
        return () => {
          if (!subs.delete(sub)) return;
          const still = [...subs].some((s) => s.filter === filter);
          const conn = reconnector?.connection;
          if (!still && c.autoUnsubscribe && conn) conn.unsubscribe(filter);
        };
      },
      async publish(topic, payload, o, waitMs = 10_000) {
        if (!isValidPublishTopic(topic)) throw new Error(`"${topic}" is not a valid MQTT topic to publish to`);
        const r = reconnector ?? (wanted ? ensure() : undefined);
        if (!r) throw new Error(`mqtt-broker ${brokerUrl(c)} is disconnected (msg.action "connect" connects it)`);
        let client = r.connection;
        if (!client) {
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`not connected to ${brokerUrl(c)} within ${waitMs} ms`)), waitMs);
          });
          try {
            client = await Promise.race([r.ready(), timeout]);
          } finally {
            clearTimeout(timer);
          }
        }
        await client.publishAsync(topic, payload, o);
      },
      connect() {
        wanted = true;
        ensure();
      },
      async disconnect() {
        wanted = false;
        await closeConnection();
      },
    };

    return {
      api,
      async close() {
        subs.clear();
        if (users > 0) ctx.debug(`closing with ${users} users`);
        await closeConnection();
      },
    };
  },
});
