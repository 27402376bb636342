import { z } from 'zod';
import { roleSchema } from './auth.js';
import { deployResultSchema } from './flows.js';
import { nodeStatusSchema } from './system.js';
import { jobEventSchema, type JobEvent } from './jobs.js';
import { alertEventSchema, type AlertEvent } from './alerts.js';
import {
  deviceLifecycleEventSchema,
  deviceLiveUpdateSchema,
  type DeviceLifecycleEvent,
  type DeviceLiveUpdate,
  type DeviceWatchAck,
  type DeviceWatchRequest,
  type LifecycleWatchRequest,
} from './device-live.js';

/**
 * socket.io, same origin and port as the API, default path `/socket.io`, default namespace.
 * Authentication: the session cookie (browsers send it by themselves), or
 * `io(url, { auth: { token } })` with an API token. Unauthenticated connections are refused
 * with a connect_error whose message is 'unauthorized'.
 */
export const SOCKET_PATH = '/socket.io';

/** One message for the debug sidebar. `msg` is a JSON-safe encoding of the value (see `format`). */
export const debugMessageSchema = z.object({
  /** The node that published it (the debug node). */
  id: z.string(),
  z: z.string().optional(),
  name: z.string().optional(),
  topic: z.string().optional(),
  /** Which property was shown: 'msg' for the whole message, else e.g. 'payload'. */
  property: z.string(),
  /** Node-RED style type label: 'string[5]', 'number', 'Object', 'array[3]', 'buffer[12]', 'null', 'undefined', 'boolean', 'Date', 'Error'. */
  format: z.string(),
  /**
   * The value, made JSON-safe: Buffers as { type: 'Buffer', data: number[] }, undefined as
   * { __gridflow: 'undefined' }, circular references as '[Circular]', long strings and
   * arrays truncated (then `truncated` is true).
   */
  msg: z.unknown(),
  truncated: z.boolean().optional(),
  path: z.string().optional(),
  /** Set when the message came from an edge agent: the edge's id. */
  edge: z.string().optional(),
  /** Epoch ms when the server received it. */
  time: z.number(),
});
export type DebugMessage = z.infer<typeof debugMessageSchema>;

/**
 * Event `debug`: a batch, sent at most every ~100 ms. Each node may pass a limited number of
 * messages per interval; the rest are counted in `dropped` (node id → count) and not sent.
 */
export const debugBatchSchema = z.object({
  messages: z.array(debugMessageSchema),
  dropped: z.record(z.string(), z.number().int()),
});
export type DebugBatch = z.infer<typeof debugBatchSchema>;

/** Event `status`: a node's status changed (the last one per node per ~100 ms is sent). */
export const statusEventSchema = z.object({ id: z.string(), z: z.string(), status: nodeStatusSchema });
export type StatusEvent = z.infer<typeof statusEventSchema>;

/** Event `deploy`: someone deployed (or rolled back); clients compare `rev` with theirs. */
export const deployEventSchema = z.object({
  rev: z.string(),
  version: z.number().int(),
  user: z.string(),
  /** ISO 8601. */
  time: z.string(),
  type: z.enum(['full', 'flows', 'nodes', 'rollback', 'reload']),
  result: deployResultSchema,
});
export type DeployEventInfo = z.infer<typeof deployEventSchema>;

export const logEntrySchema = z.object({
  level: z.enum(['error', 'warn', 'info', 'debug']),
  message: z.string(),
  id: z.string().optional(),
  type: z.string().optional(),
  z: z.string().optional(),
  name: z.string().optional(),
  /** Epoch ms. */
  time: z.number(),
});
export type LogEntry = z.infer<typeof logEntrySchema>;

/** Event `runtime-log`: errors and warnings from the runtime and its nodes, batched; `dropped` counts what a flood left out. */
export const runtimeLogEventSchema = z.object({ entries: z.array(logEntrySchema), dropped: z.number().int() });
export type RuntimeLogEvent = z.infer<typeof runtimeLogEventSchema>;

export const nodeCountersSchema = z.object({
  id: z.string(),
  type: z.string(),
  z: z.string(),
  in: z.number(),
  out: z.number(),
  errors: z.number(),
  queued: z.number(),
});

/** Event `metrics`: a snapshot every ~2 s. */
export const metricsEventSchema = z.object({
  time: z.number(),
  queueDepth: z.number(),
  paused: z.boolean(),
  nodes: z.array(nodeCountersSchema),
  memory: z.object({ rss: z.number(), heapUsed: z.number(), heapTotal: z.number(), external: z.number() }),
});
export type MetricsEvent = z.infer<typeof metricsEventSchema>;

/** Event `hello`: sent once right after a connection is accepted. */
export const helloEventSchema = z.object({
  username: z.string(),
  role: roleSchema,
  rev: z.string(),
  version: z.number().int().nullable(),
  serverVersion: z.string(),
});
export type HelloEvent = z.infer<typeof helloEventSchema>;

/** Event `edge`: an edge came online or went offline, sent a heartbeat, or answered a deployment. */
export const edgeEventSchema = z.object({
  edgeId: z.string(),
  kind: z.enum(['online', 'offline', 'health', 'deploy']),
  data: z.unknown(),
});
export type EdgeEvent = z.infer<typeof edgeEventSchema>;

/** Every server → client event and its payload. */
export const serverEventSchemas = {
  hello: helloEventSchema,
  debug: debugBatchSchema,
  status: statusEventSchema,
  deploy: deployEventSchema,
  'runtime-log': runtimeLogEventSchema,
  metrics: metricsEventSchema,
  edge: edgeEventSchema,
  /** ETL job runs and schedules (see jobs.ts). */
  job: jobEventSchema,
  /** Alerts raised, cleared or acknowledged (see alerts.ts). */
  alert: alertEventSchema,
  /** Device online state, disabled, last seen, created / deleted (see device-live.ts). */
  'devices:lifecycle': deviceLifecycleEventSchema,
  /** Latest values and new events of a watched device (see device-live.ts). */
  'devices:device': deviceLiveUpdateSchema,
} as const;

/** Typed map for socket.io: `Socket<ServerToClientEvents>` in the browser, `Server<{}, ServerToClientEvents>` on the server. */
export interface ServerToClientEvents {
  hello: (event: HelloEvent) => void;
  debug: (event: DebugBatch) => void;
  status: (event: StatusEvent) => void;
  deploy: (event: DeployEventInfo) => void;
  'runtime-log': (event: RuntimeLogEvent) => void;
  metrics: (event: MetricsEvent) => void;
  edge: (event: EdgeEvent) => void;
  job: (event: JobEvent) => void;
  alert: (event: AlertEvent) => void;
  'devices:lifecycle': (event: DeviceLifecycleEvent) => void;
  'devices:device': (event: DeviceLiveUpdate) => void;
}

/**
 * What the client sends: subscriptions to live device updates (device-live.ts). The server
 * validates each payload with its schema and answers through `ack`.
 */
export interface ClientToServerEvents {
  'devices:watch': (request: DeviceWatchRequest, ack: (answer: DeviceWatchAck) => void) => void;
  'devices:unwatch': (request: DeviceWatchRequest) => void;
  'devices:watch-lifecycle': (request: LifecycleWatchRequest, ack: (answer: DeviceWatchAck) => void) => void;
  'devices:unwatch-lifecycle': () => void;
}
