import {
  timeseriesQuerySchema,
  latestQuerySchema,
  type LatestResponse,
  type Series,
  type StorageTier,
  type TimeseriesResponse,
} from '@gridflow/runtime/contract';
import type { ResultRow, SqlClient } from '@gridflow/nodes/storage';
import type { z } from 'zod';
import { ApiFailure } from '../errors.js';
import type { ActiveProduct } from '../storage/storage-service.js';
import {
  chooseSource,
  countSql,
  decimationInterval,
  latestSql,
  rawSql,
  sampledSql,
  type PointColumn,
  type SeriesQuery,
} from './query-plan.js';

/**
 * Reads for charts and dashboards. With an interval the coarsest tier that has it answers; without
 * one, raw rows come back unless there are more than maxPoints per series, in which case the server
 * picks a round interval and samples (decimates) instead of sending every row.
 */

export interface TimeseriesDeps {
  sql: SqlClient;
  /** The product's policy (stored or paused); undefined when it has none. */
  lookup(productKey: string): ActiveProduct | undefined;
  now?: () => number;
}

type Query = z.output<typeof timeseriesQuerySchema>;
type Latest = z.output<typeof latestQuerySchema>;

const toMs = (v: string | number | undefined, fallback: number) =>
  v === undefined ? fallback : typeof v === 'number' ? v : Date.parse(v);

function pointColumns(active: ActiveProduct, productKey: string, points: readonly string[] | undefined): PointColumn[] {
  const wanted = points ?? [...active.points.values()].filter((p) => p.stored).map((p) => p.identifier);
  return wanted.map((id) => {
    const info = active.points.get(id);
    if (!info)
      throw new ApiFailure('VALIDATION', `product "${productKey}" has no measure point "${id}"`, {
        fields: [{ path: 'points', message: `unknown point ${id}` }],
      });
    if (!info.stored)
      throw new ApiFailure(
        'VALIDATION',
        `point "${id}" of product "${productKey}" is not stored (see its storage policy)`,
        { fields: [{ path: 'points', message: `${id} is not stored` }] },
      );
    return { point: id, column: info.column, numeric: info.numeric };
  });
}

function productOf(deps: TimeseriesDeps, productKey: string): ActiveProduct {
  const active = deps.lookup(productKey);
  if (!active)
    throw new ApiFailure('NOT_FOUND', `product "${productKey}" has no storage policy, so nothing of it is stored`);
  return active;
}

/** Turns rows (ts, device, one column per point) into one series per device and point. */
function toSeries(rows: readonly ResultRow[], points: readonly PointColumn[]): Series[] {
  const byKey = new Map<string, Series>();
  for (const r of rows) {
    const device = String(r['device']);
    const t = (r['ts'] as Date).getTime();
    for (const p of points) {
      const key = `${device}\u0000${p.point}`;
      let s = byKey.get(key);
      if (!s) byKey.set(key, (s = { device, point: p.point, data: [] }));
      const v = r[p.point];
      s.data.push([
        t,
        v === undefined || v === null
          ? null
          : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string'
            ? v
            : String(v),
      ]);
    }
  }
  return [...byKey.values()].sort((a, b) => a.device.localeCompare(b.device) || a.point.localeCompare(b.point));
}

export async function readSeries(deps: TimeseriesDeps, q: Query): Promise<TimeseriesResponse> {
  const active = productOf(deps, q.productKey);
  const points = pointColumns(active, q.productKey, q.points);
  const to = toMs(q.to, (deps.now ?? Date.now)());
  const from = toMs(q.from, to - 86_400_000);
  if (!(from < to))
    throw new ApiFailure('VALIDATION', '`from` must be before `to`', {
      fields: [{ path: 'from', message: 'must be before to' }],
    });
  const series: SeriesQuery = {
    table: active.table,
    points,
    devices: q.devices,
    from: new Date(from),
    to: new Date(to),
  };

  let interval = q.interval;
  let decimated = false;
  if (!interval) {
    const counts = await deps.sql.query<{ device: string; n: number }>(countSql(series).sql, countSql(series).params);
    const most = counts.rows.reduce((m, r) => Math.max(m, Number(r.n)), 0);
    if (most <= q.maxPoints) {
      const plan = rawSql(series, most * Math.max(1, counts.rows.length) + 1);
      const { rows } = await deps.sql.query(plan.sql, plan.params);
      return {
        productKey: q.productKey,
        from,
        to,
        source: 'raw',
        interval: null,
        aggregate: null,
        decimated: false,
        series: toSeries(rows, points),
      };
    }
    interval = decimationInterval(to - from, q.maxPoints);
    decimated = true;
  }
  // A tier holds only the downsampled points; a point outside it is read from the raw table.
  const tiers: StorageTier[] = points.every((p) => active.points.get(p.point)?.downsampled)
    ? active.policy.tiers.filter((t) => t.enabled).map((t) => t.tier)
    : [];
  const source = chooseSource(interval, tiers);
  const plan = sampledSql(series, source, interval, q.aggregate);
  const { rows } = await deps.sql.query(plan.sql, plan.params);
  return {
    productKey: q.productKey,
    from,
    to,
    source,
    interval,
    aggregate: q.aggregate,
    decimated,
    series: toSeries(rows, points),
  };
}

export async function readLatest(deps: TimeseriesDeps, q: Latest): Promise<LatestResponse> {
  const active = productOf(deps, q.productKey);
  const points = pointColumns(active, q.productKey, q.points);
  const plan = latestSql(active.table, points, q.devices);
  const { rows } = await deps.sql.query(plan.sql, plan.params);
  return {
    productKey: q.productKey,
    values: rows
      .map((r) => ({
        device: String(r['device']),
        ts: (r['ts'] as Date).getTime(),
        points: Object.fromEntries(points.map((p) => [p.point, r[p.point] ?? null])),
      }))
      .sort((a, b) => a.device.localeCompare(b.device)),
  };
}
