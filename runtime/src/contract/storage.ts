import { z } from 'zod';
import type { Endpoint } from './endpoints.js';
import { identifierSchema, keySchema } from './devices.js';

/**
 * Storage policies (EnOS's Data Asset Management on QuestDB): nothing a device reports is stored
 * until its product has a policy. A policy says which measure points are stored, how long raw rows
 * are kept (QuestDB TTL), and which downsampled tiers (materialized views sampled by 1 minute,
 * 1 hour, 1 day, each with avg/min/max/first/last/count per point) exist, each with its own
 * retention. Saving a policy changes the product's table and views at once.
 * Browser-safe (zod only): the editor's storage policy page is built from these schemas.
 */

export const retentionUnits = ['HOURS', 'DAYS', 'WEEKS', 'MONTHS', 'YEARS'] as const;
/** How long rows are kept; whole partitions older than this are dropped by QuestDB. null: forever. */
export const retentionSchema = z.object({
  value: z.number().int().min(1, 'must be at least 1').max(10_000),
  unit: z.enum(retentionUnits),
});
export type Retention = z.infer<typeof retentionSchema>;

export const storageTiers = ['1m', '1h', '1d'] as const;
export const storageTierSchema = z.enum(storageTiers);
export type StorageTier = z.infer<typeof storageTierSchema>;

/** The aggregates every tier keeps per numeric point (columns `<point>_<aggregate>`). */
export const tierAggregates = ['avg', 'min', 'max', 'first', 'last', 'count'] as const;

export const tierPolicySchema = z.object({
  tier: storageTierSchema,
  enabled: z.boolean().default(true),
  /** null: kept forever. */
  retention: retentionSchema.nullable().default(null),
});
export type TierPolicy = z.infer<typeof tierPolicySchema>;

/** Per point: absent points follow the defaults (stored, downsampled when numeric). */
export const pointPolicySchema = z.object({
  store: z.boolean().default(true),
  /** Numeric points only; strings and booleans are never downsampled. */
  downsample: z.boolean().default(true),
});
export type PointPolicy = z.infer<typeof pointPolicySchema>;

export const storagePolicySchema = z.object({
  productKey: z.string(),
  /** false: the product's data is not stored (the policy is kept, the table too). */
  store: z.boolean(),
  /** Points by identifier; a point not listed is stored and downsampled. */
  points: z.record(z.string(), pointPolicySchema),
  /** Raw rows' retention; null: forever. */
  rawRetention: retentionSchema.nullable(),
  /** Always the three tiers, in order 1m, 1h, 1d. */
  tiers: z.array(tierPolicySchema),
  /** How often a device of this product is expected to report, for the size projection before data exists. */
  reportIntervalSeconds: z.number().positive(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type StoragePolicy = z.infer<typeof storagePolicySchema>;

/**
 * PATCH /api/storage-policies/:productKey: creates the policy (with defaults: store everything,
 * raw kept 30 days, all tiers, 1m 90 days, 1h 2 years, 1d forever) or changes the given fields.
 * `points` entries are merged per point; `tiers` entries replace the tier they name.
 */
export const storagePolicyPatchSchema = z
  .object({
    store: z.boolean().optional(),
    points: z
      .record(
        identifierSchema,
        z.object({ store: z.boolean().optional(), downsample: z.boolean().optional() }).strict(),
      )
      .optional(),
    rawRetention: retentionSchema.nullable().optional(),
    tiers: z
      .array(
        z
          .object({
            tier: storageTierSchema,
            enabled: z.boolean().optional(),
            retention: retentionSchema.nullable().optional(),
          })
          .strict(),
      )
      .refine((ts) => new Set(ts.map((t) => t.tier)).size === ts.length, { message: 'each tier may be given once' })
      .optional(),
    reportIntervalSeconds: z.number().positive().max(86_400).optional(),
  })
  .strict();
export type StoragePolicyPatch = z.input<typeof storagePolicyPatchSchema>;

/** Projected storage of one table or view. */
export const storageProjectionItemSchema = z.object({
  /** 'raw' or the tier. */
  source: z.enum(['raw', ...storageTiers]),
  /** The QuestDB table or materialized view. */
  table: z.string(),
  rowsPerDay: z.number(),
  bytesPerDay: z.number(),
  /** Days kept; null: forever. */
  retentionDays: z.number().nullable(),
  /** bytesPerDay × retentionDays; null when kept forever. */
  bytesAtRetention: z.number().nullable(),
});
export type StorageProjectionItem = z.infer<typeof storageProjectionItemSchema>;

export const storageProjectionSchema = z.object({
  devices: z.number().int(),
  /** Rows a device stores per day: measured over the last 24 h when data exists, else from reportIntervalSeconds. */
  rowsPerDevicePerDay: z.number(),
  basis: z.enum(['measured', 'reportInterval']),
  /** Estimated bytes of one raw row (uncompressed, as QuestDB lays columns out). */
  rawRowBytes: z.number(),
  items: z.array(storageProjectionItemSchema),
  /** Sum of every item's bytesPerDay. */
  totalBytesPerDay: z.number(),
});
export type StorageProjection = z.infer<typeof storageProjectionSchema>;

export const storedPointSchema = z.object({
  identifier: z.string(),
  /** The QuestDB column type (DOUBLE, LONG, INT, BOOLEAN, VARCHAR, TIMESTAMP). */
  columnType: z.string(),
  numeric: z.boolean(),
  stored: z.boolean(),
  downsampled: z.boolean(),
});
export type StoredPoint = z.infer<typeof storedPointSchema>;

/** A policy with what it means in QuestDB: the table, the views, the points, the projected size. */
export const storagePolicyViewSchema = storagePolicySchema.extend({
  table: z.string(),
  views: z.array(z.object({ tier: storageTierSchema, name: z.string() })),
  modelPoints: z.array(storedPointSchema),
  projection: storageProjectionSchema,
});
export type StoragePolicyView = z.infer<typeof storagePolicyViewSchema>;

export const storagePoliciesResponseSchema = z.object({ policies: z.array(storagePolicyViewSchema) });
export type StoragePoliciesResponse = z.infer<typeof storagePoliciesResponseSchema>;

/** A row QuestDB refused (a value that does not fit its column): reported and kept aside, never retried. */
export const rejectedRowSchema = z.object({
  id: z.number().int(),
  table: z.string(),
  reason: z.string(),
  /** The row as it was sent: symbols, columns, ts (epoch ms). */
  row: z.unknown(),
  /** ISO 8601. */
  at: z.string(),
});
export type RejectedRowInfo = z.infer<typeof rejectedRowSchema>;

export const rejectedRowsQuerySchema = z.object({
  table: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export const rejectedRowsResponseSchema = z.object({ rows: z.array(rejectedRowSchema), total: z.number().int() });
export type RejectedRowsResponse = z.infer<typeof rejectedRowsResponseSchema>;

/** GET /api/storage/status: where QuestDB is and how the device ingest is doing. */
export const storageStatusSchema = z.object({
  questdb: z.object({
    managed: z.boolean(),
    host: z.string(),
    httpPort: z.number().int(),
    pgPort: z.number().int(),
    /** The web console (served by QuestDB itself). */
    consoleUrl: z.string(),
  }),
  ingest: z.object({
    written: z.number(),
    buffered: z.number(),
    retried: z.number(),
    rejected: z.number(),
    state: z.string(),
    lastError: z.string().optional(),
  }),
});
export type StorageStatus = z.infer<typeof storageStatusSchema>;

export const productKeyParamSchema = z.object({ productKey: keySchema });

export const storageEndpoints = {
  listStoragePolicies: {
    method: 'GET',
    path: '/api/storage-policies',
    auth: 'viewer',
    response: storagePoliciesResponseSchema,
  },
  /** 404 when the product has no policy (nothing of it is stored). */
  getStoragePolicy: {
    method: 'GET',
    path: '/api/storage-policies/:productKey',
    auth: 'viewer',
    response: storagePolicyViewSchema,
  },
  /** Creates or changes the policy and applies it to QuestDB (table TTL, views) before answering. */
  patchStoragePolicy: {
    method: 'PATCH',
    path: '/api/storage-policies/:productKey',
    auth: 'editor',
    body: storagePolicyPatchSchema,
    response: storagePolicyViewSchema,
  },
  /** The projection of a policy not yet saved (the page's live preview); body as for PATCH. */
  previewStoragePolicy: {
    method: 'POST',
    path: '/api/storage-policies/:productKey/preview',
    auth: 'viewer',
    body: storagePolicyPatchSchema,
    response: storagePolicyViewSchema,
  },
  /** Stops storing the product's data; what is stored stays (and keeps its TTL). */
  deleteStoragePolicy: { method: 'DELETE', path: '/api/storage-policies/:productKey', auth: 'editor', status: 204 },
  storageStatus: { method: 'GET', path: '/api/storage/status', auth: 'viewer', response: storageStatusSchema },
  rejectedRows: {
    method: 'GET',
    path: '/api/storage/rejected',
    auth: 'viewer',
    query: rejectedRowsQuerySchema,
    response: rejectedRowsResponseSchema,
  },
} as const satisfies Record<string, Endpoint>;
export type StorageEndpointName = keyof typeof storageEndpoints;
