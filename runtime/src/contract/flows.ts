import { z } from 'zod';
import { flowNodeSchema } from '../model/flow-document.js';

export const deployTypeSchema = z.enum(['full', 'flows', 'nodes']);

/** GET /api/flows: the deployed document and its revision (a content hash). */
export const flowsResponseSchema = z.object({ flows: z.array(flowNodeSchema), rev: z.string() });
export type FlowsResponse = z.infer<typeof flowsResponseSchema>;

/**
 * POST /api/deploy. The whole document is always sent; `type` chooses what restarts:
 * full = every node, flows = nodes of changed tabs, nodes = changed nodes only.
 * When `rev` is given and is not the current revision, the deploy fails with 409 CONFLICT.
 */
export const deployRequestSchema = z.object({
  flows: z.array(flowNodeSchema),
  rev: z.string().optional(),
  type: deployTypeSchema.default('full'),
});
export type DeployRequest = z.input<typeof deployRequestSchema>;

/** What the runtime did: node ids started and stopped, nodes that failed to start or closed too slowly. */
export const deployResultSchema = z.object({
  type: deployTypeSchema,
  rev: z.string().optional(),
  started: z.array(z.string()),
  stopped: z.array(z.string()),
  failed: z.array(z.object({ id: z.string(), type: z.string(), message: z.string() })),
  overran: z.array(z.string()),
});
export type DeployResultInfo = z.infer<typeof deployResultSchema>;

/** 200 response of POST /api/deploy and POST /api/versions/:n/rollback. */
export const deployResponseSchema = z.object({
  rev: z.string(),
  version: z.number().int(),
  result: deployResultSchema,
});
export type DeployResponse = z.infer<typeof deployResponseSchema>;

/** How a version differs from the one before it, in node counts. */
export const changeCountsSchema = z.object({ added: z.number(), removed: z.number(), changed: z.number() });

/** One deployed version. Every successful deploy and rollback makes one. */
export const versionSummarySchema = z.object({
  version: z.number().int(),
  rev: z.string(),
  user: z.string(),
  /** ISO 8601. */
  time: z.string(),
  /** The deploy type, or 'rollback' when it re-deployed an older version. */
  type: z.enum(['full', 'flows', 'nodes', 'rollback']),
  /** One line, e.g. "2 added, 1 changed on tab Main". */
  summary: z.string(),
  changes: changeCountsSchema,
  /** For rollbacks: the version that was re-deployed. */
  rollbackOf: z.number().int().nullable(),
  nodeCount: z.number().int(),
});
export type VersionSummary = z.infer<typeof versionSummarySchema>;

/** GET /api/versions?limit=&before= : newest first. `before` is a version number for paging. */
export const versionsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.coerce.number().int().positive().optional(),
});
export const versionsResponseSchema = z.object({ versions: z.array(versionSummarySchema) });
export type VersionsResponse = z.infer<typeof versionsResponseSchema>;

/** GET /api/versions/:n */
export const versionResponseSchema = z.object({
  version: versionSummarySchema,
  flows: z.array(flowNodeSchema),
});
export type VersionResponse = z.infer<typeof versionResponseSchema>;

/**
 * GET /api/versions/:n/diff: what deploying version n would change in the current flows.
 * `added` = in version n, not current; `removed` = current, not in n; `changed` = in both, different.
 */
export const versionDiffResponseSchema = z.object({
  version: z.number().int(),
  currentVersion: z.number().int().nullable(),
  currentRev: z.string(),
  added: z.array(z.string()),
  removed: z.array(z.string()),
  changed: z.array(z.string()),
  /** Only wiring differs. */
  rewired: z.array(z.string()),
});
export type VersionDiffResponse = z.infer<typeof versionDiffResponseSchema>;

/** POST /api/versions/:n/rollback body (optional). With `rev`, a stale current revision gives 409. */
export const rollbackRequestSchema = z.object({ rev: z.string().optional() });
export type RollbackRequest = z.infer<typeof rollbackRequestSchema>;
