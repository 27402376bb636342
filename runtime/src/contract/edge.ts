import { z } from 'zod';
import { flowNodeSchema } from '../model/flow-document.js';
import { deviceRefSchema } from './device-ref.js';

/**
 * The link between an edge agent and the server: enrollment over HTTP, then a socket.io
 * namespace `/edge` authenticated with the edge's own credential.
 */

export const enrollRequestSchema = z.object({
  token: z.string().min(16, 'token must be the enrollment token shown in the editor'),
  name: z.string().min(1).max(120).optional(),
  hostname: z.string().max(255).optional(),
  version: z.string().max(40).optional(),
});
export type EnrollRequest = z.infer<typeof enrollRequestSchema>;

export const enrollResponseSchema = z.object({ edgeId: z.string(), credential: z.string(), name: z.string() });
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;

export const edgeAuthSchema = z.object({ edgeId: z.string().min(1), credential: z.string().min(16) });
export type EdgeAuth = z.infer<typeof edgeAuthSchema>;

/** What the server sends an edge to run: the tabs targeted at it and what they need. */
export const edgeDeploymentSchema = z.object({
  rev: z.string(),
  flows: z.array(flowNodeSchema),
  /**
   * Node credentials (each node's `credentials` property, taken out of `flows`), AES-256-GCM
   * encrypted with a key derived from the edge's credential.
   */
  credentials: z.string().optional(),
  /** How the edge swaps it in, as the editor's deploy button chose: every node, changed flows or changed nodes. */
  type: z.enum(['full', 'flows', 'nodes']).optional(),
});
export type EdgeDeployment = z.infer<typeof edgeDeploymentSchema>;

export const deployAckSchema = z.object({
  rev: z.string(),
  ok: z.boolean(),
  error: z.string().optional(),
  problems: z.array(z.object({ nodeId: z.string(), type: z.string(), property: z.string().optional(), message: z.string() })).optional(),
});
export type DeployAck = z.infer<typeof deployAckSchema>;

export const edgeHealthSchema = z.object({
  version: z.string(),
  uptimeSec: z.number(),
  cpuPercent: z.number(),
  rssBytes: z.number(),
  runningRev: z.string().nullable(),
  nodes: z.number(),
  errors: z.number(),
  statuses: z.array(z.object({ id: z.string(), fill: z.string().optional(), text: z.string().optional() })).max(500),
  backlog: z.object({ size: z.number(), oldestAgeSec: z.number().nullable(), dropped: z.number(), limit: z.number() }),
});
export type EdgeHealth = z.infer<typeof edgeHealthSchema>;

/** One upstream message: a sequence number per edge makes the cloud side idempotent. */
export const upstreamItemSchema = z.object({
  seq: z.number().int().nonnegative(),
  time: z.number(),
  /** The sending node's topic channel (the cloud out node's `channel`). */
  channel: z.string(),
  msg: z.record(z.string(), z.unknown()),
  backfill: z.boolean(),
});
export type UpstreamItem = z.infer<typeof upstreamItemSchema>;

export const upstreamBatchSchema = z.object({
  items: z.array(upstreamItemSchema).max(5000),
  /** The lowest sequence number still queued on the edge: nothing below it can be sent again. */
  floor: z.number().int().nonnegative().optional(),
});
export type UpstreamBatch = z.infer<typeof upstreamBatchSchema>;

/**
 * The server's answer to a batch: every sequence number it has stored (new or seen before).
 * `rejected` lists device posts (from `device post` nodes) the cloud refused, with the reason;
 * they are acknowledged all the same, since sending them again cannot change the answer.
 */
export const upstreamAckSchema = z.object({
  acked: z.array(z.number().int()),
  rejected: z.array(z.object({ seq: z.number().int(), nodeId: z.string().optional(), message: z.string() })).optional(),
});
export type UpstreamAck = z.infer<typeof upstreamAckSchema>;

export const edgeEvents = {
  /** server → edge */
  deploy: 'deploy',
  restartFlows: 'restart-flows',
  /** edge → server */
  deployAck: 'deploy-ack',
  heartbeat: 'heartbeat',
  upstream: 'upstream',
  debug: 'debug',
  status: 'status',
} as const;

/** A tab's deployment target: absent or 'cloud' runs in the server, 'edge' on the listed edges and groups. */
export const tabTargetSchema = z.object({
  target: z.enum(['cloud', 'edge']).default('cloud'),
  edges: z.array(z.string()).default([]),
  edgeGroups: z.array(z.string()).default([]),
});
export type TabTarget = z.infer<typeof tabTargetSchema>;

// ---- REST: the Edges page ----

export const createEnrollmentSchema = z.object({
  name: z.string().min(1).max(120).optional(),
  group: z.string().max(120).optional(),
  /** Minutes until the token expires (default 60, at most a week). */
  expiresInMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60),
  /** The registered gateway device the edge will post device data as (it and its sub-devices). */
  gateway: deviceRefSchema.optional(),
});
export type CreateEnrollment = z.infer<typeof createEnrollmentSchema>;

export const enrollmentSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  group: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  usedAt: z.string().nullable(),
  revoked: z.boolean(),
  gateway: deviceRefSchema.nullable().optional(),
});
export type Enrollment = z.infer<typeof enrollmentSchema>;

/** Answer to creating an enrollment: the token (shown once) and the exact commands to run. */
export const enrollmentCreatedSchema = enrollmentSchema.extend({ token: z.string(), commands: z.array(z.string()) });
export type EnrollmentCreated = z.infer<typeof enrollmentCreatedSchema>;

export const edgeInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  group: z.string().nullable(),
  online: z.boolean(),
  revoked: z.boolean(),
  enrolledAt: z.string(),
  lastSeen: z.string().nullable(),
  health: edgeHealthSchema.nullable(),
  /** The revision the edge acknowledged last, and the one it was last sent. */
  runningRev: z.string().nullable(),
  targetRev: z.string().nullable(),
  deployError: deployAckSchema.nullable(),
  /** The gateway device this edge posts device data as (with its sub-devices), if bound. */
  gateway: deviceRefSchema.nullable().optional(),
  /** Device posts from this edge since the server started: accepted, refused, and the last refusal. */
  devicePosts: z
    .object({
      accepted: z.number(),
      rejected: z.number(),
      lastRejection: z.object({ time: z.string(), device: z.string(), message: z.string() }).nullable(),
    })
    .optional(),
});
export type EdgeInfo = z.infer<typeof edgeInfoSchema>;

export const patchEdgeSchema = z
  .object({
    name: z.string().min(1).max(120).optional(),
    group: z.string().max(120).nullable().optional(),
    /** Binds the edge to a registered gateway device (null unbinds it). */
    gateway: deviceRefSchema.nullable().optional(),
  })
  .refine((v) => v.name !== undefined || v.group !== undefined || v.gateway !== undefined, 'give name, group or gateway');
export type PatchEdge = z.infer<typeof patchEdgeSchema>;

/** The installable agent package (`npm run build:edge`) and the exact commands to install and start it. */
export const edgePackageInfoSchema = z.object({
  available: z.boolean(),
  /** The tarball's file name, e.g. gridflow-edge-0.1.0.tgz. */
  file: z.string().nullable(),
  sizeBytes: z.number().nullable(),
  builtAt: z.string().nullable(),
  /** Download, install, start; TOKEN stands for an enrollment token from this page. */
  commands: z.array(z.string()),
});
export type EdgePackageInfo = z.infer<typeof edgePackageInfoSchema>;

export const edgePackageQuerySchema = z.object({ token: z.string().min(16, 'token must be an enrollment token') });
