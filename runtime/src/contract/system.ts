import { z } from 'zod';

/** A node's status as the editor draws it under the node. */
export const nodeStatusSchema = z.object({
  fill: z.enum(['red', 'green', 'yellow', 'blue', 'grey']).optional(),
  shape: z.enum(['ring', 'dot']).optional(),
  text: z.string().optional(),
});
export type NodeStatusInfo = z.infer<typeof nodeStatusSchema>;

/** GET /api/health (no login needed). */
export const healthResponseSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  /** Seconds since the server started. */
  uptime: z.number(),
  rev: z.string(),
  /** Nodes in the deployed flows. */
  nodes: z.number().int(),
  /** Node types the server knows. */
  nodeTypes: z.number().int(),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;

/** GET /api/status: the last status of every node that set one. */
export const statusResponseSchema = z.object({
  statuses: z.array(z.object({ id: z.string(), z: z.string().optional(), status: nodeStatusSchema })),
});
export type StatusResponse = z.infer<typeof statusResponseSchema>;

/**
 * POST /api/inject/:id: delivers a message to the node's input (the editor's inject button).
 * The body is optional; an inject node builds its own payload from its properties.
 */
export const injectRequestSchema = z.object({ msg: z.record(z.string(), z.unknown()).optional() }).default({});
export type InjectRequest = z.input<typeof injectRequestSchema>;
export const injectResponseSchema = z.object({ ok: z.literal(true) });

/** Audit actions the core server records; other modules add their own strings. */
export const coreAuditActions = [
  'login',
  'login-failed',
  'logout',
  'deploy',
  'rollback',
  'user-create',
  'user-update',
  'user-delete',
  'token-create',
  'token-delete',
] as const;

export const auditEntrySchema = z.object({
  id: z.number().int(),
  /** ISO 8601. */
  time: z.string(),
  /** Who did it; the attempted username for failed logins. */
  user: z.string(),
  action: z.string(),
  /** What it was done to: a username, token id, version number. */
  target: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** GET /api/audit?limit=&before=&action=&user= : newest first; `before` is an entry id for paging. */
export const auditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.coerce.number().int().positive().optional(),
  action: z.string().optional(),
  user: z.string().optional(),
});
export const auditResponseSchema = z.object({ entries: z.array(auditEntrySchema) });
export type AuditResponse = z.infer<typeof auditResponseSchema>;
