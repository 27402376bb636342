import { z } from 'zod';
import { deviceRefSchema, deviceStateSchema, keySchema, pointValueSchema } from './devices.js';

/**
 * Live device updates over the editor's socket.io connection (see events.ts), instead of polling
 * the REST API. A page subscribes; the server coalesces what devices send and pushes at most a
 * few updates per second per device, with a bounded number of devices per update.
 *
 *   socket.emit('devices:watch-lifecycle', {}, ack)             → `devices:lifecycle` events
 *   socket.emit('devices:watch', { productKey, deviceKey }, ack) → `devices:device` events
 *   socket.emit('devices:unwatch', { productKey, deviceKey }) / 'devices:unwatch-lifecycle'
 *
 * Subscriptions end with the connection: after a reconnect a page loads over REST again and
 * subscribes again. Browser-safe (zod only).
 */

/** `devices:watch` / `devices:unwatch` payload: one device. */
export const deviceWatchRequestSchema = deviceRefSchema;
export type DeviceWatchRequest = z.infer<typeof deviceWatchRequestSchema>;

/** `devices:watch-lifecycle` payload: all devices, or one product's. */
export const lifecycleWatchRequestSchema = z.object({ productKey: keySchema.optional() }).strict();
export type LifecycleWatchRequest = z.infer<typeof lifecycleWatchRequestSchema>;

/** The answer to a watch request: `error` names the field and the reason, or the missing device. */
export const deviceWatchAckSchema = z.union([
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type DeviceWatchAck = z.infer<typeof deviceWatchAckSchema>;

/** What changed about one device since the last update; absent fields did not change. */
export const deviceLifecycleChangeSchema = z.object({
  productKey: z.string(),
  deviceKey: z.string(),
  state: deviceStateSchema.optional(),
  disabled: z.boolean().optional(),
  /** ISO 8601; sent at most every few seconds per device while it keeps talking. */
  lastSeen: z.string().optional(),
  /** The device was created or deleted: a list shows it by loading again. */
  created: z.literal(true).optional(),
  deleted: z.literal(true).optional(),
});
export type DeviceLifecycleChange = z.infer<typeof deviceLifecycleChangeSchema>;

/**
 * Event `devices:lifecycle`: coalesced changes (the newest per device). `pending` counts the
 * devices whose change waits for the next update because this one was full.
 */
export const deviceLifecycleEventSchema = z.object({
  changes: z.array(deviceLifecycleChangeSchema),
  pending: z.number().int(),
});
export type DeviceLifecycleEvent = z.infer<typeof deviceLifecycleEventSchema>;

export const liveDeviceEventSchema = z.object({
  event: z.string(),
  values: z.record(z.string(), z.unknown()),
  /** Epoch ms: the device's time, or when the broker received it. */
  time: z.number(),
});
export type LiveDeviceEvent = z.infer<typeof liveDeviceEventSchema>;

/**
 * Event `devices:device`: news of a watched device. `points`: the latest value of each point
 * that changed; `events`: new events, oldest first (`droppedEvents` counts those a burst left out).
 */
export const deviceLiveUpdateSchema = z.object({
  productKey: z.string(),
  deviceKey: z.string(),
  points: z.record(z.string(), pointValueSchema).optional(),
  events: z.array(liveDeviceEventSchema).optional(),
  droppedEvents: z.number().int().optional(),
  lifecycle: deviceLifecycleChangeSchema.optional(),
});
export type DeviceLiveUpdate = z.infer<typeof deviceLiveUpdateSchema>;
