import type { Client } from 'aedes';
import type { NodeType } from '@gridflow/runtime/contract';
import { parseTopic, routeOf, type ParsedTopic, type UpRoute } from './enos-topics.js';

/** A device the broker knows to be connected, directly or through its gateway. */
export interface DeviceIdentity {
  productKey: string;
  deviceKey: string;
  /** `productKey/deviceKey` */
  key: string;
  modelId: string;
  nodeType: NodeType;
}

/** One MQTT connection of a device. */
export interface DeviceSession extends DeviceIdentity {
  readonly client: Client;
  /** activation: connected with the product secret (securemode=3) only to fetch its device secret. */
  readonly mode: 'normal' | 'activation';
  /** Sub-devices logged in through this gateway, by key. */
  readonly subDevices: Map<string, DeviceIdentity>;
  /** Sub-devices in the gateway's topology (logged in or not): key → model id. */
  readonly topology: Map<string, string>;
  ready: boolean;
  /**
   * The last topic this connection published to, parsed: a device posts to the same topic
   * message after message, so the upstream handler parses and routes each topic once.
   */
  lastTopic: TopicInfo | undefined;
}

export interface TopicInfo {
  topic: string;
  parsed: ParsedTopic;
  route: UpRoute;
  replyTopic: string;
}

/** The topic parsed and routed, from the session's one-entry cache; undefined outside the device name space. */
export function topicInfo(session: DeviceSession, topic: string): TopicInfo | undefined {
  const last = session.lastTopic;
  if (last !== undefined && last.topic === topic) return last;
  const parsed = parseTopic(topic);
  if (!parsed) return undefined;
  const info = { topic, parsed, route: routeOf(parsed), replyTopic: topic + '_reply' };
  session.lastTopic = info;
  return info;
}

export const deviceKeyOf = (productKey: string, deviceKey: string) => `${productKey}/${deviceKey}`;

/** The identity a topic speaks for, when this session may use it: the device itself or a logged-in sub-device. */
export function identityFor(session: DeviceSession, topic: ParsedTopic): DeviceIdentity | undefined {
  if (topic.productKey === session.productKey && topic.deviceKey === session.deviceKey) return session;
  if (session.subDevices.size === 0) return undefined;
  return session.subDevices.get(deviceKeyOf(topic.productKey, topic.deviceKey));
}

/** The sessions of connected devices and which gateway carries each logged-in sub-device. */
export interface SessionTable {
  byClient: WeakMap<Client, DeviceSession>;
  /** Ready direct connections by device key. */
  direct: Map<string, DeviceSession>;
  /** Logged-in sub-devices by key → the gateway session carrying them. */
  viaGateway: Map<string, DeviceSession>;
}

export function createSessionTable(): SessionTable {
  return { byClient: new WeakMap(), direct: new Map(), viaGateway: new Map() };
}

/** The session that carries messages for a device (its own, or its gateway's), if it is online. */
export function carrierOf(table: SessionTable, key: string): DeviceSession | undefined {
  const own = table.direct.get(key);
  if (own && own.mode === 'normal') return own;
  return table.viaGateway.get(key);
}
