import type { Logger } from '../logger.js';
import type { CommandSender } from './commands.js';
import type { DeviceStateCache } from './device-state.js';
import type { Envelope } from './enos-topics.js';
import type { MessageBus } from './message-bus.js';
import type { ModelCache } from './model-cache.js';
import type { DeviceIdentity, DeviceSession, SessionTable } from './sessions.js';
import type { DeviceStore } from './store.js';

/** Counters the broker reports (GET /api/devices/broker). */
export interface BrokerCounters {
  messages: number;
  rejectedConnects: number;
  aclViolations: number;
  invalidMessages: number;
}

/** What the upstream handlers need from the broker around them. */
export interface UpstreamContext {
  store: DeviceStore;
  models: ModelCache;
  state: DeviceStateCache;
  bus: MessageBus;
  sessions: SessionTable;
  commands: CommandSender;
  counters: BrokerCounters;
  logger: Logger;
  /** Logs a sub-device in through a gateway session (state, lifecycle event). */
  loginSubDevice(gateway: DeviceSession, sub: DeviceIdentity): void;
  logoutSubDevice(gateway: DeviceSession, key: string, reason: string): void;
}

/** One request being handled: where to reply and with what id. */
export interface Request {
  session: DeviceSession;
  /** The device the topic names (the session's own, or a logged-in sub-device). */
  who: DeviceIdentity;
  topic: string;
  qos: 0 | 1 | 2;
  envelope: Envelope;
  reply(code: number, data?: unknown, message?: string): void;
}
