import { serviceKey } from '@gridflow/runtime';

/**
 * The device hub: what the host (the server's device broker) offers device nodes. Nodes depend
 * only on this interface; the server implements it and passes it to the runtime as the service
 * named by `deviceHubKey`.
 */

export interface DeviceRef {
  productKey: string;
  deviceKey: string;
}

export const deviceMessageKinds = ['measurepoints', 'event', 'lifecycle', 'attributes', 'reply'] as const;
export type DeviceMessageKind = (typeof deviceMessageKinds)[number];

interface DeviceMessageBase extends DeviceRef {
  /** Epoch ms: the device's own time when it gave one, else when the broker received it. */
  time: number;
  /** The gateway that relayed the message for a sub-device. */
  gateway?: DeviceRef;
}

/** Measure points as reported, checked against the thing model. */
export interface MeasurePointsMessage extends DeviceMessageBase {
  kind: 'measurepoints';
  points: Record<string, unknown>;
  /** Quality codes of the points that came as `{ value, quality }`. */
  quality?: Record<string, number>;
  /** True for back-filled (resumed) data: stored, but not for live rules such as alerts. */
  backfill: boolean;
}

export interface DeviceEventMessage extends DeviceMessageBase {
  kind: 'event';
  event: string;
  values: Record<string, unknown>;
}

export interface LifecycleMessage extends DeviceMessageBase {
  kind: 'lifecycle';
  state: 'online' | 'offline';
  reason?: string;
}

/** Attribute values the device changed (update) or removed (delete). */
export interface AttributesMessage extends DeviceMessageBase {
  kind: 'attributes';
  attributes: Record<string, unknown>;
  removed: string[];
}

/** A device's reply to a command (service invoke or measure point set). */
export interface ReplyMessage extends DeviceMessageBase {
  kind: 'reply';
  /** The command's method, e.g. `thing.service.reboot` or `thing.service.measurepoint.set`. */
  method: string;
  id: string;
  code: number;
  data: unknown;
  message?: string;
}

export type DeviceMessage = MeasurePointsMessage | DeviceEventMessage | LifecycleMessage | AttributesMessage | ReplyMessage;

/** Empty or absent lists match everything. */
export interface DeviceFilter {
  productKeys?: readonly string[];
  /** Device keys; `productKey/deviceKey` pairs are also accepted. */
  deviceKeys?: readonly string[];
  kinds?: readonly DeviceMessageKind[];
}

export interface DeviceSubscription {
  /**
   * Tells the hub this subscriber cannot keep up: the hub stops reading from device
   * connections until every paused subscriber resumes, so devices slow down (TCP back-pressure)
   * instead of memory growing.
   */
  pause(): void;
  resume(): void;
  close(): void;
}

/** A device's reply as the caller of a command gets it (`code` 200 is success). */
export interface DeviceReply {
  id: string;
  code: number;
  data: unknown;
  message?: string;
}

export type DeviceCommandErrorCode = 'not-found' | 'offline' | 'invalid' | 'timeout' | 'disabled';

/** A command that did not reach the device or got no reply in time. */
export class DeviceCommandError extends Error {
  constructor(
    readonly code: DeviceCommandErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DeviceCommandError';
  }
}

export interface DeviceCommandOptions {
  /** How long to wait for the device's reply; 10 s by default. */
  timeoutMs?: number;
}

export interface DeviceHub {
  subscribe(filter: DeviceFilter, listener: (message: DeviceMessage) => void): DeviceSubscription;
  /** Invokes a service of the thing model; resolves with the device's reply (async services: once sent). */
  invokeService(target: DeviceRef, service: string, params: Record<string, unknown>, options?: DeviceCommandOptions): Promise<DeviceReply>;
  /** Sets measure points on the device (`thing.service.measurepoint.set`); resolves with its reply. */
  setMeasurePoints(target: DeviceRef, points: Record<string, unknown>, options?: DeviceCommandOptions): Promise<DeviceReply>;
  /** Changes attribute values in the registry (checked against the model); resolves with all values. */
  setAttributes(target: DeviceRef, attributes: Record<string, unknown>): Promise<Record<string, unknown>>;
}

export const deviceHubKey = serviceKey<DeviceHub>('devices');
