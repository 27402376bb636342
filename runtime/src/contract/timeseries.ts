import { z } from 'zod';
import type { Endpoint } from './endpoints.js';
import { keySchema } from './devices.js';
import { storageTiers } from './storage.js';

/**
 * Reading stored device data back: series for charts (GET /api/timeseries), the latest values
 * (GET /api/timeseries/latest) and the data explorer's SQL console (POST /api/sql).
 * Browser-safe (zod only).
 */

export const timeseriesAggregates = ['avg', 'min', 'max', 'first', 'last', 'count'] as const;
export const timeseriesAggregateSchema = z.enum(timeseriesAggregates);
export type TimeseriesAggregate = z.infer<typeof timeseriesAggregateSchema>;

/** A bucket size: a number and s, m, h or d ("30s", "5m", "1h", "7d"). */
export const intervalSchema = z.string().regex(/^[1-9]\d{0,5}[smhd]$/, 'give an interval like 30s, 5m, 1h or 1d');

/** Comma-separated list in a query string, or repeated parameters. */
const listParam = (item: z.ZodString) =>
  z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : v,
    z.array(item),
  );

/** An instant: epoch ms or ISO 8601. */
const instantParam = z.preprocess(
  (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v),
  z.union([z.number().int().nonnegative(), z.iso.datetime({ offset: true })]),
);

/**
 * GET /api/timeseries?productKey=&devices=&points=&from=&to=&interval=&aggregate=&maxPoints=
 * - Without interval: raw rows when the range holds at most maxPoints per series, else the server
 *   decimates (picks an interval giving about maxPoints buckets) and says so in `decimated`.
 * - With interval: buckets of that size, read from the coarsest tier whose bucket divides it
 *   (1d, 1h, 1m; raw when none fits or the tier is disabled).
 */
export const timeseriesQuerySchema = z.object({
  productKey: keySchema,
  /** Devices of the product; all when absent. */
  devices: listParam(keySchema.clone()).optional(),
  /** Measure points; at least one. */
  points: listParam(z.string().min(1)).refine((ps) => ps.length > 0, { message: 'give at least one point' }),
  /** Default: 24 hours before `to`. */
  from: instantParam.optional(),
  /** Default: now. */
  to: instantParam.optional(),
  interval: intervalSchema.optional(),
  aggregate: timeseriesAggregateSchema.default('avg'),
  /** Most points per series before raw data is decimated. */
  maxPoints: z.coerce.number().int().min(10).max(100_000).default(2000),
});
export type TimeseriesQuery = z.input<typeof timeseriesQuerySchema>;

export const seriesSchema = z.object({
  device: z.string(),
  point: z.string(),
  /** [epoch ms, value] pairs in time order; value null where the point had no value. */
  data: z.array(z.tuple([z.number(), z.union([z.number(), z.string(), z.boolean(), z.null()])])),
});
export type Series = z.infer<typeof seriesSchema>;

export const timeseriesResponseSchema = z.object({
  productKey: z.string(),
  /** Epoch ms. */
  from: z.number(),
  to: z.number(),
  /** Where the values came from: the raw table or a downsampled tier. */
  source: z.enum(['raw', ...storageTiers]),
  /** The bucket size used; null for raw rows. */
  interval: z.string().nullable(),
  aggregate: timeseriesAggregateSchema.nullable(),
  /** True when the server chose the interval because the raw range was too long. */
  decimated: z.boolean(),
  series: z.array(seriesSchema),
});
export type TimeseriesResponse = z.infer<typeof timeseriesResponseSchema>;

/** GET /api/timeseries/latest?productKey=&devices=&points= : each device's newest row (LATEST ON). */
export const latestQuerySchema = z.object({
  productKey: keySchema,
  devices: listParam(keySchema.clone()).optional(),
  /** All stored points when absent. */
  points: listParam(z.string().min(1)).optional(),
});
export type LatestQuery = z.input<typeof latestQuerySchema>;

export const latestResponseSchema = z.object({
  productKey: z.string(),
  values: z.array(
    z.object({
      device: z.string(),
      /** Epoch ms of the row. */
      ts: z.number(),
      points: z.record(z.string(), z.unknown()),
    }),
  ),
});
export type LatestResponse = z.infer<typeof latestResponseSchema>;

/** POST /api/sql: one read-only statement (SELECT, WITH, SHOW, EXPLAIN) for the data explorer. */
export const sqlRequestSchema = z.object({
  sql: z.string().trim().min(1, 'the SQL is required').max(100_000),
  /** Rows returned at most; the result says when it was cut. */
  limit: z.number().int().min(1).max(100_000).default(10_000),
});
export type SqlRequest = z.input<typeof sqlRequestSchema>;

export const sqlColumnSchema = z.object({
  name: z.string(),
  /** timestamp, number, boolean, string or other: what a chart may do with it. */
  kind: z.enum(['timestamp', 'number', 'boolean', 'string', 'other']),
  /** PostgreSQL type id as QuestDB reports it. */
  typeId: z.number().int(),
});
export type SqlColumn = z.infer<typeof sqlColumnSchema>;

export const sqlResponseSchema = z.object({
  columns: z.array(sqlColumnSchema),
  /** One array per row, in column order; timestamps as ISO 8601 strings. */
  rows: z.array(z.array(z.unknown())),
  rowCount: z.number().int(),
  /** True when the result had more than `limit` rows. */
  truncated: z.boolean(),
  elapsedMs: z.number(),
});
export type SqlResponse = z.infer<typeof sqlResponseSchema>;

export const timeseriesEndpoints = {
  timeseries: {
    method: 'GET',
    path: '/api/timeseries',
    auth: 'viewer',
    query: timeseriesQuerySchema,
    response: timeseriesResponseSchema,
  },
  latest: {
    method: 'GET',
    path: '/api/timeseries/latest',
    auth: 'viewer',
    query: latestQuerySchema,
    response: latestResponseSchema,
  },
  /** Read-only SQL; editors and admins only. Bad SQL: 400 VALIDATION with QuestDB's message and position. */
  sql: { method: 'POST', path: '/api/sql', auth: 'editor', body: sqlRequestSchema, response: sqlResponseSchema },
} as const satisfies Record<string, Endpoint>;
export type TimeseriesEndpointName = keyof typeof timeseriesEndpoints;
