import { z } from 'zod';

/**
 * Alerts raised and cleared by `threshold alert` nodes (nodes/src/stream/alert-sink.ts), kept by
 * the server. A raise and its clear share one id, so an alert is one record whose `state` moves
 * from raised to cleared; acknowledging is separate from clearing (an operator can acknowledge a
 * raised alert, and a cleared alert can still wait for acknowledgement).
 */

export const alertSeveritySchema = z.enum(['info', 'warning', 'major', 'critical']);
export type AlertSeverity = z.infer<typeof alertSeveritySchema>;

export const alertStateSchema = z.enum(['raised', 'cleared']);
export type AlertState = z.infer<typeof alertStateSchema>;

export const alertRecordSchema = z.object({
  id: z.string(),
  /** The threshold alert node that raised it. */
  source: z.string(),
  /** The flow (tab) of that node, when the server knew it at the raise. */
  flowId: z.string().nullable(),
  /** What the alert is about (the node's key, `msg.topic` by default). */
  key: z.string(),
  severity: alertSeveritySchema,
  state: alertStateSchema,
  /** The message of the raise. */
  message: z.string(),
  /** The message of the clear; null while raised. */
  clearMessage: z.string().nullable(),
  /** The value that raised it. */
  value: z.unknown(),
  /** The value that cleared it; null while raised. */
  clearValue: z.unknown(),
  /** ISO 8601. */
  raisedAt: z.string(),
  /** ISO 8601; null while raised. */
  clearedAt: z.string().nullable(),
  acknowledged: z.boolean(),
  ackedBy: z.string().nullable(),
  /** ISO 8601. */
  ackedAt: z.string().nullable(),
});
export type AlertRecord = z.infer<typeof alertRecordSchema>;

const booleanParam = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());

/** GET /api/alerts?state=&severity=&acknowledged=&source=&search=&limit=&before= : newest raise first. */
export const alertsQuerySchema = z.object({
  state: alertStateSchema.optional(),
  /** Comma-separated severities, e.g. `major,critical`. */
  severity: z
    .string()
    .regex(/^(info|warning|major|critical)(,(info|warning|major|critical))*$/, 'give severities separated by commas: info, warning, major, critical')
    .optional(),
  acknowledged: booleanParam.optional(),
  source: z.string().max(200).optional(),
  /** Substring of the key or the message. */
  search: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  /** An alert id: only alerts raised before it (paging). */
  before: z.string().optional(),
});
export type AlertsQuery = z.input<typeof alertsQuerySchema>;

export const alertsResponseSchema = z.object({
  alerts: z.array(alertRecordSchema),
  /** Over all alerts, not only the page: how many are raised now and how many wait for acknowledgement. */
  counts: z.object({ raised: z.number().int(), unacknowledged: z.number().int() }),
});
export type AlertsResponse = z.infer<typeof alertsResponseSchema>;

/** POST /api/alerts/:id/ack → the acknowledged alert. Acknowledging twice keeps the first. */
export const ackAlertResponseSchema = z.object({ alert: alertRecordSchema });
export type AckAlertResponse = z.infer<typeof ackAlertResponseSchema>;

/** socket.io event `alert`: alerts that were raised, cleared or acknowledged, batched (at most every ~100 ms). */
export const alertEventSchema = z.object({ alerts: z.array(alertRecordSchema) });
export type AlertEvent = z.infer<typeof alertEventSchema>;
