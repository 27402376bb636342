import type { StorageTier, TimeseriesAggregate } from '@gridflow/runtime/contract';
import { quoteIdentifier, type SqlParam } from '@gridflow/nodes/storage';

/**
 * Pure planning of time-series reads: which table or tier answers, at which bucket size, with
 * which SQL. Values always travel as bind parameters; names (tables, columns) were checked
 * against the thing model before they get here and are quoted again on the way in.
 */

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
export const TIER_SECONDS: Record<StorageTier, number> = { '1m': 60, '1h': 3600, '1d': 86_400 };

export function intervalSeconds(interval: string): number {
  const m = /^(\d+)([smhd])$/.exec(interval);
  if (!m) throw new Error(`not an interval: ${interval}`);
  return Number(m[1]) * UNIT_SECONDS[m[2] as keyof typeof UNIT_SECONDS];
}

/** The shortest name for a number of seconds: 90 → "90s", 3600 → "1h". */
export function formatInterval(seconds: number): string {
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

const NICE_SECONDS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800,
  2_592_000,
];

/** The smallest "round" bucket that splits the range into at most `maxPoints` buckets. */
export function decimationInterval(rangeMs: number, maxPoints: number): string {
  const wanted = Math.ceil(rangeMs / 1000 / maxPoints);
  const nice = NICE_SECONDS.find((s) => s >= wanted) ?? Math.ceil(wanted / 86_400) * 86_400;
  return formatInterval(nice);
}

/** The coarsest enabled tier whose bucket divides the interval; raw when none does. */
export function chooseSource(interval: string, tiers: readonly StorageTier[]): StorageTier | 'raw' {
  const seconds = intervalSeconds(interval);
  for (const tier of ['1d', '1h', '1m'] as const) {
    if (tiers.includes(tier) && seconds % TIER_SECONDS[tier] === 0) return tier;
  }
  return 'raw';
}

export interface PointColumn {
  /** The measure point identifier (the series' name). */
  point: string;
  /** Its column in the raw table. */
  column: string;
  numeric: boolean;
}

export interface SeriesQuery {
  table: string;
  points: readonly PointColumn[];
  devices: readonly string[] | undefined;
  from: Date;
  to: Date;
}

export interface PlannedSql {
  sql: string;
  params: SqlParam[];
}

function where(q: SeriesQuery): { clause: string; params: SqlParam[] } {
  const params: SqlParam[] = [q.from, q.to];
  let clause = 'ts >= $1 AND ts < $2';
  if (q.devices && q.devices.length) {
    const marks = q.devices.map((d) => {
      params.push(d);
      return `$${params.length}`;
    });
    clause += ` AND device IN (${marks.join(', ')})`;
  }
  return { clause, params };
}

/** The aggregate of a raw column; text and boolean points can only be sampled (first, last) or counted. */
function rawAggregate(p: PointColumn, aggregate: TimeseriesAggregate): string {
  const c = quoteIdentifier(p.column);
  const fn = p.numeric || aggregate === 'first' || aggregate === 'last' || aggregate === 'count' ? aggregate : 'last';
  return `${fn}(${c})`;
}

/** The same aggregate re-computed from a tier's columns (averages weighted by their counts). */
function tierAggregate(p: PointColumn, aggregate: TimeseriesAggregate): string {
  const col = (suffix: string) => quoteIdentifier(`${p.column}_${suffix}`);
  switch (aggregate) {
    case 'avg':
      return `sum(${col('avg')} * ${col('count')}) / sum(${col('count')})`;
    case 'count':
      return `sum(${col('count')})`;
    default:
      return `${aggregate}(${col(aggregate)})`;
  }
}

/** Buckets of `interval` from the raw table or a tier. Column aliases are the point identifiers. */
export function sampledSql(
  q: SeriesQuery,
  source: StorageTier | 'raw',
  interval: string,
  aggregate: TimeseriesAggregate,
): PlannedSql {
  const { clause, params } = where(q);
  const from = source === 'raw' ? q.table : `${q.table}_${source}`;
  const values = q.points
    .map(
      (p) =>
        `${source === 'raw' ? rawAggregate(p, aggregate) : tierAggregate(p, aggregate)} ${quoteIdentifier(p.point)}`,
    )
    .join(', ');
  intervalSeconds(interval); // throws on anything but a checked interval, which goes into the text
  return {
    sql: `SELECT ts, device, ${values} FROM ${quoteIdentifier(from, 'table')} WHERE ${clause} SAMPLE BY ${interval} ALIGN TO CALENDAR ORDER BY ts`,
    params,
  };
}

export function rawSql(q: SeriesQuery, limit: number): PlannedSql {
  const { clause, params } = where(q);
  const values = q.points.map((p) => `${quoteIdentifier(p.column)} ${quoteIdentifier(p.point)}`).join(', ');
  return {
    sql: `SELECT ts, device, ${values} FROM ${quoteIdentifier(q.table, 'table')} WHERE ${clause} ORDER BY ts LIMIT ${Math.max(1, Math.floor(limit))}`,
    params,
  };
}

/** Rows per device in the range: whether raw data must be decimated. */
export function countSql(q: SeriesQuery): PlannedSql {
  const { clause, params } = where(q);
  return {
    sql: `SELECT device, count() n FROM ${quoteIdentifier(q.table, 'table')} WHERE ${clause} GROUP BY device`,
    params,
  };
}

/** Each device's newest row (LATEST ON). */
export function latestSql(
  table: string,
  points: readonly PointColumn[],
  devices: readonly string[] | undefined,
): PlannedSql {
  const params: SqlParam[] = [];
  const values = points.map((p) => `${quoteIdentifier(p.column)} ${quoteIdentifier(p.point)}`).join(', ');
  let filter = '';
  if (devices && devices.length) {
    filter = ` WHERE device IN (${devices.map((d) => (params.push(d), `$${params.length}`)).join(', ')})`;
  }
  return {
    sql: `SELECT ts, device${values ? `, ${values}` : ''} FROM ${quoteIdentifier(table, 'table')}${filter} LATEST ON ts PARTITION BY device`,
    params,
  };
}
