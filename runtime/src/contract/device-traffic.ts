import { z } from 'zod';

/**
 * What flows between the server and devices at run time: commands and their replies, recent
 * device messages, the broker's status and the reply codes devices see. Browser-safe (zod only).
 */

// ---------------------------------------------------------------------------------------------
// Commands to devices

/** POST /api/devices/:productKey/:deviceKey/services/:service */
export const invokeServiceRequestSchema = z.object({
  params: z.record(z.string(), z.unknown()).default({}),
  timeoutMs: z.number().int().min(100).max(300_000).default(10_000),
});
export type InvokeServiceRequest = z.input<typeof invokeServiceRequestSchema>;

/** POST /api/devices/:productKey/:deviceKey/points/set */
export const setPointsRequestSchema = z.object({
  points: z.record(z.string(), z.unknown()).refine((p) => Object.keys(p).length > 0, { message: 'give at least one point' }),
  timeoutMs: z.number().int().min(100).max(300_000).default(10_000),
});
export type SetPointsRequest = z.input<typeof setPointsRequestSchema>;

/** The device's reply to a command, as EnOS devices send it (`code` 200 is success). */
export const deviceReplySchema = z.object({
  id: z.string(),
  code: z.number().int(),
  data: z.unknown(),
  message: z.string().optional(),
});
export type DeviceReplyInfo = z.infer<typeof deviceReplySchema>;

// ---------------------------------------------------------------------------------------------
// Recent device messages (device detail page)

const messageBase = {
  productKey: z.string(),
  deviceKey: z.string(),
  /** Epoch ms: the device's own time when it gave one, else when the broker received it. */
  time: z.number(),
  /** The gateway that relayed the message for a sub-device. */
  gateway: z.object({ productKey: z.string(), deviceKey: z.string() }).optional(),
};

/** What a device sent or what happened to it, as `device in` nodes receive it (measure points excepted). */
export const deviceMessageSchema = z.discriminatedUnion('kind', [
  z.object({ ...messageBase, kind: z.literal('event'), event: z.string(), values: z.record(z.string(), z.unknown()) }),
  z.object({ ...messageBase, kind: z.literal('lifecycle'), state: z.enum(['online', 'offline']), reason: z.string().optional() }),
  z.object({ ...messageBase, kind: z.literal('attributes'), attributes: z.record(z.string(), z.unknown()), removed: z.array(z.string()) }),
  z.object({
    ...messageBase,
    kind: z.literal('reply'),
    /** e.g. thing.service.reboot, thing.service.measurepoint.set */
    method: z.string(),
    id: z.string(),
    code: z.number().int(),
    data: z.unknown(),
    message: z.string().optional(),
  }),
]);
export type DeviceMessageInfo = z.infer<typeof deviceMessageSchema>;

/** GET /api/devices/:productKey/:deviceKey/messages?kind=&limit=: newest first. */
export const deviceMessagesQuerySchema = z.object({
  kind: z.enum(['event', 'lifecycle', 'attributes', 'reply']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type DeviceMessagesQuery = z.input<typeof deviceMessagesQuerySchema>;
/**
 * The server keeps the last 200 non-measure-point messages of each device since it started
 * (not stored). Pages load this once and then receive new ones over socket.io (device-live.ts).
 */
export const deviceMessagesResponseSchema = z.object({ messages: z.array(deviceMessageSchema) });
export type DeviceMessagesResponse = z.infer<typeof deviceMessagesResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Broker

/** GET /api/devices/broker */
export const brokerStatusSchema = z.object({
  /** The TCP port the device broker listens on (1883, or the next free one). */
  port: z.number().int(),
  connected: z.number().int(),
  counters: z.object({
    messages: z.number().int(),
    rejectedConnects: z.number().int(),
    aclViolations: z.number().int(),
    invalidMessages: z.number().int(),
  }),
});
export type BrokerStatus = z.infer<typeof brokerStatusSchema>;

// ---------------------------------------------------------------------------------------------
// Protocol constants devices see

/** Reply codes the broker sends on `{topic}_reply`. */
export const replyCodes = {
  ok: 200,
  /** Payload is not JSON, or the envelope / params have the wrong shape. */
  badPayload: 1202,
  /** Unknown measure point, event, service or attribute, or a value of the wrong type. */
  badValue: 1204,
  /** The topic names no method the broker knows. */
  unknownMethod: 1250,
  /** A device (or sub-device) that is not registered, not in the gateway's topology or not logged in. */
  unknownDevice: 1257,
  /** The envelope's `method` does not match the topic. */
  methodMismatch: 1260,
  /** Authentication of a sub-device failed (bad signature, disabled). */
  authFailed: 1258,
  /** The server failed handling a valid request. */
  internal: 500,
} as const;
